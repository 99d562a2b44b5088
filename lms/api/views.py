"""The read-only JSON API (/api/v1/) and the pages where a person manages their API tokens (/account/tokens/).

Authentication is by personal token only (``Authorization: Bearer cal_…``): the session cookie never
authenticates an API call. Programmes, certificate verification and the OpenAPI document are public;
a token sent to them must still be valid. Every answer, errors included, is JSON.
"""

import re
from datetime import date, datetime

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from lms.access.checks import Action, can, get_or_404, require, require_signed_in
from lms.accounts.models import User
from lms.accounts.profile_sections import add_profile_section
from lms.api import openapi, serialize, services
from lms.api.forms import NewTokenForm, RevokeTokenForm
from lms.certificates.models import CertificateKind
from lms.certificates.services import verify as verify_certificate
from lms.editions.models import Edition
from lms.extensions import db, limiter, login_manager
from lms.institutions.models import Institution
from lms.urls import safe_next

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")

# HTML pages where a person creates and revokes personal API tokens.
tokens_blueprint = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


def _profile_tokens(user: User) -> Markup | None:
    """The tokens on the profile: for whoever may create them, and for anyone who still owns one.

    A person whose role changed (an animator who was a coordinator) keeps tokens that still authenticate
    as them: they must be able to see and revoke them, even though they cannot create new ones.
    """
    may_create = can(user, Action.USE_API)
    tokens = services.tokens_of(user)
    if not may_create and not tokens:
        return None
    return Markup(render_template("api/_profile_tokens.html", tokens=tokens, may_create=may_create))


tokens_blueprint.record_once(lambda state: add_profile_section(state.app, _profile_tokens))

PAGING = ("page", "per_page")
MAX_ID = 2**63 - 1  # larger path ids cannot exist (and would overflow the database driver)
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ApiError(Exception):
    """An API answer other than 200, with a message saying what to change."""

    def __init__(self, code: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.code, self.message, self.headers = code, message, headers or {}


@blueprint.errorhandler(ApiError)
def api_error(error: ApiError):
    return jsonify(error={"code": error.code, "message": error.message}), error.code, error.headers


def public(view):
    """Mark an endpoint as readable without a token."""
    view.api_public = True
    return view


def _unauthorized(message: str) -> ApiError:
    return ApiError(401, message, {"WWW-Authenticate": 'Bearer realm="api"'})


def _act_as(user) -> None:
    """Make ``user`` (None: anonymous) the current user for this request only.

    ``login_user`` would write the session cookie and a ``request_loader`` runs only after the
    session cookie was tried, so neither keeps the API stateless and token-only. This is the
    one call Flask-Login itself uses (in ``login_user``/``logout_user``) to set ``current_user``
    for the request.
    """
    login_manager._update_request_context_with_user(user)


@blueprint.before_request
def authenticate():
    """Who is calling: the token's owner, or anonymous on public endpoints; 401 otherwise."""
    header = request.headers.get("Authorization")
    view = current_app.view_functions.get(request.endpoint)
    if header is None:
        if getattr(view, "api_public", False):
            _act_as(None)
            return
        raise _unauthorized(_("This address needs an API token: send the header Authorization: Bearer <token>."))
    scheme, _space, credentials = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip() or " " in credentials.strip():
        raise _unauthorized(_("The Authorization header is malformed: send Authorization: Bearer <token>."))
    user = services.user_for_token(credentials.strip())
    if user is None:
        raise _unauthorized(_("The API token is not valid: it is unknown, malformed or revoked."))
    _act_as(user)


@blueprint.after_request
def no_store(response):
    """Answers given to a token are personal: no shared cache keeps them."""
    if request.headers.get("Authorization"):
        response.headers["Cache-Control"] = "private, no-store"
    return response


# ---------------------------------------------------------------------------------------------
# Query parameters


def _arguments(*filters: str, paged: bool = True) -> dict[str, str]:
    """The query parameters, refusing unknown and repeated ones (400 naming them)."""
    allowed = (set(PAGING) if paged else set()) | set(filters)
    unknown = sorted(set(request.args) - allowed)
    if unknown:
        raise ApiError(
            400,
            _(
                "Unknown query parameter(s): %(names)s. Allowed: %(allowed)s.",
                names=", ".join(unknown),
                allowed=", ".join(sorted(allowed)) or "-",
            ),
        )
    repeated = sorted(name for name in request.args if len(request.args.getlist(name)) > 1)
    if repeated:
        raise ApiError(400, _("Query parameter(s) given more than once: %(names)s.", names=", ".join(repeated)))
    return dict(request.args)


def _positive(arguments: dict, name: str, default: int, maximum: int | None = None) -> int:
    raw = arguments.get(name)
    if raw is None:
        return default
    if not (raw.isascii() and raw.isdigit()) or len(raw) > 18 or int(raw) < 1:
        raise ApiError(400, _("%(name)s must be a whole number of at least 1.", name=name))
    value = int(raw)
    if maximum is not None and value > maximum:
        raise ApiError(400, _("%(name)s may be at most %(maximum)s.", name=name, maximum=maximum))
    return value


def _paging(arguments: dict) -> tuple[int, int]:
    page = _positive(arguments, "page", 1)
    per_page = _positive(arguments, "per_page", services.DEFAULT_PER_PAGE, services.MAX_PER_PAGE)
    return page, per_page


def _date(arguments: dict, name: str) -> date | None:
    raw = arguments.get(name)
    if raw is None:
        return None
    try:
        if not _DATE.fullmatch(raw):
            raise ValueError(raw)
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise ApiError(400, _("%(name)s must be a date written YYYY-MM-DD.", name=name)) from None


def _choice(arguments: dict, name: str, choices: list[str]) -> str | None:
    raw = arguments.get(name)
    if raw is not None and raw not in choices:
        raise ApiError(400, _("%(name)s must be one of: %(choices)s.", name=name, choices=", ".join(choices)))
    return raw


def _id(value: int) -> int:
    if value > MAX_ID:
        abort(404)
    return value


def _is_admin() -> bool:
    return can(current_user, Action.ADMIN_AREA)


# ---------------------------------------------------------------------------------------------
# Endpoints


@blueprint.get("/openapi.json")
@public
def openapi_document():
    """The OpenAPI 3.1 description of this API."""
    _arguments(paged=False)
    return jsonify(openapi.document())


@blueprint.get("/programmes")
@public
def programmes():
    """Every programme (public)."""
    page, per_page = _paging(_arguments())
    return jsonify(
        serialize.page(services.paginate_list(services.programmes(), page, per_page), serialize.programme_summary)
    )


@blueprint.get("/programmes/<slug>")
@public
def programme(slug: str):
    """A programme's levels and modules in order, with assignments (current versions; public)."""
    _arguments(paged=False)
    detail = services.programme_detail(slug[:80])
    if detail is None:
        raise ApiError(404, _("There is no programme with this slug."))
    return jsonify(serialize.programme_detail(detail))


@blueprint.get("/editions")
def editions():
    """The editions the token's owner may see, newest first; filters: programme, starts_after."""
    arguments = _arguments("programme", "starts_after")
    page, per_page = _paging(arguments)
    statement = services.editions(
        current_user,
        _is_admin(),
        programme_slug=arguments.get("programme"),
        starts_after=_date(arguments, "starts_after"),
    )
    return jsonify(serialize.page(services.paginate(statement, page, per_page), serialize.edition))


@blueprint.get("/editions/<int:edition_id>")
def edition(edition_id: int):
    """One edition with its trainers and institutions."""
    _arguments(paged=False)
    return jsonify(serialize.edition_detail(get_or_404(Edition, _id(edition_id))))


@blueprint.get("/institutions/<int:institution_id>/progress")
def institution_progress(institution_id: int):
    """Each enrolled staff member's module states per edition of the institution (paged by person × edition)."""
    arguments = _arguments()
    page, per_page = _paging(arguments)
    institution = get_or_404(Institution, _id(institution_id))
    result = services.paginate(services.progress_rows(institution, current_user, _is_admin()), page, per_page)
    result.items = services.progress_of(result.items)
    slugs = services.assignment_slugs({row[0].edition.programme_id for row in result.items})
    return jsonify(serialize.page(result, lambda row: serialize.progress(row, slugs)))


@blueprint.get("/institutions/<int:institution_id>/checklist")
def institution_checklist(institution_id: int):
    """The live institution-certificate checklist for each programme the institution takes part in."""
    arguments = _arguments()
    page, per_page = _paging(arguments)
    institution = get_or_404(Institution, _id(institution_id))
    result = services.paginate_list(services.certificate_programmes(institution), page, per_page)
    result.items = services.checklists(institution, result.items)
    return jsonify(serialize.page(result, serialize.checklist))


@blueprint.get("/certificates")
def certificates():
    """Certificates the token's owner may see: their own; a coordinator's institution's; all for admins."""
    arguments = _arguments("kind")
    page, per_page = _paging(arguments)
    kind = _choice(arguments, "kind", [k.value for k in CertificateKind])
    statement = services.certificates(current_user, _is_admin(), CertificateKind(kind) if kind else None)
    return jsonify(serialize.page(services.paginate(statement, page, per_page), serialize.certificate))


def _verify_limit() -> str:
    return current_app.config["RATELIMIT_VERIFY"]


@blueprint.get("/verify/<code>")
@public
@limiter.limit(_verify_limit)
def verify(code: str):
    """The public facts of a certificate (the same as the verification page); rate-limited."""
    _arguments(paged=False)
    result = verify_certificate(code[:64])
    if result is None:
        raise ApiError(404, _("No certificate has this code. Check it and try again."))
    return jsonify(serialize.verification(result))


# ---------------------------------------------------------------------------------------------
# Token pages (HTML, signed-in people)


@tokens_blueprint.route("/", methods=["GET", "POST"])
def index():
    """The person's API tokens; POST creates one and shows it once (for the roles that may use the API)."""
    require(Action.USE_API)
    form = NewTokenForm()
    created = None
    if form.validate_on_submit():
        try:
            _token, created = services.create_token(current_user, form.name.data or "")
            db.session.commit()
            form = NewTokenForm(formdata=None)
        except services.TokenError as error:
            db.session.rollback()
            form.name.errors.append(str(error))
    response = current_app.make_response(
        render_template(
            "api/tokens.html",
            form=form,
            tokens=services.tokens_of(current_user),
            created=created,
        )
    )
    if created:
        response.headers["Cache-Control"] = "no-store"  # the token is on this page only once
    return response


@tokens_blueprint.post("/<int:token_id>/revoke")
def revoke(token_id: int):
    """Revoke one of one's own tokens (someone else's answers 404)."""
    require_signed_in()
    token = services.token_of(current_user, _id(token_id)) or abort(404)
    if RevokeTokenForm().validate_on_submit():
        if services.revoke_token(token, current_user):
            db.session.commit()
            flash(_("The token “%(name)s” is revoked: it no longer opens the API.", name=token.name), "success")
        else:
            flash(_("This token was already revoked."), "info")
    return redirect(safe_next(request.form.get("next"), url_for("accounts.profile")))
