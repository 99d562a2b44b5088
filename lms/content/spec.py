"""Validated, database-free descriptions of course content, as the importer reads it."""

import enum
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields

# The review time target when programme.yaml sets no "review_target_days"; bounds the importer accepts.
DEFAULT_REVIEW_TARGET_DAYS = 7
REVIEW_TARGET_DAYS_RANGE = (3, 90)


class ModuleKind(enum.StrEnum):
    """A module proper counts toward its level; an introduction is read first and counts toward nothing."""

    MODULE = "module"
    INTRODUCTION = "introduction"


class Scope(enum.StrEnum):
    """Who carries out an assignment: each animator, or the institution as a whole."""

    PERSON = "person"
    INSTITUTION = "institution"


class EventKind(enum.StrEnum):
    """The face-to-face meetings a programme may declare and an edition may schedule."""

    TRAINING = "training"  # a training session, possibly over several days
    STUDY_VISIT = "study_visit"
    SEMINAR = "seminar"
    CONSULTATION = "consultation"
    MEETING = "meeting"


@dataclass(frozen=True)
class ContentError:
    """One problem in a course file: where it is and what is wrong."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class AssignmentSpec:
    slug: str
    title: str
    scope: Scope
    required: bool
    instructions: str
    criteria: list[str]
    # Markdown headings with short prompts that a new draft starts from ("" when none).
    template: str = ""
    # An accepted attempt is a project carried out (counted on the public figures page).
    project: bool = False
    # Where the assignment sits in its file's front matter, for error messages.
    yaml_path: tuple = field(default=(), compare=False, repr=False)


@dataclass
class ModuleSpec:
    slug: str
    title: str
    level: int
    order: int
    duration_hours: float
    summary: str
    goals: list[str]
    assignments: list[AssignmentSpec]
    body: str
    source_path: str = field(compare=False)
    kind: ModuleKind = ModuleKind.MODULE
    line_of: Callable[[tuple], int] = field(default=lambda path: 1, compare=False, repr=False)

    @property
    def content_hash(self) -> str:
        """A hash of everything a learner sees; equal hashes mean an unchanged module."""
        data = _compared_fields(self)
        data["assignments"] = [_compared_fields(a) for a in self.assignments]
        return _hash(data)


@dataclass
class LevelSpec:
    number: int
    title: str
    description: str


@dataclass
class ProgrammeSpec:
    slug: str
    title: str
    summary: str
    levels: list[LevelSpec]
    certificates: dict
    indicators: list[dict]
    # What face-to-face events each level expects, as programme.yaml declares them (see courses/README.md).
    events: list[dict] = field(default_factory=list)
    modules: list[ModuleSpec] = field(default_factory=list)
    retention: dict = field(default_factory=dict)  # see lms.content.reader._read_retention
    review_target_days: int = DEFAULT_REVIEW_TARGET_DAYS  # days a submitted work may wait for a decision

    @property
    def content_hash(self) -> str:
        """A hash of the programme's own settings (modules are versioned separately)."""
        data = _compared_fields(self)
        data.pop("modules")
        data["levels"] = [asdict(level) for level in self.levels]
        return _hash(data)


# Keys added to the format later: left out of the hash while they hold their default, so that adding
# them did not give every existing module a new version.
_OMITTED_WHEN_DEFAULT = {
    "kind": ModuleKind.MODULE,
    "template": "",
    "project": False,
    "review_target_days": DEFAULT_REVIEW_TARGET_DAYS,
}


def _compared_fields(spec) -> dict:
    """The fields that define content (bookkeeping fields have compare=False)."""
    data = {f.name: getattr(spec, f.name) for f in fields(spec) if f.compare}
    for name, default in _OMITTED_WHEN_DEFAULT.items():
        if name in data and data[name] == default:
            del data[name]
    return data


def _hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
