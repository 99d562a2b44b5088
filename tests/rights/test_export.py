"""A signed-in person downloads all their data as one ZIP whose data.json validates against the
published schema; the privacy notice comes from a replaceable Markdown file."""

import io
import json
import zipfile

import jsonschema
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.extensions import db
from lms.learning import services
from lms.learning.decisions import Decision
from lms.learning.files import check_upload
from lms.privacy.models import KeepReason
from lms.privacy.services import confirm
from tests.conftest import csrf_token
from tests.learning.test_cycle import judge, signed_in, submit_attempt, text_of
from tests.privacy.corpus import docx

ATTENDANCE = docx(["Lista obecności", "Anna Kowalska", "Jan Nowak"])


def with_work(world):
    """The animator's attempt with a file, sent back for revision; a stranger's attempt elsewhere."""
    version = services.current_assignment_version(world.profil)
    work = services.work_for(world.animator, world.edition, world.profil, version.scope)
    services.attach(work, check_upload("lista.docx", ATTENDANCE, 10**6), world.animator)
    attempt = services.submit(work, "Mój profil: trzy zasoby.", world.animator)
    confirm(attempt, [], KeepReason.INSTITUTION_DATA, world.animator)
    db.session.commit()
    judge(attempt, world.trainer, met=False, feedback="Dodaj termin.", decision=Decision.REVISION_REQUESTED)
    submit_attempt(world, world.stranger, world.profil, "Cudzy profil Olgi.")
    return attempt


def download(client):
    token = csrf_token(client.get("/my-data").get_data(as_text=True))
    return client.post("/my-data", data={"csrf_token": token, "download": "1"})


def test_the_export_holds_the_persons_account_attempts_decisions_and_files_and_validates(app, client, world):
    attempt = with_work(world)
    response = download(signed_in(app, world.animator))
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        document = json.loads(archive.read("data.json"))
        published = json.loads(client.get("/my-data/schema/v1.json").data)
        assert json.loads(archive.read("schema.json")) == published
        jsonschema.Draft202012Validator.check_schema(published)
        jsonschema.Draft202012Validator(published).validate(document)
        # the revision's draft reuses the attempt's file: two entries, one copy in the ZIP
        assert [entry["attempt_id"] for entry in document["files"]] == [attempt.id, None]
        assert len({entry["path_in_zip"] for entry in document["files"]}) == 1
        stored = archive.read(document["files"][0]["path_in_zip"])
        assert stored == check_upload("lista.docx", ATTENDANCE, 10**6).content
    assert document["person"]["email"] == world.animator.email
    [exported] = document["attempts"]
    assert (exported["id"], exported["text"], exported["decision"]) == (
        attempt.id,
        "Mój profil: trzy zasoby.",
        "revision_requested",
    )
    assert exported["feedback"] == "Dodaj termin." and exported["personal_data_confirmation"] == "institution_data"
    assert "Cudzy profil Olgi." not in response.data.decode("latin-1")  # nobody else's work
    assert any(item["action"] == "attempt.submitted" for item in document["activity"])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "person.data_exported"))
    assert event.actor_id == world.animator.id


def test_a_person_with_nothing_yet_gets_a_valid_export_too(app, client, world):
    response = download(signed_in(app, world.colleague))
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        document = json.loads(archive.read("data.json"))
    jsonschema.Draft202012Validator(json.loads(client.get("/my-data/schema/v1.json").data)).validate(document)
    assert document["attempts"] == [] and document["files"] == []


def test_the_privacy_notice_is_the_installations_markdown_file_and_the_footer_links_to_it(app, client, tmp_path):
    page = text_of(client.get("/privacy"))
    assert "Klauzula informacyjna" in page and "Inspektor ochrony danych" in page
    own = tmp_path / "klauzula.md"
    own.write_text("## Klauzula OPS w Testowie\n\nAdministratorem jest **OPS w Testowie**.", encoding="utf-8")
    default, app.config["PRIVACY_NOTICE_FILE"] = app.config["PRIVACY_NOTICE_FILE"], str(own)
    try:
        page = text_of(client.get("/privacy"))
    finally:
        app.config["PRIVACY_NOTICE_FILE"] = default
    assert "<strong>OPS w Testowie</strong>" in page
    assert 'href="/privacy"' in text_of(client.get("/certificates/verify"))
