"""The report filters: a GET form read from the query string; anything it does not know is refused."""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import Optional, ValidationError

from lms.forms import AppForm, DateField
from lms.institutions.models import Voivodeship
from lms.reports.filters import FilterChoices, ReportFilters
from lms.reports.tables import TABLES

FILTERS = ("programme", "edition", "voivodeship", "from", "to")
EXPORT_PARAMETERS = ("table", "sep")
SEPARATORS = (",", ";")
DATE_FORMAT = _l("Enter the date as YYYY-MM-DD, for example 2026-03-31.")


def _known(message):
    """The value must be one of the field's choices (an empty value means "all")."""

    def check(form, field):
        if field.data and field.data not in {str(value) for value, _label in field.choices}:
            raise ValidationError(str(message) % {"value": field.data[:80]})

    return check


class ReportFilterForm(AppForm):
    """Programme, edition, voivodeship and period; read from ``request.args``, so without a CSRF token."""

    class Meta:
        csrf = False

    programme = SelectField(
        _l("Programme"), validators=[_known(_l("Unknown programme: %(value)s."))], validate_choice=False
    )
    edition = SelectField(_l("Edition"), validators=[_known(_l("Unknown edition: %(value)s."))], validate_choice=False)
    # Narrows the editions: the region an edition runs in (its institutions may come from elsewhere).
    voivodeship = SelectField(
        _l("Region of the edition"), validators=[_known(_l("Unknown voivodeship: %(value)s."))], validate_choice=False
    )
    date_from = DateField(_l("From"), name="from", validators=[Optional()], invalid_value_message=DATE_FORMAT)
    date_to = DateField(_l("To"), name="to", validators=[Optional()], invalid_value_message=DATE_FORMAT)

    def __init__(self, formdata, choices: FilterChoices):
        super().__init__(formdata=formdata)
        self.programme.choices = [("", _("All programmes"))] + [(p.slug, p.title) for p in choices.programmes]
        self.edition.choices = [("", _("All editions"))] + [(str(e.id), e.name) for e in choices.editions]
        self.voivodeship.choices = [("", _("All regions"))] + [
            (v.value, label) for v, label in sorted(choices.voivodeships.items(), key=lambda item: item[1])
        ]
        self.filter_choices = choices

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_("The end of the period cannot be before its start."))

    def filters(self) -> ReportFilters:
        """The validated filters (call after ``validate()``)."""
        programme = next((p for p in self.filter_choices.programmes if p.slug == self.programme.data), None)
        return ReportFilters(
            programme_id=programme.id if programme else None,
            edition_id=int(self.edition.data) if self.edition.data else None,
            voivodeship=Voivodeship(self.voivodeship.data) if self.voivodeship.data else None,
            date_from=self.date_from.data,
            date_to=self.date_to.data,
        )

    def query(self) -> dict[str, str]:
        """The filters as query-string parameters (only those set), for links to the CSV files."""
        values = {
            "programme": self.programme.data,
            "edition": self.edition.data,
            "voivodeship": self.voivodeship.data,
            "from": self.date_from.data.isoformat() if self.date_from.data else "",
            "to": self.date_to.data.isoformat() if self.date_to.data else "",
        }
        return {key: value for key, value in values.items() if value}


def parameter_errors(args, allowed: tuple[str, ...]) -> list[str]:
    """Unknown or repeated query-string parameters, as messages."""
    errors = [_("Unknown filter: %(name)s.", name=name[:80]) for name in args if name not in allowed]
    errors += [
        _("Give %(name)s only once.", name=name) for name in args if name in allowed and len(args.getlist(name)) > 1
    ]
    return errors


def export_errors(args) -> list[str]:
    """The CSV file's own parameters: which table (required) and the separator (a comma by default)."""
    errors = []
    if args.get("table") not in TABLES:
        errors.append(_("Choose a table to export: %(tables)s.", tables=", ".join(TABLES)))
    if args.get("sep", ",") not in SEPARATORS:
        errors.append(_("The separator must be a comma or a semicolon."))
    return errors
