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
"""

from typing import NamedTuple

from sqlalchemy import select

from lms.accounts.models import Role, User, UserRole
from lms.api.services import create_token
from lms.certificates.models import Certificate
from lms.content.models import Module, Programme
from lms.editions.models import edition_trainer
from lms.extensions import db
from lms.learning.models import Attempt, Work, WorkStatus

PROGRAMME_SLUG = "cal"


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
        KeyPage("api editions", trainer.email, "/api/v1/editions", True),
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
