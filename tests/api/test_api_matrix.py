"""Every API route × every kind of caller (by token): the same access policy as the site.

Routes are read from ``app.url_map``, so a new API route without an expectation here fails.
"""

from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.extensions import db
from tests.api.conftest import accept, get, submit

CALLERS = [
    "anonymous", "animator", "colleague", "animator_other", "coordinator", "coordinator_other", "trainer",
    "trainer_other", "admin",
]  # fmt: skip


def everyone(code: int) -> dict:
    return dict.fromkeys(CALLERS, code)


PUBLIC = everyone(200)
WITH_TOKEN = {**everyone(200), "anonymous": 401}
# Institution A / edition E: their people, E's trainer and admins; anyone else learns nothing (404).
SEES_A = {**everyone(404), "anonymous": 401, "animator": 200, "colleague": 200, "coordinator": 200}
SEES_A.update(trainer=200, admin=200)

EXPECTED = {
    "api.openapi_document": PUBLIC,
    "api.programmes": PUBLIC,
    "api.programme": PUBLIC,
    "api.verify": PUBLIC,
    "api.editions": WITH_TOKEN,
    "api.certificates": WITH_TOKEN,
    "api.edition": SEES_A,
    "api.institution_progress": SEES_A,
    "api.institution_checklist": SEES_A,
}


def test_every_api_route_for_every_caller(app, client, world):
    accept(submit(world["people"]["animator"], world["E"], "profil"), world["people"]["trainer"])
    arguments = {
        "slug": "mini",
        "code": db.session.scalar(select(Certificate.code)),
        "edition_id": world["E"].id,
        "institution_id": world["A"].id,
    }
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")]
    assert {rule.endpoint for rule in rules} == set(EXPECTED)
    failures = []
    for rule in rules:
        url = rule.build({name: arguments[name] for name in rule.arguments}, append_unknown=False)[1]
        for caller in CALLERS:
            token = None if caller == "anonymous" else world["tokens"][caller]
            response = get(client, url, token)
            expected = EXPECTED[rule.endpoint][caller]
            if response.status_code != expected or not response.is_json:
                failures.append(f"{caller} GET {url}: expected {expected}, got {response.status_code}")
    assert not failures, "\n".join(failures)
