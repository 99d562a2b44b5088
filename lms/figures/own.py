"""A coordinator's own institution's figures in a programme, beside the programme's public ones.

The same columns as the public table, for one institution, with exact numbers (it is the coordinator's
own data): taking part, people trained and in training from its staff, trainers of its editions, its
institution certificate and the sums of its accepted indicator reports.
"""

from sqlalchemy import exists, func, select

from lms.accounts.models import User
from lms.certificates.models import Certificate, CertificateKind, kind_is
from lms.editions.models import Edition, Enrolment, edition_institution, edition_trainer
from lms.extensions import db
from lms.figures.services import project_assignments
from lms.learning.models import Work, WorkStatus
from lms.support.models import IndicatorReport, ReportStatus


def institution_figures(institution_id: int, programme_id: int, indicator_keys: list[str]) -> dict[str, int]:
    """``{column key: number}`` for one institution, keyed as ``ProgrammeFigures.table``'s columns."""
    editions = (
        select(edition_institution.c.edition_id)
        .join(Edition, Edition.id == edition_institution.c.edition_id)
        .where(edition_institution.c.institution_id == institution_id, Edition.programme_id == programme_id)
    )
    edition_ids = list(db.session.scalars(editions))
    live = (Certificate.programme_id == programme_id, Certificate.institution_id == institution_id)
    found = {
        "institutions": 1 if edition_ids else 0,
        "trained": db.session.scalar(
            select(func.count()).where(*live, kind_is(CertificateKind.PERSON), Certificate.revoked_at.is_(None))
        ),
        "in_training": db.session.scalar(
            select(func.count(func.distinct(Enrolment.user_id)))
            .join(User, User.id == Enrolment.user_id)
            .where(Enrolment.edition_id.in_(edition_ids), User.institution_id == institution_id)
        ),
        # A centre, not its certificates: a renewed centre holds two.
        "certified": int(
            bool(
                db.session.scalar(
                    select(
                        exists().where(*live, kind_is(CertificateKind.INSTITUTION), Certificate.revoked_at.is_(None))
                    )
                )
            )
        ),
        "trainers": db.session.scalar(
            select(func.count(func.distinct(edition_trainer.c.user_id))).where(
                edition_trainer.c.edition_id.in_(edition_ids)
            )
        ),
        "projects": db.session.scalar(
            select(func.count(Work.id)).where(
                Work.edition_id.in_(edition_ids),
                Work.institution_id == institution_id,
                Work.learner_id.is_(None),
                Work.status == WorkStatus.ACCEPTED,
                Work.assignment_id.in_(project_assignments(programme_id)),
            )
        ),
    }
    if indicator_keys:
        sums = db.session.execute(
            select(
                *(func.coalesce(func.sum(IndicatorReport.values[key].as_integer()), 0) for key in indicator_keys)
            ).where(
                IndicatorReport.institution_id == institution_id,
                IndicatorReport.programme_id == programme_id,
                IndicatorReport.status == ReportStatus.ACCEPTED,
            )
        ).one()
        found.update({f"indicator:{key}": int(value) for key, value in zip(indicator_keys, sums, strict=True)})
    return found
