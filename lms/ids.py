"""Database ids in URLs and query strings: only values a database integer column can hold."""

from flask import abort, current_app, request
from werkzeug.routing import IntegerConverter

from lms.extensions import db

MAX_ID = 2**31 - 1  # PostgreSQL's integer; a larger number could only ever mean "not found"


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route: 0 … 2**31-1, anything else is a 404 before any query runs."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def id_arg(value: str | None) -> int | None:
    """A query-string id as an int, or None when missing, malformed or out of range."""
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if 0 < number <= MAX_ID else None


def page_arg(value: str | None) -> int:
    """A list's ``?page=``: 1 when missing or malformed; a 404 past any page a list of ids can have."""
    if value is None or not (value.isascii() and value.isdigit()) or int(value[:12]) == 0:
        return 1
    if len(value) > 10 or int(value) > MAX_ID:  # (page - 1) * page size would overflow the database's OFFSET
        abort(404)
    return int(value)


def requested_page(statement):
    """The page of ``statement``'s rows the request's ``?page=`` asks for (``PAGE_SIZE`` rows; empty past the end)."""
    return db.paginate(
        statement,
        page=page_arg(request.args.get("page")),
        per_page=current_app.config["PAGE_SIZE"],
        error_out=False,
    )
