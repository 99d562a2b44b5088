"""What is cached and what is not (lms/pagecache.py): pages show every change at once, except the
programme report and the registry, whose copies live at most five minutes, say when they were read,
are cleared by the decisions that make them wrong, and cannot be pushed out by query strings."""

import re
import secrets

from sqlalchemy import select

from lms.accounts.models import Role
from lms.admin.services import update_person
from lms.certificates import services
from lms.extensions import db
from lms.learning.decisions import Decision
from lms.learning.models import ModuleRead
from tests.certificates.conftest import decide, submit, world  # noqa: F401  (fixtures and helpers)
from tests.certificates.test_institution_certificate import VISIT, complete_everything
from tests.conftest import login


def _get(client, url: str) -> str:
    """The page's HTML without its CSRF tokens (signed with the time, so they differ by the second)."""
    response = client.get(url, follow_redirects=True)  # /works/<id>/ leads its owner to their work page
    assert response.status_code == 200, url
    return re.sub(r'(name="csrf_token"[^>]*value=")[^"]+"', r"\1…", response.get_data(as_text=True))


def test_a_learner_who_moved_and_was_renamed_shows_the_new_name_at_once(app, world, make_institution):  # noqa: F811
    attempt = submit(world["animator"], world["edition"], "profil")
    trainer = app.test_client()
    login(trainer, world["trainer"])
    url = f"/reviews/attempts/{attempt.id}/"
    assert "Zofia Żółć" in _get(trainer, url)

    animator = world["animator"]
    elsewhere = make_institution("MOPS w Chełmie")
    update_person(animator, world["admin"], animator.name, {Role.ANIMATOR}, elsewhere.id, True)
    db.session.commit()
    update_person(animator, world["admin"], "Zofia Nowak", {Role.ANIMATOR}, elsewhere.id, True)
    db.session.commit()

    page = _get(trainer, url)
    assert "Zofia Nowak" in page and "Zofia Żółć" not in page


def test_reading_a_module_leaves_the_report_copy_alone(app, world, count_queries):  # noqa: F811
    admin = app.test_client()
    login(admin, world["admin"])
    with count_queries() as computed:
        first = _get(admin, "/reports/")
    assert "Stan na " in first

    animator = app.test_client()
    login(animator, world["animator"])
    _get(animator, "/programmes/mini/modules/pierwszy/")
    assert db.session.scalar(select(ModuleRead.user_id)) == world["animator"].id  # the read was written

    with count_queries() as again:
        assert _get(admin, "/reports/") == first  # the same copy, read at the same minute
    assert again.count < computed.count


def test_query_strings_cannot_push_the_registry_copy_out(app, world, count_queries):  # noqa: F811
    client = app.test_client()
    with count_queries() as computed:
        _get(client, "/registry/")
    for _ in range(1100):  # more than the cache holds
        assert client.get(f"/registry/?x={secrets.token_hex(8)}").status_code == 200  # unknown names are ignored
        assert client.get(f"/registry/?voivodeship={secrets.token_hex(4)}").status_code == 404  # never cached
    with count_queries() as again:
        _get(client, "/registry/")
    assert again.count < computed.count


def test_a_registry_page_that_does_not_exist_is_not_found_and_not_kept(app, world):  # noqa: F811
    client = app.test_client()
    assert client.get("/registry/?page=2").status_code == 404
    assert client.get("/registry/?page=200000000000000000").status_code == 404
    assert client.get("/registry/?kind=ops&voivodeship=lubelskie").status_code == 200


def test_an_award_and_a_revocation_show_in_the_registry_at_once(app, world):  # noqa: F811
    client = app.test_client()
    assert "GOPS w Żółkiewce" not in _get(client, "/registry/")
    complete_everything(world)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    certificate = services.award(application, world["admin"], VISIT)
    db.session.commit()
    assert "GOPS w Żółkiewce" in _get(client, "/registry/")

    services.revoke(certificate, world["admin"], "Wizytacja wykazała braki.")
    db.session.commit()
    assert "GOPS w Żółkiewce" not in _get(client, "/registry/")


def test_a_trainers_new_name_shows_in_histories_at_once(app, world):  # noqa: F811
    attempt = submit(world["animator"], world["edition"], "profil")
    review = decide(attempt, world["trainer"], Decision.REVISION_REQUESTED)
    client = app.test_client()
    login(client, world["animator"])
    url = f"/works/{review.attempt.work_id}/"
    assert "Tomasz Trener ·" in _get(client, url)
    world["trainer"].name = "Tomasz Trenerski"
    db.session.commit()
    assert "Tomasz Trenerski ·" in _get(client, url)
