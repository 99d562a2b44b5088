"""Who the generated data set is about: institutions with Polish names, the admin, trainers, coordinators and
animators (all with one password hash), and the editions they are enrolled in."""
# ruff: noqa: SIM905  (word lists are written as one string each)

import random

from lms.accounts.models import Role, User, UserRole
from lms.demo.seed_state import DAY, Seed, bulk_insert
from lms.editions.models import Edition, Enrolment, edition_institution, edition_trainer
from lms.institutions.models import Institution, InstitutionKind, Voivodeship
from lms.privacy.models import PrivacyNoticeSeen

DOMAIN = "seed.cal.local"
ADMIN_EMAIL = f"admin@{DOMAIN}"

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


def _person_name(rng: random.Random, women_share: float = 0.8) -> str:
    """A Polish first name and surname, the surname in its feminine form for women."""
    surname = rng.choice(SURNAMES)
    if rng.random() < women_share:
        return f"{rng.choice(WOMEN)} {surname[:-1] + 'a' if surname.endswith('ki') else surname}"
    return f"{rng.choice(MEN)} {surname}"


def seed_institutions(s: Seed) -> None:
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
    s.institution_ids = bulk_insert(s, "institutions", Institution, rows, ids=True)
    s.names = {-id_: row["name"] for id_, row in zip(s.institution_ids, rows, strict=True)}


def seed_people(s: Seed, password_hash: str) -> None:
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
    ids = bulk_insert(s, "people", User, rows, ids=True)
    bulk_insert(s, "roles", UserRole, [{"user_id": id_, "role": p[2]} for id_, p in zip(ids, people, strict=True)])
    # A lived-in platform: everyone has signed in before and closed the privacy notice.
    bulk_insert(s, "privacy notices read", PrivacyNoticeSeen, [{"user_id": id_, "seen_at": s.start} for id_ in ids])
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


def seed_editions(s: Seed) -> None:
    """Editions of the programme with their trainers and institutions; every animator is enrolled."""
    rows = []
    for e in range(s.scale.editions):
        voivodeship, starts = list(Voivodeship)[e % 16], (s.start - (30 - e) * DAY).date()
        rows.append({
            "name": f"CAL {starts.year}–{starts.year + 2} — edycja {e + 1:02d} ({voivodeship.value})",
            "programme_id": s.programme.id, "voivodeship": voivodeship, "starts_on": starts,
            "ends_on": starts + 730 * DAY, "created_at": s.start - 60 * DAY,
        })  # fmt: skip
    s.edition_ids = ids = bulk_insert(s, "editions", Edition, rows, ids=True)
    links = [{"edition_id": ids[e], "user_id": t} for e, pairs in enumerate(s.trainers) for t, _own in pairs]
    bulk_insert(s, "edition trainers", edition_trainer, links)
    links = [{"edition_id": ids[e], "institution_id": i} for i, e in zip(s.institution_ids, s.edition_of, strict=True)]
    bulk_insert(s, "edition institutions", edition_institution, links)
    enrolments = [
        {"edition_id": ids[s.edition_of[i]], "user_id": animator, "enrolled_by_id": s.coordinators[i],
         "created_at": s.start - 30 * DAY}
        for i, animators in enumerate(s.animators) for animator in animators
    ]  # fmt: skip
    bulk_insert(s, "enrolments", Enrolment, enrolments)
