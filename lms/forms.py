"""Helpers shared by every feature's forms: the base form classes, date fields and number ranges.

Every form of the app derives from ``AppForm`` (or ``SubForm`` for a form nested in another), so WTForms' own
messages ("This field is required.", a length or number range) read in our wording, and every date field shares
one range of years and one message for a date that does not exist.
"""

import math
from datetime import date

import wtforms
from flask_babel import format_date, format_decimal, get_translations, gettext
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms.fields.choices import SelectChoice
from wtforms.validators import StopValidation, ValidationError

# Every date the app stores lies in these years: the CAL programme began in 2000, and a date past 2100 is a typo.
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)
INVALID_DATE = _l("Enter a valid date (YYYY-MM-DD).")
INVALID_DATE_TIME = _l("Enter a valid date and time.")


def N_(message: str) -> str:
    """Babel's marker: ``message`` is extracted for translation here and translated where it is shown."""
    return message


# WTForms' built-in messages said our way. WTForms' own Polish catalogue words some of them badly ("Wartość musi
# być długa na od 3 do 200 znaków", "z zakresu 0.5 i 100") or wrongly ("This field cannot be edited." as "This field
# is required."); our catalogue (messages.po) translates these, and WTForms' catalogue the rest.
WTFORMS_WORDING = frozenset(
    {
        N_("Field must be between %(min)d and %(max)d characters long."),
        N_("Number must be between %(min)s and %(max)s."),
        N_("Number must be at least %(min)s."),
        N_("Number must be at most %(max)s."),
        N_("This field cannot be edited."),
        N_("Not a valid date value."),
        N_("Not a valid datetime value."),
    }
)


class FormMessages:
    """Translations for WTForms' messages: our catalogue for the ones we word ourselves, WTForms' otherwise."""

    def gettext(self, string):
        if string in WTFORMS_WORDING:
            return get_translations().ugettext(string)
        return wtforms_translations.gettext(string)

    def ngettext(self, singular, plural, n):
        return wtforms_translations.ngettext(singular, plural, n)


FORM_MESSAGES = FormMessages()


class AppForm(FlaskForm):
    """The base of every form of the app (CSRF from Flask-WTF, messages in our wording)."""

    class Meta:
        def get_translations(self, form):
            return FORM_MESSAGES


class SubForm(wtforms.Form):
    """A form nested in an ``AppForm`` (the outer form carries the CSRF token); messages in our wording."""

    class Meta:
        def get_translations(self, form):
            return FORM_MESSAGES


def strip(value):
    """WTForms filter: surrounding spaces never count toward a length rule or get stored."""
    return value.strip() if isinstance(value, str) else value


def options(pairs) -> list[SelectChoice]:
    """(value, label) pairs as WTForms select options."""
    return [SelectChoice(value, label) for value, label in pairs]


def date_range_error(day: date) -> str | None:
    """Why ``day`` is outside the years every date of the app may take (None: it is inside)."""
    if EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return gettext(
        "Choose a date between %(start)s and %(end)s.",
        start=format_date(EARLIEST_DATE, "long"),
        end=format_date(LATEST_DATE, "long"),
    )


class _BoundedDates:
    """Shared by the date fields: empty input is no value (the required check says so), text that is not a date
    says so once, and a date outside the app's years is refused before any other check."""

    def _init_bounds(self, kwargs, invalid, shown):
        kwargs.setdefault("invalid_value_message", invalid)
        bounds = {"min": shown(EARLIEST_DATE), "max": shown(LATEST_DATE)}
        kwargs["render_kw"] = {**bounds, **(kwargs.get("render_kw") or {})}
        return kwargs

    def process_formdata(self, valuelist):
        if valuelist and not " ".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)

    def pre_validate(self, form):
        if self.process_errors:
            raise StopValidation()  # "not a valid date" is already said, and "required" would be wrong
        if self.data is not None:
            day = self.data.date() if hasattr(self.data, "date") else self.data
            message = date_range_error(day)
            if message:
                raise StopValidation(message)


class DateField(_BoundedDates, wtforms.DateField):
    """A date (YYYY-MM-DD) within the app's years; every date input of the app is one."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, **self._init_bounds(kwargs, INVALID_DATE, date.isoformat))


class DateTimeLocalField(_BoundedDates, wtforms.DateTimeLocalField):
    """A date and time (the browser's local-time picker) within the app's years."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(
            label, validators, **self._init_bounds(kwargs, INVALID_DATE_TIME, lambda day: f"{day.isoformat()}T00:00")
        )


class NumberRange(wtforms.validators.NumberRange):
    """WTForms' NumberRange with the bounds written as the locale writes numbers ("od 0,5 do 100")."""

    def __call__(self, form, field):
        low, high = self._resolve(self.min), self._resolve(self.max)
        data = field.data
        if (
            data is not None
            and not math.isnan(data)
            and (low is None or data >= low)
            and (high is None or data <= high)
        ):
            return
        if self.message is not None:
            message = self.message
        elif high is None:
            message = field.gettext("Number must be at least %(min)s.")
        elif low is None:
            message = field.gettext("Number must be at most %(max)s.")
        else:
            message = field.gettext("Number must be between %(min)s and %(max)s.")
        shown = {
            name: format_decimal(value) if value is not None else "" for name, value in (("min", low), ("max", high))
        }
        raise ValidationError(str(message) % shown)
