"""List endpoints run a number of SQL queries that does not grow with the data."""

from datetime import date

from sqlalchemy import select

from lms.accounts.models import Role
from lms.certificates import codes
from lms.certificates.models import Certificate, CertificateKind
from lms.content.models import Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from tests.api.conftest import get, submit


def _queries(client, count_queries, url: str, token: str) -> int:
    assert get(client, url, token).status_code == 200  # warm-up: also notes the token's use
    with count_queries() as counter:
        response = get(client, url, token)
    assert response.status_code == 200
    return counter.count


def _grow(world, make_user, size: int) -> None:
    """More staff of A enrolled in E (with work), more editions, more certificates."""
    people = world["people"]
    programme = db.session.scalar(select(Programme))
    for n in range(size):
        person = make_user(Role.ANIMATOR, institution=world["A"], name=f"Osoba {size}-{n}")
        db.session.add(Enrolment(edition_id=world["E"].id, user_id=person.id, enrolled_by_id=people["admin"].id))
        db.session.commit()
        submit(person, world["E"], "profil")
        db.session.add(
            Certificate(
                kind=CertificateKind.PERSON,
                code=codes.new_code(),
                title="Zaświadczenie",
                programme_id=programme.id,
                level=1,
                holder_id=person.id,
                institution_id=world["A"].id,
                edition_id=world["E"].id,
                issued_by_id=people["trainer"].id,
            )
        )
        db.session.add(
            Edition(
                name=f"Edycja {size}-{n}",
                programme=programme,
                voivodeship=Voivodeship.MAZOWIECKIE,
                starts_on=date(2025, 1, 1),
                ends_on=date(2026, 1, 1),
                institutions=[world["A"]],
                trainers=[people["trainer"]],
            )
        )
    db.session.commit()


def test_list_endpoints_do_not_run_more_queries_with_more_data(client, world, make_user, count_queries):
    a = world["A"].id
    lists = [
        ("/api/v1/programmes", "animator"),
        ("/api/v1/editions", "admin"),
        ("/api/v1/editions?programme=mini&starts_after=2020-01-01", "trainer"),
        ("/api/v1/certificates", "coordinator"),
        ("/api/v1/certificates", "admin"),
        (f"/api/v1/institutions/{a}/progress", "coordinator"),
        (f"/api/v1/institutions/{a}/progress", "trainer"),
        (f"/api/v1/institutions/{a}/checklist", "coordinator"),
    ]
    _grow(world, make_user, 2)
    small = {url + role: _queries(client, count_queries, url, world["tokens"][role]) for url, role in lists}
    _grow(world, make_user, 12)
    large = {url + role: _queries(client, count_queries, url, world["tokens"][role]) for url, role in lists}
    assert large == small
    assert max(small.values()) <= 15, small
    # The lists really did grow (same number of queries for more rows).
    body = get(client, f"/api/v1/institutions/{a}/progress", world["tokens"]["coordinator"]).json
    assert body["total"] == 16 and len(body["items"]) == 16
