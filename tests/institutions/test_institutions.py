"""Institutions: admins create and search them, coordinators edit their own, bad input changes nothing."""

from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.institutions.models import Institution, InstitutionKind, Voivodeship
from tests.conftest import login, post_form

VALID = {
    "name": "Gminny Ośrodek Pomocy Społecznej w Żółkiewce",
    "kind": "ops",
    "gmina": "Żółkiewka",
    "powiat": "krasnostawski",
    "voivodeship": "lubelskie",
    "address": "ul. Szkolna 1",
    "contact_email": "gops@zolkiewka.example.org",
    "contact_phone": "+48 82 000 00 00",
}


def test_admin_creates_an_institution_and_the_decision_is_audited(client, make_user):
    admin = make_user(Role.ADMIN)
    login(client, admin)
    response = post_form(client, "/institutions/new", VALID)
    assert response.status_code == 302
    institution = db.session.scalar(select(Institution))
    assert institution.name == VALID["name"] and institution.voivodeship is Voivodeship.LUBELSKIE
    assert institution.kind is InstitutionKind.OPS
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "institution.created"))
    assert event.actor_id == admin.id and event.object_id == institution.id
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Żółkiewka" in page and "lubelskie" in page


def test_bad_institution_input_is_shown_next_to_the_field_and_nothing_is_saved(client, make_user):
    login(client, make_user(Role.ADMIN))
    cases = [
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"voivodeship": "bawaria"}, "voivodeship"),
        ({"kind": "bank"}, "kind"),
    ]
    for change, field in cases:
        response = post_form(client, "/institutions/new", {**VALID, **change})
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert f'id="{field}"' in html and "is-invalid" in html, field
    assert db.session.scalar(select(func.count(Institution.id))) == 0


def test_coordinator_edits_own_institution_only(client, make_user, make_institution):
    own, other = make_institution("OPS Własny"), make_institution("OPS Cudzy")
    login(client, make_user(Role.COORDINATOR, institution=own))
    response = post_form(client, f"/institutions/{own.id}/edit", {**VALID, "name": "OPS Własny — nowa nazwa"})
    assert response.status_code == 302
    assert client.get(f"/institutions/{other.id}/edit").status_code == 404
    db.session.expire_all()
    assert db.session.get(Institution, own.id).name == "OPS Własny — nowa nazwa"
    assert db.session.get(Institution, other.id).name == "OPS Cudzy"


def test_admin_list_searches_filters_and_pages_with_a_fixed_number_of_queries(
    app, client, make_user, make_institution, count_queries
):
    login(client, make_user(Role.ADMIN))
    make_institution("MOPS Kraków", Voivodeship.MALOPOLSKIE)
    make_institution("OPS Zakopane", Voivodeship.MALOPOLSKIE)
    make_institution("OPS Białystok", Voivodeship.PODLASKIE)

    html = client.get("/institutions/?q=kraków").get_data(as_text=True)
    assert "MOPS Kraków" in html and "OPS Zakopane" not in html
    html = client.get("/institutions/?voivodeship=malopolskie").get_data(as_text=True)
    assert "MOPS Kraków" in html and "OPS Zakopane" in html and "OPS Białystok" not in html
    # A page past the end leads to the list's last page, keeping the filters (an unknown filter is ignored).
    past = client.get("/institutions/?voivodeship=atlantyda&page=999")
    assert past.status_code == 302 and past.headers["Location"] == "/institutions/?voivodeship=atlantyda"
    assert client.get(past.headers["Location"]).status_code == 200

    with count_queries() as small:
        client.get("/institutions/")
    db.session.add_all(
        Institution(
            name=f"OPS {n:03}", kind=InstitutionKind.OPS, gmina="G", powiat="P", voivodeship=Voivodeship.SLASKIE
        )
        for n in range(120)
    )
    db.session.commit()
    app.config["PAGE_SIZE"], page_size = 50, app.config["PAGE_SIZE"]
    with count_queries() as large:
        html = client.get("/institutions/?page=2").get_data(as_text=True)
    app.config["PAGE_SIZE"] = page_size
    assert "Strona 2 z 3" in html
    assert large.count == small.count
