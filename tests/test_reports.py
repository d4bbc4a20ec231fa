"""Dashboards, exports and the yearly report, used as a coordinator and the central administrator would.

A small fixed data set (two local networks, requests in March and April 2025 with known times, offers,
events, sessions, outcomes, feedback and volunteers) is built once per test, and every figure of the
local and the network dashboard is checked against values computed by hand in the comments below.
The pure arithmetic of stats.py is tested directly at the end of the file."""

from datetime import date, timedelta

import pytest

from digibuddy.accounts.models import Membership, Role
from digibuddy.core.db import utcnow
from digibuddy.core.time import to_local
from digibuddy.extensions import db
from digibuddy.matching.models import OfferStatus
from digibuddy.outcomes.models import FeedbackChannel
from digibuddy.reports import stats
from digibuddy.reports.stats import HIDDEN, SUPPRESSED
from digibuddy.requests.models import AgeBand, IntakeChannel, RequestStatus
from digibuddy.scheduling.models import SessionStatus
from digibuddy.volunteers.models import VolunteerStatus
from tests import reports_helpers as rh
from tests.conftest import text
from tests.factories import make_admin, make_user
from tests.reports_helpers import page_tables, read_csv, read_workbook, sheet_rows, utc

RANGE = "from=2025-03-01&to=2025-04-30"
ONLINE, PHONE, COUNTER, OUTREACH = (
    IntakeChannel.ONLINE,
    IntakeChannel.PHONE,
    IntakeChannel.COUNTER,
    IntakeChannel.OUTREACH,
)
DONE, PLANNED, CANCELLED = SessionStatus.DONE, SessionStatus.PLANNED, SessionStatus.CANCELLED
S = RequestStatus


# ----------------------------------------------------------------------------------------------- the data set
@pytest.fixture
def dataset(app):
    """Two networks. Times are naive UTC; Brussels is UTC+1 until 30 March 2025, UTC+2 from then on. The
    range 2025-03-01 .. 2025-04-30 (Brussels) is [2025-02-28 23:00, 2025-04-30 22:00) in UTC, and April
    starts at 2025-03-31 22:00 UTC."""
    gent = rh.network("Digibuddy Gent", "gent", "9000")
    mechelen = rh.network("Digibuddy Mechelen", "mechelen", "2800")
    now = utcnow()

    # Volunteers of Gent. New in the range: V2, V4, V7; left in the range: V3 (V5 left before it);
    # active today: V1, V2, V7. V7 is also a volunteer of Mechelen.
    v1 = rh.volunteer(gent, created=utc("2024-06-01 10:00"))
    v2 = rh.volunteer(gent, created=utc("2025-03-15 10:00"))
    rh.volunteer(
        gent, created=utc("2024-01-01 10:00"), status=VolunteerStatus.LEFT, changed=utc("2025-04-10 10:00")
    )
    rh.volunteer(gent, created=utc("2025-04-29 10:00"), status=VolunteerStatus.APPLIED)
    rh.volunteer(
        gent, created=utc("2023-05-01 10:00"), status=VolunteerStatus.LEFT, changed=utc("2025-02-01 10:00")
    )
    rh.volunteer(gent, created=utc("2025-02-20 10:00"), status=VolunteerStatus.PAUSED)
    v7 = rh.volunteer(gent, created=utc("2025-04-05 10:00"), also=[mechelen])
    # Volunteers of Mechelen: V8 active; V9 left in the range; V10 applied in the range (and V7).
    v8 = rh.volunteer(mechelen, created=utc("2024-09-01 10:00"))
    rh.volunteer(
        mechelen,
        created=utc("2024-02-01 10:00"),
        status=VolunteerStatus.LEFT,
        changed=utc("2025-03-20 10:00"),
    )
    rh.volunteer(mechelen, created=utc("2025-03-02 10:00"), status=VolunteerStatus.APPLIED)

    # ---- Gent: R0 came in just before the range (23:59 in Brussels on 28 February), R1-R9 in it.
    r0 = rh.request_at(gent, utc("2025-02-28 22:59"))
    rh.session_at(r0, v1, utc("2025-03-02 10:00"), result="solved", minutes=30, before=4, after=5)
    rh.feedback(r0, utc("2025-03-05 10:00"), 2, ease=3, trust=4)

    r1 = rh.request_at(gent, utc("2025-03-03 09:00"), age_band=AgeBand.FROM_65_TO_74)
    rh.offer(r1, v1, utc("2025-03-03 11:00"), OfferStatus.ACCEPTED)  # +2 h
    rh.event(r1, utc("2025-03-04 09:00"), S.MATCHED)  # +1 day
    rh.event(r1, utc("2025-03-04 10:00"), S.SCHEDULED, from_status=S.MATCHED)  # not a match
    rh.session_at(r1, v1, utc("2025-03-08 09:00"), SessionStatus.VOLUNTEER_NO_SHOW)  # +5 days: first
    rh.session_at(r1, v1, utc("2025-03-10 09:00"), result="solved", minutes=60, before=2, after=4)
    rh.feedback(r1, utc("2025-03-12 10:00"), 5, ease=4, trust=4)

    r2 = rh.request_at(
        gent,
        utc("2025-03-05 10:00"),
        status=S.SCHEDULED,
        languages=("nl", "ar"),
        topics=("itsme-install", "gov-tax-on-web"),
        age_band=AgeBand.FROM_75,
    )
    rh.offer(r2, v1, utc("2025-03-05 14:00"), OfferStatus.ACCEPTED)  # +4 h
    rh.event(r2, utc("2025-03-07 10:00"), S.MATCHED)  # +2 days
    rh.session_at(
        r2, v1, utc("2025-03-14 10:00"), result="partly_solved", minutes=90, before=3, after=3, follow_up=True
    )  # +9 days
    rh.session_at(r2, v1, utc("2025-04-28 10:00"), PLANNED)
    rh.feedback(r2, utc("2025-03-20 12:00"), 4, FeedbackChannel.PHONE, ease=2, trust=3)

    r3 = rh.request_at(
        gent,
        utc("2025-03-10 08:00"),
        channel=PHONE,
        languages=("fr",),
        topics=("banking-app",),
        age_band=AgeBand.FROM_55_TO_64,
    )
    rh.offer(r3, v1, utc("2025-03-10 09:00"))  # +1 h: first
    rh.offer(r3, v2, utc("2025-03-11 08:00"), OfferStatus.ACCEPTED)
    rh.event(r3, utc("2025-03-13 08:00"), S.MATCHED)  # +3 days
    rh.event(r3, utc("2025-03-18 08:00"), S.MATCHED, from_status=S.SCHEDULED)  # later: not the first
    rh.session_at(r3, v2, utc("2025-03-15 08:00"), CANCELLED)  # cancelled: not counted
    rh.session_at(
        r3, v2, utc("2025-03-20 08:00"), result="referred", referred_to="bank", minutes=30, before=1, after=2
    )  # +10 days
    rh.feedback(r3, utc("2025-04-02 09:00"), 3, FeedbackChannel.COUNTER, ease=3, trust=1)

    # 00:30 on 1 April in Brussels: an April request.
    r4 = rh.request_at(
        gent, utc("2025-03-31 22:30"), channel=COUNTER, status=S.UNRESOLVED, topics=("safety-phishing",)
    )
    rh.offer(r4, v7, utc("2025-03-31 23:00"), OfferStatus.ACCEPTED)  # +30 min
    rh.event(r4, utc("2025-04-05 22:30"), S.MATCHED)  # +5 days
    rh.session_at(r4, v7, utc("2025-04-09 22:30"), SessionStatus.RESIDENT_NO_SHOW)  # +9 days: first
    rh.session_at(r4, v7, utc("2025-04-15 07:00"), result="not_solved", minutes=50, before=2, follow_up=True)

    rh.request_at(
        gent,
        utc("2025-04-08 12:00"),
        channel=OUTREACH,
        status=S.ESCALATED,
        languages=("tr",),
        topics=("email-account",),
        age_band=AgeBand.FROM_30_TO_54,
        escalation_reasons={"language": 3, "distance": 2},
    )  # R5: language
    r6 = rh.request_at(
        gent,
        utc("2025-04-20 15:00"),
        status=S.OFFERED,
        topics=("smartphone-basics",),
        age_band=AgeBand.FROM_65_TO_74,
    )
    rh.offer(r6, v2, utc("2025-04-20 21:00"), OfferStatus.PENDING)  # +6 h
    r7 = rh.request_at(
        gent,
        utc("2025-04-22 10:00"),
        status=S.ESCALATED,
        languages=("ar",),
        topics=("video-whatsapp",),
        age_band=AgeBand.FROM_75,
        escalation_reasons={"rounds": 2, "full": 5},
    )  # rounds
    rh.offer(r7, v1, utc("2025-04-22 22:00"), OfferStatus.EXPIRED)  # +12 h
    # R8 was escalated, then a coordinator assigned a digibuddy: the matching engine clears the reasons.
    r8 = rh.request_at(
        gent,
        utc("2025-04-25 09:00"),
        channel=PHONE,
        status=S.SCHEDULED,
        age_band=AgeBand.FROM_65_TO_74,
        escalation_reasons={"topic": 4},
    )
    r8.escalation_reasons = None
    db.session.commit()
    rh.offer(r8, v1, utc("2025-04-26 09:00"), OfferStatus.ACCEPTED)  # +1 day
    rh.event(r8, utc("2025-04-27 09:00"), S.MATCHED, from_status=S.ESCALATED)  # +2 days
    rh.session_at(r8, v1, utc("2025-05-07 09:00"), PLANNED)  # +12 days, after the range
    rh.request_at(
        gent,
        utc("2025-04-28 10:00"),
        status=S.CANCELLED,
        topics=("itsme-install", "itsme-new-phone"),
        age_band=AgeBand.FROM_55_TO_64,
        escalation_reasons={"topic": 2, "mode": 2},
    )  # R9: tie -> mode

    # ---- Gent's queue today (far after the range): ages just inside and outside the bucket limits.
    rh.request_at(gent, now - timedelta(days=7) + timedelta(minutes=10), status=S.NEW)  # < 1 week
    rh.request_at(gent, now - timedelta(days=7) - timedelta(minutes=10), status=S.MATCHING)  # 1-2 weeks
    rh.request_at(gent, now - timedelta(days=30) + timedelta(minutes=10), status=S.NEW)  # 2-4 weeks
    done_today = rh.request_at(gent, now - timedelta(days=1), status=S.COMPLETED)  # not open
    rh.feedback(done_today, now - timedelta(hours=1), 1, ease=1, trust=1)  # after the range

    # ---- Mechelen: B1-B5 online, offered, matched, helped once (done) and rated; B6, B7 escalated.
    # created, language, topic, age band, hours to the offer, days to the match, the session, its helper
    b = [
        (
            "2025-03-04 10:00",
            "nl",
            "itsme-install",
            AgeBand.FROM_75,
            1,
            1,
            "2025-03-11 10:00",
            v8,
            {"result": "solved", "minutes": 40, "before": 2, "after": 3},
            (5, FeedbackChannel.LINK, "2025-03-15 10:00", 4, 4),
        ),
        (
            "2025-03-06 10:00",
            "nl",
            "banking-app",
            AgeBand.FROM_65_TO_74,
            2,
            2,
            "2025-03-12 10:00",
            v7,
            {"result": "solved", "minutes": 60, "before": 3, "after": 4},
            (5, FeedbackChannel.PHONE, "2025-03-18 10:00", 3, 4),
        ),
        (
            "2025-03-18 10:00",
            "nl",
            "itsme-install",
            AgeBand.FROM_65_TO_74,
            3,
            1,
            "2025-03-25 10:00",
            v8,
            {
                "result": "referred",
                "referred_to": "social_services",
                "minutes": 30,
                "before": 2,
                "after": 2,
                "follow_up": True,
            },
            (4, FeedbackChannel.LINK, "2025-03-28 10:00", 4, 3),
        ),
        (
            "2025-04-03 10:00",
            "fr",
            "gov-tax-on-web",
            AgeBand.FROM_75,
            1,
            3,
            "2025-04-10 08:00",
            v8,
            {"result": "solved", "minutes": 30, "before": 1, "after": 3},
            (5, FeedbackChannel.LINK, "2025-04-12 10:00", 2, 3),
        ),
        (
            "2025-04-10 10:00",
            "nl",
            "email-account",
            AgeBand.FROM_55_TO_64,
            5,
            2,
            "2025-04-17 10:00",
            v7,
            {"result": "partly_solved", "minutes": 60, "before": 2, "after": 4, "follow_up": True},
            (4, FeedbackChannel.LINK, "2025-04-20 10:00", 3, 4),
        ),
    ]
    for created, language, topic, band, offer_hours, match_days, starts, helper, outcome, rating in b:
        request = rh.request_at(mechelen, utc(created), languages=(language,), topics=(topic,), age_band=band)
        rh.offer(request, helper, utc(created) + timedelta(hours=offer_hours), OfferStatus.ACCEPTED)
        rh.event(request, utc(created) + timedelta(days=match_days), S.MATCHED)
        rh.session_at(request, helper, utc(starts), **outcome)
        satisfaction, channel, given, ease, trust = rating
        rh.feedback(request, utc(given), satisfaction, channel, ease=ease, trust=trust)
    rh.request_at(
        mechelen,
        utc("2025-04-15 10:00"),
        channel=PHONE,
        status=S.ESCALATED,
        age_band=AgeBand.FROM_75,
        escalation_reasons={"waiting": 6},
    )  # B6: other
    rh.request_at(
        mechelen,
        utc("2025-04-18 10:00"),
        channel=PHONE,
        status=S.ESCALATED,
        languages=("ar",),
        topics=("smartphone-basics",),
        escalation_reasons={"distance": 4, "language": 4},
    )  # B7: language
    rh.request_at(mechelen, now - timedelta(days=1), status=S.NEW)  # queue today

    return {
        "gent": gent,
        "mechelen": mechelen,
        "admin": make_admin(),
        "coordinator": make_user(Role.COORDINATOR, gent),
        "coordinator_b": make_user(Role.COORDINATOR, mechelen),
        "counter": make_user(Role.COUNTER, gent),
        "volunteer": v1.user,
    }


# ----------------------------------------------------------------------------------------------- expected
# The local dashboard of Gent for 2025-03-01 .. 2025-04-30, in English, as (row, cells) in page order.
# Requests in the range: R1-R9 (R0 came in on 28 February in Brussels; the queue requests far later).
LOCAL_GENT = {
    # Open today: R2, R8 scheduled; R5, R7 escalated; R6 offered (all older than 4 weeks); the queue
    # requests: new (< 1 week), looking (1-2 weeks), new (2-4 weeks). R0, R1, R3 completed, R4 unresolved,
    # R9 cancelled and the one completed yesterday are not open.
    "open": [
        ("New", ["1", "0", "1", "0", "2"]),
        ("Looking for a digibuddy", ["0", "1", "0", "0", "1"]),
        ("Offered to a digibuddy", ["0", "0", "0", "1", "1"]),
        ("Needs the coordinator", ["0", "0", "0", "2", "2"]),
        ("Digibuddy found", ["0", "0", "0", "0", "0"]),
        ("Appointment planned", ["0", "0", "0", "2", "2"]),
        ("Total", ["1", "1", "1", "5", "8"]),
    ],
    # First offer (s): R1 7200, R2 14400, R3 3600, R4 1800, R6 21600, R7 43200, R8 86400 -> n = 7,
    #   median at rank 3 of [1800, 3600, 7200, 14400, 21600, 43200, 86400] = 14400 (4.0 h);
    #   p90 at 0.9 * 6 = 5.4: 43200 + 0.4 * 43200 = 60480 (16.8 h).
    # Match (first MATCHED event): R1 1 d, R2 2 d, R3 3 d (not its later one), R4 5 d, R8 2 d -> n = 5,
    #   median 2 days; p90 at 3.6: 3 d + 0.6 * 2 d = 4.2 days.
    # First session not cancelled: R1 5 d (the no-show of the digibuddy), R2 9 d, R3 10 d (not the
    #   cancelled one), R4 9 d (resident no-show), R8 12 d (planned after the range) -> n = 5,
    #   median 9 days; p90 at 3.6: 10 d + 0.6 * 2 d = 11.2 days.
    "timings": [
        ("Request to first offer", ["7", "4.0 h", "16.8 h"]),
        ("Request to a digibuddy found", ["5", "2.0 days", "4.2 days"]),
        ("Request to first session", ["5", "9.0 days", "11.2 days"]),
    ],
    # online R1 R2 R6 R7 R9, phone R3 R8, counter R4, outreach R5: 5, 2, 1, 1 of 9.
    "channel": [
        ("Click (online)", ["5", "56%"]),
        ("Call (by phone)", ["2", "22%"]),
        ("Face (at a counter)", ["1", "11%"]),
        ("Home (home visit through outreach)", ["1", "11%"]),
        ("Total", ["9", "100%"]),
    ],
    # eID and itsme: R1, R2, R8, R9 (R9 has two topics of that group: once); R2 also Government.
    "topic_group": [
        ("Smartphone and tablet", ["1"]),
        ("Computer and laptop", ["0"]),
        ("E-mail", ["1"]),
        ("Internet and searching", ["0"]),
        ("Staying safe online", ["1"]),
        ("eID and itsme", ["4"]),
        ("Government services online", ["1"]),
        ("Banking and payments", ["1"]),
        ("Health and care online", ["0"]),
        ("Video calling", ["1"]),
        ("Social media and messaging", ["0"]),
        ("Online shopping and tickets", ["0"]),
        ("Photos and files", ["0"]),
        ("Looking for a job online", ["0"]),
    ],
    # nl: R1 R2 R4 R6 R8 R9; ar: R2 R7; fr: R3; tr: R5 (largest first).
    "language": [("Dutch", ["6"]), ("Arabic", ["2"]), ("French", ["1"]), ("Turkish", ["1"])],
    # 30-54 R5; 55-64 R3 R9; 65-74 R1 R6 R8; 75+ R2 R7; not given R4.
    "age_band": [
        ("Under 30", ["0", "0%"]),
        ("30 to 54", ["1", "11%"]),
        ("55 to 64", ["2", "22%"]),
        ("65 to 74", ["3", "33%"]),
        ("75 or older", ["2", "22%"]),
        ("Not given", ["1", "11%"]),
        ("Total", ["9", "100%"]),
    ],
    # Sessions starting in the range (R0's session too; not R8's in May): done R0 R1 R2 R3 R4 = 5; one each
    # of resident no-show (R4), digibuddy no-show (R1), cancelled (R3), planned (R2).
    # Minutes 30 + 60 + 90 + 30 + 50 = 260 = 4.33 h.
    "sessions": [
        ("Done", ["5"]),
        ("Resident did not come", ["1"]),
        ("Digibuddy did not come", ["1"]),
        ("Cancelled", ["1"]),
        ("Planned", ["1"]),
        ("Total", ["9"]),
        ("Volunteer hours", ["4.3"]),
    ],
    # solved R0 R1, partly R2, referred R3, not solved R4.
    "outcomes": [
        ("Solved", ["2", "40%"]),
        ("Partly solved", ["1", "20%"]),
        ("Referred", ["1", "20%"]),
        ("Not solved", ["1", "20%"]),
        ("Total", ["5", "100%"]),
    ],
    # Both answers: R0 4->5, R1 2->4, R2 3->3, R3 1->2 (R4 only before): before 10 / 4 = 2.5, after 14 / 4 =
    # 3.5;
    # more confident R0 R1 R3; follow-up R2 R4.
    "confidence": [
        ("Residents who answered both confidence questions", ["4"]),
        ("Felt more confident afterwards", ["3"]),
        ("Outcomes that needed a follow-up", ["2"]),
        ("Average confidence before (1-5)", ["2.5"]),
        ("Average confidence after (1-5)", ["3.5"]),
    ],
    "referrals": [("A bank", ["1", "100%"]), ("Total", ["1", "100%"])],
    # Feedback in the range: R0 2, R1 5, R2 4 (phone), R3 3 (counter); average 14 / 4 = 3.5.
    "satisfaction": [
        ("5 · Very happy", ["1", "25%"]),
        ("4 · Happy", ["1", "25%"]),
        ("3 · So-so", ["1", "25%"]),
        ("2 · Unhappy", ["1", "25%"]),
        ("1 · Very unhappy", ["0", "0%"]),
        ("Total", ["4", "100%"]),
        ("Average (1-5)", ["3.5", "—"]),
    ],
    # Reach: the requests of the range by channel (as above). Ease and trust of the feedback in the range, by
    # the channel of its request: online R0 (3, 4), R1 (4, 4), R2 (2, 3; given by phone, asked online): ease
    # 9 / 3 = 3.0, trust 11 / 3 = 3.7; phone R3 (3, 1; given at the counter). All: 12 / 4 = 3.0, 12 / 4 = 3.0.
    "channel_quality": [
        ("Click (online)", ["5", "3", "3.0", "3.7"]),
        ("Call (by phone)", ["2", "1", "3.0", "1.0"]),
        ("Face (at a counter)", ["1", "0", "—", "—"]),
        ("Home (home visit through outreach)", ["1", "0", "—", "—"]),
        ("Total", ["9", "4", "3.0", "3.0"]),
    ],
    # Done sessions in the range by V1, V2, V7; new V2 V4 V7; left V3; active today V1 V2 V7.
    "volunteers": [
        ("Helped in at least one session", ["3"]),
        ("New (applied in this period)", ["3"]),
        ("Left in this period", ["1"]),
        ("Active today", ["3"]),
    ],
    # R5 language (3 > 2), R7 rounds, R9 mode (a tie with topic goes to mode, checked first); R8's reasons
    # were
    # cleared when it was matched, so it is no unmatched request.
    "unmatched": [
        ("Nobody accepted within the offer rounds", ["1", "33%"]),
        ("No active, screened digibuddy", ["0", "0%"]),
        ("The digibuddies were all busy", ["0", "0%"]),
        ("Nobody speaks the language", ["1", "33%"]),
        ("Nobody helps in the way asked", ["1", "33%"]),
        ("Nobody lives close enough", ["0", "0%"]),
        ("Nobody knows the topics", ["0", "0%"]),
        ("Everyone was already asked", ["0", "0%"]),
        ("Total", ["3", "100%"]),
    ],
    # No learning-network event in this dataset (tests/test_events.py counts them).
    "events": [
        ("Events held", ["0"]),
        ("Registrations with a place", ["0"]),
        ("Attended", ["0"]),
        ("Absent", ["0"]),
    ],
    # March: R1 R2 R3; sessions done R0 R1 R2 R3 (210 min = 3.5 h); feedback R0 R1 R2: 11 / 3 = 3.67.
    # April: R4-R9 (R4 at 00:30 on 1 April); done R4 (50 min = 0.83 h); feedback R3: 3.
    "trend": [
        ("Mar 2025", ["3", "4", "3.5", "3", "3.7"]),
        ("Apr 2025", ["6", "1", "0.8", "1", "3.0"]),
        ("Total", ["9", "5", "4.3", "4", "3.5"]),
    ],
    # Per channel: requests, answers, ease, trust. March: online R1 R2, phone R3; answers R0 R1 R2 (online).
    # April: online R6 R7 R9, phone R8, counter R4, outreach R5; answers R3 (phone, given on 2 April).
    "channel_trend": [
        ("Mar 2025", ["2", "3", "3.0", "3.7", "1", "0", "—", "—", "0", "0", "—", "—", "0", "0", "—", "—"]),
        ("Apr 2025", ["3", "0", "—", "—", "1", "1", "3.0", "1.0", "1", "0", "—", "—", "1", "0", "—", "—"]),
        ("Total", ["5", "3", "3.0", "3.7", "2", "1", "3.0", "1.0", "1", "0", "—", "—", "1", "0", "—", "—"]),
    ],
}

LOCAL_COLUMNS = {
    "open": ["Less than 1 week", "1 to 2 weeks", "2 to 4 weeks", "4 weeks or more", "Total"],
    "timings": ["Requests", "Median", "90th percentile"],
    "channel": ["Number", "Share"],
    "topic_group": ["Number"],
    "language": ["Number"],
    "age_band": ["Number", "Share"],
    "sessions": ["Sessions"],
    "outcomes": ["Number", "Share"],
    "confidence": ["Value"],
    "referrals": ["Number", "Share"],
    "satisfaction": ["Number", "Share"],
    "channel_quality": [
        "Requests (reach)",
        "Answers about ease and trust",
        "Ease of use (1-4)",
        "Trust (1-4)",
    ],
    "volunteers": ["Number"],
    "unmatched": ["Number", "Share"],
    "events": ["Number"],
    "trend": ["New requests", "Sessions held", "Volunteer hours", "Feedback", "Average satisfaction (1-5)"],
    "channel_trend": [
        f"{channel}: {measure}"
        for channel in (
            "Click (online)",
            "Call (by phone)",
            "Face (at a counter)",
            "Home (home visit through outreach)",
        )
        for measure in ("requests", "answers", "ease of use (1-4)", "trust (1-4)")
    ],
}

GENT, MECHELEN, WHOLE = "Digibuddy Gent", "Digibuddy Mechelen", "Whole network"
L = "<5"  # a count from 1 to 4
H = "hidden"  # a larger count, or hours and averages, hidden so that no small count can be worked out

# The network dashboard for the same range. Mechelen: B1-B5 online, done and rated; B6, B7 by phone,
# escalated.
# Every count of 1 to 4 is "<5"; where a line with a total would then have exactly one hidden cell, the
# smallest non-zero other cell is hidden too (a category before a total); zeros are shown.
NETWORK = {
    # Gent [new 2, looking 1, offered 1, escalated 2, found 0, planned 2 | 8]; Mechelen [1, 0, 0, 2, 0, 0 |
    # 3];
    # whole [3, 1, 1, 4, 0, 2 | 11]. The total column then hides only Mechelen's 3: Gent's 8 goes too.
    "open": [
        (GENT, [L, L, L, L, "0", L, H]),
        (MECHELEN, [L, "0", "0", L, "0", "0", L]),
        (WHOLE, [L, L, L, L, "0", L, "11"]),
    ],
    # Gent [1, 1, 1, 5 | 8], Mechelen [1, 0, 0, 2 | 3], whole [2, 1, 1, 7 | 11]: the last age column hides
    # only
    # Mechelen's 2, so Gent's 5 goes; then the total column hides only Mechelen's 3, so Gent's 8 goes.
    "open_age": [(GENT, [L, L, L, H, H]), (MECHELEN, [L, "0", "0", L, L]), (WHOLE, [L, L, L, "7", "11"])],
    # Mechelen, offer: 1, 2, 3, 1, 5 h -> median 2 h, p90 at 3.6: 3 h + 0.6 * 2 h = 4.2 h; match 1, 2, 1, 3, 2
    # days
    # -> median 2, p90 2 + 0.6 * 1 = 2.6 days; first session 7 d, 6 d, 7 d, 6 d 22 h, 7 d -> 7.0 and 7.0 days.
    # Whole network, offer (12 values, in hours): 0.5 1 1 1 2 2 3 4 5 6 12 24 -> median at 5.5: 2.5 h;
    # p90 at 9.9: 6 + 0.9 * 6 = 11.4 h. Match (10): 1 1 1 2 2 2 2 3 3 5 days -> median 2, p90 at 8.1:
    # 3 + 0.1 * 2 = 3.2 days. Session (10): 5, 6, 6d22h, 7, 7, 7, 9, 9, 10, 12 days -> median at 4.5: 7 days,
    # p90 at 8.1: 10 + 0.1 * 2 = 10.2 days.
    "timings": [
        (GENT, ["7", "4.0 h", "16.8 h", "5", "2.0 days", "4.2 days", "5", "9.0 days", "11.2 days"]),
        (MECHELEN, ["5", "2.0 h", "4.2 h", "5", "2.0 days", "2.6 days", "5", "7.0 days", "7.0 days"]),
        (WHOLE, ["12", "2.5 h", "11.4 h", "10", "2.0 days", "3.2 days", "10", "7.0 days", "10.2 days"]),
    ],
    # Gent [5, 2, 1, 1 | 9], Mechelen [5, 2, 0, 0 | 7], whole [10, 4, 1, 1 | 16]. Mechelen's row hides only
    # its
    # 2, so its 5 goes; then the click column hides only Mechelen's, so Gent's 5 goes.
    "channel": [(GENT, [H, L, L, L, "9"]), (MECHELEN, [H, L, "0", "0", "7"]), (WHOLE, ["10", L, L, L, "16"])],
    # Whole: smartphone 2, email 2, online safety 1, eID 7, government 2, banking 2, video 1. No totals per
    # row.
    "topic_group": [
        (GENT, [L, "0", L, "0", L, L, L, L, "0", L, "0", "0", "0", "0"]),
        (MECHELEN, [L, "0", L, "0", "0", L, L, L, "0", "0", "0", "0", "0", "0"]),
        (WHOLE, [L, "0", L, "0", L, "7", L, L, "0", L, "0", "0", "0", "0"]),
    ],
    # Whole: nl 11, ar 3, fr 2, tr 1. Gent [6, 2, 1, 1], Mechelen [5, 1, 1, 0].
    "language": [(GENT, ["6", L, L, L]), (MECHELEN, ["5", L, L, "0"]), (WHOLE, ["11", L, L, L])],
    # Gent [0, 1, 2, 3, 2, 1 | 9], Mechelen [0, 0, 1, 2, 3, 1 | 7], whole [0, 1, 3, 5, 5, 2 | 16].
    "age_band": [
        (GENT, ["0", L, L, L, L, L, "9"]),
        (MECHELEN, ["0", "0", L, L, L, L, "7"]),
        (WHOLE, ["0", L, L, "5", "5", L, "16"]),
    ],
    # Gent [5, 1, 1, 1, 1 | 9] 260 min; Mechelen [5, 0, 0, 0, 0 | 5] 220 min = 3.67 h; whole 480 min = 8 h.
    "sessions": [
        (GENT, ["5", L, L, L, L, "9", "4.3"]),
        (MECHELEN, ["5", "0", "0", "0", "0", "5", "3.7"]),
        (WHOLE, ["10", L, L, L, L, "14", "8.0"]),
    ],
    # Gent [2, 1, 1, 1 | 5], Mechelen [3, 1, 1, 0 | 5], whole [5, 2, 2, 1 | 10].
    "outcomes": [(GENT, [L, L, L, L, "5"]), (MECHELEN, [L, L, L, "0", "5"]), (WHOLE, ["5", L, L, L, "10"])],
    # answered / more confident / follow-up: Gent [4, 3, 2], Mechelen [5, 4, 2], whole [9, 7, 4]. The answered
    # column hides only Gent's 4, so Mechelen's 5 goes too, and with it Mechelen's averages (10 / 5 and 16 / 5
    # would give its count away: 3.2 times the count is a whole number). Whole: 20 / 9 = 2.2, 30 / 9 = 3.3.
    "confidence": [
        (GENT, [L, L, L, H, H]),
        (MECHELEN, [H, L, L, H, H]),
        (WHOLE, ["9", "7", L, "2.2", "3.3"]),
    ],
    # bank (Gent) and social services (Mechelen), one each.
    "referrals": [(GENT, [L, "0", L]), (MECHELEN, ["0", L, L]), (WHOLE, [L, L, L])],
    # Gent [1, 1, 1, 1, 0 | 4], Mechelen [3, 2, 0, 0, 0 | 5], whole [4, 3, 1, 1, 0 | 9]: the total column
    # hides
    # only Gent's 4, so Mechelen's 5 goes. An average next to hidden answers would let them be worked out
    # (Mechelen: x + y = 5 and 5x + 4y = 23 give 3 and 2), so it is hidden wherever an answer is.
    "satisfaction": [
        (GENT, [L, L, L, L, "0", L, H]),
        (MECHELEN, [L, L, "0", "0", "0", H, H]),
        (WHOLE, [L, L, L, L, "0", "9", H]),
    ],
    # Per channel: requests, answers, ease, trust. Click: requests Gent 5, Mechelen 5 (B1-B5), whole 10;
    # answers Gent 3, Mechelen 5 (4, 3, 4, 2, 3 and 4, 4, 3, 3, 4), whole 8: Gent's 3 is hidden, so Mechelen's
    # 5 is too, and both their averages; whole 25 / 8 = 3.1, 29 / 8 = 3.6. Call: Gent R3 R8, Mechelen B6 B7.
    "channel_quality": [
        (GENT, ["5", L, H, H, L, L, H, H, L, "0", "—", "—", L, "0", "—", "—"]),
        (MECHELEN, ["5", H, H, H, L, "0", "—", "—", "0", "0", "—", "—", "0", "0", "—", "—"]),
        (WHOLE, ["10", "8", "3.1", "3.6", L, L, H, H, L, "0", "—", "—", L, "0", "—", "—"]),
    ],
    # Gent [3, 3, 1, 3], Mechelen [2, 2, 1, 2], whole [4, 4, 2, 4] (V7 once).
    "volunteers": [(GENT, [L, L, L, L]), (MECHELEN, [L, L, L, L]), (WHOLE, [L, L, L, L])],
    # rounds, not active, full, language, mode, distance, topic, already asked, other | total.
    # Gent: rounds R7, language R5, mode R9; Mechelen: language B7, other B6 (only "waiting").
    "unmatched": [
        (GENT, [L, "0", "0", L, L, "0", "0", "0", "0", L]),
        (MECHELEN, ["0", "0", "0", L, "0", "0", "0", "0", L, L]),
        (WHOLE, [L, "0", "0", L, L, "0", "0", "0", L, "5"]),
    ],
    # No learning-network event in this dataset: zeros are shown.
    "events": [(GENT, ["0", "0", "0", "0"]), (MECHELEN, ["0", "0", "0", "0"]), (WHOLE, ["0", "0", "0", "0"])],
    # Whole network: March requests 6, done sessions 7 (340 min), feedback 6 (sum 25); April 10, 3 (140 min),
    # 3
    # (sum 12). April's 3 sessions and 3 answers are hidden, so March's 7 and 6 are too; April's hours (3
    # outcomes)
    # are hidden, so March's are, or 8.0 - March would give them; an average is hidden with its count.
    "trend": [
        ("Mar 2025", ["6", H, H, H, H]),
        ("Apr 2025", ["10", L, H, L, H]),
        ("Total", ["16", "10", "8.0", "9", "4.1"]),
    ],
    # Whole network per channel and month. Click: requests March 5, April 5; answers March 6 (Gent R0 R1 R2,
    # Mechelen B1 B2 B3), April 2 (B4 B5): April's 2 is hidden, so March's 6 is, with their averages; all
    # 8: 25 / 8 = 3.1, 29 / 8 = 3.6. Call: March R3, April R8 B6 B7; R3's answers in April. Face R4, home R5.
    "channel_trend": [
        ("Mar 2025", ["5", H, H, H, L, "0", "—", "—", "0", "0", "—", "—", "0", "0", "—", "—"]),
        ("Apr 2025", ["5", L, H, H, L, L, H, H, L, "0", "—", "—", L, "0", "—", "—"]),
        ("Total", ["10", "8", "3.1", "3.6", L, L, H, H, L, "0", "—", "—", L, "0", "—", "—"]),
    ],
}

NETWORK_COLUMNS = {
    "open": [
        "New",
        "Looking for a digibuddy",
        "Offered to a digibuddy",
        "Needs the coordinator",
        "Digibuddy found",
        "Appointment planned",
        "Total",
    ],
    "open_age": ["Less than 1 week", "1 to 2 weeks", "2 to 4 weeks", "4 weeks or more", "Total"],
    "timings": [
        f"{step}: {measure}"
        for step in ("Request to first offer", "Request to a digibuddy found", "Request to first session")
        for measure in ("Requests", "Median", "90th percentile")
    ],
    "channel": [
        "Click (online)",
        "Call (by phone)",
        "Face (at a counter)",
        "Home (home visit through outreach)",
        "Total",
    ],
    "topic_group": [label for label, _cells in LOCAL_GENT["topic_group"]],
    "language": ["Dutch", "Arabic", "French", "Turkish"],
    "age_band": ["Under 30", "30 to 54", "55 to 64", "65 to 74", "75 or older", "Not given", "Total"],
    "sessions": [
        "Done",
        "Resident did not come",
        "Digibuddy did not come",
        "Cancelled",
        "Planned",
        "Total",
        "Volunteer hours",
    ],
    "outcomes": ["Solved", "Partly solved", "Referred", "Not solved", "Total"],
    "confidence": [
        "Residents who answered both confidence questions",
        "Felt more confident afterwards",
        "Outcomes that needed a follow-up",
        "Average confidence before (1-5)",
        "Average confidence after (1-5)",
    ],
    "referrals": ["A bank", "Social services (OCMW / Sociaal Huis)", "Total"],
    "satisfaction": [
        "5 · Very happy",
        "4 · Happy",
        "3 · So-so",
        "2 · Unhappy",
        "1 · Very unhappy",
        "Total",
        "Average (1-5)",
    ],
    "channel_quality": [
        f"{channel}: {measure}"
        for channel in (
            "Click (online)",
            "Call (by phone)",
            "Face (at a counter)",
            "Home (home visit through outreach)",
        )
        for measure in (
            "Requests (reach)",
            "Answers about ease and trust",
            "Ease of use (1-4)",
            "Trust (1-4)",
        )
    ],
    "volunteers": [
        "Helped in at least one session",
        "New (applied in this period)",
        "Left in this period",
        "Active today",
    ],
    "unmatched": [
        "Nobody accepted within the offer rounds",
        "No active, screened digibuddy",
        "The digibuddies were all busy",
        "Nobody speaks the language",
        "Nobody helps in the way asked",
        "Nobody lives close enough",
        "Nobody knows the topics",
        "Everyone was already asked",
        "Other reason",
        "Total",
    ],
    "events": ["Events held", "Registrations with a place", "Attended", "Absent"],
    "trend": ["New requests", "Sessions held", "Volunteer hours", "Feedback", "Average satisfaction (1-5)"],
    "channel_trend": [
        f"{channel}: {measure}"
        for channel in (
            "Click (online)",
            "Call (by phone)",
            "Face (at a counter)",
            "Home (home visit through outreach)",
        )
        for measure in ("requests", "answers", "ease of use (1-4)", "trust (1-4)")
    ],
}


def get_tables(client, url, status=200) -> dict:
    response = client.get(url)
    assert response.status_code == status, text(response)[:3000]
    return page_tables(text(response))


def assert_tables(found: dict, expected: dict, columns: dict, *, skip=()):
    """Every expected table with exactly these columns, rows and cells (the unmatched reasons on their
    own)."""
    for key, rows in expected.items():
        if key in skip:
            continue
        assert found[key]["columns"] == columns[key], key
        assert found[key]["rows"] == rows, key


# ----------------------------------------------------------------------------------------------- dashboards
def test_coordinator_sees_every_figure_of_their_network(client, dataset):
    client.login(dataset["coordinator"])
    found = get_tables(client, f"/reports/local?{RANGE}&lang=en")
    assert list(found) == list(LOCAL_GENT)
    assert_tables(found, LOCAL_GENT, LOCAL_COLUMNS, skip=("unmatched",))
    assert found["satisfaction"]["note"].endswith(
        "Given Through the link: 2, By phone: 1, At the counter: 1."
    )
    assert found["satisfaction"]["total_rows"] == ["Total", "Average (1-5)"]
    assert found["timings"]["row_header"] == "From … to …" and found["open"]["row_header"] == "Status"
    # No column groups on this dashboard: one header row per table, no empty group heading.
    assert all(table["header_rows"] == 1 and not table["groups"] for table in found.values())


def test_requests_matched_after_an_escalation_are_no_unmatched_requests(client, dataset):
    """R8 was escalated and then matched: the engine set its escalation_reasons back to None, which a JSON
    column stores as JSON null, not SQL NULL. Neither dashboard may count it (as "Other reason")."""
    client.login(dataset["coordinator"])
    local = get_tables(client, f"/reports/local?{RANGE}&lang=en")
    assert local["unmatched"]["rows"] == LOCAL_GENT["unmatched"]
    client.logout()
    client.login(dataset["admin"])
    network = get_tables(client, f"/reports/network?{RANGE}&lang=en")
    assert network["unmatched"]["columns"] == NETWORK_COLUMNS["unmatched"]
    assert network["unmatched"]["rows"] == NETWORK["unmatched"]


def test_central_administrator_sees_every_network_side_by_side_with_small_cells_hidden(client, dataset):
    client.login(dataset["admin"])
    response = client.get(f"/reports/network?{RANGE}&lang=en")
    assert response.status_code == 200
    page = text(response)
    assert (
        "To protect privacy, every number from 1 to 4 is shown as “&lt;5”. A larger number from which such a "
        "small number could be worked out, and hours, averages and waiting times of fewer than 5 people, are "
        "shown as “hidden”."
    ) in page
    found = page_tables(page)
    assert list(found) == list(NETWORK)
    assert found["trend"]["title"] == "Whole network, month by month"
    assert_tables(found, NETWORK, NETWORK_COLUMNS, skip=("unmatched",))
    # Only the waiting times and the channels have grouped columns: a heading over each step's three
    # columns, and over each channel's four.
    assert found["timings"]["header_rows"] == 2 and found["timings"]["groups"] == [
        ("Request to first offer", 3),
        ("Request to a digibuddy found", 3),
        ("Request to first session", 3),
    ]
    assert found["channel_quality"]["groups"] == [
        ("Click (online)", 4),
        ("Call (by phone)", 4),
        ("Face (at a counter)", 4),
        ("Home (home visit through outreach)", 4),
    ]
    assert found["channel_trend"]["title"] == (
        "Whole network: reach, ease of use and trust per channel, month by month"
    )
    grouped = ("timings", "channel_quality")
    assert all(table["header_rows"] == 1 for key, table in found.items() if key not in grouped)
    # No personal data reaches the central level: no resident's or volunteer's name.
    assert "Maria" not in page and "Sam Janssens" not in page


def test_no_hidden_cell_of_the_network_dashboard_can_be_worked_out_from_a_total(client, dataset):
    """In every table whose rows or columns add up to a total, no line has exactly one hidden cell."""
    client.login(dataset["admin"])
    found = get_tables(client, f"/reports/network?{RANGE}&lang=en")
    for key in (
        "open",
        "open_age",
        "channel",
        "age_band",
        "sessions",
        "outcomes",
        "satisfaction",
        "referrals",
        "unmatched",
    ):
        columns = found[key]["columns"]
        total = columns.index("Total")
        rows = [cells for _label, cells in found[key]["rows"]]
        lines = [row[: total + 1] for row in rows] + [
            list(column) for column in zip(*[r[: total + 1] for r in rows], strict=True)
        ]
        for line in lines:
            assert sum(cell in (L, H) for cell in line) != 1, (key, line)
        for row in rows:
            assert all(cell in (L, H) or int(cell) == 0 or int(cell) >= 5 for cell in row[: total + 1]), (
                key,
                row,
            )


def test_zero_and_five_show_and_averages_only_where_they_give_nothing_away(client, app):
    """Suppression at its edges: 0 and 5 are shown, 1 and 4 hidden, in the page and in both exports; an
    average is shown when every answer it is made of is shown, and no answers is "—", not "<5"."""
    gent = rh.network("Digibuddy Gent", "gent", "9000")
    aalst = rh.network("Digibuddy Aalst", "aalst", "9300")
    # Aalst: 4 online requests and 1 by phone, no feedback. Gent: 5 at the counter rated 5, 5 through outreach
    # rated 4 (average 4.5).
    for network, channel, count, satisfaction in (
        (aalst, ONLINE, 4, None),
        (aalst, PHONE, 1, None),
        (gent, COUNTER, 5, 5),
        (gent, OUTREACH, 5, 4),
    ):
        for _i in range(count):
            request = rh.request_at(network, utc("2025-03-10 10:00"), channel=channel)
            if satisfaction:
                rh.feedback(request, utc("2025-03-20 10:00"), satisfaction)
    client.login(make_admin())
    found = get_tables(client, f"/reports/network?{RANGE}&lang=en")
    # Aalst [4, 1, 0, 0 | 5], Gent [0, 0, 5, 5 | 10], whole [4, 1, 5, 5 | 15]: two hidden in every line.
    assert found["channel"]["rows"] == [
        ("Digibuddy Aalst", [L, L, "0", "0", "5"]),
        ("Digibuddy Gent", ["0", "0", "5", "5", "10"]),
        ("Whole network", [L, L, "5", "5", "15"]),
    ]
    assert found["satisfaction"]["rows"] == [
        ("Digibuddy Aalst", ["0", "0", "0", "0", "0", "0", "—"]),
        ("Digibuddy Gent", ["5", "5", "0", "0", "0", "10", "4.5"]),
        ("Whole network", ["5", "5", "0", "0", "0", "10", "4.5"]),
    ]
    args = f"{RANGE}&lang=en"
    csv_rows = read_csv(client.get(f"/reports/network/export/channel.csv?{args}"))
    assert csv_rows == [
        [
            "Local network",
            "Click (online)",
            "Call (by phone)",
            "Face (at a counter)",
            "Home (home visit through outreach)",
            "Total",
        ],
        ["Digibuddy Aalst", L, L, "0", "0", "5"],
        ["Digibuddy Gent", "0", "0", "5", "5", "10"],
        ["Whole network", L, L, "5", "5", "15"],
    ]
    sheet = read_workbook(client.get(f"/reports/network/export/channel.xlsx?{args}")).active
    assert sheet_rows(sheet)[1:] == [
        ["Digibuddy Aalst", L, L, 0, 0, 5],
        ["Digibuddy Gent", 0, 0, 5, 5, 10],
        ["Whole network", L, L, 5, 5, 15],
    ]
    sheet = read_workbook(client.get(f"/reports/network/export/satisfaction.xlsx?{args}")).active
    assert sheet_rows(sheet)[1:] == [
        ["Digibuddy Aalst", 0, 0, 0, 0, 0, 0, None],
        ["Digibuddy Gent", 5, 5, 0, 0, 0, 10, 4.5],
        ["Whole network", 5, 5, 0, 0, 0, 10, 4.5],
    ]
    # The whole workbook holds the same cells.
    workbook = read_workbook(client.get(f"/reports/network/export/all.xlsx?{args}"))
    sheet = next(sheet for sheet in workbook.worksheets if sheet["A1"].value == "Requests by channel")
    assert sheet_rows(sheet)[1] == ["Digibuddy Aalst", L, L, 0, 0, 5]


def test_waiting_times_and_hours_hide_with_few_requests_at_the_central_level(client, app):
    """Medians of fewer than 5 requests and the hours of fewer than 5 outcomes are hidden for the central
    level, and so is one network's hours when only it would be missing from the whole network's."""
    gent = rh.network("Digibuddy Gent", "gent", "9000")
    aalst = rh.network("Digibuddy Aalst", "aalst", "9300")
    helper_gent, helper_aalst = (
        rh.volunteer(gent, created=utc("2024-01-01 10:00")),
        rh.volunteer(aalst, created=utc("2024-01-01 10:00")),
    )
    # Gent: 6 requests, each offered after 1 hour and helped for 60 minutes; Aalst: 2, offered after 2 hours,
    # helped for 30 minutes.
    for network, helper, count, hours, minutes in (
        (gent, helper_gent, 6, 1, 60),
        (aalst, helper_aalst, 2, 2, 30),
    ):
        for index in range(count):
            request = rh.request_at(network, utc(f"2025-03-{10 + index} 10:00"))
            rh.offer(
                request,
                helper,
                utc(f"2025-03-{10 + index} 10:00") + timedelta(hours=hours),
                OfferStatus.ACCEPTED,
            )
            rh.session_at(
                request, helper, utc(f"2025-03-{10 + index} 15:00"), result="solved", minutes=minutes
            )
    client.login(make_admin())
    found = get_tables(client, f"/reports/network?{RANGE}&lang=en")
    # Offer counts Aalst 2, Gent 6, whole 8: Aalst's is hidden, and so Gent's (8 - 6); Gent's median stays
    # (6 requests), Aalst's goes with its 2 requests.
    offer_columns = slice(0, 3)
    assert [(label, cells[offer_columns]) for label, cells in found["timings"]["rows"]] == [
        ("Digibuddy Aalst", [L, H, H]),
        ("Digibuddy Gent", [H, "1.0 h", "1.0 h"]),
        # 8 values: six of 1 h and two of 2 h; median at 3.5: 1 h; p90 at 6.3: 2 h.
        ("Whole network", ["8", "1.0 h", "2.0 h"]),
    ]
    # Nobody reached a digibuddy through a MATCHED event: no count, no median ("0" and "—", not "<5").
    assert [cells[3:6] for _label, cells in found["timings"]["rows"]] == [["0", "—", "—"]] * 3
    # Sessions done: Aalst 2, Gent 6, whole 8 (Gent's hidden too). Hours: Aalst 1.0 (2 outcomes) hidden, so
    # Gent's 6.0 too, or 7.0 - 6.0 would give Aalst's away.
    assert [(label, cells[:1] + cells[-2:]) for label, cells in found["sessions"]["rows"]] == [
        ("Digibuddy Aalst", [L, L, H]),
        ("Digibuddy Gent", [H, H, H]),
        ("Whole network", ["8", "8", "7.0"]),
    ]


def test_coordinator_of_two_networks_chooses_one(client, dataset):
    both = make_user(Role.COORDINATOR, dataset["gent"])
    db.session.add(Membership(user_id=both.id, network_id=dataset["mechelen"].id, role=Role.COORDINATOR))
    db.session.commit()
    client.login(both)
    page = text(client.get(f"/reports/local?{RANGE}&lang=en"))
    assert "Figures of Digibuddy Gent" in page and f'<option value="{dataset["mechelen"].id}"' in page
    found = get_tables(client, f"/reports/local?{RANGE}&network={dataset['mechelen'].id}&lang=en")
    # Mechelen: online B1-B5, phone B6 B7.
    assert found["channel"]["rows"] == [
        ("Click (online)", ["5", "71%"]),
        ("Call (by phone)", ["2", "29%"]),
        ("Face (at a counter)", ["0", "0%"]),
        ("Home (home visit through outreach)", ["0", "0%"]),
        ("Total", ["7", "100%"]),
    ]


# ----------------------------------------------------------------------------------------------- scoping
def test_a_coordinator_sees_only_their_own_network(client, dataset):
    gent, mechelen = dataset["gent"], dataset["mechelen"]
    client.login(dataset["coordinator_b"])
    page = text(client.get(f"/reports/local?{RANGE}&lang=en"))
    assert "Figures of Digibuddy Mechelen" in page and "Digibuddy Gent" not in page
    found = page_tables(page)
    assert found["channel"]["rows"][-1] == ("Total", ["7", "100%"])
    assert found["sessions"]["rows"][-2:] == [("Total", ["5"]), ("Volunteer hours", ["3.7"])]
    # Another network's id, in the page, an export or the yearly report: 404, never its figures.
    for url in (
        f"/reports/local?network={gent.id}",
        f"/reports/local/export/channel.csv?network={gent.id}",
        f"/reports/local/export/channel.xlsx?network={gent.id}",
        f"/reports/local/export/all.xlsx?network={gent.id}",
        f"/reports/yearly?network={gent.id}&year=2025",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/reports/local?network={mechelen.id}").status_code == 200
    # The central dashboard is the central administrator's only.
    for url in (
        "/reports/network",
        "/reports/network/export/channel.csv",
        "/reports/network/export/all.xlsx",
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("who", ["counter", "volunteer", "admin"])
def test_other_roles_do_not_reach_a_local_dashboard(client, dataset, who):
    client.login(dataset[who])
    for url in ("/reports/local", "/reports/local/export/channel.csv", "/reports/local/export/all.xlsx"):
        assert client.get(url).status_code == 403, url
    if who != "admin":
        for url in ("/reports/network", "/reports/network/export/channel.xlsx", "/reports/yearly"):
            assert client.get(url).status_code == 403, url


def test_visitors_are_sent_to_the_login_page(client, dataset):
    for url in (
        "/reports/local",
        "/reports/network",
        "/reports/yearly",
        "/reports/local/export/all.xlsx",
        "/reports/network/export/channel.csv",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/login" in response.headers["Location"], url


# ----------------------------------------------------------------------------------------------- date ranges
@pytest.fixture
def boundaries(app):
    """Records a minute either side of the Brussels day limits of March 2025 (UTC+1, and UTC+2 from 30 March):
    the month is [2025-02-28 23:00, 2025-03-31 22:00) in UTC."""
    gent = rh.network("Digibuddy Gent", "gent", "9000")
    helper = rh.volunteer(gent, created=utc("2024-01-01 10:00"))
    records = [  # (instant, request channel, session status, satisfaction)
        ("2025-02-28 22:59", ONLINE, CANCELLED, 5),  # 23:59 on 28 February: out
        ("2025-02-28 23:00", PHONE, DONE, 4),  # 00:00 on 1 March: in
        ("2025-03-31 21:59", COUNTER, PLANNED, 3),  # 23:59 on 31 March: in
        ("2025-03-31 22:00", OUTREACH, SessionStatus.RESIDENT_NO_SHOW, 2),  # 00:00 on 1 April: out
    ]
    for instant, channel, status, satisfaction in records:
        request = rh.request_at(gent, utc(instant), channel=channel)
        rh.session_at(request, helper, utc(instant), status)
        rh.feedback(request, utc(instant), satisfaction)
        rh.volunteer(gent, created=utc(instant), status=VolunteerStatus.APPLIED)
        rh.volunteer(gent, created=utc("2024-01-01 10:00"), status=VolunteerStatus.LEFT, changed=utc(instant))
    return {"coordinator": make_user(Role.COORDINATOR, gent), "admin": make_admin()}


def _channel_counts(found):
    return [cells[0] for _label, cells in found["channel"]["rows"]]


def test_date_range_includes_whole_brussels_days(client, boundaries):
    client.login(boundaries["coordinator"])
    found = get_tables(client, "/reports/local?from=2025-03-01&to=2025-03-31&lang=en")
    # Requests, sessions, feedback and volunteers of 1 March 00:00 and 31 March 23:59 (Brussels) only.
    assert _channel_counts(found) == ["0", "1", "1", "0", "2"]
    assert [cells[0] for _label, cells in found["sessions"]["rows"]] == ["1", "0", "0", "0", "1", "2", "0.0"]
    assert [cells[0] for _label, cells in found["satisfaction"]["rows"][:6]] == ["0", "1", "1", "0", "0", "2"]
    # The helper's session of 1 March 00:00 took place; two applied and two left on the limit days.
    assert [cells[0] for _label, cells in found["volunteers"]["rows"]] == ["1", "2", "2", "1"]
    assert found["trend"]["rows"] == [
        ("Mar 2025", ["2", "1", "0.0", "2", "3.5"]),
        ("Total", ["2", "1", "0.0", "2", "3.5"]),
    ]
    # One day: 1 March is [28 Feb 23:00, 1 Mar 23:00) UTC; 31 March [30 Mar 22:00, 31 Mar 22:00); 1 April
    # (summer time) [31 Mar 22:00, 1 Apr 22:00).
    for day, counts in (
        ("2025-03-01", ["0", "1", "0", "0", "1"]),
        ("2025-03-31", ["0", "0", "1", "0", "1"]),
        ("2025-04-01", ["0", "0", "0", "1", "1"]),
        ("2025-02-28", ["1", "0", "0", "0", "1"]),
    ):
        assert _channel_counts(get_tables(client, f"/reports/local?from={day}&to={day}&lang=en")) == counts, (
            day
        )
    # Two months: 23:59 on 31 March counts in March, 00:00 on 1 April in April.
    found = get_tables(client, "/reports/local?from=2025-02-01&to=2025-04-30&lang=en")
    assert [(label, cells[0]) for label, cells in found["trend"]["rows"]] == [
        ("Feb 2025", "1"),
        ("Mar 2025", "2"),
        ("Apr 2025", "1"),
        ("Total", "4"),
    ]
    client.logout()
    client.login(boundaries["admin"])
    found = get_tables(client, "/reports/network?from=2025-03-01&to=2025-03-31&lang=en")
    assert found["channel"]["rows"] == [
        ("Digibuddy Gent", ["0", L, L, "0", L]),
        ("Whole network", ["0", L, L, "0", L]),
    ]


def test_the_period_is_shown_and_kept_in_every_link(client, boundaries):
    client.login(boundaries["coordinator"])
    page = text(client.get("/reports/local?from=2025-03-01&to=2025-03-31&lang=en"))
    assert "From March 1, 2025 to March 31, 2025" in page
    assert 'value="2025-03-01"' in page and 'value="2025-03-31"' in page
    found = page_tables(page)
    assert all(
        any("from=2025-03-01" in link and "to=2025-03-31" in link for link in table["links"])
        for table in found.values()
    )
    assert "all.xlsx?from=2025-03-01&amp;to=2025-03-31&amp;network=" in page
    assert 'href="/reports/yearly?network=' in page


def test_no_dates_means_the_last_12_months(client, boundaries):
    client.login(boundaries["coordinator"])
    page = text(client.get("/reports/local?lang=en"))
    today = to_local(utcnow()).date()
    start = stats.add_months(today, -12) + timedelta(days=1)
    assert f'value="{start.isoformat()}"' in page and f'value="{today.isoformat()}"' in page
    # Only a start: up to today.
    page = text(client.get("/reports/local?from=2025-03-01&lang=en"))
    assert 'value="2025-03-01"' in page and f'value="{today.isoformat()}"' in page
    assert _channel_counts(page_tables(page)) == ["0", "1", "1", "1", "3"]
    # Only an end: the twelve months up to it.
    found = get_tables(client, "/reports/local?to=2025-02-28&lang=en")
    assert _channel_counts(found) == ["1", "0", "0", "0", "1"]


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("from=2025-13-01", "from", "Write a date as year-month-day, for example 2025-01-31."),
        ("from=yesterday&to=2025-03-31", "from", "Write a date as year-month-day, for example 2025-01-31."),
        ("from=2025-03-01&to=31-03-2025", "to", "Write a date as year-month-day, for example 2025-01-31."),
        ("from=99999999999-01-01", "from", "Write a date as year-month-day, for example 2025-01-31."),
        ("from=2025-04-01&to=2025-03-31", "to", "The end date must be on or after the start date."),
        ("from=2005-01-01&to=2025-12-31", "from", "Choose a period of at most 10 years."),
        ("from=0001-01-01&to=0001-12-31", "from", "Choose a date from the year 2000 to 2099."),
        ("to=0001-02-01", "to", "Choose a date from the year 2000 to 2099."),
        ("from=9999-12-01&to=9999-12-31", "from", "Choose a date from the year 2000 to 2099."),
        ("to=9999-12-31", "to", "Choose a date from the year 2000 to 2099."),
    ],
)
def test_a_wrong_period_is_a_field_error(client, boundaries, query, field, message):
    client.login(boundaries["coordinator"])
    response = client.get(f"/reports/local?{query}&lang=en")
    assert response.status_code == 422
    page = text(response)
    assert f'<p class="error" id="{field}-error">{message}</p>' in page
    # The error summary repeats the message and links to its field (the GOV.UK pattern).
    assert f'<li><a href="#{field}">{message}</a></li>' in page
    assert "<li>We show the last 12 months instead.</li>" in page
    # The page still shows figures, of the last 12 months.
    assert "Requests by channel" in page
    # An export of a wrong period is refused the same way rather than quietly giving another period.
    for url in (
        f"/reports/local/export/channel.csv?{query}&lang=en",
        f"/reports/local/export/all.xlsx?{query}",
    ):
        response = client.get(url)
        assert response.status_code == 422 and "text/html" in response.content_type, url
    client.logout()
    client.login(boundaries["admin"])
    assert client.get(f"/reports/network?{query}").status_code == 422
    assert client.get(f"/reports/network/export/channel.xlsx?{query}").status_code == 422


def test_field_errors_are_translated(client, boundaries):
    client.login(boundaries["coordinator"])
    page = text(client.get("/reports/local?from=2025-04-01&to=2025-03-31"))
    assert "De einddatum moet op of na de begindatum vallen." in page
    assert "We tonen in de plaats de laatste 12 maanden." in page
    page = text(client.get("/reports/local?from=2025-04-01&to=2025-03-31&lang=fr"))
    assert "La date de fin doit être identique ou postérieure à la date de début." in page


@pytest.mark.parametrize(
    "url, status",
    [
        ("/reports/local?network=abc", 404),
        ("/reports/local?network=-1", 404),
        ("/reports/local?network=0", 404),
        ("/reports/local?network=99999999999999999999999999", 404),
        ("/reports/local?network=1.5", 404),
        ("/reports/local?from=%00", 400),
        ("/reports/local?to=2025-03-01%00", 400),
        ("/reports/local?from=2025-03-01&to=" + "9" * 400, 422),
        ("/reports/local?from=%F0%9F%98%80", 422),
        ("/reports/local?from=+2025-03-01+", 200),
        ("/reports/local/export/nothing.csv", 404),
        ("/reports/local/export/channel.pdf", 404),
        ("/reports/yearly?year=abc", 200),
        ("/reports/yearly?year=99999999999999999999", 200),
        ("/reports/yearly?year=-2025", 200),
        ("/reports/yearly?year=1999", 200),
        ("/reports/yearly?network=abc", 404),
    ],
)
def test_edited_urls_never_give_a_server_error(client, boundaries, url, status):
    client.login(boundaries["coordinator"])
    assert client.get(url).status_code == status


def test_edited_urls_of_the_network_dashboard_never_give_a_server_error(client, boundaries):
    client.login(boundaries["admin"])
    for url, status in (
        ("/reports/network?network=abc", 200),
        ("/reports/network?from=9999-99-99", 422),
        ("/reports/network/export/nothing.xlsx", 404),
        ("/reports/yearly?network=99999999999", 404),
        ("/reports/network?to=%00", 400),
    ):
        assert client.get(url).status_code == status, url


# ------------------------------------------------------------------------------------- always-current figures
def channel_totals(client, url=f"/reports/network?{RANGE}&lang=en") -> dict:
    """The last column (all channels) of the network dashboard's channel table, per network."""
    return {label: values[-1] for label, values in get_tables(client, url)["channel"]["rows"]}


def test_the_network_dashboard_shows_every_change_on_the_next_load(client, dataset):
    client.login(dataset["admin"])
    assert channel_totals(client) == {GENT: "9", MECHELEN: "7", WHOLE: "16"}
    page = text(client.get(f"/reports/network?{RANGE}&lang=en"))
    assert "calculated on" not in page and "Calculate again now" not in page
    rh.request_at(dataset["gent"], utc("2025-04-02 09:00"))
    assert channel_totals(client) == {GENT: "10", MECHELEN: "7", WHOLE: "17"}
    # The exports use the same figures as the page.
    rows = read_csv(client.get(f"/reports/network/export/channel.csv?{RANGE}&lang=en"))
    assert rows[-1][-1] == "17"
    assert client.post("/reports/network/recalculate").status_code in (404, 405)


def test_a_new_network_shows_zeros_at_once(client, dataset):
    client.login(dataset["admin"])
    rh.network("Digibuddy Brugge", "brugge", "8000")
    assert channel_totals(client) == {GENT: "9", MECHELEN: "7", "Digibuddy Brugge": "0", WHOLE: "16"}


# ----------------------------------------------------------------------------------------------- exports
def _same_figure(shown: str, exported) -> bool:
    """Whether an exported value is the figure the page shows (English page; durations exported in hours,
    shares in percent)."""
    if shown == "—":
        return exported in ("", None)
    if shown in (L, H):
        return exported == shown
    number = float(exported)
    if shown.endswith("%"):
        return round(number) == int(shown[:-1])
    if shown.endswith(" min"):
        return round(number * 60) == int(shown[:-4])
    if shown.endswith(" h"):
        return f"{number:.1f}" == shown[:-2]
    if shown.endswith(" days"):
        return f"{number / 24:.1f}" == shown[:-5]
    return abs(number - float(shown.replace(",", ""))) < 0.05 + 1e-9 and (
        "." in shown or number == int(shown.replace(",", ""))
    )


def _assert_export_matches(table: dict, rows: list[list], title: str):
    header, *data = rows
    assert header[0] == table["row_header"], title
    assert [label.replace(" (hours)", "").replace(" (%)", "") for label in header[1:]] == table["columns"], (
        title
    )
    assert [row[0] for row in data] == [label for label, _cells in table["rows"]], title
    for (label, cells), row in zip(table["rows"], data, strict=True):
        assert len(row) == len(cells) + 1, (title, label)
        for shown, exported in zip(cells, row[1:], strict=True):
            assert _same_figure(shown, exported), (title, label, shown, exported)


@pytest.mark.parametrize("dashboard", ["local", "network"])
def test_every_table_downloads_as_csv_and_excel_with_the_figures_of_the_page(client, dataset, dashboard):
    client.login(dataset["coordinator" if dashboard == "local" else "admin"])
    found = get_tables(client, f"/reports/{dashboard}?{RANGE}&lang=en")
    for key, table in found.items():
        csv_response = client.get(f"/reports/{dashboard}/export/{key}.csv?{RANGE}&lang=en")
        assert csv_response.status_code == 200 and csv_response.mimetype == "text/csv"
        name = "gent" if dashboard == "local" else "network"
        assert csv_response.headers["Content-Disposition"] == (
            f'attachment; filename="digibuddy-{name}-{key}-2025-03-01_2025-04-30.csv"'
        )
        _assert_export_matches(table, read_csv(csv_response), key)
        workbook = read_workbook(client.get(f"/reports/{dashboard}/export/{key}.xlsx?{RANGE}&lang=en"))
        (sheet,) = workbook.worksheets
        assert sheet["A1"].value == table["title"]
        _assert_export_matches(table, sheet_rows(sheet), key)
    # The whole workbook: one sheet per table, in page order, each with the table's title and figures.
    response = client.get(f"/reports/{dashboard}/export/all.xlsx?{RANGE}&lang=en")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = read_workbook(response)
    assert len(workbook.worksheets) == len(found)
    for sheet, (key, table) in zip(workbook.worksheets, found.items(), strict=True):
        assert sheet["A1"].value == table["title"]
        assert sheet["A2"].value.endswith("From March 1, 2025 to April 30, 2025")
        _assert_export_matches(table, sheet_rows(sheet), key)
    # In Dutch and French too (longer titles, cut to Excel's 31 characters): one sheet per table.
    for lang in ("nl", "fr"):
        titles = [
            table["title"]
            for table in get_tables(client, f"/reports/{dashboard}?{RANGE}&lang={lang}").values()
        ]
        workbook = read_workbook(client.get(f"/reports/{dashboard}/export/all.xlsx?{RANGE}&lang={lang}"))
        assert [sheet["A1"].value for sheet in workbook.worksheets] == titles, lang
        assert all(len(sheet.title) <= 31 for sheet in workbook.worksheets)


def test_exports_hold_plain_numbers(client, dataset):
    """Counts as whole numbers, durations in hours, shares in percent: values a spreadsheet computes with."""
    client.login(dataset["coordinator"])
    rows = read_csv(client.get(f"/reports/local/export/timings.csv?{RANGE}&lang=en"))
    assert rows == [
        ["From … to …", "Requests", "Median (hours)", "90th percentile (hours)"],
        ["Request to first offer", "7", "4.0", "16.8"],
        ["Request to a digibuddy found", "5", "48.0", "100.8"],
        ["Request to first session", "5", "216.0", "268.8"],
    ]
    rows = read_csv(client.get(f"/reports/local/export/channel.csv?{RANGE}&lang=en"))
    assert rows == [
        ["Channel", "Number", "Share (%)"],
        ["Click (online)", "5", "55.6"],
        ["Call (by phone)", "2", "22.2"],
        ["Face (at a counter)", "1", "11.1"],
        ["Home (home visit through outreach)", "1", "11.1"],
        ["Total", "9", "100.0"],
    ]
    sheet = read_workbook(client.get(f"/reports/local/export/trend.xlsx?{RANGE}&lang=en")).active
    assert sheet_rows(sheet) == [
        [
            "Month",
            "New requests",
            "Sessions held",
            "Volunteer hours",
            "Feedback",
            "Average satisfaction (1-5)",
        ],
        ["Mar 2025", 3, 4, 3.5, 3, 3.67],
        ["Apr 2025", 6, 1, 0.8, 1, 3],
        ["Total", 9, 5, 4.3, 4, 3.5],
    ]
    sheet = read_workbook(client.get(f"/reports/local/export/sessions.xlsx?{RANGE}&lang=en")).active
    assert sheet_rows(sheet)[1] == ["Done", 5] and sheet_rows(sheet)[-1] == ["Volunteer hours", 4.3]


def test_organisations_typed_in_by_digibuddies_are_text_in_exports_and_hidden_from_the_central_level(
    client, app
):
    gent = rh.network("Digibuddy Gent", "gent", "9000")
    helper = rh.volunteer(gent, created=utc("2024-01-01 10:00"))
    formula = '=HYPERLINK("https://x.example","Klik")'
    for index, organisation in enumerate(("bank", "Huisdokter Peeters", formula)):
        request = rh.request_at(gent, utc(f"2025-03-{10 + index} 10:00"))
        rh.session_at(
            request, helper, utc(f"2025-03-{10 + index} 15:00"), result="referred", referred_to=organisation
        )
    coordinator = make_user(Role.COORDINATOR, gent)
    client.login(coordinator)
    found = get_tables(client, f"/reports/local?{RANGE}&lang=en")
    # One each, by name: "=" before "H" before "b".
    assert found["referrals"]["rows"] == [
        (formula, ["1", "33%"]),
        ("Huisdokter Peeters", ["1", "33%"]),
        ("A bank", ["1", "33%"]),
        ("Total", ["3", "100%"]),
    ]
    rows = read_csv(client.get(f"/reports/local/export/referrals.csv?{RANGE}&lang=en"))
    assert rows[1] == ["'" + formula, "1", "33.3"]
    sheet = read_workbook(client.get(f"/reports/local/export/referrals.xlsx?{RANGE}&lang=en")).active
    assert sheet.cell(row=5, column=1).value == formula and sheet.cell(row=5, column=1).data_type == "s"
    sheet = next(
        s
        for s in read_workbook(client.get(f"/reports/local/export/all.xlsx?{RANGE}")).worksheets
        if s.cell(row=5, column=1).value == formula
    )
    assert sheet.cell(row=5, column=1).data_type == "s"
    client.logout()
    # The central level: the typed names (fewer than 5 each) count under "Other organisations".
    client.login(make_admin())
    response = client.get(f"/reports/network?{RANGE}&lang=en")
    assert "Huisdokter Peeters" not in text(response) and "HYPERLINK" not in text(response)
    referrals = page_tables(text(response))["referrals"]
    assert referrals["columns"] == ["A bank", "Other organisations", "Total"]
    assert referrals["rows"] == [("Digibuddy Gent", [L, L, L]), ("Whole network", [L, L, L])]
    page = text(client.get(f"/reports/yearly?year=2025&network={gent.id}&lang=en"))
    assert "Huisdokter Peeters" not in page
    assert page_tables(page)["referrals"]["rows"] == [
        ("A bank", [L]),
        ("Other organisations", [L]),
        ("Total", [L]),
    ]


# ---------------------------------------------------------------------------------------------- yearly report
def test_yearly_report_of_a_coordinator_has_the_years_figures(client, dataset):
    client.login(dataset["coordinator"])
    response = client.get("/reports/yearly?year=2025&lang=en")
    assert response.status_code == 200
    page = text(response)
    assert "<h1>Yearly report 2025: Digibuddy Gent</h1>" in page
    assert "From January 1, 2025 to December 31, 2025" in page
    assert "To protect privacy" not in page
    found = page_tables(page)
    assert list(found) == list(LOCAL_GENT)
    # 2025 holds R0 (28 February) too: online R0 R1 R2 R6 R7 R9 = 6 of 10.
    assert found["channel"]["rows"] == [
        ("Click (online)", ["6", "60%"]),
        ("Call (by phone)", ["2", "20%"]),
        ("Face (at a counter)", ["1", "10%"]),
        ("Home (home visit through outreach)", ["1", "10%"]),
        ("Total", ["10", "100%"]),
    ]
    # First session, now with R0's (2025-03-02 10:00 - 2025-02-28 22:59 = 1 day 11:01): six values, in days
    # 1.46, 5, 9, 9, 10, 12 -> median at 2.5: 9 days; p90 at 4.5: 11 days.
    assert found["timings"]["rows"][2] == ("Request to first session", ["6", "9.0 days", "11.0 days"])
    # R8's planned session of 7 May is in the year.
    assert found["sessions"]["rows"][4] == ("Planned", ["2"])
    assert [label for label, _cells in found["trend"]["rows"]] == [
        f"{month} 2025"
        for month in ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    ] + ["Total"]
    assert found["trend"]["rows"][1] == ("Feb 2025", ["1", "0", "0.0", "0", "—"])
    assert found["trend"]["rows"][-1] == ("Total", ["10", "5", "4.3", "4", "3.5"])
    # A printable page: no download links, no form in print.
    assert "Download this table" not in page and 'class="filters no-print"' in page
    # Without a year: last year; a year out of range: last year too.
    this_year = to_local(utcnow()).year
    for url in (
        "/reports/yearly?lang=en",
        "/reports/yearly?year=2100&lang=en",
        "/reports/yearly?year=1999&lang=en",
    ):
        assert f"Yearly report {this_year - 1}: Digibuddy Gent" in text(client.get(url)), url


def test_yearly_report_for_the_central_level_hides_small_cells(client, dataset):
    client.login(dataset["admin"])
    page = text(client.get(f"/reports/yearly?year=2025&network={dataset['gent'].id}&lang=en"))
    assert "Yearly report 2025: Digibuddy Gent" in page and "To protect privacy" in page
    found = page_tables(page)
    # Channel [6, 2, 1, 1 | 10]: three hidden in the column, no shares (they would give the cells away).
    assert found["channel"]["columns"] == ["Number"]
    assert found["channel"]["rows"] == [
        ("Click (online)", ["6"]),
        ("Call (by phone)", [L]),
        ("Face (at a counter)", [L]),
        ("Home (home visit through outreach)", [L]),
        ("Total", ["10"]),
    ]
    # Feedback of 2025: 2, 5, 4, 3 (R0-R3): all hidden, the average and the channels too.
    assert found["satisfaction"]["rows"] == [
        ("5 · Very happy", [L]),
        ("4 · Happy", [L]),
        ("3 · So-so", [L]),
        ("2 · Unhappy", [L]),
        ("1 · Very unhappy", ["0"]),
        ("Total", [L]),
        ("Average (1-5)", [H]),
    ]
    assert found["satisfaction"]["note"].endswith(
        "Given Through the link: <5, By phone: <5, At the counter: <5."
    )
    # Gent's waiting times: 7, 5 and 6 requests, shown.
    assert [cells[0] for _label, cells in found["timings"]["rows"]] == ["7", "5", "6"]
    # Mechelen's year for the administrator: [5, 2, 0, 0 | 7], and the 2 alone would be 7 - 5.
    found = get_tables(client, f"/reports/yearly?year=2025&network={dataset['mechelen'].id}&lang=en")
    assert [cells for _label, cells in found["channel"]["rows"]] == [[H], [L], ["0"], ["0"], ["7"]]


def test_yearly_report_channel_counts_cannot_be_worked_out(client, app):
    """The feedback channels under the satisfaction table add up to its total: one hidden channel alone
    would be the total minus the others."""
    gent = rh.network("Digibuddy Gent", "gent", "9000")
    for index, channel in enumerate([FeedbackChannel.LINK] * 6 + [FeedbackChannel.PHONE] * 2):
        request = rh.request_at(gent, utc(f"2025-03-{10 + index} 10:00"))
        rh.feedback(request, utc(f"2025-03-{10 + index} 12:00"), 5, channel)
    client.login(make_admin())
    found = get_tables(client, f"/reports/yearly?year=2025&network={gent.id}&lang=en")
    # 8 answers of 5: total 8 shown; link 6, phone 2, counter 0 -> phone hidden, so link too.
    assert found["satisfaction"]["rows"][0] == ("5 · Very happy", ["8"])
    assert found["satisfaction"]["rows"][-2:] == [("Total", ["8"]), ("Average (1-5)", ["5.0"])]
    assert found["satisfaction"]["note"].endswith(
        "Given Through the link: hidden, By phone: <5, At the counter: 0."
    )


def test_yearly_report_access(client, dataset):
    client.login(dataset["counter"])
    assert client.get("/reports/yearly?year=2025").status_code == 403
    client.logout()
    client.login(dataset["volunteer"])
    assert client.get("/reports/yearly?year=2025").status_code == 403


# ----------------------------------------------------------------------------------------------- charts
def test_charts_are_accessible_svg_with_the_numbers_also_in_the_table(client, dataset):
    client.login(dataset["coordinator"])
    response = client.get(f"/reports/local?{RANGE}&lang=en")
    page = text(response)
    assert "<script" not in page
    found = page_tables(page)
    channel = found["channel"]
    svg = channel["svg"]
    assert 'role="img"' in svg and 'aria-labelledby="chart-channel-title chart-channel-desc"' in svg
    assert '<title id="chart-channel-title">Requests by channel</title>' in svg
    assert (
        '<desc id="chart-channel-desc">Bar chart. Click (online): 5; Call (by phone): 2; '
        "Face (at a counter): 1; Home (home visit through outreach): 1. "
        "The same numbers are in the table.</desc>"
    ) in svg
    # One bar and one value per category, the same numbers as the table.
    assert svg.count('<rect class="bar"') == 4
    values = [part.split(">", 1)[1].split("<", 1)[0] for part in svg.split('<text class="bar-value"')[1:]]
    assert (
        values == [cells[0] for _label, cells in channel["rows"] if _label != "Total"] == ["5", "2", "1", "1"]
    )
    # The open requests: one bar per status, of its total.
    assert (
        "Bar chart. New: 2; Looking for a digibuddy: 1; Offered to a digibuddy: 1; Needs the coordinator: 2; "
        "Digibuddy found: 0; Appointment planned: 2." in found["open"]["svg"]
    )
    trend = found["trend"]["svg"]
    assert 'role="img"' in trend and "<title" in trend
    assert (
        "Line chart of New requests and Sessions held per month, from Mar 2025 to Apr 2025. The numbers are "
        "in the table."
    ) in trend
    assert trend.count("<polyline") == 2
    # Tables without a chart have none; every chart has its table.
    assert found["confidence"]["svg"] == "" and found["timings"]["svg"] == ""
    assert all(table["rows"] for table in found.values())


def test_network_charts_show_no_hidden_number(client, dataset):
    client.login(dataset["admin"])
    found = get_tables(client, f"/reports/network?{RANGE}&lang=en")
    svg = found["channel"]["svg"]
    # The bars are the whole network's: click 10 shown, the rest hidden and drawn without a bar.
    assert (
        "Bar chart. Click (online): 10; Call (by phone): &lt;5; Face (at a counter): &lt;5; "
        "Home (home visit through outreach): &lt;5."
    ) in svg
    assert svg.count('<rect class="bar"') == 1
    trend = found["trend"]["svg"]
    # New requests 6 and 10: a line with two points; both months' sessions are hidden: no line, no point.
    assert trend.count("<polyline") == 1 and trend.count("<circle") == 2


def test_dashboard_speaks_dutch_by_default(client, dataset):
    client.login(dataset["coordinator"])
    page = text(client.get(f"/reports/local?{RANGE}"))
    assert "Hulpvragen per kanaal" in page


# ----------------------------------------------------------------------------------------------- stats.py
def test_percentile_interpolates_between_ranks_like_percentile_cont():
    assert stats.percentile([1, 2, 3, 4], 0.5) == 2.5
    assert stats.percentile([4, 3, 2, 1], 0.9) == pytest.approx(3.7)
    assert stats.percentile([10], 0.9) == 10
    assert stats.percentile([1, 2, 3, 4, 5], 0.5) == 3
    assert stats.percentile([1, None, 3], 0.5) == 2
    assert stats.percentile([], 0.5) is None and stats.percentile([None], 0.5) is None
    assert stats.percentile([1, 2], 0) == 1 and stats.percentile([1, 2], 1) == 2
    assert stats.median([3600, 7200, 10800, 18000, 3600]) == 7200
    with pytest.raises(ValueError):
        stats.percentile([1, 2], 1.5)
    assert stats.interpolate(10, 20, 3.25) == 12.5
    assert stats.mean_of_distribution({5: 3, 4: 2}) == pytest.approx(4.6)
    assert stats.mean_of_distribution({}) is None


def test_parse_range_defaults_and_errors():
    today = date(2026, 12, 1)
    assert stats.parse_range(None, None, today) == (stats.DateRange(date(2025, 12, 2), today), {})
    assert stats.parse_range("2025-03-01", "", today) == (stats.DateRange(date(2025, 3, 1), today), {})
    assert stats.parse_range("", "2025-02-28", today) == (
        stats.DateRange(date(2024, 2, 29), date(2025, 2, 28)),
        {},
    )
    assert stats.parse_range("2027-01-10", None, today) == (
        stats.DateRange(date(2027, 1, 10), date(2027, 1, 10)),
        {},
    )
    default = stats.default_range(today)
    assert stats.parse_range("2025-02-30", None, today) == (default, {"from": stats.INVALID_DATE})
    assert stats.parse_range("x", "y", today) == (
        default,
        {"from": stats.INVALID_DATE, "to": stats.INVALID_DATE},
    )
    assert stats.parse_range("2025-03-02", "2025-03-01", today) == (default, {"to": stats.END_BEFORE_START})
    # At most 10 years: 2015-01-01 .. 2024-12-31 is; one more day is not.
    assert stats.parse_range("2015-01-01", "2024-12-31", today)[1] == {}
    assert stats.parse_range("2015-01-01", "2025-01-01", today) == (default, {"from": stats.TOO_LONG})
    assert stats.parse_range("2014-12-31", "2025-01-01", today) == (default, {"from": stats.TOO_LONG})
    assert stats.parse_range("1999-12-31", "2000-01-01", today) == (default, {"from": stats.OUT_OF_BOUNDS})
    assert stats.parse_range("2099-12-01", "2100-01-01", today) == (default, {"to": stats.OUT_OF_BOUNDS})
    assert stats.parse_range(None, "2000-01-01", today)[0] == stats.DateRange(
        date(2000, 1, 1), date(2000, 1, 1)
    )
    assert stats.default_range(date(2024, 2, 29)) == stats.DateRange(date(2023, 3, 1), date(2024, 2, 29))


def test_ranges_are_brussels_days_in_utc():
    march = stats.DateRange(date(2025, 3, 1), date(2025, 3, 31))
    assert march.utc_bounds() == (utc("2025-02-28 23:00"), utc("2025-03-31 22:00"))
    assert march.days == 31 and march.months() == [date(2025, 3, 1)]
    autumn = stats.DateRange(date(2025, 10, 15), date(2025, 11, 2))
    assert autumn.months() == [date(2025, 10, 1), date(2025, 11, 1)]
    assert stats.month_bounds_utc(autumn.months()) == [utc("2025-10-31 23:00")]
    assert stats.year_range(2025).utc_bounds() == (utc("2024-12-31 23:00"), utc("2025-12-31 23:00"))
    assert stats.add_months(date(2025, 1, 31), 1) == date(2025, 2, 28)
    assert stats.add_months(date(2025, 1, 15), -13) == date(2023, 12, 15)


def test_age_buckets_and_main_reasons():
    assert [stats.age_bucket(d) for d in (0, 6.99, 7, 13.9, 14, 29.9, 30, 400)] == [0, 0, 1, 1, 2, 2, 3, 3]
    assert stats.main_reason(None) is None and stats.main_reason({}) is None
    assert stats.main_reason({"rounds": 1, "language": 9}) == "rounds"
    assert stats.main_reason({"rounds": 0, "language": 3, "distance": 2}) == "language"
    assert stats.main_reason({"topic": 2, "mode": 2}) == "mode"
    assert stats.main_reason({"waiting": 6}) == "other"


def test_top_languages_and_the_rest():
    counts = {"nl": 11, "ar": 3, "fr": 3, "tr": 1, "uk": 1}
    assert stats.top_with_other(counts, 2) == ["nl", "ar", "other"]
    assert stats.top_with_other(counts, 4) == ["nl", "ar", "fr", "tr", "uk"]
    assert stats.fold_other(counts, ["nl", "ar", "other"]) == {"nl": 11, "ar": 3, "other": 5}
    assert stats.add_counts({"a": 1}, {"a": 2, "b": None}) == {"a": 3, "b": 0}


def test_small_cells_are_hidden_and_cannot_be_worked_out():
    assert [stats.suppress_count(v) for v in (0, 1, 4, 5, 17, None)] == [
        0,
        SUPPRESSED,
        SUPPRESSED,
        5,
        17,
        None,
    ]
    assert str(SUPPRESSED) == "<5" and stats.is_suppressed(stats.suppress_count(3))
    # Without totals: only the small cells.
    assert stats.suppress_matrix([[0, 3, 5]]) == [[0, SUPPRESSED, 5]]
    # A row [7, 2, 0 | 9]: 2 alone would be 9 - 7 - 0, so 7 goes too (not the zero, not the total).
    assert stats.suppress_matrix([[7, 2, 0, 9]], total_col=3) == [[HIDDEN, SUPPRESSED, 0, 9]]
    # Rows and a total row: hiding spreads until no line has a single hidden cell.
    cells = [[5, 2, 1, 1, 9], [5, 2, 0, 0, 7], [10, 4, 1, 1, 16]]
    protected = stats.suppress_matrix(cells, total_row=2, total_col=4)
    assert protected == [
        [HIDDEN] + [SUPPRESSED] * 3 + [9],
        [HIDDEN, SUPPRESSED, 0, 0, 7],
        [10] + [SUPPRESSED] * 3 + [16],
    ]
    # Only a count from 1 to 4 may read "<5": a larger one hidden to protect it is "hidden".
    assert str(HIDDEN) == "hidden" and stats.is_suppressed(HIDDEN)
    assert stats.reads_as_small(SUPPRESSED) and not stats.reads_as_small(HIDDEN)
    assert not stats.reads_as_small(SUPPRESSED, "hours")
    # A small total with a single non-zero category: both hidden.
    assert stats.suppress_matrix([[0, 3, 0, 3]], total_col=3) == [[0, SUPPRESSED, 0, SUPPRESSED]]
    # None cells (no value) are left alone.
    assert stats.suppress_matrix([[None, 2], [None, 8]], total_row=1) == [
        [None, SUPPRESSED],
        [None, HIDDEN],
    ]


def test_values_hidden_with_their_basis():
    # Hours of 2, 7 and 9 outcomes, the last the total: the first is hidden, so the second too.
    # Hours are no counts: hidden ones never read "<5".
    assert stats.suppress_by_basis([1.0, 6.0, 7.0], [2, 7, 9], total_index=2) == [HIDDEN, HIDDEN, 7.0]
    assert stats.suppress_by_basis([1.0, 6.0, 7.0], [0, 7, 7], total_index=2) == [1.0, 6.0, 7.0]
    assert stats.suppress_by_basis([1.0, 6.0], [2, 7]) == [HIDDEN, 6.0]
    assert stats.suppress_by_basis([0.5, 1.0, 1.5], [2, 3, 5], total_index=2) == [HIDDEN, HIDDEN, 1.5]


def test_chart_geometry():
    assert stats.nice_ticks(0) == [0, 1]
    assert stats.nice_ticks(3) == [0, 1, 2, 3]
    assert stats.nice_ticks(10) == [0, 2.5, 5, 7.5, 10]
    assert stats.nice_ticks(93) == [0, 25, 50, 75, 100]
    chart = stats.bar_chart([("a", 5), ("b", SUPPRESSED), ("c", None), ("d", 0)], width=640, label_width=220)
    assert [bar.length for bar in chart.bars][1:] == [0, 0, 0]
    assert chart.bars[0].length == pytest.approx(chart.plot_width * 5 / chart.ticks[-1][0])
    line = stats.line_chart(["Mar", "Apr", "May"], [("x", [1, SUPPRESSED, 3])])
    assert [len(segment) for segment in line.series[0].segments] == [1, 1] and line.series[0].points[
        1
    ] is None
