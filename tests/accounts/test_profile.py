"""A person's profile: name, institution, roles, language, the way to the password and (for some roles) API tokens."""

from sqlalchemy import select

from lms.accounts.models import Role, User
from lms.extensions import db
from tests.conftest import csrf_token, login, post_form


def test_ones_name_in_the_menu_opens_the_profile_with_institution_and_roles(client, make_user, make_institution):
    person = make_user(Role.ANIMATOR, Role.COORDINATOR, institution=make_institution("OPS w Żółkiewce"))
    login(client, person)
    home = client.get("/").get_data(as_text=True)
    assert f'href="/account/" title="Twój profil">{person.name}</a>' in home
    assert "/account/password" not in home  # the password form is reached from the profile
    html = client.get("/account/").get_data(as_text=True)
    assert "Twój profil" in html and person.email in html and "OPS w Żółkiewce" in html
    assert "animator" in html and "koordynator" in html
    assert 'href="/account/password"' in html


def test_api_tokens_appear_only_for_roles_that_can_use_them(client, make_user, make_institution):
    institution = make_institution()
    animator = make_user(Role.ANIMATOR, institution=institution)
    login(client, animator)
    for page in ("/", "/account/"):
        assert "/account/tokens/" not in client.get(page).get_data(as_text=True)
    assert client.get("/account/tokens/").status_code == 403
    assert post_form(client, "/account/tokens/", {"name": "System"}, token_from="/account/").status_code == 403

    for role in (Role.COORDINATOR, Role.TRAINER, Role.ADMIN):
        other = client.application.test_client()
        login(other, make_user(role, institution=institution if role is Role.COORDINATOR else None))
        assert 'href="/account/tokens/"' in other.get("/account/").get_data(as_text=True)
        assert "/account/tokens/" not in other.get("/").get_data(as_text=True)  # the menu stays short
        assert other.get("/account/tokens/").status_code == 200


def test_the_chosen_language_is_kept_and_follows_the_person_to_another_device(app, client, make_user):
    person = make_user(Role.TRAINER, name="Tomasz Trener")
    login(client, person)
    response = post_form(client, "/account/", {"name": "Tomasz Trener", "language": "en"})
    assert response.status_code == 302
    assert "Your profile" in client.get("/account/").get_data(as_text=True)
    assert db.session.scalar(select(User.language).where(User.id == person.id)) == "en"

    laptop = app.test_client()
    login(laptop, person)
    assert "Your profile has been saved." not in laptop.get("/").get_data(as_text=True)
    assert '<html lang="en">' in laptop.get("/").get_data(as_text=True)


def test_the_language_switch_in_the_menu_is_remembered_too(app, client, make_user):
    person = make_user(Role.ANIMATOR)
    login(client, person)
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf_token(client.get("/").text)})
    assert db.session.scalar(select(User.language).where(User.id == person.id)) == "en"


def test_renaming_oneself_and_bad_input(client, make_user):
    person = make_user(Role.ANIMATOR, name="Jan Kowalski")
    login(client, person)
    response = post_form(client, "/account/", {"name": "  Jan Kowalski-Nowak ", "language": "pl"})
    assert response.status_code == 302
    assert db.session.scalar(select(User.name).where(User.id == person.id)) == "Jan Kowalski-Nowak"

    for data in ({"name": "", "language": "pl"}, {"name": "Jan", "language": "xx"}):
        response = post_form(client, "/account/", data)
        assert response.status_code == 200
        assert "is-invalid" in response.text
    assert db.session.scalar(select(User.name).where(User.id == person.id)) == "Jan Kowalski-Nowak"
    assert db.session.scalar(select(User.language).where(User.id == person.id)) == "pl"
