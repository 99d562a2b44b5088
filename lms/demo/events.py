"""Demo events: a training ahead (with places taken), one behind (with attendance), a study visit, and Level II
consultations spread over quarters, so the event pages and calendars are not empty."""

from datetime import datetime, time, timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.base import polish_to_utc, utcnow
from lms.content.spec import EventKind
from lms.demo.story import consultation_days
from lms.editions.models import Edition
from lms.events import services
from lms.events.models import Event, Registration, RegistrationStatus
from lms.extensions import db

AGENDA = """## Dzień 1
- 9:00 Powitanie, kontrakt grupy
- 10:00 Mapa potrzeb i zasobów — praca w parach
- 13:00 Obiad

## Dzień 2
- 9:00 Zadanie w społeczności: planowanie
- 14:00 Podsumowanie i ewaluacja
"""


def _at(day, hour: int) -> datetime:
    """``hour`` o'clock Polish time on ``day``, as stored (UTC)."""
    return polish_to_utc(datetime.combine(day, time(hour)))


def _event(edition: Edition, trainer: User, kind: EventKind, title: str, starts: datetime, ends: datetime,
           hours: float, **extra) -> Event:  # fmt: skip
    data = services.EventInput(kind=kind, title=title, starts_at=starts, ends_at=ends, hours=hours,
                               capacity=extra.pop("capacity", 20), trainer_id=trainer.id, **extra)  # fmt: skip
    return services.create_event(edition, data, trainer)


def _register(event: Event, people: list[User], by: User, attended: bool | None = None) -> None:
    for person in people:
        db.session.add(Registration(event_id=event.id, user_id=person.id, registered_by_id=by.id,
                                    status=RegistrationStatus.REGISTERED, attended=attended,
                                    attendance_marked_by_id=event.trainer_id if attended is not None else None,
                                    attendance_marked_at=event.ends_at if attended is not None else None))  # fmt: skip


def load_events(edition: Edition, people: dict[str, User]) -> bool:
    """Schedule the demo events once (idempotent); True if created now."""
    if db.session.scalar(select(Event.id).where(Event.edition_id == edition.id).limit(1)):
        return False
    trainer, other_trainer = people["trener1@demo.cal.local"], people["trener2@demo.cal.local"]
    coordinator = people["koordynator1@demo.cal.local"]
    staff = [people["animator1@demo.cal.local"], people["animator2@demo.cal.local"]]
    host = coordinator.institution
    today = utcnow().date()

    behind = today - timedelta(days=45)
    done = _event(edition, trainer, EventKind.TRAINING, "Szkolenie: Ja jako animator", _at(behind, 9),
                  _at(behind + timedelta(days=1), 16), 16, level=1, place="Dom Kultury, ul. Lipowa 3, Wierzbica Górna",
                  host_institution_id=host.id, agenda=AGENDA)  # fmt: skip
    db.session.flush()
    _register(done, staff, coordinator, attended=True)

    ahead = today + timedelta(days=12)
    coming = _event(edition, trainer, EventKind.TRAINING, "Szkolenie: Tworzenie mapy potrzeb i zasobów",
                    _at(ahead, 9), _at(ahead + timedelta(days=1), 16), 16, level=1,
                    place="Centrum Szkoleniowe, ul. Słoneczna 12, Dobczyce", agenda=AGENDA)  # fmt: skip
    db.session.flush()
    _register(coming, staff, coordinator)

    visit_day = today + timedelta(days=30)
    _event(edition, other_trainer, EventKind.STUDY_VISIT, "Wizyta studyjna w GOPS w Kowali", _at(visit_day, 10),
           _at(visit_day, 15), 5, place="GOPS w Kowali, Kowala 105", capacity=15,
           agenda="Spotkanie z klubem wolontariusza i grupą samopomocową.")  # fmt: skip

    for day in consultation_days(today):
        consultation = _event(edition, trainer, EventKind.CONSULTATION, "Konsultacja: wdrażanie projektów",
                              _at(day, 10), _at(day, 12), 2, level=2, online_url="https://meet.example.org/cal-demo",
                              capacity=6, host_institution_id=host.id)  # fmt: skip
        db.session.flush()
        _register(consultation, [coordinator], coordinator, attended=True if day < today else None)
    db.session.commit()
    return True
