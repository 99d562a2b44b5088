"""Personal data on pages: the trainer's note that a learner confirmed found data may stay."""

from flask import Blueprint

from lms.privacy import services

blueprint = Blueprint("privacy", __name__)


@blueprint.app_template_global()
def personal_data_confirmation(attempt_id: int) -> tuple[str, str] | None:
    """(what was found, the learner's reason) for an attempt whose author confirmed found data, else None."""
    confirmation = services.confirmation_for(attempt_id)
    return services.describe(confirmation) if confirmation else None


@blueprint.app_template_global()
def person_erased(user_id: int) -> bool:
    return services.was_erased(user_id)
