"""``flask backup``: a consistent copy of the database (uploaded files live in it) with a manifest that proves it.

The manifest (``manifest.json``, written last, so a half-written backup never verifies) names each file
with its SHA-256, and each table with its row count and content checksum (lms.ops.fingerprints), read
from the very snapshot that was copied: on PostgreSQL the dump and the checksums share one exported
snapshot; on SQLite the checksums are read from the copy itself.
"""

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import Connection, create_engine, inspect, text
from sqlalchemy.engine import URL

from lms.base import utcnow
from lms.extensions import db
from lms.ops.fingerprints import differences, stored_files_intact, table_fingerprints

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_FILE = "database.sqlite3"
POSTGRESQL_FILE = "database.pgdump"


class BackupError(Exception):
    """A backup cannot be made, verified or restored; the message says why and what to do."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _schema_revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.scalar(text("SELECT version_num FROM alembic_version"))


def _pg_tool(name: str) -> str:
    """The newest installed PostgreSQL client tool (pg_dump must not be older than the server)."""
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    found = candidates[-1] if candidates else shutil.which(name)
    if not found:
        raise BackupError(_("%(tool)s is not installed (apt-get install postgresql-client).", tool=name))
    return found


def _libpq(url: URL) -> tuple[str, dict]:
    """A libpq address for the PostgreSQL tools, with the password passed in the environment, not argv."""
    address = url.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return address, env


def _run(command: list[str], env: dict | None = None) -> str:
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name}: {done.stderr.strip() or done.returncode}")
    return done.stdout


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError(_("An in-memory SQLite database cannot be backed up or restored."))
    return Path(url.database)


def _prepare_directory(directory: Path) -> None:
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(_("%(dir)s is not empty: give a new folder for each backup.", dir=directory))
    directory.mkdir(parents=True, exist_ok=True)


def create_backup(directory: Path) -> dict:
    """Copy the configured database into ``directory`` (new or empty) and write its manifest; return it."""
    _prepare_directory(directory)
    url = db.engine.url
    if url.get_backend_name() == "postgresql":
        file_name, snapshot_facts = POSTGRESQL_FILE, _dump_postgresql(url, directory / POSTGRESQL_FILE)
    else:
        file_name, snapshot_facts = SQLITE_FILE, _copy_sqlite(_sqlite_path(url), directory / SQLITE_FILE)
    tables, revision, (file_count, file_bytes, damaged) = snapshot_facts
    path = directory / file_name
    manifest = {
        "format": FORMAT,
        "created_at": utcnow().isoformat(timespec="seconds") + "Z",
        "database": url.get_backend_name(),
        "schema_revision": revision,
        "files": {file_name: {"bytes": path.stat().st_size, "sha256": _sha256(path)}},
        "stored_files": {"count": file_count, "bytes": file_bytes, "damaged": damaged},
        "tables": tables,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def _facts(connection: Connection):
    return table_fingerprints(connection), _schema_revision(connection), stored_files_intact(connection)


def _copy_sqlite(source: Path, target: Path):
    if not source.exists():
        raise BackupError(_("The database file %(path)s does not exist.", path=source))
    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)  # SQLite's online backup API: a consistent copy while the app keeps writing
    origin.close()
    copy.close()
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as connection:
            return _facts(connection)
    finally:
        engine.dispose()


def _dump_postgresql(url: URL, target: Path):
    address, env = _libpq(url)
    engine = create_engine(url, isolation_level="REPEATABLE READ")
    try:
        with engine.connect() as connection:
            # One snapshot for the dump and the checksums: what the manifest counts is what was dumped.
            snapshot = connection.scalar(text("SELECT pg_export_snapshot()"))
            _run(
                [_pg_tool("pg_dump"), "--format=custom", f"--snapshot={snapshot}", f"--file={target}", address],
                env,
            )
            facts = _facts(connection)
            connection.rollback()
            return facts
    finally:
        engine.dispose()


def read_manifest(directory: Path) -> dict:
    """The manifest of a backup folder, checked for shape."""
    path = directory / MANIFEST
    if not path.is_file():
        raise BackupError(_("%(path)s is missing: this is not a complete backup.", path=path))
    try:
        manifest = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(_("%(path)s cannot be read: %(error)s", path=path, error=error)) from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or "tables" not in manifest:
        raise BackupError(_("%(path)s is not a backup manifest of this application.", path=path))
    return manifest


def verify_backup(directory: Path) -> dict:
    """Check a backup without restoring it: files' checksums, then the copy's own contents; return the manifest."""
    manifest = read_manifest(directory)
    for name, expected in manifest["files"].items():
        path = directory / name
        if not path.is_file():
            raise BackupError(_("%(path)s is missing.", path=path))
        if _sha256(path) != expected["sha256"]:
            raise BackupError(_("%(path)s has changed since the backup was made (its checksum differs).", path=path))
    if manifest["database"] == "sqlite":
        _verify_sqlite_copy(directory / SQLITE_FILE, manifest)
    else:
        _verify_postgresql_dump(directory / POSTGRESQL_FILE, manifest)
    return manifest


def _verify_sqlite_copy(path: Path, manifest: dict) -> None:
    engine = create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    try:
        with engine.connect() as connection:
            if connection.scalar(text("PRAGMA integrity_check")) != "ok":
                raise BackupError(_("%(path)s fails SQLite's integrity check.", path=path))
            problems = differences(manifest["tables"], table_fingerprints(connection))
            damaged = stored_files_intact(connection)[2]
    finally:
        engine.dispose()
    if problems or damaged:
        raise BackupError(
            _("The copy differs from its manifest: %(problems)s", problems="; ".join(problems) or damaged)
        )


def _verify_postgresql_dump(path: Path, manifest: dict) -> None:
    listing = _run([_pg_tool("pg_restore"), "--list", str(path)])
    dumped = {line.split()[-2] for line in listing.splitlines() if " TABLE DATA " in line}
    missing = sorted(set(manifest["tables"]) - dumped)
    if missing:
        raise BackupError(_("The dump lacks the data of: %(tables)s", tables=", ".join(missing)))


def restore_backup(directory: Path) -> dict:
    """Verify a backup, restore it into the configured database (which must be empty), prove it equal."""
    manifest = verify_backup(directory)
    url = db.engine.url
    if manifest["database"] != url.get_backend_name():
        raise BackupError(
            _(
                "This backup is of a %(kind)s database; the configured database is %(target)s.",
                kind=manifest["database"],
                target=url.get_backend_name(),
            )
        )
    db.session.remove()
    db.engine.dispose()
    tables = inspect(db.engine).get_table_names()
    if tables:
        raise BackupError(
            ngettext(
                "The database %(db)s is not empty (%(num)s table). A backup is restored only into an empty "
                "database: create a new one, point LMS_DATABASE_URL at it and run the restore again.",
                "The database %(db)s is not empty (%(num)s tables). A backup is restored only into an empty "
                "database: create a new one, point LMS_DATABASE_URL at it and run the restore again.",
                len(tables),
                db=url.render_as_string(hide_password=True),
            )
        )
    if manifest["database"] == "sqlite":
        db.engine.dispose()
        with sqlite3.connect(directory / SQLITE_FILE) as origin, sqlite3.connect(_sqlite_path(url)) as target:
            origin.backup(target)
        origin.close()
        target.close()
    else:
        address, env = _libpq(url)
        restore = [_pg_tool("pg_restore"), "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        _run([*restore, f"--dbname={address}", str(directory / POSTGRESQL_FILE)], env)
    with db.engine.connect() as connection:
        problems = differences(manifest["tables"], table_fingerprints(connection))
    if problems:
        raise BackupError(
            _("The restored database differs from the backup: %(problems)s", problems="; ".join(problems))
        )
    return manifest
