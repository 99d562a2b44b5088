"""The review time target is a programme setting (programme.yaml review_target_days, 7 when absent): the importer
validates it with file and line, and reminders follow it (the trainer 2 days before, admins on the day)."""

import shutil
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.content.importer import check_courses, import_courses
from lms.content.models import Programme
from lms.extensions import db
from lms.learning import allocation
from lms.notifications.models import Notification
from tests.conftest import MINI_COURSES


@pytest.fixture
def courses(tmp_path):
    target = tmp_path / "mini"
    shutil.copytree(MINI_COURSES, target)
    return target


def _set_target(courses, value: str) -> None:
    path = courses / "programme.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("levels:\n", f"review_target_days: {value}\nlevels:\n", 1), encoding="utf-8")


def test_the_target_is_7_days_when_programme_yaml_is_silent(courses):
    assert not import_courses(courses).errors
    assert db.session.scalar(select(Programme.review_target_days)) == 7


def test_a_declared_target_is_imported_and_a_change_updates_the_programme(courses):
    import_courses(courses)
    _set_target(courses, "10")
    report = import_courses(courses)
    assert not report.errors and report.programmes_updated == ["mini"]
    assert db.session.scalar(select(Programme.review_target_days)) == 10


@pytest.mark.parametrize("value", ["siedem", "2", "91", "7.5", "true", "[7]"])
def test_a_bad_target_names_file_and_line(courses, value):
    _set_target(courses, value)
    (error,) = check_courses(courses)
    assert error.path.endswith("programme.yaml") and error.line == 4
    assert "review_target_days" in error.message and "3" in error.message and "90" in error.message


def test_reminders_follow_the_programmes_target(world):
    world["programme"].review_target_days = 10
    db.session.commit()
    attempt = world["attempts"][0]
    submitted = attempt.work.last_submitted_at
    trainer = allocation.assigned_trainer_id(attempt.work_id)
    others = len(world["attempts"]) - 1

    assert allocation.send_due_reminders(submitted + timedelta(days=7, hours=23)) == 0
    assert allocation.send_due_reminders(submitted + timedelta(days=8, minutes=1)) == len(world["attempts"])
    assert allocation.send_due_reminders(submitted + timedelta(days=9, hours=23)) == 0
    assert allocation.send_due_reminders(submitted + timedelta(days=10, minutes=1)) == len(world["attempts"])
    assert allocation.send_due_reminders(submitted + timedelta(days=30)) == 0
    messages = db.session.execute(
        select(Notification.user_id, Notification.message).where(Notification.message.startswith("Praca czeka"))
    ).all()
    assert (trainer, "Praca czeka na Twoją ocenę od 8 dni.") in messages
    assert (world["admin"].id, "Praca czeka na ocenę od 10 dni.") in messages
    assert len(messages) == 2 * (others + 1)  # each attempt: its trainer once, the one admin once
