"""Every figure of the dashboards, declared once: its key, title, note, categories and which of an entity's
numbers (numbers.NetworkNumbers) it shows. A coordinator's dashboard, the yearly report, the network dashboard
and every export are laid out from this list (figures.py), in this order."""

from collections.abc import Callable
from dataclasses import dataclass

from babel.dates import format_date
from sqlalchemy import select

from ..core.i18n import current_locale, language_name
from ..core.i18n import gettext as _
from ..core.i18n import lazy_gettext as _l
from ..core.labels import label
from ..extensions import db
from ..outcomes.vocabulary import REFERRAL_ORGANISATIONS, SATISFACTION_LABELS, referral_label
from ..reference.models import TopicGroup
from ..requests.models import AgeBand
from . import queries, stats
from .figures import Average, Count, Counts, Cross, Grid, Hours, Quantile, Summary, View
from .formatting import display
from .numbers import NetworkNumbers

OPEN_ORDER = ("new", "matching", "offered", "escalated", "matched", "scheduled")
SESSION_ORDER = ("done", "resident_no_show", "volunteer_no_show", "cancelled", "planned")
RESULT_ORDER = ("solved", "partly_solved", "referred", "not_solved")
FEEDBACK_CHANNELS = ("link", "phone", "counter")
TOP_LANGUAGES = 10
TOP_REFERRALS = 8
OTHER = "other"


# ----------------------------------------------------------------------------------------------- labels
def age_bucket_labels() -> list[str]:
    return [_("Less than 1 week"), _("1 to 2 weeks"), _("2 to 4 weeks"), _("4 weeks or more")]


def timing_labels() -> dict:
    return {
        "offer": _("Request to first offer"),
        "match": _("Request to a digibuddy found"),
        "session": _("Request to first session"),
    }


def channel_labels() -> dict:
    return {c: label("channel", c) for c in stats.CHANNELS}


def reason_labels() -> dict:
    return {
        "rounds": _("Nobody accepted within the offer rounds"),
        "not_active": _("No active, screened digibuddy"),
        "full": _("The digibuddies were all busy"),
        "language": _("Nobody speaks the language"),
        "mode": _("Nobody helps in the way asked"),
        "distance": _("Nobody lives close enough"),
        "topic": _("Nobody knows the topics"),
        "already_asked": _("Everyone was already asked"),
        "other": _("Other reason"),
    }


def feedback_channel_labels() -> dict:
    return {"link": _("Through the link"), "phone": _("By phone"), "counter": _("At the counter")}


def satisfaction_text(value: int) -> str:
    return f"{value} · {SATISFACTION_LABELS[value]}"


def month_label(month) -> str:
    return format_date(month, "MMM yyyy", locale=current_locale())


def topic_groups() -> list[TopicGroup]:
    return db.session.scalars(select(TopicGroup).order_by(TopicGroup.position)).all()


def language_keys(languages: dict) -> list:
    return stats.top_with_other(languages, TOP_LANGUAGES, OTHER)


def language_label(code) -> str:
    return _("Other languages") if code == OTHER else language_name(code, current_locale())


def referral_counts(referrals: dict, suppress: bool) -> dict:
    """The referrals per organisation. For the central level, an organisation typed in by hand (not one of
    the list) that fewer than 5 outcomes name counts under "Other organisations": its name alone, free text
    written by a digibuddy, could point at someone."""
    if not suppress:
        return referrals
    found: dict = {}
    for key, count in referrals.items():
        key = key if key in REFERRAL_ORGANISATIONS or count >= stats.SMALL_CELL else OTHER
        found[key] = found.get(key, 0) + count
    return found


def referral_keys(referrals: dict) -> list:
    keys = stats.top_with_other(referrals, TOP_REFERRALS, OTHER)
    # "Other organisations" last, also when it holds the typed-in names folded by referral_counts.
    return [k for k in keys if k != OTHER] + ([OTHER] if OTHER in keys else [])


def referral_text(value) -> str:
    return _("Other organisations") if value == OTHER else referral_label(value)


def age_band_keys() -> list:
    return [band.value for band in AgeBand] + [None]


def age_band_label(value) -> str:
    return label("age_band", value) if value else _("Not given")


def _fixed(keys, label_of: Callable) -> Callable:
    """Categories that never change: `keys`, each labelled by label_of(key) in the viewer's language."""

    def categories(_view: View) -> list:
        return [(k, label_of(k)) for k in keys]

    return categories


# ----------------------------------------------------------------------------------------------- cells
def _open_counts(n: NetworkNumbers) -> dict:
    return n.open_matrix


def _timing_cells(n: NetworkNumbers, keys) -> dict:
    found = {}
    for step in keys:
        count, (p50, p90) = n.timings.get(step, (0, [None, None]))
        found[step] = {"count": count, "median": p50, "p90": p90}
    return found


def _topic_group_categories(_view: View) -> list:
    return [(g.id, g.label(current_locale())) for g in topic_groups()]


def _language_categories(view: View) -> list:
    return [(k, language_label(k)) for k in language_keys(view.basis.languages)]


def _referral_categories(view: View) -> list:
    return [
        (k, referral_text(k)) for k in referral_keys(referral_counts(view.basis.referrals, view.suppress))
    ]


def _unmatched_categories(view: View) -> list:
    reasons = reason_labels()
    return [
        (r, reasons[r])
        for r in (*stats.UNMATCHED_REASONS, OTHER)
        if r != OTHER or view.basis.unmatched.get(r)
    ]


def _volunteer_counts(n: NetworkNumbers, _keys) -> dict:
    return {"active": n.active, **n.flow}


def _confidence_counts(n: NetworkNumbers, _keys) -> dict:
    t = n.outcome_totals
    return {"answered": t.confidence_answered, "more_confident": t.more_confident, "follow_up": t.follow_up}


def _satisfaction_average(n: NetworkNumbers) -> tuple:
    counts = n.satisfaction
    return sum(v * c for v, c in counts.items()), sum(counts.values())


def _feedback_channels(n: NetworkNumbers, suppress: bool) -> str:
    """The feedback channels add up to the satisfaction total: protected as one more column with it."""
    channels = feedback_channel_labels()
    total = sum(n.satisfaction.values())
    cells = [[n.satisfaction_channel.get(c, 0)] for c in FEEDBACK_CHANNELS] + [[total]]
    if suppress:
        cells = stats.suppress_matrix(cells, total_row=len(FEEDBACK_CHANNELS))
    by_channel = ", ".join(
        f"{channels[c]}: {display(cells[i][0], 'count')}" for i, c in enumerate(FEEDBACK_CHANNELS)
    )
    return _("Given %(channels)s.", channels=by_channel)


def _month_categories(view: View) -> list:
    return [(index, month_label(month)) for index, month in enumerate(view.months)]


def _month_cells(n: NetworkNumbers, keys) -> dict:
    return {
        i: {
            "requests": n.months_requests.get(i, 0),
            "sessions": n.months_sessions.get(i, 0),
            "hours": (n.months_minutes.get(i, 0), n.months_outcomes.get(i, 0)),
            "feedback": n.months_feedback.get(i, 0),
            "satisfaction": n.months_satisfaction_sum.get(i, 0),
        }
        for i in keys
    }


def _channel_cells(n: NetworkNumbers, keys) -> dict:
    """Per channel: the requests that came in through it (its reach) and the feedback that answered ease and
    trust, with the sums of both answers."""
    found = {c: {"requests": n.channels.get(c, 0), "answers": 0, "ease": 0, "trust": 0} for c in keys}
    for (channel, _month, measure), value in n.channel_answers.items():
        if channel in found:
            found[channel][measure] += value
    return found


@dataclass(frozen=True)
class _OfChannel:
    """A measure's heading that names its channel ("Click (online): ease of use (1-4)"), in the viewer's
    language when shown."""

    channel: str
    measure: object

    def __str__(self) -> str:
        return _("%(channel)s: %(measure)s", channel=channel_labels()[self.channel], measure=self.measure)


def _channel_month_measures() -> tuple:
    measures = []
    for c in stats.CHANNELS:
        measures += [
            Count(f"{c}_requests", _OfChannel(c, _l("requests"))),
            Count(f"{c}_answers", _OfChannel(c, _l("answers"))),
            Average(f"{c}_ease", _OfChannel(c, _l("ease of use (1-4)")), of=f"{c}_answers"),
            Average(f"{c}_trust", _OfChannel(c, _l("trust (1-4)")), of=f"{c}_answers"),
        ]
    return tuple(measures)


def _channel_month_cells(n: NetworkNumbers, keys) -> dict:
    found = {
        i: {f"{c}_{m}": 0 for c in stats.CHANNELS for m in ("requests", "answers", "ease", "trust")}
        for i in keys
    }
    for (channel, month), value in n.channel_months.items():
        if month in found and channel in stats.CHANNELS:
            found[month][f"{channel}_requests"] += value
    for (channel, month, measure), value in n.channel_answers.items():
        if month in found and channel in stats.CHANNELS:
            found[month][f"{channel}_{measure}"] += value
    return found


def _duration_note():
    return _l(
        "Median: half of the requests waited less, half longer. 90th percentile: 9 in 10 requests "
        "waited less than this."
    )


# ----------------------------------------------------------------------------------------------- the figures
FIGURES = (
    Cross(
        key="open",
        title=_l("Open requests today, by status and age"),
        note=_l("The queue as it is now, whatever the dates chosen. Age: days since the request came in."),
        row_header=_l("Status"),
        categories=_fixed(OPEN_ORDER, lambda s: label("request_status", s)),
        columns=lambda _view: list(enumerate(age_bucket_labels())),
        counts=_open_counts,
        by_rows=("open", _l("Open requests today, by status")),
        by_columns=("open_age", _l("Open requests today, by age")),
    ),
    Grid(
        key="timings",
        title=_l("Waiting times for requests that came in during this period"),
        note=_duration_note(),
        row_header=_l("From … to …"),
        chart=None,
        categories=_fixed(queries.TIMINGS, lambda k: timing_labels()[k]),
        measures=(
            Count("count", _l("Requests")),
            Quantile("median", _l("Median"), of="count"),
            Quantile("p90", _l("90th percentile"), of="count"),
        ),
        cells=_timing_cells,
    ),
    Counts(
        key="channel",
        title=_l("Requests by channel"),
        row_header=_l("Channel"),
        categories=_fixed(stats.CHANNELS, lambda k: channel_labels()[k]),
        counts=lambda n, _keys: n.channels,
    ),
    Counts(
        key="topic_group",
        title=_l("Requests by topic group"),
        note=_l("A request about topics of several groups counts in each of them."),
        row_header=_l("Topic group"),
        total=False,
        categories=_topic_group_categories,
        counts=lambda n, _keys: n.topic_groups,
    ),
    Counts(
        key="language",
        title=_l("Requests by language"),
        note=_l("A request counts once for every language the resident asked help in."),
        row_header=_l("Language"),
        total=False,
        categories=_language_categories,
        counts=lambda n, keys: stats.fold_other(n.languages, keys, OTHER),
    ),
    Counts(
        key="age_band",
        title=_l("Requests by age of the resident"),
        row_header=_l("Age"),
        categories=_fixed(age_band_keys(), age_band_label),
        counts=lambda n, _keys: n.age_bands,
    ),
    Counts(
        key="sessions",
        title=_l("Sessions and volunteer hours"),
        note=_l(
            "Sessions that started in this period. Volunteer hours: the minutes the digibuddies recorded "
            "with the outcome."
        ),
        row_header=_l("Session"),
        value_label=_l("Sessions"),
        share=False,
        categories=_fixed(SESSION_ORDER, lambda s: label("session_status", s)),
        counts=lambda n, _keys: n.session_status,
        summaries=(
            Summary(
                "hours",
                _l("Volunteer hours"),
                "hours",
                lambda n: (n.outcome_totals.minutes, n.outcome_totals.outcomes),
            ),
        ),
    ),
    Counts(
        key="outcomes",
        title=_l("Outcomes of sessions"),
        row_header=_l("Result"),
        categories=_fixed(RESULT_ORDER, lambda r: label("outcome_result", r)),
        counts=lambda n, _keys: n.results,
    ),
    Counts(
        key="confidence",
        title=_l("Confidence of residents and follow-ups"),
        note=_l(
            "Asked in plain words before and after a session: how sure the resident feels about doing it "
            "alone, from 1 (not sure at all) to 5 (very sure)."
        ),
        row_header=_l("Measure"),
        value_label=_l("Value"),
        total=False,
        chart=None,
        categories=_fixed(
            ("answered", "more_confident", "follow_up"),
            lambda k: {
                "answered": _("Residents who answered both confidence questions"),
                "more_confident": _("Felt more confident afterwards"),
                "follow_up": _("Outcomes that needed a follow-up"),
            }[k],
        ),
        counts=_confidence_counts,
        summaries=(
            Summary(
                "before",
                _l("Average confidence before (1-5)"),
                "decimal",
                lambda n: (n.outcome_totals.confidence_before, n.outcome_totals.confidence_answered),
                depends=("answered",),
            ),
            Summary(
                "after",
                _l("Average confidence after (1-5)"),
                "decimal",
                lambda n: (n.outcome_totals.confidence_after, n.outcome_totals.confidence_answered),
                depends=("answered",),
            ),
        ),
    ),
    Counts(
        key="referrals",
        title=_l("Referrals, by organisation"),
        row_header=_l("Organisation"),
        categories=_referral_categories,
        counts=lambda n, keys: stats.fold_other(n.referrals, keys, OTHER),
    ),
    Counts(
        key="satisfaction",
        title=_l("Satisfaction of residents"),
        note=_l("Feedback given in this period, through the link, by phone or at the counter."),
        row_header=_l("Answer"),
        categories=lambda _view: [(v, satisfaction_text(v)) for v in (5, 4, 3, 2, 1)],
        counts=lambda n, _keys: n.satisfaction,
        summaries=(Summary("average", _l("Average (1-5)"), "decimal", _satisfaction_average),),
        detail=_feedback_channels,
    ),
    Grid(
        key="channel_quality",
        title=_l("Reach, ease of use and trust per channel"),
        note=_l(
            "Reach: the requests that came in through each channel in this period. Ease of use and trust: "
            "the feedback of this period, by the channel the resident asked help through. Residents answer "
            "from 1 (very hard; no trust at all) to 4 (very easy; complete trust)."
        ),
        row_header=_l("Channel"),
        chart="bar",
        chart_measures=("ease",),
        total=True,
        categories=_fixed(stats.CHANNELS, lambda k: channel_labels()[k]),
        measures=(
            Count("requests", _l("Requests (reach)")),
            Count("answers", _l("Answers about ease and trust")),
            Average("ease", _l("Ease of use (1-4)"), of="answers"),
            Average("trust", _l("Trust (1-4)"), of="answers"),
        ),
        cells=_channel_cells,
    ),
    Counts(
        key="volunteers",
        title=_l("Digibuddies"),
        note=_l(
            "The whole network counts each digibuddy once, also one who helps in several local networks."
        ),
        row_header=_l("Digibuddies"),
        total=False,
        chart=None,
        categories=_fixed(
            ("active", "new", "left", "active_status"),
            lambda k: {
                "active": _("Helped in at least one session"),
                "new": _("New (applied in this period)"),
                "left": _("Left in this period"),
                "active_status": _("Active today"),
            }[k],
        ),
        counts=_volunteer_counts,
    ),
    Counts(
        key="unmatched",
        title=_l("Why requests could not be matched"),
        note=_l(
            "Requests of this period for which no digibuddy was found, by the reason that ruled out the "
            "most digibuddies."
        ),
        row_header=_l("Main reason"),
        categories=_unmatched_categories,
        counts=lambda n, _keys: n.unmatched,
    ),
    Counts(
        key="events",
        title=_l("Learning-network events"),
        note=_l(
            "Events that took place in this period. A network counts the events it organised and the places "
            "its people took (also at the knowledge centre's events); the whole network counts every event. "
            "Attendance as the organiser recorded it."
        ),
        row_header=_l("Events"),
        total=False,
        chart=None,
        categories=_fixed(
            ("held", "registrations", "attended", "absent"),
            lambda k: {
                "held": _("Events held"),
                "registrations": _("Registrations with a place"),
                "attended": _("Attended"),
                "absent": _("Absent"),
            }[k],
        ),
        counts=lambda n, _keys: n.events,
    ),
    Grid(
        key="trend",
        title=_l("Month by month"),
        network_title=_l("Whole network, month by month"),
        row_header=_l("Month"),
        chart="line",
        chart_measures=("requests", "sessions"),
        total=True,
        whole_only=True,
        categories=_month_categories,
        measures=(
            Count("requests", _l("New requests")),
            Count("sessions", _l("Sessions held")),
            Hours("hours", _l("Volunteer hours")),
            Count("feedback", _l("Feedback")),
            Average("satisfaction", _l("Average satisfaction (1-5)"), of="feedback"),
        ),
        cells=_month_cells,
    ),
    Grid(
        key="channel_trend",
        title=_l("Reach, ease of use and trust per channel, month by month"),
        network_title=_l("Whole network: reach, ease of use and trust per channel, month by month"),
        note=_l(
            "Ease of use and trust from 1 (very hard; no trust at all) to 4 (very easy; complete trust)."
        ),
        row_header=_l("Month"),
        chart="line",
        chart_measures=tuple(f"{c}_ease" for c in stats.CHANNELS),
        total=True,
        whole_only=True,
        categories=_month_categories,
        measures=_channel_month_measures(),
        cells=_channel_month_cells,
    ),
)
