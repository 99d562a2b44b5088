"""Certificates in the generated data set: Level I person certificates of the animators whose required work is
all accepted, and Level II (consultations with agreed actions, indicator reports) with the institution
certificates of the institutions whose checklist is then complete."""

from collections import Counter, defaultdict
from datetime import datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import inspect, select

from lms.accounts.models import User
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate, CertificateKind
from lms.demo.seed_people import ADMIN_EMAIL
from lms.demo.seed_state import DAY, Planned, Seed, bulk_insert
from lms.extensions import db
from lms.learning.models import WorkStatus
from lms.support.models import AgreedAction, Consultation, ConsultationForm, IndicatorReport, ReportStatus
from lms.urls import path_for


def seed_person_certificates(s: Seed, plans: list[Planned]) -> Counter:
    """A person certificate for every animator whose required assignments are all accepted, as on acceptance;
    returns how many each institution's staff hold."""
    if not inspect(db.session.connection()).has_table(Certificate.__tablename__):
        s.counts["person certificates (no table)"] = 0
        return Counter()
    accepted = defaultdict(dict)
    for p in plans:
        if p.row["learner_id"] and p.row["status"] is WorkStatus.ACCEPTED:
            accepted[p.row["learner_id"]][p.version.assignment_id] = p
    rule, rows = s.programme.certificates["person"], []
    for learner, works in accepted.items():
        if len(works) == len(s.person):
            last = max(works.values(), key=lambda p: p.attempts[-1][4])
            issued, years = last.attempts[-1][4], rule.get("valid_years")
            rows.append({
                "kind": CertificateKind.PERSON, "code": new_code(), "title": rule["title"], "level": rule["level"],
                "programme_id": s.programme.id, "holder_id": learner, "institution_id": last.row["institution_id"],
                "edition_id": last.row["edition_id"], "issued_by_id": last.attempts[-1][3], "issued_at": issued,
                "valid_until": (issued + years * 365 * DAY).date() if years else None, "revoked_reason": "",
                "basis": {"assignment_versions": [v.id for v in s.person],
                          "module_versions": sorted({v.module_version_id for v in s.person}),
                          "works": [works[v.assignment_id].id for v in s.person]},
            })  # fmt: skip
    bulk_insert(s, "person certificates", Certificate, rows)
    with force_locale("pl"):
        earned = _("You have earned: %(title)s", title=rule["title"])
    for row in rows:
        s.note(row["holder_id"], earned, path_for("certificates.mine"), row["issued_at"])
    return Counter(row["institution_id"] for row in rows)


TOPICS = (
    "Diagnoza potrzeb i zasobów sołectwa", "Plan pracy grupy samopomocowej", "Partnerstwo z organizacjami lokalnymi",
    "Wniosek do funduszu sołeckiego", "Wolontariat w ośrodku", "Ewaluacja projektu lokalnego",
    "Standardy CAL w codziennej pracy ośrodka", "Spotkania z mieszkańcami: jak je prowadzić",
)  # fmt: skip
ACTIONS = (
    "Uzupełnić mapę zasobów o organizacje pozarządowe", "Zaprosić sołtysów na spotkanie zespołu CAL",
    "Przygotować harmonogram spotkań grupy", "Opisać rezultaty projektu w sprawozdaniu",
    "Zebrać zgody wolontariuszy", "Złożyć wniosek o mikrogrant",
)  # fmt: skip
CONSULTATIONS = (4, 11)  # per institution: about 1,500 for 200 institutions


def seed_level_two(s: Seed, plans: list[Planned], certified: Counter) -> None:
    """Level II: consultations with agreed actions, half-yearly indicator reports, and the institution
    certificates of the institutions whose checklist is then complete."""
    if not inspect(db.session.connection()).has_table(Consultation.__tablename__):
        return
    rule, keys = s.programme.certificates["institution"], [i["key"] for i in s.programme.indicators or []]
    rows, actions, reports, held = [], [], [], Counter()
    for i, institution in enumerate(s.institution_ids):
        trainers = [t for t, own in s.trainers[s.edition_of[i]] if own != institution]
        for _n in range(s.rng.randint(*CONSULTATIONS)):
            trainer, day = s.rng.choice(trainers), (s.now - s.rng.uniform(1, 360) * DAY).date()
            rows.append({
                "institution_id": institution, "programme_id": s.programme.id, "logged_by_id": trainer, "held_on": day,
                "duration_minutes": s.rng.choice((60, 90, 120, 180)), "form": s.rng.choice(list(ConsultationForm)),
                "consultant": s.names[trainer], "topic": s.rng.choice(TOPICS), "notes": "",
                "created_at": datetime.combine(day, time(16)),
            })  # fmt: skip
            held[institution] += 1
        reports += _indicator_reports(s, i, institution, trainers, keys)
    ids = bulk_insert(s, "consultations", Consultation, rows, ids=True)
    for consultation_id, row in zip(ids, rows, strict=True):
        coordinator = s.coordinators[s.institution_ids.index(row["institution_id"])]
        for _n in range(s.rng.randint(1, 3)):
            due = row["held_on"] + s.rng.randint(14, 60) * DAY
            done = due < s.now.date() and s.rng.random() < 0.7
            actions.append({
                "consultation_id": consultation_id, "description": s.rng.choice(ACTIONS), "owner": s.names[coordinator],
                "due_on": due, "done_at": datetime.combine(due, time(12)) if done else None,
                "done_by_id": coordinator if done else None,
            })  # fmt: skip
    bulk_insert(s, "agreed actions", AgreedAction, actions)
    bulk_insert(s, "indicator reports", IndicatorReport, reports)
    accepted = Counter(
        p.row["institution_id"] for p in plans if not p.row["learner_id"] and p.row["status"] is WorkStatus.ACCEPTED
    )
    reported = {r["institution_id"] for r in reports if r["status"] is ReportStatus.ACCEPTED}
    admin = db.session.scalar(select(User.id).where(User.email == ADMIN_EMAIL))
    earned = [
        {
            "kind": CertificateKind.INSTITUTION, "code": new_code(), "title": rule["title"],
            "programme_id": s.programme.id, "institution_id": institution, "issued_by_id": admin,
            "issued_at": (at := s.now - s.rng.uniform(1, 90) * DAY),
            "valid_until": (at + rule.get("valid_years", 3) * 365 * DAY).date(), "revoked_reason": "",
            "basis": {"certified_staff": certified[institution], "consultations": held[institution]},
        }
        for institution in s.institution_ids
        if certified[institution] >= rule["min_certified_staff"] and accepted[institution] == len(s.deliverables)
        and held[institution] >= rule["min_consultations"]
        and (institution in reported or not rule.get("indicator_report_required"))
    ]  # fmt: skip
    bulk_insert(s, "institution certificates", Certificate, earned)


def _indicator_reports(s: Seed, i: int, institution: int, trainers: list[int], keys: list[str]) -> list[dict]:
    """Up to three half-yearly reports of the programme's indicators, most of them accepted; like real ones, each
    for a period that has ended and began after the institution's edition did (about 570 days ago)."""
    reports = []
    for n in range(s.rng.randint(0, 3)):
        start = (s.now - (182 * (n + 1)) * DAY).date()
        status = s.pick({ReportStatus.ACCEPTED: 70, ReportStatus.RETURNED: 15, ReportStatus.SUBMITTED: 15})
        submitted = datetime.combine(start + 182 * DAY, time(10))
        decided = status is not ReportStatus.SUBMITTED
        reports.append({
            "institution_id": institution, "programme_id": s.programme.id, "period_start": start,
            "period_end": start + 181 * DAY, "values": {key: s.rng.randint(0, 40) for key in keys},
            "description": "Sprawozdanie półroczne zespołu CAL.", "submitted_by_id": s.coordinators[i],
            "submitted_at": submitted, "status": status,
            "decided_by_id": s.rng.choice(trainers) if decided else None,
            "decided_at": submitted + 5 * DAY if decided else None,
            "feedback": "Proszę uzupełnić opis rezultatów." if status is ReportStatus.RETURNED else "",
        })  # fmt: skip
    return reports
