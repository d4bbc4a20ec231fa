"""Keeping left-to-right pieces (phone numbers, codes, postcodes, times, e-mail addresses) readable inside
right-to-left text. Without isolation an Arabic page draws "09 210 10 10" as "10 10 210 09", and a resident
who dials what they read calls a wrong number."""

from markupsafe import Markup, escape

# Unicode "left-to-right isolate" … "pop directional isolate": the plain-text twin of <bdi dir="ltr">.
LRI = "\u2066"
PDI = "\u2069"


def isolate_html(value) -> Markup:
    """`<bdi dir="ltr">value</bdi>`: harmless on a left-to-right page, essential on a right-to-left one."""
    if value is None or value == "":
        return Markup("")
    return Markup('<bdi dir="ltr">%s</bdi>') % escape(value)


def isolate_text(value, rtl: bool) -> str:
    """Isolation marks in plain text (SMS, e-mail), only in right-to-left messages: in Dutch or French an
    SMS stays in the 7-bit alphabet, where one message holds 160 characters instead of 70."""
    if value is None or value == "":
        return ""
    text = str(value)
    return f"{LRI}{text}{PDI}" if rtl else text
