"""Who is offered what on an event page: coordinators register and withdraw their own staff (after confirming),
the edition's trainers and programme staff (admins) take attendance, and a learner reads where they stand."""

from sqlalchemy import select

from lms.events import places
from lms.events.models import Registration, RegistrationStatus
from lms.extensions import db
from tests.conftest import csrf_token, login
from tests.events.conftest import past, schedule

REGISTER_FORM = "Zapisz swoich pracowników"


def _registered(world, event) -> Registration:
    """The animator registered for ``event``, written directly (``places.register`` refuses past events)."""
    registration = Registration(event_id=event.id, user_id=world["animator"].id, status=RegistrationStatus.REGISTERED,
                                registered_by_id=world["coordinator"].id)  # fmt: skip
    db.session.add(registration)
    db.session.commit()
    return registration


def test_only_a_coordinator_of_a_participating_institution_is_offered_registration(app, world):
    event = schedule(world)
    coordinator, admin = app.test_client(), app.test_client()
    login(coordinator, world["coordinator"])
    login(admin, world["admin"])
    assert REGISTER_FORM in coordinator.get(f"/events/{event.id}/").get_data(as_text=True)
    page = admin.get(f"/events/{event.id}/").get_data(as_text=True)
    assert REGISTER_FORM not in page and f"/events/{event.id}/register" not in page
    token = csrf_token(page)
    refused = admin.post(f"/events/{event.id}/register", data={"csrf_token": token, "person": world["animator"].id})
    assert refused.status_code == 403
    assert db.session.scalars(select(Registration)).all() == []


def test_an_admin_takes_attendance_like_the_editions_trainer(app, client, world):
    event = schedule(world, **past())
    registration = _registered(world, event)
    login(client, world["admin"])
    assert f"/events/{event.id}/attendance" in client.get(f"/events/{event.id}/").get_data(as_text=True)
    page = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    response = client.post(
        f"/events/{event.id}/attendance", data={"csrf_token": csrf_token(page), f"present-{registration.id}": "0"}
    )
    assert response.status_code == 302
    db.session.refresh(registration)
    assert registration.attended is False and registration.attendance_marked_by_id == world["admin"].id


def test_the_attendance_radios_are_visible_inside_their_labels(client, world):
    event = schedule(world, **past())
    _registered(world, event)
    login(client, world["trainer"])
    page = client.get(f"/events/{event.id}/attendance").get_data(as_text=True)
    assert "btn-check" not in page
    assert page.count('<label class="attendance-choice') == 2 and page.count('<input type="radio"') == 2


def test_a_learner_reads_how_to_get_a_place_and_then_where_they_stand(app, client, world):
    event = schedule(world, capacity=1)
    login(client, world["animator"])
    page = client.get(f"/events/{event.id}/").get_data(as_text=True)
    assert "Twoje miejsce" in page and "poproś koordynatora o zapisanie Cię" in page and REGISTER_FORM not in page
    places.register(event, world["coordinator"], world["coordinator"])  # takes the only place
    places.register(event, world["animator"], world["coordinator"])
    db.session.commit()
    page = client.get(f"/events/{event.id}/").get_data(as_text=True)
    assert "Jesteś na liście rezerwowej." in page and "Uczestnicy z Twojej instytucji" in page
    assert "Twoi pracownicy" not in page and "Wycofaj" not in page


def test_withdrawing_asks_for_a_ticked_confirmation_first(client, world):
    event = schedule(world)
    registration = places.register(event, world["animator"], world["coordinator"])
    db.session.commit()
    login(client, world["coordinator"])
    url = f"/events/{event.id}/registrations/{registration.id}/withdraw"
    assert f'href="{url}"' in client.get(f"/events/{event.id}/").get_data(as_text=True)
    page = client.get(url).get_data(as_text=True)
    assert "Wycofanie zgłoszenia" in page and "Zofia Żółć nie będzie już na liście uczestników" in page

    unticked = client.post(url, data={"csrf_token": csrf_token(page)})
    assert unticked.status_code == 200 and "Zaznacz pole, aby potwierdzić wycofanie zgłoszenia." in unticked.get_data(
        as_text=True
    )
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.REGISTERED

    ticked = client.post(url, data={"csrf_token": csrf_token(page), "confirm": "y"})
    assert ticked.status_code == 302
    db.session.refresh(registration)
    assert registration.status is RegistrationStatus.WITHDRAWN
    again = client.get(url, follow_redirects=True).get_data(as_text=True)
    assert "To zgłoszenie zostało już wycofane." in again


def test_an_agenda_is_shown_as_typed_below_the_pages_headings(app, world):
    event = schedule(world, agenda="# Dzień 1\n\n- 9:00 <b>powitanie</b> & kawa")
    client = app.test_client()
    login(client, world["animator"])
    page = client.get(f"/events/{event.id}/").get_data(as_text=True)
    assert "<h4>Dzień 1</h4>" in page  # under the page's h1 and the agenda's own h2
    assert "9:00 &lt;b&gt;powitanie&lt;/b&gt; &amp; kawa" in page  # HTML typed is shown, not removed
