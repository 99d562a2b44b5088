"""Events for the large generated data set: every edition's Level I trainings (the past ones with attendance)
and each institution's Level II consultations, one per quarter, so event pages, calendars and the attendance
rules are measured on data of a realistic size."""

from collections import defaultdict
from datetime import datetime, timedelta

from sqlalchemy import func, select

from lms.content.models import Module
from lms.content.spec import EventKind
from lms.events.models import Event, Registration, RegistrationStatus
from lms.extensions import db

TRAININGS_PAST = 5  # of the nine Level I trainings, this many took place already
PRESENT = 0.9  # share of registered animators marked present


def seed_events(s, insert) -> None:
    """Insert the events and registrations of the generated editions; ``insert`` is the seed's bulk insert."""
    modules = db.session.scalar(
        select(func.count(Module.id)).where(
            Module.programme_id == s.programme.id, Module.level_number == 1, Module.retired.is_(False)
        )
    )
    institutions_of = defaultdict(list)
    for i, e in enumerate(s.edition_of):
        institutions_of[e].append(i)
    rows, plan = [], []
    for e, edition_id in enumerate(s.edition_ids):
        trainer = s.trainers[e][0][0] if s.trainers[e] else None
        for m in range(modules):
            starts = datetime.combine(s.start.date(), datetime.min.time()) + timedelta(days=60 * m, hours=7)
            if m >= TRAININGS_PAST:
                starts = s.now.replace(hour=7, minute=0, second=0, microsecond=0) + timedelta(days=30 * (m - 4))
            rows.append({
                "edition_id": edition_id, "kind": EventKind.TRAINING, "title": f"Szkolenie — moduł {m + 1}",
                "level": 1, "starts_at": starts, "ends_at": starts + timedelta(days=1, hours=9), "hours": 16.0,
                "place": "Centrum szkoleniowe", "online_url": "", "trainer_id": trainer, "capacity": 400,
                "agenda": "", "agenda_html": "", "sequence": 0, "created_at": s.start, "updated_at": s.start,
            })  # fmt: skip
            plan.append((e, m < TRAININGS_PAST, starts))
        for i in institutions_of[e]:
            for quarter in range(4):
                starts = s.now.replace(hour=9, minute=0, second=0, microsecond=0) - timedelta(days=91 * quarter + 20)
                rows.append({
                    "edition_id": edition_id, "kind": EventKind.CONSULTATION, "title": "Konsultacja indywidualna",
                    "level": 2, "starts_at": starts, "ends_at": starts + timedelta(hours=2), "hours": 2.0,
                    "place": "", "online_url": "https://meet.example.org/cal", "trainer_id": trainer, "capacity": 6,
                    "host_institution_id": s.institution_ids[i], "agenda": "", "agenda_html": "", "sequence": 0,
                    "created_at": s.start, "updated_at": s.start,
                })  # fmt: skip
                plan.append((("consultation", i), True, starts))
    ids = insert(s, "events", Event, rows, ids=True)
    registrations = []
    for event_id, (key, past, starts) in zip(ids, plan, strict=True):
        if isinstance(key, tuple):
            people = [s.coordinators[key[1]]]
        else:
            people = [a for i in institutions_of[key] for a in s.animators[i]]
        for person in people:
            attended = (s.rng.random() < PRESENT) if past else None
            registrations.append({
                "event_id": event_id, "user_id": person, "registered_by_id": person,
                "status": RegistrationStatus.REGISTERED, "queued_at": starts - timedelta(days=14),
                "attended": attended, "attendance_marked_at": starts if past else None,
            })  # fmt: skip
    insert(s, "event registrations", Registration, registrations)
