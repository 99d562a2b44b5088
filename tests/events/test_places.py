"""Places at an event: capacity enforced by the database, a waiting list served first come first served."""

import threading

from sqlalchemy import func, select

from lms.accounts import services as accounts
from lms.accounts.models import Role, User
from lms.events import places
from lms.events.models import Event, Registration, RegistrationStatus
from lms.extensions import db
from lms.notifications.models import Notification
from tests.conftest import PASSWORD, login, outbox
from tests.events.conftest import schedule


def _staff(world, count: int) -> list[User]:
    institution = world["institution"]
    people = [
        accounts.create_user(f"kadra{n}@kowala.pl", f"Pracownik {n:02d}", PASSWORD, [Role.ANIMATOR], institution)
        for n in range(count)
    ]
    db.session.commit()
    return people


def _statuses(event_id: int) -> dict[str, int]:
    rows = db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event_id).group_by(Registration.status)
    ).all()
    return {status.value: count for status, count in rows}


def test_the_21st_of_20_waits_and_a_freed_place_goes_to_the_first_waiting(world):
    event = schedule(world, capacity=20)
    staff = _staff(world, 22)
    for person in staff:
        places.register(event, person, world["coordinator"])
        db.session.commit()
    assert _statuses(event.id) == {"registered": 20, "waiting": 2}
    first_waiting, second_waiting = staff[20], staff[21]

    leaving = db.session.scalar(select(Registration).where(Registration.user_id == staff[3].id))
    places.withdraw(leaving, world["coordinator"])
    db.session.commit()

    promoted = db.session.scalar(select(Registration).where(Registration.user_id == first_waiting.id))
    still_waiting = db.session.scalar(select(Registration).where(Registration.user_id == second_waiting.id))
    assert promoted.status == RegistrationStatus.REGISTERED
    assert still_waiting.status == RegistrationStatus.WAITING
    assert _statuses(event.id) == {"registered": 20, "waiting": 1, "withdrawn": 1}
    notice = db.session.scalar(select(Notification).where(Notification.user_id == first_waiting.id))
    assert "zwolniło się miejsce" in notice.message.lower()
    assert [m.subject for m in outbox(first_waiting.email)] == [f"Akademia CAL: {event.title}"]
    assert not outbox(second_waiting.email)


def test_a_larger_capacity_lets_the_waiting_in(world):
    from lms.events import services
    from tests.events.conftest import event_input

    event = schedule(world, capacity=1)
    first, second = _staff(world, 2)
    for person in (first, second):
        places.register(event, person, world["coordinator"])
    db.session.commit()
    bigger = event_input(capacity=2, starts_at=event.starts_at, ends_at=event.ends_at)
    services.change_event(event, bigger, world["trainer"])
    db.session.commit()
    assert _statuses(event.id) == {"registered": 2}


def test_people_of_institutions_outside_the_edition_cannot_be_registered(world, make_institution, make_user):
    import pytest

    event = schedule(world)
    stranger = make_user(Role.ANIMATOR, institution=make_institution("OPS spoza edycji"))
    with pytest.raises(places.PlaceError):
        places.register(event, stranger, world["admin"])


def test_30_concurrent_registrations_for_20_places_give_20_registered_and_10_waiting(app, world):
    """Threads, each with its own connection, register at once; the event row's lock orders them."""
    event = schedule(world, capacity=20)
    staff_ids = [person.id for person in _staff(world, 30)]
    event_id, coordinator_id = event.id, world["coordinator"].id
    db.session.remove()
    start, failures = threading.Barrier(len(staff_ids)), []

    def register(person_id: int) -> None:
        with app.app_context():
            try:
                start.wait(30)
                places.register(db.session.get(Event, event_id), db.session.get(User, person_id),
                                db.session.get(User, coordinator_id))  # fmt: skip
                db.session.commit()
            except Exception as error:  # reported below
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=register, args=(person_id,)) for person_id in staff_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    assert _statuses(event_id) == {"registered": 20, "waiting": 10}


def test_the_event_page_lists_a_large_group_a_page_at_a_time(client, world):
    event = schedule(world, capacity=60)
    staff = _staff(world, 55)
    for person in staff:
        places.register(event, person, world["coordinator"])
    db.session.commit()
    login(client, world["trainer"])

    first = client.get(f"/events/{event.id}/").get_data(as_text=True)
    assert "Pracownik 00" in first and "Pracownik 49" in first
    assert "Pracownik 50" not in first
    assert "zajęto 55 z 60 miejsc" in first and f'href="/events/{event.id}/?page=2"' in first

    second = client.get(f"/events/{event.id}/?page=2").get_data(as_text=True)
    assert all(f"Pracownik {n}" in second for n in range(50, 55))
    assert "Pracownik 00" not in second
    assert client.get(f"/events/{event.id}/?page=99").headers["Location"] == f"/events/{event.id}/?page=2"


def test_a_coordinator_pages_through_their_own_staff_counted_on_the_event_page(client, world):
    event = schedule(world, capacity=60)
    for person in _staff(world, 53):
        places.register(event, person, world["coordinator"])
    db.session.commit()
    login(client, world["coordinator"])

    first = client.get(f"/events/{event.id}/").get_data(as_text=True)
    assert "Pracownik 00" in first and "Pracownik 50" not in first and "53 wyniki" in first
    second = client.get(f"/events/{event.id}/?page=2").get_data(as_text=True)
    assert all(f"Pracownik {n}" in second for n in range(50, 53)) and "Pracownik 49" not in second
    assert "53 wyniki" in second
