"""Browser tests: Debian's Chromium driven by Playwright against a live server in a thread."""

import os
import shutil
import threading
from datetime import date

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from lms.accounts.models import Role
from lms.content.models import Assignment, Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    """Mark every test here as e2e; skip (or, when required, fail) without Chromium."""
    available = os.path.exists(CHROMIUM)
    required = os.environ.get("LMS_REQUIRE_BROWSER") == "1"
    for item in items:
        if "/e2e/" not in str(item.fspath):
            continue
        item.add_marker(pytest.mark.e2e)
        if not available and not required:
            item.add_marker(pytest.mark.skip(reason=f"Chromium not installed at {CHROMIUM} (apt-get install chromium)"))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch Debian's Chromium; never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def live_server(app):
    """The test app served on a free loopback port for the whole session."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    """Relative ``page.goto`` paths resolve against the live server."""
    return live_server


def enrolled_animator(make_user, make_institution, **emails: str) -> dict:
    """An animator enrolled by their coordinator in an edition of the mini programme with its trainer, all of one
    institution's edition; ``emails`` may name "trainer", "coordinator" and "animator" (people are found by them).
    Returns the edition and the three people."""
    emails = {"trainer": "trener@example.org", "coordinator": "koordynator@example.org",
              "animator": "animator@example.org", **emails}  # fmt: skip
    institution = make_institution("OPS w Testowie")
    trainer = make_user(Role.TRAINER, email=emails["trainer"], name="Tomasz Trener")
    coordinator = make_user(Role.COORDINATOR, institution=institution, email=emails["coordinator"],
                            name="Celina Koordynatorka")  # fmt: skip
    animator = make_user(Role.ANIMATOR, institution=institution, email=emails["animator"], name="Adam Nowicki")
    edition = Edition(
        name="Edycja testowa", programme=db.session.scalar(select(Programme).where(Programme.slug == "mini")),
        voivodeship=Voivodeship.MAZOWIECKIE, starts_on=date(2026, 1, 1), ends_on=date(2027, 1, 1),
        trainers=[trainer], institutions=[institution],
    )  # fmt: skip
    db.session.add(edition)
    db.session.flush()
    db.session.add(Enrolment(edition_id=edition.id, user_id=animator.id, enrolled_by_id=coordinator.id))
    db.session.commit()
    return {"edition": edition, "trainer": trainer, "coordinator": coordinator, "animator": animator}


@pytest.fixture
def animator_work_url(make_user, make_institution, mini_programme) -> str:
    """The address of the enrolled animator's work page (``enrolled_animator``) for the person-scope "profil"
    assignment: animator@example.org, trener@example.org, koordynator@example.org."""
    edition = enrolled_animator(make_user, make_institution)["edition"]
    assignment = db.session.scalar(select(Assignment).where(Assignment.slug == "profil"))
    return f"/editions/{edition.id}/assignments/{assignment.id}/"
