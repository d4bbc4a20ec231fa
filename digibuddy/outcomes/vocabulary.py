"""The words of outcomes and feedback: where residents are referred to, the satisfaction faces, how
feedback was given. One place for the forms, the pages and the figures that show them."""

from ..core.i18n import lazy_gettext as _l

# Where volunteers most often refer residents to; anything else is typed in as "other".
REFERRAL_ORGANISATIONS = {
    "social_services": _l("Social services (OCMW / Sociaal Huis)"),
    "caw": _l("CAW (general welfare work)"),
    "bank": _l("A bank"),
    "tax_office": _l("The tax office (FOD Financiën)"),
    "health_insurance": _l("A health insurance fund"),
    "pension_service": _l("The pension service"),
    "vdab": _l("VDAB (employment service)"),
    "municipality": _l("The municipality or town hall"),
}
OTHER = "other"

SATISFACTION_LABELS = {
    1: _l("Very unhappy"),
    2: _l("Unhappy"),
    3: _l("So-so"),
    4: _l("Happy"),
    5: _l("Very happy"),
}

# How easy it was to get help this way (the channel the resident asked through), in four answers.
EASE_LABELS = {
    1: _l("Very hard"),
    2: _l("Rather hard"),
    3: _l("Rather easy"),
    4: _l("Very easy"),
}

# How much the resident trusts this help, in four answers.
TRUST_LABELS = {
    1: _l("Not at all"),
    2: _l("A little"),
    3: _l("Quite a lot"),
    4: _l("Completely"),
}

FEEDBACK_CHANNEL_LABELS = {
    "link": _l("Through the link"),
    "phone": _l("By phone"),
    "counter": _l("At the counter"),
}


def referral_label(value: str | None) -> str:
    """A known organisation's name in the viewer's language; anything typed in is shown as typed."""
    if not value:
        return ""
    known = REFERRAL_ORGANISATIONS.get(value)
    return str(known) if known is not None else value


def satisfaction_label(value) -> str:
    found = SATISFACTION_LABELS.get(int(value)) if value is not None else None
    return str(found) if found is not None else ""


def ease_label(value) -> str:
    found = EASE_LABELS.get(int(value)) if value is not None else None
    return str(found) if found is not None else ""


def trust_label(value) -> str:
    found = TRUST_LABELS.get(int(value)) if value is not None else None
    return str(found) if found is not None else ""


def feedback_channel_label(value) -> str:
    key = getattr(value, "value", value)
    found = FEEDBACK_CHANNEL_LABELS.get(key)
    return str(found) if found is not None else (key or "")
