"""Data revisions: every change bumps its institution's (or the global) counter in its own transaction,
and the cached dashboard and report show every change at once."""

import re
from datetime import date

from sqlalchemy import select, update

from lms.accounts.models import Role
from lms.caching import revisions
from lms.certificates.models import Certificate, CertificateKind
from lms.content.models import Assignment, Module
from lms.editions.models import Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import services as learning
from lms.learning.files import check_upload
from lms.learning.models import ModuleRead, Work
from lms.reviews.models import Decision
from lms.support import consulting as support
from lms.support.models import ConsultationForm
from tests.caching.conftest import decide, submit
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def page(client, url: str) -> str:
    """The page's HTML without its CSRF tokens (signed with the time, so they differ by the second)."""
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r"\1…", client.get(url).get_data(as_text=True))


def served_from_cache(client, url: str, count_queries) -> str:
    """The page, after checking that a repeat visit is answered from the cache: same page, fewer statements."""
    with count_queries() as computed:
        first = page(client, url)
    with count_queries() as cached:
        assert page(client, url) == first
    assert cached.count < computed.count
    return first


def revision_of(institution) -> int:
    return revisions.revision(db.session, revisions.institution_scope(institution.id))


def global_revision() -> int:
    return revisions.revision(db.session, revisions.GLOBAL)


def test_every_model_is_classified_as_shown_per_institution_globally_or_not_shown():
    models = {mapper.class_ for mapper in db.Model.registry.mappers}
    classified = revisions.NOT_SHOWN | revisions.GLOBAL_MODELS | set(revisions._SCOPES_OF)
    assert models - classified == set()
    assert not (revisions.NOT_SHOWN & revisions.GLOBAL_MODELS)


def test_work_of_one_institution_bumps_that_institution_only(world, make_institution):
    other = make_institution("OPS w Sosnowicy", Voivodeship.LUBELSKIE)
    mine, theirs, shared = revision_of(world["institution"]), revision_of(other), global_revision()
    attempt = submit(world["animator"], world["edition"], "profil")
    after_submit = revision_of(world["institution"])
    decide(attempt, world["trainer"])
    assert mine != after_submit != revision_of(world["institution"])
    assert (revision_of(other), global_revision()) == (theirs, shared)


def test_reading_a_module_enrolling_and_renaming_bump_the_persons_institution(world, make_user):
    before = revision_of(world["institution"])
    module = db.session.scalar(select(Module).where(Module.programme_id == world["programme"].id))
    db.session.add(ModuleRead(user_id=world["animator"].id, module_id=module.id))
    db.session.commit()
    after_read = revision_of(world["institution"])
    newcomer = make_user(Role.ANIMATOR, institution=world["institution"])
    db.session.add(Enrolment(edition_id=world["edition"].id, user_id=newcomer.id, enrolled_by_id=world["admin"].id))
    db.session.commit()
    after_enrolment = revision_of(world["institution"])
    world["colleague"].name = "Jan Nowak"
    db.session.commit()
    assert len({before, after_read, after_enrolment, revision_of(world["institution"])}) == 4


def test_attaching_a_file_bumps_the_works_institution(world):
    version = learning.current_assignment_version(
        db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))
    )
    work = learning.work_for(world["animator"], world["edition"], version.assignment, version.scope)
    db.session.commit()
    before = revision_of(world["institution"])
    learning.attach(work, check_upload("mapa.pdf", PDF, 10**6), world["animator"])
    db.session.commit()
    assert revision_of(world["institution"]) != before


def test_a_person_moving_to_another_institution_bumps_both(world, make_institution):
    other = make_institution("OPS w Sosnowicy", Voivodeship.LUBELSKIE)
    left, joined = revision_of(world["institution"]), revision_of(other)
    world["colleague"].institution_id = other.id
    db.session.commit()
    assert revision_of(world["institution"]) != left and revision_of(other) != joined


def test_a_decision_on_the_own_work_of_a_person_who_moved_bumps_both_institutions(world, make_institution):
    attempt = submit(world["animator"], world["edition"], "profil")
    other = make_institution("OPS w Sosnowicy", Voivodeship.LUBELSKIE)
    world["animator"].institution = other
    db.session.commit()
    left, joined = revision_of(world["institution"]), revision_of(other)
    decide(attempt, world["trainer"], Decision.REVISION_REQUESTED)
    assert revision_of(world["institution"]) != left and revision_of(other) != joined


def test_an_edition_change_bumps_the_global_revision(world):
    before = global_revision()
    world["edition"].name = "Edycja lubelska 2027"
    db.session.commit()
    assert global_revision() != before


def test_a_bulk_statement_bumps_the_global_revision(world):
    before = global_revision()
    db.session.execute(update(Work).where(Work.id == -1).values(accepted_at=None))
    db.session.commit()
    assert global_revision() != before


def test_a_rolled_back_change_leaves_the_revision_as_it_was(world):
    before = revision_of(world["institution"])
    world["institution"].name = "Nie zapisana nazwa"
    db.session.flush()
    db.session.rollback()
    assert revision_of(world["institution"]) == before


def test_the_dashboard_is_served_from_the_cache_until_something_changes(app, world, count_queries):
    client = app.test_client()
    login(client, world["coordinator"])
    url = f"/dashboard/institutions/{world['institution'].id}/"
    first = served_from_cache(client, url, count_queries)
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"], Decision.REVISION_REQUESTED)
    after = page(client, url)
    assert after != first and "do poprawy" in after  # the new decision shows at once


def test_the_report_is_served_from_the_cache_until_something_changes(app, world, count_queries):
    client = app.test_client()
    login(client, world["admin"])
    first = served_from_cache(client, "/reports/", count_queries)
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    assert page(client, "/reports/") != first  # one more acceptance is counted at once


def test_the_home_page_is_served_from_the_cache_until_the_persons_data_changes(app, world, count_queries):
    client = app.test_client()
    login(client, world["animator"])
    first = served_from_cache(client, "/", count_queries)
    submit(world["animator"], world["edition"], "profil")
    after = page(client, "/")
    assert "zadanie przesłane" in after and "zadanie przesłane" not in first


def test_a_trainer_renamed_shows_renamed_at_once(app, world):
    client = app.test_client()
    login(client, world["trainer"])
    assert "Dzień dobry, Tomasz Trener<" in page(client, "/")
    world["trainer"].name = "Tomasz Trenerski"
    db.session.commit()
    assert "Dzień dobry, Tomasz Trenerski<" in page(client, "/")  # the greeting, not the menu


def test_the_review_page_shows_a_new_decision_at_once(app, world, count_queries):
    attempt = submit(world["animator"], world["edition"], "profil")
    client = app.test_client()
    login(client, world["trainer"])
    url = f"/reviews/attempts/{attempt.id}/"
    first = served_from_cache(client, url, count_queries)
    assert "Czeka na decyzję trenera." in first
    decide(attempt, world["trainer"], Decision.REVISION_REQUESTED)
    after = page(client, url)
    assert "Czeka na decyzję trenera." not in after and "Uzupełnij pierwszy punkt." in after


def test_the_review_queue_lists_a_new_submission_at_once(app, world, count_queries):
    client = app.test_client()
    login(client, world["trainer"])
    served_from_cache(client, "/reviews/", count_queries)
    attempt = submit(world["colleague"], world["edition"], "profil")
    assert f"/reviews/attempts/{attempt.id}/" in page(client, "/reviews/")


def test_a_trainers_new_name_shows_in_a_cached_history_at_once(app, world):
    attempt = submit(world["animator"], world["edition"], "profil")
    decide(attempt, world["trainer"], Decision.REVISION_REQUESTED)
    client = app.test_client()
    login(client, world["trainer"])
    url = f"/reviews/attempts/{attempt.id}/"
    assert "Tomasz Trener ·" in page(client, url)
    world["trainer"].name = "Tomasz Trenerski"
    db.session.commit()
    assert "Tomasz Trenerski ·" in page(client, url)  # in the history, beside the decision


def test_the_registry_lists_a_new_institution_certificate_at_once(app, world):
    client = app.test_client()
    assert "GOPS w Żółkiewce" not in page(client, "/registry/")
    certificate = Certificate(
        kind=CertificateKind.INSTITUTION, code="TEST-REJESTR", title="Certyfikat Jakości pracy metodą CAL",
        programme_id=world["programme"].id, institution_id=world["institution"].id,
        issued_by_id=world["admin"].id, basis={},
    )  # fmt: skip
    db.session.add(certificate)
    db.session.commit()
    assert "GOPS w Żółkiewce" in page(client, "/registry/")


def test_the_trainer_dashboard_is_served_from_the_cache_until_something_changes(app, world, count_queries):
    todo = support.ActionInput("Spotkanie z sołtysem", "Zofia Żółć", date(2026, 6, 1))
    held = support.ConsultationInput(
        date(2026, 5, 4), 90, ConsultationForm.ON_SITE, "Tomasz Trener", "Mapa", actions=[todo]
    )
    consultation = support.log_consultation(world["institution"], world["programme"], world["trainer"], held)
    db.session.commit()
    client = app.test_client()
    login(client, world["trainer"])
    first = served_from_cache(client, "/dashboard/trainer/", count_queries)
    assert "Spotkanie z sołtysem" in first

    assert support.complete_action(consultation.actions[0], world["coordinator"])
    db.session.commit()
    done = page(client, "/dashboard/trainer/")
    assert "Spotkanie z sołtysem" not in done  # the coordinator's tick shows at once

    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    assert page(client, "/dashboard/trainer/") != done  # one more decision this week


def test_a_trainer_of_an_institution_renamed_shows_renamed_in_every_history_at_once(app, world, make_institution):
    trainer = world["trainer"]
    trainer.institution = make_institution("Stowarzyszenie Trenerów", Voivodeship.MAZOWIECKIE)
    db.session.commit()
    review = decide(submit(world["animator"], world["edition"], "profil"), trainer, Decision.REVISION_REQUESTED)
    client = app.test_client()
    login(client, world["animator"])
    url = f"/works/{review.attempt.work_id}/"
    assert "Tomasz Trener ·" in page(client, url)
    trainer.name = "Tomasz Trenerski"
    db.session.commit()
    assert "Tomasz Trenerski ·" in page(client, url)  # another institution's cached history


def test_the_certification_page_is_served_from_the_cache_until_something_changes(app, world, count_queries):
    client = app.test_client()
    login(client, world["coordinator"])
    url = f"/institutions/{world['institution'].id}/certification/"
    first = served_from_cache(client, url, count_queries)
    assert "(0 / 1)" in first  # no consultation yet
    held = support.ConsultationInput(date(2026, 5, 4), 90, ConsultationForm.ON_SITE, "Tomasz Trener", "Mapa")
    support.log_consultation(world["institution"], world["programme"], world["trainer"], held)
    db.session.commit()
    assert "(1 / 1)" in page(client, url)
