"""gunicorn settings for Akademia CAL: ``gunicorn --config deploy/gunicorn.conf.py app:app``.

Values come from the environment file (deploy/env.example), so the systemd unit needs no edits.
"""

import multiprocessing
import os
import shutil
from pathlib import Path

bind = os.environ.get("LMS_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("LMS_WORKERS", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = 60  # a request longer than this is killed; nginx waits 70 s
graceful_timeout = 30  # on restart, requests in flight get this long to finish
max_requests = 5000  # recycle workers now and then, staggered
max_requests_jitter = 500
control_socket_disable = True
# The app logs one JSON line per request (lms/ops/requestlog.py); gunicorn's own access log would repeat it.
accesslog = None
errorlog = "-"
# Proxy headers are the app's business (LMS_PROXY_COUNT, Werkzeug's ProxyFix), not gunicorn's.
forwarded_allow_ips = ""
secure_scheme_headers = {}

# Prometheus request metrics from every worker, summed by whichever worker answers /metrics.
metrics_dir = Path(os.environ.setdefault("PROMETHEUS_MULTIPROC_DIR", "/run/akademia-cal/metrics"))


def on_starting(_server):
    """Start each run with no metric files left from the last one."""
    shutil.rmtree(metrics_dir, ignore_errors=True)
    metrics_dir.mkdir(parents=True, exist_ok=True)


def child_exit(_server, worker):
    """A worker that exits leaves its counters to the others; its gauges go."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
