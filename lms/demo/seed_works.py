"""The learning cycle of the generated data set: animators' works and institutions' deliverables with their
module reads, 1–3 attempts each, trainers' reviews with a result per criterion, and the notices both sides got."""

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from lms.certificates.checklist import required_assignments
from lms.content.spec import Scope
from lms.demo.seed_state import DAY, Planned, Seed, Version, bulk_insert
from lms.extensions import db
from lms.learning.decisions import CriterionResult, Decision, Review
from lms.learning.models import Attempt, ModuleRead, Work, WorkStatus
from lms.rendering import render_typed_markdown
from lms.urls import id_link

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
TEXTS = [
    "## Co zrobiliśmy\n\nSpotkanie z mieszkańcami w świetlicy. Przyszło **14 osób**.\n\n- potrzeby\n- pomysły",
    "## Opis zadania\n\nRozmawiałam z sołtyską i z kołem gospodyń. *Najważniejsze*: brak miejsca dla młodzieży.",
    "## Wnioski\n\n1. Mieszkańcy chcą działać razem.\n2. Potrzebny jest lider grupy.\n\nSzczegóły w notatce.",
]
FEEDBACK = {
    Decision.ACCEPTED: "Dobra praca — wszystkie kryteria spełnione. Gratulacje!",
    Decision.REVISION_REQUESTED: "Dziękuję. Brakuje jednego elementu — uzupełnij go proszę i wyślij ponownie.",
}


def _versions(s: Seed, scope: Scope, levels: list[int]) -> list[Version]:
    """The programme's required assignments of ``scope`` at ``levels``, as the current versions state them."""
    return [
        Version(v.id, v.assignment_id, v.assignment.module_id, v.module_version_id, v.title, [c.id for c in v.criteria])
        for v in required_assignments(s.programme, scope, levels)
    ]


def seed_works(s: Seed) -> list[Planned]:
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
    bulk_insert(s, "works", Work, [p.row for p in plans])
    s.counts["works waiting for review"] = sum(p.row["status"] is WorkStatus.SUBMITTED for p in plans)
    reads = [{"user_id": user, "module_id": module, "first_read_at": at} for (user, module), at in reads.items()]
    bulk_insert(s, "module reads", ModuleRead, reads)
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


def seed_attempts(s: Seed, plans: list[Planned]) -> dict[tuple[int, int], int]:
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
    bulk_insert(s, "attempts", Attempt, rows)
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


def seed_reviews(s: Seed, plans: list[Planned], attempt_ids: dict[tuple[int, int], int]) -> None:
    """Reviews with a result per criterion (one unmet when revision is requested); owners are told."""
    feedback = {decision: (md, render_typed_markdown(md)) for decision, md in FEEDBACK.items()}
    rows = [
        {"attempt_id": attempt_ids[(p.id, n)], "trainer_id": t, "decision": d, "feedback_md": feedback[d][0],
         "feedback_html": feedback[d][1], "decided_at": at}
        for p in plans for n, _submitted, d, t, at in p.attempts if d
    ]  # fmt: skip
    bulk_insert(s, "reviews", Review, rows)
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
    bulk_insert(s, "criterion results", CriterionResult, results)
