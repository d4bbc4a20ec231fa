"""Template filters over reference data."""

from flask import g

from ..core.i18n import current_locale
from ..extensions import db
from .models import Topic


def topic_label(code: str) -> str:
    """A topic's label in the current locale, by code (read once per request)."""
    if "topic_labels" not in g:
        locale = current_locale()
        g.topic_labels = {t.code: t.label(locale) for t in db.session.scalars(db.select(Topic))}
    return g.topic_labels.get(code, code)


def topic_labels(topics) -> str:
    """The labels of a request's loaded topics in the current locale, comma-separated (no query: a list of
    requests loads their topics with them)."""
    locale = current_locale()
    return ", ".join(topic.label(locale) for topic in topics)


def register(app) -> None:
    app.jinja_env.filters["topic_label"] = topic_label
    app.jinja_env.filters["topic_labels"] = topic_labels
