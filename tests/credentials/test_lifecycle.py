"""Lifecycle of the Certyfikat: expiry reminders, renewal with unbroken validity, expired and revoked wording;
credentials signed later for certificates issued before a key existed."""

from datetime import UTC, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from sqlalchemy import select

from lms.base import utcnow
from lms.certificates import codes, lifecycle, services
from lms.certificates.models import Certificate, ExpiryReminder
from lms.credentials import keys
from lms.credentials.models import IssuedCredential
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.jobs.runner import run_due_jobs
from lms.mail.models import OutboxMessage
from lms.pagecache import REGISTRY, clear
from tests.certificates.conftest import decide, submit
from tests.certificates.test_institution_certificate import VISIT
from tests.conftest import login, post_form
from tests.credentials.conftest import credential_of


def _expiring_in(certificate, days: int) -> None:
    certificate.valid_until = utcnow().date() + timedelta(days=days)
    db.session.commit()


def _reminders(world) -> list[OutboxMessage]:
    messages = select(OutboxMessage).where(OutboxMessage.recipient == world["coordinator"].email)
    return [message for message in db.session.scalars(messages) if "wygasa" in message.subject]


def test_each_reminder_goes_to_the_coordinator_once_per_threshold(institution_certificate, world):
    _expiring_in(institution_certificate, 100)
    assert lifecycle.send_expiry_reminders() == 0  # nothing due yet
    for days_left, expected_total in ((90, 1), (89, 1), (30, 2), (29, 2), (7, 3), (1, 3)):
        lifecycle.send_expiry_reminders(today=institution_certificate.valid_until - timedelta(days=days_left))
        assert len(_reminders(world)) == expected_total, days_left
    thresholds = db.session.scalars(select(ExpiryReminder.days_before).order_by(ExpiryReminder.days_before))
    assert list(thresholds) == [7, 30, 90]
    assert "wygasa" in _reminders(world)[0].subject and "odnowienie" in _reminders(world)[0].body


def test_a_late_first_run_sends_only_the_nearest_reminder(institution_certificate, world):
    _expiring_in(institution_certificate, 20)
    assert lifecycle.send_expiry_reminders() == 1
    assert db.session.scalar(select(ExpiryReminder.days_before)) == 30


def test_flask_jobs_run_sends_the_reminders(institution_certificate, world, runner):
    _expiring_in(institution_certificate, 30)
    outcomes = dict(run_due_jobs())
    assert outcomes["certificate reminders"] == "sent 1"
    assert dict(run_due_jobs())["certificate reminders"] == "sent 0"  # once
    result = runner.invoke(args=["jobs", "run"])
    assert "certificate reminders: sent 0" in result.output


def test_a_renewal_awarded_in_time_continues_without_a_break(client, institution_certificate, world):
    _expiring_in(institution_certificate, 60)
    old_end = institution_certificate.valid_until
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    assert application.renews_id == institution_certificate.id
    renewal = services.award(application, world["admin"], VISIT)
    db.session.commit()
    assert renewal.renews_id == institution_certificate.id
    assert renewal.valid_until == old_end.replace(year=old_end.year + 3)  # starts where the old one ends
    assert renewal.continuous_since == institution_certificate.issued_at.date()
    clear(REGISTRY)
    registry = client.get("/registry/").get_data(as_text=True)
    assert registry.count("GOPS w Żółkiewce") == 1 and "bez przerwy od" in registry
    assert "Certyfikacja bez przerwy od" in client.get(f"/verify/{renewal.code}").get_data(as_text=True)
    assert credential_of(renewal) is not None  # the renewal has its own credential
    assert lifecycle.send_expiry_reminders() == 0  # the old one is renewed: no reminder


def test_renewal_is_refused_long_before_expiry_and_late_renewal_starts_anew(institution_certificate, world):
    try:
        services.apply(world["institution"], world["programme"], world["coordinator"])
        raise AssertionError("applied three years early")
    except services.CertificationError as error:
        opens = institution_certificate.valid_until - timedelta(days=180)  # the default window
        assert f"można wystąpić od {opens.day} " in str(error) and str(opens.year) in str(error)
    db.session.rollback()
    _expiring_in(institution_certificate, 10)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    _expiring_in(institution_certificate, -1)  # the visit came too late
    renewal = services.award(application, world["admin"], VISIT)
    db.session.commit()
    assert renewal.continuous_since is None and renewal.valid_until.year == utcnow().year + 3


def test_the_coordinator_sees_the_renewal_button_when_it_is_time(client, institution_certificate, world):
    url = f"/institutions/{world['institution'].id}/certification/"
    login(client, world["coordinator"])
    assert "Złóż wniosek o odnowienie" not in client.get(url).get_data(as_text=True)
    _expiring_in(institution_certificate, 60)
    assert "Złóż wniosek o odnowienie" in client.get(url).get_data(as_text=True)
    post_form(
        client, f"/institutions/{world['institution'].id}/certification/{world['programme'].id}/apply", token_from=url
    )
    assert (
        services.open_application(world["institution"].id, world["programme"].id).renews_id
        == institution_certificate.id
    )


def test_expired_and_revoked_read_with_their_dates(client, institution_certificate, world):
    _expiring_in(institution_certificate, -3)
    html = client.get(f"/verify/{institution_certificate.code}").get_data(as_text=True)
    assert "Certyfikat wygasł" in html and str(institution_certificate.valid_until.year) in html
    login(client, world["coordinator"])
    history = client.get(f"/institutions/{world['institution'].id}/certification/").get_data(as_text=True)
    assert "wygasł " in history
    services.revoke(institution_certificate, world["admin"], "Zamknięcie placówki.")
    db.session.commit()
    html = client.get(f"/verify/{institution_certificate.code}").get_data(as_text=True)
    assert "Certyfikat unieważniony" in html and "Zamknięcie placówki." in html


def test_certificates_issued_before_a_key_existed_get_their_credential_from_the_job(world):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    assert db.session.scalar(select(IssuedCredential)) is None
    assert dict(run_due_jobs())["credentials"] == "signed 0"  # still no key
    keys.create_key()
    db.session.commit()
    assert dict(run_due_jobs())["credentials"] == "signed 1"
    assert credential_of(db.session.scalar(select(Certificate))) is not None
    assert dict(run_due_jobs())["credentials"] == "signed 0"


def test_a_certificate_revoked_before_its_credential_was_signed_is_signed_as_revoked(world):
    decide(submit(world["animator"], world["edition"], "profil"), world["trainer"])
    certificate = db.session.scalar(select(Certificate))
    services.revoke(certificate, world["admin"], "Pomyłka.")
    keys.create_key()
    db.session.commit()
    run_due_jobs()
    from lms.credentials.services import verify_online

    assert verify_online(credential_of(certificate).token).state == "revoked"


def test_the_renewal_window_is_the_programmes_setting(institution_certificate, world):
    rule = world["programme"].certificates["institution"]
    assert rule["renewal_window_days"] == 180  # mini's programme.yaml does not set it: the default
    _expiring_in(institution_certificate, 100)
    assert lifecycle.renewable(institution_certificate)
    world["programme"].certificates = {
        **world["programme"].certificates, "institution": {**rule, "renewal_window_days": 60}
    }  # fmt: skip
    db.session.commit()
    assert not lifecycle.renewable(institution_certificate)
    _expiring_in(institution_certificate, 60)
    assert lifecycle.renewable(institution_certificate)


def test_the_registry_history_shows_ended_certificates_and_continuous_renewals(client, institution_certificate, world):
    first = institution_certificate
    _expiring_in(first, 60)
    application = services.apply(world["institution"], world["programme"], world["coordinator"])
    db.session.commit()
    renewal = services.award(application, world["admin"], VISIT)
    db.session.commit()
    _expiring_in(first, -1)  # time passes: the first one has ended, the renewal goes on
    clear(REGISTRY)
    valid = client.get("/registry/").get_data(as_text=True)
    assert valid.count("GOPS w Żółkiewce") == 1 and "bez przerwy od" in valid and "?status=history" in valid
    page = client.get("/registry/?status=history").get_data(as_text=True)
    assert "Rejestr certyfikowanych centrów CAL: historia" in page
    assert f"wygasł {format_date(first.valid_until, 'long', locale='pl')}" in page
    assert f"odnowiony bez przerwy do {format_date(renewal.valid_until, 'long', locale='pl')}" in page
    assert codes.readable(renewal.code) in page
    # A revocation clears the copies at once: the renewal is now in the history, and no longer continues.
    services.revoke(renewal, world["admin"], "Zamknięcie placówki.")
    db.session.commit()
    page = client.get("/registry/?status=history").get_data(as_text=True)
    revoked_on = renewal.revoked_at.replace(tzinfo=UTC).astimezone(ZoneInfo("Europe/Warsaw"))  # as pages show it
    assert f"unieważniony {format_date(revoked_on, 'long', locale='pl')}" in page
    assert "odnowiony bez przerwy" not in page and page.count("GOPS w Żółkiewce") == 2
    assert "GOPS w Żółkiewce" not in client.get("/registry/").get_data(as_text=True)
    # Filters are validated as before; an unknown status is no page, and is never kept.
    assert client.get("/registry/?status=expired").status_code == 404
    other = next(v.value for v in Voivodeship if v != world["institution"].voivodeship)
    empty = client.get(f"/registry/?status=history&voivodeship={other}").get_data(as_text=True)
    assert "Żaden wygasły ani unieważniony certyfikat nie pasuje do filtrów." in empty
