"""Cadence: "at least N events of a kind in each of Q consecutive quarters", as programme.yaml declares it
(e.g. Level II consultations spread evenly over the edition), evaluated per institution and per quarter.

An institution's events are those it hosts or its staff are registered for, held (started) and not cancelled;
for consultations, the Level II consultations trainers log (lms/support) count too.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy import bindparam, func, select

from lms.accounts.models import User
from lms.base import utcnow
from lms.content.models import Programme
from lms.content.spec import EventKind
from lms.editions.models import Edition
from lms.events.models import Event, Registration, RegistrationStatus
from lms.extensions import db
from lms.support.models import Consultation

WARN_DAYS = 30  # the coordinator is warned when the current quarter is still empty this close to its end

Quarter = tuple[int, int]  # (year, 1..4)


def quarter_of(day: date) -> Quarter:
    return day.year, (day.month - 1) // 3 + 1


def next_quarter(quarter: Quarter) -> Quarter:
    year, number = quarter
    return (year + 1, 1) if number == 4 else (year, number + 1)


def quarter_end(quarter: Quarter) -> date:
    """The last day of ``quarter``."""
    year, number = next_quarter(quarter)
    return date(year, 3 * number - 2, 1) - timedelta(days=1)


@dataclass
class CadenceStanding:
    """One institution against one declared cadence."""

    kind: EventKind
    per_quarter: int
    quarters: int
    counts: dict[Quarter, int] = field(default_factory=dict)  # events held per quarter
    today: date = field(default_factory=lambda: utcnow().date())

    @cached_property  # read several times per standing (covered quarters, longest run, met); counts never change
    def timeline(self) -> list[tuple[Quarter, bool]]:
        """Every quarter from the first with an event (or the current one) to the current, and whether covered."""
        current = quarter_of(self.today)
        quarter = min([*self.counts, current])
        result = []
        while quarter <= current:
            result.append((quarter, self.counts.get(quarter, 0) >= self.per_quarter))
            quarter = next_quarter(quarter)
        return result

    @property
    def longest_run(self) -> int:
        longest = run = 0
        for _quarter, covered in self.timeline:
            run = run + 1 if covered else 0
            longest = max(longest, run)
        return longest

    @property
    def met(self) -> bool:
        return self.longest_run >= self.quarters

    @property
    def current_quarter_at_risk(self) -> bool:
        """Not yet met, the current quarter still short, and its end at most WARN_DAYS away."""
        current = quarter_of(self.today)
        short = self.counts.get(current, 0) < self.per_quarter
        return not self.met and short and (quarter_end(current) - self.today).days <= WARN_DAYS

    def days_left(self) -> int:
        return (quarter_end(quarter_of(self.today)) - self.today).days


def cadence_rules(programme: Programme) -> list[dict]:
    """The programme's declared cadences."""
    return [r for r in programme.events or [] if r.get("per_quarter") and r.get("quarters")]


# Built once, with bound parameters (building a statement costs more than running it here). Each half starts
# from the institutions (the events they host; their staff's registrations), so the work grows with them, not
# with every event of the programme; only the declared kinds of held, past events of the programme count.
_HELD = (
    Event.kind.in_(bindparam("kinds", expanding=True)),
    Event.cancelled_at.is_(None),
    Event.starts_at <= bindparam("now"),
)
_HOSTED = select(Event.id.label("event_id"), Event.host_institution_id.label("institution_id")).where(
    Event.host_institution_id.in_(bindparam("institution_ids", expanding=True)), *_HELD
)
_ATTENDED = (
    select(Event.id.label("event_id"), User.institution_id.label("institution_id"))
    .select_from(User)
    .join(Registration, Registration.user_id == User.id)
    .join(Event, Event.id == Registration.event_id)
    .where(
        User.institution_id.in_(bindparam("institution_ids", expanding=True)),
        Registration.status == RegistrationStatus.REGISTERED,
        *_HELD,
    )
)
_INVOLVED = _HOSTED.union(_ATTENDED).subquery()
_EVENTS = (
    select(_INVOLVED.c.institution_id, Event.kind, Event.starts_at)
    .join(Event, Event.id == _INVOLVED.c.event_id)
    .join(Edition, Edition.id == Event.edition_id)
    .where(Edition.programme_id == bindparam("programme_id"))
)
_LOGGED_CONSULTATIONS = (
    select(Consultation.institution_id, Consultation.held_on, func.count())
    .where(
        Consultation.institution_id.in_(bindparam("institution_ids", expanding=True)),
        Consultation.programme_id == bindparam("programme_id"),
        Consultation.held_on <= bindparam("today"),
    )
    .group_by(Consultation.institution_id, Consultation.held_on)
)


def cadence_standings(institution_ids: list[int], programme: Programme) -> dict[int, list[CadenceStanding]]:
    """Per institution, one standing per declared cadence; a fixed number of statements for any number of them."""
    rules = cadence_rules(programme)
    if not rules or not institution_ids:
        return {}
    now = utcnow()
    kinds = sorted({r["kind"] for r in rules})
    parameters = {
        "programme_id": programme.id,
        "kinds": [EventKind(kind) for kind in kinds],
        "now": now,
        "today": now.date(),
        "institution_ids": list(institution_ids),
    }
    rows = db.session.execute(_EVENTS, parameters).all()
    counts: dict[tuple[int, str], dict[Quarter, int]] = defaultdict(lambda: defaultdict(int))
    for institution_id, kind, starts_at in rows:
        counts[(institution_id, EventKind(kind).value)][quarter_of(starts_at.date())] += 1
    if EventKind.CONSULTATION.value in kinds:
        logged = db.session.execute(_LOGGED_CONSULTATIONS, parameters).all()
        for institution_id, held_on, number in logged:
            counts[(institution_id, EventKind.CONSULTATION.value)][quarter_of(held_on)] += number
    today = now.date()
    return {
        institution_id: [
            CadenceStanding(
                EventKind(r["kind"]), r["per_quarter"], r["quarters"], dict(counts[(institution_id, r["kind"])]), today
            )
            for r in rules
        ]
        for institution_id in institution_ids
    }
