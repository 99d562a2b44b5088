"""/readyz answers for the database and Redis; /metrics serves Prometheus figures to whom it may."""

import shutil
import socket
import subprocess
from datetime import timedelta

import pytest
import redis
from sqlalchemy import update

from lms.accounts.models import Role
from lms.base import utcnow
from lms.extensions import db
from lms.jobs import runner as jobs_runner
from lms.learning.models import Work
from lms.mail.models import OutboxMessage
from lms.mail.services import MAX_ATTEMPTS, queue_mail
from tests.certificates.conftest import build_world, submit
from tests.conftest import login
from tests.ops.conftest import app_on


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    """A real Redis on a free loopback port, for this module only."""
    if not shutil.which("redis-server"):
        pytest.skip("redis-server is not installed")
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.PIPE,
        text=True,
    )
    for line in server.stdout:  # it says so once it accepts connections
        if "Ready to accept connections" in line:
            break
    url = f"redis://127.0.0.1:{port}/0"
    assert redis.Redis.from_url(url).ping()
    yield url
    server.terminate()
    server.communicate()


def test_readyz_checks_the_database(client):
    answer = client.get("/readyz")
    assert answer.status_code == 200
    assert answer.get_json() == {"status": "ok", "checks": {"database": "ok"}}


def test_readyz_checks_redis_when_one_is_configured(app, redis_url):
    with_redis = app_on(app.config["SQLALCHEMY_DATABASE_URI"], CACHE_TYPE="RedisCache", CACHE_REDIS_URL=redis_url)
    answer = with_redis.test_client().get("/readyz")
    assert answer.status_code == 200
    assert answer.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_answers_503_when_redis_is_down(app):
    gone = f"redis://127.0.0.1:{_free_port()}/0"  # nothing listens there
    broken = app_on(app.config["SQLALCHEMY_DATABASE_URI"], CACHE_TYPE="RedisCache", CACHE_REDIS_URL=gone)
    answer = broken.test_client().get("/readyz")
    assert answer.status_code == 503
    body = answer.get_json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok" and body["checks"]["redis"].startswith("failed")


def test_readyz_answers_503_when_the_database_is_unreachable(app, tmp_path):
    missing = app_on(f"sqlite:///{tmp_path}/no-such-folder/lms.sqlite3")
    answer = missing.test_client().get("/readyz")
    assert answer.status_code == 503
    assert answer.get_json()["checks"]["database"].startswith("failed")


def test_healthz_stays_a_liveness_check_without_the_database(app, tmp_path):
    missing = app_on(f"sqlite:///{tmp_path}/no-such-folder/lms.sqlite3")
    assert missing.test_client().get("/healthz").status_code == 200


def test_metrics_are_refused_without_a_configured_address_or_token(client):
    assert client.get("/metrics").status_code == 403


def test_metrics_need_the_right_token(app):
    guarded = app_on(app.config["SQLALCHEMY_DATABASE_URI"], METRICS_TOKEN="s3cret-scraper-token")
    client = guarded.test_client()
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
    assert client.get("/metrics", headers={"Authorization": "Bearer s3cret-scraper-token"}).status_code == 200


def test_metrics_are_served_to_configured_addresses(app):
    allowed = app_on(app.config["SQLALCHEMY_DATABASE_URI"], METRICS_ALLOWED_IPS="10.0.0.0/8, 127.0.0.1")
    assert allowed.test_client().get("/metrics").status_code == 200
    elsewhere = app_on(app.config["SQLALCHEMY_DATABASE_URI"], METRICS_ALLOWED_IPS="10.0.0.0/8")
    assert elsewhere.test_client().get("/metrics").status_code == 403


def _scrape(app) -> dict[str, float]:
    scraper = app_on(app.config["SQLALCHEMY_DATABASE_URI"], METRICS_ALLOWED_IPS="127.0.0.1")
    answer = scraper.test_client().get("/metrics")
    assert answer.status_code == 200 and answer.mimetype == "text/plain"
    samples = {}
    for line in answer.get_data(as_text=True).splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            samples[name] = float(value)
    return samples


def test_metrics_count_requests_per_endpoint(app, client):
    before = _scrape(app)
    key = 'lms_http_requests_total{endpoint="main.health",method="GET",status="200"}'
    for _ in range(3):
        client.get("/healthz")
    after = _scrape(app)
    assert after[key] - before.get(key, 0) == 3
    latency = 'lms_http_request_duration_seconds_count{endpoint="main.health",method="GET"}'
    assert after[latency] - before.get(latency, 0) == 3
    assert 'lms_http_request_duration_seconds_bucket{endpoint="main.health",le="+Inf",method="GET"}' in after


def test_metrics_show_jobs_outbox_and_the_review_queue(
    app, runner, monkeypatch, mini_programme, make_institution, make_user
):
    def broken_job():
        raise RuntimeError("the SMTP relay is on fire")

    monkeypatch.setattr(jobs_runner, "JOBS", (*jobs_runner.JOBS, jobs_runner.Job("broken", broken_job, "Broken")))
    queue_mail("anna@example.org", "Temat", "Treść")
    queue_mail("jan@example.org", "Temat", "Treść")
    given_up = queue_mail("ewa@example.org", "Temat", "Treść")
    db.session.commit()
    db.session.execute(update(OutboxMessage).where(OutboxMessage.id == given_up.id).values(attempts=MAX_ATTEMPTS))
    world = build_world(mini_programme, make_institution, make_user)
    submit(world["animator"], world["edition"], "profil")
    db.session.execute(update(Work).values(last_submitted_at=utcnow() - timedelta(hours=2)))
    db.session.commit()

    ran = runner.invoke(args=["jobs", "run"])
    assert ran.exit_code == 1  # a job failed: cron and systemd see it
    assert "broken: RuntimeError: the SMTP relay is on fire" in ran.output

    samples = _scrape(app)
    assert samples['lms_job_runs_total{job="mail"}'] == 1
    assert samples['lms_job_failures_total{job="mail"}'] == 0
    assert samples['lms_job_last_run_success{job="mail"}'] == 1
    assert samples['lms_job_failures_total{job="broken"}'] == 1
    assert samples['lms_job_last_run_success{job="broken"}'] == 0
    # SMTP is not configured here: the two queued and the trainer's digest the run queued all wait.
    assert samples["lms_outbox_backlog"] == 3
    assert samples["lms_outbox_given_up"] == 1
    assert samples["lms_reviews_waiting"] == 1
    assert 2 * 3600 <= samples["lms_review_oldest_waiting_age_seconds"] < 3 * 3600


def test_the_system_status_page_shows_what_an_operator_needs(app, client, runner, make_user):
    queue_mail("anna@example.org", "Temat", "Treść")
    db.session.commit()
    assert runner.invoke(args=["jobs", "run"]).exit_code == 0
    admin = make_user(Role.ADMIN)
    login(client, admin)
    page = client.get("/admin/system/").get_data(as_text=True)
    assert "Stan systemu" in page
    assert "Wysyłka e-maili" in page and "powodzenie" in page
    for job in jobs_runner.JOBS:  # every job under its Polish name, none under its stored English one
        assert f"<td>{job.name}</td>" not in page
    assert "E-maile czekające na wysłanie" in page
    assert "Wersja migracji" in page and "Przesłane pliki" in page
    assert "Prace czekające na decyzję" in page
    assert "anna@example.org" not in page
