"""An indicator report's statuses as every page names them.

In Polish a status adjective agrees with its noun: "raport" is masculine ("zaakceptowany", "zwrócony do
poprawy") where an assignment ("zadanie", lms.learning.progress.STATUS_LABELS) is neuter ("zaakceptowane").
The message context "indicator report" keeps the two apart in the catalogue; the certification checklist and the
support pages take their labels from here, so a report's status reads the same everywhere.
"""

from flask_babel import lazy_pgettext

from lms.support.models import ReportStatus

REPORT_STATUS_LABELS = {
    ReportStatus.SUBMITTED: lazy_pgettext("indicator report", "waiting for a decision"),
    ReportStatus.RETURNED: lazy_pgettext("indicator report", "returned for correction"),
    ReportStatus.ACCEPTED: lazy_pgettext("indicator report", "accepted"),
}
