"""Validated, database-free descriptions of course content, as the importer reads it."""

import enum
import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields


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

    @property
    def content_hash(self) -> str:
        """A hash of the programme's own settings (modules are versioned separately)."""
        data = _compared_fields(self)
        data.pop("modules")
        data["levels"] = [asdict(level) for level in self.levels]
        return _hash(data)


def _compared_fields(spec) -> dict:
    """The fields that define content (bookkeeping fields have compare=False)."""
    return {f.name: getattr(spec, f.name) for f in fields(spec) if f.compare}


def _hash(data: dict) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
