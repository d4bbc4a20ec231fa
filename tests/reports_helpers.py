"""Building blocks for the dashboard tests: records with fixed times, and reading the dashboards back
(the HTML tables and charts of a page, CSV and Excel downloads)."""

import csv
import io
from datetime import datetime
from html.parser import HTMLParser

from openpyxl import load_workbook

from digibuddy.accounts.models import Membership, Role
from digibuddy.extensions import db
from digibuddy.matching.models import Offer, OfferStatus
from digibuddy.outcomes.models import Feedback, FeedbackChannel, Outcome, OutcomeResult
from digibuddy.requests.models import (
    HelpMode,
    IntakeChannel,
    RequestEvent,
    RequestStatus,
)
from digibuddy.scheduling.models import HelpSession, PlaceKind, SessionStatus
from digibuddy.volunteers.models import VolunteerStatus
from tests.factories import NetworkFactory, make_volunteer
from tests.matching_helpers import make_request


def utc(text: str) -> datetime:
    """A naive UTC instant, how the database stores time: utc("2025-03-03 09:00")."""
    return datetime.fromisoformat(text)


# ----------------------------------------------------------------------------------------------- records
def request_at(
    network,
    created: datetime,
    *,
    channel=IntakeChannel.ONLINE,
    status=RequestStatus.COMPLETED,
    languages=("nl",),
    topics=("itsme-install",),
    age_band=None,
    escalation_reasons=None,
    postcode=None,
):
    request = make_request(
        network,
        mode=HelpMode.LOCATION,
        languages=languages,
        topics=topics,
        postcode=postcode or network_postcode(network),
        intake_channel=channel,
        status=status,
        created_at=created,
        status_changed_at=created,
        resident__age_band=age_band,
    )
    if escalation_reasons is not None:
        request.escalation_reasons = escalation_reasons
        db.session.commit()
    return request


POSTCODES: dict = {}  # network id -> the postcode its residents and volunteers live in


def network(name: str, slug: str, postcode: str):
    """A local network covering the municipality of `postcode`, where its residents and volunteers live."""
    found = NetworkFactory(name=name, slug=slug, postcodes=[postcode])
    POSTCODES[found.id] = postcode
    return found


def network_postcode(network) -> str:
    return POSTCODES[network.id]


def offer(request, volunteer, created: datetime, status=OfferStatus.DECLINED) -> Offer:
    found = Offer(
        request_id=request.id,
        volunteer_id=volunteer.id,
        status=status,
        created_at=created,
        responded_at=created,
    )
    db.session.add(found)
    db.session.commit()
    return found


def event(
    request, at: datetime, to_status: RequestStatus, from_status=RequestStatus.OFFERED, note=None
) -> RequestEvent:
    found = RequestEvent(
        request_id=request.id, at=at, kind="status", from_status=from_status, to_status=to_status, note=note
    )
    db.session.add(found)
    db.session.commit()
    return found


def session_at(
    request,
    volunteer,
    starts: datetime,
    status=SessionStatus.DONE,
    *,
    result=None,
    minutes=60,
    before=None,
    after=None,
    follow_up=False,
    referred_to=None,
) -> HelpSession:
    """A session by phone (no location needed) of one hour, with an outcome when `result` is given."""
    from datetime import timedelta

    found = HelpSession(
        request_id=request.id,
        volunteer_id=volunteer.id,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place_kind=PlaceKind.PHONE,
        status=status,
    )
    db.session.add(found)
    db.session.flush()
    if result is not None:
        db.session.add(
            Outcome(
                session_id=found.id,
                result=OutcomeResult(result),
                referred_to=referred_to,
                minutes_spent=minutes,
                confidence_before=before,
                confidence_after=after,
                follow_up_needed=follow_up,
            )
        )
    db.session.commit()
    return found


def feedback(
    request, created: datetime, satisfaction: int, channel=FeedbackChannel.LINK, *, ease=None, trust=None
) -> Feedback:
    found = Feedback(
        request_id=request.id,
        channel=FeedbackChannel(channel),
        satisfaction=satisfaction,
        ease=ease,
        trust=trust,
        created_at=created,
    )
    db.session.add(found)
    db.session.commit()
    return found


def volunteer(
    network, *, created: datetime, status=VolunteerStatus.ACTIVE, changed: datetime | None = None, also=()
):
    """A volunteer of `network` (and of the networks in `also`) who applied at `created`."""
    found = make_volunteer(network, postcode=network_postcode(network), status=status)
    found.created_at = created
    found.status_changed_at = changed or created
    for other in also:
        db.session.add(Membership(user_id=found.user_id, network_id=other.id, role=Role.VOLUNTEER))
    db.session.commit()
    return found


# ---------------------------------------------------------------------------------------------- reading pages
class _Tables(HTMLParser):
    """The dashboard tables of a page: {key: {"title", "row_header", "columns" (with their group heading,
    as exports name them), "rows": [(label, [cell texts])], "total_rows", "note", "links", "svg" (the chart's
    markup as sent)}}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables: dict = {}
        self.current = None
        self.cell = None
        self.row = None
        self.in_thead = False
        self.header_rows: list = []
        self.svg_depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "section" and "report-table" in (attrs.get("class") or ""):
            key = attrs["id"].removeprefix("table-")
            self.current = {
                "title": None,
                "columns": [],
                "groups": [],
                "rows": [],
                "svg": "",
                "total_rows": [],
                "note": "",
                "row_header": "",
                "links": [],
            }
            self.tables[key] = self.current
            self.header_rows = []
            return
        if self.current is None:
            return
        if tag == "svg" or self.svg_depth:
            self.svg_depth += tag == "svg"
            return
        if tag == "thead":
            self.in_thead = True
        elif tag == "tr":
            self.row = {"cells": [], "total": "total" in (attrs.get("class") or "")}
        elif tag in ("th", "td") and self.row is not None:
            self.cell = {"text": "", "tag": tag, "attrs": attrs}
        elif tag in ("h2", "h3") and self.current["title"] is None:
            self.cell = {"text": "", "tag": "title", "attrs": attrs}
        elif tag == "p" and "hint" in (attrs.get("class") or "") and self.row is None:
            self.cell = {"text": "", "tag": "note", "attrs": attrs}
        elif tag == "a" and attrs.get("href"):
            self.current["links"].append(attrs["href"])

    def handle_endtag(self, tag):
        if self.current is None:
            return
        if self.svg_depth:
            self.svg_depth -= tag == "svg"
            return
        if tag in ("h2", "h3") and self.cell and self.cell["tag"] == "title":
            self.current["title"] = " ".join(self.cell["text"].split())
            self.cell = None
        elif tag == "p" and self.cell and self.cell["tag"] == "note":
            self.current["note"] = " ".join(self.cell["text"].split())
            self.cell = None
        elif tag in ("th", "td") and self.cell is not None and self.row is not None:
            self.row["cells"].append(
                (self.cell["tag"], " ".join(self.cell["text"].split()), self.cell["attrs"])
            )
            self.cell = None
        elif tag == "tr" and self.row is not None:
            if self.in_thead:
                self.header_rows.append(self.row["cells"])
            else:
                (_tag, label, _attrs), *values = self.row["cells"]
                self.current["rows"].append((label, [text for _t, text, _a in values]))
                if self.row["total"]:
                    self.current["total_rows"].append(label)
            self.row = None
        elif tag == "thead":
            self.in_thead = False
            self.current["header_rows"] = len(self.header_rows)
            first, last = self.header_rows[0], self.header_rows[-1]
            self.current["row_header"] = first[0][1]
            labels = [text for _t, text, _a in (last[1:] if len(self.header_rows) == 1 else last)]
            if len(self.header_rows) > 1:
                groups = [(text, int(a.get("colspan", 1))) for _t, text, a in first[1:]]
                self.current["groups"] = groups
                names = [name for name, span in groups for _i in range(span)]
                labels = [
                    f"{group}: {text}" if group else text for group, text in zip(names, labels, strict=True)
                ]
            self.current["columns"] = labels
        elif tag == "section":
            self.current = None

    def handle_data(self, data):
        if self.svg_depth:
            return
        if self.cell is not None:
            self.cell["text"] += data


def page_tables(html: str) -> dict:
    parser = _Tables()
    parser.feed(html)
    for key, table in parser.tables.items():
        start = html.index(f'<section class="report-table" id="table-{key}"')
        section = html[start : html.index("</section>", start)]
        begin = section.find("<svg")
        table["svg"] = section[begin : section.index("</svg>", begin) + len("</svg>")] if begin >= 0 else ""
    return parser.tables


def table_dict(table: dict) -> dict:
    """{row label: {column label: cell text}}."""
    return {label: dict(zip(table["columns"], cells, strict=True)) for label, cells in table["rows"]}


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode()), "CSV starts with a byte-order mark for spreadsheet programs"
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))


def read_workbook(response):
    return load_workbook(io.BytesIO(response.get_data()))


def sheet_rows(sheet) -> list[list]:
    """A sheet's table: the header row (row 4) and the data rows below it, up to the first empty row."""
    rows = []
    for row in sheet.iter_rows(min_row=4, values_only=True):
        if all(v is None for v in row):
            break
        rows.append(list(row))
    return rows
