"""In Chromium: a trainer marks an absence and withdraws it; an admin hands a waiting work to another trainer."""

from datetime import timedelta

from playwright.sync_api import Page, expect

from lms.base import utcnow
from lms.learning import allocation
from tests.e2e.helpers import label, name, sign_in
from tests.trainers.conftest import build_world


def test_a_trainer_marks_and_withdraws_an_absence(page: Page, snapshot):
    world = snapshot(build_world)
    sign_in(page, world["b"].email)
    page.goto("/dashboard/trainer/")
    page.get_by_role("link", name="Moje nieobecności").click()
    start = utcnow().date() + timedelta(days=14)
    page.get_by_label(label("Pierwszy dzień nieobecności")).fill(start.isoformat())
    page.get_by_label(label("Ostatni dzień nieobecności")).fill((start + timedelta(days=2)).isoformat())
    page.get_by_label(label("Powód (nieobowiązkowo)")).fill("Szkolenie wyjazdowe w Dobczycach")
    page.get_by_role("button", name="Zapisz nieobecność").click()
    expect(page.get_by_text("Nieobecność zapisana.")).to_be_visible()
    expect(page.get_by_text("Szkolenie wyjazdowe w Dobczycach")).to_be_visible()
    expect(page.get_by_text("(3 dni)")).to_be_visible()
    page.get_by_role("button", name=name("Wycofaj")).click()
    expect(page.get_by_text("Nieobecność wycofana")).to_be_visible()
    expect(page.get_by_text("Brak zgłoszonych nieobecności.")).to_be_visible()


def test_an_admin_hands_a_waiting_work_to_another_trainer(page: Page, snapshot):
    world = snapshot(build_world)
    attempt = world["attempts"][0]
    before = allocation.assigned_trainer_id(attempt.work_id)
    target = world["c"] if before != world["c"].id else world["b"]
    sign_in(page, world["admin"].email)
    page.goto("/admin/trainers/")
    page.get_by_role("link", name=name("Udziały i czekające prace")).first.click()
    page.locator(f"#w{attempt.work_id}-trainer").select_option(label=target.name)
    page.locator(f"form[action$='/works/{attempt.work_id}/reassign'] button").click()
    expect(page.get_by_text(f"Praca została przekazana: {target.name}.")).to_be_visible()
    assert allocation.assigned_trainer_id(attempt.work_id) == target.id
