"""The OpenAPI 3.1 document of the read-only API, written by hand.

Every object schema lists all its properties as required and allows no others, so the tests that
validate real responses against it (tests/api/test_openapi.py) catch any drift in either direction.
"""

from lms.api.services import DEFAULT_PER_PAGE, MAX_PER_PAGE
from lms.content.spec import Scope
from lms.institutions.models import Voivodeship

MODULE_STATES = [
    "not_started", "reading", "draft", "awaiting_confirmation", "submitted", "revision_requested", "accepted"
]  # fmt: skip
ASSIGNMENT_STATES = ["not_started", "draft", "awaiting_confirmation", "submitted", "revision_requested", "accepted"]
CERTIFICATE_STATES = ["valid", "expired", "revoked"]
CERTIFICATE_KINDS = ["person", "institution"]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(schema: dict) -> dict:
    if "$ref" in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    return {**schema, "type": [schema["type"], "null"]}


def _object(description: str, **properties) -> dict:
    return {
        "type": "object",
        "description": description,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _array(items: dict) -> dict:
    return {"type": "array", "items": items}


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
NUMBER = {"type": "number"}
DATE = {"type": "string", "format": "date"}
DATE_TIME = {"type": "string", "format": "date-time"}
ID = {"type": "integer", "minimum": 1}


def _page_of(item: str) -> dict:
    return _object(
        f"A page of {item} items.",
        items=_array(_ref(item)),
        page={"type": "integer", "minimum": 1},
        per_page={"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        total={"type": "integer", "minimum": 0},
        pages={"type": "integer", "minimum": 0},
    )


SCHEMAS = {
    "Error": _object(
        "What went wrong.",
        error=_object("The error.", code={"type": "integer", "minimum": 400, "maximum": 599}, message=STRING),
    ),
    "ProgrammeRef": _object("A programme, briefly.", slug=STRING, title=STRING),
    "NamedRef": _object("A person or an edition, briefly.", id=ID, name=STRING),
    "ProgrammeSummary": _object(
        "A programme in the catalogue.",
        slug=STRING,
        title=STRING,
        summary_html={**STRING, "description": "Sanitised HTML."},
        module_count={"type": "integer", "minimum": 0},
        total_hours={"type": "number", "minimum": 0},
    ),
    "ProgrammeDetail": _object(
        "A programme with its levels and active modules in order (current content versions).",
        slug=STRING,
        title=STRING,
        summary_html={**STRING, "description": "Sanitised HTML."},
        levels=_array(_ref("Level")),
    ),
    "Level": _object("A level of a programme.", number=INTEGER, title=STRING, modules=_array(_ref("ModuleOutline"))),
    "ModuleOutline": _object(
        "A module as its current version states it.",
        slug=STRING,
        title=STRING,
        position=INTEGER,
        version={**INTEGER, "description": "The content version number (a changed re-import adds one)."},
        duration_hours={"type": "number", "minimum": 0},
        summary=STRING,
        goals=_array(STRING),
        assignments=_array(_ref("AssignmentOutline")),
    ),
    "AssignmentOutline": _object(
        "An assignment of a module.",
        slug=STRING,
        title=STRING,
        scope={"type": "string", "enum": [s.value for s in Scope]},
        required=BOOLEAN,
        criteria=_array(STRING),
    ),
    "Edition": _object(
        "An edition (cohort): a programme run in a region and period.",
        id=ID,
        name=STRING,
        programme=_ref("ProgrammeRef"),
        voivodeship={"type": "string", "enum": [v.value for v in Voivodeship]},
        starts_on=DATE,
        ends_on=DATE,
    ),
    "EditionDetail": _object(
        "An edition with its trainers and participating institutions.",
        id=ID,
        name=STRING,
        programme=_ref("ProgrammeRef"),
        voivodeship={"type": "string", "enum": [v.value for v in Voivodeship]},
        starts_on=DATE,
        ends_on=DATE,
        trainers=_array(_ref("NamedRef")),
        institutions=_array(
            _object(
                "A participating institution.",
                id=ID,
                name=STRING,
                voivodeship={"type": "string", "enum": [v.value for v in Voivodeship]},
            )
        ),
    ),
    "Progress": _object(
        "One enrolled staff member's progress in one edition (their own and their institution's work).",
        edition=_ref("NamedRef"),
        person=_ref("NamedRef"),
        levels=_array(
            _object(
                "Progress through one level.",
                number=INTEGER,
                title=STRING,
                accepted={**INTEGER, "description": "Modules accepted."},
                modules_total=INTEGER,
                percent={"type": "integer", "minimum": 0, "maximum": 100},
                modules=_array(
                    _object(
                        "A module's state.",
                        slug=STRING,
                        title=STRING,
                        status={"type": "string", "enum": MODULE_STATES},
                        assignments=_array(
                            _object(
                                "An assignment's state.",
                                slug=STRING,
                                title=STRING,
                                scope={"type": "string", "enum": [s.value for s in Scope]},
                                required=BOOLEAN,
                                status={"type": "string", "enum": ASSIGNMENT_STATES},
                            )
                        ),
                    )
                ),
            )
        ),
    ),
    "Checklist": _object(
        "The live checklist toward a programme's institution certificate.",
        programme=_ref("ProgrammeRef"),
        certificate_title=STRING,
        complete=BOOLEAN,
        met_count=INTEGER,
        items_total=INTEGER,
        percent={"type": "integer", "minimum": 0, "maximum": 100},
        items=_array(
            _object(
                "One condition; labels are in the request's language, keys never change.",
                key={
                    **STRING,
                    "description": "certified_staff, deliverable:<assignment slug>, consultations or indicator_report.",
                },
                label=STRING,
                met=BOOLEAN,
                detail={**STRING, "description": "e.g. '2 / 3' for counted conditions, else empty."},
                work_status=_nullable(
                    {"type": "string", "enum": [*ASSIGNMENT_STATES[1:], None], "description": "For a deliverable."}
                ),
            )
        ),
        certificate=_nullable(
            _object(
                "The valid institution certificate, if held.",
                code=STRING,
                issued_on=DATE,
                valid_until=_nullable(DATE),
            )
        ),
    ),
    "Certificate": _object(
        "An issued certificate.",
        id=ID,
        kind={"type": "string", "enum": CERTIFICATE_KINDS},
        title=STRING,
        code={**STRING, "description": "The verification code as printed (XXXX-XXXX-XXXX-XXXX)."},
        programme=_ref("ProgrammeRef"),
        level=_nullable(INTEGER),
        holder=_nullable(_ref("NamedRef")),
        institution=_ref("NamedRef"),
        edition_id=_nullable(INTEGER),
        issued_at=DATE_TIME,
        valid_until=_nullable(DATE),
        state={"type": "string", "enum": CERTIFICATE_STATES},
        revoked_at=_nullable(DATE_TIME),
        revoked_reason=STRING,
    ),
    "Verification": _object(
        "The public facts of a certificate, as the verification page shows them.",
        title=STRING,
        programme=STRING,
        issuer={**STRING, "description": "The programme's organiser, who issues its certificates."},
        level=_nullable(INTEGER),
        holder={**STRING, "description": "A person's name, or the institution's."},
        institution=STRING,
        locality=STRING,
        issued_on=DATE,
        valid_until=_nullable(DATE),
        state={"type": "string", "enum": CERTIFICATE_STATES},
        revoked_reason=STRING,
        code=STRING,
        revoked_on=_nullable(DATE),
        continuous_since={**_nullable(DATE), "description": "Renewed in time: valid without a break since this day."},
    ),
    "ProgrammePage": _page_of("ProgrammeSummary"),
    "EditionPage": _page_of("Edition"),
    "ProgressPage": _page_of("Progress"),
    "ChecklistPage": _page_of("Checklist"),
    "CertificatePage": _page_of("Certificate"),
}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


RESPONSES = {
    "BadRequest": _error("Unknown or repeated query parameters, a malformed value, or a page size over the maximum."),
    "Unauthorized": {
        **_error("No token, a malformed Authorization header, or an unknown or revoked token."),
        "headers": {"WWW-Authenticate": {"schema": STRING, "description": "Bearer"}},
    },
    "NotFound": _error("Unknown, or not visible to the token's owner (the two look the same)."),
    "TooManyRequests": _error("Too many requests from this address; wait and try again."),
}

PARAMETERS = {
    "page": {
        "name": "page",
        "in": "query",
        "required": False,
        "description": "The page, from 1. A page beyond the end has no items.",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
    },
    "per_page": {
        "name": "per_page",
        "in": "query",
        "required": False,
        "description": f"Items per page, at most {MAX_PER_PAGE} (more is refused with 400).",
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE, "default": DEFAULT_PER_PAGE},
    },
}

PUBLIC = [{}, {"bearerAuth": []}]  # no token needed; a token sent must be valid


def _path_parameter(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description, "schema": schema}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _errors(*names: str) -> dict:
    codes = {"BadRequest": "400", "Unauthorized": "401", "NotFound": "404", "TooManyRequests": "429"}
    return {codes[name]: {"$ref": f"#/components/responses/{name}"} for name in names}


def _operation(operation_id: str, summary: str, ok: dict, *, errors=(), parameters=(), paged=False, public=False):
    operation = {
        "operationId": operation_id,
        "summary": summary,
        "parameters": [
            *(
                [{"$ref": "#/components/parameters/page"}, {"$ref": "#/components/parameters/per_page"}]
                if paged
                else []
            ),
            *parameters,
        ],
        "responses": {"200": ok, **_errors("BadRequest", "Unauthorized", *errors)},
    }
    if public:
        operation["security"] = PUBLIC
    return {"get": operation}


INSTITUTION_ID = _path_parameter("institution_id", ID, "The institution's id.")


def document() -> dict:
    """The whole OpenAPI document."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Akademia CAL API",
            "version": "1.0.0",
            "description": (
                "Read-only JSON API of Akademia CAL for institutions' and the programme's own systems. "
                "Authenticate with a personal token (created on the account's API tokens page) in "
                "`Authorization: Bearer <token>`; the token's owner sees exactly what they see on the site. "
                "Every list is paged (`page`, `per_page` up to "
                f"{MAX_PER_PAGE}); unknown query parameters are refused with 400."
            ),
        },
        "paths": {
            "/api/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document.",
                    "security": PUBLIC,
                    "responses": {
                        "200": {"description": "The OpenAPI document.", "content": {"application/json": {}}},
                        **_errors("BadRequest", "Unauthorized"),
                    },
                }
            },
            "/api/v1/programmes": _operation(
                "listProgrammes",
                "Every programme (public).",
                _ok("ProgrammePage", "Programmes by title."),
                paged=True,
                public=True,
            ),
            "/api/v1/programmes/{slug}": _operation(
                "getProgramme",
                "A programme's levels and modules in order, with their assignments (public).",
                _ok("ProgrammeDetail", "The programme."),
                errors=("NotFound",),
                parameters=[_path_parameter("slug", STRING, "The programme's slug.")],
                public=True,
            ),
            "/api/v1/editions": _operation(
                "listEditions",
                "The editions the token's owner may see, newest first.",
                _ok("EditionPage", "Editions."),
                paged=True,
                parameters=[
                    {
                        "name": "programme",
                        "in": "query",
                        "required": False,
                        "description": "Only editions of the programme with this slug.",
                        "schema": STRING,
                    },
                    {
                        "name": "starts_after",
                        "in": "query",
                        "required": False,
                        "description": "Only editions starting after this day (YYYY-MM-DD).",
                        "schema": DATE,
                    },
                ],
            ),
            "/api/v1/editions/{edition_id}": _operation(
                "getEdition",
                "One edition with its trainers and institutions.",
                _ok("EditionDetail", "The edition."),
                errors=("NotFound",),
                parameters=[_path_parameter("edition_id", ID, "The edition's id.")],
            ),
            "/api/v1/institutions/{institution_id}/progress": _operation(
                "getInstitutionProgress",
                "Module states of the institution's enrolled staff, one item per person and edition. "
                "Coordinators and admins see all staff, a trainer those in the editions they train, an animator "
                "themselves.",
                _ok("ProgressPage", "Progress, newest edition first, then by name."),
                errors=("NotFound",),
                paged=True,
                parameters=[INSTITUTION_ID],
            ),
            "/api/v1/institutions/{institution_id}/checklist": _operation(
                "getInstitutionChecklist",
                "The live institution-certificate checklist for each programme the institution takes part in.",
                _ok("ChecklistPage", "Checklists by programme title."),
                errors=("NotFound",),
                paged=True,
                parameters=[INSTITUTION_ID],
            ),
            "/api/v1/certificates": _operation(
                "listCertificates",
                "Certificates the token's owner may see: their own; a coordinator's institution's; all for admins.",
                _ok("CertificatePage", "Certificates, newest first."),
                paged=True,
                parameters=[
                    {
                        "name": "kind",
                        "in": "query",
                        "required": False,
                        "description": "Only person or only institution certificates.",
                        "schema": {"type": "string", "enum": CERTIFICATE_KINDS},
                    }
                ],
            ),
            "/api/v1/verify/{code}": _operation(
                "verifyCertificate",
                "The public facts of the certificate with this code (public; rate-limited per address).",
                _ok("Verification", "The certificate."),
                errors=("NotFound", "TooManyRequests"),
                parameters=[
                    _path_parameter("code", STRING, "The verification code; case, dashes and spaces do not matter.")
                ],
                public=True,
            ),
        },
        "components": {
            "schemas": SCHEMAS,
            "responses": RESPONSES,
            "parameters": PARAMETERS,
            "securitySchemes": {
                "bearerAuth": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A personal API token (cal_…), created on the account's API tokens page.",
                }
            },
        },
        "security": [{"bearerAuth": []}],
    }
