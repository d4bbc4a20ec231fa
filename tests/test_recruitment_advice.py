"""Recruitment advice: the requests that waited in the last three months, grouped by the language nobody
spoke, the topic and the area, ranked and phrased per network; small groups protected at the central level."""

import random
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.core.db import utcnow
from digibuddy.extensions import db
from digibuddy.matching import engine
from digibuddy.matching.services import ESCALATE_AFTER
from digibuddy.reference.models import Postcode
from digibuddy.reports import advice, queries, recruitment, rollups
from digibuddy.reports.recruitment import MUNICIPALITY, POSTCODE, Need, WaitingRequest
from digibuddy.requests.models import HelpRequest, RequestEvent, RequestStatus
from tests import reports_helpers as rh
from tests.conftest import text
from tests.factories import make_admin, make_user
from tests.matching_helpers import ITSME, TAX, topic

GENT_NIS = "44021"  # 9000 Gent and 9030 Mariakerke are both Gent
S = RequestStatus


def waiting(
    request_id, *, languages=("tr",), missing=True, topics=(1,), postcode="9000", nis=GENT_NIS, net=1
):
    return WaitingRequest(request_id, net, languages, missing, topics, postcode, nis)


# ----------------------------------------------------------------------------------------------- grouping
def _advise(found, **options):
    """The advice of network 1 from its waiting requests."""
    return recruitment.advise(recruitment.counted(found).get(1, {}), **options)


def test_waiting_requests_are_grouped_by_missing_language_topic_and_postcode_and_ranked():
    found = [waiting(i, topics=(7,)) for i in range(1, 7)]  # 6 x Turkish, topic 7, 9000
    found += [waiting(10, topics=(7, 8)), waiting(11, topics=(8,))]  # topic 8 twice (10 also counts for 7)
    found += [waiting(12, languages=("nl",), missing=False, topics=(8,), postcode="9030")]  # language fine
    found += [waiting(13, languages=("ar", "nl"), topics=(7,), postcode=None, nis=None)]  # no postcode known
    result = _advise(found, suppress=False)
    assert result.needs == [
        Need(("tr",), 7, POSTCODE, "9000", 7),
        Need(("tr",), 8, POSTCODE, "9000", 2),
        Need(("ar", "nl"), 7, None, None, 1),
        Need((), 8, POSTCODE, "9030", 1),
    ]
    assert not result.left_out
    # At most `top` groups, the largest first.
    assert _advise(found, suppress=False, top=2).needs == result.needs[:2]


def test_for_the_central_level_small_postcodes_count_in_their_municipality_and_small_groups_stay_out():
    found = [waiting(i, topics=(7,)) for i in range(1, 7)]  # 6 in 9000: shown as such
    found += [waiting(i, topics=(7,), postcode="9030") for i in range(7, 10)]  # 3 in 9030
    found += [waiting(i, topics=(7,), postcode="9050", nis="44021") for i in range(10, 12)]  # 2 in 9050
    found += [waiting(20, topics=(8,))]  # 1 for topic 8: too few anywhere
    result = _advise(found, suppress=True)
    # 9030 and 9050 are small alone; together, as the municipality of Gent, they are 5.
    assert result.needs == [
        Need(("tr",), 7, POSTCODE, "9000", 6),
        Need(("tr",), 7, MUNICIPALITY, GENT_NIS, 5),
    ]
    assert result.left_out
    # A coordinator's own network exactly: every group, however small.
    exact = _advise(found, suppress=False)
    assert [n.requests for n in exact.needs] == [6, 3, 2, 1] and not exact.left_out


def test_advice_per_network_keeps_each_networks_requests_apart():
    found = [waiting(1, net=1), waiting(2, net=2), waiting(3, net=2)]
    result = recruitment.per_network(recruitment.counted(found), [1, 2, 3], suppress=False)
    assert [n.requests for n in result[1].needs] == [1]
    assert [n.requests for n in result[2].needs] == [2]
    assert result[3].needs == []


def test_escalation_reasons_survive_in_the_event_note():
    note = engine.reasons_note({"language": 3, "distance": 2})
    assert note == "distance: 2, language: 3"
    assert engine.reasons_from_note(note) == {"distance": 2, "language": 3}
    assert engine.reasons_from_note("Assigned directly: she speaks Turkish") == {}
    assert engine.reasons_from_note(None) == {} and engine.reasons_note({}) is None


# ----------------------------------------------------------------------------------------------- sentences
@pytest.fixture
def english(app):
    with app.test_request_context("/?lang=en"):
        yield


def test_each_group_reads_as_a_sentence_with_its_count(english):
    itsme, tax = topic(ITSME), topic(TAX)
    topics = {itsme.id: itsme, tax.id: tax}
    gent = type("M", (), {"name": lambda self, locale: "Gent"})()
    municipalities = {GENT_NIS: gent}
    itsme_label, tax_label = itsme.label("en"), tax.label("en")
    assert advice.sentence(Need(("tr",), itsme.id, POSTCODE, "9000", 6), topics, municipalities) == (
        f"Recruit digibuddies who speak Turkish near 9000 for {itsme_label}: 6 requests waited in the last 3 "
        "months."
    )
    assert advice.sentence(Need(("ar", "fr"), tax.id, MUNICIPALITY, GENT_NIS, 1), topics, municipalities) == (
        f"Recruit digibuddies who speak Arabic or French in Gent for {tax_label}: 1 request waited in the "
        "last 3 months."
    )
    assert advice.sentence(Need((), itsme.id, POSTCODE, "9030", 1234), topics, municipalities) == (
        f"Recruit digibuddies near 9030 for {itsme_label}: 1,234 requests waited in the last 3 months."
    )
    assert advice.sentence(Need(("tr",), itsme.id, None, None, 2), topics, municipalities) == (
        f"Recruit digibuddies who speak Turkish for {itsme_label}: 2 requests waited in the last 3 months."
    )
    assert advice.sentence(Need((), tax.id, None, None, 1), topics, municipalities) == (
        f"Recruit digibuddies for {tax_label}: 1 request waited in the last 3 months."
    )


def test_sentences_are_translated(app):
    itsme = topic(ITSME)
    need = Need(("tr",), itsme.id, POSTCODE, "9000", 6)
    with app.test_request_context("/"), force_locale("nl"):
        assert advice.sentence(need, {itsme.id: itsme}, {}) == (
            f"Zoek digibuddy's die Turks spreken in de buurt van 9000 voor {itsme.label('nl')}: 6 hulpvragen "
            "wachtten de voorbije 3 maanden."
        )
    with app.test_request_context("/"), force_locale("fr"):
        sentence = advice.sentence(need, {itsme.id: itsme}, {})
        assert sentence.startswith("Recrutez des digibuddies qui parlent turc près de 9000 pour ")


# ----------------------------------------------------------------------------------------------- the pages
def _escalated(network, created, *, languages=("tr",), postcode="9000", reasons=None, status=S.ESCALATED):
    request = rh.request_at(network, created, status=status, languages=languages, postcode=postcode)
    reasons = {"language": 3, "distance": 1} if reasons is None else reasons
    db.session.add(
        RequestEvent(
            request_id=request.id,
            at=created + timedelta(hours=1),
            kind="status",
            from_status=S.MATCHING,
            to_status=S.ESCALATED,
            note=engine.reasons_note(reasons),
        )
    )
    request.escalation_reasons = reasons if status == S.ESCALATED else None
    db.session.commit()
    return request


@pytest.fixture
def waited(app):
    """Gent: 5 Turkish itsme requests from 9000 escalated because nobody speaks Turkish (one of them matched
    since, its reasons cleared but kept in the note), 2 from 9030, one waiting 10 days without escalation
    (Dutch: the language is not what is missing), and one escalated 4 months ago (too old). Mechelen: one."""
    gent = rh.network("Digibuddy Gent", "gent", "9000")
    mechelen = rh.network("Digibuddy Mechelen", "mechelen", "2800")
    now = utcnow()
    for days in (5, 10, 20, 30):
        _escalated(gent, now - timedelta(days=days))
    _escalated(gent, now - timedelta(days=40), status=S.SCHEDULED)  # matched since: the note keeps why
    for days in (6, 7):
        _escalated(gent, now - timedelta(days=days), postcode="9030")
    rh.request_at(gent, now - timedelta(days=10), status=S.MATCHING, languages=("nl",))  # waits long
    rh.request_at(gent, now - timedelta(days=2), status=S.MATCHING, languages=("nl",))  # not long yet
    _escalated(gent, now - timedelta(days=125))  # before the last 3 months
    _escalated(mechelen, now - timedelta(days=3), languages=("ar",), postcode="2800")
    return {
        "gent": gent,
        "mechelen": mechelen,
        "coordinator": make_user(Role.COORDINATOR, gent),
        "coordinator_b": make_user(Role.COORDINATOR, mechelen),
        "admin": make_admin(),
    }


def _advice(page: str) -> str:
    start = page.index('id="recruitment"')
    return page[start : page.index("</section>", start)]


def test_a_coordinator_reads_the_advice_of_their_network_exactly(client, waited):
    client.login(waited["coordinator"])
    section = _advice(text(client.get("/reports/local?lang=en")))
    itsme = topic(ITSME).label("en")
    items = [line.strip() for line in section.split("<li>")[1:]]
    last = "waited in the last 3 months."
    assert [item.removesuffix("</li>").split("</li>")[0] for item in items] == [
        f"Recruit digibuddies who speak Turkish near 9000 for {itsme}: 5 requests {last}",
        f"Recruit digibuddies who speak Turkish near 9030 for {itsme}: 2 requests {last}",
        f"Recruit digibuddies near 9000 for {itsme}: 1 request {last}",
    ]
    assert "Mechelen" not in section and "Arabic" not in section  # another network's requests: never here
    assert 'href="#recruitment"' in text(client.get("/reports/local?lang=en"))


def test_the_network_dashboard_shows_each_networks_advice_with_small_groups_left_out(client, waited):
    client.login(waited["admin"])
    section = _advice(text(client.get("/reports/network?lang=en")))
    itsme = topic(ITSME).label("en")
    gent = section.index("<h3>Digibuddy Gent</h3>")
    mechelen = section.index("<h3>Digibuddy Mechelen</h3>")
    assert gent < mechelen  # networks by name
    gent_part, mechelen_part = section[gent:mechelen], section[mechelen:]
    assert f"Recruit digibuddies who speak Turkish near 9000 for {itsme}: 5 requests waited" in gent_part
    # 9030's 2 and the single Dutch request are too few, also as the municipality of Gent (3): left out.
    assert "9030" not in gent_part and "1 request" not in gent_part and "2 requests" not in gent_part
    assert "Groups of fewer than 5 requests are not shown, to protect residents." in gent_part
    assert "Every group has fewer than 5 requests: not shown, to protect residents." in mechelen_part
    assert "Arabic" not in mechelen_part


def test_the_advice_is_in_the_viewers_language(client, waited):
    client.login(waited["coordinator"])
    section = _advice(text(client.get("/reports/local?lang=fr")))
    assert "Conseils de recrutement" in section and "qui parlent turc près de 9000" in section


def test_a_coordinator_cannot_read_another_networks_advice(client, waited):
    client.login(waited["coordinator_b"])
    assert client.get(f"/reports/local?network={waited['gent'].id}").status_code == 404
    section = _advice(text(client.get("/reports/local?lang=en")))
    assert "Turkish" not in section and "9000" not in section
    assert "Recruit digibuddies who speak Arabic near 2800" in section
    # Counter staff and digibuddies reach neither dashboard.
    client.logout()
    client.login(make_user(Role.COUNTER, waited["gent"]))
    assert client.get("/reports/local").status_code == 403
    assert client.get("/reports/network").status_code == 403


def test_the_waiting_requests_are_the_escalated_ones_and_the_long_waiting_ones_in_any_chunks(
    waited, monkeypatch
):
    """Escalated in the period (whatever their status now) or still waiting too long; the notes read by id
    chunks count the same as in one go."""
    now = utcnow()
    found = queries.waiting_counts(None, advice.since(now), now, ESCALATE_AFTER)
    gent, mechelen = waited["gent"].id, waited["mechelen"].id
    # the 2-day-old request waits too briefly, the 125-day-old is too old; one topic each
    assert sum(found[gent].values()) == 4 + 1 + 2 + 1
    assert found[gent][(("tr",), topic(ITSME).id, "9000", GENT_NIS)] == 5  # the matched one by its note
    assert sum(found[mechelen].values()) == 1
    monkeypatch.setattr(queries, "ID_CHUNK", 2)
    assert queries.waiting_counts(None, advice.since(now), now, ESCALATE_AFTER) == found
    only_gent = queries.waiting_counts([gent], advice.since(now), now, ESCALATE_AFTER)
    assert only_gent == {gent: found[gent]}


# ----------------------------------------------------------------------------------------------- exactness
def _advise_by_sets(waiting, *, suppress, top=recruitment.TOP, threshold=5):
    """The advice computed request by request with sets of request ids, as it was before the counts."""

    def groups(area_of):
        found: dict = {}
        for r in waiting:
            languages = tuple(sorted(r.languages)) if r.language_missing else ()
            for topic_id in sorted(set(r.topic_ids)):
                found.setdefault((languages, topic_id, *area_of(r)), set()).add(r.request_id)
        return found

    def ranked(found):
        needs = [Need(lang, t, kind, area, len(ids)) for (lang, t, kind, area), ids in found.items()]
        return sorted(
            needs, key=lambda n: (-n.requests, n.languages == (), n.languages, n.topic_id, n.area or "")
        )

    by_postcode = groups(lambda r: (POSTCODE, r.postcode) if r.postcode else (None, None))
    if not suppress:
        return recruitment.Advice(ranked(by_postcode)[:top])
    kept = {key: ids for key, ids in by_postcode.items() if len(ids) >= threshold}
    of = {r.request_id: r for r in waiting}
    rolled: dict = {}
    for (languages, topic_id, _kind, _area), ids in by_postcode.items():
        if len(ids) < threshold:
            for request_id in ids:
                m = of[request_id].municipality
                rolled.setdefault(
                    (languages, topic_id, *((MUNICIPALITY, m) if m else (None, None))), set()
                ).add(request_id)
    left_out = False
    for key, ids in rolled.items():
        if len(ids) >= threshold:
            kept[key] = ids
        else:
            left_out = True
    return recruitment.Advice(ranked(kept)[:top], left_out=left_out)


@pytest.mark.parametrize("seed", range(6))
def test_counted_advice_equals_the_advice_from_sets_of_requests_on_random_requests(seed):
    rng = random.Random(seed)
    waiting_list = [
        waiting(
            i,
            languages=tuple(rng.sample(["tr", "ar", "nl", "fr"], rng.randint(0, 2))),
            missing=rng.random() < 0.6,
            topics=tuple(rng.choice([1, 2, 3]) for _ in range(rng.randint(0, 3))),
            postcode=rng.choice(["9000", "9030", "9050", "2800", None, ""]),
            nis=rng.choice([GENT_NIS, "12025", None]),
        )
        for i in range(rng.randint(0, 80))
    ]
    for suppress in (True, False):
        for threshold in (1, 2, 5):
            assert _advise(waiting_list, suppress=suppress, threshold=threshold) == _advise_by_sets(
                waiting_list, suppress=suppress, threshold=threshold
            )


def _waiting_one_by_one(since, now, wait) -> dict:
    """The waiting requests read request by request through the models, counted as recruitment counts them."""
    found = []
    for request in db.session.scalars(select(HelpRequest).order_by(HelpRequest.id)):
        escalations = sorted(
            (e for e in request.events if e.to_status == S.ESCALATED), key=lambda e: (e.at, e.id)
        )
        escalated = any(since <= e.at for e in escalations)
        still = request.status in (S.NEW, S.MATCHING, S.OFFERED) and since <= request.created_at < now - wait
        if not (escalated or still):
            continue
        reasons = request.escalation_reasons
        if not (isinstance(reasons, dict) and reasons):
            reasons = {}
            for e in escalations:
                reasons = engine.reasons_from_note(e.note) or reasons
        postcode = request.resident.postcode_code
        place = db.session.get(Postcode, postcode) if postcode else None
        found.append(
            WaitingRequest(
                request.id,
                request.network_id,
                tuple(language.code for language in request.languages),
                int(reasons.get("language") or 0) > 0,
                tuple(t.id for t in request.topics),
                postcode,
                place.municipality_nis if place is not None else None,
            )
        )
    return recruitment.counted(found)


REASONS = [None, {}, {"language": 0, "distance": 2}, {"language": 3}, {"distance": 1, "full": 2}]
NOTES = [None, "Assigned directly: she speaks Turkish", "distance: 2, language: 3", "language: 0, full: 1"]


@pytest.mark.parametrize("seed", range(3))
def test_the_counts_in_the_database_equal_the_requests_read_one_by_one(app, seed, monkeypatch):
    rng = random.Random(seed)
    now = utcnow()
    networks = [
        rh.network("Digibuddy Gent", "gent", "9000"),
        rh.network("Digibuddy Mechelen", "mechelen", "2800"),
        rh.network("Digibuddy Leuven", "leuven", "3000"),
    ]
    quiet = rh.network("Digibuddy Aalst", "aalst", "9300")  # no request at all
    for _ in range(90):
        net = rng.choice(networks)
        created = now - timedelta(days=rng.uniform(0, 120), minutes=rng.randint(0, 600))
        request = rh.request_at(
            net,
            created,
            status=rng.choice(list(S)),
            languages=tuple(rng.sample(["tr", "ar", "nl", "fr"], rng.randint(0, 2))),
            topics=tuple(rng.sample([ITSME, TAX], rng.randint(0, 2))),
            postcode=rng.choice(["9000", "9030", "2800", "1000"]),
        )
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            db.session.add(
                RequestEvent(
                    request_id=request.id,
                    at=created + timedelta(days=rng.uniform(0, 30)),
                    kind="status",
                    from_status=S.MATCHING,
                    to_status=rng.choice([S.ESCALATED, S.ESCALATED, S.MATCHED]),
                    note=rng.choice(NOTES),
                )
            )
        request.escalation_reasons = rng.choice(REASONS)
        db.session.commit()
    # Still waiting, escalated twice in the period, in two languages and both topics: counted once per topic.
    twice = rh.request_at(
        networks[2], now - timedelta(days=20), status=S.MATCHING, languages=("tr", "ar"), topics=(ITSME, TAX)
    )
    for days in (15, 8):
        db.session.add(
            RequestEvent(
                request_id=twice.id,
                at=now - timedelta(days=days),
                kind="status",
                from_status=S.MATCHING,
                to_status=S.ESCALATED,
                note=rng.choice(NOTES),
            )
        )
    twice.escalation_reasons = rng.choice(REASONS)
    db.session.commit()
    since = advice.since(now)
    expected = _waiting_one_by_one(since, now, ESCALATE_AFTER)
    assert sum(sum(groups.values()) for groups in expected.values()) > 10  # the data has waiting requests
    assert queries.waiting_counts(None, since, now, ESCALATE_AFTER) == expected
    # One network, two of them, one without requests: only their own escalations and waiting requests.
    gent, leuven = networks[0].id, networks[2].id
    assert sum(expected[leuven].values()) >= 2  # the request escalated twice, once for each of its topics
    for chosen in ([gent], [gent, leuven], [leuven, quiet.id], [quiet.id]):
        assert queries.waiting_counts(chosen, since, now, ESCALATE_AFTER) == {
            k: v for k, v in expected.items() if k in chosen
        }
    # The same from the roll-ups (the escalated requests) and the rows (those still waiting, not escalated).
    rollups.fold()
    assert rollups.waiting_counts(None, since, now, ESCALATE_AFTER) == expected
    for chosen in ([gent], [gent, leuven], [leuven, quiet.id], [quiet.id]):
        assert rollups.waiting_counts(chosen, since, now, ESCALATE_AFTER) == {
            k: v for k, v in expected.items() if k in chosen
        }
    monkeypatch.setattr(queries, "ID_CHUNK", 3)
    assert queries.waiting_counts(None, since, now, ESCALATE_AFTER) == expected
    rollups.rebuild()
    assert rollups.waiting_counts(None, since, now, ESCALATE_AFTER) == expected
