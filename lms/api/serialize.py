"""Objects as the API's JSON: every shape here is described in ``lms.api.openapi`` (a test holds them together)."""

from dataclasses import asdict
from datetime import date, datetime

from lms.api.services import Page, ProgrammeDetail, ProgrammeSummary
from lms.certificates import codes
from lms.certificates.checklist import InstitutionChecklist
from lms.certificates.models import Certificate
from lms.certificates.services import PublicCertificate, state
from lms.content.models import Programme
from lms.editions.models import Edition, Enrolment
from lms.learning.progress import EditionProgress


def timestamp(value: datetime | None) -> str | None:
    """Stored times are naive UTC: written as RFC 3339 with a Z."""
    return value.replace(microsecond=0).isoformat() + "Z" if value else None


def day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def page(result: Page, serialize) -> dict:
    """The envelope every list shares."""
    return {
        "items": [serialize(item) for item in result.items],
        "page": result.page,
        "per_page": result.per_page,
        "total": result.total,
        "pages": result.pages,
    }


def programme_ref(programme) -> dict:
    return {"slug": programme.slug, "title": programme.title}


def programme_summary(entry: ProgrammeSummary) -> dict:
    return {
        **programme_ref(entry.programme),
        "summary_html": entry.programme.summary_html,
        "module_count": entry.module_count,
        "total_hours": entry.total_hours,
    }


def programme_detail(detail: ProgrammeDetail) -> dict:
    programme = detail.programme
    levels = {level.number: {"number": level.number, "title": level.title, "modules": []} for level in programme.levels}
    for module in detail.modules:
        version = module.current_version
        level = levels.setdefault(module.level_number, {"number": module.level_number, "title": "", "modules": []})
        level["modules"].append(
            {
                "slug": module.slug,
                "title": version.title,
                "position": module.position,
                "version": version.number,
                "duration_hours": version.duration_hours,
                "summary": version.summary,
                "goals": list(version.goals),
                "assignments": [
                    {
                        "slug": detail.assignment_slugs[assignment.assignment_id],
                        "title": assignment.title,
                        "scope": assignment.scope.value,
                        "required": assignment.required,
                        "criteria": [criterion.text for criterion in assignment.criteria],
                    }
                    for assignment in version.assignments
                ],
            }
        )
    return {
        **programme_ref(programme),
        "summary_html": programme.summary_html,
        "levels": [levels[number] for number in sorted(levels)],
    }


def edition(edition: Edition) -> dict:
    return {
        "id": edition.id,
        "name": edition.name,
        "programme": programme_ref(edition.programme),
        "voivodeship": edition.voivodeship.value,
        "starts_on": day(edition.starts_on),
        "ends_on": day(edition.ends_on),
    }


def edition_detail(value: Edition) -> dict:
    return {
        **edition(value),
        "trainers": [{"id": trainer.id, "name": trainer.name} for trainer in value.trainers],
        "institutions": [
            {"id": institution.id, "name": institution.name, "voivodeship": institution.voivodeship.value}
            for institution in value.institutions
        ],
    }


def progress(row: tuple[Enrolment, EditionProgress], slugs: dict[int, str]) -> dict:
    enrolment, state_ = row
    return {
        "edition": {"id": enrolment.edition.id, "name": enrolment.edition.name},
        "person": {"id": enrolment.user.id, "name": enrolment.user.name},
        "levels": [
            {
                "number": level.number,
                "title": level.title,
                "accepted": level.accepted,
                "modules_total": level.total,
                "percent": level.percent,
                "modules": [
                    {
                        "slug": module.module.slug,
                        "title": module.module.title,
                        "status": module.status,
                        "assignments": [
                            {
                                "slug": slugs[assignment.version.assignment_id],
                                "title": assignment.version.title,
                                "scope": assignment.version.scope.value,
                                "required": assignment.version.required,
                                "status": assignment.status,
                            }
                            for assignment in module.assignments
                        ],
                    }
                    for module in level.modules
                ],
            }
            for level in state_.levels
        ],
    }


def checklist(row: tuple[Programme, InstitutionChecklist]) -> dict:
    programme, value = row
    held = value.certificate
    return {
        "programme": programme_ref(programme),
        "certificate_title": value.rule.get("title", ""),
        "complete": value.complete,
        "met_count": value.met_count,
        "items_total": len(value.items),
        "percent": value.percent,
        "items": [
            {
                "key": item.key,
                "label": str(item.label),
                "met": item.met,
                "detail": item.detail,
                "work_status": item.work.status.value if item.work else None,
            }
            for item in value.items
        ],
        "certificate": (
            {
                "code": codes.readable(held.code),
                "issued_on": day(held.issued_at.date()),
                "valid_until": day(held.valid_until),
            }
            if held
            else None
        ),
    }


def certificate(value: Certificate) -> dict:
    return {
        "id": value.id,
        "kind": value.kind.value,
        "title": value.title,
        "code": codes.readable(value.code),
        "programme": programme_ref(value.programme),
        "level": value.level,
        "holder": {"id": value.holder.id, "name": value.holder.name} if value.holder else None,
        "institution": {"id": value.institution.id, "name": value.institution.name},
        "edition_id": value.edition_id,
        "issued_at": timestamp(value.issued_at),
        "valid_until": day(value.valid_until),
        "state": state(value),
        "revoked_at": timestamp(value.revoked_at),
        "revoked_reason": value.revoked_reason,
    }


def verification(value: PublicCertificate) -> dict:
    data = asdict(value)
    data["issued_on"] = day(value.issued_on)
    data["valid_until"] = day(value.valid_until)
    data["revoked_on"] = day(value.revoked_on)
    data["continuous_since"] = day(value.continuous_since)
    return data
