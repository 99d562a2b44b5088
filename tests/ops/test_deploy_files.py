"""deploy/: the example environment names every setting, the unit files are valid, backups are rotated."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from lms.config import load_config
from tests.ops.conftest import app_on

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _settings_read_by_the_code() -> set[str]:
    sources = [*ROOT.joinpath("lms").rglob("*.py"), DEPLOY / "gunicorn.conf.py", ROOT / "app.py"]
    return {name for path in sources for name in re.findall(r"\bLMS_[A-Z0-9_]+\b", path.read_text())}


def _example_environment() -> dict[str, str]:
    named = {}
    for line in (DEPLOY / "env.example").read_text().splitlines():
        match = re.match(r"#?(LMS_[A-Z0-9_]+)=(.*)", line)
        if match:
            named[match.group(1)] = match.group(2)
    return named


def test_the_example_environment_names_every_setting():
    missing = _settings_read_by_the_code() - set(_example_environment())
    assert not missing, f"add to deploy/env.example: {sorted(missing)}"


def test_nginx_accepts_exactly_the_bodies_the_app_accepts():
    site = (DEPLOY / "nginx" / "akademia-cal.conf").read_text()
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", site).group(1))
    assert int(_example_environment()["LMS_MAX_REQUEST_BYTES"]) == megabytes * 1024 * 1024
    assert load_config(ROOT / "instance")["MAX_CONTENT_LENGTH"] == megabytes * 1024 * 1024  # the default too


def test_the_systemd_units_are_valid(tmp_path):
    if not shutil.which("systemd-analyze"):
        pytest.skip("systemd-analyze is not installed")
    for unit in (DEPLOY / "systemd").iterdir():
        # Point the units at this clone, whose programs exist; otherwise they are checked as shipped.
        (tmp_path / unit.name).write_text(unit.read_text().replace("/srv/akademia-cal", str(ROOT)))
    units = sorted(str(path) for path in tmp_path.iterdir())
    checked = subprocess.run(["systemd-analyze", "verify", "--man=no", *units], capture_output=True, text=True)
    problems = [line for line in checked.stderr.splitlines() if "akademia" in line]
    assert checked.returncode == 0 and not problems, checked.stderr


def test_the_gunicorn_config_loads_with_the_settings_of_the_environment(tmp_path):
    script = (
        "import runpy, sys\n"
        "cfg = runpy.run_path(sys.argv[1])\n"
        "print(cfg['bind'], cfg['workers'], cfg['control_socket_disable'], cfg['accesslog'])\n"
    )
    env = {**os.environ, "LMS_BIND": "127.0.0.1:8123", "LMS_WORKERS": "3", "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    shown = subprocess.run([sys.executable, "-c", script, str(DEPLOY / "gunicorn.conf.py")], env=env, text=True,
                           capture_output=True, check=True)  # fmt: skip
    assert shown.stdout.split() == ["127.0.0.1:8123", "3", "True", "None"]


def test_backup_script_keeps_14_daily_and_12_monthly_copies(app, tmp_path):
    database = tmp_path / "lms.sqlite3"
    with app_on(f"sqlite:///{database}").app_context():
        from lms.extensions import db

        db.create_all()
    root = tmp_path / "backups"
    for day in range(1, 21):  # twenty earlier daily copies and fifteen monthly ones
        (root / "daily" / f"2026-11-{day:02d}").mkdir(parents=True)
    for month in range(1, 16):
        (root / "monthly" / f"{2025 + (month - 1) // 12}-{(month - 1) % 12 + 1:02d}").mkdir(parents=True)
    env = {
        **os.environ,
        "BACKUP_ROOT": str(root),
        "BACKUP_DATE": "2026-12-01",
        "FLASK": str(ROOT / ".venv" / "bin" / "flask"),
        "LMS_DATABASE_URL": f"sqlite:///{database}",
        "LMS_PUBLIC_URL": "https://akademia.example",
        "LMS_SECRET_KEY": "x",
    }
    done = subprocess.run([str(DEPLOY / "backup.sh")], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr + done.stdout
    daily = sorted(path.name for path in (root / "daily").iterdir())
    monthly = sorted(path.name for path in (root / "monthly").iterdir())
    assert len(daily) == 14 and daily[-1] == "2026-12-01" and daily[0] == "2026-11-08"
    assert len(monthly) == 12 and monthly[-1] == "2026-12"
    assert (root / "monthly" / "2026-12" / "manifest.json").is_file()
