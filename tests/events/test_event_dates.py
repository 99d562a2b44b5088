"""An event falls within its edition's dates (the rule due dates follow); bad input is a Polish form error."""

import html
import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.editions.models import Edition
from lms.events import services
from lms.events.models import Event
from lms.extensions import db
from tests.conftest import login, post_form
from tests.events.conftest import at, event_input, schedule

OUTSIDE = "Wydarzenie musi się odbyć w czasie edycji, od 1 stycznia 2026 do 31 grudnia 2027."


def event_form(**changes) -> dict:
    data = {
        "kind": "training", "title": "Szkolenie: mapa zasobów", "starts_at": "2027-03-10T09:00",
        "ends_at": "2027-03-11T16:00", "hours": "16", "capacity": "20", "place": "Dom Kultury, Kowala",
        "level": "1", "module": "None", "host_institution": "None", "trainer": "None", "agenda": "",
    }  # fmt: skip
    return {**data, **changes}


def errors_of(response, field: str) -> str:
    page = html.unescape(response.get_data(as_text=True))
    return " ".join(re.findall(rf'id="{field}-error-\d+"[^>]*>(.*?)</div>', page, re.S))


def events() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(Event.id)))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"starts_at": "2031-05-05T09:00", "ends_at": "2031-05-05T16:00"}, "starts_at", OUTSIDE),
        ({"starts_at": "2020-05-05T09:00", "ends_at": "2020-05-05T16:00"}, "starts_at", OUTSIDE),
        # the last day of the edition may end an event, not the day after (Polish time decides)
        ({"starts_at": "2027-12-31T09:00", "ends_at": "2028-01-01T01:00"}, "starts_at", OUTSIDE),
        ({"starts_at": "abc"}, "starts_at", "Podaj prawidłową datę i godzinę."),
        ({"hours": "0.25"}, "hours", "Liczba musi być z zakresu od 0,5 do 100."),
        ({"title": "x" * 201}, "title", "Wartość w polu nie może mieć więcej niż 200 znaków."),
    ],
)
def test_an_event_outside_its_edition_or_with_bad_input_saves_nothing(client, world, changes, field, message):
    login(client, world["admin"])
    response = post_form(client, f"/editions/{world['edition'].id}/events/new", event_form(**changes))
    assert response.status_code == 200
    assert message in errors_of(response, field)
    assert events() == 0


def test_an_event_on_the_editions_first_and_last_day_is_scheduled(client, world):
    login(client, world["admin"])
    url = f"/editions/{world['edition'].id}/events/new"
    first = event_form(starts_at="2026-01-01T00:30", ends_at="2026-01-01T08:00")  # 2025 still, in UTC
    last = event_form(starts_at="2027-12-31T09:00", ends_at="2027-12-31T23:30")
    assert post_form(client, url, first).status_code == 302
    assert post_form(client, url, last).status_code == 302
    assert events() == 2


def test_moving_an_event_out_of_its_edition_is_refused_but_an_unmoved_one_stays_editable(client, world):
    event = schedule(world, **{"starts_at": at(date(2026, 6, 1)), "ends_at": at(date(2026, 6, 1), 15)})
    edition = db.session.get(Edition, world["edition"].id)
    edition.starts_on = date(2026, 9, 1)  # the edition's dates changed after the event was scheduled
    db.session.commit()
    data = event_input(starts_at=event.starts_at, ends_at=event.ends_at, title="Szkolenie (nowa sala)")
    assert services.change_event(event, data, world["trainer"]) is False  # not moved: still valid
    db.session.commit()
    with pytest.raises(services.EventError) as refused:
        services.change_event(event, event_input(starts_at=at(date(2026, 6, 2)), ends_at=at(date(2026, 6, 2), 15)),
                              world["trainer"])  # fmt: skip
    assert refused.value.field == "starts_at"
    db.session.rollback()
    assert db.session.get(Event, event.id).starts_at == at(date(2026, 6, 1))
