"""Module due dates: the edition's trainers and admins set them within the edition's dates, the module page
shows them, and the personal calendar feed holds them until the work is accepted."""

from datetime import date

import pytest
from icalendar import Calendar
from sqlalchemy import select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.content.models import Assignment, Module
from lms.content.spec import Scope
from lms.editions.models import ModuleDeadline
from lms.events import calendars
from lms.extensions import db
from lms.learning import services as learning
from lms.learning.decisions import Decision
from lms.learning.progress import ACCEPTED, edition_progress
from lms.reviews.services import CriterionJudgement, decide
from tests.conftest import confirm_if_waiting, csrf_token, login
from tests.events.conftest import build_world


@pytest.fixture
def world(snapshot):
    """The events world: the mini programme in an edition running 2026-01-01..2027-12-31."""
    return snapshot(build_world)


def modules() -> dict[str, int]:
    return dict(db.session.execute(select(Module.slug, Module.id)).tuples().all())


def url(world) -> str:
    return f"/editions/{world['edition'].id}/deadlines"


def post_dates(client, world, dates: dict[str, str]):
    """Submit the form with ``dates`` by module slug (other modules' fields left as the page shows them)."""
    page = client.get(url(world)).get_data(as_text=True)
    data = {f"module-{modules()[slug]}": value for slug, value in dates.items()}
    return client.post(url(world), data={**data, "csrf_token": csrf_token(page)})


def saved() -> dict[str, date]:
    ids = {module_id: slug for slug, module_id in modules().items()}
    return {ids[row.module_id]: row.due_on for row in db.session.scalars(select(ModuleDeadline))}


def set_due(world, **dates: date) -> None:
    for slug, due_on in dates.items():
        db.session.add(ModuleDeadline(edition_id=world["edition"].id, module_id=modules()[slug], due_on=due_on,
                                      set_by_id=world["trainer"].id))  # fmt: skip
    db.session.commit()


def test_the_editions_trainer_sets_due_dates_and_the_change_is_audited(client, world):
    login(client, world["trainer"])
    edition_page = client.get(f"/editions/{world['edition'].id}/").get_data(as_text=True)
    assert url(world) in edition_page and "Terminy modułów" in edition_page
    page = client.get(url(world)).get_data(as_text=True)
    assert page.count('type="date"') == 3 and 'min="2026-01-01"' in page and 'max="2027-12-31"' in page

    response = post_dates(client, world, {"pierwszy": "2027-01-12", "drugi": "2027-03-01", "konsultacje": ""})
    assert response.status_code == 302
    assert saved() == {"pierwszy": date(2027, 1, 12), "drugi": date(2027, 3, 1)}
    assert "Zapisano 2 terminy." in client.get(response.location).get_data(as_text=True)
    actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.action.like("edition.deadline%"))).all()
    assert actions == ["edition.deadline_set", "edition.deadline_set"]
    # The edition page lists the dates next to the modules.
    assert "Termin: 12 stycznia 2027" in client.get(f"/editions/{world['edition'].id}/").get_data(as_text=True)


def test_a_date_outside_the_edition_saves_nothing_and_says_why_in_polish(client, world):
    login(client, world["admin"])
    response = post_dates(client, world, {"pierwszy": "2027-01-12", "drugi": "2028-01-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nic nie zapisano" in page
    assert "Termin musi przypadać w czasie trwania edycji, od 1 stycznia 2026 do 31 grudnia 2027." in page
    assert saved() == {}

    page = post_dates(client, world, {"pierwszy": "12.01.2027"}).get_data(as_text=True)
    assert "Podaj prawidłową datę (RRRR-MM-DD)." in page and saved() == {}


def test_an_empty_field_clears_the_due_date(client, world):
    set_due(world, pierwszy=date(2027, 1, 12), drugi=date(2027, 3, 1))
    login(client, world["trainer"])
    page = client.get(url(world)).get_data(as_text=True)
    assert 'value="2027-01-12"' in page
    assert post_dates(client, world, {"pierwszy": "", "drugi": "2027-03-01"}).status_code == 302
    assert saved() == {"drugi": date(2027, 3, 1)}
    cleared = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edition.deadline_cleared"))
    assert cleared.details == {"module_id": str(modules()["pierwszy"])}


def test_animators_coordinators_and_other_editions_trainers_may_not_set_due_dates(app, world, make_user):
    outsider = make_user(Role.TRAINER, name="Trener innej edycji")
    for person, status in ((world["animator"], 403), (world["coordinator"], 403), (outsider, 404)):
        client = app.test_client()
        login(client, person)
        assert client.get(url(world)).status_code == status
        token = csrf_token(client.get("/").get_data(as_text=True))
        data = {f"module-{modules()['pierwszy']}": "2027-01-12", "csrf_token": token}
        assert client.post(url(world), data=data).status_code == status
    assert saved() == {}


def test_the_module_page_shows_the_due_date_of_the_persons_edition(client, world):
    set_due(world, pierwszy=date(2027, 1, 12))
    login(client, world["animator"])
    page = client.get("/programmes/mini/modules/pierwszy/").get_data(as_text=True)
    assert "Termin: 12 stycznia 2027" in page
    assert "Termin:" not in client.get("/programmes/mini/modules/drugi/").get_data(as_text=True)


def _entries(ics: bytes) -> dict[str, object]:
    return {str(item["uid"]): item for item in Calendar.from_ical(ics).walk("VEVENT")}


def _accept(world, slug: str, scope: Scope) -> None:
    """The animator's (or their institution's) work on ``slug`` submitted and accepted by the trainer."""
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == slug))
    work = learning.work_for(world["animator"], world["edition"], assignment, scope)
    attempt = learning.submit(work, "Gotowe.", world["animator"])
    db.session.flush()
    confirm_if_waiting(attempt)  # staff's institution deliverable: its coordinator confirms it first
    judged = [CriterionJudgement(criterion.id, True) for criterion in attempt.assignment_version.criteria]
    decide(attempt, world["trainer"], judged, "", Decision.ACCEPTED)
    db.session.commit()


def test_the_feed_holds_due_dates_until_the_work_is_accepted(client, world):
    set_due(world, pierwszy=date(2027, 1, 12), drugi=date(2027, 3, 1))
    token = calendars.token_of(world["animator"])
    db.session.commit()
    anonymous = client.application.test_client()
    edition_id, first = world["edition"].id, modules()["pierwszy"]

    entries = _entries(anonymous.get(f"/calendar/{token}.ics").data)
    item = entries[f"deadline-{edition_id}-{first}@akademia.example"]
    assert str(item["summary"]) == "Termin: Pierwszy moduł"
    assert item.decoded("dtstart") == date(2027, 1, 12)  # a date: an all-day entry
    assert str(item["url"]).endswith("/programmes/mini/modules/pierwszy/")
    assert len([uid for uid in entries if uid.startswith("deadline-")]) == 2

    _accept(world, "profil", Scope.PERSON)
    entries = _entries(anonymous.get(f"/calendar/{token}.ics").data)
    assert [uid for uid in entries if uid.startswith("deadline-")] == [
        f"deadline-{edition_id}-{modules()['drugi']}@akademia.example"
    ]
    _accept(world, "mapa", Scope.INSTITUTION)  # the institution's deliverable counts for everyone in it
    assert not [uid for uid in _entries(anonymous.get(f"/calendar/{token}.ics").data) if uid.startswith("deadline-")]


def test_a_module_of_optional_assignments_leaves_the_feed_when_progress_shows_it_accepted(client, world):
    set_due(world, konsultacje=date(2027, 6, 1))  # its one assignment is optional: then every one counts
    token = calendars.token_of(world["animator"])
    db.session.commit()
    anonymous = client.application.test_client()
    due = f"deadline-{world['edition'].id}-{modules()['konsultacje']}@akademia.example"
    assert due in _entries(anonymous.get(f"/calendar/{token}.ics").data)

    _accept(world, "plan-konsultacji", Scope.INSTITUTION)
    assert due not in _entries(anonymous.get(f"/calendar/{token}.ics").data)
    shown = edition_progress(world["animator"], world["edition"])
    assert [m.status for level in shown.levels for m in level.modules if m.module.slug == "konsultacje"] == [ACCEPTED]
