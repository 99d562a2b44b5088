"""Editions: admins create them, coordinators enrol their own staff, animators see their modules."""

import re
from datetime import date

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.content.models import Programme
from lms.editions import services
from lms.editions.models import Edition, Enrolment
from lms.editions.services import EnrolmentError
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import enrolment
from tests.conftest import login, post_form


@pytest.fixture
def setting(snapshot):
    return snapshot(build_setting)


def build_setting(mini_programme, make_institution, make_user):
    own, other = make_institution("OPS Własny"), make_institution("OPS Cudzy")
    trainer = make_user(Role.TRAINER, name="Tomasz Trener")
    staff_trainer = make_user(Role.TRAINER, Role.ANIMATOR, institution=own, name="Teresa Trenerka")
    edition = Edition(
        name="Edycja testowa", programme=db.session.scalar(select(Programme)), voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1), trainers=[trainer, staff_trainer], institutions=[own],
    )  # fmt: skip
    db.session.add(edition)
    db.session.commit()
    return {
        "edition": edition,
        "own": own,
        "other": other,
        "trainer": trainer,
        "coordinator": make_user(Role.COORDINATOR, institution=own),
        "staff": make_user(Role.ANIMATOR, institution=own, name="Agnieszka Nowak"),
        "stranger": make_user(Role.ANIMATOR, institution=other, name="Obca Osoba"),
        # Staff who are not (only) learners: the edition's own trainer works at the institution too.
        "staff_trainer": staff_trainer,
        "staff_coordinator": make_user(Role.COORDINATOR, Role.ANIMATOR, institution=own, name="Celina Oboje"),
    }


def edition_form(setting, **changes):
    data = {
        "name": "CAL Mazowsze 2027",
        "programme": db.session.scalar(select(Programme.id)),
        "voivodeship": "mazowieckie",
        "starts_on": "2027-01-15",
        "ends_on": "2028-06-30",
        "trainers": [setting["trainer"].id],
        "institutions": [setting["own"].id, setting["other"].id],
    }
    return {**data, **changes}


def test_admin_starts_an_edition_with_trainers_and_institutions(client, make_user, setting):
    login(client, make_user(Role.ADMIN))
    response = post_form(client, "/editions/new", edition_form(setting))
    assert response.status_code == 302
    edition = db.session.scalar(select(Edition).where(Edition.name == "CAL Mazowsze 2027"))
    assert [t.name for t in edition.trainers] == ["Tomasz Trener"]
    assert {i.name for i in edition.institutions} == {"OPS Własny", "OPS Cudzy"}
    assert edition.starts_on == date(2027, 1, 15)


def test_edition_ending_before_it_starts_is_refused_next_to_the_field(client, make_user, setting):
    login(client, make_user(Role.ADMIN))
    response = post_form(client, "/editions/new", edition_form(setting, starts_on="2027-05-01", ends_on="2027-04-30"))
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Data zakończenia nie może być wcześniejsza niż data rozpoczęcia." in html
    assert db.session.scalar(select(func.count(Edition.id))) == 1  # only the fixture's edition


def test_malformed_dates_and_unknown_choices_are_form_errors_not_500(client, make_user, setting):
    login(client, make_user(Role.ADMIN))
    for change in ({"starts_on": "31.02.2027"}, {"programme": "999"}, {"trainers": ["abc"]}, {"voivodeship": "x"}):
        response = post_form(client, "/editions/new", edition_form(setting, **change))
        assert response.status_code == 200, change
        assert "is-invalid" in response.get_data(as_text=True) or "text-danger" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Edition.id))) == 1


def test_coordinator_enrols_own_staff_and_the_animator_sees_the_modules(app, setting):
    edition = setting["edition"]
    coordinator = app.test_client()
    login(coordinator, setting["coordinator"])
    page = coordinator.get(f"/editions/{edition.id}/enrol").get_data(as_text=True)
    assert "Agnieszka Nowak" in page and "Obca Osoba" not in page

    response = post_form(coordinator, f"/editions/{edition.id}/enrol", {"people": [setting["staff"].id]})
    assert response.status_code == 302
    assert "Agnieszka Nowak" in coordinator.get(f"/editions/{edition.id}/").get_data(as_text=True)

    animator = app.test_client()
    login(animator, setting["staff"])
    assert "Edycja testowa" in animator.get("/editions/").get_data(as_text=True)
    html = animator.get(f"/editions/{edition.id}/").get_data(as_text=True)
    assert "Pierwszy moduł" in html and "Konsultacje indywidualne" in html


def test_only_animators_who_are_not_the_editions_trainers_are_offered(client, setting):
    login(client, setting["coordinator"])
    page = client.get(f"/editions/{setting['edition'].id}/enrol").get_data(as_text=True)
    assert "Agnieszka Nowak" in page and "Celina Oboje" in page  # an animator, also when coordinating
    assert "Teresa Trenerka" not in page  # the edition's own trainer
    assert setting["coordinator"].email not in page  # a coordinator without the animator role


def test_the_editions_trainer_is_refused_as_its_learner_by_form_and_by_service(client, setting):
    edition = setting["edition"]
    login(client, setting["coordinator"])
    for person in (setting["staff_trainer"], setting["coordinator"]):
        response = post_form(client, f"/editions/{edition.id}/enrol", {"people": [person.id]})
        assert response.status_code == 200
    with pytest.raises(EnrolmentError, match="Teresa Trenerka"):
        enrolment.enrol(edition, [setting["staff_trainer"]], setting["coordinator"], [setting["own"].id])
    db.session.rollback()
    assert db.session.scalar(select(func.count(Enrolment.id))) == 0
    assert setting["coordinator"].roles == {Role.COORDINATOR}  # no learner's role slipped in either


def test_a_learner_of_the_edition_cannot_be_made_its_trainer(client, make_user, setting):
    edition = setting["edition"]
    learner = make_user(Role.TRAINER, Role.ANIMATOR, institution=setting["own"], name="Ewa Uczestniczka")
    db.session.add(Enrolment(edition=edition, user=learner, enrolled_by_id=setting["coordinator"].id))
    db.session.commit()
    login(client, make_user(Role.ADMIN))
    trainers = [setting["trainer"].id, learner.id]
    form = edition_form(setting, name=edition.name, starts_on="2026-01-01", ends_on="2027-01-01", trainers=trainers)
    response = post_form(client, f"/editions/{edition.id}/edit", form)
    assert response.status_code == 200
    assert "nie mogą być jej trenerami: Ewa Uczestniczka." in response.get_data(as_text=True)
    db.session.expire_all()
    assert sorted(t.name for t in edition.trainers) == ["Teresa Trenerka", "Tomasz Trener"]  # unchanged


def test_coordinator_cannot_enrol_another_institutions_staff(client, setting):
    edition = setting["edition"]
    login(client, setting["coordinator"])
    response = post_form(client, f"/editions/{edition.id}/enrol", {"people": [setting["stranger"].id]})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count(Enrolment.id))) == 0


def test_coordinator_of_a_non_participating_institution_cannot_see_or_enrol(client, setting, make_user):
    login(client, make_user(Role.COORDINATOR, institution=setting["other"]))
    edition = setting["edition"]
    assert client.get(f"/editions/{edition.id}/").status_code == 404
    assert client.get(f"/editions/{edition.id}/enrol").status_code == 404
    assert "Edycja testowa" not in client.get("/editions/").get_data(as_text=True)


def test_animator_sees_only_own_enrolment_and_trainer_sees_everyone(app, setting, make_user):
    edition = setting["edition"]
    colleague = make_user(Role.ANIMATOR, institution=setting["own"], name="Kolega Z Pracy")
    for person in (setting["staff"], colleague):
        db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, enrolled_by_id=setting["coordinator"].id))
    db.session.commit()
    animator = app.test_client()
    login(animator, setting["staff"])
    html = animator.get(f"/editions/{edition.id}/").get_data(as_text=True)
    assert "Agnieszka Nowak" in html and "Kolega Z Pracy" not in html
    trainer = app.test_client()
    login(trainer, setting["trainer"])
    html = trainer.get(f"/editions/{edition.id}/").get_data(as_text=True)
    assert "Agnieszka Nowak" in html and "Kolega Z Pracy" in html


def field_errors(html: str, field: str) -> str:
    """The messages shown under the form field with id ``field``."""
    return " ".join(re.findall(rf'id="{field}-error-\d+"[^>]*>(.*?)</div>', html, re.S))


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"starts_on": "2027-02-30"}, "starts_on", "Podaj prawidłową datę (RRRR-MM-DD)."),
        ({"ends_on": "abc"}, "ends_on", "Podaj prawidłową datę (RRRR-MM-DD)."),
        ({"starts_on": ""}, "starts_on", "To pole jest wymagane."),
        ({"starts_on": "0001-01-01"}, "starts_on", "Wybierz datę od 1 stycznia 2000 do 31 grudnia 2100."),
        ({"ends_on": "9999-12-31"}, "ends_on", "Wybierz datę od 1 stycznia 2000 do 31 grudnia 2100."),
        ({"name": "ab"}, "name", "Wartość musi mieć od 3 do 200 znaków."),
    ],
)
def test_bad_edition_dates_and_lengths_say_why_in_polish_and_save_nothing(
    client, make_user, setting, change, field, message
):
    login(client, make_user(Role.ADMIN))
    response = post_form(client, "/editions/new", edition_form(setting, **change))
    assert response.status_code == 200
    errors = field_errors(response.get_data(as_text=True), field)
    assert message in errors
    if message != "To pole jest wymagane.":
        assert "To pole jest wymagane." not in errors  # an invalid date is not a missing one
    assert db.session.scalar(select(func.count(Edition.id))) == 1


def test_the_service_refuses_edition_dates_outside_the_years_of_the_app(app, setting, make_user):
    data = {**edition_form(setting), "starts_on": date(1, 1, 1), "ends_on": date(9999, 12, 31)}
    with pytest.raises(services.EditionError):
        services.save_edition(None, data, make_user(Role.ADMIN))
    with pytest.raises(services.EditionError):
        services.save_edition(None, {**data, "starts_on": date(2027, 5, 1), "ends_on": date(2027, 4, 30)}, None)
