"""Database contents saved once and loaded back: a world built through the services (importing a
programme, submitting, reviewing, certifying) takes up to two seconds; inserting its rows takes milliseconds.

A snapshot is all the rows of every table (and, on PostgreSQL, the sequences' positions), saved right
after a fixture built them in an empty database, with the fixture's return value by reference: model
instances are kept as their class and primary key and come back freshly loaded from the session.
"""

import copy
import dataclasses
from types import SimpleNamespace

from sqlalchemy import bindparam, exists, inspect, select, text
from sqlalchemy.sql.ddl import sort_tables_and_constraints

from lms.extensions import db


@dataclasses.dataclass(frozen=True)
class Snapshot:
    rows: dict[str, list[dict]]
    sequences: list[tuple[str, int]]
    result: object  # the builder's return value, model instances replaced by _Instance
    users_made: int  # how many people make_user numbered, so later ones get the numbers they would have


@dataclasses.dataclass(frozen=True)
class _Instance:
    model: type
    identity: tuple


def database_is_empty() -> bool:
    """True when no table holds a row: the state each test starts in, and the only one a snapshot loads into."""
    return not any(db.session.scalar(select(exists(table.select()))) for table in db.metadata.sorted_tables)


def take(result, users_made: int) -> Snapshot:
    """Everything the session sees now, with ``result`` (what the builder returned) by reference."""
    rows = {}
    for table in db.metadata.sorted_tables:
        found = [dict(row) for row in db.session.execute(table.select()).mappings()]
        if found:
            rows[table.name] = found
    return Snapshot(rows, _sequences(), _by_reference(result), users_made)


def load(snapshot: Snapshot):
    """Insert the snapshot's rows into the (empty) database and commit; return the builder's result again."""
    connection = db.session.connection()
    ordered = sort_tables_and_constraints(db.metadata.tables.values())
    # Foreign keys in a cycle (a module and its current version) are filled in once both rows exist.
    later = {fk.parent: fk.column_keys for table, fks in ordered if table is None for fk in fks}
    for table, _fks in ordered:
        if table is not None and table.name in snapshot.rows:
            held = dict.fromkeys(later.get(table, ()))
            connection.execute(table.insert(), [{**row, **held} for row in snapshot.rows[table.name]])
    for table, columns in later.items():
        keys = [column.name for column in table.primary_key.columns]
        rows = [row for row in snapshot.rows.get(table.name, ()) if any(row[c] is not None for c in columns)]
        if rows:
            statement = (
                table.update()
                .where(*(table.c[key] == bindparam(f"key_{key}") for key in keys))
                .values({column: bindparam(f"value_{column}") for column in columns})
            )
            connection.execute(
                statement,
                [{**{f"key_{k}": row[k] for k in keys}, **{f"value_{c}": row[c] for c in columns}} for row in rows],
            )
    for name, position in snapshot.sequences:
        connection.execute(text("SELECT setval(:name, :position)"), {"name": name, "position": position})
    db.session.commit()
    return _from_reference(copy.deepcopy(snapshot.result))


def _sequences() -> list[tuple[str, int]]:
    """Where PostgreSQL's id sequences stand, so rows added later get the ids they would have had.

    SQLite needs nothing: without AUTOINCREMENT (the models use none) a new id is the largest plus one.
    """
    if db.engine.dialect.name != "postgresql":
        return []
    statement = text(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value FROM pg_sequences "
        "WHERE schemaname = current_schema() AND last_value IS NOT NULL"
    )
    return [tuple(row) for row in db.session.execute(statement)]


def _by_reference(value):
    if isinstance(value, dict):
        return {key: _by_reference(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_by_reference(item) for item in value)
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**_by_reference(vars(value)))
    state = inspect(value, raiseerr=False)
    if state is not None and getattr(state, "identity", None) is not None:
        return _Instance(type(value), state.identity)
    assert state is None, f"{value!r} is not saved: a snapshot can only refer to committed rows"
    return value


def _from_reference(value):
    if isinstance(value, dict):
        return {key: _from_reference(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_from_reference(item) for item in value)
    if isinstance(value, SimpleNamespace):
        return SimpleNamespace(**_from_reference(vars(value)))
    if isinstance(value, _Instance):
        instance = db.session.get(value.model, value.identity)
        # As a freshly built world's instances are after its last commit: expired, loaded on first use.
        db.session.expire(instance)
        return instance
    return value
