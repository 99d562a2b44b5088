"""Reads ``review_target_days`` of programme.yaml: how many days a submitted work may wait for a decision."""

from flask_babel import gettext as _

from lms.content.checks import FileChecker
from lms.content.spec import DEFAULT_REVIEW_TARGET_DAYS, REVIEW_TARGET_DAYS_RANGE


def read_review_target(check: FileChecker, data: dict) -> int:
    """How many days a submitted work may wait for a decision: trainers are reminded two days before, admins
    on the day (lms.learning.allocation); 7 when the programme does not say."""
    if "review_target_days" not in data:
        return DEFAULT_REVIEW_TARGET_DAYS
    low, high = REVIEW_TARGET_DAYS_RANGE
    days = data["review_target_days"]
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        check.error(
            ("review_target_days",),
            _('"review_target_days" must be a whole number of days from %(low)s to %(high)s', low=low, high=high),
        )
        return DEFAULT_REVIEW_TARGET_DAYS
    return days
