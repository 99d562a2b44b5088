"""Personal API tokens: created on the account page, shown once, stored hashed, used, revoked."""

import hashlib
import re

from sqlalchemy import select

from lms.accounts.models import Role
from lms.api.models import ApiToken
from lms.audit.models import AuditEvent
from lms.extensions import db
from tests.api.conftest import bearer, get
from tests.conftest import csrf_token, login, post_form

TOKEN = re.compile(r"cal_[A-Za-z0-9_-]{43}")


def _database_dump() -> str:
    """Every row of every table, as text: the raw token must appear nowhere."""
    rows = []
    for table in db.metadata.sorted_tables:
        rows.extend(str(tuple(row)) for row in db.session.execute(table.select()))
    return "\n".join(rows)


def test_token_lifecycle_created_shown_once_stored_hashed_used_and_revoked(client, make_user, world):
    person = world["people"]["coordinator"]
    login(client, person)
    response = post_form(client, "/account/tokens/", {"name": "System gminy"})
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    raw = TOKEN.search(response.get_data(as_text=True)).group(0)

    # Shown once: the list shows only the prefix from now on.
    listing = client.get("/account/tokens/").get_data(as_text=True)
    assert raw not in listing
    assert raw[:8] in listing and "System gminy" in listing

    # Stored hashed: the database holds the SHA-256, never the token.
    token = db.session.scalar(select(ApiToken).where(ApiToken.name == "System gminy"))
    assert token.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert token.prefix == raw[:8] and token.user_id == person.id
    assert raw not in _database_dump()
    assert raw[8:] not in _database_dump()

    # Used: the API answers as the token's owner and notes the use.
    anonymous = client.application.test_client()
    response = get(anonymous, "/api/v1/certificates", raw)
    assert response.status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None

    # Revoked: 401 from then on.
    page = client.get("/account/tokens/").get_data(as_text=True)
    response = client.post(f"/account/tokens/{token.id}/revoke", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 302
    response = get(anonymous, "/api/v1/certificates", raw)
    assert response.status_code == 401
    assert response.is_json and response.json["error"]["code"] == 401
    assert response.headers["WWW-Authenticate"].startswith("Bearer")

    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_type == "ApiToken", AuditEvent.object_id == token.id)
    ).all()
    assert sorted(actions) == ["api_token.created", "api_token.revoked"]


def test_the_tokens_page_needs_a_signed_in_person(client):
    response = client.get("/account/tokens/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_token_needs_a_name(client, make_user):
    login(client, make_user(Role.COORDINATOR))
    response = post_form(client, "/account/tokens/", {"name": "   "})
    assert response.status_code == 200
    assert not TOKEN.search(response.get_data(as_text=True))
    assert db.session.scalar(select(ApiToken)) is None


def test_nobody_revokes_someone_elses_token(client, world):
    victim = db.session.scalar(select(ApiToken).where(ApiToken.user_id == world["people"]["coordinator"].id))
    login(client, world["people"]["coordinator_other"])
    page = client.get("/account/tokens/").get_data(as_text=True)
    response = client.post(f"/account/tokens/{victim.id}/revoke", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 404
    assert get(client, "/api/v1/certificates", world["tokens"]["coordinator"]).status_code == 200


def test_a_deactivated_persons_token_stops_working(client, world):
    person = world["people"]["animator"]
    person.active = False
    db.session.commit()
    assert get(client, "/api/v1/editions", world["tokens"]["animator"]).status_code == 401


def test_missing_malformed_and_unknown_tokens_answer_401_json(client, world):
    good = world["tokens"]["animator"]
    headers = [
        {},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Basic {good}"},
        {"Authorization": f"Token {good}"},
        {"Authorization": f"Bearer {good} extra"},
        {"Authorization": "Bearer cal_short"},
        {"Authorization": "Bearer " + "x" * 5000},
        {"Authorization": "Bearer cal_" + "A" * 43},  # well-formed, unknown
        {"Authorization": f"Bearer {good[:-1]}é"},
    ]
    for header in headers:
        response = client.get("/api/v1/editions", headers=header)
        assert response.status_code == 401, header
        assert response.is_json and set(response.json["error"]) == {"code", "message"}
        assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/editions", headers={"Authorization": f"bearer {good}"}).status_code == 200


def test_the_session_cookie_does_not_authenticate_api_calls(client, world):
    login(client, world["people"]["admin"])
    assert client.get("/api/v1/editions").status_code == 401
    assert client.get(f"/api/v1/institutions/{world['A'].id}/checklist").status_code == 401
    # A signed-in visitor still reads the public endpoints, as anyone does.
    assert client.get("/api/v1/programmes").status_code == 200


def test_a_token_sent_to_a_public_endpoint_must_be_valid(client, world):
    assert client.get("/api/v1/programmes").status_code == 200
    assert get(client, "/api/v1/programmes", world["tokens"]["animator"]).status_code == 200
    assert client.get("/api/v1/programmes", headers=bearer("cal_nonsense")).status_code == 401


def test_an_animators_old_token_is_listed_on_the_profile_and_revoked_there(client, world):
    """An animator cannot create tokens, but one made under an earlier role still opens the API: they see and end it."""
    animator = world["people"]["animator"]
    token = db.session.scalar(select(ApiToken).where(ApiToken.user_id == animator.id))
    token_id = token.id
    login(client, animator)
    assert get(client.application.test_client(), "/api/v1/editions", world["tokens"]["animator"]).status_code == 200

    profile = client.get("/account/").get_data(as_text=True)
    assert "Tokeny API" in profile and "animator system" in profile and token.prefix in profile
    assert "Utworzony" in profile and "Ostatnio użyty" in profile
    assert "Twoja rola nie pozwala już tworzyć tokenów" in profile
    assert 'href="/account/tokens/"' not in profile  # creating stays with the roles that use the API
    assert client.get("/account/tokens/").status_code == 403

    response = client.post(
        f"/account/tokens/{token_id}/revoke", data={"csrf_token": csrf_token(profile), "next": "/account/"}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/account/"
    after = client.get("/account/").get_data(as_text=True)
    assert "Token „animator system” został unieważniony" in after
    assert "unieważniony" in after and f"/account/tokens/{token_id}/revoke" not in after
    assert get(client.application.test_client(), "/api/v1/editions", world["tokens"]["animator"]).status_code == 401

    # Without CSRF nothing happens.
    other = db.session.scalar(select(ApiToken).where(ApiToken.user_id == world["people"]["coordinator"].id))
    login(client, world["people"]["coordinator"])
    assert client.post(f"/account/tokens/{other.id}/revoke", data={}).status_code in (302, 400)
    db.session.expire_all()
    assert db.session.get(ApiToken, other.id).revoked_at is None


def test_a_person_without_tokens_and_without_the_api_sees_no_token_section(client, make_user):
    login(client, make_user(Role.ANIMATOR))
    assert "Tokeny API" not in client.get("/account/").get_data(as_text=True)
