"""Event kinds in words, for pages and checklists."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from lms.content.spec import EventKind

KIND_LABELS = {
    EventKind.TRAINING: _l("Training session"),
    EventKind.STUDY_VISIT: _l("Study visit"),
    EventKind.SEMINAR: _l("Seminar"),
    EventKind.CONSULTATION: _l("Consultation"),
    EventKind.MEETING: _l("Meeting"),
}

# A number of events of each kind, the noun in the form the number takes ("1 konsultacja", "2 konsultacje",
# "5 konsultacji"): a label and "×" ("1 × Konsultacja") does not read as Polish.
_COUNTED = {
    EventKind.TRAINING: lambda n: lazy_ngettext("%(num)s training session", "%(num)s training sessions", n),
    EventKind.STUDY_VISIT: lambda n: lazy_ngettext("%(num)s study visit", "%(num)s study visits", n),
    EventKind.SEMINAR: lambda n: lazy_ngettext("%(num)s seminar", "%(num)s seminars", n),
    EventKind.CONSULTATION: lambda n: lazy_ngettext("%(num)s consultation", "%(num)s consultations", n),
    EventKind.MEETING: lambda n: lazy_ngettext("%(num)s meeting", "%(num)s meetings", n),
}


def counted_events(kind: EventKind, count: int):
    """``count`` events of ``kind`` in words (a lazy string: checklists are built before the page's locale is
    read)."""
    return _COUNTED[kind](count)
