"""A small fixed world for the programme reports, with every number computable by hand.

Programme "mini": module 1 "Pierwszy moduł" (person assignment "profil", required), module 2 "Drugi
moduł" (institution deliverable "mapa", required), module 3 "Konsultacje indywidualne" (institution
assignment "plan-konsultacji", not required — so it is the one that counts).

Edition E1 "Edycja lubelska" (lubelskie): institutions A (GOPS w Żółkiewce) and B; trainer T1.
Edition E2 named like a spreadsheet formula (mazowieckie): institution C; trainer T2.

enrolled   a1, a2 (A), b1 (B) in E1; c1, c2 (C) in E2
accepted   a1 profil 2026-01-15 → person certificate 2026-01-15
           A mapa 2026-02-20 (modules "Drugi" for a1 and a2)
           B plan-konsultacji 2026-03-03 (module "Konsultacje" for b1)
           c1 profil 2026-03-10 → person certificate 2026-03-10
waiting    a2 profil submitted; b1 profil sent back for revision; C mapa submitted
A          consultation 2026-02-10; indicator report 2026-01-01…2026-03-31 accepted (wolontariusze 7);
           institution certificate issued 2026-04-02
B          indicator report returned (wolontariusze 100)
C          consultation 2025-12-05; indicator report 2025-10-01…2025-12-31 accepted (wolontariusze 5)
"""

from datetime import date, datetime
from html.parser import HTMLParser

import pytest
from sqlalchemy import select, update

from lms.accounts.models import Role
from lms.certificates import services as certificates
from lms.certificates.models import Certificate, CertificateKind
from lms.content.models import Programme
from lms.editions.models import Edition, Enrolment
from lms.extensions import db
from lms.institutions.models import Voivodeship
from lms.learning import completions
from lms.learning.decisions import Decision, Review
from lms.learning.models import Work
from lms.support.models import Consultation, ConsultationForm, IndicatorReport, ReportStatus
from tests.certificates.conftest import decide, submit

FORMULA_EDITION = '=HYPERLINK("http://zlo.example","Kliknij")'


def accepted_on(review: Review, when: datetime) -> None:
    """Backdate an acceptance: the review and its work, as ``decide`` would have recorded them then."""
    db.session.execute(update(Review).where(Review.id == review.id).values(decided_at=when))
    db.session.execute(update(Work).where(Work.id == review.attempt.work_id).values(accepted_at=when))
    completions.work_decided(db.session, db.session.get(Work, review.attempt.work_id, populate_existing=True))
    db.session.commit()


def consultation(institution, programme, trainer, held_on: date) -> None:
    db.session.add(
        Consultation(
            institution_id=institution.id, programme_id=programme.id, logged_by_id=trainer.id, held_on=held_on,
            duration_minutes=90, form=ConsultationForm.ON_SITE, consultant=trainer.name, topic="Mapa zasobów",
        )
    )  # fmt: skip
    db.session.commit()


def indicator_report(institution, programme, author, start: date, end: date, value: int, status: ReportStatus):
    db.session.add(
        IndicatorReport(
            institution_id=institution.id, programme_id=programme.id, period_start=start, period_end=end,
            values={"wolontariusze": value}, submitted_by_id=author.id, status=status,
        )
    )  # fmt: skip
    db.session.commit()


@pytest.fixture
def world(snapshot):
    return snapshot(build_world)


def build_world(mini_programme, make_institution, make_user):
    programme = db.session.scalar(select(Programme).where(Programme.slug == "mini"))
    a = make_institution("GOPS w Żółkiewce", Voivodeship.LUBELSKIE)
    b = make_institution("Stowarzyszenie „Razem”", Voivodeship.LUBELSKIE)
    c = make_institution("MOPS w Łomiankach", Voivodeship.MAZOWIECKIE)
    admin = make_user(Role.ADMIN, name="Anna Admin")
    t1, t2 = make_user(Role.TRAINER, name="Tomasz Trener"), make_user(Role.TRAINER, name="Teresa Trenerka")
    people = {
        "a1": make_user(Role.ANIMATOR, institution=a, name="Zofia Żółć"),
        "a2": make_user(Role.ANIMATOR, institution=a, name="Jan Kowalski"),
        "coordinator_a": make_user(Role.COORDINATOR, institution=a, name="Katarzyna Koordynatorka"),
        "b1": make_user(Role.ANIMATOR, institution=b, name="Barbara Będzińska"),
        "coordinator_b": make_user(Role.COORDINATOR, institution=b, name="Bogdan Bąk"),
        "c1": make_user(Role.ANIMATOR, institution=c, name="Celina Ćwik"),
        "c2": make_user(Role.ANIMATOR, institution=c, name="Cezary Ćma"),
        "coordinator_c": make_user(Role.COORDINATOR, institution=c, name="Cyprian Cis"),
    }
    e1 = Edition(
        name="Edycja lubelska", programme=programme, voivodeship=Voivodeship.LUBELSKIE,
        starts_on=date(2025, 9, 1), ends_on=date(2027, 6, 30), trainers=[t1], institutions=[a, b],
    )  # fmt: skip
    e2 = Edition(
        name=FORMULA_EDITION, programme=programme, voivodeship=Voivodeship.MAZOWIECKIE,
        starts_on=date(2025, 10, 1), ends_on=date(2027, 6, 30), trainers=[t2], institutions=[c],
    )  # fmt: skip
    db.session.add_all([e1, e2])
    db.session.flush()
    for key, edition in (("a1", e1), ("a2", e1), ("b1", e1), ("c1", e2), ("c2", e2)):
        db.session.add(Enrolment(edition_id=edition.id, user_id=people[key].id, enrolled_by_id=admin.id))
    db.session.commit()

    accepted_on(decide(submit(people["a1"], e1, "profil"), t1), datetime(2026, 1, 15, 10, 0))
    accepted_on(decide(submit(people["coordinator_a"], e1, "mapa"), t1), datetime(2026, 2, 20, 9, 30))
    accepted_on(decide(submit(people["coordinator_b"], e1, "plan-konsultacji"), t1), datetime(2026, 3, 3, 12, 0))
    accepted_on(decide(submit(people["c1"], e2, "profil"), t2), datetime(2026, 3, 10, 15, 45))
    submit(people["a2"], e1, "profil")
    decide(submit(people["b1"], e1, "profil"), t1, Decision.REVISION_REQUESTED)
    submit(people["coordinator_c"], e2, "mapa")
    for holder, issued in (("a1", datetime(2026, 1, 15, 10, 1)), ("c1", datetime(2026, 3, 10, 15, 46))):
        db.session.execute(
            update(Certificate).where(Certificate.holder_id == people[holder].id).values(issued_at=issued)
        )
    db.session.commit()

    consultation(a, programme, t1, date(2026, 2, 10))
    consultation(c, programme, t2, date(2025, 12, 5))
    accepted, returned = ReportStatus.ACCEPTED, ReportStatus.RETURNED
    indicator_report(a, programme, people["coordinator_a"], date(2026, 1, 1), date(2026, 3, 31), 7, accepted)
    indicator_report(b, programme, people["coordinator_b"], date(2026, 1, 1), date(2026, 3, 31), 100, returned)
    indicator_report(c, programme, people["coordinator_c"], date(2025, 10, 1), date(2025, 12, 31), 5, accepted)

    application = certificates.apply(a, programme, people["coordinator_a"])
    awarded = certificates.award(application, admin, certificates.Visit(date(2026, 4, 1), "Anna Admin", "Dobrze."))
    db.session.flush()
    db.session.execute(update(Certificate).where(Certificate.id == awarded.id).values(issued_at=datetime(2026, 4, 2)))
    db.session.commit()
    assert (
        db.session.scalar(select(db.func.count(Certificate.id)).where(Certificate.kind == CertificateKind.PERSON)) == 2
    )
    return {
        **people, "programme": programme, "a": a, "b": b, "c": c, "e1": e1, "e2": e2,
        "admin": admin, "t1": t1, "t2": t2,
    }  # fmt: skip


class _Tables(HTMLParser):
    """Every <table id="table-…"> of a page as lists of cell texts (header row first)."""

    def __init__(self):
        super().__init__()
        self.tables, self._table, self._row, self._cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and (attrs.get("id") or "").startswith("table-"):
            self._table = self.tables.setdefault(attrs["id"][len("table-") :], [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def page_tables(html: str) -> dict[str, list[list[str]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables
