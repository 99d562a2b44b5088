"""The key pages of the benchmark and of the query-count regression test, chosen from the data.

``key_pages()`` looks at the database in the current app context (seeded with ``flask demo seed``
or ``lms.demo.seed.seed``) and picks, deterministically (lowest ids first):

* a trainer without an institution whose review queue is not empty, and in it a waiting attempt that
  has at least one earlier attempt (the review page shows the history);
* the institution of that work, its coordinator and an animator of it who has work of their own (the
  work page shows the one with the most attempts);
* the first module of the CAL programme and the first valid certificate (for the verify page).

It returns ``KeyPage`` rows: page name, the e-mail to sign in with (None: anonymous), the URL and
whether the page needs an API token (``Authorization: Bearer …``) instead of a session.

``rotations()`` gives the same pages many times over, for ``make bench``: each page as seen by many
different seeded people, or on many different objects (see its docstring), so that a benchmark
measures the product rather than one cached copy of one page.
"""

from collections import defaultdict
from datetime import date
from typing import NamedTuple, TypeVar

from sqlalchemy import select

from lms.accounts.models import Role, User, UserRole
from lms.api.services import create_token
from lms.certificates.models import Certificate
from lms.content.models import Module, Programme
from lms.demo.seed_people import DOMAIN
from lms.editions.models import edition_trainer
from lms.events.calendars import token_of
from lms.events.models import Event
from lms.extensions import db
from lms.institutions.models import InstitutionKind, Voivodeship
from lms.learning.models import Attempt, Work, WorkStatus

PROGRAMME_SLUG = "cal"
T = TypeVar("T")


class KeyPage(NamedTuple):
    name: str
    email: str | None
    url: str
    needs_api_token: bool = False


class NoKeyPages(LookupError):
    """The database lacks what the key pages need (seed it first)."""


def key_pages() -> list[KeyPage]:
    """The key pages to measure, as (page name, user e-mail or None, url, needs_api_token)."""
    waiting = (
        select(Work.id, edition_trainer.c.user_id.label("trainer_id"))
        .join(edition_trainer, edition_trainer.c.edition_id == Work.edition_id)
        .join(User, User.id == edition_trainer.c.user_id)
        .where(Work.status == WorkStatus.SUBMITTED, Work.attempt_count >= 2, User.institution_id.is_(None))
        .order_by(User.id, Work.id)
        .limit(1)
    )
    row = db.session.execute(waiting).first()
    if row is None:
        raise NoKeyPages("no trainer without an institution has a waiting attempt with an earlier one")
    trainer, work = db.session.get(User, row.trainer_id), db.session.get(Work, row.id)
    attempt_id = db.session.scalar(
        select(Attempt.id).where(Attempt.work_id == work.id).order_by(Attempt.number.desc()).limit(1)
    )
    coordinator = _first_with_role(Role.COORDINATOR, work.institution_id)
    animator = db.session.scalar(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(
            UserRole.role == Role.ANIMATOR,
            User.institution_id == work.institution_id,
            select(Work.id).where(Work.learner_id == User.id).exists(),
        )
        .order_by(User.id)
        .limit(1)
    )
    module_slug = db.session.scalar(
        select(Module.slug)
        .join(Programme, Programme.id == Module.programme_id)
        .where(Programme.slug == PROGRAMME_SLUG)
        .order_by(Module.position, Module.id)
        .limit(1)
    )
    code = db.session.scalar(
        select(Certificate.code).where(Certificate.revoked_at.is_(None)).order_by(Certificate.id).limit(1)
    )
    if coordinator is None or animator is None or module_slug is None or code is None:
        raise NoKeyPages("the seeded data lacks a coordinator, an animator with work, a module or a certificate")
    own = db.session.execute(  # the animator's work with the most attempts (the page lists them)
        select(Work.edition_id, Work.assignment_id)
        .where(Work.learner_id == animator.id)
        .order_by(Work.attempt_count.desc(), Work.id)
        .limit(1)
    ).one()
    institution_id = work.institution_id
    return [
        KeyPage("module page", animator.email, f"/programmes/{PROGRAMME_SLUG}/modules/{module_slug}/"),
        KeyPage("animator home", animator.email, "/"),
        KeyPage("work page", animator.email, f"/editions/{own.edition_id}/assignments/{own.assignment_id}/"),
        KeyPage("review queue", trainer.email, "/reviews/"),
        KeyPage("review page", trainer.email, f"/reviews/attempts/{attempt_id}/"),
        KeyPage("trainer dashboard", trainer.email, "/dashboard/trainer/"),
        KeyPage("coordinator dashboard", coordinator.email, f"/dashboard/institutions/{institution_id}/"),
        KeyPage("institution checklist", coordinator.email, f"/institutions/{institution_id}/certification/"),
        KeyPage("programme report", trainer.email, "/reports/"),
        KeyPage("verify page", None, f"/verify/{code}"),
        KeyPage("registry", None, "/registry/"),
        KeyPage("figures page", None, f"/programmes/{PROGRAMME_SLUG}/figures/"),
        KeyPage("api editions", trainer.email, "/api/v1/editions", True),
        *_event_pages([trainer], [animator], 1),
    ]


def _first_with_role(role: Role, institution_id: int) -> User | None:
    return db.session.scalar(
        select(User)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == role, User.institution_id == institution_id)
        .order_by(User.id)
        .limit(1)
    )


def api_tokens(pages: list[KeyPage], name: str) -> dict[str, str]:
    """A fresh personal API token (the secret) for each person whose key page needs one; the caller commits."""
    tokens = {}
    for page in pages:
        if page.needs_api_token and page.email not in tokens:
            user = db.session.scalar(select(User).where(User.email == page.email))
            tokens[page.email] = create_token(user, name)[1]
    return tokens


def spread(items: list[T], count: int) -> list[T]:
    """At most ``count`` of ``items``, evenly spaced (so they span institutions and editions), in order."""
    if len(items) <= count:
        return list(items)
    return [items[i * len(items) // count] for i in range(count)]


def _pairs(first: list, second: list, count: int) -> list[tuple]:
    """The first ``count`` pairs of ``first`` × ``second`` on diagonals: the first ``len(first)`` pairs hold
    every item of ``first`` once, each with another item of ``second``; every pair comes once."""
    pairs = [(a, second[(i + shift) % len(second)]) for shift in range(len(second)) for i, a in enumerate(first)]
    return pairs[:count]


def _seeded_with_role(role: Role):
    return (
        select(User.id, User.email, User.institution_id)
        .join(UserRole, UserRole.user_id == User.id)
        .where(UserRole.role == role, User.email.endswith(f"@{DOMAIN}"), User.active.is_(True))
        .order_by(User.id)
    )


def rotations(people: int = 60, objects: int = 400) -> dict[str, list[KeyPage]]:
    """Each key page (the names of ``key_pages``) in up to ``people`` variants, ``objects`` for the
    review and verify pages, chosen deterministically and evenly spread over the seeded data
    (``flask demo seed``: people whose e-mail ends in @seed.cal.local):

    * module page, animator home, work page: different animators with work of their own (each on a
      module in turn; the work page shows the animator's work with the most attempts);
    * review queue: trainers × filters (none, each scope, each module of the programme);
    * review page: waiting attempts (a work's latest, submitted), each with a trainer without an
      institution who serves its edition;
    * trainer dashboard: trainers; coordinator dashboard, institution checklist: coordinators;
    * programme report: trainers × filters (none, the programme, each of the last twelve months);
    * verify page: codes of valid certificates; registry: voivodeship × kind filters;
    * api editions: trainers' tokens × query parameters.

    Fewer variants when the data has fewer (the small seed has four trainers and five coordinators).
    """
    animators = db.session.execute(
        _seeded_with_role(Role.ANIMATOR).where(select(Work.id).where(Work.learner_id == User.id).exists())
    ).all()
    animators = spread(animators, people)
    trainers = db.session.execute(_seeded_with_role(Role.TRAINER)).all()
    coordinators = spread(
        db.session.execute(_seeded_with_role(Role.COORDINATOR).where(User.institution_id.is_not(None))).all(), people
    )
    modules = db.session.execute(
        select(Module.id, Module.slug)
        .join(Programme, Programme.id == Module.programme_id)
        .where(Programme.slug == PROGRAMME_SLUG)
        .order_by(Module.position, Module.id)
    ).all()
    if not animators or not trainers or not coordinators or not modules:
        raise NoKeyPages("the seeded data lacks animators with work, trainers, coordinators or modules")
    own_works = {}  # animator id → (edition, assignment) of their work with the most attempts
    for learner_id, edition_id, assignment_id in db.session.execute(
        select(Work.learner_id, Work.edition_id, Work.assignment_id)
        .where(Work.learner_id.in_([a.id for a in animators]))
        .order_by(Work.learner_id, Work.attempt_count.desc(), Work.id)
    ):
        own_works.setdefault(learner_id, (edition_id, assignment_id))
    module_url = f"/programmes/{PROGRAMME_SLUG}/modules/{{}}/"
    pages: dict[str, list[KeyPage]] = {
        "module page": [
            KeyPage("module page", a.email, module_url.format(modules[i % len(modules)].slug))
            for i, a in enumerate(animators)
        ],
        "animator home": [KeyPage("animator home", a.email, "/") for a in animators],
        "work page": [
            KeyPage("work page", a.email, "/editions/{}/assignments/{}/".format(*own_works[a.id])) for a in animators
        ],
    }
    filters = ["", "?scope=person", "?scope=institution"] + [f"?module={m.id}" for m in modules]
    pages["review queue"] = [
        KeyPage("review queue", t.email, f"/reviews/{query}") for t, query in _pairs(trainers, filters, people)
    ]
    pages["review page"] = _review_pages(trainers, objects)
    pages["trainer dashboard"] = [KeyPage("trainer dashboard", t.email, "/dashboard/trainer/") for t in trainers]
    pages["coordinator dashboard"] = [
        KeyPage("coordinator dashboard", c.email, f"/dashboard/institutions/{c.institution_id}/") for c in coordinators
    ]
    pages["institution checklist"] = [
        KeyPage("institution checklist", c.email, f"/institutions/{c.institution_id}/certification/")
        for c in coordinators
    ]
    today = date.today()
    months = [divmod(today.year * 12 + today.month - 1 - back, 12) for back in range(12)]  # (year, month - 1)
    report_months = [date(year, month + 1, 1) for year, month in months]
    report_filters = ["", f"?programme={PROGRAMME_SLUG}"] + [f"?from={m.isoformat()}" for m in report_months]
    pages["programme report"] = [
        KeyPage("programme report", t.email, f"/reports/{query}")
        for t, query in _pairs(trainers, report_filters, people)
    ]
    codes = db.session.scalars(
        select(Certificate.code).where(Certificate.revoked_at.is_(None)).order_by(Certificate.id)
    ).all()
    pages["verify page"] = [KeyPage("verify page", None, f"/verify/{code}") for code in spread(codes, objects)]
    registry = [""] + [f"?voivodeship={v.value}" for v in Voivodeship] + [f"?kind={k.value}" for k in InstitutionKind]
    registry += [f"?voivodeship={v.value}&kind={k.value}" for v in Voivodeship for k in InstitutionKind]
    pages["registry"] = [KeyPage("registry", None, f"/registry/{query}") for query in spread(registry, people)]
    api_queries = ["", f"?programme={PROGRAMME_SLUG}", "?starts_after=2024-01-01"]
    api_queries += [f"?per_page={n}" for n in (2, 5, 10)]
    pages["api editions"] = [
        KeyPage("api editions", t.email, f"/api/v1/editions{query}", True)
        for t, query in _pairs(trainers, api_queries, people)
    ]
    for page in _event_pages(trainers, [db.session.get(User, a.id) for a in animators], people):
        pages.setdefault(page.name, []).append(page)
    return pages


def _event_pages(trainers, animators, count: int) -> list[KeyPage]:
    """The event page (a training of an edition the trainer serves, with its participants), and animators'
    private calendar feeds (anonymous, by their token: the token is made here and the caller commits)."""
    pages = []
    for trainer in trainers[:count]:
        event_id = db.session.scalar(
            select(Event.id)
            .join(edition_trainer, edition_trainer.c.edition_id == Event.edition_id)
            .where(edition_trainer.c.user_id == trainer.id)
            .order_by(Event.id)
            .limit(1)
        )
        if event_id is not None:
            pages.append(KeyPage("event page", trainer.email, f"/events/{event_id}/"))
    pages += [KeyPage("calendar feed", None, f"/calendar/{token_of(a)}.ics") for a in animators[:count]]
    return pages


def _review_pages(trainers, count: int) -> list[KeyPage]:
    """Waiting attempts (the latest of a submitted work), each with a trainer without an institution
    who serves the work's edition (the trainers of an edition take turns)."""
    serving = defaultdict(list)
    free = {t.id: t.email for t in trainers if t.institution_id is None}
    for edition_id, user_id in db.session.execute(
        select(edition_trainer.c.edition_id, edition_trainer.c.user_id).order_by(edition_trainer.c.user_id)
    ):
        if user_id in free:
            serving[edition_id].append(free[user_id])
    waiting = db.session.execute(
        select(Attempt.id, Work.edition_id)
        .join(Work, Work.id == Attempt.work_id)
        .where(Work.status == WorkStatus.SUBMITTED, Attempt.number == Work.attempt_count)
        .order_by(Attempt.id)
    ).all()
    waiting = spread([row for row in waiting if serving[row.edition_id]], count)
    pages = []
    for i, row in enumerate(waiting):
        by = serving[row.edition_id]
        pages.append(KeyPage("review page", by[i % len(by)], f"/reviews/attempts/{row.id}/"))
    return pages
