"""The real curriculum in courses/: structure a trainer and a learner rely on."""

import re

import frontmatter
import pytest

from lms.content.drafts import template_headings
from lms.content.reader import read_courses
from lms.rendering import render_markdown
from tests.conftest import REAL_COURSES

CAL_LEVEL_ONE = [
    "Ja jako animator",
    "Tworzenie mapy potrzeb i zasobów społeczności lokalnej",
    "Budowanie zespołu",
    "Rola i znaczenie pracy wolontarystycznej",
    "Tworzenie grup samopomocowych i obywatelskich",
    "Planowanie działań i praca poprzez projekty",
    "Tworzenie lokalnego partnerstwa",
    "Zbieranie funduszy na poziomie lokalnym, przygotowywanie wniosków",
    "Tworzenie wizerunku i promocja instytucji CAL",
]
CAL_LEVEL_TWO = [
    "Konsultacje indywidualne",
    "Wdrażanie nowych projektów",
    "Monitorowanie i szkolenia odpowiadające na potrzeby",
]
PROGRAMMES = {"cal", "cala-naprzod", "pomoz-sobie-i-innym", "wolontariat-w-ops"}
INDICATORS = {
    "cal": 8,
    "cala-naprzod": 8,
    "pomoz-sobie-i-innym": 8,
    "wolontariat-w-ops": 6,
}


@pytest.fixture(scope="module")
def programmes():
    specs, errors = read_courses(REAL_COURSES)
    assert not errors, [str(e) for e in errors]
    return {spec.slug: spec for spec in specs}


def ordered_titles(programme, level):
    """The level's modules proper (introductions are not among them)."""
    modules = sorted(programme.modules, key=lambda m: m.order)
    return [m.title for m in modules if m.level == level and m.kind == "module"]


def words(markdown_text: str) -> int:
    return len(re.findall(r"\w+", markdown_text))


def test_all_four_programmes_are_present(programmes):
    assert set(programmes) == PROGRAMMES


def test_cal_levels_have_the_programme_modules_in_order(programmes):
    assert ordered_titles(programmes["cal"], 1) == CAL_LEVEL_ONE
    assert ordered_titles(programmes["cal"], 2) == CAL_LEVEL_TWO


def test_pomoz_sobie_has_its_three_modules(programmes):
    assert ordered_titles(programmes["pomoz-sobie-i-innym"], 1) == [
        "Rola i znaczenie samopomocy w środowisku lokalnym – tworzenie Klubu Integracji Społecznej i Samopomocy",
        "Prowadzenie i dynamika grup samopomocowych",
        "Tworzenie projektów i pozyskiwanie zasobów na rzecz prowadzenia KISS",
    ]


def test_every_module_teaches_enough_and_can_be_judged(programmes):
    for programme in programmes.values():
        for module in programme.modules:
            where = f"{module.source_path}"
            assert words(module.body) >= 700, where
            assert 3 <= len(module.goals) <= 6, where
            assert module.body.count("\n## ") + module.body.startswith("## ") >= 4, f"{where}: too few sections"
            assert module.assignments, where
            for assignment in module.assignments:
                assert 3 <= len(assignment.criteria) <= 6, f"{where}: {assignment.slug}"


def test_cal_has_the_institution_deliverables_the_certificate_needs(programmes):
    cal = programmes["cal"]
    deliverables = {a.slug for m in cal.modules for a in m.assignments if a.scope == "institution" and a.required}
    for expected in (
        "mapa-potrzeb-i-zasobow-spolecznosci",
        "grupa-samopomocowa",
        "grupa-obywatelska",
        "koalicja-partnerow",
        "klub-wolontariusza",
        "wydarzenie-dla-mieszkancow",
        "koncepcja-projektu-socjalnego",
        "wniosek-o-dotacje",
        "plan-promocji",
        "raport-z-nowego-projektu",
    ):
        assert expected in deliverables
    level_one = [m for m in cal.modules if m.level == 1 and m.kind == "module"]
    person_level_one = [a for m in level_one for a in m.assignments if a.scope == "person"]
    assert len(person_level_one) >= 9 and all(a.required for a in person_level_one)


def test_project_assignment_follows_the_pal_structure(programmes):
    assignments = [a for m in programmes["cal"].modules for a in m.assignments]
    [project] = [a for a in assignments if a.slug == "koncepcja-projektu-socjalnego"]
    text = project.instructions.lower()
    parts = ("diagnoz", "uzasadnien", "cel", "zasob", "metod", "instrument", "ofert", "działa", "rezultat", "wskaźnik")
    for part in parts:
        assert part in text, part


def test_certificate_rules_and_indicators_are_stated(programmes):
    cal = programmes["cal"].certificates
    title = "Zaświadczenie ukończenia Poziomu I programu CAL"
    assert cal["person"] == {"title": title, "level": 1, "valid_years": None}
    assert cal["institution"]["title"] == "Certyfikat Jakości pracy metodą CAL"
    assert cal["institution"]["min_certified_staff"] == 2
    assert cal["institution"]["deliverable_levels"] == [1, 2]
    assert cal["institution"]["min_consultations"] == 4
    assert cal["institution"]["indicator_report_required"] is True
    assert cal["institution"]["valid_years"] == 3
    for slug, count in INDICATORS.items():
        programme = programmes[slug]
        assert len(programme.indicators) == count, slug
        assert "person" in programme.certificates, slug


def test_no_placeholder_text():
    for path in REAL_COURSES.rglob("*.md"):
        if path.name == "README.md":
            continue
        post = frontmatter.load(path)
        text = post.content + str(post.metadata)
        assert not re.search(r"\b(lorem|ipsum|todo|tbd|fixme)\b", text, re.IGNORECASE), path


# --- issue 19: true to the sources, the foundations, the cases ------------------------------------------


def module_text(programmes, programme: str, slug: str) -> str:
    [module] = [m for m in programmes[programme].modules if m.slug == slug]
    return module.body


def test_the_introduction_teaches_the_foundations_and_is_not_a_level_one_module(programmes):
    [intro] = [m for m in programmes["cal"].modules if m.kind == "introduction"]
    assert intro.slug == "od-pomocy-do-samopomocy" and intro.level == 1
    assert words(intro.body) >= 1000
    assert [a.required for a in intro.assignments] == [False]
    text = intro.body
    for term in (
        "Lewenstein",
        "Wilczyński",
        "centralistyczny",
        "partycypacyjny",
        "Rozwój społeczności lokalnej",
        "Samopomoc",
        "dziesięć czynników",
        "Kapitał społeczny",
        "od pomocy do samopomocy",
        "od zasiłków do partnerstwa",
        "art. 15",
        "Art. 119",
        "nie jest nową instytucją — jest sposobem działania",
        "Pomóżmy ludziom, żeby pomogli sami sobie",
        "gmina",
    ):
        assert term in text, term
    [reflection] = intro.assignments
    assert "centralistyczn" in reflection.instructions and "dowod" in reflection.instructions


def test_sila_rodziny_is_described_as_the_source_has_it(programmes):
    text = module_text(programmes, "cal", "planowanie-i-projekty")
    assert "obejmował\nzestaw mniejszych projektów" not in text
    assert "15–25" in text and "dzielnic V i VII" in text
    for project in ("Przyjemne z pożytecznym", "Z kulturą na Ty", "Podziel się swoim talentem", "Środy u Seniora",
                    "Radość Dziecka", "Kocham moje miasto", "Razem możemy więcej"):  # fmt: skip
        assert project in text, project


def test_unsourced_claims_are_gone(programmes):
    everything = "\n".join(
        path.read_text(encoding="utf-8") for path in REAL_COURSES.rglob("*") if path.suffix in {".md", ".yaml"}
        if path.name != "README.md"
    )  # fmt: skip
    for claim in ("Zwieńczeniem jest Certyfikat", "Na Mazowszu od 2003 roku", "w ciągu 30 dni", "do 31 marca"):
        assert claim not in everything, claim
    institution = programmes["cala-naprzod"].certificates["institution"]
    assert institution["min_consultations"] == 0
    assert "Certyfikat Jakości" not in institution["title"]


def test_the_project_modules_use_the_filia_7_cases(programmes):
    assert "Radość Dziecka" in module_text(programmes, "cala-naprzod", "wolontariat-wydarzenie-i-projekt")
    assert "Siła Rodziny" in module_text(programmes, "cala-naprzod", "wolontariat-wydarzenie-i-projekt")
    assert "Przyjemne z pożytecznym" in module_text(programmes, "pomoz-sobie-i-innym", "projekty-i-zasoby-kiss")


def test_the_pal_assignments_have_a_template_with_the_pal_structure(programmes):
    pal = ["Obszar i grupa docelowa", "Diagnoza", "Uzasadnienie", "Cele", "Zasoby"]
    for programme, slug in (
        ("cal", "koncepcja-projektu-socjalnego"),
        ("cala-naprzod", "koncepcja-projektu-socjalnego-ops"),
        ("pomoz-sobie-i-innym", "projekt-rozwoju-kiss"),
    ):
        [assignment] = [a for m in programmes[programme].modules for a in m.assignments if a.slug == slug]
        headings = [h.split(". ", 1)[1] for h in template_headings(assignment.template)]
        assert headings[:5] == pal, (programme, headings)
        assert len(headings) >= 10


# --- lists that render as lists, one motto ------------------------------------------------------------------

LIST_ITEM = re.compile(r"^( *)(?:[-*+]|\d+[.)]) ")


def markdown_texts(programmes):
    """Every Markdown text of the curriculum: (where, text)."""
    for programme in programmes.values():
        for module in programme.modules:
            yield f"{programme.slug}/{module.slug}", module.body
            for assignment in module.assignments:
                yield f"{programme.slug}/{assignment.slug}", assignment.instructions
                yield f"{programme.slug}/{assignment.slug} (template)", assignment.template


def test_nested_lists_are_indented_by_four_spaces(programmes):
    """Python-Markdown nests a list only when it is indented by four spaces; with one to three it renders the
    items as "- …" inside the parent item's text."""
    misindented = [
        f"{where}: {line.strip()[:60]}"
        for where, text in markdown_texts(programmes)
        for line in text.split("\n")
        if (match := LIST_ITEM.match(line)) and 1 <= len(match.group(1)) <= 3
    ]
    assert misindented == []


def test_the_resource_map_lists_three_kinds_of_resources_as_a_nested_list(programmes):
    [assignment] = [
        a for m in programmes["cal"].modules for a in m.assignments if a.title == "Lokalna mapa potrzeb i zasobów"
    ]
    html = render_markdown(assignment.instructions)
    nested = re.search(r"<li>\s*<strong>Zasoby</strong>.*?<ul>(.*?)</ul>", html, re.S)
    assert nested and nested.group(1).count("<li>") == 3 and "<em>materialne</em>" in nested.group(1)


def test_the_motto_reads_as_the_programme_has_it_everywhere():
    """„Pomóżmy ludziom, żeby pomogli sami sobie” (the programme's slides, sources/004_…), never „aby pomogli”."""
    roots = [REAL_COURSES, REAL_COURSES.parent / "templates", REAL_COURSES.parent / "translations"]
    for path in (p for root in roots for p in root.rglob("*") if p.suffix in {".md", ".yaml", ".html", ".po"}):
        assert "aby pomogli" not in path.read_text(encoding="utf-8"), path
