"""Load and waiting times: the trainer sees their own on the dashboard, admins see every edition's trainers side by
side; both pages ask a fixed number of SQL statements however many works, decisions and editions there are."""

from datetime import date, timedelta

from sqlalchemy import select

from lms.accounts.models import Role
from lms.base import utcnow
from lms.editions.models import Edition
from lms.extensions import db
from lms.learning import allocation
from lms.learning.models import Work
from tests.certificates.conftest import decide
from tests.conftest import login
from tests.trainers.conftest import submit

OVERVIEW = "/admin/trainers/"
DASHBOARD = "/dashboard/trainer/"


def _mine(world, trainer):
    return [a for a in world["attempts"] if allocation.assigned_trainer_id(a.work_id) == trainer.id]


def test_the_trainer_dashboard_shows_their_own_load(client, world):
    b = world["b"]
    mine = _mine(world, b)
    assert len(mine) >= 2
    oldest = db.session.get(Work, mine[0].work_id)
    oldest.last_submitted_at = utcnow() - timedelta(days=4, hours=1)
    db.session.commit()
    decide(mine[1], b)
    login(client, b)
    page = client.get(DASHBOARD).get_data(as_text=True)
    section = page[page.index("Twoje obciążenie") : page.index("queues-heading")]
    waiting = len(mine) - 1
    assert f'<p class="h2 mb-0">{waiting}</p>' in section
    assert "4 dni" in section and "najdłuższe oczekiwanie" in section
    assert '<p class="h2 mb-0">1</p><p class="small text-muted mb-0">decyzja w ostatnich 30 dniach' in section
    assert "/trainers/absences/" in section


def test_admins_see_every_trainer_of_each_edition_side_by_side(client, world):
    login(client, world["admin"])
    assert "/admin/trainers/" in client.get("/admin/people/").get_data(as_text=True)  # linked from the admin area
    page = client.get(OVERVIEW).get_data(as_text=True)
    table = page[page.index("Edycja pomorska") :]
    rows = {t.name: table.index(t.name) for t in (world["a"], world["b"], world["c"])}
    assert len(rows) == 3 and all(position > 0 for position in rows.values())
    waiting = {t: len(_mine(world, world[t])) for t in "abc"}
    assert sum(waiting.values()) == len(world["attempts"])
    for key in "abc":
        trainer = world[key]
        row = table[table.index(f'<th scope="row">{trainer.name}</th>') :]
        row = row[: row.index("</tr>")]
        assert f'<td class="text-end">{waiting[key]}</td>' in row, row


def _more_data(world, make_user, make_institution, count: int) -> None:
    """``count`` more submitted works and decisions in the edition, and another edition with its own trainers."""
    edition = world["edition"]
    for n in range(count):
        attempt = submit(make_user(Role.ANIMATOR, institution=world["y"]), edition, "profil", enrol=True)
        if n % 2:
            decide(attempt, world["c"])
    other = Edition(name=f"Edycja druga {count}", programme=world["programme"], voivodeship=edition.voivodeship,
                    starts_on=date(2026, 1, 1), ends_on=date(2027, 12, 31),
                    trainers=[make_user(Role.TRAINER), make_user(Role.TRAINER)],
                    institutions=[make_institution(f"OPS nowy {count}")])  # fmt: skip
    db.session.add(other)
    db.session.commit()
    allocation.mark_absence(world["b"], date(2031, 1, count), date(2031, 1, count + 1))
    db.session.commit()


def _queries(client, count_queries, url: str) -> int:
    assert client.get(url).status_code == 200  # warms the session
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_load_pages_ask_as_many_statements_on_more_data(app, world, make_user, make_institution, count_queries):
    admin_client, trainer_client = app.test_client(), app.test_client()
    login(admin_client, world["admin"])
    login(trainer_client, world["b"])
    _more_data(world, make_user, make_institution, 2)
    small = [_queries(admin_client, count_queries, OVERVIEW), _queries(trainer_client, count_queries, DASHBOARD),
             _queries(admin_client, count_queries, f"/admin/trainers/editions/{world['edition'].id}/")]  # fmt: skip
    _more_data(world, make_user, make_institution, 12)
    larger = [_queries(admin_client, count_queries, OVERVIEW), _queries(trainer_client, count_queries, DASHBOARD),
              _queries(admin_client, count_queries, f"/admin/trainers/editions/{world['edition'].id}/")]  # fmt: skip
    assert db.session.scalar(select(db.func.count(Edition.id))) == 3
    assert larger == small
    print(f"statements per page (overview, trainer dashboard, edition): {small}")
