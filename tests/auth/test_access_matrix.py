"""Every route × every role: the outcome the access policy promises.

Routes are read from ``app.url_map``, so a new route without an expectation here fails the test.
"""

from datetime import date, datetime

import pytest
from sqlalchemy import inspect, select

from lms.accounts.models import Role
from lms.api.services import create_token
from lms.certificates import codes
from lms.certificates.credential import issue_credential
from lms.certificates.models import Certificate, CertificateKind, CertificationApplication
from lms.content.models import Assignment, Programme
from lms.content.spec import EventKind, Scope
from lms.credentials import keys
from lms.editions.models import Edition, Enrolment
from lms.events import places
from lms.events import services as events
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import allocation
from lms.learning import services as learning
from lms.learning.files import check_upload
from lms.learning.models import Attachment
from lms.reviews import comment_bank
from lms.support import consulting, indicator_reporting
from lms.support.models import ConsultationForm
from tests.conftest import csrf_token, login

ROLES = [
    "anonymous", "animator", "animator_other", "coordinator", "coordinator_other", "trainer", "trainer_other", "admin",
]  # fmt: skip
LOGIN = 302  # anonymous visitors are sent to sign in


def everyone(code):
    return dict.fromkeys(ROLES, code)


def signed_in(code=200):
    return {**everyone(code), "anonymous": LOGIN}


ADMIN_ONLY = {**everyone(403), "anonymous": LOGIN, "admin": 200}
# Objects of institution A / edition E (see the ``world`` fixture). Who may not even see an object
# gets 404 (its existence does not leak); who sees it but may not act on it gets 403.
SEES_A = {"animator": 200, "coordinator": 200, "trainer": 200, "admin": 200}
VIEW_INSTITUTION_A = {**everyone(404), "anonymous": LOGIN, **SEES_A}
EDIT_INSTITUTION_A = {**VIEW_INSTITUTION_A, "animator": 403, "trainer": 403}
VIEW_EDITION_E = VIEW_INSTITUTION_A
EDIT_EDITION_E = {**VIEW_EDITION_E, "animator": 403, "coordinator": 403, "trainer": 403}
ENROL_EDITION_E = {**VIEW_EDITION_E, "animator": 403, "trainer": 403}
INVITE = {**everyone(403), "anonymous": LOGIN, "coordinator": 200, "coordinator_other": 200, "admin": 200}
# The animator's person-scope work in edition E: they, their coordinator, the edition's trainer, admins see it.
VIEW_WORK = VIEW_INSTITUTION_A
OWN_WORK = {**everyone(404), "anonymous": LOGIN, "animator": 200}  # only one's own work has an editor
TRAINERS = {**everyone(403), "anonymous": LOGIN, "trainer": 200, "trainer_other": 200}
# Deciding: only the edition's trainer; those who see the attempt get 403.
REVIEW_POST = {**VIEW_WORK, "animator": 403, "coordinator": 403, "admin": 403}
# Level II: trainers of institution A support it, its coordinator reports; others who see it get 403.
SUPPORT_A = {**VIEW_INSTITUTION_A, "animator": 403, "coordinator": 403, "admin": 403}
API_USERS = {**signed_in(), "animator": 403, "animator_other": 403}
POSTED = {"trainer": 302, "admin": 302}  # a one-click or empty form that goes back
COORDINATE_A = {**VIEW_INSTITUTION_A, "animator": 403, "trainer": 403, "admin": 403}
# The audit log: admins read all of it, every coordinator their own institution's part.
AUDIT_LOG = {**ADMIN_ONLY, "coordinator": 200, "coordinator_other": 200}

# (endpoint, method) -> expected status per role. A POST carries a valid CSRF token and an empty
# form: an allowed user gets the form back with errors (200) or a redirect for one-click actions.
EXPECTED = {
    ("static", "GET"): everyone(200),
    ("bootstrap.static", "GET"): everyone(200),
    ("main.home", "GET"): everyone(200),
    ("main.health", "GET"): everyone(200),
    ("ops.ready", "GET"): everyone(200),
    ("ops.prometheus_metrics", "GET"): everyone(403),  # only configured addresses or the token (tests/ops)
    ("ops.system_status", "GET"): ADMIN_ONLY,
    ("main.accessibility", "GET"): everyone(200),
    ("content.answer_template", "GET"): everyone(200),
    ("content.level_workbook", "GET"): everyone(200),
    ("main.set_language", "POST"): everyone(302),
    ("content.catalogue", "GET"): everyone(200),
    ("content.programme", "GET"): everyone(200),
    ("content.module", "GET"): everyone(200),
    ("accounts.login", "GET"): everyone(200),
    ("accounts.login", "POST"): everyone(200),
    ("accounts.logout", "POST"): everyone(302),
    ("accounts.logout_everywhere", "POST"): signed_in(302),
    ("accounts.profile", "GET"): signed_in(),
    ("accounts.profile", "POST"): signed_in(),  # the form comes back: no name given
    ("accounts.change_password", "GET"): signed_in(),
    ("accounts.change_password", "POST"): signed_in(),
    ("accounts.forgotten_password", "GET"): everyone(200),
    ("accounts.forgotten_password", "POST"): everyone(200),
    ("accounts.reset_password", "GET"): everyone(400),  # the test uses a bogus token
    ("accounts.reset_password", "POST"): everyone(400),
    ("accounts.accept_invitation", "GET"): everyone(400),
    ("accounts.accept_invitation", "POST"): everyone(400),
    ("accounts.invite", "GET"): INVITE,
    ("accounts.invite", "POST"): INVITE,
    # The second step of signing in: without a password just given, back to the sign-in form.
    ("second_step.code", "GET"): everyone(302),
    ("second_step.code", "POST"): everyone(302),
    ("second_step.enrol", "GET"): everyone(302),
    ("second_step.enrol", "POST"): everyone(302),
    ("institutions.index", "GET"): ADMIN_ONLY,
    ("institutions.create", "GET"): ADMIN_ONLY,
    ("institutions.create", "POST"): ADMIN_ONLY,
    ("institutions.show", "GET"): VIEW_INSTITUTION_A,
    ("institutions.edit", "GET"): EDIT_INSTITUTION_A,
    # Fields missing from a POST keep their values, so an empty edit is a no-op save.
    ("institutions.edit", "POST"): {**EDIT_INSTITUTION_A, "coordinator": 302, "admin": 302},
    ("editions.index", "GET"): signed_in(),
    ("editions.create", "GET"): ADMIN_ONLY,
    ("editions.create", "POST"): ADMIN_ONLY,
    ("editions.show", "GET"): VIEW_EDITION_E,
    ("editions.edit", "GET"): EDIT_EDITION_E,
    ("editions.edit", "POST"): EDIT_EDITION_E,
    ("editions.enrol", "GET"): ENROL_EDITION_E,
    ("editions.enrol", "POST"): ENROL_EDITION_E,
    # Module due dates: the edition's trainers and admins (an empty form clears nothing and goes back).
    ("editions.module_deadlines", "GET"): {**VIEW_EDITION_E, "animator": 403, "coordinator": 403},
    ("editions.module_deadlines", "POST"): {**VIEW_EDITION_E, "animator": 403, "coordinator": 403, **POSTED},
    ("admin.people", "GET"): ADMIN_ONLY,
    ("admin.person", "GET"): ADMIN_ONLY,
    ("admin.person", "POST"): ADMIN_ONLY,
    ("admin.reset_second_factor", "POST"): {**ADMIN_ONLY, "admin": 302},  # nothing to reset: a message
    ("audit_log.index", "GET"): AUDIT_LOG,
    ("audit_log.export_csv", "GET"): AUDIT_LOG,
    ("learning.work", "GET"): OWN_WORK,
    ("learning.work", "POST"): OWN_WORK,  # the form comes back: the attempt waits for a decision
    ("learning.detach", "POST"): {**OWN_WORK, "animator": 302},  # "not in your draft" is flashed
    ("learning.work_detail", "GET"): {**VIEW_WORK, "animator": 302},  # the owner is led to their one work page
    ("learning.download", "GET"): VIEW_WORK,
    # Only an institution deliverable is confirmed (by its coordinator): this person work is nobody's to confirm.
    ("learning.confirm", "POST"): {**VIEW_WORK, "animator": 403, "coordinator": 403, "trainer": 403, "admin": 403},
    ("reviews.queue", "GET"): TRAINERS,
    ("reviews.review", "GET"): VIEW_WORK,
    ("reviews.review", "POST"): REVIEW_POST,  # the trainer gets the form back: no criterion marked
    ("reviews.comment_bank_page", "GET"): TRAINERS,
    # One's own saved comment only: another trainer's does not exist for them.
    ("reviews.edit_saved_comment", "POST"): {**TRAINERS, "trainer_other": 404},  # the form comes back: no text
    ("reviews.delete_saved_comment", "POST"): {**TRAINERS, "trainer": 302, "trainer_other": 404},
    ("certificates.mine", "GET"): signed_in(),
    ("certificates.institution", "GET"): VIEW_INSTITUTION_A,
    # Applying is the coordinator's (refused here with a message: the checklist is incomplete).
    ("certificates.apply", "POST"): {
        **VIEW_INSTITUTION_A,
        "animator": 403,
        "trainer": 403,
        "admin": 403,
        "coordinator": 302,
    },
    ("certificates.applications", "GET"): ADMIN_ONLY,
    ("certificates.portfolio", "GET"): ADMIN_ONLY,
    ("certificates.portfolio", "POST"): ADMIN_ONLY,
    ("certificates.download", "GET"): {**VIEW_INSTITUTION_A, "trainer": 404},  # holder, coordinator, admin
    ("certificates.credential", "GET"): {**VIEW_INSTITUTION_A, "trainer": 404},  # holder, coordinator, admin
    ("certificates.qr", "GET"): {**VIEW_INSTITUTION_A, "trainer": 404},
    ("certificates.verify_credential", "POST"): everyone(200),  # the form comes back: nothing to check
    ("credentials.jwks", "GET"): everyone(200),
    ("credentials.public_key", "GET"): everyone(200),
    ("credentials.issuer", "GET"): everyone(200),
    ("credentials.achievement", "GET"): everyone(200),
    ("credentials.status_list", "GET"): everyone(200),
    ("certificates.revoke", "POST"): {**ADMIN_ONLY, "admin": 302},  # refused with a message: no reason given
    ("certificates.verify", "GET"): everyone(200),
    ("certificates.verify_code", "GET"): everyone(200),
    ("certificates.registry", "GET"): everyone(200),
    ("figures.page", "GET"): everyone(200),  # public; a coordinator also sees their own institution's figures
    ("figures.csv", "GET"): everyone(200),
    ("support.consultations", "GET"): VIEW_INSTITUTION_A,
    ("support.log_consultation", "GET"): SUPPORT_A,
    ("support.log_consultation", "POST"): SUPPORT_A,  # the trainer gets the form back with errors
    ("support.complete_action", "POST"): {**COORDINATE_A, "coordinator": 302},
    ("support.monitoring", "GET"): VIEW_INSTITUTION_A,
    ("support.monitoring", "POST"): {**VIEW_INSTITUTION_A, "animator": 403, "admin": 403},  # need or proposal
    ("support.indicators", "GET"): VIEW_INSTITUTION_A,
    ("support.report_indicators", "GET"): COORDINATE_A,
    ("support.report_indicators", "POST"): COORDINATE_A,
    ("support.report", "GET"): VIEW_INSTITUTION_A,
    ("support.report", "POST"): SUPPORT_A,
    ("support.evidence", "GET"): VIEW_INSTITUTION_A,
    # The JSON API authenticates by token only: the session cookie this test signs in with opens nothing
    # (tests/api/test_api_matrix.py walks the API with tokens for every role).
    ("api.openapi_document", "GET"): everyone(200),
    ("api.programmes", "GET"): everyone(200),
    ("api.programme", "GET"): everyone(200),
    ("api.verify", "GET"): everyone(200),
    ("api.editions", "GET"): everyone(401),
    ("api.edition", "GET"): everyone(401),
    ("api.institution_progress", "GET"): everyone(401),
    ("api.institution_checklist", "GET"): everyone(401),
    ("api.certificates", "GET"): everyone(401),
    ("rights.notice", "GET"): everyone(200),
    ("rights.export_schema", "GET"): everyone(200),
    ("rights.my_data", "GET"): signed_in(),
    ("rights.my_data", "POST"): signed_in(),  # one's own data only: the ZIP
    ("rights.download_export", "GET"): signed_in(404),  # only one's own export, and there is none here
    ("rights.notice_seen", "POST"): {**everyone(302), "anonymous": LOGIN},
    ("rights.redact", "POST"): {**ADMIN_ONLY, "admin": 302},  # refused with a message: no passage given
    ("rights.erase", "POST"): {**ADMIN_ONLY, "admin": 302},  # refused with a message: not confirmed
    # Tokens are for the roles whose data other systems read: coordinators, trainers, admins.
    ("api_tokens.index", "GET"): API_USERS,
    ("api_tokens.index", "POST"): API_USERS,  # the form comes back: no name given
    # The animator's own token; anyone else's answers 404.
    ("api_tokens.revoke", "POST"): {**everyone(404), "anonymous": LOGIN, "animator": 302},
    # Trainers see their editions only; a coordinator is led to the public figures with their own row.
    ("reports.index", "GET"): {**TRAINERS, "admin": 200, "coordinator": 302, "coordinator_other": 302},
    ("reports.export_csv", "GET"): {**TRAINERS, "trainer": 400, "trainer_other": 400, "admin": 400},  # no table named
    ("dashboards.institution", "GET"): {**VIEW_INSTITUTION_A, "animator": 403},  # coordinator, its trainers, admins
    ("dashboards.trainer", "GET"): TRAINERS,
    ("notifications.index", "GET"): signed_in(),
    ("notifications.mark_read", "POST"): everyone(302),
    # Events of edition E: who sees the edition sees them; its trainer (and admins) schedule and take attendance;
    # the coordinator of institution A registers staff.
    ("events.index", "GET"): VIEW_EDITION_E,
    ("events.create", "GET"): {**VIEW_EDITION_E, "animator": 403, "coordinator": 403},
    ("events.create", "POST"): {**VIEW_EDITION_E, "animator": 403, "coordinator": 403},  # the form comes back
    ("events.show", "GET"): VIEW_EDITION_E,
    ("events.edit", "GET"): {**VIEW_EDITION_E, "animator": 403, "coordinator": 403},
    ("events.edit", "POST"): {**VIEW_EDITION_E, "animator": 403, "coordinator": 403},
    ("events.cancel", "POST"): {**VIEW_EDITION_E, "animator": 403, "coordinator": 403, "trainer": 302, "admin": 302},
    # Only a coordinator has staff to register (an admin has none), so the policy refuses admins here.
    ("events.register", "POST"): {**ENROL_EDITION_E, "coordinator": 302, "admin": 403},  # no person chosen
    ("events.withdraw", "GET"): {**ENROL_EDITION_E, "admin": 403},  # the confirmation page
    ("events.withdraw", "POST"): {**ENROL_EDITION_E, "admin": 403},  # unticked: the page again, with the error
    ("events.take_attendance", "GET"): {**VIEW_EDITION_E, "animator": 403, "coordinator": 403},
    ("events.take_attendance", "POST"): {**VIEW_EDITION_E, "animator": 403, "coordinator": 403},
    ("events.event_ics", "GET"): VIEW_EDITION_E,
    ("events.my_calendar", "GET"): signed_in(),
    ("events.my_calendar", "POST"): signed_in(302),
    ("events.feed", "GET"): everyone(404),  # the test's token opens nothing
    ("trainers.my_absences", "GET"): {**TRAINERS, "admin": 200},
    ("trainers.my_absences", "POST"): {**TRAINERS, "admin": 200},  # the form comes back
    # The trainer's own absence: only they (and admins) may withdraw it; nobody else sees it.
    ("trainers.cancel_absence", "POST"): {**everyone(404), "anonymous": LOGIN, "trainer": 302, "admin": 302},
    ("trainer_admin.overview", "GET"): ADMIN_ONLY,
    ("trainer_admin.edition", "GET"): ADMIN_ONLY,
    ("trainer_admin.edition", "POST"): ADMIN_ONLY,  # the form comes back
    ("trainer_admin.reassign", "POST"): {**ADMIN_ONLY, "admin": 302},  # no trainer chosen
    ("trainer_admin.absences", "GET"): ADMIN_ONLY,
    ("trainer_admin.absences", "POST"): ADMIN_ONLY,
}


@pytest.fixture
def world(snapshot):
    """Two institutions, each in its own edition with its own trainer, and one person per role."""
    return snapshot(build_world)


def build_world(mini_programme, make_institution, make_user):
    institution_a = make_institution("OPS A", Voivodeship.MAZOWIECKIE)
    institution_b = make_institution("OPS B", Voivodeship.PODLASKIE)
    people = {
        "animator": make_user(Role.ANIMATOR, institution=institution_a),
        "animator_other": make_user(Role.ANIMATOR, institution=institution_b),
        "coordinator": make_user(Role.COORDINATOR, institution=institution_a),
        "coordinator_other": make_user(Role.COORDINATOR, institution=institution_b),
        "trainer": make_user(Role.TRAINER),
        "trainer_other": make_user(Role.TRAINER),
        "admin": make_user(Role.ADMIN),
    }
    programme = db.session.scalar(select(Programme))
    editions = []
    for institution, trainer, animator in (
        (institution_a, people["trainer"], people["animator"]),
        (institution_b, people["trainer_other"], people["animator_other"]),
    ):
        # runs to 2030 so that the world's future event (May 2030) falls within it
        edition = Edition(
            name=f"Edycja {institution.name}", programme=programme, voivodeship=institution.voivodeship,
            starts_on=date(2026, 1, 1), ends_on=date(2030, 12, 31), trainers=[trainer], institutions=[institution],
        )  # fmt: skip
        db.session.add(edition)
        db.session.flush()
        db.session.add(Enrolment(edition_id=edition.id, user_id=animator.id, enrolled_by_id=people["admin"].id))
        editions.append(edition)
    db.session.commit()
    work, attachment = _submitted_work(people["animator"], editions[0])
    certificate = Certificate(
        kind=CertificateKind.PERSON, code=codes.new_code(), title="Zaświadczenie", programme_id=programme.id, level=1,
        holder_id=people["animator"].id, institution_id=institution_a.id, issued_by_id=people["trainer"].id,
    )  # fmt: skip
    application = CertificationApplication(
        institution_id=institution_a.id, programme_id=programme.id, applied_by_id=people["coordinator"].id
    )
    db.session.add_all([certificate, application])
    db.session.commit()
    key, _private = keys.create_key()
    issue_credential(certificate)
    db.session.commit()
    consultation = consulting.log_consultation(
        institution_a, programme, people["trainer"],
        consulting.ConsultationInput(date(2026, 10, 1), 60, ConsultationForm.ONLINE, "Tomasz", "Mapa",
                                     actions=[consulting.ActionInput("Spotkanie z radą sołecką", "Koordynatorka")]),
    )  # fmt: skip
    report = indicator_reporting.submit_indicator_report(
        institution_a, programme, people["coordinator"],
        indicator_reporting.ReportInput(date(2026, 1, 1), date(2026, 6, 30), {"wolontariusze": 3}, "Półrocze",
                                        [check_upload("lista.txt", b"Lista wolontariuszy", 1024)]),
    )  # fmt: skip
    db.session.commit()
    token, _ = create_token(people["animator"], "System gminy")
    saved_comment = comment_bank.save_comment(people["trainer"], "Dopisz termin spotkania.")
    db.session.commit()
    event = events.create_event(
        editions[0],
        events.EventInput(EventKind.TRAINING, "Szkolenie", datetime(2030, 5, 6, 7), datetime(2030, 5, 6, 15), 8.0, 20,
                          place="Świetlica"),
        people["trainer"],
    )  # fmt: skip
    db.session.flush()
    registration = places.register(event, people["animator"], people["coordinator"])
    allocation.mark_absence(people["trainer"], date(2030, 7, 1), date(2030, 7, 14), "Urlop")
    absence = db.session.scalar(select(allocation.TrainerAbsence))
    db.session.commit()
    return {
        "action": consultation.actions[0], "report": report, "token": token,
        "institution": institution_a, "edition": editions[0], "people": people, "work": work,
        "attachment": attachment, "certificate": certificate, "application": application, "key": key.name,
        "event": event, "registration": registration, "saved_comment_id": saved_comment.id, "absence": absence,
    }  # fmt: skip


def _submitted_work(animator, edition):
    """The animator's submitted attempt (with a file) on the person-scope assignment of module one."""
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))
    work = learning.work_for(animator, edition, assignment, Scope.PERSON)
    learning.attach(work, check_upload("plan.txt", "Plan działania".encode(), 1024), animator)
    learning.submit(work, "Mój profil animatora.", animator)
    db.session.commit()
    attachment = db.session.scalar(select(Attachment).where(Attachment.work_id == work.id))
    return work, attachment


def url_arguments(world, endpoint: str) -> dict:
    return {
        "filename": "css/bootstrap.min.css" if endpoint == "bootstrap.static" else "css/app.css",
        "slug": "mini",
        "module_slug": "pierwszy",
        "token": "not-a-real-token",
        "institution_id": world["institution"].id,
        "edition_id": world["edition"].id,
        "person_id": world["people"]["animator"].id,
        "assignment_id": world["work"].assignment_id,
        "work_id": world["work"].id,
        "attempt_id": world["work"].attempts[0].id,
        "attachment_id": world["attachment"].id,
        "programme_id": world["edition"].programme_id,
        "certificate_id": world["certificate"].id,
        "code": world["certificate"].code,
        "application_id": world["application"].id,
        "action_id": world["action"].id,
        "report_id": world["report"].id,
        "evidence_id": world["report"].evidence[0].id,
        "token_id": world["token"].id,
        "name": world["key"],
        "issuer": "mini",
        "purpose": "revocation",
        "kind": "person",
        "form": "json",
        "fmt": "odt",
        "level_number": 1,
        "event_id": world["event"].id,
        "registration_id": world["registration"].id,
        "comment_id": world["saved_comment_id"],  # an id: a route deletes the comment
        "absence_id": inspect(world["absence"]).identity[0],  # without loading it: a route may have withdrawn it
        "trainer_id": world["people"]["trainer"].id,
        "export_id": 1,
    }


def build_url(rule, world) -> str:
    arguments = url_arguments(world, rule.endpoint)
    return rule.build({name: arguments[name] for name in rule.arguments}, append_unknown=False)[1]


def routes(app):
    """(endpoint, method, rule) for every route the app serves."""
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, rule


def test_every_route_has_an_expectation(app):
    missing = sorted({(e, m) for e, m, _ in routes(app)} - EXPECTED.keys())
    assert not missing, f"routes without an access expectation: {missing}"
    stale = sorted(EXPECTED.keys() - {(e, m) for e, m, _ in routes(app)})
    assert not stale, f"expectations for routes that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(app, client, world, role):
    if role != "anonymous":
        assert login(client, world["people"][role]).status_code == 302
    token = csrf_token(client.get("/").get_data(as_text=True))
    failures = []
    for endpoint, method, rule in routes(app):
        url = build_url(rule, world)
        response = client.get(url) if method == "GET" else client.post(url, data={"csrf_token": token})
        expected = EXPECTED[(endpoint, method)][role]
        if response.status_code != expected:
            failures.append(f"{method} {url} ({endpoint}): expected {expected}, got {response.status_code}")
        if endpoint in ("accounts.logout", "accounts.logout_everywhere") and role != "anonymous":
            assert login(client, world["people"][role]).status_code == 302  # sign back in for the rest
            token = csrf_token(client.get("/").get_data(as_text=True))
    assert not failures, "\n".join(failures)


def test_anonymous_is_redirected_to_sign_in_with_the_page_to_return_to(client, world):
    response = client.get(f"/institutions/{world['institution'].id}/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=")


def test_every_post_without_csrf_token_is_refused(app, client, world):
    """CSRF: every POST route, for a signed-in admin, refuses a form without a token."""
    assert login(client, world["people"]["admin"]).status_code == 302
    posts = [(e, rule) for e, method, rule in routes(app) if method == "POST"]
    assert posts
    for endpoint, rule in posts:
        response = client.post(build_url(rule, world), data={"name": "x"})
        assert response.status_code == 400, f"{endpoint} accepted a POST without a CSRF token"
