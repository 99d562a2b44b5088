"""Template helpers that translate and link once per table instead of once per cell."""

from datetime import date, datetime

import pytest
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


def test_the_dateformat_filter_writes_dates_as_flask_babel_does_in_every_language(app):
    """lms.i18n.format_day only finds the locale's pattern once; the text must be Flask-Babel's own, the day of a
    timestamp taken where the person is (Warsaw: 23:30 UTC on 30 June is already 1 July)."""
    from flask_babel import format_date

    from lms.i18n import format_day

    values = [date(2026, 12, 3), date(2027, 1, 1), datetime(2026, 6, 30, 23, 30), datetime(2026, 12, 31, 22, 59)]
    with app.test_request_context():
        for locale in ("pl", "en"):
            with force_locale(locale):
                for fmt in ("short", "medium", "long", "full", "LLLL y", "d MMM"):
                    for value in values:
                        assert format_day(value, fmt) == format_date(value, fmt), (locale, fmt, value)
                    assert format_day(values[0]) == format_date(values[0], "long")  # the app's form of a day
                late_june = format_day(datetime(2026, 6, 30, 23, 30))
                assert late_june == ("1 lipca 2026" if locale == "pl" else "July 1, 2026")
        rendered = app.jinja_env.from_string("{{ day|dateformat('long') }}").render(day=date(2027, 1, 4))
        assert rendered == "4 stycznia 2027"


@pytest.mark.parametrize(
    ("day", "polish"),
    [(date(1999, 5, 5), "5 maja 1999"), (date(2026, 5, 17), "17 maja 2026"), (date(2026, 12, 3), "3 grudnia 2026")],
)
def test_polish_dates_name_the_month_in_the_genitive(app, day, polish):
    """ "5 maj 1999" (CLDR's abbreviated nominative) reads as a mistake: Polish writes "5 maja 1999"."""
    with app.test_request_context(), force_locale("pl"):
        assert app.jinja_env.from_string("{{ day|dateformat }}").render(day=day) == polish


def test_a_moment_is_written_with_the_same_day_and_the_time_where_the_person_is(app):
    moment = datetime(2026, 5, 4, 22, 5)  # UTC: already 5 May, 00:05 in Warsaw
    with app.test_request_context(), force_locale("pl"):
        assert app.jinja_env.from_string("{{ at|datetimeformat }}").render(at=moment) == "5 maja 2026, 00:05"
