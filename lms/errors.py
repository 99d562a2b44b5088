"""One set of error handlers: JSON for the API, a page in the user's language elsewhere."""

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, HTTPException, SecurityError


class RefusedInput(BadRequest):
    """A 400 whose description is already the message for the user, in their language."""


def _messages() -> dict[int, str]:
    return {
        400: _("The request could not be understood. Check the form and try again."),
        403: _("You do not have permission to open this page."),
        404: _("We could not find this page. It may have been moved, or the address has a typo."),
        405: _("This action is not available at this address."),
        413: _("The file or form is too large."),
        429: _("Too many attempts. Please wait a moment and try again."),
        500: _("Something went wrong on our side. The error has been logged."),
    }


def _respond(error: HTTPException, message: str | None = None):
    code = error.code or 500
    message = message or _messages().get(code) or error.description
    if request.path.startswith("/api/"):
        return jsonify(error={"code": code, "message": message}), code
    return render_template("errors/error.html", code=code, message=message), code


def register(app: Flask) -> None:
    """Install the handlers on ``app``."""

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _respond(error, _("The form has expired or was sent from another page. Reload the page and try again."))

    # A Host header outside TRUSTED_HOSTS: no URL can be built for that host, so no page with links.
    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        message = _("This site is not served at this address.")
        if request.path.startswith("/api/"):
            return jsonify(error={"code": 400, "message": message}), 400
        return message, 400, {"Content-Type": "text/plain; charset=utf-8"}

    # Unhandled exceptions reach this as InternalServerError (Flask logs them first);
    # under TESTING they propagate instead, so a test sees the real traceback.
    @app.errorhandler(HTTPException)
    def http_error(error):
        return _respond(error, error.description if isinstance(error, RefusedInput) else None)
