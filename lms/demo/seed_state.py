"""What a generated data set (``lms.demo.seed``) is built with: its scale, the random source and the ids of the
rows written so far (``Seed``), the plans of works, and the bulk insert that writes every table."""

import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import insert

from lms.base import utcnow
from lms.content.models import Programme
from lms.extensions import db

BATCH = 5_000
DAY = timedelta(days=1)
HISTORY_DAYS = 540  # attempts are spread over the last 18 months


@dataclass(frozen=True)
class Scale:
    institutions: int
    animators_per_institution: int
    trainers: int  # trainer t serves edition t % editions
    editions: int
    conflicted_trainers: int  # the first ones also work in an institution of their own edition


@dataclass(frozen=True)
class Version:
    """What works, attempts and reviews need of one current assignment version."""

    id: int
    assignment_id: int
    module_id: int
    module_version_id: int
    title: str
    criteria: list[int]


@dataclass
class Planned:
    """One work to write, with its attempts as (number, submitted_at, decision, trainer id, decided_at)."""

    row: dict
    version: Version
    submitter: int
    reviewers: list[int]
    attempts: list[tuple]
    id: int = 0


@dataclass
class Seed:
    """The random source, the ids of rows written so far, notifications still to write, and the counts."""

    rng: random.Random
    scale: Scale
    programme: Programme
    now: datetime = field(default_factory=utcnow)
    edition_of: list[int] = field(default_factory=list)  # institution index -> edition index
    institution_ids: list[int] = field(default_factory=list)
    edition_ids: list[int] = field(default_factory=list)
    coordinators: list[int] = field(default_factory=list)  # institution index -> user id
    animators: list[list[int]] = field(default_factory=list)  # institution index -> user ids
    trainers: list[list[tuple[int, int | None]]] = field(default_factory=list)  # edition -> (id, own institution)
    staff: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # institution id -> user ids
    names: dict[int, str] = field(default_factory=dict)  # user id, or -institution id -> name
    person: list[Version] = field(default_factory=list)  # the required person assignments, in order
    deliverables: list[Version] = field(default_factory=list)  # the institution certificate's deliverables
    notifications: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def start(self) -> datetime:
        return self.now - HISTORY_DAYS * DAY

    def pick(self, weights: dict):
        """One key of ``weights``, drawn with its weight."""
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def note(self, user_id: int, message: str, link: str, at: datetime, read_at: datetime | None = None) -> None:
        """Queue an in-app notification as the app would have sent it (read later, unless that is still ahead)."""
        read_at = read_at if read_at and read_at < self.now else None
        row = {"user_id": user_id, "message": message[:500], "link": link, "created_at": at}
        self.notifications.append(row | {"read_at": read_at, "digest_pending": False})


def bulk_insert(s: Seed, label: str, target, rows: list[dict], ids: bool = False) -> list[int]:
    """Bulk-insert ``rows`` in batches; with ``ids``, return their primary keys (small tables only)."""
    s.counts[label] = s.counts.get(label, 0) + len(rows)
    new_ids = []
    for start in range(0, len(rows), BATCH):
        if ids:
            statement = insert(target).returning(target.id, sort_by_parameter_order=True)
            new_ids += db.session.scalars(statement, rows[start : start + BATCH]).all()
        else:
            db.session.execute(insert(target), rows[start : start + BATCH])
    return new_ids
