"""Database ids in URLs and query strings: only values a database integer column can hold."""

from flask import abort, current_app, redirect, request, url_for
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Row, Select, bindparam, func, select
from werkzeug.routing import IntegerConverter

from lms.database import column_rows
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
    """The page of ``statement``'s rows the request's ``?page=`` asks for (``PAGE_SIZE`` rows); a page past
    the end redirects to the last one."""
    return within_pages(
        db.paginate(
            statement,
            page=page_arg(request.args.get("page")),
            per_page=current_app.config["PAGE_SIZE"],
            error_out=False,
        )
    )


def within_pages(page: Pagination) -> Pagination:
    """``page`` itself, or (past the end of the list) a redirect to its last page with the same filters: an
    empty page past the end would tell a trainer "nothing is waiting" beside "1 result"."""
    last = max(page.pages, 1)
    if page.page > last:
        args = {**request.args.to_dict(flat=False), "page": last}
        if last == 1:
            del args["page"]
        abort(redirect(url_for(request.endpoint, **(request.view_args or {}), **args)))
    return page


def paged(statement: Select) -> Select:
    """``statement`` cut to one page by the bind parameters ``limit`` and ``offset``, which ``RowsPage`` fills in."""
    return statement.limit(bindparam("limit")).offset(bindparam("offset"))


class RowsPage(Pagination):
    """A page of plain rows (a statement of columns): a long list reads the columns it shows, not whole entities.

    The statement is cut to a page by ``paged``: at its top (``requested_rows`` does that), or in an inner
    query so that only the page's rows are joined to what they show. Page size and offset are bound parameters,
    so a statement built once serves every page. ``total``, when the caller already knows how many rows there
    are, saves counting them; counting needs a statement paged at its top."""

    def _query_items(self) -> list[Row]:
        parameters = {**self._query_args["parameters"], "limit": self.per_page, "offset": self._query_offset}
        return column_rows(self._query_args["statement"], parameters)

    def _query_count(self) -> int:
        if self._query_args["total"] is not None:
            return self._query_args["total"]
        counted = self._query_args["statement"].limit(None).offset(None).order_by(None).subquery()
        return column_rows(select(func.count()).select_from(counted), self._query_args["parameters"])[0][0]


def rows_page(
    statement: Select, page: int, per_page: int, parameters: dict | None = None, total: int | None = None
) -> RowsPage:
    """Page ``page`` of a statement of columns already ``paged`` (see ``RowsPage``), run with ``parameters``."""
    return RowsPage(
        page=page,
        per_page=per_page,
        max_per_page=None,
        error_out=False,
        statement=statement,
        parameters=parameters or {},
        total=total,
    )


def requested_rows(statement: Select, total: int | None = None) -> RowsPage:
    """Like ``requested_page``, for a statement of columns: the page's rows as plain rows. ``total``, when the
    caller already knows how many rows there are, saves counting them."""
    page = rows_page(paged(statement), page_arg(request.args.get("page")), current_app.config["PAGE_SIZE"], total=total)
    return within_pages(page)
