"""``module_completion`` stays in step with what progress shows, whatever changes and however.

Every test ends by checking the rows against both a recomputation from the works
(``completions.computed``) and ``progress.people_progress`` for every enrolled person: the reports
count these rows, so they must say exactly what each person's progress page says.
"""

import shutil
from datetime import datetime

import pytest
from sqlalchemy import delete, select, update

from lms.accounts.models import Role
from lms.admin.services import update_person
from lms.content.importer import import_courses
from lms.content.models import Module, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import completions, enrolment
from lms.learning.decisions import Decision
from lms.learning.models import ModuleCompletion, Work, WorkStatus
from tests.certificates.conftest import decide, submit
from tests.conftest import MINI_COURSES
from tests.learning.conftest import shown_by_progress

SECOND_TASK = """assignments:
  - slug: refleksja
    title: Refleksja po module
    scope: person
    required: true
    instructions: |
      Napisz, czego się nauczyłaś.
    criteria:
      - Refleksja ma trzy zdania.
"""


@pytest.fixture
def courses(tmp_path):
    """A writable copy of the mini programme, imported."""
    target = tmp_path / "mini"
    shutil.copytree(MINI_COURSES, target)
    report = import_courses(target)
    assert not report.errors, report.errors
    return target


@pytest.fixture
def world(courses, make_institution, make_user):
    """Edition E of the mini programme with institutions A (animator, colleague, coordinator enrolled)
    and B (other enrolled), a trainer and an admin."""
    a, b = make_institution("GOPS w Żółkiewce", Voivodeship.LUBELSKIE), make_institution("MOPS w Chełmie")
    people = {
        "a": a,
        "b": b,
        "trainer": make_user(Role.TRAINER, name="Tomasz Trener"),
        "admin": make_user(Role.ADMIN, name="Anna Admin"),
        "coordinator": make_user(Role.COORDINATOR, institution=a, name="Katarzyna Koordynatorka"),
        "animator": make_user(Role.ANIMATOR, institution=a, name="Zofia Żółć"),
        "colleague": make_user(Role.ANIMATOR, institution=a, name="Jan Kowalski"),
        "newcomer": make_user(Role.ANIMATOR, institution=a, name="Nina Nowa"),
        "other": make_user(Role.ANIMATOR, institution=b, name="Olga Inna"),
    }
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    edition = Edition(
        name="Edycja lubelska", programme=programme, voivodeship=Voivodeship.LUBELSKIE,
        starts_on=datetime(2026, 1, 1).date(), ends_on=datetime(2027, 12, 31).date(),
        trainers=[people["trainer"]], institutions=[a, b],
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    for key in ("animator", "colleague", "coordinator", "other"):
        db.session.add(Enrolment(edition_id=edition.id, user_id=people[key].id, enrolled_by_id=people["admin"].id))
    db.session.commit()
    modules = {m.slug: m.id for m in db.session.scalars(select(Module))}
    return {**people, "edition": edition, "courses": courses, "modules": modules}


def completed(world) -> set[tuple[str, str]]:
    """(person, module slug) of every stored completion, after checking the rows are in step."""
    rows = completions.stored(db.session.connection())
    assert rows == completions.computed(db.session.connection())
    assert {row[:3] for row in rows} == shown_by_progress()
    names = {world[key].id: key for key in world if hasattr(world[key], "email")}
    slugs = {module_id: slug for slug, module_id in world["modules"].items()}
    return {(names[user_id], slugs[module_id]) for _edition, user_id, module_id, _at in rows}


def test_an_accepted_person_assignment_completes_the_module_for_that_person_only(world):
    review = decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    assert completed(world) == {("animator", "pierwszy")}
    row = db.session.scalar(select(ModuleCompletion))
    assert row.completed_at == review.decided_at == db.session.get(Work, review.attempt.work_id).accepted_at


def test_a_revision_request_completes_nothing(world):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"], Decision.REVISION_REQUESTED)
    submit(world["colleague"], world["edition"], "profil")
    assert completed(world) == set()


def test_institution_work_completes_the_module_for_its_enrolled_people(world):
    decide(submit(world["coordinator"], world["edition"], "mapa"), world["trainer"])
    # Enrolled people of A; not the newcomer (not enrolled) nor B's person.
    assert completed(world) == {("animator", "drugi"), ("colleague", "drugi"), ("coordinator", "drugi")}


def test_a_person_enrolled_later_gets_what_their_institution_completed(world):
    decide(submit(world["coordinator"], world["edition"], "plan-konsultacji"), world["trainer"])
    enrolment.enrol(world["edition"], [world["newcomer"]], world["admin"], [world["a"].id])
    db.session.commit()
    assert ("newcomer", "konsultacje") in completed(world)


def test_moving_to_another_institution_keeps_own_work_and_changes_shared_work(world, make_user):
    decide(submit(world["colleague"], world["edition"], "profil"), world["trainer"])
    decide(submit(world["coordinator"], world["edition"], "mapa"), world["trainer"])
    assert {("colleague", "pierwszy"), ("colleague", "drugi")} <= completed(world)

    colleague = world["colleague"]
    update_person(colleague, world["admin"], colleague.name, {Role.ANIMATOR}, world["b"].id, True)
    db.session.commit()
    assert {m for who, m in completed(world) if who == "colleague"} == {"pierwszy"}

    make_user(Role.COORDINATOR, institution=world["b"])  # who confirms B's deliverables
    decide(submit(world["other"], world["edition"], "mapa"), world["trainer"])  # B's map
    assert {m for who, m in completed(world) if who == "colleague"} == {"pierwszy", "drugi"}


def test_a_new_required_assignment_and_a_retired_module_change_completions_on_import(world, runner):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    decide(submit(world["coordinator"], world["edition"], "mapa"), world["trainer"])
    module_one = world["courses"] / "poziom-1/01-pierwszy.md"
    module_one.write_text(module_one.read_text(encoding="utf-8").replace("assignments:\n", SECOND_TASK, 1))
    moved = world["courses"].parent / "drugi.md"
    shutil.move(world["courses"] / "poziom-1/02-drugi.md", moved)
    result = runner.invoke(args=["courses", "import", str(world["courses"])])
    assert result.exit_code == 0 and "mini/drugi" in result.output
    assert completed(world) == set()  # "pierwszy" now needs the reflection too; "drugi" is retired

    shutil.move(moved, world["courses"] / "poziom-1/02-drugi.md")
    assert runner.invoke(args=["courses", "import", str(world["courses"])]).exit_code == 0
    decide(submit(world["animator"], world["edition"], "refleksja"), world["trainer"])
    assert {m for who, m in completed(world) if who == "animator"} == {"pierwszy", "drugi"}


def test_a_rolled_back_decision_completes_nothing(world):
    attempt = submit(world["animator"], world["edition"], "profil")
    work = db.session.get(Work, attempt.work_id)
    work.status, work.accepted_at = WorkStatus.ACCEPTED, datetime(2026, 3, 1)
    db.session.flush()
    completions.work_decided(db.session, work)
    assert len(completions.stored(db.session.connection())) == 1  # in step within the transaction
    db.session.rollback()
    assert completed(world) == set()


def test_a_bulk_update_is_taken_into_account_by_the_rebuild_that_follows_it(world):
    review = decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    earlier = datetime(2026, 2, 1, 8, 0)
    db.session.execute(update(Work).where(Work.id == review.attempt.work_id).values(accepted_at=earlier))
    completions.rebuild(db.session)
    db.session.commit()
    assert completed(world) == {("animator", "pierwszy")}
    assert db.session.scalar(select(ModuleCompletion.completed_at)) == earlier


def test_the_check_command_finds_and_repairs_rows_out_of_step(world, runner):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    result = runner.invoke(args=["progress", "completions"])
    assert result.exit_code == 0 and "zapisanych 1, przeliczonych 1" in result.output

    db.session.execute(delete(ModuleCompletion))  # as if a row had been lost
    db.session.commit()
    result = runner.invoke(args=["progress", "completions"])
    assert result.exit_code == 1 and "zapisanych 0, przeliczonych 1" in result.output
    assert "--repair" in result.output
    assert completions.stored(db.session.connection()) == set()  # the check alone changes nothing
    result = runner.invoke(args=["progress", "completions", "--repair"])
    assert result.exit_code == 0 and "przeliczono wszystkie wiersze" in result.output
    assert completed(world) == {("animator", "pierwszy")}
