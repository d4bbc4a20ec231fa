"""The good-practice library: a coordinator proposes, the central administrator reviews and publishes, every
staff member finds sheets with a search that understands Dutch, and networks mark what they use."""

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.extensions import db
from digibuddy.practices import search
from digibuddy.practices.models import Practice, PracticeStatus, PracticeUse
from digibuddy.practices.services import Filters, PracticeDetails, find, save
from tests.conftest import text
from tests.factories import NetworkFactory, make_admin, make_user, make_volunteer


@pytest.fixture
def networks(app):
    gent = NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])
    mechelen = NetworkFactory(name="Digibuddy Mechelen", postcodes=["2800"])
    return {
        "gent": gent,
        "mechelen": mechelen,
        "gent_coordinator": make_user(Role.COORDINATOR, gent, locale="en"),
        "mechelen_coordinator": make_user(Role.COORDINATOR, mechelen, locale="en"),
        "admin": make_admin(locale="en"),
    }


def sheet(**overrides) -> dict:
    data = {
        "title": "Koffie en hulp in de bibliotheek",
        "summary": "Elke dinsdag helpen digibuddy's bij koffie.",
        "body": "## Wat\n\nBewoners komen binnen met een formulier van de overheid.",
        "topic_groups": ["government"],
        "target_groups": ["seniors"],
        "channels": ["face"],
        "tags": "drop-in, bibliotheek",
        "contact_name": "An Peeters",
        "contact_details": "an.peeters@gent.example",
        "links": "https://www.gent.be/digibuddy",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def practice(title="x", body="", **kwargs) -> Practice:
    details = PracticeDetails(title=title, summary=kwargs.pop("summary", "Kort."), body=body, **kwargs)
    return save(None, details, actor=make_admin(), publish=True)


def test_proposal_review_publish_and_a_dutch_search_finds_it(client, networks):
    client.login(networks["gent_coordinator"])
    response = client.submit("/practices/propose", sheet())
    assert response.status_code == 302
    proposal = db.session.scalar(select(Practice))
    assert proposal.status == PracticeStatus.PROPOSED and proposal.network_id == networks["gent"].id
    assert proposal.links == ["https://www.gent.be/digibuddy"] and proposal.tags == ["drop-in", "bibliotheek"]
    assert "Koffie en hulp" in text(client.get("/practices/mine"))
    client.logout()

    # Not published: another network does not find it, nor open it.
    client.login(networks["mechelen_coordinator"])
    assert "Koffie en hulp" not in text(client.get("/practices?q=formulieren"))
    assert client.get(f"/practices/{proposal.id}").status_code == 404
    client.logout()

    client.login(networks["admin"])
    review = text(client.get("/admin/practices"))
    assert "Koffie en hulp" in review
    response = client.submit(
        f"/admin/practices/{proposal.id}",
        {**sheet(title="Koffie & Formulieren"), "network": networks["gent"].id, "publish": "1"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert proposal.status == PracticeStatus.PUBLISHED and proposal.published_at is not None
    client.logout()

    # "formulieren" finds the sheet that only says "formulier".
    client.login(networks["mechelen_coordinator"])
    page = text(client.get("/practices?q=formulieren&lang=en"))
    assert "Koffie &amp; Formulieren" in page and "1 practice" in page
    assert (
        client.submit(
            f"/practices/{proposal.id}/use",
            {"network": networks["mechelen"].id, "used": "1"},
            form_url=f"/practices/{proposal.id}",
        ).status_code
        == 303
    )
    assert db.session.get(PracticeUse, (proposal.id, networks["mechelen"].id)) is not None
    page = text(client.get(f"/practices/{proposal.id}?lang=en"))
    assert "Digibuddy Mechelen" in page and "Digibuddy Mechelen no longer uses this" in page


def test_search_understands_dutch_word_forms_and_ranks_the_title_first(app):
    in_body = practice("Vrijwilligers werven", body="Wij helpen ook bij het aanvragen van een formulier.")
    in_title = practice("Formulieren invullen met senioren", body="Samen aan tafel.")
    other = practice("Phishing-quiz aan de balie", body="Vijf echte berichten.")
    assert [p.id for p in find(Filters(query="formulieren"))] == [in_title.id, in_body.id]
    assert [p.id for p in find(Filters(query="formulier"))] == [in_title.id, in_body.id]
    assert [p.id for p in find(Filters(query="senior"))] == [in_title.id]
    assert find(Filters(query="aanvraag")) == [in_body]
    # Every word must be there.
    assert find(Filters(query="formulier quiz")) == []
    assert find(Filters(query="quiz")) == [other]


def test_filters_by_topic_group_target_group_and_channel(app):
    seniors = practice(
        "Voor senioren", target_groups=["seniors"], channels=["face"], topic_groups=["government"]
    )
    young = practice("Voor jongeren", target_groups=["young"], channels=["click"])
    assert find(Filters(target_group="seniors")) == [seniors]
    assert find(Filters(channel="click")) == [young]
    assert find(Filters(topic_group="government")) == [seniors]
    assert find(Filters(query="senioren", channel="click")) == []


@pytest.mark.parametrize(
    "query", ['"', "OR", "NOT AND", "*", "title:x", "((", "' OR 1=1 --", "-", "é", "a" * 300, "NEAR(a b)"]
)
def test_any_search_text_gives_a_page_never_an_error(client, networks, query):
    practice("Formulieren", body="Hulp.")
    client.login(networks["gent_coordinator"])
    assert client.get("/practices", query_string={"q": query}).status_code == 200


def test_staff_see_the_library_volunteers_do_not(client, networks):
    counter = make_user(Role.COUNTER, networks["gent"])
    client.login(counter)
    assert client.get("/practices").status_code == 200
    client.logout()
    client.login(make_volunteer(networks["gent"]).user)
    assert client.get("/practices").status_code == 403
    assert client.get("/admin/practices").status_code == 403


def test_a_coordinator_changes_only_their_own_networks_proposals(client, networks):
    client.login(networks["gent_coordinator"])
    client.submit("/practices/propose", sheet())
    proposal = db.session.scalar(select(Practice))
    assert client.get(f"/practices/proposals/{proposal.id}").status_code == 200
    client.logout()
    client.login(networks["mechelen_coordinator"])
    assert client.get(f"/practices/proposals/{proposal.id}").status_code == 404
    response = client.submit(
        f"/practices/proposals/{proposal.id}", sheet(title="Overgenomen"), form_url="/practices/propose"
    )
    assert response.status_code == 404
    db.session.expire_all()
    assert proposal.title == "Koffie en hulp in de bibliotheek"
    # Nor mark a practice for a network they do not coordinate.
    published = practice("Gepubliceerd")
    response = client.submit(
        f"/practices/{published.id}/use", {"network": networks["gent"].id, "used": "1"}, form_url="/practices"
    )
    assert response.status_code == 404
    assert db.session.scalar(select(PracticeUse)) is None


def test_markdown_is_rendered_safely_with_a_preview(client, networks):
    client.login(networks["gent_coordinator"])
    body = "## Stappen\n\n- koffie\n\n<script>alert(1)</script> [klik](javascript:alert(1))"
    response = client.submit("/practices/propose", sheet(body=body, preview="1"))
    page = text(response)
    assert response.status_code == 200 and "<h2>Stappen</h2>" in page and "<li>koffie</li>" in page
    assert "<script>alert(1)</script>" not in page and 'href="javascript:' not in page
    assert db.session.scalar(select(Practice)) is None  # a preview saves nothing


def test_wrong_input_is_a_field_error_and_keeps_what_was_typed(client, networks):
    client.login(networks["gent_coordinator"])
    response = client.submit("/practices/propose", sheet(links="www.gent.be", title="Mijn praktijk"))
    assert response.status_code == 422
    page = text(response)
    assert "starting with https://" in page and 'value="Mijn praktijk"' in page
    response = client.submit("/practices/propose", sheet(channels=["telepathy"]))
    assert response.status_code == 422
    for url in ("/practices/abc", "/practices/99999999999", "/admin/practices/0"):
        assert client.get(url).status_code in (403, 404), url


def test_the_sqlite_index_follows_every_change(app, backend):
    found = practice("Tablet lenen", body="Uitlenen.")
    details = PracticeDetails(title="Laptop lenen", summary="Kort.", body="Uitlenen.")
    save(found, details, actor=make_admin())
    assert find(Filters(query="tablet")) == []
    assert find(Filters(query="laptop")) == [found]
    if backend == "sqlite":
        search.rebuild()
        assert find(Filters(query="laptops")) == [found]
