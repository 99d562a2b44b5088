"""Mail leaves the request: requests only write the outbox; senders claim messages, so two senders never
send one twice; failures are retried later; ``flask jobs run`` runs once at a time. A real SMTP server
(aiosmtpd) on loopback receives what is sent."""

import socket
import threading
from datetime import timedelta
from email import message_from_bytes
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from lms.accounts import services as accounts
from lms.base import utcnow
from lms.extensions import db
from lms.jobs.runner import run_due_jobs, single_runner
from lms.mail.models import OutboxMessage
from lms.mail.services import deliver_pending, queue_mail, retry_delay
from tests.conftest import post_form


class Inbox:
    """An aiosmtpd handler keeping every message; recipients in ``refused`` get a 550."""

    def __init__(self):
        self.received: list[tuple[str, str]] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        subject = message_from_bytes(envelope.content, policy=default)["Subject"]
        self.received.extend((recipient, subject) for recipient in envelope.rcpt_tos)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(app):
    """A real SMTP server on a free loopback port, configured as the app's SMTP host."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings = {"MAIL_SMTP_HOST": "127.0.0.1", "MAIL_SMTP_PORT": controller.port, "MAIL_SMTP_STARTTLS": False}
    before = {key: app.config[key] for key in settings}
    app.config.update(settings)
    yield inbox
    app.config.update(before)
    controller.stop()


def _queue(count: int, recipient: str = "animatorka@example.org") -> None:
    for number in range(count):
        queue_mail(recipient, f"Wiadomość {number}", "Treść.")
    db.session.commit()


def test_a_request_only_writes_the_outbox(client, smtp_server, app):
    """Asking for a password reset over HTTP queues the mail; nothing reaches the SMTP server until a job runs."""
    accounts.create_user("zofia@example.org", "Zofia", "Zielona-Łąka-2026", [])
    db.session.commit()
    assert post_form(client, "/password/forgotten", {"email": "zofia@example.org"}).status_code in (200, 302)
    assert db.session.scalar(select(func.count(OutboxMessage.id))) == 1
    assert smtp_server.received == []
    assert deliver_pending().sent == 1
    assert [recipient for recipient, _subject in smtp_server.received] == ["zofia@example.org"]


def test_two_senders_at_once_send_every_message_exactly_once(app, smtp_server):
    _queue(30)
    start = threading.Barrier(2)
    failures = []

    def sender():
        with app.app_context():
            try:
                start.wait(10)
                while deliver_pending(limit=5).sent:
                    pass
            except Exception as error:  # reported below
                failures.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not failures, failures
    subjects = sorted(subject for _recipient, subject in smtp_server.received)
    assert subjects == sorted(f"Wiadomość {n}" for n in range(30))  # each once
    assert db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None))) == 0


def test_a_refused_message_is_retried_later_and_then_sent(smtp_server):
    smtp_server.refused.add("zly@example.org")
    _queue(1, "zly@example.org")
    _queue(1, "dobry@example.org")
    first = deliver_pending()
    assert (first.sent, first.failed) == (1, 1)
    failed = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "zly@example.org"))
    assert failed.attempts == 1 and failed.sent_at is None and "550" in failed.last_error
    assert failed.next_attempt_at > utcnow()

    assert deliver_pending().sent == 0  # not due yet: nothing is retried at once

    smtp_server.refused.clear()
    db.session.execute(update(OutboxMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()  # as if the retry delay had passed
    assert deliver_pending().sent == 1
    assert sorted(r for r, _s in smtp_server.received) == ["dobry@example.org", "zly@example.org"]


def test_retries_wait_longer_after_each_failure_up_to_six_hours():
    delays = [retry_delay(n) for n in range(1, 12)]
    assert delays[:3] == [timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=4)]
    assert delays == sorted(delays) and delays[-1] == timedelta(hours=6)


def test_without_an_smtp_server_messages_stay_in_the_outbox(app):
    _queue(2)
    assert deliver_pending().sent == 0
    assert db.session.scalar(select(func.count()).where(OutboxMessage.sent_at.is_(None))) == 2


def test_jobs_run_delivers_mail_and_a_second_runner_waits_its_turn(app, smtp_server, runner):
    _queue(3)
    with single_runner() as held:
        assert held
        assert run_due_jobs() is None  # another runner (this one) is at work
        assert smtp_server.received == []
    result = runner.invoke(args=["jobs", "run"])
    assert result.exit_code == 0 and "mail: sent 3, failed 0" in result.output
    assert len(smtp_server.received) == 3
