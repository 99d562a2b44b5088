"""Published documents at stable addresses: keys (JWKS), issuer profiles, achievements and status lists.

All public: they say nothing a holder has not already shown the verifier. Keys and profiles change
rarely; a status list may be cached for at most five minutes, so that a revocation is seen soon.
"""

from flask import Blueprint, abort, current_app, jsonify
from flask_babel import gettext as _
from sqlalchemy import select

from lms.content.models import Programme
from lms.credentials import keys, status, wording
from lms.credentials.profile import issuer_profile
from lms.credentials.services import Summary, signed_status_list, summary
from lms.extensions import db
from lms.urls import absolute_url, path_for

blueprint = Blueprint("credentials", __name__, url_prefix="/credentials")

STATUS_LIST_MAX_AGE = 300  # seconds


@blueprint.app_template_global()
def credential_summary(credential: dict | None) -> Summary | None:
    """What a verification page shows of a credential's content."""
    return summary(credential)


def _programme_or_404(slug: str) -> Programme:
    return db.session.scalar(select(Programme).where(Programme.slug == slug)) or abort(404)


def _public_json(data: dict, max_age: int = 3600):
    response = jsonify(data)
    response.headers["Cache-Control"] = f"public, max-age={max_age}"
    response.headers["Access-Control-Allow-Origin"] = "*"  # verifiers run in other sites' pages too
    return response


@blueprint.get("/jwks.json")
def jwks():
    """Every public key ever used to sign, old ones included."""
    return _public_json(keys.jwks(), max_age=300)


@blueprint.get("/keys/<name>")
def public_key(name: str):
    """One public key: what a credential's ``kid`` points to."""
    for key in keys.jwks()["keys"]:
        if key["kid"] == keys.key_url(name):
            return _public_json(key)
    abort(404)


@blueprint.get("/issuers/<issuer>")
def issuer(issuer: str):
    """The issuer's Open Badges Profile."""
    return _public_json(issuer_profile(_programme_or_404(issuer)))


@blueprint.get("/achievements/<issuer>/<kind>")
def achievement(issuer: str, kind: str):
    """What a certificate of this kind is for: name, description and criteria, in Polish."""
    programme = _programme_or_404(issuer)
    rule = (programme.certificates or {}).get(kind)
    if kind not in wording.ACHIEVEMENT_TYPE or not rule:
        abort(404)
    level = rule.get("level")
    return _public_json({
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": absolute_url(path_for("credentials.achievement", issuer=issuer, kind=kind)),
        "type": ["Achievement"],
        "achievementType": wording.ACHIEVEMENT_TYPE[kind],
        "name": rule["title"],
        "description": wording.description(kind, programme, level),
        "criteria": {"narrative": wording.criteria(kind, programme, level)},
        "inLanguage": "pl",
        "creator": issuer_profile(programme),
    })  # fmt: skip


@blueprint.get("/status/<issuer>/<purpose>")
def status_list(issuer: str, purpose: str):
    """The issuer's signed BitstringStatusListCredential (a VC-JWT), as of this moment.

    Without a signing key the list cannot be signed. That is the server's fault, not the verifier's, and a
    passing one: 503 with an explanation, never 404, which a verifier could read as "this list does not exist".
    """
    if purpose != status.REVOCATION:
        abort(404)
    _programme_or_404(issuer)
    if not keys.can_sign():
        return _status_list_unavailable()
    token = signed_status_list(issuer, purpose)
    if token is None:
        abort(404)
    response = current_app.response_class(token, mimetype="application/vc+jwt")
    response.headers["Cache-Control"] = f"public, max-age={STATUS_LIST_MAX_AGE}"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _status_list_unavailable():
    response = jsonify({
        "error": "no_signing_key",
        "message": _(
            "The revocation status list cannot be issued right now: this server has no signing key. The "
            "credential has not been found revoked, but its status cannot be confirmed. Try again later."
        ),
    })  # fmt: skip
    response.status_code = 503
    response.headers["Retry-After"] = "3600"
    response.headers["Cache-Control"] = "no-store"
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response
