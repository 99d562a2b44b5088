"""Calendar files and private feeds: they parse with icalendar, follow moves, and cost a bounded number of queries."""

from datetime import date, timedelta

from icalendar import Calendar
from sqlalchemy import select

from lms.content.models import Module
from lms.editions.models import Edition, Enrolment, ModuleDeadline
from lms.events import calendars, places, services
from lms.events.models import Registration, RegistrationStatus
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.notifications.models import Notification
from tests.conftest import csrf_token, login, outbox
from tests.events.conftest import event_input, schedule


def _events(ics: bytes):
    return [c for c in Calendar.from_ical(ics).walk("VEVENT")]


def test_an_event_downloads_as_an_ics_file_that_parses(client, world):
    event = schedule(world)
    login(client, world["animator"])
    response = client.get(f"/events/{event.id}/event.ics")
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    (item,) = _events(response.data)
    assert str(item["summary"]) == "Szkolenie: Ja jako animator"
    assert item.decoded("dtstart").replace(tzinfo=None) == event.starts_at
    assert str(item["location"]).startswith("Dom Kultury")


def test_the_private_feed_follows_a_move_and_a_reset_token_stops_the_old_url(client, world):
    event = schedule(world)
    places.register(event, world["animator"], world["coordinator"])
    db.session.commit()
    login(client, world["animator"])
    page = client.get("/calendar/").get_data(as_text=True)
    token = calendars.token_of(world["animator"])
    feed_path = f"/calendar/{token}.ics"
    assert feed_path in page
    anonymous = client.application.test_client()
    (before,) = _events(anonymous.get(feed_path).data)

    later = event_input(starts_at=event.starts_at + timedelta(days=2), ends_at=event.ends_at + timedelta(days=2))
    assert services.change_event(event, later, world["trainer"])
    db.session.commit()
    (after,) = _events(anonymous.get(feed_path).data)
    assert after["uid"] == before["uid"]
    assert after.decoded("dtstart") - before.decoded("dtstart") == timedelta(days=2)
    assert int(after["sequence"]) == int(before["sequence"]) + 1
    notice = db.session.scalar(select(Notification).where(Notification.user_id == world["animator"].id))
    assert "zostało przeniesione" in notice.message
    assert len(outbox(world["animator"].email)) == 1

    client.post("/calendar/", data={"csrf_token": csrf_token(page)})
    assert anonymous.get(feed_path).status_code == 404
    assert anonymous.get(f"/calendar/{calendars.token_of(world['animator'])}.ics").status_code == 200


def test_a_cancelled_event_stays_in_the_feed_as_cancelled_and_participants_are_told(world):
    event = schedule(world)
    places.register(event, world["animator"], world["coordinator"])
    services.cancel_event(event, world["trainer"])
    db.session.commit()
    (item,) = _events(calendars.feed_ics(world["animator"]))
    assert str(item["status"]) == "CANCELLED"
    assert "odwołane" in outbox(world["animator"].email)[0].body


def _more_editions_with_due_dates(world, count: int) -> None:
    """``count`` more editions of the programme, the animator enrolled in each, every module with a due date."""
    modules = db.session.scalars(select(Module.id)).all()
    for n in range(count):
        edition = Edition(name=f"Edycja {n}", programme=world["programme"], voivodeship=Voivodeship.MAZOWIECKIE,
                          starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31))  # fmt: skip
        db.session.add(edition)
        db.session.flush()
        db.session.add(Enrolment(edition_id=edition.id, user_id=world["animator"].id, enrolled_by_id=world["admin"].id))
        db.session.add_all(
            ModuleDeadline(edition_id=edition.id, module_id=module_id, due_on=date(2027, 1, 1 + n),
                           set_by_id=world["trainer"].id)
            for module_id in modules
        )  # fmt: skip
    db.session.commit()


def test_the_feed_of_a_person_with_50_events_answers_in_a_bounded_number_of_statements(client, world, count_queries):
    person = world["animator"]
    for n in range(50):
        event = services.create_event(world["edition"], event_input(title=f"Spotkanie {n}"), world["trainer"])
        db.session.flush()
        db.session.add(Registration(event_id=event.id, user_id=person.id, registered_by_id=person.id,
                                    status=RegistrationStatus.REGISTERED))  # fmt: skip
    token = calendars.token_of(person)
    db.session.commit()
    with count_queries() as counter:
        response = client.get(f"/calendar/{token}.ics")
    assert response.status_code == 200
    assert len(_events(response.data)) == 50
    assert counter.count <= 4

    # Due dates come in one statement however many there are: one edition's or ten editions' modules.
    _more_editions_with_due_dates(world, 1)
    with count_queries() as one_edition:
        response = client.get(f"/calendar/{token}.ics")
    assert len(_events(response.data)) == 50 + 3
    _more_editions_with_due_dates(world, 9)
    with count_queries() as ten_editions:
        response = client.get(f"/calendar/{token}.ics")
    assert len(_events(response.data)) == 50 + 30
    assert ten_editions.count == one_edition.count == counter.count <= 4
