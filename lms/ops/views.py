"""Operator endpoints: /readyz, /metrics, and the admin page "Stan systemu"."""

from datetime import timedelta

from flask import Blueprint, abort, current_app, render_template
from flask_babel import format_decimal
from sqlalchemy import text

from lms.access.checks import Action, require
from lms.credentials import keys
from lms.extensions import db
from lms.learning import no_coordinator
from lms.ops import metrics, status

blueprint = Blueprint("ops", __name__)


@blueprint.app_template_filter("seconds_as_timedelta")
def seconds_as_timedelta(seconds: int) -> timedelta:
    """Seconds as a timedelta, for Flask-Babel's ``timedeltaformat``."""
    return timedelta(seconds=seconds)


def _redis_urls() -> list[str]:
    urls = [current_app.config.get("RATELIMIT_STORAGE_URI", ""), current_app.config.get("CACHE_REDIS_URL", "")]
    return sorted({url for url in urls if url and url.startswith(("redis://", "rediss://"))})


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as error:  # any failure means "not ready"; the name is enough for an operator
        db.session.rollback()
        return f"failed: {type(error).__name__}"
    return "ok"


def _check_redis(url: str) -> str:
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2).ping()
    except Exception as error:
        return f"failed: {type(error).__name__}"
    return "ok"


@blueprint.app_template_filter("byte_size")
def byte_size(count: int) -> str:
    """1234567 → "1,2 MB" in the page's language (SI units read the same in Polish and English)."""
    value, unit = float(count), "B"
    for bigger in ("kB", "MB", "GB", "TB"):
        if value < 1000:
            break
        value, unit = value / 1000, bigger
    return f"{format_decimal(value, '#,##0.#')} {unit}"


@blueprint.get("/readyz")
def ready():
    """For load balancers: 200 when the database (and Redis, when configured) answer, else 503."""
    checks = {"database": _check_database()}
    for number, url in enumerate(_redis_urls(), start=1):
        checks[f"redis{number if number > 1 else ''}"] = _check_redis(url)
    healthy = all(result == "ok" for result in checks.values())
    return {"status": "ok" if healthy else "unavailable", "checks": checks}, 200 if healthy else 503


@blueprint.get("/metrics")
def prometheus_metrics():
    """Prometheus metrics, for configured addresses or the configured token only."""
    if not metrics.may_scrape():
        abort(403)
    return metrics.metrics_response()


@blueprint.get("/admin/system/")
def system_status():
    """Stan systemu: jobs, outbox, storage, schema revision, the review queue and institutions without a
    coordinator, for administrators."""
    require(Action.ADMIN_AREA)
    files_count, files_bytes = status.stored_files()
    return render_template(
        "ops/system.html",
        jobs=status.job_states(),
        job_labels=status.job_labels(),
        outbox=status.outbox(),
        queue=status.review_queue(),
        uncoordinated=no_coordinator.uncoordinated(),
        database_bytes=status.database_bytes(),
        files_count=files_count,
        files_bytes=files_bytes,
        revision=status.schema_revision(),
        can_sign=keys.can_sign(),
        database_kind={"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(
            db.engine.dialect.name, db.engine.dialect.name
        ),
    )
