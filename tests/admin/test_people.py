"""Admin people pages: search, paging at a fixed query count, role changes with their rules."""

from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.conftest import login, post_form


def test_people_list_searches_by_name_email_and_role(client, make_user, make_institution):
    institution = make_institution()
    login(client, make_user(Role.ADMIN, name="Anna Admin"))
    make_user(Role.TRAINER, name="Tomasz Trener", email="tomasz@example.org")
    make_user(Role.ANIMATOR, name="Agnieszka Nowak", institution=institution)
    html = client.get("/admin/people/?q=tomasz@").get_data(as_text=True)
    assert "Tomasz Trener" in html and "Agnieszka Nowak" not in html
    html = client.get("/admin/people/?role=animator").get_data(as_text=True)
    assert "Agnieszka Nowak" in html and "Tomasz Trener" not in html and "OPS w Testowie" in html
    assert client.get("/admin/people/?role=nonsense&page=-3").status_code == 200


def test_people_list_query_count_does_not_grow_with_people(client, make_user, make_institution, count_queries):
    institutions = [make_institution(f"OPS {n}") for n in range(3)]
    login(client, make_user(Role.ADMIN))
    make_user(Role.COORDINATOR, institution=institutions[0])
    with count_queries() as few:
        client.get("/admin/people/")
    for n in range(60):
        make_user(Role.ANIMATOR, Role.COORDINATOR, institution=institutions[n % 3])
    with count_queries() as many:
        html = client.get("/admin/people/").get_data(as_text=True)
    assert "Strona 1 z 2" in html
    assert many.count == few.count


def test_admin_changes_roles_and_it_is_audited(client, make_user, make_institution):
    admin = make_user(Role.ADMIN)
    person = make_user(Role.ANIMATOR, institution=make_institution())
    login(client, admin)
    data = {"name": person.name, "roles": ["animator", "trainer"], "institution": person.institution_id, "active": "y"}
    assert post_form(client, f"/admin/people/{person.id}/", data).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, person.id).roles == {Role.ANIMATOR, Role.TRAINER}
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.updated")).actor_id == admin.id


def test_admin_cannot_lock_themselves_out_and_animators_need_an_institution(client, make_user):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    response = post_form(
        client,
        f"/admin/people/{admin.id}/",
        {"name": admin.name, "roles": ["trainer"], "institution": 0, "active": "y"},
    )
    assert response.status_code == 200
    assert "Nie możesz odebrać sobie uprawnień administratora." in response.get_data(as_text=True)
    other = make_user(Role.TRAINER)
    response = post_form(
        client, f"/admin/people/{other.id}/", {"name": other.name, "roles": ["animator"], "institution": 0}
    )
    assert "Animatorzy i koordynatorzy muszą należeć do instytucji." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, admin.id).roles == {Role.ADMIN}
    assert db.session.get(User, other.id).roles == {Role.TRAINER}


def test_deactivated_person_is_signed_out_everywhere(app, make_user):
    admin, person = make_user(Role.ADMIN), make_user(Role.TRAINER)
    their_browser = app.test_client()
    login(their_browser, person)
    assert their_browser.get("/account/password").status_code == 200
    admin_browser = app.test_client()
    login(admin_browser, admin)
    data = {"name": person.name, "roles": ["trainer"], "institution": 0}  # "active" unticked
    assert post_form(admin_browser, f"/admin/people/{person.id}/", data).status_code == 302
    assert their_browser.get("/account/password").status_code == 302
    assert login(their_browser, person).status_code == 200  # refused: the form comes back
