"""Past due dates are marked "po terminie" where the work is not yet accepted (calendar, edition page, module
page); event lists lead with what is ahead and keep past events apart ("Minione")."""

import html
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from lms.base import utcnow
from lms.content.models import Module, ModuleKind
from lms.content.spec import Scope
from lms.editions.deadlines import is_overdue
from lms.events import places
from lms.extensions import db
from tests.conftest import login
from tests.editions.test_deadlines import _accept, set_due
from tests.events.conftest import build_world, past, schedule

OVERDUE = "po terminie"


@pytest.fixture
def world(snapshot):
    return snapshot(build_world)


def text(client, path: str) -> str:
    return html.unescape(client.get(path).get_data(as_text=True))


def test_the_rule():
    today = date(2026, 12, 3)
    assert is_overdue(date(2026, 11, 25), accepted=False, today=today)
    assert not is_overdue(date(2026, 11, 25), accepted=True, today=today)
    assert not is_overdue(date(2026, 12, 3), accepted=False, today=today)  # due today is not late yet
    assert not is_overdue(None, accepted=False, today=today)
    assert not is_overdue(date(2026, 11, 25), accepted=False, counted=False, today=today)  # an introduction


def test_an_optional_introduction_is_never_marked_late(client, world):
    set_due(world, pierwszy=utcnow().date() - timedelta(days=30))
    db.session.scalar(select(Module).where(Module.slug == "pierwszy")).kind = ModuleKind.INTRODUCTION
    db.session.commit()
    login(client, world["animator"])
    for path in ("/calendar/", f"/editions/{world['edition'].id}/", "/programmes/mini/modules/pierwszy/"):
        assert OVERDUE not in text(client, path), path


def test_a_past_due_date_of_unaccepted_work_is_marked_until_the_work_is_accepted(client, world):
    today = utcnow().date()
    set_due(world, pierwszy=today - timedelta(days=30), drugi=today + timedelta(days=30))
    login(client, world["animator"])
    calendar = text(client, "/calendar/")
    assert re.search(r"Pierwszy moduł</a> — [^<]+ <span[^>]*>po terminie</span>", calendar)
    assert calendar.count(OVERDUE) == 1
    edition = text(client, f"/editions/{world['edition'].id}/")
    assert edition.count(OVERDUE) == 1
    assert OVERDUE in text(client, "/programmes/mini/modules/pierwszy/")
    assert OVERDUE not in text(client, "/programmes/mini/modules/drugi/")

    _accept(world, "profil", Scope.PERSON)  # the first module's work, accepted late: no longer "overdue"
    assert OVERDUE not in text(client, "/programmes/mini/modules/pierwszy/")
    assert OVERDUE not in text(client, f"/editions/{world['edition'].id}/")

    login(client, world["trainer"])  # nobody's work is the trainer's to be late with
    assert OVERDUE not in text(client, f"/editions/{world['edition'].id}/")


def test_event_lists_show_upcoming_events_first_and_past_ones_apart(client, world):
    earlier = schedule(world, title="Szkolenie wcześniejsze")
    later = schedule(world, title="Szkolenie przyszłe")
    for event in (earlier, later):
        places.register(event, world["animator"], world["coordinator"])
    for name, value in past(hours_ago=24 * 20).items():  # registered while ahead; now it has taken place
        setattr(earlier, name, value)
    db.session.commit()
    login(client, world["animator"])
    for path in (f"/editions/{world['edition'].id}/events/", "/calendar/"):
        page = text(client, path)
        assert page.index("Szkolenie przyszłe") < page.index("Minione") < page.index("Szkolenie wcześniejsze"), path
