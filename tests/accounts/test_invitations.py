"""Invitations: who may invite whom, the e-mailed one-time link, accepting it, and bad input."""

import html as html_lib
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Invitation, Role, User
from lms.base import utcnow
from lms.extensions import db
from tests.conftest import PASSWORD, csrf_token, english, link_in, login, outbox, post_form

INVITEE = "nowa.osoba@example.org"
INVITEE_PASSWORD = "Wiosenny-Deszcz-2031"


# --- helpers -----------------------------------------------------------------------------


def field_errors(page: str, field: str) -> str:
    """The error messages shown next to the form field with id ``field`` (empty when none)."""
    start = page.index(f'id="{field}"')
    ends = [i for i in (page.find('<div class="mb-3', start), page.find("</form>", start)) if i != -1]
    block = page[start : min(ends)]
    return html_lib.unescape(" ".join(re.findall(r'class="invalid-feedback[^"]*">(.*?)</div>', block, re.S)))


def select_options(page: str, field: str) -> list[str]:
    """The values offered by the <select> with id ``field``."""
    select_tag = re.search(rf'<select[^>]*\bid="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return re.findall(r'<option[^>]*value="([^"]*)"', select_tag)


def tampered(path: str) -> str:
    """The link ``path`` with one character of its token changed."""
    prefix, _, token = path.rpartition("/")
    middle = len(token) // 2
    replacement = "A" if token[middle] != "A" else "B"
    return f"{prefix}/{token[:middle]}{replacement}{token[middle + 1 :]}"


def send_invitation(client, email: str, role: str, institution_id: int = 0):
    """Fill in and send the invitation form."""
    return post_form(client, "/invitations/new", {"email": email, "role": role, "institution": institution_id})


def accept(client, link: str, name: str = "Nowa Osoba", password: str = INVITEE_PASSWORD, confirm: str | None = None):
    """Fill in and send the acceptance form behind an invitation link."""
    data = {"name": name, "password": password, "confirm": password if confirm is None else confirm}
    return post_form(client, link, data)


def account(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.email == email))


def invitation_count() -> int:
    return db.session.scalar(select(func.count(Invitation.id)))


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMIN, name="Ada Administratorka")


@pytest.fixture
def invitation_link(client, admin, make_institution):
    """An admin's invitation of INVITEE as coordinator of an institution; the path of its link."""
    institution = make_institution()
    login(client, admin)
    assert send_invitation(client, INVITEE, "coordinator", institution.id).status_code == 302
    return link_in(outbox(INVITEE)[0])


# --- the happy path ------------------------------------------------------------------------------


def test_admin_invites_coordinator_who_accepts_and_is_signed_in(app, client, admin, make_institution):
    institution = make_institution(name="OPS w Zielonce")
    login(client, admin)
    english(client)
    response = send_invitation(client, INVITEE, "coordinator", institution.id)
    assert response.status_code == 302
    assert f"Invitation sent to {INVITEE}." in client.get(response.headers["Location"]).get_data(as_text=True)

    messages = outbox()
    assert len(messages) == 1
    assert messages[0].recipient == INVITEE
    link = link_in(messages[0])
    assert link.startswith("/invitations/")
    token = link.rsplit("/", 1)[1]
    assert token not in {invitation.token_hash for invitation in db.session.scalars(select(Invitation))}

    invitee = app.test_client()
    english(invitee)
    form = invitee.get(link)
    assert form.status_code == 200
    page = form.get_data(as_text=True)
    assert INVITEE in page and "OPS w Zielonce" in page
    assert all(f'name="{field}"' in page for field in ("name", "password", "confirm"))

    accepted = accept(invitee, link, name="Celina Koordynatorka")
    assert accepted.status_code == 302
    assert accepted.headers["Location"] == "/"
    user = account(INVITEE)
    assert user is not None
    assert user.name == "Celina Koordynatorka"
    assert user.roles == {Role.COORDINATOR}
    assert user.institution_id == institution.id
    assert "Hello, Celina Koordynatorka" in invitee.get("/").get_data(as_text=True)  # signed in

    again = app.test_client()
    english(again)
    reused = again.get(link)
    assert reused.status_code == 400
    assert "This invitation has already been used." in reused.get_data(as_text=True)
    assert again.post(link, data={"name": "Ktoś Inny", "password": PASSWORD, "confirm": PASSWORD}).status_code == 400
    assert db.session.scalar(select(func.count(User.id))) == 2
    assert login(app.test_client(), INVITEE, INVITEE_PASSWORD).status_code == 302


def test_admin_invites_trainer_without_institution(app, client, admin):
    login(client, admin)
    assert send_invitation(client, INVITEE, "trainer", 0).status_code == 302
    invitee = app.test_client()
    assert accept(invitee, link_in(outbox(INVITEE)[0])).status_code == 302
    user = account(INVITEE)
    assert user.roles == {Role.TRAINER}
    assert user.institution_id is None


def test_animator_or_coordinator_invitation_needs_an_institution(client, admin, make_institution):
    make_institution()
    login(client, admin)
    english(client)
    response = send_invitation(client, INVITEE, "animator", 0)
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "institution") == (
        "Animators and coordinators must belong to an institution."
    )
    assert outbox() == []
    assert invitation_count() == 0


# --- refused links ------------------------------------------------------------------------------


def test_expired_invitation_is_refused_and_creates_nothing(app, invitation_link):
    invitation = db.session.scalar(select(Invitation))
    invitation.expires_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    invitee = app.test_client()
    english(invitee)
    response = invitee.get(invitation_link)
    assert response.status_code == 400
    assert "This invitation has expired." in response.get_data(as_text=True)
    data = {"name": "Nowa Osoba", "password": INVITEE_PASSWORD, "confirm": INVITEE_PASSWORD}
    assert invitee.post(invitation_link, data=data).status_code == 400
    assert account(INVITEE) is None


def test_tampered_invitation_link_is_refused_and_creates_nothing(app, invitation_link):
    invitee = app.test_client()
    english(invitee)
    link = tampered(invitation_link)
    response = invitee.get(link)
    assert response.status_code == 400
    assert "This invitation link is invalid." in response.get_data(as_text=True)
    data = {"name": "Nowa Osoba", "password": INVITEE_PASSWORD, "confirm": INVITEE_PASSWORD}
    assert invitee.post(link, data=data).status_code == 400
    assert account(INVITEE) is None


# --- who may invite whom ----------------------------------------------------------------------------


def test_coordinator_is_offered_only_animators_of_their_own_institution(client, make_user, make_institution):
    own = make_institution(name="OPS w Testowie")
    make_institution(name="Dom Kultury w Innym")
    coordinator = make_user(Role.COORDINATOR, institution=own)
    login(client, coordinator)
    page = client.get("/invitations/new")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert select_options(html, "role") == ["animator"]
    assert select_options(html, "institution") == [str(own.id)]


def test_coordinator_cannot_invite_into_another_institution(client, make_user, make_institution):
    own = make_institution(name="OPS w Testowie")
    other = make_institution(name="Dom Kultury w Innym")
    coordinator = make_user(Role.COORDINATOR, institution=own)
    login(client, coordinator)
    english(client)
    response = send_invitation(client, INVITEE, "animator", other.id)
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "institution") == "Not a valid choice."
    assert outbox() == []
    assert invitation_count() == 0


def test_coordinator_cannot_invite_a_coordinator(client, make_user, make_institution):
    own = make_institution()
    coordinator = make_user(Role.COORDINATOR, institution=own)
    login(client, coordinator)
    english(client)
    response = send_invitation(client, INVITEE, "coordinator", own.id)
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "role") == "Not a valid choice."
    assert outbox() == []
    assert invitation_count() == 0


def test_coordinator_invites_an_animator_of_their_institution(app, client, make_user, make_institution):
    own = make_institution()
    coordinator = make_user(Role.COORDINATOR, institution=own)
    login(client, coordinator)
    assert send_invitation(client, INVITEE, "animator", own.id).status_code == 302
    assert [message.recipient for message in outbox()] == [INVITEE]
    assert accept(app.test_client(), link_in(outbox()[0])).status_code == 302
    user = account(INVITEE)
    assert user.roles == {Role.ANIMATOR}
    assert user.institution_id == own.id


@pytest.mark.parametrize("role", [Role.ANIMATOR, Role.TRAINER])
def test_animators_and_trainers_may_not_invite(client, make_user, make_institution, role):
    institution = make_institution()
    person = make_user(role, institution=institution if role is Role.ANIMATOR else None)
    login(client, person)
    assert client.get("/invitations/new").status_code == 403
    token = csrf_token(client.get("/").get_data(as_text=True))
    data = {"email": INVITEE, "role": "animator", "institution": institution.id, "csrf_token": token}
    assert client.post("/invitations/new", data=data).status_code == 403
    assert outbox() == []


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get("/invitations/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login")


# --- bad input ------------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["zajety@example.org", "Zajety@Example.ORG"], ids=["same", "other-case"])
def test_inviting_an_existing_account_looks_the_same_and_tells_its_owner_instead(
    client, make_user, make_institution, email
):
    institution = make_institution()
    coordinator = make_user(Role.COORDINATOR, institution=institution)
    existing = make_user(Role.ANIMATOR, email="zajety@example.org", institution=make_institution("Inny OPS"))
    login(client, coordinator)
    english(client)
    for address in (email, INVITEE):
        answer = send_invitation(client, address, "animator", institution.id)
        assert answer.status_code == 302
        assert f"Invitation sent to {address}." in client.get(answer.headers["Location"]).get_data(as_text=True)
    assert invitation_count() == 1  # only the new address gets an invitation link
    [told] = outbox(existing.email)
    assert "You already have an account" in told.body and "/invitations/" not in told.body
    assert link_in(told) == "/login"
    db.session.refresh(existing)
    assert existing.institution.name == "Inny OPS"  # nothing about the account changed


def test_inviting_an_invalid_email_is_refused(client, admin, make_institution):
    institution = make_institution()
    login(client, admin)
    english(client)
    response = send_invitation(client, "to-nie-jest-adres", "animator", institution.id)
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "email") == "Invalid email address."
    assert outbox() == []
    assert invitation_count() == 0


def test_accepting_with_mismatched_passwords_is_refused(app, invitation_link):
    invitee = app.test_client()
    english(invitee)
    response = accept(invitee, invitation_link, confirm=INVITEE_PASSWORD + "!")
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "confirm") == "The passwords do not match."
    assert account(INVITEE) is None
    assert invitee.get(invitation_link).status_code == 200  # the invitation is still open


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("Krótkie-1", "The password must have at least 10 characters."),
        ("12345678901234", "The password cannot consist of digits only."),
        ("qwertyuiop", "This password is too common; choose another."),
        ("Nowa.Osoba-2031", "The password cannot contain your e-mail address."),
    ],
    ids=["too-short", "digits-only", "common", "contains-email-local-part"],
)
def test_accepting_with_a_weak_password_is_refused(app, invitation_link, password, rule):
    invitee = app.test_client()
    english(invitee)
    response = accept(invitee, invitation_link, password=password)
    assert response.status_code == 200
    assert rule in field_errors(response.get_data(as_text=True), "password")
    assert account(INVITEE) is None


def test_accepting_with_a_name_over_120_characters_is_refused(app, invitation_link):
    invitee = app.test_client()
    english(invitee)
    response = accept(invitee, invitation_link, name="A" * 121)
    assert response.status_code == 200
    assert field_errors(response.get_data(as_text=True), "name") == "Field must be between 2 and 120 characters long."
    assert account(INVITEE) is None


def test_accepting_with_a_name_of_exactly_120_characters_works(app, invitation_link):
    name = "Ż" * 120
    assert accept(app.test_client(), invitation_link, name=name).status_code == 302
    assert account(INVITEE).name == name


def test_accepting_with_a_one_letter_name_padded_with_spaces_is_refused(app, invitation_link):
    invitee = app.test_client()
    english(invitee)
    response = accept(invitee, invitation_link, name="  A  ")
    assert response.status_code == 200
    assert account(INVITEE) is None
