"""Translated, plain-language labels for every stored status and choice."""

from flask import has_app_context

from .i18n import current_locale
from .i18n import lazy_gettext as _l

LABELS = {
    "request_status": {
        "new": _l("New"),
        "matching": _l("Looking for a digibuddy"),
        "offered": _l("Offered to a digibuddy"),
        "matched": _l("Digibuddy found"),
        "scheduled": _l("Appointment planned"),
        "completed": _l("Completed"),
        "unresolved": _l("Could not be solved"),
        "cancelled": _l("Cancelled"),
        "expired": _l("Expired"),
        "escalated": _l("Needs the coordinator"),
    },
    "volunteer_status": {
        "applied": _l("Applied"),
        "vetting": _l("Being vetted"),
        "active": _l("Active"),
        "paused": _l("Paused"),
        "suspended": _l("Suspended"),
        "left": _l("Left"),
    },
    "role": {
        "volunteer": _l("Digibuddy"),
        "counter": _l("Counter staff"),
        "coordinator": _l("Local coordinator"),
    },
    "intake_channel": {
        "online": _l("Online"),
        "phone": _l("By phone"),
        "counter": _l("At the counter"),
        "outreach": _l("Home visit (outreach)"),
    },
    # The four channels of the Flemish digital-inclusion policy (click, call, face, home).
    "channel": {
        "click": _l("Click (online)"),
        "call": _l("Call (by phone)"),
        "face": _l("Face (at a counter)"),
        "home": _l("Home (home visit through outreach)"),
    },
    "help_mode": {
        "location": _l("At a location"),
        "home": _l("At home"),
        "phone": _l("By phone"),
        "video": _l("By video call"),
    },
    "location_kind": {
        "library": _l("Library"),
        "town_hall": _l("Town hall"),
        "service_centre": _l("Local service centre"),
        "computer_room": _l("Public computer room"),
        "community_centre": _l("Community centre"),
        "other": _l("Other"),
    },
    "session_status": {
        "planned": _l("Planned"),
        "done": _l("Done"),
        "resident_no_show": _l("Resident did not come"),
        "volunteer_no_show": _l("Digibuddy did not come"),
        "cancelled": _l("Cancelled"),
    },
    "offer_status": {
        "pending": _l("Waiting for an answer"),
        "accepted": _l("Accepted"),
        "declined": _l("Declined"),
        "expired": _l("Expired"),
        "withdrawn": _l("Withdrawn"),
    },
    "outcome_result": {
        "solved": _l("Solved"),
        "partly_solved": _l("Partly solved"),
        "referred": _l("Referred"),
        "not_solved": _l("Not solved"),
    },
    "message_channel": {"email": _l("E-mail"), "sms": _l("Text message")},
    # What a line of a request's event log says happened (status changes have their own sentence).
    "request_event": {
        "created": _l("Request registered"),
        "declined": _l("A digibuddy said no"),
        "feedback": _l("Feedback from the resident"),
        "offer": _l("Offered to a digibuddy"),
        "offer_expired": _l("An offer was not answered in time"),
        "offer_withdrawn": _l("Offer withdrawn: the digibuddy no longer has access"),
        "volunteer_stopped": _l("The digibuddy no longer has access: looking for another digibuddy"),
        "offered_anyway": _l("Offered anyway"),
        "outcome": _l("Outcome recorded"),
        "planning_question": _l("The digibuddy asks the coordinator to plan"),
        "resident_merged": _l("Merged with another record of the same resident"),
        "resident_recognised": _l("The resident was recognised from an earlier request"),
        "session_cancelled": _l("Session cancelled"),
        "session_moved": _l("Session moved"),
        "session_not_held": _l("Session did not take place"),
        "session_planned": _l("Session planned"),
        "resident_reply": _l("The resident answered by SMS"),
        "resident_confirmed": _l("The resident confirmed the appointment"),
        "resident_asked_to_move": _l("The resident asks to move the appointment"),
        "messages_stopped": _l("The resident wants no more messages"),
        "messages_resumed": _l("The resident wants messages again"),
        "request_changed": _l("The request was changed"),
    },
    # What a coordinator changed in a request (the note of its "request_changed" event).
    "request_part": {
        "topics": _l("what they want help with"),
        "mode": _l("how they get help"),
        "address": _l("the address"),
        "languages": _l("the languages"),
        "times": _l("when they are free"),
        "description": _l("the description"),
        "deadline": _l("the date by which it must be done"),
    },
    "message_status": {
        "pending": _l("Waiting to be sent"),
        "sending": _l("Being sent"),
        "sent": _l("Sent"),
        "failed": _l("Could not be sent"),
    },
    "language_level": {"native": _l("Native"), "fluent": _l("Fluent"), "basic": _l("Basic")},
    "topic_level": {"can_explain": _l("Can explain"), "experienced": _l("Experienced")},
    "vetting_item": {
        "identity": _l("Identity checked"),
        "criminal_record": _l("Extract from the criminal record (model 2) seen"),
        "charter": _l("Volunteer charter signed"),
        "training": _l("Required training done"),
    },
    "training_audience": {
        "volunteer": _l("Digibuddies"),
        "counter": _l("Counter staff"),
        "coordinator": _l("Coordinators"),
    },
    "volunteer_channel": {
        "home": _l("Home visits"),
        "location": _l("Duty at a location"),
        "phone": _l("By phone"),
        "video": _l("By video call"),
    },
    "day_part": {"morning": _l("Morning"), "afternoon": _l("Afternoon"), "evening": _l("Evening")},
    "age_band": {
        "under_30": _l("Under 30"),
        "30_54": _l("30 to 54"),
        "55_64": _l("55 to 64"),
        "65_74": _l("65 to 74"),
        "75_plus": _l("75 or older"),
    },
    "recurrence": {
        "weekly": _l("Every week"),
        "biweekly": _l("Every two weeks"),
        "monthly": _l("Every month"),
    },
    "week_of_month": {
        1: _l("The first"),
        2: _l("The second"),
        3: _l("The third"),
        4: _l("The fourth"),
        -1: _l("The last"),
    },
    "booking_kind": {"booked": _l("Booked"), "walk_in": _l("Walked in")},
    "wait_end": {
        "promoted": _l("Got a place"),
        "left": _l("Left the waiting list"),
        "expired": _l("No place became free"),
        "cancelled": _l("Date cancelled"),
    },
    "data_ask_kind": {"export": _l("See all data"), "erase": _l("Erase all data")},
    "data_ask_status": {"open": _l("To do"), "done": _l("Done")},
}


# (locale, kind, key) -> the label translated: the catalogues do not change while the process runs, and a
# table of requests asks for the same few labels on every row (a lazy string is translated anew each time).
_TRANSLATED: dict[tuple, str] = {}


def label(kind: str, value) -> str:
    if value is None:
        return ""
    key = getattr(value, "value", value)
    found = LABELS.get(kind, {}).get(key)
    if found is None:
        return str(key)
    if not has_app_context():  # no catalogue outside the application: the untranslated text, never kept
        return str(found)
    cache_key = (current_locale(), kind, key)
    text = _TRANSLATED.get(cache_key)
    if text is None:
        text = _TRANSLATED[cache_key] = str(found)
    return text


def weekday_name(weekday: int, width: str = "wide") -> str:
    """The weekday's name in the current locale (0 = Monday), from Babel."""
    from babel.dates import get_day_names

    return get_day_names(width, locale=current_locale())[int(weekday)]
