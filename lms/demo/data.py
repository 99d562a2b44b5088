"""The demo data set: people, institutions and an edition of the CAL programme (idempotent)."""

import secrets
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from lms.accounts import services as accounts
from lms.accounts.models import Role, User
from lms.base import utcnow
from lms.content.models import Programme
from lms.demo.deadlines import load_deadlines
from lms.demo.events import load_events
from lms.demo.story import load_story
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Institution, InstitutionKind, Voivodeship

INSTITUTIONS = [
    ("GOPS w Wierzbicy Górnej", InstitutionKind.OPS, "Wierzbica Górna", "kluczborski", Voivodeship.OPOLSKIE),
    ("MOPS w Lipowcu", InstitutionKind.OPS, "Lipowiec", "lipowiecki", Voivodeship.MALOPOLSKIE),
    ("Stowarzyszenie „Razem dla Zatorza”", InstitutionKind.NGO, "Borowice", "borowicki", Voivodeship.SLASKIE),
]
# (e-mail, name, roles, index of institution or None)
PEOPLE = [
    ("admin@demo.cal.local", "Anna Administratorka", [Role.ADMIN], None),
    ("trener1@demo.cal.local", "Tomasz Trener", [Role.TRAINER], None),
    ("trener2@demo.cal.local", "Teresa Trenerka", [Role.TRAINER], 2),
    ("koordynator1@demo.cal.local", "Katarzyna Kowalczyk", [Role.COORDINATOR], 0),
    ("koordynator2@demo.cal.local", "Krzysztof Lis", [Role.COORDINATOR], 1),
    ("koordynator3@demo.cal.local", "Karolina Zięba", [Role.COORDINATOR], 2),
    ("animator1@demo.cal.local", "Agnieszka Nowak", [Role.ANIMATOR], 0),
    ("animator2@demo.cal.local", "Adam Wiśniewski", [Role.ANIMATOR], 0),
    ("animator3@demo.cal.local", "Alicja Dąbrowska", [Role.ANIMATOR], 1),
    ("animator4@demo.cal.local", "Artur Mazur", [Role.ANIMATOR], 2),
]
EDITION_NAME = "CAL — edycja demonstracyjna"
EARLIER_NAMES = ("CAL — edycja demonstracyjna 2026–2028",)  # a demo loaded before keeps its edition


def edition_dates(today: date) -> tuple[date, date]:
    """The demo edition's first and last day: two years (the programme's length) from the start of the quarter
    three quarters before today's, so the four quarters of Level II consultations the Certyfikat asks for all
    fall within it, up to today, and the demo tells the same story whenever it is loaded."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    month = quarter_start.month - 9
    starts_on = date(quarter_start.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)
    return starts_on, date(starts_on.year + 2, starts_on.month, 1) - timedelta(days=1)


def demo_password(instance_path: Path) -> str:
    """One random password for every demo account, generated once into instance/ (never in code)."""
    path = instance_path / "demo_password"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(9))
        path.chmod(0o600)
    return path.read_text().strip()


def load_demo(password: str) -> list[tuple[str, str, str]]:
    """Create whatever of the demo set is missing; return (e-mail, name, roles) of the demo logins."""
    institutions = [_institution(*row) for row in INSTITUTIONS]
    people = {}
    for email, name, roles, index in PEOPLE:
        user = accounts.find_user_by_email(email)
        if user is None:
            institution = institutions[index] if index is not None else None
            user = accounts.create_user(email, name, password, roles, institution=institution)
        people[email] = user
    programme = db.session.scalar(select(Programme).where(Programme.slug == "cal"))
    if programme is not None:
        edition = _edition(programme, institutions, people)
        db.session.commit()
        load_story(edition, people)
        load_events(edition, people)
        load_deadlines(edition, people)
    db.session.commit()
    return [(u.email, u.name, ", ".join(sorted(r.value for r in u.roles))) for u in people.values()]


def _institution(name, kind, gmina, powiat, voivodeship) -> Institution:
    institution = db.session.scalar(select(Institution).where(Institution.name == name))
    if institution is None:
        institution = Institution(name=name, kind=kind, gmina=gmina, powiat=powiat, voivodeship=voivodeship)
        db.session.add(institution)
        db.session.flush()
    return institution


def _edition(programme: Programme, institutions: list[Institution], people: dict[str, User]) -> Edition:
    existing = db.session.scalar(select(Edition).where(Edition.name.in_((EDITION_NAME, *EARLIER_NAMES))))
    if existing is not None:
        return existing
    admin = people["admin@demo.cal.local"]
    starts_on, ends_on = edition_dates(utcnow().date())
    edition = Edition(
        name=EDITION_NAME,
        programme=programme,
        voivodeship=Voivodeship.MALOPOLSKIE,
        starts_on=starts_on,
        ends_on=ends_on,
        trainers=[people["trener1@demo.cal.local"], people["trener2@demo.cal.local"]],
        institutions=institutions,
    )
    db.session.add(edition)
    db.session.flush()
    for email in ("animator1@demo.cal.local", "animator2@demo.cal.local", "animator3@demo.cal.local"):
        db.session.add(Enrolment(edition_id=edition.id, user_id=people[email].id, enrolled_by_id=admin.id))
    return edition
