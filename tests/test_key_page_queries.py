"""Key pages issue the same number of SQL queries on a small and on a larger seeded data set.

Guards against per-row queries creeping back into the pages `make bench` measures (no timing here).
"""

from sqlalchemy import select

from lms import pagecache
from lms.accounts.models import Role, User, UserRole
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate, CertificateKind
from lms.content.importer import import_courses
from lms.content.models import Programme
from lms.demo.key_pages import api_tokens, key_pages
from lms.demo.seed import Scale, seed
from lms.extensions import db, limiter
from tests.conftest import PASSWORD, REAL_COURSES, _empty_tables, login

SMALL = Scale(4, 6, 2, 1, 1)
LARGER = Scale(12, 12, 4, 2, 1)


def _seeded(scale: Scale) -> None:
    report = import_courses(REAL_COURSES)
    assert not report.errors, report.errors
    programme = db.session.scalar(select(Programme).where(Programme.slug == "cal"))
    seed(programme, scale, PASSWORD)
    if db.session.scalar(select(Certificate.id).limit(1)) is None:
        _issue_one(programme)  # scales this small rarely finish the programme; the verify page needs one


def _issue_one(programme: Programme) -> None:
    """A person certificate for the first animator, shaped like those the seed writes."""
    holder = db.session.scalar(
        select(User).join(UserRole).where(UserRole.role == Role.ANIMATOR).order_by(User.id).limit(1)
    )
    issuer = db.session.scalar(
        select(User).join(UserRole).where(UserRole.role == Role.TRAINER).order_by(User.id).limit(1)
    )
    rule = programme.certificates["person"]
    db.session.add(
        Certificate(
            kind=CertificateKind.PERSON,
            code=new_code(),
            title=rule["title"],
            level=rule["level"],
            programme_id=programme.id,
            holder_id=holder.id,
            institution_id=holder.institution_id,
            issued_by_id=issuer.id,
        )
    )
    db.session.commit()


def _query_counts(app, count_queries) -> dict[str, tuple[int, int]]:
    """Per key page: (status, queries) of the second request, computed (the first warms the session and
    per-process content; the page copies of the report and the registry are forgotten before counting)."""
    pages, clients, counts = key_pages(), {}, {}
    tokens = api_tokens(pages, "query counts")
    db.session.commit()
    for page in pages:
        headers = {"Authorization": f"Bearer {tokens[page.email]}"} if page.needs_api_token else {}
        client = clients.get(page.email) if page.email and not page.needs_api_token else None
        if client is None:
            client = app.test_client()
            if page.email and not page.needs_api_token:
                assert login(client, page.email).status_code == 302
                clients[page.email] = client
        client.get(page.url, headers=headers)
        pagecache.clear_all()
        with count_queries() as counter:
            status = client.get(page.url, headers=headers).status_code
        counts[page.name] = (status, counter.count)
    return counts


def test_key_pages_issue_as_many_queries_on_more_data(app, count_queries):
    _seeded(SMALL)
    small = _query_counts(app, count_queries)
    db.session.remove()
    _empty_tables()
    limiter.reset()
    _seeded(LARGER)
    larger = _query_counts(app, count_queries)

    assert {name: status for name, (status, _) in small.items()} == dict.fromkeys(small, 200)
    assert {name: status for name, (status, _) in larger.items()} == dict.fromkeys(larger, 200)
    assert {name: queries for name, (_, queries) in larger.items()} == {
        name: queries for name, (_, queries) in small.items()
    }
