"""Template helpers that translate and link once per table instead of once per cell."""

from flask import url_for
from flask_babel import force_locale

from lms.learning.views import status_label, status_labels
from lms.urls import id_link


def test_status_labels_follow_the_active_locale(app):
    with app.test_request_context():
        with force_locale("pl"):
            polish = status_label("accepted")
        with force_locale("en"):
            assert status_label("accepted") == "accepted"
            assert status_labels()["revision_requested"] == "revision requested"
        assert polish == "zaakceptowane"
        assert status_label("no-such-status") == "no-such-status"


def test_one_link_pattern_serves_every_row_of_a_table(app):
    with app.test_request_context():
        pattern = id_link("learning.work_detail", "work_id")
        assert [pattern.format(i) for i in (7, 123456)] == [
            url_for("learning.work_detail", work_id=7),
            url_for("learning.work_detail", work_id=123456),
        ]
