"""Reads and validates course folders into ``ProgrammeSpec`` objects, touching no database."""

import os
import re
from pathlib import Path

from flask_babel import gettext as _

from lms.content.checks import FileChecker
from lms.content.event_rules import check_attendance_rule, read_event_rules
from lms.content.review_target import read_review_target
from lms.content.spec import (
    AssignmentSpec,
    ContentError,
    LevelSpec,
    ModuleKind,
    ModuleSpec,
    ProgrammeSpec,
    Scope,
)
from lms.content.yamlfile import LocatedData, YamlProblem, load_yaml, split_front_matter

PROGRAMME_FILE = "programme.yaml"
_PROGRAMME_KEYS = {
    "slug", "title", "summary", "levels", "certificates", "indicators", "retention", "events", "review_target_days",
}  # fmt: skip
ISSUER_NAME_MAX_LENGTH = 200  # a name on certificates, not a paragraph
_LEVEL_KEYS = {"number", "title", "description"}
_PERSON_CERT_KEYS = {"title", "level", "valid_years", "min_attendance_percent"}
_INSTITUTION_CERT_KEYS = {
    "title", "min_certified_staff", "deliverable_levels", "min_consultations",
    "indicator_report_required", "valid_years", "renewal_window_days",
}  # fmt: skip
DEFAULT_RENEWAL_WINDOW_DAYS = 180  # how long before expiry a Certyfikat may be renewed, unless the programme says
_MODULE_KEYS = {"slug", "title", "level", "order", "duration_hours", "summary", "goals", "assignments", "kind"}
_ASSIGNMENT_KEYS = {"slug", "title", "scope", "required", "instructions", "criteria", "template", "project"}
_HEADING = re.compile(r"^#{1,6}\s+\S")


def _display(path: Path) -> str:
    """A path as short as it can be said: relative when under the working directory."""
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def programme_folders(root: Path) -> list[Path]:
    """The programme folders at ``root``: itself if it holds programme.yaml, else its children."""
    if (root / PROGRAMME_FILE).is_file():
        return [root]
    if not root.is_dir():
        return []
    return sorted(child for child in root.iterdir() if (child / PROGRAMME_FILE).is_file())


def _read_text(path: Path, errors: list[ContentError]) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        errors.append(ContentError(_display(path), 1, _("the file is not valid UTF-8 text")))
    except OSError as error:
        errors.append(ContentError(_display(path), 1, _("cannot read the file: %(reason)s", reason=error.strerror)))
    return None


def _parse_yaml(text: str, path: Path, errors: list[ContentError]) -> LocatedData | None:
    try:
        return load_yaml(text)
    except YamlProblem as problem:
        errors.append(
            ContentError(_display(path), problem.line, _("invalid YAML: %(problem)s", problem=problem.problem))
        )
        return None


def read_courses(root: Path) -> tuple[list[ProgrammeSpec], list[ContentError]]:
    """Read every programme under ``root``; return the specs and all errors found."""
    errors: list[ContentError] = []
    folders = programme_folders(root)
    if not folders:
        errors.append(
            ContentError(_display(root), 1, _("no programme found (no programme.yaml here or in a subfolder)"))
        )
        return [], errors
    programmes = []
    seen: dict[str, Path] = {}
    for folder in folders:
        programme = read_programme(folder, errors)
        if programme is None:
            continue
        if programme.slug in seen:
            errors.append(
                ContentError(
                    _display(folder / PROGRAMME_FILE),
                    1,
                    _(
                        'duplicate programme slug "%(slug)s" (also in %(other)s)',
                        slug=programme.slug,
                        other=_display(seen[programme.slug]),
                    ),
                )
            )
        seen[programme.slug] = folder
        programmes.append(programme)
    return programmes, errors


def read_programme(folder: Path, errors: list[ContentError]) -> ProgrammeSpec | None:
    """Read one programme folder; append problems to ``errors``."""
    yaml_path = folder / PROGRAMME_FILE
    text = _read_text(yaml_path, errors)
    doc = _parse_yaml(text, yaml_path, errors) if text is not None else None
    if doc is None:
        return None
    before = len(errors)
    check = FileChecker(_display(yaml_path), doc, errors)
    data = check.mapping(doc.data, (), _PROGRAMME_KEYS, PROGRAMME_FILE)
    if data is None:
        return None
    levels = _read_levels(check, data)
    numbers = {level.number for level in levels}
    events = read_event_rules(check, data, numbers, _check_level)
    programme = ProgrammeSpec(
        slug=check.slug(data, ()),
        title=check.text(data, (), "title"),
        summary=check.text(data, (), "summary", required=False),
        levels=levels,
        certificates=_read_certificates(check, data, numbers, events),
        indicators=_read_indicators(check, data),
        retention=_read_retention(check, data),
        events=events,
        review_target_days=read_review_target(check, data),
    )
    module_paths = sorted(p for p in folder.rglob("*.md") if p.name.lower() != "readme.md")
    for module_path in module_paths:
        module = read_module(module_path, numbers, errors)
        if module is not None:
            programme.modules.append(module)
    if not module_paths:
        errors.append(ContentError(_display(yaml_path), 1, _("the programme has no module files (*.md)")))
    _check_uniqueness(programme, errors)
    return programme if len(errors) == before else None


def _read_levels(check: FileChecker, data: dict) -> list[LevelSpec]:
    levels = []
    seen = set()
    for path, item in check.items(data, (), "levels"):
        level = check.mapping(item, path, _LEVEL_KEYS, "levels")
        if level is None:
            continue
        number = check.integer(level, path, "number", minimum=1)
        if number in seen:
            check.error((*path, "number"), _("level %(number)s is defined twice", number=number))
        seen.add(number)
        levels.append(
            LevelSpec(
                number=number,
                title=check.text(level, path, "title"),
                description=check.text(level, path, "description", required=False),
            )
        )
    return levels


def _check_level(check: FileChecker, path: tuple, level, numbers: set[int]) -> None:
    if level is not None and level not in numbers:
        known = ", ".join(str(n) for n in sorted(numbers)) or "—"
        check.error(path, _("unknown level %(level)s (the programme's levels: %(levels)s)", level=level, levels=known))


def _read_retention(check: FileChecker, data: dict) -> dict:
    """How many months after acceptance evidence files are kept (lms.rights.retention purges them):
    ``evidence_months`` for all, ``assignments`` (slug: months) and ``kinds`` (pdf, jpeg, docx…: months)."""
    if not data.get("retention"):
        return {}
    path = ("retention",)
    raw = check.mapping(data["retention"], path, {"evidence_months", "assignments", "kinds"}, "retention")
    if raw is None:
        return {}
    retention = {}
    if "evidence_months" in raw:
        retention["evidence_months"] = check.integer(raw, path, "evidence_months", minimum=1)
    for key in ("assignments", "kinds"):
        if key in raw:
            months = check.mapping(raw[key], (*path, key), set(raw[key] or {}), key) or {}
            retention[key] = {name: check.integer(months, (*path, key), name, minimum=1) for name in months}
    return retention


def _read_certificates(check: FileChecker, data: dict, numbers: set[int], events: list[dict]) -> dict:
    raw = data.get("certificates") or {}
    certificates = check.mapping(raw, ("certificates",), {"issuer", "person", "institution"}, "certificates") or {}
    result = {}
    if "issuer" in certificates:  # the organiser, who issues the programme's credentials
        path = ("certificates", "issuer")
        issuer = check.mapping(certificates["issuer"], path, {"name", "url", "email"}, "issuer")
        if issuer is not None:
            result["issuer"] = {
                key: check.text(issuer, path, key, required=key == "name") for key in ("name", "url", "email")
            }
            name = result["issuer"]["name"]
            if name is not None and ("\n" in name or len(name) > ISSUER_NAME_MAX_LENGTH):
                check.error(
                    (*path, "name"),
                    _(
                        'the issuer\'s "name" must be one line of at most %(count)s characters',
                        count=ISSUER_NAME_MAX_LENGTH,
                    ),
                )
    if "person" in certificates:
        path = ("certificates", "person")
        person = check.mapping(certificates["person"], path, _PERSON_CERT_KEYS, "person")
        if person is not None:
            level = check.integer(person, path, "level", minimum=1)
            _check_level(check, (*path, "level"), level, numbers)
            result["person"] = {
                "title": check.text(person, path, "title"),
                "level": level,
                "valid_years": check.integer(person, path, "valid_years", minimum=1, required=False),
            }
            attendance = check_attendance_rule(check, person, path, events)
            if attendance is not None:
                result["person"]["min_attendance_percent"] = attendance
    if "institution" in certificates:
        path = ("certificates", "institution")
        rule = check.mapping(certificates["institution"], path, _INSTITUTION_CERT_KEYS, "institution")
        if rule is not None:
            deliverable_levels = []
            for item_path, level in check.items(rule, path, "deliverable_levels"):
                _check_level(check, item_path, level, numbers)
                deliverable_levels.append(level)
            result["institution"] = {
                "title": check.text(rule, path, "title"),
                "min_certified_staff": check.integer(rule, path, "min_certified_staff"),
                "deliverable_levels": deliverable_levels,
                "min_consultations": check.integer(rule, path, "min_consultations"),
                "indicator_report_required": check.boolean(rule, path, "indicator_report_required"),
                "valid_years": check.integer(rule, path, "valid_years", minimum=1, required=False),
                "renewal_window_days": _renewal_window(check, rule, path),
            }
    return result


def _renewal_window(check: FileChecker, rule: dict, path: tuple) -> int:
    """Days before expiry from which a renewal may be applied for: at least one, and shorter than the validity."""
    days = check.integer(rule, path, "renewal_window_days", minimum=1, required=False)
    if days is None:
        return DEFAULT_RENEWAL_WINDOW_DAYS
    years = rule.get("valid_years")
    if isinstance(years, int) and not isinstance(years, bool) and years >= 1 and days >= years * 365:
        check.error(
            (*path, "renewal_window_days"),
            _(
                '"renewal_window_days" must be fewer than the days the certificate is valid (%(days)s)',
                days=years * 365,
            ),
        )
    return days


def _read_indicators(check: FileChecker, data: dict) -> list[dict]:
    indicators = []
    seen = set()
    for path, item in check.items(data, (), "indicators", required=False):
        indicator = check.mapping(item, path, {"key", "label"}, "indicators")
        if indicator is None:
            continue
        key = check.slug(indicator, path, "key")
        if key in seen:
            check.error((*path, "key"), _('indicator "%(key)s" is defined twice', key=key))
        seen.add(key)
        indicators.append({"key": key, "label": check.text(indicator, path, "label")})
    return indicators


def read_module(path: Path, level_numbers: set[int], errors: list[ContentError]) -> ModuleSpec | None:
    """Read one module file (front matter + Markdown body)."""
    text = _read_text(path, errors)
    if text is None:
        return None
    parts = split_front_matter(text)
    if parts is None:
        errors.append(
            ContentError(_display(path), 1, _('the file has no front matter: it must start with a line "---"'))
        )
        return None
    front, body, body_line = parts
    doc = _parse_yaml(front, path, errors)
    if doc is None:
        return None
    before = len(errors)
    check = FileChecker(_display(path), doc, errors)
    data = check.mapping(doc.data, (), _MODULE_KEYS, "front matter")
    if data is None:
        return None
    level = check.integer(data, (), "level", minimum=1)
    _check_level(check, ("level",), level, level_numbers)
    kind = _read_kind(check, data)
    if not body.strip():
        errors.append(
            ContentError(_display(path), body_line, _("the module has no teaching text after the front matter"))
        )
    module = ModuleSpec(
        slug=check.slug(data, ()),
        title=check.text(data, (), "title"),
        level=level,
        # An introduction may take order 0: it comes before the level's first module.
        order=check.integer(data, (), "order", minimum=1 if kind is ModuleKind.MODULE else 0),
        duration_hours=check.positive_number(data, (), "duration_hours"),
        summary=check.text(data, (), "summary", required=False),
        goals=check.text_list(data, (), "goals"),
        assignments=[
            _read_assignment(check, item_path, item) for item_path, item in check.items(data, (), "assignments")
        ],
        body=body.strip(),
        source_path=_display(path),
        line_of=doc.line,
        kind=kind or ModuleKind.MODULE,
    )
    if kind is ModuleKind.INTRODUCTION:
        for assignment in module.assignments:
            if assignment is not None and assignment.required:
                check.error(
                    (*assignment.yaml_path, "required"),
                    _('an introduction counts toward no certificate: its assignments must have "required: false"'),
                )
    return module if len(errors) == before else None


def _read_kind(check: FileChecker, data: dict) -> ModuleKind | None:
    """The module's kind: "module" (the default) or "introduction"."""
    if data.get("kind") is None:
        return ModuleKind.MODULE
    kind = check.text(data, (), "kind")
    if kind not in {k.value for k in ModuleKind}:
        if kind is not None:
            check.error(("kind",), _('"kind" must be "module" or "introduction"'))
        return None
    return ModuleKind(kind)


def _read_template(check: FileChecker, path: tuple, data: dict) -> str:
    """An assignment's draft template: Markdown with at least one heading ("" when not given)."""
    template = check.text(data, path, "template", required=False)
    if template and not any(_HEADING.match(line) for line in template.splitlines()):
        check.error((*path, "template"), _('"template" must contain at least one Markdown heading (a line "## …")'))
    return template or ""


def _read_assignment(check: FileChecker, path: tuple, item) -> AssignmentSpec | None:
    data = check.mapping(item, path, _ASSIGNMENT_KEYS, "assignments")
    if data is None:
        return None
    scope = check.text(data, path, "scope")
    if scope is not None and scope not in {s.value for s in Scope}:
        check.error((*path, "scope"), _('"scope" must be "person" or "institution"'))
        scope = None
    return AssignmentSpec(
        slug=check.slug(data, path),
        title=check.text(data, path, "title"),
        scope=Scope(scope) if scope else None,
        required=check.boolean(data, path, "required"),
        instructions=check.text(data, path, "instructions"),
        criteria=check.text_list(data, path, "criteria"),
        template=_read_template(check, path, data),
        project=check.boolean(data, path, "project") if "project" in data else False,
        yaml_path=path,
    )


def _check_uniqueness(programme: ProgrammeSpec, errors: list[ContentError]) -> None:
    """Slugs unique within the programme; one module per (level, order)."""
    modules_by_slug: dict[str, ModuleSpec] = {}
    modules_by_place: dict[tuple, ModuleSpec] = {}
    assignments_by_slug: dict[str, tuple[AssignmentSpec, ModuleSpec]] = {}
    for module in programme.modules:
        other = modules_by_slug.setdefault(module.slug, module)
        if other is not module:
            errors.append(
                ContentError(
                    module.source_path,
                    module.line_of(("slug",)),
                    _(
                        'duplicate module slug "%(slug)s" (also in %(other)s)',
                        slug=module.slug,
                        other=other.source_path,
                    ),
                )
            )
        other = modules_by_place.setdefault((module.level, module.order), module)
        if other is not module:
            errors.append(
                ContentError(
                    module.source_path,
                    module.line_of(("order",)),
                    _(
                        "another module has level %(level)s and order %(order)s: %(other)s",
                        level=module.level,
                        order=module.order,
                        other=other.source_path,
                    ),
                )
            )
        for assignment in module.assignments:
            first, other = assignments_by_slug.setdefault(assignment.slug, (assignment, module))
            if first is not assignment:
                errors.append(
                    ContentError(
                        module.source_path,
                        module.line_of((*assignment.yaml_path, "slug")),
                        _(
                            'duplicate assignment slug "%(slug)s" (also in %(other)s)',
                            slug=assignment.slug,
                            other=other.source_path,
                        ),
                    )
                )
