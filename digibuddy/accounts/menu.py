"""The logged-in menu (templates/_staff_menu.html): some thirty links and labels that depend only on the
page's language, the user's roles and whether they have a volunteer profile or any membership. Every staff
page rendered it anew (~0.4 ms of the ~2.4 ms a page that shows almost nothing costs); it is rendered once
per such combination and kept per application. The log-out form, which carries the visitor's CSRF token,
stays in the layout."""

from flask import current_app, render_template, request
from flask_login import current_user
from markupsafe import Markup

from ..core.i18n import current_locale
from .models import Role

# Only what this key holds may decide what the menu shows.
MENU_ROLES = (Role.COORDINATOR, Role.COUNTER, Role.VOLUNTEER)


def menu_key(user) -> tuple:
    return (
        current_locale(),
        request.script_root,
        bool(user.is_admin),
        tuple(user.has_role(role) for role in MENU_ROLES),
        user.volunteer_profile is not None,
        bool(user.memberships),
    )


def staff_menu() -> Markup:
    """The menu's items for the logged-in user, from memory after the first page with the same key."""
    kept = current_app.extensions.setdefault("digibuddy_staff_menu", {})
    key = menu_key(current_user)
    found = kept.get(key)
    if found is None:
        found = kept[key] = Markup(render_template("_staff_menu.html"))
    return found
