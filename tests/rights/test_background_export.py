"""A person whose files are large asks for their data and gets it later: ``flask jobs run`` builds the ZIP,
a notification and the "My data" page say it is ready, and only its owner can download it. Small exports
stay immediate."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.notifications.models import Notification
from lms.rights.models import DataExport
from tests.conftest import csrf_token, login
from tests.rights.test_export import download, with_work


def signed_in(app, person):
    """A fresh browser signed in as ``person``, in Polish (the default)."""
    client = app.test_client()
    assert login(client, person).status_code == 302
    return client


@pytest.fixture
def large(app, monkeypatch):
    """Every export with a file counts as large (the threshold is 1 byte)."""
    monkeypatch.setitem(app.config, "DATA_EXPORT_INLINE_BYTES", 1)


def test_a_large_export_is_built_by_the_jobs_and_offered_on_the_page(app, runner, world, large):
    attempt = with_work(world)
    client = signed_in(app, world.animator)
    response = download(client)
    assert response.status_code == 302 and response.location.endswith("/my-data")
    page = client.get("/my-data").get_data(as_text=True)
    assert "Przygotowujemy Twoje dane" in page and "Twoje dane są gotowe do pobrania" not in page
    download(client)  # asking again while it waits adds nothing
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 1

    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0, result.output
    page = client.get("/my-data").get_data(as_text=True)
    assert "Twoje dane są gotowe do pobrania" in page
    notices = db.session.scalars(select(Notification).where(Notification.user_id == world.animator.id)).all()
    [ready] = [notice for notice in notices if "gotowe do pobrania" in notice.message]
    assert ready.link.endswith("/my-data")
    export = db.session.scalar(select(DataExport))
    zipped = client.get(f"/my-data/exports/{export.id}.zip")
    assert zipped.status_code == 200 and zipped.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(zipped.data)) as archive:
        assert json.loads(archive.read("data.json"))["attempts"][0]["id"] == attempt.id
    exported = db.session.scalars(select(AuditEvent.actor_id).where(AuditEvent.action == "person.data_exported"))
    assert list(exported) == [world.animator.id]
    # nobody else gets it, not even an admin-looking guess at the number
    assert signed_in(app, world.trainer).get(f"/my-data/exports/{export.id}.zip").status_code == 404


def test_a_built_export_is_deleted_after_its_days(app, runner, world, large):
    with_work(world)
    download(signed_in(app, world.animator))
    assert runner.invoke(args=["jobs", "run"]).exit_code == 0
    days = app.config["DATA_EXPORT_KEEP_DAYS"]
    db.session.execute(update(DataExport).values(ready_at=DataExport.ready_at - timedelta(days=days, minutes=1)))
    db.session.commit()
    assert runner.invoke(args=["jobs", "run"]).exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 0


def test_a_small_export_is_still_downloaded_at_once(app, world):
    with_work(world)
    client = signed_in(app, world.animator)
    response = download(client)
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert db.session.scalar(select(func.count()).select_from(DataExport)) == 0
    assert "csrf_token" in client.get("/my-data").get_data(as_text=True)
    assert csrf_token(client.get("/my-data").get_data(as_text=True))
