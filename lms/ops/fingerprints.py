"""Row counts and content checksums of every table, to prove a backup and its restore hold the same data.

A table's checksum is the sum (mod 2**256) of its rows' SHA-256 digests, so it does not depend on the
order rows come back in (which a restored database, with its own physical layout, need not repeat).
"""

import hashlib
import json
from datetime import date, datetime, time
from decimal import Decimal

from sqlalchemy import Connection, MetaData, inspect, select, text

_MODULUS = 2**256


def _canonical(value) -> str:
    """One spelling of a value, whichever database and driver returned it."""
    if value is None:
        return "∅"
    if isinstance(value, bytes | memoryview | bytearray):
        return "b:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


def table_fingerprints(connection: Connection) -> dict[str, dict]:
    """``{table: {"rows": n, "sha256": hex}}`` for every table in the database, read on ``connection``."""
    metadata = MetaData()
    metadata.reflect(bind=connection)
    result = {}
    for name in sorted(metadata.tables):
        table = metadata.tables[name]
        rows, total = 0, 0
        columns = sorted(table.columns, key=lambda column: column.name)
        for row in connection.execute(select(*columns)).yield_per(2000):
            line = "\x1f".join(_canonical(value) for value in row)
            total = (total + int.from_bytes(hashlib.sha256(line.encode()).digest(), "big")) % _MODULUS
            rows += 1
        result[name] = {"rows": rows, "sha256": f"{total:064x}"}
    return result


def stored_files_intact(connection: Connection) -> tuple[int, int, list[int]]:
    """(count, bytes, ids whose content no longer matches its SHA-256) of the uploaded files."""
    if "stored_file" not in inspect(connection).get_table_names():
        return 0, 0, []
    count = size = 0
    damaged = []
    for file_id, sha256, content in connection.execute(text("SELECT id, sha256, content FROM stored_file")):
        count += 1
        size += len(content)
        if hashlib.sha256(bytes(content)).hexdigest() != sha256:
            damaged.append(file_id)
    return count, size, damaged


def differences(expected: dict[str, dict], actual: dict[str, dict]) -> list[str]:
    """Human-readable lines naming each table whose count or checksum differs (empty: identical)."""
    lines = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if want is None or got is None:
            lines.append(f"{name}: {'missing' if got is None else 'unexpected'}")
        elif want != got:
            checksum = "equal" if want["sha256"] == got["sha256"] else "differs"
            lines.append(f"{name}: rows {want['rows']} → {got['rows']}, checksum {checksum}")
    return lines
