"""Reads ``events:`` of programme.yaml: which face-to-face events each level expects.

Each declaration names a kind and a level, and one of:
- ``hours`` (with ``per_module: true``: a training of that many hours for every module of the level),
- ``per_quarter`` and ``quarters``: at least that many events in each of that many consecutive quarters,
- ``opening: true``: the level opens with such an event (e.g. a residential training).
The person certificate may then require attendance: ``min_attendance_percent`` of the level's declared
training hours (checked here: the level must declare some training hours).
"""

from flask_babel import gettext as _

from lms.content.checks import FileChecker
from lms.content.spec import EventKind

_EVENT_KEYS = {"kind", "level", "hours", "days", "per_module", "per_quarter", "quarters", "opening", "title"}


def _optional_flag(check: FileChecker, rule: dict, path: tuple, key: str) -> bool:
    if rule.get(key) is None:
        return False
    return bool(check.boolean(rule, path, key))


def read_event_rules(check: FileChecker, data: dict, numbers: set[int], check_level) -> list[dict]:
    """The programme's event declarations, validated; problems go to ``check`` with their line."""
    rules = []
    for path, item in check.items(data, (), "events", required=False):
        rule = check.mapping(item, path, _EVENT_KEYS, "events")
        if rule is None:
            continue
        kind = check.text(rule, path, "kind")
        if kind is not None and kind not in {k.value for k in EventKind}:
            known = ", ".join(k.value for k in EventKind)
            check.error(
                (*path, "kind"), _('unknown event kind "%(kind)s" (known kinds: %(kinds)s)', kind=kind, kinds=known)
            )
        level = check.integer(rule, path, "level", minimum=1)
        check_level(check, (*path, "level"), level, numbers)
        declared = {
            "kind": kind,
            "level": level,
            "title": check.text(rule, path, "title", required=False),
            "per_module": _optional_flag(check, rule, path, "per_module"),
            "opening": _optional_flag(check, rule, path, "opening"),
            "hours": None,
            "days": None,
            "per_quarter": None,
            "quarters": None,
        }
        if rule.get("hours") is not None:
            declared["hours"] = check.positive_number(rule, path, "hours")
        if rule.get("days") is not None:
            declared["days"] = check.integer(rule, path, "days", minimum=1)
        if rule.get("per_quarter") is not None or rule.get("quarters") is not None:
            declared["per_quarter"] = check.integer(rule, path, "per_quarter", minimum=1)
            declared["quarters"] = check.integer(rule, path, "quarters", minimum=1)
        if declared["per_module"] and declared["hours"] is None:
            check.error(path, _('"per_module: true" needs "hours": how long the training of each module is'))
        if not (declared["hours"] or declared["per_quarter"] or declared["opening"]):
            check.error(
                path, _('an event declaration needs "hours", "per_quarter" with "quarters", or "opening: true"')
            )
        rules.append(declared)
    return rules


def check_attendance_rule(check: FileChecker, person: dict, path: tuple, rules: list[dict]) -> int | None:
    """The person certificate's ``min_attendance_percent`` (0–100), only where the level declares training hours."""
    if person.get("min_attendance_percent") is None:
        return None
    percent = check.integer(person, path, "min_attendance_percent", minimum=1)
    if percent is not None and percent > 100:
        check.error((*path, "min_attendance_percent"), _('"min_attendance_percent" must be at most 100'))
        return None
    level = person.get("level")
    if percent is not None and not any(
        r["kind"] == EventKind.TRAINING and r["level"] == level and r["hours"] for r in rules
    ):
        check.error(
            (*path, "min_attendance_percent"),
            _(
                'an attendance requirement needs training hours declared for level %(level)s under "events"',
                level=level,
            ),
        )
        return None
    return percent
