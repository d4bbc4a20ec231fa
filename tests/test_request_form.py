"""The request form on a phone: the most asked topics first and the rest folded away, one short line per
day, Enter sends the request, the postcode check comes back where the resident was, and errors follow
the GOV.UK pattern (summary focused on load, "Fout:" in the title, links to the first input of a group,
aria-invalid on the fields in error)."""

import re

import pytest
from sqlalchemy import select

from digibuddy.reference.models import Topic
from digibuddy.requests.services import COMMON_TOPIC_CODES, most_asked_topic_ids
from tests.conftest import text
from tests.factories import HelpRequestFactory, NetworkFactory
from tests.requests_helpers import online_form, topic_id


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"], phone="09 210 10 10")


def test_the_most_asked_topics_come_first_and_the_others_are_folded_away(client, gent):
    asked = topic_id("video-whatsapp")
    for _ in range(3):
        request = HelpRequestFactory(resident__network=gent)
        request.topics = [db_topic(asked)]
    page = text(client.get("/help"))
    common = page[page.index('class="topic-group common-topics"') : page.index('class="more-topics"')]
    assert f'id="topic-{asked}"' in common and f'id="topic-{topic_id("smartphone-basics")}"' in common
    assert '<details class="more-topics">' in page  # closed: nothing folded away was chosen
    assert most_asked_topic_ids()[0] == asked


def db_topic(topic_pk):
    from digibuddy.extensions import db

    return db.session.get(Topic, topic_pk)


def test_without_requests_the_common_topics_of_flanders_come_first(client, gent):
    from digibuddy.extensions import db

    codes = {t.code for t in db.session.scalars(select(Topic).where(Topic.id.in_(most_asked_topic_ids())))}
    assert codes == set(COMMON_TOPIC_CODES)


def test_a_folded_topic_that_was_chosen_comes_back_open(client, gent):
    folded = topic_id("files-print-pdf")
    page = text(client.submit("/help", online_form(topics=[folded], first_name="")))
    assert '<details class="more-topics" open>' in page
    assert re.search(rf'id="topic-{folded}"[^>]*checked', page)


def test_errors_follow_the_gov_uk_pattern(client, gent):
    page = text(client.submit("/help", online_form(topics=None, preferred_mode=None, postcode="9999")))
    assert re.search(r"<title>Fout: ", page)
    assert re.search(r'<div class="error-summary"[^>]*autofocus', page)
    first_common = most_asked_topic_ids()[0]
    assert f'href="#topic-{first_common}"' in page and 'href="#preferred_mode-0"' in page
    assert re.search(r'name="topics"[^>]*aria-invalid="true"', page)
    assert re.search(
        r'id="preferred_mode-0"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="preferred_mode-0"', page
    )
    assert re.search(r'id="postcode"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="postcode"', page)


def test_a_page_without_errors_has_a_plain_title(client, gent):
    assert "<title>Fout:" not in text(client.get("/help")) and "<title>Vraag" in text(client.get("/help"))


def test_enter_sends_the_request_and_the_postcode_check_comes_back_to_its_question(client, gent):
    page = text(client.get("/help"))
    form = page[page.index('<form method="post"') :]
    first_button = re.search(r"<(button|input)[^>]*type=\"submit\"[^>]*>", form).group(0)
    assert "check_postcode" not in first_button and 'value="Verstuur mijn vraag"' in first_button
    assert 'formaction="/help#step-how"' in page


def test_the_week_is_one_short_line_per_day(client, gent):
    page = text(client.get("/help?lang=en"))
    assert "week-grid" not in page
    assert page.count('<fieldset class="day">') == 7
    assert '<label for="window-0-morning">Morning</label>' in page


def test_language_names_in_their_own_language_carry_their_lang(client, gent):
    page = text(client.get("/help?lang=nl"))
    assert 'Arabisch — <span lang="ar" dir="auto">العربية</span>' in page
