"""Training modules written in the application: the editor's field errors, versions, a material change that
asks volunteers to pass a required module again (and what being late does to matching), who is behind, local
modules of one network, `flask refdata load` leaving edits alone, and the certificate's hours per year."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select

from digibuddy.accounts.models import Role
from digibuddy.audit.models import ChangeRecord
from digibuddy.extensions import db
from digibuddy.matching import candidates
from digibuddy.matching.candidates import request_data
from digibuddy.notifications.models import OutboxMessage
from digibuddy.reference.loader import load_all
from digibuddy.reports.attestation import minutes_by_year
from digibuddy.scheduling.models import SessionStatus
from digibuddy.volunteers import training
from digibuddy.volunteers.models import (
    TrainingCompletion,
    TrainingModule,
    VettingCheck,
    VettingItem,
    VolunteerStatus,
)
from tests.conftest import text
from tests.factories import NetworkFactory, make_admin, make_user, make_volunteer
from tests.matching_helpers import helper, make_request
from tests.outcomes_helpers import add_session, helped_request


def module(code) -> TrainingModule:
    return db.session.scalar(select(TrainingModule).where(TrainingModule.code == code))


def form_of(mod: TrainingModule, **changes) -> dict:
    """The editing form filled in as it shows `mod`, with `changes` on top."""
    data = {"question_count": str(len(mod.quiz)), "action": "save", "audiences": list(mod.audiences)}
    data["retrain_days"] = str(mod.retrain_days)
    if mod.required:
        data["required"] = "y"
    for loc in ("nl", "fr", "en"):
        data[f"title_{loc}"] = mod.titles.get(loc, "")
        data[f"body_{loc}"] = mod.bodies.get(loc, "")
    for q, question in enumerate(mod.quiz):
        rights = training.right_answers(question)
        for loc in ("nl", "fr", "en"):
            data[f"q{q}_text_{loc}"] = question["question"].get(loc, "")
        for o, option in enumerate(question["options"]):
            for loc in ("nl", "fr", "en"):
                data[f"q{q}_o{o}_{loc}"] = option.get(loc, "")
            if o in rights:
                data[f"q{q}_o{o}_right"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def new_module_form(**changes) -> dict:
    data = {"question_count": "1", "action": "save", "audiences": ["volunteer"], "retrain_days": "14"}
    for loc, word in (("nl", "Toegankelijk"), ("fr", "Accessible"), ("en", "Accessible")):
        data[f"title_{loc}"] = f"{word} helpen"
        data[f"body_{loc}"] = f"## {word}\n\nPraat **rustig**."
        data[f"q0_text_{loc}"] = f"{word}?"
        data[f"q0_o0_{loc}"] = f"ja {loc}"
        data[f"q0_o1_{loc}"] = f"nee {loc}"
    data["q0_o0_right"] = "y"
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


@pytest.fixture
def admin_client(client):
    client.login(make_admin())
    client.get("/admin/training?lang=en")
    return client


@pytest.fixture
def gent(app):
    return NetworkFactory(name="Digibuddy Gent", postcodes=["9000"])


def pass_module(volunteer, mod):
    from digibuddy.volunteers.services import complete_training

    answers = []
    for question in mod.quiz:
        rights = training.right_answers(question)
        answers.append(rights if len(rights) > 1 else rights[0])
    assert complete_training(volunteer, mod, answers).passed


# ----------------------------------------------------------------------------------------------- errors
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title_fr": ""}, "title_fr", "Write the title in this language."),
        ({"body_en": "  "}, "body_en", "Write the text of the module in this language."),
        (
            {"q0_o1_nl": "", "q0_o1_fr": "", "q0_o1_en": ""},
            "q0_o1_nl",
            "Question 1: give at least two answers.",
        ),
        ({"q0_o0_right": None}, "q0_o0_right", "Question 1: tick at least one right answer."),
        ({"q0_o1_right": "y"}, "q0_o0_right", "Question 1: at least one answer must be wrong."),
        ({"q0_o3_right": "y"}, "q0_o3_right", "Question 1: tick only answers you wrote."),
        ({"q0_o1_fr": ""}, "q0_o1_fr", "Question 1: write this answer in this language."),
        ({"audiences": []}, "audiences", "Choose who the module is for."),
        ({"retrain_days": "0"}, "retrain_days", "Give a number of days from 1 to 365."),
        ({"retrain_days": "lots"}, "retrain_days", "Give a number of days from 1 to 365."),
        (
            {"required": "y", "audiences": ["counter"]},
            "audiences",
            "A required module is for digibuddies: tick them too.",
        ),
    ],
)
def test_the_editor_shows_each_mistake_on_its_field_and_keeps_what_was_typed(
    admin_client, changes, field, message
):
    before = db.session.scalar(select(TrainingModule.id).order_by(TrainingModule.id.desc()).limit(1))
    response = admin_client.submit("/admin/training/new", new_module_form(**changes))
    page = text(response)
    assert response.status_code == 422
    assert message in page
    assert f'href="#{field}' in page  # the error summary links to the field
    assert "Toegankelijk helpen" in page  # nothing typed is lost
    assert db.session.scalar(select(TrainingModule.id).order_by(TrainingModule.id.desc()).limit(1)) == before


def test_a_module_needs_a_question(admin_client):
    data = new_module_form()
    for key in [k for k in data if k.startswith("q0_")]:
        data.pop(key)
    response = admin_client.submit("/admin/training/new", data)
    assert response.status_code == 422 and "Write at least one question for the check." in text(response)


def test_errors_are_translated(admin_client):
    response = admin_client.submit("/admin/training/new?lang=fr", new_module_form(title_nl=""))
    assert response.status_code == 422 and "Écrivez le titre dans cette langue." in text(response)


def test_preview_and_add_question_save_nothing(admin_client):
    count = db.session.query(TrainingModule).count()
    data = new_module_form(action="preview", body_en="Hello <script>x()</script> **there**")
    page = text(admin_client.submit("/admin/training/new", data))
    assert "Preview: how a reader sees it" in page and "<strong>there</strong>" in page
    assert "<script>x()</script>" not in page
    page = text(admin_client.submit("/admin/training/new", new_module_form(action="add_question")))
    assert 'name="q1_text_nl"' in page and 'value="2"' in page
    assert db.session.query(TrainingModule).count() == count


def test_a_new_module_is_version_one_and_volunteers_see_it(admin_client, make_client, gent):
    response = admin_client.submit("/admin/training/new", new_module_form())
    assert response.status_code == 302
    mod = db.session.scalar(select(TrainingModule).order_by(TrainingModule.id.desc()).limit(1))
    assert mod.code == "toegankelijk-helpen" and mod.version == 1 and mod.network_id is None
    assert [v.number for v in mod.versions] == [1]
    assert mod.quiz[0]["answers"] == [0] and mod.retrain_days == 14
    record = db.session.scalar(select(ChangeRecord).where(ChangeRecord.subject_type == "training_module"))
    assert record.action == "created" and record.subject_id == mod.id
    volunteer = make_volunteer(gent)
    reader = make_client()
    reader.login(volunteer.user)
    page = text(reader.get("/volunteers/training/toegankelijk-helpen?lang=en"))
    assert "<h2>Accessible</h2>" in page


# ----------------------------------------------------------------------------------------------- versions
def test_a_save_without_a_content_change_makes_no_version(admin_client):
    mod = module("phishing")
    response = admin_client.submit(f"/admin/training/{mod.id}", form_of(mod))
    assert response.status_code == 302
    db.session.refresh(mod)
    assert mod.version == 1 and len(mod.versions) == 1


def test_a_content_change_is_a_new_version_and_the_old_one_is_kept(admin_client, gent):
    mod = module("phishing")
    old_title = mod.titles["en"]
    volunteer = make_volunteer(gent)
    pass_module(volunteer, mod)
    response = admin_client.submit(f"/admin/training/{mod.id}", form_of(mod, title_en="Spotting phishing"))
    assert response.status_code == 302
    db.session.refresh(mod)
    assert mod.version == 2 and mod.material_version == 1  # not material: the pass still counts
    first, second = mod.versions
    assert first.titles["en"] == old_title and second.titles["en"] == "Spotting phishing"
    assert second.created_by.is_admin and not second.material
    completion = db.session.get(TrainingCompletion, (volunteer.id, mod.id))
    assert completion.version.number == 1 and training.is_current(completion, mod)
    assert db.session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "training_again")) is None
    page = text(admin_client.get(f"/admin/training/{mod.id}"))
    assert "New version" in page and "Spotting phishing" in page


# ----------------------------------------------------------------------------------------------- re-training
def test_a_material_change_asks_who_passed_to_do_it_again_by_the_deadline(admin_client, gent):
    mod = module("safeguarding")
    passed = make_volunteer(gent)
    passed.user.locale = "fr"
    pass_module(passed, mod)
    left = make_volunteer(gent, status=VolunteerStatus.LEFT)
    pass_module(left, mod)
    never = make_volunteer(gent)
    data = form_of(mod, body_en=mod.bodies["en"] + "\n\nNew rule.", material="y", retrain_days="21")
    response = admin_client.submit(f"/admin/training/{mod.id}", data)
    assert response.status_code == 302
    db.session.refresh(mod)
    assert mod.version == 2 and mod.material_version == 2 and mod.retrain_days == 21
    due = date.today() + timedelta(days=21)
    assert mod.versions[1].retrain_by == due and mod.versions[1].material
    messages = db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "training_again")).all()
    assert [m.recipient for m in messages] == [passed.user.email]  # not who left, not who never passed
    assert "Aider en toute sécurité" in messages[0].subject
    assert str(due.year) in messages[0].body and "/volunteers/training/safeguarding" in messages[0].body
    completion = db.session.get(TrainingCompletion, (passed.id, mod.id))
    assert not training.is_current(completion, mod)
    assert never.id not in {b.volunteer.id for b in training.behind(select(type(passed)))}


def test_being_behind_is_shown_to_the_volunteer_and_passing_again_ends_it(admin_client, make_client, gent):
    mod = module("phishing")
    volunteer = make_volunteer(gent)
    pass_module(volunteer, mod)
    admin_client.submit(f"/admin/training/{mod.id}", form_of(mod, body_en="All new.", material="y"))
    reader = make_client()
    reader.login(volunteer.user)
    page = text(reader.get("/volunteers/training?lang=en"))
    assert "Changed since you passed it: pass it again by" in page
    db.session.refresh(mod)
    pass_module(volunteer, mod)
    completion = db.session.get(TrainingCompletion, (volunteer.id, mod.id))
    assert completion.version.number == 2 and training.is_current(completion, mod)
    assert "Changed since you passed it" not in text(reader.get("/volunteers/training?lang=en"))


def test_late_volunteers_get_no_new_offers_until_they_pass_again(gent):
    """Decided: the checklist and the status stay (a coordinator sees nothing changed behind their back),
    but after the date a volunteer who has not passed the changed required module again is left out of
    matching, counted as not active or not screened."""
    from digibuddy.volunteers.models import VolunteerProfile

    volunteer = helper(gent)
    mod = module("phishing")
    pass_module(volunteer, mod)
    data = request_data(make_request(gent))
    assert [v.id for v in candidates.prefiltered_volunteers(data, [gent.id])] == [volunteer.id]

    content, errors = training.check_content(
        {
            "titles": mod.titles,
            "bodies": {**mod.bodies, "nl": "Nieuw."},
            "questions": [
                {
                    "text": q["question"],
                    "options": [
                        {"text": o, "right": i in training.right_answers(q)}
                        for i, o in enumerate(q["options"])
                    ],
                }
                for q in mod.quiz
            ],
            "required": True,
            "audiences": ["volunteer"],
            "retrain_days": 10,
        },
        None,
    )
    assert not errors
    training.save_module(mod, content, material=True, actor=None, today=date.today() - timedelta(days=11))
    assert db.session.get(VettingCheck, (volunteer.id, VettingItem.TRAINING)) is not None
    assert volunteer.status == VolunteerStatus.ACTIVE
    assert candidates.prefiltered_volunteers(data, [gent.id]) == []
    assert candidates.prefilter_reasons(data, [gent.id])["not_active"] == 1
    rows = training.behind(select(VolunteerProfile))
    assert [(r.volunteer.id, r.passed_version, r.overdue) for r in rows] == [(volunteer.id, 1, True)]

    db.session.refresh(mod)
    pass_module(volunteer, mod)
    assert [v.id for v in candidates.prefiltered_volunteers(data, [gent.id])] == [volunteer.id]
    assert training.behind(select(VolunteerProfile)) == []


def test_the_coordinator_sees_who_is_behind_in_their_network_only(make_client, gent):
    antwerpen = NetworkFactory(name="Digibuddy Antwerpen", postcodes=["2000"])
    ours = make_volunteer(gent)
    theirs = make_volunteer(antwerpen, postcode="2000")
    mod = module("safeguarding")
    for volunteer in (ours, theirs):
        pass_module(volunteer, mod)
    content, _ = training.check_content(_raw(mod, body_nl="Anders."), None)
    training.save_module(mod, content, material=True, actor=None)
    coordinator = make_client()
    coordinator.login(make_user(Role.COORDINATOR, gent))
    page = text(coordinator.get("/volunteers/manage/training?lang=en"))
    assert ours.user.name in page and theirs.user.name not in page
    assert "Who must pass a module again" in page


def _raw(mod, **bodies) -> dict:
    return {
        "titles": mod.titles,
        "bodies": {**mod.bodies, **{k.removeprefix("body_"): v for k, v in bodies.items()}},
        "questions": [
            {
                "text": q["question"],
                "options": [
                    {"text": o, "right": i in training.right_answers(q)} for i, o in enumerate(q["options"])
                ],
            }
            for q in mod.quiz
        ],
        "required": mod.required,
        "audiences": mod.audiences,
        "retrain_days": mod.retrain_days,
    }


# ----------------------------------------------------------------------------------------------- local
def test_a_coordinator_writes_a_local_module_only_their_network_sees(make_client, gent):
    antwerpen = NetworkFactory(name="Digibuddy Antwerpen", postcodes=["2000"])
    coordinator = make_client()
    coordinator.login(make_user(Role.COORDINATOR, gent))
    data = new_module_form(title_fr="", body_fr="", q0_text_fr="", q0_o0_fr="", q0_o1_fr="")
    response = coordinator.submit("/volunteers/manage/training/new", data)  # Dutch is enough locally
    assert response.status_code == 302
    mod = db.session.scalar(select(TrainingModule).where(TrainingModule.network_id == gent.id))
    assert mod is not None and mod.version == 1

    ours, theirs = make_volunteer(gent), make_volunteer(antwerpen, postcode="2000")
    reader = make_client()
    reader.login(ours.user)
    assert reader.get(f"/volunteers/training/{mod.code}").status_code == 200
    assert "Toegankelijk helpen" in text(reader.get("/volunteers/training?lang=nl"))
    other = make_client()
    other.login(theirs.user)
    assert other.get(f"/volunteers/training/{mod.code}").status_code == 404
    assert "Toegankelijk helpen" not in text(other.get("/volunteers/training?lang=nl"))

    stranger = make_client()
    stranger.login(make_user(Role.COORDINATOR, antwerpen))
    assert stranger.get(f"/volunteers/manage/training/{mod.id}").status_code == 404
    assert stranger.submit(f"/volunteers/manage/training/{mod.id}", form_of(mod)).status_code == 404
    assert "Toegankelijk helpen" not in text(stranger.get("/volunteers/manage/training"))
    # Central modules are the centre's: a coordinator cannot edit one, and the admin pages skip local ones.
    assert coordinator.get(f"/volunteers/manage/training/{module('phishing').id}").status_code == 404
    admin = make_client()
    admin.login(make_admin())
    assert admin.get(f"/admin/training/{mod.id}").status_code == 404


def test_a_required_local_module_counts_for_the_training_item_of_its_network_only(gent):
    antwerpen = NetworkFactory(name="Digibuddy Antwerpen", postcodes=["2000"])
    content, errors = training.check_content(
        {**_raw(module("phishing")), "required": True, "titles": {"nl": "Lokaal"}}, gent.id
    )
    assert not errors
    local = training.save_module(None, content, material=False, actor=None, network_id=gent.id).module
    ours = make_volunteer(gent, status=VolunteerStatus.VETTING, vetted=False)
    theirs = make_volunteer(antwerpen, postcode="2000", status=VolunteerStatus.VETTING, vetted=False)
    for code in ("safeguarding", "without-taking-over", "phishing"):
        pass_module(ours, module(code))
        pass_module(theirs, module(code))
    assert db.session.get(VettingCheck, (theirs.id, VettingItem.TRAINING)) is not None
    assert db.session.get(VettingCheck, (ours.id, VettingItem.TRAINING)) is None
    pass_module(ours, local)
    assert db.session.get(VettingCheck, (ours.id, VettingItem.TRAINING)) is not None


# ----------------------------------------------------------------------------------------------- seeding
def test_refdata_load_keeps_what_the_centre_edited(admin_client):
    mod = module("phishing")
    admin_client.submit(f"/admin/training/{mod.id}", form_of(mod, title_nl="Phishing herkennen (2027)"))
    untouched = module("safeguarding")
    # As if the seed said "oud" when it was loaded, and says otherwise now.
    untouched.titles = {**untouched.titles, "nl": "oud"}
    untouched.versions[0].titles = untouched.titles
    db.session.commit()
    load_all()
    db.session.commit()
    db.session.refresh(mod)
    db.session.refresh(untouched)
    assert mod.titles["nl"] == "Phishing herkennen (2027)" and mod.version == 2
    assert untouched.titles["nl"] == "Veilig en discreet helpen"
    assert [v.number for v in untouched.versions] == [1, 2] and not untouched.versions[1].material
    assert not load_all().changed


def test_the_seeded_modules_are_their_first_versions(app):
    for mod in db.session.scalars(select(TrainingModule)):
        (first,) = mod.versions
        assert first.number == 1 and first.titles == mod.titles and first.quiz == mod.quiz


# ----------------------------------------------------------------------------------------------- certificate
def test_minutes_per_year_are_counted_in_the_year_the_session_started_in_brussels():
    sessions = [
        (datetime(2025, 3, 1, 9, 0), datetime(2025, 3, 1, 10, 30)),  # 90
        (datetime(2025, 12, 31, 23, 30), datetime(2026, 1, 1, 0, 15)),  # 00:30 Brussels: 2026, 45
        (datetime(2026, 2, 2, 14, 0), datetime(2026, 2, 2, 15, 0)),  # 60
    ]
    assert minutes_by_year(sessions) == {2025: 90, 2026: 105}


def test_the_certificate_lists_training_and_hours_per_year(client, gent):
    request, session, volunteer = helped_request(gent, hours_ago=24 * 400)
    session.status = SessionStatus.DONE
    second = add_session(request, volunteer, hours_ago=3, status=SessionStatus.DONE)
    second.ends_at = second.starts_at + timedelta(minutes=150)
    add_session(request, volunteer, hours_ago=5, status=SessionStatus.CANCELLED)
    db.session.commit()
    pass_module(volunteer, module("phishing"))
    client.login(volunteer.user)
    page = text(client.get("/reports/attestation?lang=en"))
    from digibuddy.core.time import to_local

    old_year, new_year = to_local(session.starts_at).year, to_local(second.starts_at).year
    assert old_year < new_year
    assert f'<th scope="row">{old_year}</th><td class="num">1</td><td class="num">1.0</td>' in page
    assert f'<th scope="row">{new_year}</th><td class="num">1</td><td class="num">2.5</td>' in page
    assert "3.5" in page  # the total
    assert "Recognising phishing" in page and volunteer.user.name in page
    assert 'class="no-print"' in page  # the links and the hint stay off the printed page


def test_only_a_volunteer_has_a_certificate(client, gent):
    client.login(make_user(Role.COUNTER, gent))
    assert client.get("/reports/attestation").status_code == 404


def test_counter_staff_read_the_modules_for_them_and_never_another_networks(make_client, gent):
    antwerpen = NetworkFactory(name="Digibuddy Antwerpen", postcodes=["2000"])
    content, errors = training.check_content(
        {
            **_raw(module("phishing")),
            "required": False,
            "audiences": ["counter"],
            "titles": {"nl": "Aan de balie"},
        },
        gent.id,
    )
    assert not errors
    local = training.save_module(None, content, material=False, actor=None, network_id=gent.id).module
    ours = make_client()
    ours.login(make_user(Role.COUNTER, gent))
    page = text(ours.get("/volunteers/staff-training?lang=nl"))
    assert "Aan de balie" in page.split("Wat de digibuddy")[0]  # under "for you"
    assert "Veilig en discreet helpen" in page  # what the digibuddies learn
    assert ours.get(f"/volunteers/staff-training/{local.code}").status_code == 200
    theirs = make_client()
    theirs.login(make_user(Role.COUNTER, antwerpen))
    assert "Aan de balie" not in text(theirs.get("/volunteers/staff-training"))
    assert theirs.get(f"/volunteers/staff-training/{local.code}").status_code == 404
    volunteer = make_client()
    volunteer.login(make_volunteer(gent).user)
    assert volunteer.get("/volunteers/staff-training").status_code == 403
