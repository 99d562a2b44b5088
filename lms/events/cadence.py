"""Cadence: "at least N events of a kind in each of Q consecutive quarters", as programme.yaml declares it
(e.g. Level II consultations spread evenly over the edition), evaluated per institution and per quarter.

An institution's events are those it hosts or its staff are registered for, held (started) and not cancelled;
for consultations, the Level II consultations trainers log (lms/support) count too.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property

from sqlalchemy import Boolean, String, bindparam, cast, extract, literal, select, union_all

from lms.accounts.models import User
from lms.base import utcnow
from lms.content.models import Programme
from lms.content.spec import EventKind
from lms.database import column_rows
from lms.editions.models import Edition, edition_institution
from lms.events.models import Event, Registration, RegistrationStatus
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
    def current_run(self) -> int:
        """Covered quarters in a row up to now: the run ending with the current quarter, or with the previous one
        while the current quarter can still be covered. What the coordinator can still build on."""
        timeline = self.timeline
        if timeline and not timeline[-1][1]:
            timeline = timeline[:-1]
        run = 0
        for _quarter, covered in reversed(timeline):
            if not covered:
                break
            run += 1
        return run

    @property
    def current_quarter_covered(self) -> bool:
        return self.counts.get(quarter_of(self.today), 0) >= self.per_quarter

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
# Staff are registered only for events of editions their institution takes part in (lms/events/places), so
# the events of those editions are the ones to look at: a few dozen, not every registration of the staff.
_ATTENDED = (
    select(Event.id.label("event_id"), User.institution_id.label("institution_id"))
    .select_from(Event)
    .join(Registration, Registration.event_id == Event.id)
    .join(User, User.id == Registration.user_id)
    .where(
        Event.edition_id.in_(
            select(edition_institution.c.edition_id).where(
                edition_institution.c.institution_id.in_(bindparam("institution_ids", expanding=True))
            )
        ),
        Registration.status == RegistrationStatus.REGISTERED,
        User.institution_id.in_(bindparam("institution_ids", expanding=True)),
        *_HELD,
    )
)
_INVOLVED = _HOSTED.union(_ATTENDED).subquery()
# One statement for the events and the consultations trainers log (lms/support), read as the year and month each
# took place: all the quarters need, and the same in SQLite and PostgreSQL for a date and a timestamp.
_HELD_IN = union_all(
    select(
        _INVOLVED.c.institution_id,
        cast(Event.kind, String),
        extract("year", Event.starts_at),
        extract("month", Event.starts_at),
    )
    .join(Event, Event.id == _INVOLVED.c.event_id)
    .join(Edition, Edition.id == Event.edition_id)
    .where(Edition.programme_id == bindparam("programme_id")),
    select(
        Consultation.institution_id,
        literal(EventKind.CONSULTATION.value, String),
        extract("year", Consultation.held_on),
        extract("month", Consultation.held_on),
    ).where(
        bindparam("count_logged", type_=Boolean),  # only where consultations are a declared cadence
        Consultation.institution_id.in_(bindparam("institution_ids", expanding=True)),
        Consultation.programme_id == bindparam("programme_id"),
        Consultation.held_on <= bindparam("today"),
    ),
)


def cadence_standings(institution_ids: list[int], programme: Programme) -> dict[int, list[CadenceStanding]]:
    """Per institution, one standing per declared cadence; one statement for any number of them."""
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
        "count_logged": EventKind.CONSULTATION.value in kinds,
    }
    counts: dict[tuple[int, str], dict[Quarter, int]] = defaultdict(lambda: defaultdict(int))
    for institution_id, kind, year, month in column_rows(_HELD_IN, parameters):
        counts[(institution_id, kind)][(int(year), (int(month) - 1) // 3 + 1)] += 1
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
