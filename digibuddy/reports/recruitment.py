"""Recruitment advice: what kind of digibuddy a network lacks, read from the requests that waited.

The requests of the last months that could not be matched, were escalated or waited long are grouped by what
a new digibuddy would need to bring: the language the resident asked help in (when nobody spoke it), the
topic, and the area (postcode). Groups are ranked by their number of requests, the largest first.

For the central level small groups are protected the way the dashboards protect small cells
(stats.SMALL_CELL): a postcode with fewer requests than that counts under its municipality instead, and a
municipality that still has too few is left out. A coordinator's own network is shown exactly.

Pure Python: imports nothing from Flask or SQLAlchemy, so it is tested on its own."""

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


def _groups(waiting: list[WaitingRequest], area_of) -> dict:
    """{(languages, topic, area kind, area): {request ids}}; a request counts once in every group of its
    topics."""
    found: dict = {}
    for request in waiting:
        languages = tuple(sorted(request.languages)) if request.language_missing else ()
        kind, area = area_of(request)
        for topic_id in sorted(set(request.topic_ids)):
            found.setdefault((languages, topic_id, kind, area), set()).add(request.request_id)
    return found


def _by_postcode(request: WaitingRequest):
    if request.postcode:
        return POSTCODE, request.postcode
    return None, None


def _by_municipality(request: WaitingRequest):
    if request.municipality:
        return MUNICIPALITY, request.municipality
    return None, None


def _ranked(groups: dict) -> list[Need]:
    needs = [
        Need(languages, topic_id, kind, area, len(ids))
        for (languages, topic_id, kind, area), ids in groups.items()
    ]
    return sorted(
        needs, key=lambda n: (-n.requests, n.languages == (), n.languages, n.topic_id, n.area or "")
    )


def advise(
    waiting: list[WaitingRequest], *, suppress: bool, top: int = TOP, threshold: int = stats.SMALL_CELL
) -> Advice:
    """The `top` largest groups of one network's waiting requests. With `suppress` no group of fewer than
    `threshold` requests is shown: the requests of a small postcode group count in their municipality's group,
    and a municipality group that stays small is left out (no number of it is shown anywhere)."""
    by_postcode = _groups(waiting, _by_postcode)
    if not suppress:
        return Advice(_ranked(by_postcode)[:top])
    kept = {key: ids for key, ids in by_postcode.items() if len(ids) >= threshold}
    small = {key for key, ids in by_postcode.items() if len(ids) < threshold}
    municipality_of = {r.request_id: r for r in waiting}
    rolled: dict = {}
    for languages, topic_id, _kind, _area in small:
        for request_id in by_postcode[(languages, topic_id, _kind, _area)]:
            kind, area = _by_municipality(municipality_of[request_id])
            rolled.setdefault((languages, topic_id, kind, area), set()).add(request_id)
    left_out = False
    for key, ids in rolled.items():
        if len(ids) >= threshold:
            kept[key] = ids
        else:
            left_out = True
    ranked = _ranked(kept)
    return Advice(ranked[:top], left_out=left_out)


def per_network(waiting: list[WaitingRequest], network_ids, *, suppress: bool, top: int = TOP) -> dict:
    """{network id: Advice} for each of `network_ids`, from the waiting requests of all of them."""
    by_network: dict = {network_id: [] for network_id in network_ids}
    for request in waiting:
        if request.network_id in by_network:
            by_network[request.network_id].append(request)
    return {network_id: advise(found, suppress=suppress, top=top) for network_id, found in by_network.items()}
