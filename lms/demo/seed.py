"""``flask demo seed``: a large, realistic data set on the CAL programme, for benchmarks.

Everything is planned in Python with ``random.Random(2026)`` and written table by table with bulk
``insert(Model)`` statements in batches; ids of the big tables are read back by their natural keys.
"""
# ruff: noqa: SIM905  (word lists are written as one string each)

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, insert, inspect, select, text

from lms.accounts.models import Role, User, UserRole
from lms.accounts.passwords import hash_password
from lms.base import utcnow
from lms.certificates.checklist import required_assignments
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate, CertificateKind
from lms.content.models import Programme
from lms.content.spec import Scope
from lms.demo.deadlines import seed_deadlines
from lms.demo.seed_events import seed_events
from lms.editions.models import Edition, Enrolment, edition_institution, edition_trainer
from lms.extensions import db
from lms.institutions.models import Institution, InstitutionKind, Voivodeship
from lms.learning import completions
from lms.learning.decisions import CriterionResult, Decision, Review
from lms.learning.models import Attempt, ModuleCompletion, ModuleRead, Work, WorkStatus
from lms.notifications.models import Notification
from lms.privacy.models import PrivacyNoticeSeen
from lms.rendering import render_typed_markdown
from lms.support.models import AgreedAction, Consultation, ConsultationForm, IndicatorReport, ReportStatus
from lms.urls import id_link, path_for

BATCH = 5_000
DOMAIN = "seed.cal.local"
ADMIN_EMAIL = f"admin@{DOMAIN}"
DAY = timedelta(days=1)
HISTORY_DAYS = 540  # attempts are spread over the last 18 months


@dataclass(frozen=True)
class Scale:
    institutions: int
    animators_per_institution: int
    trainers: int  # trainer t serves edition t % editions
    editions: int
    conflicted_trainers: int  # the first ones also work in an institution of their own edition


SCALES = {
    "small": Scale(5, 20, 4, 2, 1),
    "medium": Scale(70, 25, 14, 7, 4),
    "large": Scale(200, 25, 40, 20, 10),
}
GRADUATES = 0.42  # animators who finished Level I: every required assignment accepted (a person certificate)
PROGRESS = {0: 5, 2: 15, 4: 20, 6: 25, 8: 35}  # how many person assignments the others started
FINISHED_INSTITUTIONS = 0.3  # institutions whose deliverables for the institution certificate are all accepted
ATTEMPTS = {1: 50, 2: 33, 3: 17}
STATUS_LATEST = {WorkStatus.SUBMITTED: 58, WorkStatus.REVISION_REQUESTED: 9, WorkStatus.ACCEPTED: 33}
STATUS_EARLIER = {WorkStatus.SUBMITTED: 14, WorkStatus.REVISION_REQUESTED: 3, WorkStatus.ACCEPTED: 83}
LAST_DECISION = {  # the decision on a work's latest attempt, by the work's status
    WorkStatus.SUBMITTED: None,
    WorkStatus.REVISION_REQUESTED: Decision.REVISION_REQUESTED,
    WorkStatus.ACCEPTED: Decision.ACCEPTED,
}

WOMEN = "Anna Maria Katarzyna Małgorzata Agnieszka Barbara Ewa Magdalena Joanna Monika Zofia Natalia Beata".split()
MEN = "Piotr Krzysztof Andrzej Tomasz Paweł Jan Michał Marcin Jakub Adam Marek Łukasz Grzegorz Rafał".split()
SURNAMES = (
    "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Mazur Szymański Woźniak Król "
    "Dąbrowski Kozłowski Jankowski Kwiatkowski Krawczyk Piotrowski Grabowski Pawłowski Michalski Wróbel Zając"
).split()
STEMS = "Bor Lip Dęb Brzez Olsz Jabłon Kamion Grab Wierzb Jaw Sosn Krzew Mił Rud Zawad Biel Czarn Strzel".split()
ENDINGS = [("owice", "owicach"), ("owo", "owie"), ("nica", "nicy"), ("ów", "owie"), ("ki", "kach"),
           ("in", "inie"), ("sko", "sku"), ("owiec", "owcu"), ("any", "anach"), ("no", "nie")]  # fmt: skip
KINDS = {  # kind: (weight, name patterns; {loc} is the gmina in the locative)
    InstitutionKind.OPS: (40, ["GOPS w {loc}", "MOPS w {loc}"]),
    InstitutionKind.NGO: (20, ["Stowarzyszenie „Razem w {loc}”", "Fundacja „Aktywni w {loc}”"]),
    InstitutionKind.CULTURAL_CENTRE: (15, ["Gminny Ośrodek Kultury w {loc}"]),
    InstitutionKind.NEIGHBOURHOOD_CLUB: (10, ["Klub Osiedlowy „Sąsiedzi” w {loc}"]),
    InstitutionKind.SCHOOL: (10, ["Szkoła Podstawowa nr {n} w {loc}"]),
    InstitutionKind.OTHER: (5, ["Świetlica Wiejska w {loc}"]),
}
TEXTS = [
    "## Co zrobiliśmy\n\nSpotkanie z mieszkańcami w świetlicy. Przyszło **14 osób**.\n\n- potrzeby\n- pomysły",
    "## Opis zadania\n\nRozmawiałam z sołtyską i z kołem gospodyń. *Najważniejsze*: brak miejsca dla młodzieży.",
    "## Wnioski\n\n1. Mieszkańcy chcą działać razem.\n2. Potrzebny jest lider grupy.\n\nSzczegóły w notatce.",
]
FEEDBACK = {
    Decision.ACCEPTED: "Dobra praca — wszystkie kryteria spełnione. Gratulacje!",
    Decision.REVISION_REQUESTED: "Dziękuję. Brakuje jednego elementu — uzupełnij go proszę i wyślij ponownie.",
}


@dataclass(frozen=True)
class Version:
    """What works, attempts and reviews need of one current assignment version."""

    id: int
    assignment_id: int
    module_id: int
    module_version_id: int
    title: str
    criteria: list[int]


@dataclass
class Planned:
    """One work to write, with its attempts as (number, submitted_at, decision, trainer id, decided_at)."""

    row: dict
    version: Version
    submitter: int
    reviewers: list[int]
    attempts: list[tuple]
    id: int = 0


@dataclass
class Seed:
    """The random source, the ids of rows written so far, notifications still to write, and the counts."""

    rng: random.Random
    scale: Scale
    programme: Programme
    now: datetime = field(default_factory=utcnow)
    edition_of: list[int] = field(default_factory=list)  # institution index -> edition index
    institution_ids: list[int] = field(default_factory=list)
    edition_ids: list[int] = field(default_factory=list)
    coordinators: list[int] = field(default_factory=list)  # institution index -> user id
    animators: list[list[int]] = field(default_factory=list)  # institution index -> user ids
    trainers: list[list[tuple[int, int | None]]] = field(default_factory=list)  # edition -> (id, own institution)
    staff: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))  # institution id -> user ids
    names: dict[int, str] = field(default_factory=dict)  # user id, or -institution id -> name
    person: list[Version] = field(default_factory=list)  # the required person assignments, in order
    deliverables: list[Version] = field(default_factory=list)  # the institution certificate's deliverables
    notifications: list[dict] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def start(self) -> datetime:
        return self.now - HISTORY_DAYS * DAY

    def pick(self, weights: dict):
        """One key of ``weights``, drawn with its weight."""
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def note(self, user_id: int, message: str, link: str, at: datetime, read_at: datetime | None = None) -> None:
        """Queue an in-app notification as the app would have sent it (read later, unless that is still ahead)."""
        read_at = read_at if read_at and read_at < self.now else None
        row = {"user_id": user_id, "message": message[:500], "link": link, "created_at": at}
        self.notifications.append(row | {"read_at": read_at, "digest_pending": False})


def seed(programme: Programme, scale: Scale, password: str) -> dict[str, int]:
    """Generate the whole data set in one transaction; return the row counts."""
    s = Seed(random.Random(2026), scale, programme)
    _institutions(s)
    _people(s, hash_password(password))
    _editions(s)
    plans = _works(s)
    attempt_ids = _attempts(s, plans)
    _reviews(s, plans, attempt_ids)
    certified = _certificates(s, plans)
    _level_two(s, plans, certified)
    seed_events(s, _insert)
    seed_deadlines(s, _insert)
    _insert(s, "notifications", Notification, s.notifications)
    # Planner statistics now (PostgreSQL), as autovacuum would gather them soon after a bulk load in
    # production: for the completions computed from the loaded rows, then for the completions.
    _analyze()
    completions.rebuild(db.session)
    _analyze(ModuleCompletion)
    s.counts["module completions"] = db.session.scalar(select(func.count()).select_from(ModuleCompletion))
    db.session.commit()
    return s.counts


def _analyze(model=None) -> None:
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {model.__table__.name}" if model else "ANALYZE"))


def _insert(s: Seed, label: str, target, rows: list[dict], ids: bool = False) -> list[int]:
    """Bulk-insert ``rows`` in batches; with ``ids``, return their primary keys (small tables only)."""
    s.counts[label] = s.counts.get(label, 0) + len(rows)
    new_ids = []
    for start in range(0, len(rows), BATCH):
        if ids:
            statement = insert(target).returning(target.id, sort_by_parameter_order=True)
            new_ids += db.session.scalars(statement, rows[start : start + BATCH]).all()
        else:
            db.session.execute(insert(target), rows[start : start + BATCH])
    return new_ids


def _person_name(rng: random.Random, women_share: float = 0.8) -> str:
    """A Polish first name and surname, the surname in its feminine form for women."""
    surname = rng.choice(SURNAMES)
    if rng.random() < women_share:
        return f"{rng.choice(WOMEN)} {surname[:-1] + 'a' if surname.endswith('ki') else surname}"
    return f"{rng.choice(MEN)} {surname}"


def _institutions(s: Seed) -> None:
    """Institutions in blocks per edition, mostly in the edition's voivodeship (all 16 are used)."""
    rows, taken, voivodeships = [], set(), list(Voivodeship)
    for i in range(s.scale.institutions):
        s.edition_of.append(i * s.scale.editions // s.scale.institutions)
        kind, name = s.pick({kind: weight for kind, (weight, _patterns) in KINDS.items()}), None
        while name is None or name in taken:
            stem, (nominative, locative) = s.rng.choice(STEMS), s.rng.choice(ENDINGS)
            name = s.rng.choice(KINDS[kind][1]).format(loc=stem + locative, n=s.rng.randint(1, 12))
        taken.add(name)
        home = voivodeships[s.edition_of[i] % len(voivodeships)]
        rows.append({
            "name": name, "kind": kind, "gmina": stem + nominative, "powiat": f"{stem.lower()}ski",
            "voivodeship": home if s.rng.random() < 0.8 else s.rng.choice(voivodeships),
            "address": f"ul. Szkolna {s.rng.randint(1, 40)}, {stem + nominative}",
            "contact_email": f"kontakt{i + 1:03d}@{DOMAIN}", "contact_phone": f"+48 {s.rng.randint(12, 95)} 555 01 00",
            "created_at": s.start - 90 * DAY,
        })  # fmt: skip
    s.institution_ids = _insert(s, "institutions", Institution, rows, ids=True)
    s.names = {-id_: row["name"] for id_, row in zip(s.institution_ids, rows, strict=True)}


def _people(s: Seed, password_hash: str) -> None:
    """The admin, the trainers, one coordinator and the animators of every institution, all with one hash."""
    scale, per = s.scale, s.scale.animators_per_institution
    people = [(ADMIN_EMAIL, "Administrator Danych Testowych", Role.ADMIN, None)]
    for t in range(scale.trainers):
        own = s.edition_of.index(t) if t < scale.conflicted_trainers else None
        people.append((f"trainer{t + 1:02d}@{DOMAIN}", _person_name(s.rng, 0.6), Role.TRAINER, own))
    for i in range(scale.institutions):
        people.append((f"coordinator{i + 1:03d}@{DOMAIN}", _person_name(s.rng), Role.COORDINATOR, i))
    for n in range(scale.institutions * per):
        people.append((f"animator{n + 1:04d}@{DOMAIN}", _person_name(s.rng), Role.ANIMATOR, n // per))
    rows = [
        {"email": email, "name": name, "password_hash": password_hash, "created_at": s.start - 60 * DAY,
         "institution_id": None if index is None else s.institution_ids[index]}
        for email, name, _role, index in people
    ]  # fmt: skip
    ids = _insert(s, "people", User, rows, ids=True)
    _insert(s, "roles", UserRole, [{"user_id": id_, "role": p[2]} for id_, p in zip(ids, people, strict=True)])
    # A lived-in platform: everyone has signed in before and closed the privacy notice.
    _insert(s, "privacy notices read", PrivacyNoticeSeen, [{"user_id": id_, "seen_at": s.start} for id_ in ids])
    for id_, row in zip(ids, rows, strict=True):
        s.names[id_] = row["name"]
        if row["institution_id"] is not None:
            s.staff[row["institution_id"]].append(id_)
    trainers, s.trainers = ids[1 : 1 + scale.trainers], [[] for _ in range(scale.editions)]
    for t, id_ in enumerate(trainers):
        s.trainers[t % scale.editions].append((id_, rows[1 + t]["institution_id"]))
    s.coordinators = ids[1 + scale.trainers : 1 + scale.trainers + scale.institutions]
    animators = ids[1 + scale.trainers + scale.institutions :]
    s.animators = [animators[i * per : (i + 1) * per] for i in range(scale.institutions)]
    s.counts |= {"animators": len(animators), "coordinators": len(s.coordinators), "trainers": len(trainers)}


def _editions(s: Seed) -> None:
    """Editions of the programme with their trainers and institutions; every animator is enrolled."""
    rows = []
    for e in range(s.scale.editions):
        voivodeship, starts = list(Voivodeship)[e % 16], (s.start - (30 - e) * DAY).date()
        rows.append({
            "name": f"CAL {starts.year}–{starts.year + 2} — edycja {e + 1:02d} ({voivodeship.value})",
            "programme_id": s.programme.id, "voivodeship": voivodeship, "starts_on": starts,
            "ends_on": starts + 730 * DAY, "created_at": s.start - 60 * DAY,
        })  # fmt: skip
    s.edition_ids = ids = _insert(s, "editions", Edition, rows, ids=True)
    links = [{"edition_id": ids[e], "user_id": t} for e, pairs in enumerate(s.trainers) for t, _own in pairs]
    _insert(s, "edition trainers", edition_trainer, links)
    links = [{"edition_id": ids[e], "institution_id": i} for i, e in zip(s.institution_ids, s.edition_of, strict=True)]
    _insert(s, "edition institutions", edition_institution, links)
    enrolments = [
        {"edition_id": ids[s.edition_of[i]], "user_id": animator, "enrolled_by_id": s.coordinators[i],
         "created_at": s.start - 30 * DAY}
        for i, animators in enumerate(s.animators) for animator in animators
    ]  # fmt: skip
    _insert(s, "enrolments", Enrolment, enrolments)


def _versions(s: Seed, scope: Scope, levels: list[int]) -> list[Version]:
    """The programme's required assignments of ``scope`` at ``levels``, as the current versions state them."""
    return [
        Version(v.id, v.assignment_id, v.assignment.module_id, v.module_version_id, v.title, [c.id for c in v.criteria])
        for v in required_assignments(s.programme, scope, levels)
    ]


def _works(s: Seed) -> list[Planned]:
    """Animators' works in module order and every institution's deliverables (with module reads); ids set."""
    rules, plans, reads = s.programme.certificates, [], {}
    s.person = _versions(s, Scope.PERSON, [rules["person"]["level"]])
    deliverables = s.deliverables = _versions(s, Scope.INSTITUTION, rules["institution"]["deliverable_levels"])
    for i, institution in enumerate(s.institution_ids):
        edition = s.edition_ids[s.edition_of[i]]
        reviewers = [t for t, own in s.trainers[s.edition_of[i]] if own != institution]
        owners = []  # (learner, submitter, assignments, days between them, status of every work or None)
        for a in s.animators[i]:
            graduate = s.rng.random() < GRADUATES
            versions = s.person if graduate else s.person[: s.pick(PROGRESS)]
            owners.append((a, a, versions, 50, WorkStatus.ACCEPTED if graduate else None))
        if s.rng.random() < FINISHED_INSTITUTIONS:
            owners.append((None, s.coordinators[i], deliverables, 40, WorkStatus.ACCEPTED))
        else:
            owners.append((None, s.coordinators[i], deliverables[: s.rng.randint(3, len(deliverables))], 40, None))
        for learner, submitter, versions, spacing, settled in owners:
            begin = s.start + s.rng.uniform(0, 60) * DAY
            for k, version in enumerate(versions):
                start, latest = begin + (k * spacing + s.rng.uniform(0, 20)) * DAY, k >= len(versions) - 2
                plan = _plan(s, version, edition, institution, learner, submitter, reviewers, start, latest, settled)
                plans.append(plan)
                if learner:
                    reads[(learner, version.module_id)] = plan.row["created_at"] - DAY
    _insert(s, "works", Work, [p.row for p in plans])
    s.counts["works waiting for review"] = sum(p.row["status"] is WorkStatus.SUBMITTED for p in plans)
    reads = [{"user_id": user, "module_id": module, "first_read_at": at} for (user, module), at in reads.items()]
    _insert(s, "module reads", ModuleRead, reads)
    query = select(Work.id, Work.assignment_id, Work.learner_id, Work.institution_id)
    ids = {(a, le, i): id_ for id_, a, le, i in db.session.execute(query.where(Work.edition_id.in_(s.edition_ids)))}
    for p in plans:
        p.id = ids[(p.row["assignment_id"], p.row["learner_id"], p.row["institution_id"])]
    return plans


def _plan(s: Seed, version, edition, institution, learner, submitter, reviewers, start, latest, status) -> Planned:
    """A work with 1–3 attempts: earlier ones sent back for revision, the last one decided or waiting
    (``status``, or drawn: the latest works of a learner are more often still waiting)."""
    status, count = status or s.pick(STATUS_LATEST if latest else STATUS_EARLIER), s.pick(ATTEMPTS)
    steps, t = [], 0.0  # (number, days after the first attempt, decision, days to the decision)
    for number in range(1, count + 1):
        decision = LAST_DECISION[status] if number == count else Decision.REVISION_REQUESTED
        wait = s.rng.uniform(0.2, 10) if decision else 0.0
        steps.append((number, t, decision, wait))
        t += wait + s.rng.uniform(0.5, 14)
    base = min(start, s.now - (steps[-1][1] + steps[-1][3] + s.rng.uniform(0.1, 3)) * DAY)  # nothing in the future
    attempts = [
        (n, base + at * DAY, d, s.rng.choice(reviewers) if d else None, base + (at + w) * DAY if d else None)
        for n, at, d, w in steps
    ]
    row = {
        "assignment_id": version.assignment_id, "module_id": version.module_id, "edition_id": edition,
        "scope": Scope.PERSON if learner else Scope.INSTITUTION, "learner_id": learner, "institution_id": institution,
        "status": status, "draft_text": "", "attempt_count": count, "last_submitted_at": attempts[-1][1],
        "accepted_at": attempts[-1][4] if status is WorkStatus.ACCEPTED else None,
        "created_at": base - s.rng.uniform(0.5, 5) * DAY,
    }  # fmt: skip
    return Planned(row, version, submitter, reviewers, attempts)


def _attempts(s: Seed, plans: list[Planned]) -> dict[tuple[int, int], int]:
    """Every attempt (texts rendered once, then reused) and trainers' notices; returns (work, number) -> id."""
    texts, rows = [(md, render_typed_markdown(md)) for md in TEXTS], []
    for p in plans:
        # Deliverables are submitted by the coordinator, whose own submission confirms them for the institution
        # (lms.learning.confirmation): they reach the trainers, as they would live.
        confirmed_by = p.submitter if p.row["scope"] is Scope.INSTITUTION else None
        for number, submitted_at, *_decision in p.attempts:
            md, html = texts[(p.id + number) % len(texts)]
            rows.append({
                "work_id": p.id, "number": number, "assignment_version_id": p.version.id,
                "submitted_by_id": p.submitter, "text_md": md, "text_html": html, "submitted_at": submitted_at,
                "confirmed_by_id": confirmed_by, "confirmed_at": submitted_at if confirmed_by else None,
            })  # fmt: skip
    _insert(s, "attempts", Attempt, rows)
    query = select(Attempt.work_id, Attempt.number, Attempt.id).join(Work, Work.id == Attempt.work_id)
    ids = {(w, n): id_ for w, n, id_ in db.session.execute(query.where(Work.edition_id.in_(s.edition_ids)))}
    with force_locale("pl"):  # as lms.learning.notices.arrival_message words them (formatted once, not per row)
        new_work, new_attempt = (
            _("New work from %(owner)s: %(title)s"),
            _("New attempt %(number)s from %(owner)s: %(title)s"),
        )
    link = id_link("reviews.review", "attempt_id")
    for p in plans:
        owner = s.names[p.row["learner_id"] or -p.row["institution_id"]]
        for number, submitted_at, _d, _t, decided_at in p.attempts:
            if decided_at is not None and decided_at < s.now:
                continue  # a decided work's arrival notices are gone (lms.learning.notices.work_decided)
            wording = new_work if number == 1 else new_attempt
            message = wording % {"number": number, "owner": owner, "title": p.version.title}
            for trainer in p.reviewers:
                s.note(trainer, message, link.format(ids[(p.id, number)]), submitted_at)
    return ids


def _reviews(s: Seed, plans: list[Planned], attempt_ids: dict[tuple[int, int], int]) -> None:
    """Reviews with a result per criterion (one unmet when revision is requested); owners are told."""
    feedback = {decision: (md, render_typed_markdown(md)) for decision, md in FEEDBACK.items()}
    rows = [
        {"attempt_id": attempt_ids[(p.id, n)], "trainer_id": t, "decision": d, "feedback_md": feedback[d][0],
         "feedback_html": feedback[d][1], "decided_at": at}
        for p in plans for n, _submitted, d, t, at in p.attempts if d
    ]  # fmt: skip
    _insert(s, "reviews", Review, rows)
    query = select(Review.attempt_id, Review.id).join(Attempt, Attempt.id == Review.attempt_id).join(Work)
    ids = dict(db.session.execute(query.where(Work.edition_id.in_(s.edition_ids))).all())
    with force_locale("pl"):
        told = {Decision.ACCEPTED: _("Accepted: %(title)s")}
        told[Decision.REVISION_REQUESTED] = _("Revision requested: %(title)s")
    link, results = id_link("learning.work_detail", "work_id"), []
    for p in plans:
        owners = [p.row["learner_id"]] if p.row["learner_id"] else s.staff[p.row["institution_id"]]
        for number, _submitted, decision, _trainer, at in (a for a in p.attempts if a[2]):
            unmet = s.rng.choice(p.version.criteria) if decision is Decision.REVISION_REQUESTED else None
            results += [
                {"review_id": ids[attempt_ids[(p.id, number)]], "criterion_id": c, "met": c != unmet,
                 "comment": "Tego brakuje." if c == unmet else ""}
                for c in p.version.criteria
            ]  # fmt: skip
            for owner in owners:
                s.note(owner, told[decision] % {"title": p.version.title}, link.format(p.id), at, at + DAY)
    _insert(s, "criterion results", CriterionResult, results)


def _certificates(s: Seed, plans: list[Planned]) -> Counter:
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
    _insert(s, "person certificates", Certificate, rows)
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


def _level_two(s: Seed, plans: list[Planned], certified: Counter) -> None:
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
    ids = _insert(s, "consultations", Consultation, rows, ids=True)
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
    _insert(s, "agreed actions", AgreedAction, actions)
    _insert(s, "indicator reports", IndicatorReport, reports)
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
    _insert(s, "institution certificates", Certificate, earned)


def _indicator_reports(s: Seed, i: int, institution: int, trainers: list[int], keys: list[str]) -> list[dict]:
    """Up to three half-yearly reports of the programme's indicators, most of them accepted."""
    reports = []
    for n in range(s.rng.randint(0, 3)):
        start = (s.now - (190 * (n + 1)) * DAY).date()
        status = s.pick({ReportStatus.ACCEPTED: 70, ReportStatus.RETURNED: 15, ReportStatus.SUBMITTED: 15})
        submitted = datetime.combine(start + 190 * DAY, time(10))
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
