"""Event kinds in words, for pages and checklists."""

from flask_babel import lazy_gettext as _l

from lms.content.spec import EventKind

KIND_LABELS = {
    EventKind.TRAINING: _l("Training session"),
    EventKind.STUDY_VISIT: _l("Study visit"),
    EventKind.SEMINAR: _l("Seminar"),
    EventKind.CONSULTATION: _l("Consultation"),
    EventKind.MEETING: _l("Meeting"),
}
