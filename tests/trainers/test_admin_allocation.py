"""An admin sets each trainer's share of an edition and hands one waiting work to another trainer by hand
(audited, never to the work's own institution); bad input gets a Polish message, never a 500."""

from sqlalchemy import select

from lms.accounts.models import Role
from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.learning import allocation
from lms.learning.allocation import TrainerShare
from tests.conftest import login, post_form
from tests.trainers.conftest import submit


def _edition_url(world) -> str:
    return f"/admin/trainers/editions/{world['edition'].id}/"


def test_an_admin_sets_the_shares_and_new_work_follows_them(client, world, make_user):
    a, b, c = world["a"], world["b"], world["c"]
    login(client, world["admin"])
    url = _edition_url(world)
    page = client.get(url).get_data(as_text=True)
    assert "Zadeklarowane udziały" in page and 'value="2"' in page  # A's declared share
    response = post_form(client, url, {f"share-{a.id}": "1", f"share-{b.id}": "3", f"share-{c.id}": "0"})
    assert response.status_code == 302
    assert "Udziały zapisane" in client.get(url).get_data(as_text=True)
    shares = dict(db.session.execute(select(TrainerShare.user_id, TrainerShare.share)).all())
    assert shares == {a.id: 1, b.id: 3, c.id: 0}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "edition.trainer_shares"))
    assert event.actor_id == world["admin"].id and event.details[str(b.id)] == "1->3"
    later = submit(make_user(Role.ANIMATOR, institution=world["y"]), world["edition"], "profil", enrol=True)
    assert allocation.assigned_trainer_id(later.work_id) != c.id  # a share of 0: no new work


def test_bad_shares_are_refused_in_polish(client, world):
    a, b, c = world["a"], world["b"], world["c"]
    login(client, world["admin"])
    response = post_form(client, _edition_url(world), {f"share-{a.id}": "-1", f"share-{b.id}": "dużo",
                                                       f"share-{c.id}": "999"})  # fmt: skip
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert text.count("is-invalid") >= 3 and "Number must" not in text and "Not a valid" not in text
    assert db.session.scalar(select(TrainerShare.share).where(TrainerShare.user_id == a.id)) == 2


def test_an_admin_reassigns_a_work_by_hand_audited(client, world):
    b, c = world["b"], world["c"]
    attempt = world["attempts"][0]  # a learner of Y: any trainer may have it
    before = allocation.assigned_trainer_id(attempt.work_id)
    target = c if before != c.id else b
    login(client, world["admin"])
    url = _edition_url(world)
    page = client.get(url).get_data(as_text=True)
    assert "W tej edycji czeka 6 prac." in page
    response = post_form(client, f"/admin/trainers/works/{attempt.work_id}/reassign",
                         {f"w{attempt.work_id}-trainer": str(target.id)}, token_from=url)  # fmt: skip
    assert response.status_code == 302
    assert f"Praca została przekazana: {target.name}." in client.get(url).get_data(as_text=True)
    assert allocation.assigned_trainer_id(attempt.work_id) == target.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "work.reassigned"))
    assert event.actor_id == world["admin"].id
    assert event.details == {"from_trainer_id": str(before), "to_trainer_id": str(target.id)}


def test_a_work_is_never_handed_to_a_trainer_of_its_own_institution(client, world):
    a = world["a"]  # staff of X
    own = world["attempts"][-1]  # a learner of X
    before = allocation.assigned_trainer_id(own.work_id)
    login(client, world["admin"])
    url = _edition_url(world)
    page = client.get(url).get_data(as_text=True)
    form_start = page.index(f'id="w{own.work_id}-trainer"')
    assert "Anna Adamska" not in page[form_start : page.index("</select>", form_start)]
    post_form(client, f"/admin/trainers/works/{own.work_id}/reassign", {f"w{own.work_id}-trainer": str(a.id)},
              token_from=url)  # fmt: skip
    assert "Ten trener nie może ocenić tej pracy" in client.get(url).get_data(as_text=True)
    assert allocation.assigned_trainer_id(own.work_id) == before
    for junk in ("", "abc", "999999"):
        response = post_form(client, f"/admin/trainers/works/{own.work_id}/reassign",
                             {f"w{own.work_id}-trainer": junk}, token_from=url)  # fmt: skip
        assert response.status_code == 302
    assert "Wybierz trenera tej edycji" in client.get(url).get_data(as_text=True)
    assert allocation.assigned_trainer_id(own.work_id) == before
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "work.reassigned")) is None
