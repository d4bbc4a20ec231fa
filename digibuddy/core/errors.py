"""Translated error pages: a bad URL, an expired form or a server fault never shows a raw error."""

import logging

from flask import abort, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import HTTPException, InternalServerError

from .forms import strip_nul
from .i18n import gettext as _

log = logging.getLogger(__name__)


def _messages():
    return {
        400: (
            _("Something went wrong with your request"),
            _("The page could not handle what was sent. Please go back and try again."),
        ),
        403: (_("You may not see this page"), _("Your account does not give access to this page.")),
        404: (
            _("Page not found"),
            _("This page does not exist (any more). Check the address or go to the home page."),
        ),
        405: (_("That did not work"), _("This page cannot be used in this way.")),
        429: (
            _("Too many attempts"),
            _("You tried this too often in a short time. Please wait a few minutes and try again."),
        ),
        500: (
            _("Something went wrong on our side"),
            _("We could not finish this. Nothing you entered is lost: please try again later."),
        ),
    }


def render_error(code: int, title: str | None = None, message: str | None = None):
    default_title, default_message = _messages().get(code, _messages()[400 if code < 500 else 500])
    return (
        render_template(
            "errors/error.html", code=code, title=title or default_title, message=message or default_message
        ),
        code,
    )


def register(app):
    @app.url_value_preprocessor
    def refuse_nul_in_urls(_endpoint, values):
        """An edited URL with a NUL character names nothing (PostgreSQL refuses NUL in text): 404."""
        if values and any(isinstance(v, str) and "\x00" in v for v in values.values()):
            abort(404)

    @app.before_request
    def refuse_nul_in_query_strings():
        """The same for ?name=value: nobody types NUL, so it is a bad request, answered with a clear page."""
        if any("\x00" in key or "\x00" in value for key, value in request.args.items(multi=True)):
            abort(400)

    @app.before_request
    def drop_nul_from_posted_forms():
        """Nobody means to type NUL and PostgreSQL refuses it in text: a posted form keeps everything else."""
        if request.method != "GET" and any("\x00" in value for value in request.form.values()):
            request.form = ImmutableMultiDict(
                [(key, strip_nul(value)) for key, value in request.form.items(multi=True)]
            )

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(
            400,
            _("This form has expired"),
            _("For your safety the form could not be sent. Go back, reload the page and try again."),
        )

    @app.errorhandler(HTTPException)
    def http_error(error):
        code = error.code or 500
        return render_error(code)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        if isinstance(error, HTTPException):
            return http_error(error)
        log.exception("Unhandled error on %s %s", request.method, request.path)
        from ..extensions import db

        db.session.rollback()
        if app.testing and app.config.get("PROPAGATE_TEST_ERRORS", True):
            raise error
        return render_error(InternalServerError.code)
