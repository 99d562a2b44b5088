"""An institution without a coordinator cannot pass its deliverables to the trainers: the animator who submits one is
told so and whom to ask, the programme staff are notified and see it on the institution's, the edition's and the
system status page, with the way to appoint a coordinator."""

import html
import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.accounts.models import Role, User, UserRole
from lms.content.models import Assignment, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import no_coordinator
from lms.learning.models import Work, WorkStatus
from lms.notifications.models import Notification
from tests.conftest import login, post_form


def build_world(mini_programme, make_institution, make_user):
    lonely, coordinated = make_institution("OPS w Samotni"), make_institution("OPS Koordynowany")
    trainer = make_user(Role.TRAINER, name="Tomasz Trener")
    edition = Edition(
        name="Edycja mazowiecka", programme=db.session.scalar(select(Programme)), voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1), trainers=[trainer], institutions=[lonely, coordinated],
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    admin = make_user(Role.ADMIN, name="Agata Administratorka")
    animator = make_user(Role.ANIMATOR, institution=lonely, name="Anna Animatorka")
    colleague = make_user(Role.ANIMATOR, institution=coordinated, name="Kamil Kolega")
    make_user(Role.COORDINATOR, institution=coordinated, name="Celina Koordynatorka")
    for person in (animator, colleague):
        db.session.add(Enrolment(edition_id=edition.id, user_id=person.id, enrolled_by_id=admin.id))
    db.session.commit()
    return SimpleNamespace(lonely=lonely, coordinated=coordinated, edition=edition, admin=admin, animator=animator)


@pytest.fixture
def world(snapshot):
    return snapshot(build_world)


def text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(response.get_data(as_text=True)))


def mapa_url(world) -> str:
    mapa = db.session.scalar(select(Assignment.id).where(Assignment.slug == "mapa"))
    return f"/editions/{world.edition.id}/assignments/{mapa}/"


def signed_in(app, user):
    client = app.test_client()
    assert login(client, user).status_code == 302
    return client


def submit_map(app, world):
    animator = signed_in(app, world.animator)
    url = mapa_url(world)
    before = text(animator.get(url))
    response = post_form(animator, url, {"text": "## Mapa\n\nSzkoła, biblioteka.", "draft_version": "0", "submit": "1"})
    assert response.status_code == 302
    return before, text(animator.get(url))


def test_the_animator_is_told_before_and_after_submitting_and_the_programme_staff_are_notified(app, world):
    before, after = submit_map(app, world)
    assert "OPS w Samotni nie ma koordynatora. Zadanie instytucji trafia do trenerów dopiero wtedy" in before
    assert "poproś zespół programu (administratorów Akademii CAL) o jego wyznaczenie" in before
    assert "Przesłano, ale OPS w Samotni nie ma koordynatora" in after  # the flash, instead of "coordinator asked"
    assert "Koordynator został poproszony" not in after
    assert "poproś go o wyznaczenie koordynatora Twojej instytucji" in after
    work = db.session.scalar(select(Work).where(Work.institution_id == world.lonely.id))
    assert work.status is WorkStatus.AWAITING_CONFIRMATION  # still held: nobody but a coordinator may pass it on
    told = db.session.scalars(select(Notification)).all()
    assert [(n.user_id, n.link) for n in told] == [(world.admin.id, f"/institutions/{world.lonely.id}/")]
    assert "OPS w Samotni nie ma koordynatora" in told[0].message and "Mapa" in told[0].message


def test_programme_staff_see_institutions_without_a_coordinator_and_where_to_appoint_one(app, world):
    submit_map(app, world)
    assert [(u.institution.name, u.enrolled, u.waiting) for u in no_coordinator.uncoordinated()] == [
        ("OPS w Samotni", 1, 1)
    ]
    admin = signed_in(app, world.admin)
    page = text(admin.get(f"/institutions/{world.lonely.id}/"))
    assert "Brak koordynatora" in page
    assert "1 osoba z tej instytucji jest zapisana na edycję, ale nikt tutaj nie jest koordynatorem." in page
    assert "1 zadanie czeka na potwierdzenie, którego nikt nie może dać." in page
    assert f'href="/admin/people/{world.animator.id}/"' in page  # open a person, give them the role
    assert f'href="/invitations/new?institution={world.lonely.id}"' in page
    assert "Brak koordynatora" not in text(admin.get(f"/institutions/{world.coordinated.id}/"))

    edition_page = text(admin.get(f"/editions/{world.edition.id}/"))
    assert "Instytucje bez koordynatora" in edition_page
    listed = f'href="/institutions/{world.lonely.id}/">OPS w Samotni</a>'
    assert f"{listed}: 1 osoba zapisana, 1 zadanie czeka na potwierdzenie" in edition_page
    assert "OPS Koordynowany</a>:" not in edition_page
    system = text(admin.get("/admin/system/"))
    assert "Instytucje bez koordynatora" in system and listed in system

    # The animator's own institution page names nobody to appoint: that is for the programme staff.
    mine = text(signed_in(app, world.animator).get(f"/institutions/{world.lonely.id}/"))
    assert "Brak koordynatora" not in mine and "/admin/people/" not in mine


def test_once_a_coordinator_is_appointed_the_warnings_go_and_the_deliverable_can_be_confirmed(app, world):
    submit_map(app, world)
    admin = signed_in(app, world.admin)
    person = f"/admin/people/{world.animator.id}/"
    data = {"name": "Anna Animatorka", "roles": ["animator", "coordinator"], "institution": world.lonely.id}
    assert post_form(admin, person, {**data, "active": "y", "submit": "1"}).status_code == 302
    assert no_coordinator.has_coordinator(world.lonely.id) and not no_coordinator.uncoordinated()
    told = db.session.scalar(select(Notification).where(Notification.user_id == world.animator.id))
    assert told.message == (
        "Masz teraz rolę koordynatora instytucji OPS w Samotni: 1 zadanie czeka na Twoje potwierdzenie w imieniu "
        "instytucji, zanim trenerzy będą mogli je ocenić."
    )
    assert told.link == f"/dashboard/institutions/{world.lonely.id}/"
    assert "Brak koordynatora" not in text(admin.get(f"/institutions/{world.lonely.id}/"))
    assert "Brak: każda uczestnicząca instytucja ma koordynatora." in text(admin.get("/admin/system/"))
    page = text(signed_in(app, world.animator).get(mapa_url(world)))
    assert "nie ma koordynatora" not in page and "Potwierdzam w imieniu instytucji" in page
    # A coordinator whose account is closed confirms nothing: the institution has none again.
    world.animator = db.session.get(User, world.animator.id)
    world.animator.active = False
    db.session.commit()
    assert not no_coordinator.has_coordinator(world.lonely.id)


def test_a_coordinator_s_own_institution_is_never_listed(app, world):
    coordinator = db.session.scalar(select(User).join(UserRole).where(UserRole.role == Role.COORDINATOR))
    assert no_coordinator.has_coordinator(coordinator.institution_id)
    assert not no_coordinator.uncoordinated(institution_id=coordinator.institution_id)
