"""Recruitment advice: what kind of digibuddy a network lacks, read from the requests that waited.

The requests of the last months that could not be matched, were escalated or waited long are grouped by what
a new digibuddy would need to bring: the language the resident asked help in (when nobody spoke it), the
topic, and the area (postcode). Groups are ranked by their number of requests, the largest first.

For the central level small groups are protected the way the dashboards protect small cells
(stats.SMALL_CELL): a postcode with fewer requests than that counts under its municipality instead, and a
municipality that still has too few is left out. A coordinator's own network is shown exactly.

Pure Python: imports nothing from Flask or SQLAlchemy, so it is tested on its own."""

import heapq
from dataclasses import dataclass

from . import stats

MONTHS = 3  # how far back the advice looks
TOP = 5  # groups shown per network

POSTCODE = "postcode"
MUNICIPALITY = "municipality"


@dataclass(frozen=True)
class WaitingRequest:
    """A request that waited: its network, the languages the resident asked help in, whether nobody spoke
    them (the matching reasons name the language), its topics, and where the resident lives."""

    request_id: int
    network_id: int
    languages: tuple[str, ...]
    language_missing: bool
    topic_ids: tuple[int, ...]
    postcode: str | None
    municipality: str | None  # NIS code of the postcode's municipality


@dataclass(frozen=True)
class Need:
    """One piece of advice: digibuddies who speak `languages` (none named: any language will do) and know
    topic `topic_id`, in an area (a postcode, a municipality, or none known), for `requests` requests."""

    languages: tuple[str, ...]
    topic_id: int
    area_kind: str | None
    area: str | None
    requests: int


@dataclass
class Advice:
    needs: list[Need]
    left_out: bool = False  # groups were left out to protect residents


def counted(waiting: list[WaitingRequest]) -> dict:
    """{network id: {(languages, topic, postcode, municipality): requests}}: the languages only when nobody
    spoke them (sorted), a request once for each of its topics; a postcode or municipality not known is None.
    The requests of a group are distinct, so groups that merge add their counts."""
    found: dict = {}
    for request in waiting:
        languages = tuple(sorted(request.languages)) if request.language_missing else ()
        groups = found.setdefault(request.network_id, {})
        for topic_id in sorted(set(request.topic_ids)):
            key = (languages, topic_id, request.postcode or None, request.municipality or None)
            groups[key] = groups.get(key, 0) + 1
    return found


def _ranked(groups: dict, top: int) -> list[Need]:
    """The `top` largest groups, the largest first (ties: a named language first, then by language, topic
    and area), picked without sorting every group (a network of the whole region has thousands)."""
    largest = heapq.nsmallest(
        top,
        groups.items(),
        key=lambda item: (-item[1], item[0][0] == (), item[0][0], item[0][1], item[0][3] or ""),
    )
    return [Need(*key, count) for key, count in largest]


def advise(counts: dict, *, suppress: bool, top: int = TOP, threshold: int = stats.SMALL_CELL) -> Advice:
    """The `top` largest groups of one network's waiting requests, given as counted() gives a network's
    groups. With `suppress` no group of fewer than `threshold` requests is shown: the requests of a small
    postcode group count in their municipality's group, and a municipality group that stays small is left
    out (no number of it is shown anywhere)."""
    # Each group's postcode group, worked out once (thousands of groups): its postcode, or no area at all
    # when the postcode is not known; a municipality group likewise.
    groups = []
    for key, count in counts.items():
        languages, topic_id, postcode, _municipality = key
        area = (languages, topic_id, POSTCODE, postcode) if postcode else (languages, topic_id, None, None)
        groups.append((area, key, count))
    by_postcode: dict = {}
    for area, _key, count in groups:
        by_postcode[area] = by_postcode.get(area, 0) + count
    if not suppress:
        return Advice(_ranked(by_postcode, top))
    kept = {key: count for key, count in by_postcode.items() if count >= threshold}
    rolled: dict = {}
    for area, (languages, topic_id, _postcode, municipality), count in groups:
        if area not in kept:
            key = (languages, topic_id, MUNICIPALITY if municipality else None, municipality or None)
            rolled[key] = rolled.get(key, 0) + count
    left_out = False
    for key, count in rolled.items():
        if count >= threshold:
            kept[key] = count
        else:
            left_out = True
    return Advice(_ranked(kept, top), left_out=left_out)


def per_network(counts: dict, network_ids, *, suppress: bool, top: int = TOP) -> dict:
    """{network id: Advice} for each of `network_ids`, from the counted() groups of all of them."""
    return {
        network_id: advise(counts.get(network_id, {}), suppress=suppress, top=top)
        for network_id in network_ids
    }
