"""Markdown written by staff (training modules, practice sheets), rendered safely: no HTML passes through."""

from markdown_it import MarkdownIt
from markupsafe import Markup

_markdown = MarkdownIt("commonmark", {"html": False})


def render_markdown(text: str | None) -> Markup:
    return Markup(_markdown.render(text or ""))
