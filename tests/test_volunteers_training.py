"""Training modules: seeded in three languages, read as safe Markdown, passed with a short check; passing
every required module ticks the "training" checklist item for the coordinator."""

import pytest
from sqlalchemy import select

from digibuddy.extensions import db
from digibuddy.reference.loader import load_all
from digibuddy.volunteers.models import (
    TrainingCompletion,
    TrainingModule,
    VettingCheck,
    VettingItem,
    VolunteerStatus,
)
from digibuddy.volunteers.training_content import TRAINING_MODULES, validate_training_modules
from tests.conftest import text
from tests.factories import NetworkFactory, make_volunteer


@pytest.fixture
def volunteer(client, app):
    volunteer = make_volunteer(
        NetworkFactory(postcodes=["9000"]), status=VolunteerStatus.VETTING, vetted=False
    )
    client.login(volunteer.user)
    client.get("/volunteers/training?lang=en")
    return volunteer


def module(code) -> TrainingModule:
    return db.session.scalar(select(TrainingModule).where(TrainingModule.code == code))


def right_answers(mod) -> dict:
    return {f"q{i}": str(q["answer"]) for i, q in enumerate(mod.quiz)}


def answer(client, mod, answers):
    return client.submit(f"/volunteers/training/{mod.code}", answers)


def test_the_required_modules_are_seeded_in_dutch_french_and_english(app):
    modules = db.session.scalars(select(TrainingModule).order_by(TrainingModule.position)).all()
    required = {m.code for m in modules if m.required}
    assert required == {"safeguarding", "without-taking-over", "phishing"}
    assert any(not m.required for m in modules)
    for mod in modules:
        for locale in ("nl", "fr", "en"):
            assert mod.titles[locale] and len(mod.bodies[locale]) > 500
        assert len(mod.quiz) >= 2
        for question in mod.quiz:
            assert 0 <= question["answer"] < len(question["options"])
    assert "suspicious@safeonweb.be" in module("phishing").bodies["nl"]
    assert "pincode" in module("safeguarding").bodies["nl"]


def test_seeding_twice_changes_nothing_and_the_content_is_checked(app):
    assert not load_all().changed
    validate_training_modules()
    broken = [
        dict(TRAINING_MODULES[0], quiz=[{"question": {"nl": "?"}, "options": [{"nl": "a"}], "answer": 3}])
    ]
    with pytest.raises(ValueError):
        validate_training_modules(broken)


def test_the_training_page_lists_the_modules_and_progress(client, volunteer):
    page = text(client.get("/volunteers/training"))
    assert "Required modules done: 0 of 3" in page
    assert "Safeguarding and privacy" in page and "Recognising phishing" in page and "Optional" in page


def test_a_module_is_rendered_from_markdown_in_the_page_language(client, volunteer):
    page = text(client.get("/volunteers/training/safeguarding"))
    assert "<h2>Codes belong to the resident</h2>" in page and "<strong>never</strong>" in page
    page = text(client.get("/volunteers/training/safeguarding?lang=nl"))
    assert "<h2>Codes zijn van de bewoner</h2>" in page


def test_html_in_a_module_is_shown_as_text_never_run(client, volunteer):
    mod = module("first-session")
    original = dict(mod.bodies)
    try:
        mod.bodies = {**original, "en": "Hello <script>alert(1)</script> [click](javascript:alert(1))"}
        db.session.commit()
        page = text(client.get("/volunteers/training/first-session"))
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
        assert 'href="javascript:' not in page
    finally:
        mod.bodies = original
        db.session.commit()


def test_wrong_answers_are_marked_and_nothing_is_recorded(client, volunteer):
    mod = module("phishing")
    answers = right_answers(mod)
    answers["q1"] = str((mod.quiz[1]["answer"] + 1) % len(mod.quiz[1]["options"]))
    response = answer(client, mod, answers)
    page = text(response)
    assert response.status_code == 422
    # The summary links to the first choice of the wrong question only (the GOV.UK pattern).
    assert "2 of 3 answers are right" in page and 'href="#q1-0"' in page and 'href="#q0' not in page
    assert (
        f'value="{answers["q0"]}" checked' in page
        or f'checked type="radio" value="{answers["q0"]}"' in page
        or "checked" in page.split('id="q0"')[1].split("</fieldset>")[0]
    )
    assert db.session.scalar(select(TrainingCompletion)) is None


@pytest.mark.parametrize(
    "answers", [{}, {"q0": "abc"}, {"q0": "99", "q1": "-1", "q2": "0"}, {"q0": "0" * 5000}, {"q7": "1"}]
)
def test_missing_or_strange_answers_are_field_errors(client, volunteer, answers):
    response = answer(client, module("safeguarding"), answers)
    assert response.status_code == 422
    assert db.session.scalar(select(TrainingCompletion)) is None


def test_passing_a_module_records_a_completion(client, volunteer):
    mod = module("safeguarding")
    response = answer(client, mod, right_answers(mod))
    assert response.status_code == 302
    completion = db.session.get(TrainingCompletion, (volunteer.id, mod.id))
    assert completion.score == len(mod.quiz)
    page = text(client.get("/volunteers/training"))
    assert "Required modules done: 1 of 3" in page and "Passed on" in page
    assert db.session.get(VettingCheck, (volunteer.id, VettingItem.TRAINING)) is None


def test_passing_every_required_module_ticks_the_training_item_as_the_system(client, volunteer):
    for code in ("safeguarding", "without-taking-over"):
        answer(client, module(code), right_answers(module(code)))
    assert db.session.get(VettingCheck, (volunteer.id, VettingItem.TRAINING)) is None
    client.get("/volunteers/training")
    response = answer(client, module("phishing"), right_answers(module("phishing")))
    assert response.status_code == 302
    check = db.session.get(VettingCheck, (volunteer.id, VettingItem.TRAINING))
    assert check is not None and check.checked_by_id is None
    assert "You have done all the required training" in text(client.get("/volunteers/training"))


def test_the_optional_module_is_not_needed_for_the_training_item(client, volunteer):
    answer(client, module("first-session"), right_answers(module("first-session")))
    assert db.session.get(VettingCheck, (volunteer.id, VettingItem.TRAINING)) is None


def test_the_coordinator_sees_training_progress_and_who_ticked_it(client, make_client, volunteer):
    for code in ("safeguarding", "without-taking-over", "phishing"):
        answer(client, module(code), right_answers(module(code)))
    from digibuddy.accounts.models import Role
    from tests.factories import make_user

    network = volunteer.user.memberships[0].network
    coordinator = make_client()
    coordinator.login(make_user(Role.COORDINATOR, network))
    page = text(coordinator.get(f"/volunteers/manage/{volunteer.id}?lang=en"))
    assert "Ticked by the system on" in page
    assert page.count("passed on") >= 3


def test_unknown_modules_are_404(client, volunteer):
    for code in ("nope", "x" * 500, "%00", "../etc"):
        assert client.get(f"/volunteers/training/{code}").status_code == 404
