"""Helpers shared by every feature's forms."""

from wtforms.fields.choices import SelectChoice


def strip(value):
    """WTForms filter: surrounding spaces never count toward a length rule or get stored."""
    return value.strip() if isinstance(value, str) else value


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select options."""
    return [SelectChoice(value, label) for value, label in pairs]
