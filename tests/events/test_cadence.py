"""Level II cadence: "at least one consultation in each of 4 consecutive quarters", per quarter, and the warning
near the end of an empty quarter."""

from datetime import date, datetime, timedelta

import pytest
from flask_babel import force_locale

from lms.certificates.checklist import institution_checklist
from lms.content.spec import EventKind
from lms.events import services
from lms.events.cadence import CadenceStanding, quarter_end, quarter_of
from lms.extensions import db
from tests.events.conftest import event_input


def _standing(quarters_with_events, today=date(2026, 12, 3)):
    return CadenceStanding(EventKind.CONSULTATION, 1, 4, dict.fromkeys(quarters_with_events, 1), today)


def test_four_consecutive_quarters_meet_the_cadence():
    standing = _standing([(2026, 1), (2026, 2), (2026, 3), (2026, 4)])
    assert standing.met and standing.longest_run == 4


def test_a_missed_quarter_breaks_the_run():
    standing = _standing([(2026, 1), (2026, 2), (2026, 4), (2025, 4)])
    assert not standing.met
    assert standing.longest_run == 3  # Q4 2025, Q1 and Q2 2026; Q3 2026 is missing
    assert [covered for _quarter, covered in standing.timeline] == [True, True, True, False, True]
    assert standing.current_run == 1  # what the coordinator can build on: Q4 2026 alone


def test_an_empty_current_quarter_does_not_yet_break_the_run():
    standing = _standing([(2026, 1), (2026, 2), (2026, 3)])
    assert standing.current_run == 3 and not standing.current_quarter_covered


@pytest.mark.parametrize(("today", "at_risk"), [(date(2026, 12, 1), True), (date(2026, 12, 2), True),
                                                (date(2026, 12, 1) - timedelta(days=1), False)])  # fmt: skip
def test_an_empty_quarter_warns_within_30_days_of_its_end(today, at_risk):
    assert quarter_end(quarter_of(today)) == date(2026, 12, 31)
    assert _standing([(2026, 1), (2026, 2), (2026, 3)], today).current_quarter_at_risk is at_risk


def test_the_institution_checklist_counts_consultations_per_quarter(world):
    programme = world["programme"]
    programme.events = [{"kind": "consultation", "level": 2, "per_quarter": 1, "quarters": 4, "hours": None,
                         "per_module": False, "opening": False, "title": None, "days": None}]  # fmt: skip
    db.session.commit()
    today = date.today()
    current = quarter_of(today)
    first_of_current = date(current[0], 3 * current[1] - 2, 1)
    for back in (1, 2, 3):  # the three quarters before the current one
        day = first_of_current - timedelta(days=91 * back - 45)
        start = datetime(day.year, day.month, day.day, 9)
        data = event_input(kind=EventKind.CONSULTATION, level=2, starts_at=start, ends_at=start + timedelta(hours=2),
                           hours=2.0, host_institution_id=world["institution"].id)  # fmt: skip
        services.create_event(world["edition"], data, world["trainer"])
    db.session.commit()
    with force_locale("pl"):
        checklist = institution_checklist(world["institution"], programme)
        item = next(i for i in checklist.items if i.key == "cadence:consultation")
        assert not item.met and checklist.cadences[0].longest_run == 3
        assert str(item.label) == "Co najmniej 1 konsultacja w każdym kwartale, przez 4 kwartały z rzędu"
        assert str(item.detail).startswith(
            "3 z 4 kwartałów z rzędu; brakuje jeszcze 1 kwartału; bieżący kwartał jeszcze niespełniony; "
            "kwartały spełnione: "
        )

    start = datetime.combine(first_of_current, datetime.min.time()) + timedelta(hours=9)
    data = event_input(kind=EventKind.CONSULTATION, level=2, starts_at=start, ends_at=start + timedelta(hours=2),
                       hours=2.0, host_institution_id=world["institution"].id)  # fmt: skip
    services.create_event(world["edition"], data, world["trainer"])
    db.session.commit()
    checklist = institution_checklist(world["institution"], programme)
    item = next(i for i in checklist.items if i.key == "cadence:consultation")
    assert item.met
    with force_locale("pl"):
        assert str(item.detail).startswith("4 z 4 kwartałów z rzędu; kwartały spełnione: ")


@pytest.mark.parametrize(
    ("kind", "count", "quarters", "polish"),
    [
        (EventKind.CONSULTATION, 2, 1, "Co najmniej 2 konsultacje w każdym kwartale, przez 1 kwartał z rzędu"),
        (EventKind.CONSULTATION, 5, 5, "Co najmniej 5 konsultacji w każdym kwartale, przez 5 kwartałów z rzędu"),
        (EventKind.MEETING, 1, 2, "Co najmniej 1 spotkanie w każdym kwartale, przez 2 kwartały z rzędu"),
        (EventKind.STUDY_VISIT, 3, 4, "Co najmniej 3 wizyty studyjne w każdym kwartale, przez 4 kwartały z rzędu"),
    ],
)
def test_the_requirement_takes_the_plural_form_of_its_numbers(app, kind, count, quarters, polish):
    from lms.certificates.checklist import _cadence_item

    standing = CadenceStanding(kind, count, quarters, {}, date(2026, 12, 3))
    with app.test_request_context(), force_locale("pl"):
        assert str(_cadence_item(standing, "%(number)s kw. %(year)s").label) == polish
