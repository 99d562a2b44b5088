"""Prometheus metrics: per-endpoint request counts and latencies, and the platform's state read at scrape time.

Request metrics live in each process; under gunicorn set ``PROMETHEUS_MULTIPROC_DIR`` (deploy/gunicorn.conf.py
does) so every worker writes them to shared files and any worker's /metrics sums them all. Job runs, the
outbox, the review queue are read from the database when scraped, so they are right whichever process
(a web worker, ``flask jobs run`` from a timer) changed them.
"""

import ipaddress
import os
import secrets
from datetime import UTC

from flask import Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from lms.config import ConfigurationError
from lms.ops import status

REQUESTS = Counter("lms_http_requests_total", "HTTP requests answered", ["endpoint", "method", "status"])
LATENCY = Histogram(
    "lms_http_request_duration_seconds",
    "Time to answer an HTTP request",
    ["endpoint", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)


def observe(endpoint: str, method: str, status_code: int, seconds: float) -> None:
    """Count one answered request (``endpoint`` is the Flask endpoint name: a bounded set of labels)."""
    REQUESTS.labels(endpoint, method, str(status_code)).inc()
    LATENCY.labels(endpoint, method).observe(seconds)


class PlatformCollector(Collector):
    """Figures read from the database at each scrape."""

    def collect(self):
        runs = CounterMetricFamily("lms_job_runs", "Runs of each background job", labels=["job"])
        failures = CounterMetricFamily("lms_job_failures", "Failed runs of each background job", labels=["job"])
        last_run = GaugeMetricFamily(
            "lms_job_last_run_timestamp_seconds", "When each job last finished", labels=["job"]
        )
        last_ok = GaugeMetricFamily("lms_job_last_run_success", "1 if the job's last run succeeded", labels=["job"])
        for state in status.job_states():
            runs.add_metric([state.name], state.runs)
            failures.add_metric([state.name], state.failures)
            if state.last_finished_at is not None:
                last_run.add_metric([state.name], state.last_finished_at.replace(tzinfo=UTC).timestamp())
                last_ok.add_metric([state.name], 1.0 if state.last_succeeded else 0.0)
        yield from (runs, failures, last_run, last_ok)
        outbox = status.outbox()
        yield GaugeMetricFamily("lms_outbox_backlog", "E-mails waiting to be sent", value=outbox.waiting)
        yield GaugeMetricFamily(
            "lms_outbox_retrying", "Waiting e-mails that failed at least once", value=outbox.retrying
        )
        yield GaugeMetricFamily(
            "lms_outbox_given_up", "E-mails given up after repeated failures", value=outbox.given_up
        )
        queue = status.review_queue()
        yield GaugeMetricFamily("lms_reviews_waiting", "Attempts waiting for a trainer's decision", value=queue.waiting)
        yield GaugeMetricFamily(
            "lms_review_oldest_waiting_age_seconds",
            "How long the oldest waiting attempt has waited",
            value=queue.oldest_age_seconds,
        )


def exposition() -> bytes:
    """The text exposition: this process's (or every worker's) request metrics, then the platform's figures."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        requests = CollectorRegistry()
        multiprocess.MultiProcessCollector(requests)
    else:
        requests = REGISTRY
    platform = CollectorRegistry()
    platform.register(PlatformCollector())
    return generate_latest(requests) + generate_latest(platform)


def may_scrape() -> bool:
    """A scraper is let in with the configured token, or from a configured address."""
    token = current_app.config["METRICS_TOKEN"]
    offered = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if token and offered and secrets.compare_digest(offered.encode(), token.encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.config["METRICS_ALLOWED_NETWORKS"])


def metrics_response() -> Response:
    """The /metrics answer."""
    return Response(exposition(), mimetype=CONTENT_TYPE_LATEST)


def networks(value: str) -> list:
    """``127.0.0.1, 10.0.0.0/8`` as networks; a malformed entry stops the app with its name."""
    result = []
    for item in (part.strip() for part in value.split(",")):
        try:
            result += [ipaddress.ip_network(item, strict=False)] if item else []
        except ValueError as error:
            raise ConfigurationError(f"LMS_METRICS_ALLOWED_IPS: {item!r} is not an address or network.") from error
    return result


def register(app: Flask) -> None:
    """Parse the allowed scraper addresses once."""
    app.config["METRICS_ALLOWED_NETWORKS"] = networks(app.config.get("METRICS_ALLOWED_IPS", ""))
