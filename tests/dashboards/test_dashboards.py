"""The coordinator's and the trainer's dashboards: right numbers, bounded queries."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.accounts.models import Role
from lms.base import utcnow
from lms.editions.models import Enrolment
from lms.extensions import db
from lms.learning.decisions import Decision, Review
from lms.support.models import AgreedAction, Consultation, ConsultationForm
from tests.certificates.conftest import decide, submit
from tests.conftest import csrf_token, login


def test_coordinator_sees_staff_by_module_with_states_linking_to_the_work(app, world):
    accepted = submit(world["animator"], world["edition"], "profil")
    decide(accepted, world["trainer"])
    revised = submit(world["colleague"], world["edition"], "profil")
    decide(revised, world["trainer"], Decision.REVISION_REQUESTED)
    client = app.test_client()
    login(client, world["coordinator"])
    html = client.get(f"/dashboard/institutions/{world['institution'].id}/").get_data(as_text=True)
    assert "Zofia Żółć" in html and "Jan Kowalski" in html
    assert f'/works/{accepted.work_id}/">po akceptacji' in html
    assert f'/works/{revised.work_id}/">do poprawy' in html
    assert "Czeka na instytucję" in html and "Mój profil animatora" in html  # the revision waits on them
    assert "spełnione: 1 z 4" in html  # one staff member holds the person certificate


def test_coordinator_dashboard_queries_do_not_grow_with_staff(app, world, make_user, count_queries):
    # Every section has something to show before counting (an empty list skips its eager loads).
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    decide(submit(world["colleague"], world["edition"], "profil"), world["trainer"], Decision.REVISION_REQUESTED)
    client = app.test_client()
    login(client, world["coordinator"])
    url = f"/dashboard/institutions/{world['institution'].id}/"
    client.get(url)
    # Both counted requests follow a change, so both compute the dashboard (an unchanged one is cached).
    world["animator"].name = "Zofia Żółć-Nowak"
    db.session.commit()
    with count_queries() as few:
        assert "Zofia Żółć-Nowak" in client.get(url).get_data(as_text=True)
    for n in range(15):
        person = make_user(Role.ANIMATOR, institution=world["institution"])
        db.session.add(Enrolment(edition_id=world["edition"].id, user_id=person.id, enrolled_by_id=world["admin"].id))
        db.session.commit()
        if n % 3 == 0:
            decide(
                submit(person, world["edition"], "profil"),
                world["trainer"],
                Decision(("accepted", "revision_requested")[n % 2]),
            )
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count


def test_other_institutions_and_animators_cannot_open_the_institution_dashboard(
    app, world, make_user, make_institution
):
    url = f"/dashboard/institutions/{world['institution'].id}/"
    outsider = app.test_client()
    login(outsider, make_user(Role.COORDINATOR, institution=make_institution("OPS Obcy")))
    assert outsider.get(url).status_code == 404
    animator = app.test_client()
    login(animator, world["animator"])
    assert animator.get(url).status_code == 403
    trainer = app.test_client()
    login(trainer, world["trainer"])
    assert trainer.get(url).status_code == 200


def test_trainer_dashboard_numbers(app, world):
    waiting = submit(world["colleague"], world["edition"], "profil")
    decided = submit(world["animator"], world["edition"], "profil")
    decide(decided, world["trainer"])
    review = db.session.scalar(select(Review))
    decided.submitted_at = review.decided_at - timedelta(hours=30)
    consultation = Consultation(
        institution_id=world["institution"].id, programme_id=world["programme"].id, logged_by_id=world["trainer"].id,
        held_on=date(2026, 10, 1), duration_minutes=60, form=ConsultationForm.ONLINE, consultant="T", topic="Mapa",
    )  # fmt: skip
    consultation.actions = [
        AgreedAction(description="Spotkanie z sołtysem", owner="Katarzyna", due_on=utcnow().date() + timedelta(days=7)),
        AgreedAction(description="Zrobione", owner="Jan", done_at=utcnow()),
    ]
    db.session.add(consultation)
    db.session.commit()
    client = app.test_client()
    login(client, world["trainer"])
    client.post("/language", data={"lang": "en", "csrf_token": _token(client)})
    html = client.get("/dashboard/trainer/").get_data(as_text=True)
    assert '<p class="h2 mb-0">1</p><p class="small text-muted mb-0">attempt waiting for you' in html
    assert '<p class="h2 mb-0">1</p><p class="small text-muted mb-0">decision this week' in html
    assert '<p class="h2 mb-0">30.0</p>' in html  # median hours to decision
    client.post("/language", data={"lang": "pl", "csrf_token": _token(client)})
    html = client.get("/dashboard/trainer/").get_data(as_text=True)
    assert '<p class="h2 mb-0">1</p><p class="small text-muted mb-0">praca czeka na Ciebie' in html
    assert '<p class="h2 mb-0">1</p><p class="small text-muted mb-0">decyzja w tym tygodniu' in html
    assert '<p class="h2 mb-0">30,0</p>' in html  # a decimal comma
    assert "GOPS w Żółkiewce" in html and "Spotkanie z sołtysem" in html and "Zrobione" not in html
    assert waiting.work_id


def _token(client):
    return csrf_token(client.get("/").get_data(as_text=True))


def test_every_progress_bar_has_a_visible_figure_and_an_accessible_name(app, world):
    """A bar at 0 has no room for a figure inside it: the figure stands beside the bar, and the bar is named and
    says its value in words."""
    import re

    client = app.test_client()
    login(client, world["coordinator"])
    html = client.get(f"/dashboard/institutions/{world['institution'].id}/").get_data(as_text=True)
    bars = re.findall(r'<div class="progress flex-grow-1" role="progressbar"[^>]*>', html)
    assert bars and len(bars) == html.count('role="progressbar"')
    assert all('aria-label="' in bar and 'aria-valuetext="' in bar for bar in bars)
    assert 'aria-valuetext="zaakceptowano 0 z ' in html  # nobody has finished a module yet
    assert re.search(r'<span class="small text-nowrap progress-figure" aria-hidden="true">0/\d+</span>', html)
    assert not re.search(r'<div class="progress-bar[^"]*">[^<]', html)  # no figure hidden inside a bar
    trainer = app.test_client()
    login(trainer, world["trainer"])
    html = trainer.get("/dashboard/trainer/").get_data(as_text=True)
    bars = re.findall(r'<div class="progress flex-grow-1" role="progressbar"[^>]*>', html)
    assert bars and len(bars) == html.count('role="progressbar"')
    assert all('aria-valuetext="spełnione: ' in bar for bar in bars)
    assert re.search(r'progress-figure" aria-hidden="true">0/\d+</span>', html)  # the checklist at 0 says so
