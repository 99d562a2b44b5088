"""Work outside requests for certificates: expiry reminders and credentials still to be signed.

Both run from ``flask jobs run`` every minute and are idempotent: a reminder is recorded under a unique
(certificate, threshold) pair in the transaction that queues its mail, so a second run sends nothing.
"""

from datetime import date, timedelta

from flask_babel import force_locale, format_date
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from lms.accounts.services import coordinators_of
from lms.base import utcnow
from lms.certificates.credential import issue_credential
from lms.certificates.models import Certificate, CertificateKind, ExpiryReminder, kind_is
from lms.content.reader import DEFAULT_RENEWAL_WINDOW_DAYS
from lms.credentials import keys
from lms.credentials.models import IssuedCredential
from lms.extensions import db
from lms.mail.services import queue_mail
from lms.notifications.services import notify
from lms.urls import absolute_url, path_for

REMINDER_DAYS = (90, 30, 7)
_BACKFILL_BATCH = 200


def renewable(certificate: Certificate | None, today: date | None = None) -> bool:
    """Whether the institution may apply to renew ``certificate`` now: it expires within the programme's
    renewal window (``renewal_window_days`` in programme.yaml)."""
    today = today or utcnow().date()
    return (
        certificate is not None
        and certificate.revoked_at is None
        and certificate.valid_until is not None
        and today <= certificate.valid_until <= today + renewal_window(certificate)
    )


def renewal_window(certificate: Certificate) -> timedelta:
    """How long before expiry ``certificate`` may be renewed, as its programme sets it."""
    rule = (certificate.programme.certificates or {}).get("institution") or {}
    return timedelta(days=rule.get("renewal_window_days") or DEFAULT_RENEWAL_WINDOW_DAYS)


def continuation(previous: Certificate | None, years: int | None, today: date) -> tuple[date | None, date | None]:
    """(valid_until, continuous_since) of a certificate renewing ``previous``, awarded ``today``.

    Awarded in time, the new validity starts where the old one ends, so that both read as one unbroken
    period since the first award; awarded late, it starts today like a first certificate.
    """
    if previous is None or previous.revoked_at is not None or previous.valid_until is None or not years:
        return None, None
    if previous.valid_until < today:
        return None, None
    start = previous.valid_until
    try:
        until = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        until = start.replace(year=start.year + years, day=28)
    return until, previous.continuous_since or previous.issued_at.date()


def _threshold(days_left: int) -> int | None:
    """The reminder due with ``days_left`` days to go: the nearest threshold passed (older ones are stale)."""
    due = [days for days in REMINDER_DAYS if days_left <= days]
    return min(due) if due else None


def _renewed(certificate: Certificate) -> bool:
    """Whether a later certificate of the same programme already continues this one."""
    return (
        db.session.scalar(
            select(Certificate.id).where(
                kind_is(CertificateKind.INSTITUTION),
                Certificate.institution_id == certificate.institution_id,
                Certificate.programme_id == certificate.programme_id,
                Certificate.revoked_at.is_(None),
                Certificate.valid_until > certificate.valid_until,
            )
        )
        is not None
    )


def send_expiry_reminders(today: date | None = None) -> int:
    """Remind coordinators 90, 30 and 7 days before their Certyfikat expires, once per threshold; commits."""
    today = today or utcnow().date()
    due = db.session.scalars(
        select(Certificate).where(
            kind_is(CertificateKind.INSTITUTION),
            Certificate.revoked_at.is_(None),
            Certificate.valid_until >= today,
            Certificate.valid_until <= today + timedelta(days=max(REMINDER_DAYS)),
        )
    ).all()
    sent = 0
    for certificate in due:
        days = _threshold((certificate.valid_until - today).days)
        if days is None or _renewed(certificate):
            continue
        try:
            with db.session.begin_nested():
                db.session.add(ExpiryReminder(certificate_id=certificate.id, days_before=days))
        except IntegrityError:
            continue  # this threshold's reminder went out already
        _remind(certificate, days)
        db.session.commit()
        sent += 1
    return sent


def _remind(certificate: Certificate, days: int) -> None:
    link = path_for("certificates.institution", institution_id=certificate.institution_id)
    with force_locale("pl"):
        subject = _(
            "%(title)s expires on %(date)s",
            title=certificate.title,
            date=format_date(certificate.valid_until, "long"),
        )
        body = _(
            "The certificate of %(institution)s expires on %(date)s. To keep it without a break, apply for its "
            "renewal before then: the checklist, the application and the on-site visit are on this page:\n%(link)s\n",
            institution=certificate.institution.name,
            date=format_date(certificate.valid_until, "long"),
            link=absolute_url(link),
        )
    for coordinator in coordinators_of(certificate.institution_id):
        queue_mail(coordinator.email, subject, body)
        notify(coordinator.id, subject, link)


def issue_missing_credentials(limit: int = _BACKFILL_BATCH) -> int:
    """Sign credentials for certificates issued while no signing key existed; commits. Returns how many."""
    if keys.signing_key() is None:
        return 0
    missing = db.session.scalars(
        select(Certificate)
        .where(~select(IssuedCredential.id).where(IssuedCredential.certificate_id == Certificate.id).exists())
        .order_by(Certificate.id)
        .limit(limit)
    ).all()
    issued = 0
    for certificate in missing:
        if issue_credential(certificate) is None:
            break  # no signing key on this server
        db.session.commit()
        issued += 1
    return issued
