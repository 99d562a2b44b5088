"""Level II support: consultations and agreed actions, the monitoring thread, indicator reports."""

import html
import io
import re
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.base import polish_today
from lms.certificates.checklist import institution_standings
from lms.content.models import Module, Programme
from lms.editions.models import Edition
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning.models import StoredFile
from lms.notifications.models import Notification
from lms.support import consulting, indicator_reporting, services
from lms.support.models import (
    AgreedAction,
    Consultation,
    ConsultationForm,
    IndicatorEvidence,
    IndicatorReport,
    MonitoringKind,
    MonitoringMessage,
    ReportStatus,
)
from tests.conftest import csrf_token, english, login

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 48


# --- the setting -------------------------------------------------------------------------


@pytest.fixture
def world(snapshot):
    """Institution A in edition E (trainer, second trainer), institution B in edition F (its own trainer)."""
    return snapshot(build_world)


def build_world(mini_programme, make_institution, make_user):
    own = make_institution("OPS A", Voivodeship.MAZOWIECKIE)
    other = make_institution("OPS B", Voivodeship.PODLASKIE)
    trainer = make_user(Role.TRAINER, name="Tomasz Trener")
    second_trainer = make_user(Role.TRAINER, name="Teresa Trenerka")
    trainer_other = make_user(Role.TRAINER, name="Olaf Obcy")
    programme = db.session.scalar(select(Programme))
    for name, institution, trainers in (("E", own, [trainer, second_trainer]), ("F", other, [trainer_other])):
        db.session.add(
            Edition(
                name=f"Edycja {name}", programme=programme, voivodeship=institution.voivodeship,
                starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1), trainers=trainers, institutions=[institution],
            )
        )  # fmt: skip
    db.session.commit()
    return SimpleNamespace(
        own=own, other=other, programme=programme, trainer=trainer, second_trainer=second_trainer,
        trainer_other=trainer_other,
        coordinator=make_user(Role.COORDINATOR, institution=own, name="Celina Koordynatorka"),
        animator=make_user(Role.ANIMATOR, institution=own, name="Anna Animatorka"),
        coordinator_other=make_user(Role.COORDINATOR, institution=other, name="Cezary Cudzy"),
        admin=make_user(Role.ADMIN, name="Adam Admin"),
    )  # fmt: skip


def signed_in(app, user):
    """A fresh browser signed in as ``user``, speaking English."""
    client = app.test_client()
    assert login(client, user).status_code == 302
    english(client)
    return client


def text_of(response) -> str:
    return html.unescape(response.get_data(as_text=True))


def field_errors(page: str, field: str) -> str:
    """The error messages shown next to the form field with id ``field``."""
    start = page.index(f'id="{field}"')
    block = page[start : page.find("</div>", page.find("invalid-feedback", start)) + 6]
    return html.unescape(" ".join(re.findall(r'class="invalid-feedback[^"]*"[^>]*>(.*?)</div>', block, re.S)))


def send(client, url: str, data: dict, files=None):
    """POST ``data`` (and uploads) to ``url`` with the CSRF token of the page at ``url``."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    payload = {**data, "csrf_token": csrf_token(page.get_data(as_text=True))}
    if files is not None:
        payload["evidence"] = files
        return client.post(url, data=payload, content_type="multipart/form-data")
    return client.post(url, data=payload)


def token_of(client) -> str:
    return csrf_token(client.get("/").get_data(as_text=True))


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


SUPPORT_EVENTS = ("consultation.", "agreed_action.", "monitoring.", "indicator_report.")


def audit_actions() -> list[str]:
    """The Level II audit events, oldest first (setting up people is audited too)."""
    db.session.expire_all()
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id))
    return [action for action in actions if action.startswith(SUPPORT_EVENTS)]


def notifications_of(user) -> list[Notification]:
    db.session.expire_all()
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()


def consultations_url(world) -> str:
    return f"/institutions/{world.own.id}/consultations/"


def consultation_data(world, **changes) -> dict:
    data = {
        "programme": world.programme.id,
        "held_on": "2026-03-05",
        "duration_minutes": "90",
        "mode": "on_site",
        "consultant": "Maria Konsultantka",
        "topic": "Klub Wolontariusza",
        "notes": "Rozmowa o naborze.\nDruga linia.",
        "actions-0-description": "Ogłosić nabór wolontariuszy",
        "actions-0-owner": "Celina",
        "actions-0-due_on": "2026-04-01",
        "actions-1-description": "Spotkanie z partnerami",
        "actions-1-owner": "Anna",
    }
    return {**data, **changes}


def log_consultation(client, world, **changes):
    return send(client, f"/institutions/{world.own.id}/consultations/new", consultation_data(world, **changes))


def make_consultation(world, held_on=date(2026, 3, 5), topic="Temat", actions=1) -> Consultation:
    consultation = consulting.log_consultation(
        world.own,
        world.programme,
        world.trainer,
        consulting.ConsultationInput(
            held_on=held_on, duration_minutes=60, form=ConsultationForm.ONLINE, consultant="K", topic=topic,
            actions=[consulting.ActionInput(f"Działanie {n}", "Celina") for n in range(actions)],
        ),
    )  # fmt: skip
    db.session.commit()
    return consultation


def indicators_url(world) -> str:
    return f"/institutions/{world.own.id}/indicators/new"


def report_data(**changes) -> dict:
    data = {
        "period_start": "2026-01-01",
        "period_end": "2026-06-30",
        "indicator-wolontariusze": "12",
        "description": "Pierwsze półrocze: Klub Wolontariusza.",
    }
    return {**data, **changes}


def make_report(world) -> IndicatorReport:
    report = indicator_reporting.submit_indicator_report(
        world.own,
        world.programme,
        world.coordinator,
        indicator_reporting.ReportInput(date(2026, 1, 1), date(2026, 6, 30), {"wolontariusze": 7}, "Opis"),
    )
    db.session.commit()
    return report


def decide(client, report_id: int, button: str, feedback: str = ""):
    return send(client, f"/indicator-reports/{report_id}/", {"feedback": feedback, button: "1"})


# --- consultations -----------------------------------------------------------------------


def test_trainer_logs_a_consultation_the_coordinator_closes_an_action(app, world):
    trainer = signed_in(app, world.trainer)
    assert trainer.get(consultations_url(world)).status_code == 200
    response = log_consultation(trainer, world)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(consultations_url(world))

    consultation = db.session.scalar(select(Consultation))
    assert (consultation.institution_id, consultation.programme_id) == (world.own.id, world.programme.id)
    assert (consultation.held_on, consultation.duration_minutes) == (date(2026, 3, 5), 90)
    assert consultation.form is ConsultationForm.ON_SITE
    assert consultation.logged_by_id == world.trainer.id
    assert consultation.notes == "Rozmowa o naborze.\nDruga linia."
    assert [(a.description, a.owner, a.due_on) for a in consultation.actions] == [
        ("Ogłosić nabór wolontariuszy", "Celina", date(2026, 4, 1)),
        ("Spotkanie z partnerami", "Anna", None),
    ]
    assert audit_actions() == ["consultation.logged"]
    assert len(notifications_of(world.coordinator)) == 1

    coordinator = signed_in(app, world.coordinator)
    page = text_of(coordinator.get(consultations_url(world)))
    assert "Klub Wolontariusza" in page and "Ogłosić nabór wolontariuszy" in page and "Maria Konsultantka" in page
    assert "Druga linia." in page
    first = consultation.actions[0]
    done_url = f"/institutions/{world.own.id}/agreed-actions/{first.id}/done"
    assert f'action="{done_url}"' in page
    response = coordinator.post(done_url, data={"csrf_token": token_of(coordinator)})
    assert response.status_code == 302
    db.session.expire_all()
    action = db.session.get(AgreedAction, first.id)
    assert action.done_at is not None and action.done_by_id == world.coordinator.id
    assert db.session.get(AgreedAction, consultation.actions[1].id).done_at is None
    assert audit_actions() == ["consultation.logged", "agreed_action.done"]
    assert len(notifications_of(world.trainer)) == 1  # the trainer who logged it hears of it

    done_at = action.done_at
    response = coordinator.post(done_url, data={"csrf_token": token_of(coordinator)}, follow_redirects=True)
    assert "This action had already been marked as done." in text_of(response)
    db.session.expire_all()
    assert db.session.get(AgreedAction, first.id).done_at == done_at
    assert audit_actions() == ["consultation.logged", "agreed_action.done"]

    for person in (world.animator, world.admin, world.trainer):
        page = text_of(signed_in(app, person).get(consultations_url(world)))
        assert "Ogłosić nabór wolontariuszy" in page
        assert f'action="{done_url}"' not in page


def test_consultations_are_listed_newest_first_with_bounded_queries(app, world, count_queries):
    make_consultation(world, date(2026, 2, 1), "Starsza konsultacja")
    make_consultation(world, date(2026, 5, 1), "Nowsza konsultacja")
    client, url = signed_in(app, world.coordinator), consultations_url(world)
    page = text_of(client.get(url))
    assert page.index("Nowsza konsultacja") < page.index("Starsza konsultacja")
    with count_queries() as few:
        client.get(url)
    for n in range(6):
        make_consultation(world, date(2026, 1, 1 + n), f"Konsultacja {n}", actions=3)
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"duration_minutes": "0"}, "duration_minutes", "Enter a whole number of minutes from 15 to 600."),
        ({"duration_minutes": "601"}, "duration_minutes", "Enter a whole number of minutes from 15 to 600."),
        ({"duration_minutes": "1,5"}, "duration_minutes", "Enter a whole number of minutes from 15 to 600."),
        ({"duration_minutes": ""}, "duration_minutes", "This field is required."),
        ({"held_on": "2026-02-31"}, "held_on", "Enter a valid date (YYYY-MM-DD)."),
        ({"held_on": "2099-01-01"}, "held_on", "the date cannot be in the future"),
        ({"held_on": "2999-01-01"}, "held_on", "Choose a date between"),
        ({"held_on": "1999-05-05"}, "held_on", "Choose a date between"),
        ({"held_on": "2025-12-31"}, "held_on", "before the institution began the programme (January 1, 2026)"),
        ({"mode": "letter"}, "mode", "Not a valid choice."),
        ({"programme": "999"}, "programme", "Not a valid choice."),
        ({"topic": "   "}, "topic", "This field is required."),
        ({"consultant": "x" * 201}, "consultant", "Field cannot be longer than 200 characters."),
        ({"actions-2-owner": "Ktoś"}, "actions-2-description", "Describe the action, or clear the whole row."),
        ({"actions-2-due_on": "2026-05-01"}, "actions-2-description", "Describe the action, or clear the whole row."),
        ({"actions-1-owner": ""}, "actions-1-owner", "Say who will do it."),
        ({"actions-0-due_on": "jutro"}, "actions-0-due_on", "Enter a valid date (YYYY-MM-DD)."),
    ],
)
def test_bad_consultation_input_is_a_form_error_and_nothing_is_saved(app, world, changes, field, message):
    trainer = signed_in(app, world.trainer)
    response = log_consultation(trainer, world, **changes)
    assert response.status_code == 200
    assert message in field_errors(response.get_data(as_text=True), field)
    assert count(Consultation) == count(AgreedAction) == len(audit_actions()) == 0


def test_consultation_access(app, world):
    consultation = make_consultation(world)
    action_id = consultation.actions[0].id
    list_url = consultations_url(world)
    new_url = f"/institutions/{world.own.id}/consultations/new"
    done_url = f"/institutions/{world.own.id}/agreed-actions/{action_id}/done"
    expected = {
        # person: (list GET, new GET, new POST, done POST)
        "coordinator_other": (404, 404, 404, 404),
        "trainer_other": (404, 404, 404, 404),
        "animator": (200, 403, 403, 403),
        "admin": (200, 403, 403, 403),
        "trainer": (200, 200, 200, 403),
        "coordinator": (200, 403, 403, 302),
    }
    for name, codes in expected.items():
        client = signed_in(app, getattr(world, name))
        token = token_of(client)
        got = (
            client.get(list_url).status_code,
            client.get(new_url).status_code,
            client.post(new_url, data={"csrf_token": token}).status_code,
            client.post(done_url, data={"csrf_token": token}).status_code,
        )
        assert got == codes, name
    anonymous = app.test_client()
    assert anonymous.get(list_url).status_code == 302
    assert count(Consultation) == 1
    db.session.expire_all()
    assert [event for event in audit_actions() if event == "agreed_action.done"] == ["agreed_action.done"]


def test_an_action_of_another_institution_is_not_found(app, world):
    consultation = make_consultation(world)
    coordinator_other = signed_in(app, world.coordinator_other)
    url = f"/institutions/{world.other.id}/agreed-actions/{consultation.actions[0].id}/done"
    assert coordinator_other.post(url, data={"csrf_token": token_of(coordinator_other)}).status_code == 404
    db.session.expire_all()
    assert db.session.get(AgreedAction, consultation.actions[0].id).done_at is None


def test_a_programme_the_institution_does_not_take_part_in_is_not_found(app, world):
    client = signed_in(app, world.coordinator)
    for section in ("consultations/", "monitoring/", "indicators/", "indicators/new"):
        assert client.get(f"/institutions/{world.own.id}/{section}?programme=999").status_code == 404


# --- the monitoring thread ---------------------------------------------------------------


def test_need_and_proposal_make_one_thread_both_sides_see(app, world):
    url = f"/institutions/{world.own.id}/monitoring/"
    coordinator = signed_in(app, world.coordinator)
    page = text_of(coordinator.get(url))
    assert "State a need of your team" in page
    response = send(coordinator, url, {"text": "Nasz zespół potrzebuje szkolenia z pracy z wolontariuszami."})
    assert response.status_code == 302
    assert {n.user_id for n in notifications_of(world.trainer)} == {world.trainer.id}
    assert len(notifications_of(world.second_trainer)) == 1
    assert notifications_of(world.trainer_other) == []

    trainer = signed_in(app, world.trainer)
    page = text_of(trainer.get(url))
    assert "Nasz zespół potrzebuje szkolenia" in page and "Propose a training" in page
    module = db.session.scalar(select(Module).order_by(Module.level_number, Module.position))
    response = send(trainer, url, {"module": str(module.id), "text": "Proponuję moduł o wolontariacie."})
    assert response.status_code == 302
    response = send(trainer, url, {"consultation": "y", "text": "Albo konsultację indywidualną."})
    assert response.status_code == 302
    assert len(notifications_of(world.coordinator)) == 2

    messages = db.session.scalars(select(MonitoringMessage).order_by(MonitoringMessage.id)).all()
    assert [m.kind for m in messages] == [MonitoringKind.NEED, MonitoringKind.PROPOSAL, MonitoringKind.PROPOSAL]
    assert messages[1].proposed_module_id == module.id and not messages[1].proposes_consultation
    assert messages[2].proposed_module_id is None and messages[2].proposes_consultation
    assert audit_actions() == ["monitoring.need", "monitoring.proposal", "monitoring.proposal"]

    for person in (world.coordinator, world.trainer, world.animator, world.admin):
        page = text_of(signed_in(app, person).get(url))
        positions = [page.index(t) for t in ("Nasz zespół", "Proponuję moduł", "Albo konsultację")]
        assert positions == sorted(positions), person.name
        assert module.current_version.title in page and "Proposed: an individual consultation" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"text": "Bez propozycji."}, "module", "Choose a module or propose an individual consultation."),
        ({"module": "999", "text": "Zły moduł."}, "module", "Not a valid choice."),
        ({"consultation": "y", "text": "  "}, "text", "This field is required."),
    ],
)
def test_a_proposal_without_module_or_consultation_or_text_is_refused(app, world, data, field, message):
    trainer = signed_in(app, world.trainer)
    response = send(trainer, f"/institutions/{world.own.id}/monitoring/", data)
    assert response.status_code == 200
    assert message in field_errors(response.get_data(as_text=True), field)
    assert count(MonitoringMessage) == 0


def test_monitoring_access(app, world):
    url = f"/institutions/{world.own.id}/monitoring/"
    expected = {
        "coordinator_other": (404, 404),
        "trainer_other": (404, 404),
        "animator": (200, 403),
        "admin": (200, 403),
        "coordinator": (200, 200),  # the empty form comes back with its error
        "trainer": (200, 200),
    }
    for name, codes in expected.items():
        client = signed_in(app, getattr(world, name))
        got = (client.get(url).status_code, client.post(url, data={"csrf_token": token_of(client)}).status_code)
        assert got == codes, name
    assert count(MonitoringMessage) == 0
    assert app.test_client().get(url).status_code == 302


# --- indicator reports -------------------------------------------------------------------


def test_coordinator_reports_indicators_and_a_trainer_accepts(app, world):
    coordinator = signed_in(app, world.coordinator)
    assert f'href="/institutions/{world.own.id}/indicators/new' in text_of(
        coordinator.get(f"/institutions/{world.own.id}/indicators/")
    )
    page = text_of(coordinator.get(indicators_url(world)))
    assert "Wolontariusze" in page and 'name="indicator-wolontariusze"' in page
    response = send(coordinator, indicators_url(world), report_data(), files=[(io.BytesIO(PDF), "lista.pdf")])
    assert response.status_code == 302
    report = db.session.scalar(select(IndicatorReport))
    assert response.headers["Location"] == f"/indicator-reports/{report.id}/"
    assert report.values == {"wolontariusze": 12}
    assert (report.period_start, report.period_end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert report.status is ReportStatus.SUBMITTED and report.submitted_by_id == world.coordinator.id
    assert [e.filename for e in report.evidence] == ["lista.pdf"]
    assert audit_actions() == ["indicator_report.submitted"]
    assert len(notifications_of(world.trainer)) == 1 and notifications_of(world.trainer_other) == []
    state = institution_standings([world.own.id], world.programme.id)[world.own.id]
    assert state.latest_report_id == report.id and not state.report_accepted

    evidence = report.evidence[0]
    for person in (world.coordinator, world.animator, world.trainer, world.admin):
        download = signed_in(app, person).get(f"/indicator-evidence/{evidence.id}")
        assert download.status_code == 200 and download.data == PDF
        assert (
            download.headers["Content-Disposition"].startswith("attachment")
            and "lista.pdf" in (download.headers["Content-Disposition"])
        )
        assert download.mimetype == "application/pdf"

    trainer = signed_in(app, world.trainer)
    page = text_of(trainer.get(f"/indicator-reports/{report.id}/"))
    assert "Wolontariusze" in page and ">12<" in page and "Return for correction" in page
    assert f'href="/indicator-evidence/{evidence.id}"' in page
    response = decide(trainer, report.id, "accept")
    assert response.status_code == 302
    db.session.expire_all()
    report = db.session.get(IndicatorReport, report.id)
    assert report.status is ReportStatus.ACCEPTED and report.decided_by_id == world.trainer.id
    assert report.decided_at is not None
    assert audit_actions() == ["indicator_report.submitted", "indicator_report.accepted"]
    assert len(notifications_of(world.coordinator)) == 1
    assert institution_standings([world.own.id], world.programme.id)[world.own.id].report_accepted
    list_page = text_of(coordinator.get(f"/institutions/{world.own.id}/indicators/"))
    assert "accepted" in list_page and "Tomasz Trener" in list_page
    assert "Return for correction" not in text_of(trainer.get(f"/indicator-reports/{report.id}/"))


def test_a_returned_report_needs_feedback_and_is_corrected_by_a_new_one(app, world):
    report = make_report(world)
    trainer = signed_in(app, world.trainer)
    response = decide(trainer, report.id, "send_back")
    assert response.status_code == 200
    assert "Write what to correct before returning the report." in field_errors(
        response.get_data(as_text=True), "feedback"
    )
    db.session.expire_all()
    assert db.session.get(IndicatorReport, report.id).status is ReportStatus.SUBMITTED

    assert decide(trainer, report.id, "send_back", "Podajcie liczbę z listy obecności.").status_code == 302
    db.session.expire_all()
    returned = db.session.get(IndicatorReport, report.id)
    assert returned.status is ReportStatus.RETURNED and returned.feedback == "Podajcie liczbę z listy obecności."
    assert audit_actions() == ["indicator_report.submitted", "indicator_report.returned"]
    assert len(notifications_of(world.coordinator)) == 1

    coordinator = signed_in(app, world.coordinator)
    page = text_of(coordinator.get(f"/indicator-reports/{report.id}/"))
    assert "Podajcie liczbę z listy obecności." in page and "Submit a corrected report" in page
    assert send(coordinator, indicators_url(world), report_data(**{"indicator-wolontariusze": "9"})).status_code == 302
    state = institution_standings([world.own.id], world.programme.id)[world.own.id]
    assert state.latest_report_id != report.id and state.latest_report_status is ReportStatus.SUBMITTED
    latest = db.session.get(IndicatorReport, state.latest_report_id)
    assert latest.values == {"wolontariusze": 9}
    db.session.expire_all()
    assert db.session.get(IndicatorReport, report.id).status is ReportStatus.RETURNED  # history is kept
    assert not institution_standings([world.own.id], world.programme.id)[world.own.id].report_accepted


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"period_end": "2025-12-31"}, "period_end", "The end of the period cannot be before its start."),
        ({"period_start": "1.1.2026"}, "period_start", "Enter a valid date (YYYY-MM-DD)."),
        ({"period_start": "1990-01-01"}, "period_start", "Choose a date between"),
        (
            {"period_start": "2025-12-31"},
            "period_start",
            "before the institution began the programme (January 1, 2026)",
        ),
        ({"period_end": "2099-12-31"}, "period_end", "Report a period that has ended"),
        ({"indicator-wolontariusze": "-1"}, "indicator-wolontariusze", "Enter a whole number, 0 or more."),
        ({"indicator-wolontariusze": "2.5"}, "indicator-wolontariusze", "Enter a whole number, 0 or more."),
        ({"indicator-wolontariusze": "dużo"}, "indicator-wolontariusze", "Enter a whole number, 0 or more."),
        ({"indicator-wolontariusze": ""}, "indicator-wolontariusze", "Enter a value (0 if there were none)."),
        ({"description": ""}, "description", "This field is required."),
    ],
)
def test_bad_indicator_input_is_a_form_error_and_nothing_is_saved(app, world, changes, field, message):
    coordinator = signed_in(app, world.coordinator)
    response = send(coordinator, indicators_url(world), report_data(**changes))
    assert response.status_code == 200
    assert message in field_errors(response.get_data(as_text=True), field)
    assert count(IndicatorReport) == len(audit_actions()) == 0


def test_the_period_may_end_today_but_not_tomorrow_and_a_consultation_may_be_today(app, world):
    today = polish_today()
    period = {"period_start": "2026-07-01"}
    with pytest.raises(services.SupportError, match="już się zakończył"):  # Polish: the default locale
        indicator_reporting.submit_indicator_report(
            world.own, world.programme, world.coordinator,
            indicator_reporting.ReportInput(date(2026, 7, 1), today + timedelta(days=1), {"wolontariusze": 1}, "Trwa."),
        )  # fmt: skip
    coordinator = signed_in(app, world.coordinator)
    response = send(coordinator, indicators_url(world), report_data(**period, period_end=today.isoformat()))
    assert response.status_code == 302 and count(IndicatorReport) == 1
    trainer = signed_in(app, world.trainer)
    assert log_consultation(trainer, world, held_on=today.isoformat()).status_code == 302
    assert count(Consultation) == 1


def test_a_report_saved_with_an_impossible_period_cannot_be_accepted_only_returned(world):
    report = IndicatorReport(
        institution_id=world.own.id, programme_id=world.programme.id, period_start=date(2030, 1, 1),
        period_end=date(2030, 12, 31), values={"wolontariusze": 1}, description="Sprzed reguł.",
        submitted_by_id=world.coordinator.id, status=ReportStatus.SUBMITTED,
    )  # fmt: skip
    db.session.add(report)
    db.session.commit()
    with pytest.raises(services.SupportError, match="zwróć ten raport do poprawy"):
        indicator_reporting.decide_report(report, world.trainer, accept=True, feedback="")
    db.session.rollback()
    assert db.session.get(IndicatorReport, report.id).status is ReportStatus.SUBMITTED
    indicator_reporting.decide_report(report, world.trainer, accept=False, feedback="Okres jeszcze trwa.")
    db.session.commit()
    assert not institution_standings([world.own.id], world.programme.id)[world.own.id].report_accepted


def test_a_missing_indicator_field_is_refused(app, world):
    coordinator = signed_in(app, world.coordinator)
    data = report_data()
    del data["indicator-wolontariusze"]
    response = send(coordinator, indicators_url(world), data)
    assert response.status_code == 200
    assert "Enter a value (0 if there were none)." in field_errors(
        response.get_data(as_text=True), "indicator-wolontariusze"
    )
    assert count(IndicatorReport) == 0


def test_zero_is_a_valid_indicator_value(app, world):
    coordinator = signed_in(app, world.coordinator)
    assert send(coordinator, indicators_url(world), report_data(**{"indicator-wolontariusze": "0"})).status_code == 302
    assert db.session.scalar(select(IndicatorReport)).values == {"wolontariusze": 0}


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([(io.BytesIO(EXE), "program.pdf")], "program.pdf: This file type is not allowed."),
        ([(io.BytesIO(b""), "pusty.pdf")], "pusty.pdf: The file is empty."),
        ([(io.BytesIO(PDF), "lista.txt")], "lista.txt: The file name ends with .txt, but the file is really PDF."),
        ([(io.BytesIO(PDF), f"plik-{n}.pdf") for n in range(4)], "At most 3 evidence files."),
    ],
    ids=["disallowed", "empty", "disguised", "too-many"],
)
def test_bad_evidence_files_are_refused_and_nothing_is_stored(app, world, files, message):
    coordinator = signed_in(app, world.coordinator)
    response = send(coordinator, indicators_url(world), report_data(), files=files)
    assert response.status_code == 200
    assert message in field_errors(response.get_data(as_text=True), "evidence")
    assert (count(IndicatorReport), count(IndicatorEvidence), count(StoredFile)) == (0, 0, 0)


def test_an_oversize_evidence_file_is_refused(app, world):
    coordinator = signed_in(app, world.coordinator)
    limit = app.config["MAX_ATTACHMENT_BYTES"]
    app.config["MAX_ATTACHMENT_BYTES"] = len(PDF) - 1
    try:
        response = send(coordinator, indicators_url(world), report_data(), files=[(io.BytesIO(PDF), "duzy.pdf")])
    finally:
        app.config["MAX_ATTACHMENT_BYTES"] = limit
    assert response.status_code == 200
    assert "duzy.pdf: The file is too large." in field_errors(response.get_data(as_text=True), "evidence")
    assert (count(IndicatorReport), count(StoredFile)) == (0, 0)


def test_three_evidence_files_are_kept(app, world):
    coordinator = signed_in(app, world.coordinator)
    files = [(io.BytesIO(PDF), f"plik-{n}.pdf") for n in range(3)]
    assert send(coordinator, indicators_url(world), report_data(), files=files).status_code == 302
    report = db.session.scalar(select(IndicatorReport))
    assert [e.filename for e in report.evidence] == ["plik-0.pdf", "plik-1.pdf", "plik-2.pdf"]
    assert count(StoredFile) == 3


def test_the_first_decision_wins(app, world):
    report = make_report(world)
    first, second = signed_in(app, world.trainer), signed_in(app, world.second_trainer)
    url = f"/indicator-reports/{report.id}/"
    token = csrf_token(second.get(url).get_data(as_text=True))  # both have the page open
    assert decide(first, report.id, "accept").status_code == 302
    response = second.post(url, data={"csrf_token": token, "feedback": "Źle.", "send_back": "1"})
    assert response.status_code == 200
    assert "This report has already been decided by Tomasz Trener. Nothing was changed." in text_of(response)
    db.session.expire_all()
    decided = db.session.get(IndicatorReport, report.id)
    assert (decided.status, decided.decided_by_id, decided.feedback) == (ReportStatus.ACCEPTED, world.trainer.id, "")
    assert audit_actions() == ["indicator_report.submitted", "indicator_report.accepted"]


def test_the_guarded_update_refuses_a_decision_on_a_stale_report(app, world):
    """Two trainers load the report while it waits; the later write finds no submitted row and changes nothing."""
    report = make_report(world)
    stale = db.session.get(IndicatorReport, report.id)
    assert stale.status is ReportStatus.SUBMITTED
    assert decide(signed_in(app, world.trainer), report.id, "send_back", "Popraw.").status_code == 302
    assert stale.status is ReportStatus.SUBMITTED  # this session has not seen the decision
    with force_locale("en"), pytest.raises(services.SupportError, match="already been decided by Tomasz Trener"):
        indicator_reporting.decide_report(stale, world.second_trainer, True, "")
    db.session.expire_all()
    decided = db.session.get(IndicatorReport, report.id)
    assert (decided.status, decided.decided_by_id) == (ReportStatus.RETURNED, world.trainer.id)
    assert audit_actions() == ["indicator_report.submitted", "indicator_report.returned"]


def test_indicator_report_access(app, world):
    report = make_report(world)
    stored = StoredFile(sha256="0" * 64, size=len(PDF), mime="application/pdf", content=PDF)
    db.session.add(stored)
    db.session.flush()
    evidence = IndicatorEvidence(report_id=report.id, stored_file_id=stored.id, filename="lista.pdf")
    db.session.add(evidence)
    db.session.commit()
    urls = {
        "list": f"/institutions/{world.own.id}/indicators/",
        "new": indicators_url(world),
        "report": f"/indicator-reports/{report.id}/",
        "evidence": f"/indicator-evidence/{evidence.id}",
    }
    expected = {
        # person: (list, new GET, new POST, report GET, report POST, evidence)
        "coordinator_other": (404, 404, 404, 404, 404, 404),
        "trainer_other": (404, 404, 404, 404, 404, 404),
        "animator": (200, 403, 403, 200, 403, 200),
        "admin": (200, 403, 403, 200, 403, 200),
        "coordinator": (200, 200, 200, 200, 403, 200),
        "trainer": (200, 403, 403, 200, 200, 200),  # an empty decision form comes back with its error
    }
    for name, codes in expected.items():
        client = signed_in(app, getattr(world, name))
        token = token_of(client)
        got = (
            client.get(urls["list"]).status_code,
            client.get(urls["new"]).status_code,
            client.post(urls["new"], data={"csrf_token": token}).status_code,
            client.get(urls["report"]).status_code,
            client.post(urls["report"], data={"csrf_token": token}).status_code,
            client.get(urls["evidence"]).status_code,
        )
        assert got == codes, name
    anonymous = app.test_client()
    assert {anonymous.get(url).status_code for url in urls.values()} == {302}
    assert count(IndicatorReport) == 1
    db.session.expire_all()
    assert db.session.get(IndicatorReport, report.id).status is ReportStatus.SUBMITTED


# --- for the certification checklist -----------------------------------------------------


def test_checklist_counts_consultations_and_reports(world):
    own, other, programme = world.own.id, world.other.id, world.programme.id
    state = institution_standings([own], programme)[own]
    assert state.consultations == 0 and state.latest_report_id is None and not state.report_accepted
    make_consultation(world)
    make_consultation(world)
    state = institution_standings([own, other], programme)
    assert (state[own].consultations, state[other].consultations) == (2, 0)
    first = make_report(world)
    indicator_reporting.decide_report(first, world.trainer, True, "")
    db.session.commit()
    second = make_report(world)
    state = institution_standings([own, other], programme)
    assert state[own].latest_report_id == second.id and state[own].report_accepted
    assert state[other].latest_report_id is None and not state[other].report_accepted


def test_the_institution_page_links_to_level_two(app, world):
    page = text_of(signed_in(app, world.animator).get(f"/institutions/{world.own.id}/"))
    for section in ("consultations/", "monitoring/", "indicators/"):
        assert f'href="/institutions/{world.own.id}/{section}"' in page
