"""Template globals: locale and direction, the language switcher, formatting in Europe/Brussels."""

from flask import request
from flask_babel import format_date, format_datetime, format_decimal, format_number, format_time
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup

from . import i18n
from .bidi import isolate_html, isolate_text
from .csrf import csrf_token
from .forms import first_input_id, has_errors
from .labels import label, weekday_name
from .phones import dial_uri, display_phone
from .urls import external_url


@pass_eval_context
def ltr(eval_ctx, value):
    """Isolate a phone number, code, postcode, time or e-mail address as left-to-right: `<bdi dir="ltr">`
    in HTML, Unicode isolation marks in a right-to-left plain-text message (SMS, e-mail)."""
    if eval_ctx.autoescape:
        return isolate_html(value)
    return isolate_text(value, rtl=i18n.text_direction(i18n.current_locale()) == "rtl")


@pass_eval_context
def phone(eval_ctx, value):
    """A stored (E.164) number in the national format, isolated left-to-right."""
    return ltr(eval_ctx, display_phone(value))


def phone_link(value):
    """The number as a link that dials it from a phone."""
    if not value:
        return ""
    uri = dial_uri(value)
    shown = isolate_html(display_phone(value))
    return Markup('<a href="%s">%s</a>') % (uri, shown) if uri else shown


def register(app):
    @app.before_request
    def _remember_locale():
        i18n.remember_requested_locale()

    @app.context_processor
    def _globals():
        locale = i18n.current_locale()
        return {
            "current_locale": locale,
            "text_direction": i18n.text_direction(locale),
            "language_switcher": i18n.switcher_links(i18n.allowed_locales()) if request else [],
            "language_name": lambda code: i18n.language_name(code, locale),
            "current_user": current_user,
            "csrf_token": csrf_token,  # signed once per session token (core/csrf.py)
        }

    # Plain functions are globals, so imported macros can use them too.
    app.jinja_env.globals.update(
        label=label,
        weekday_name=weekday_name,
        native_language_name=i18n.native_language_name,
        external_url=external_url,
        first_input_id=first_input_id,
        has_errors=has_errors,
        csrf_token=csrf_token,
    )
    app.jinja_env.filters["date"] = lambda value, fmt="medium": format_date(value, fmt) if value else ""
    app.jinja_env.filters["datetime"] = lambda value, fmt="medium": (
        format_datetime(value, fmt) if value else ""
    )
    app.jinja_env.filters["decimal"] = lambda value, fmt="#,##0.0": (
        format_decimal(value, fmt) if value is not None else ""
    )
    app.jinja_env.filters["number"] = format_number  # a whole number in the viewer's language
    app.jinja_env.filters["when"] = i18n.friendly_datetime
    app.jinja_env.filters["time"] = lambda value, fmt="short": format_time(value, fmt) if value else ""
    app.jinja_env.filters["ltr"] = ltr
    app.jinja_env.filters["phone"] = phone
    app.jinja_env.filters["phone_link"] = phone_link
    app.jinja_env.filters["language_name"] = lambda code: i18n.language_name(code, i18n.current_locale())
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True
