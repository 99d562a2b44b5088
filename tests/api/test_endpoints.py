"""What each endpoint answers, to whom, and how it refuses bad input (JSON 4xx, never a 500)."""

from datetime import date

from sqlalchemy import select

from lms.certificates.models import Certificate
from lms.content.models import Programme
from lms.editions.models import Edition
from lms.extensions import db
from lms.institutions.models import Voivodeship
from tests.api.conftest import accept, get, submit


def _error(response, code: int) -> str:
    assert response.status_code == code, response.get_data(as_text=True)
    assert response.is_json
    assert response.json["error"]["code"] == code
    return response.json["error"]["message"]


# --- Programmes (public) -------------------------------------------------------------------------


def test_programmes_are_public_and_paged(client, mini_programme):
    body = client.get("/api/v1/programmes").json
    assert body["page"] == 1 and body["per_page"] == 50 and body["total"] == 1 and body["pages"] == 1
    [programme] = body["items"]
    assert programme["slug"] == "mini" and programme["module_count"] == 3
    assert programme["total_hours"] == 13.5


def test_a_programme_lists_levels_modules_and_assignments_in_order(client, mini_programme):
    body = client.get("/api/v1/programmes/mini").json
    assert [level["number"] for level in body["levels"]] == [1, 2]
    first, second = body["levels"][0]["modules"]
    assert (first["slug"], first["title"], first["duration_hours"]) == ("pierwszy", "Pierwszy moduł", 8)
    assert first["goals"] == ["Rozumiesz rolę animatora.", "Znasz pięć standardów CAL."]
    [profile] = first["assignments"]
    assert profile == {
        "slug": "profil",
        "title": "Mój profil animatora",
        "scope": "person",
        "required": True,
        "criteria": ["Profil wymienia trzy zasoby.", "Plan ma termin."],
    }
    assert second["assignments"][0]["scope"] == "institution"
    assert body["levels"][1]["modules"][0]["assignments"][0]["required"] is False


def test_an_unknown_programme_is_404_json(client, mini_programme):
    _error(client.get("/api/v1/programmes/nie-ma"), 404)


# --- Editions --------------------------------------------------------------------------------------


def test_each_person_lists_the_editions_they_may_see(client, world):
    expected = {
        "animator": ["Edycja OPS A"],
        "coordinator": ["Edycja OPS A"],
        "trainer": ["Edycja OPS A"],
        "animator_other": ["Edycja OPS B"],
        "trainer_other": ["Edycja OPS B"],
        "admin": ["Edycja OPS B", "Edycja OPS A"],  # newest first
    }
    for role, names in expected.items():
        body = get(client, "/api/v1/editions", world["tokens"][role]).json
        assert [e["name"] for e in body["items"]] == names, role
        assert body["total"] == len(names)


def test_editions_filter_by_programme_and_start_date(client, world):
    admin = world["tokens"]["admin"]
    body = get(client, "/api/v1/editions?starts_after=2026-06-01", admin).json
    assert [e["name"] for e in body["items"]] == ["Edycja OPS B"]
    body = get(client, "/api/v1/editions?programme=mini&starts_after=2025-12-31", admin).json
    assert body["total"] == 2
    assert get(client, "/api/v1/editions?programme=unknown", admin).json["total"] == 0


def test_malformed_dates_and_unknown_filters_are_400_json_naming_them(client, world):
    admin = world["tokens"]["admin"]
    for value in ("2026-13-01", "2026-02-30", "01.02.2026", "20260101", "yesterday", "", "2026-1-1"):
        message = _error(get(client, f"/api/v1/editions?starts_after={value}", admin), 400)
        assert "starts_after" in message, value
    message = _error(get(client, "/api/v1/editions?voivodeship=mazowieckie&sort=name", admin), 400)
    assert "voivodeship" in message and "sort" in message
    _error(get(client, "/api/v1/programmes?q=x"), 400)
    _error(get(client, "/api/v1/certificates?kind=diploma", admin), 400)
    _error(get(client, "/api/v1/editions?page=1&page=2", admin), 400)
    # Single objects are not paged: paging parameters there are unknown too.
    assert "page" in _error(get(client, f"/api/v1/editions/{world['E'].id}?page=2", admin), 400)
    _error(get(client, "/api/v1/programmes/mini?per_page=5"), 400)


def test_an_edition_is_shown_to_those_who_may_see_it_and_404_to_others(client, world):
    url = f"/api/v1/editions/{world['E'].id}"
    body = get(client, url, world["tokens"]["coordinator"]).json
    assert body["name"] == "Edycja OPS A"
    assert [t["name"] for t in body["trainers"]] == ["Tomasz Trener"]
    assert [i["name"] for i in body["institutions"]] == ["OPS A"]
    for role in ("animator_other", "coordinator_other", "trainer_other"):
        _error(get(client, url, world["tokens"][role]), 404)
    _error(get(client, "/api/v1/editions/999999", world["tokens"]["admin"]), 404)
    _error(get(client, "/api/v1/editions/" + "9" * 30, world["tokens"]["admin"]), 404)


# --- Paging ----------------------------------------------------------------------------------------


def _more_editions(world, count: int) -> None:
    programme = db.session.scalar(select(Programme))
    for n in range(count):
        db.session.add(
            Edition(
                name=f"Edycja {n:02}",
                programme=programme,
                voivodeship=Voivodeship.MAZOWIECKIE,
                starts_on=date(2025, 1, 1 + n),
                ends_on=date(2026, 1, 1),
            )
        )
    db.session.commit()


def test_paging_walks_the_list_and_a_page_beyond_the_end_is_empty(client, world):
    _more_editions(world, 5)
    admin = world["tokens"]["admin"]
    seen = []
    for page in (1, 2, 3):
        body = get(client, f"/api/v1/editions?per_page=3&page={page}", admin).json
        assert (body["page"], body["per_page"], body["total"], body["pages"]) == (page, 3, 7, 3)
        seen += [e["id"] for e in body["items"]]
    assert len(seen) == len(set(seen)) == 7
    body = get(client, "/api/v1/editions?per_page=3&page=4", admin).json
    assert body["items"] == [] and body["total"] == 7
    assert get(client, "/api/v1/editions?page=999999999999", admin).json["items"] == []


def test_page_sizes_over_the_maximum_and_bad_page_numbers_are_400(client, world):
    admin = world["tokens"]["admin"]
    assert get(client, "/api/v1/editions?per_page=100", admin).status_code == 200
    assert "100" in _error(get(client, "/api/v1/editions?per_page=101", admin), 400)
    for query in ("per_page=0", "per_page=-1", "per_page=abc", "page=0", "page=1.5", "page=" + "9" * 40, "page=١"):
        _error(get(client, f"/api/v1/editions?{query}", admin), 400)
    _error(get(client, "/api/v1/programmes?per_page=101"), 400)


# --- An institution's progress and checklist -------------------------------------------------------


def test_progress_lists_module_states_of_the_institutions_staff(client, world):
    accept(submit(world["people"]["animator"], world["E"], "profil"), world["people"]["trainer"])
    submit(world["people"]["colleague"], world["E"], "mapa")  # an institution deliverable: both see it
    url = f"/api/v1/institutions/{world['A'].id}/progress"
    body = get(client, url, world["tokens"]["coordinator"]).json
    assert body["total"] == 2
    rows = {row["person"]["name"]: row for row in body["items"]}
    assert set(rows) == {"Alicja Animatorka", "Bartek Kolega"}
    alicja = rows["Alicja Animatorka"]
    assert alicja["edition"] == {"id": world["E"].id, "name": "Edycja OPS A"}
    level_one = alicja["levels"][0]
    assert [m["status"] for m in level_one["modules"]] == ["accepted", "submitted"]
    assert level_one["modules"][0]["assignments"][0] == {
        "slug": "profil", "title": "Mój profil animatora", "scope": "person", "required": True, "status": "accepted",
    }  # fmt: skip
    assert (level_one["accepted"], level_one["modules_total"], level_one["percent"]) == (1, 2, 50)
    assert [m["status"] for m in rows["Bartek Kolega"]["levels"][0]["modules"]] == ["not_started", "submitted"]


def test_who_reads_an_institutions_progress(client, world):
    url = f"/api/v1/institutions/{world['A'].id}/progress"
    everyone = {"Alicja Animatorka", "Bartek Kolega"}
    for role, names in {
        "admin": everyone,
        "coordinator": everyone,
        "trainer": everyone,
        "animator": {"Alicja Animatorka"},  # an animator reads only their own progress
    }.items():
        body = get(client, url, world["tokens"][role]).json
        assert {row["person"]["name"] for row in body["items"]} == names, role
    for role in ("animator_other", "coordinator_other", "trainer_other"):
        _error(get(client, url, world["tokens"][role]), 404)
    _error(get(client, "/api/v1/institutions/999999/progress", world["tokens"]["admin"]), 404)


def test_checklist_for_the_institution_and_nobody_else(client, world):
    url = f"/api/v1/institutions/{world['A'].id}/checklist"
    body = get(client, url, world["tokens"]["coordinator"]).json
    [checklist] = body["items"]
    assert checklist["programme"] == {"slug": "mini", "title": "Program testowy"}
    assert checklist["certificate_title"] == "Certyfikat testowy"
    assert checklist["complete"] is False and checklist["certificate"] is None
    assert [item["met"] for item in checklist["items"]] == [False, False, False, False]
    # Keys stay the same in every language and import, so that other systems can rely on them.
    keys = ["certified_staff", "deliverable:mapa", "consultations", "indicator_report"]
    assert [item["key"] for item in checklist["items"]] == keys
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = get(client, url, world["tokens"]["coordinator"]).json["items"][0]
    assert [item["key"] for item in english["items"]] == keys
    assert english["items"][0]["label"] != checklist["items"][0]["label"]
    assert checklist["items"][1]["label"] == "Mapa potrzeb i zasobów"
    assert checklist["items"][0]["detail"] == "0 / 1"
    for role in ("animator", "trainer", "admin"):
        assert get(client, url, world["tokens"][role]).status_code == 200, role
    # An animator (or anyone else) of another institution cannot read it.
    for role in ("animator_other", "coordinator_other", "trainer_other"):
        _error(get(client, url, world["tokens"][role]), 404)


def test_checklist_follows_the_work(client, world):
    accept(submit(world["people"]["colleague"], world["E"], "mapa"), world["people"]["trainer"])
    accept(submit(world["people"]["animator"], world["E"], "profil"), world["people"]["trainer"])
    body = get(client, f"/api/v1/institutions/{world['A'].id}/checklist", world["tokens"]["coordinator"]).json
    items = body["items"][0]["items"]
    assert [item["met"] for item in items] == [True, True, False, False]
    assert items[1]["work_status"] == "accepted"


# --- Certificates and verification ------------------------------------------------------------------


def test_certificates_own_institutions_or_all(client, world):
    accept(submit(world["people"]["animator"], world["E"], "profil"), world["people"]["trainer"])
    accept(submit(world["people"]["animator_other"], world["F"], "profil"), world["people"]["trainer_other"])
    expected = {
        "animator": ["Alicja Animatorka"],
        "colleague": [],
        "coordinator": ["Alicja Animatorka"],
        "trainer": [],
        "animator_other": ["Obca Animatorka"],
        "admin": ["Alicja Animatorka", "Obca Animatorka"],
    }
    for role, holders in expected.items():
        body = get(client, "/api/v1/certificates", world["tokens"][role]).json
        assert sorted(c["holder"]["name"] for c in body["items"]) == holders, role
    certificate = get(client, "/api/v1/certificates?kind=person", world["tokens"]["animator"]).json["items"][0]
    assert certificate["state"] == "valid" and certificate["kind"] == "person"
    assert certificate["institution"]["name"] == "OPS A"
    assert get(client, "/api/v1/certificates?kind=institution", world["tokens"]["admin"]).json["total"] == 0


def test_verification_is_public_and_matches_the_verification_page(client, world):
    accept(submit(world["people"]["animator"], world["E"], "profil"), world["people"]["trainer"])
    code = db.session.scalar(select(Certificate.code))
    body = client.get(f"/api/v1/verify/{code.lower()}").json
    assert body["holder"] == "Alicja Animatorka" and body["state"] == "valid"
    assert body["code"] == "-".join(code[i : i + 4] for i in range(0, 16, 4))
    assert body["institution"] == "OPS A" and body["programme"] == "Program testowy"
    _error(client.get("/api/v1/verify/AAAA-AAAA-AAAA-AAAA"), 404)
    _error(client.get("/api/v1/verify/not-a-code"), 404)
    _error(client.get(f"/api/v1/verify/{code}?debug=1"), 400)


def test_verification_is_rate_limited_by_the_same_setting_as_the_page(app, client, mini_programme):
    # A day-long window: a short test never straddles two windows.
    app.config["RATELIMIT_VERIFY"], limit = "3 per day", app.config["RATELIMIT_VERIFY"]
    try:
        statuses = [client.get("/api/v1/verify/AAAA-AAAA-AAAA-AAAA").status_code for _ in range(4)]
        refused = client.get("/api/v1/verify/AAAA-AAAA-AAAA-AAAA")
    finally:
        app.config["RATELIMIT_VERIFY"] = limit
    assert statuses == [404, 404, 404, 429]
    _error(refused, 429)


# --- Everything else under /api/ is JSON too ---------------------------------------------------------


def test_unknown_addresses_and_methods_answer_json(client, world):
    _error(client.get("/api/v1/nothing-here"), 404)
    _error(get(client, "/api/v1/editions/abc", world["tokens"]["admin"]), 404)
    _error(client.post("/api/v1/programmes"), 405)
