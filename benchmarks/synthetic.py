"""A synthetic network on the real reference data, inserted in bulk. Shared by the benchmarks.

Deterministic for a given seed: networks of about five neighbouring municipalities, volunteers spread over
the 285 Flemish municipalities (or all 565 Belgian ones) with language and topic mixes realistic for each
language area (Flanders, Brussels, French-speaking Wallonia, the German-speaking Community), and requests
routed to the network that covers the resident's postcode."""

import os
import random
import tempfile
import uuid
from datetime import time, timedelta
from pathlib import Path

import sqlalchemy as sa

LANGUAGE_MIX = [
    ("fr", 0.30),
    ("en", 0.45),
    ("ar", 0.07),
    ("tr", 0.05),
    ("uk", 0.03),
    ("pl", 0.03),
    ("ro", 0.02),
    ("ru", 0.03),
    ("es", 0.05),
    ("de", 0.05),
    ("ti", 0.005),
    ("fa", 0.01),
    ("so", 0.005),
    ("ps", 0.005),
]
REQUEST_LANGUAGES = [
    ("nl", 0.72),
    ("fr", 0.06),
    ("ar", 0.07),
    ("tr", 0.05),
    ("uk", 0.04),
    ("pl", 0.02),
    ("ro", 0.01),
    ("ti", 0.01),
    ("fa", 0.01),
    ("en", 0.01),
]
MODES = [("location", 0.55), ("home", 0.2), ("phone", 0.15), ("video", 0.1)]

# The language areas outside Flanders: the main languages a volunteer speaks, their other languages and
# what residents ask for. Flanders uses the mixes above (Dutch plus LANGUAGE_MIX, REQUEST_LANGUAGES).
FLANDERS, BRUSSELS, WALLONIA, GERMAN = "flanders", "brussels", "wallonia", "german"
# The nine municipalities of the German-speaking Community (province of Liège).
GERMAN_SPEAKING = frozenset({"63001", "63012", "63013", "63023", "63040", "63048", "63061", "63067", "63087"})
AREA_MAIN_LANGUAGES = {
    # (language, share of volunteers for whom it is the main one), the second one spoken by many too
    BRUSSELS: [("fr", 0.75), ("nl", 0.25)],
    WALLONIA: [("fr", 1.0)],
    GERMAN: [("de", 1.0)],
}
AREA_SECOND_LANGUAGE = {
    BRUSSELS: {"fr": ("nl", 0.45), "nl": ("fr", 0.9)},
    WALLONIA: {},
    GERMAN: {"de": ("fr", 0.7)},
}
AREA_LANGUAGE_MIX = {
    BRUSSELS: [
        ("en", 0.6),
        ("ar", 0.15),
        ("tr", 0.05),
        ("es", 0.08),
        ("it", 0.06),
        ("pt", 0.04),
        ("pl", 0.04),
        ("ro", 0.04),
        ("uk", 0.02),
        ("ru", 0.03),
        ("de", 0.05),
        ("ln", 0.02),
        ("ti", 0.005),
        ("fa", 0.01),
        ("so", 0.005),
        ("ps", 0.005),
    ],
    WALLONIA: [
        ("nl", 0.2),
        ("en", 0.4),
        ("de", 0.08),
        ("it", 0.08),
        ("ar", 0.05),
        ("tr", 0.03),
        ("es", 0.04),
        ("pt", 0.02),
        ("pl", 0.02),
        ("ro", 0.02),
        ("uk", 0.02),
        ("ru", 0.02),
    ],
    GERMAN: [("nl", 0.15), ("en", 0.4), ("it", 0.03), ("ar", 0.02), ("tr", 0.02), ("ru", 0.02), ("uk", 0.02)],
}
AREA_REQUEST_LANGUAGES = {
    BRUSSELS: [
        ("fr", 0.55),
        ("nl", 0.1),
        ("ar", 0.15),
        ("tr", 0.04),
        ("en", 0.04),
        ("es", 0.03),
        ("pt", 0.02),
        ("ro", 0.02),
        ("pl", 0.02),
        ("uk", 0.02),
        ("ln", 0.01),
    ],
    WALLONIA: [
        ("fr", 0.85),
        ("it", 0.03),
        ("ar", 0.04),
        ("tr", 0.02),
        ("uk", 0.02),
        ("nl", 0.01),
        ("de", 0.01),
        ("ro", 0.01),
        ("es", 0.01),
    ],
    GERMAN: [("de", 0.8), ("fr", 0.15), ("nl", 0.01), ("ar", 0.02), ("uk", 0.01), ("tr", 0.01)],
}
AREA_COMMON_LANGUAGE = {BRUSSELS: "fr", WALLONIA: "fr", GERMAN: "de"}  # the second language of a request
AREA_LOCALE = {FLANDERS: "nl", BRUSSELS: "fr", WALLONIA: "fr", GERMAN: "fr"}  # the interface languages
# How a network's names read in each area: (library, street).
AREA_NAMES = {
    FLANDERS: ("Bibliotheek", "Kerkstraat 1"),
    BRUSSELS: ("Bibliothèque", "Rue de l'Église 1"),
    WALLONIA: ("Bibliothèque", "Rue de l'Église 1"),
    GERMAN: ("Bibliothek", "Kirchstraße 1"),
}


def language_area(municipality) -> str:
    from digibuddy.reference.models import REGION_BRUSSELS, REGION_FLANDERS

    if municipality.region_code == REGION_FLANDERS:
        return FLANDERS
    if municipality.region_code == REGION_BRUSSELS:
        return BRUSSELS
    return GERMAN if municipality.nis_code in GERMAN_SPEAKING else WALLONIA


def language_areas(municipalities) -> dict[str, str]:
    """Municipality NIS code -> language area."""
    return {m.nis_code: language_area(m) for m in municipalities}


def pick(rnd: random.Random, weighted):
    values, weights = zip(*weighted, strict=True)
    return rnd.choices(values, weights)[0]


def database_urls():
    """SQLite always; PostgreSQL when a server answers on 127.0.0.1:5432 (or BENCH_POSTGRES_URL)."""
    urls = [
        ("sqlite", f"sqlite:///{Path(tempfile.mkdtemp(prefix='digibuddy-bench-')) / 'bench.sqlite'}", None)
    ]
    try:
        url, drop = postgresql_database()
        urls.append(("postgresql", url, drop))
    except Exception as error:  # noqa: BLE001 - no server: SQLite only
        print(f"PostgreSQL not reachable ({error.__class__.__name__}); SQLite only.")
    return urls


def make_app(url):
    from digibuddy import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": False,
            "SECRET_KEY": "bench",
            "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        }
    )
    return app


def build_schema(app):
    from flask_migrate import upgrade

    from digibuddy.reference.loader import load_all

    with app.app_context():
        upgrade()
        load_all()


def flemish_geography(db):
    from digibuddy.reference.models import REGION_FLANDERS

    return geography(db, (REGION_FLANDERS,))


def belgian_geography(db):
    from digibuddy.reference.models import REGION_BRUSSELS, REGION_FLANDERS, REGION_WALLONIA

    return geography(db, (REGION_FLANDERS, REGION_BRUSSELS, REGION_WALLONIA))


def geography(db, regions):
    """The municipalities of the regions, and their postcodes as (code, municipality, latitude, longitude)."""
    from digibuddy.reference.models import Municipality, Postcode

    municipalities = db.session.scalars(
        sa.select(Municipality)
        .where(Municipality.region_code.in_(regions))
        .order_by(Municipality.province_code, Municipality.nis_code)
    ).all()
    postcodes = db.session.execute(
        sa.select(Postcode.code, Postcode.municipality_nis, Postcode.latitude, Postcode.longitude)
        .join(Municipality)
        .where(Municipality.region_code.in_(regions))
        .order_by(Postcode.code)
    ).all()
    return municipalities, postcodes


def create_networks(db, rnd, municipalities, per_network=5):
    """Networks of about five municipalities each, chunked within a province (the German-speaking Community
    on its own, Brussels, which has no province, too), sorted by longitude."""
    from digibuddy.network.models import LocalNetwork, Location, NetworkMunicipality
    from digibuddy.reference.models import Postcode

    by_province: dict = {}
    for m in municipalities:
        group = "german-speaking" if m.nis_code in GERMAN_SPEAKING else (m.province_code or m.region_code)
        by_province.setdefault(group, []).append(m)
    network_of_municipality = {}
    for _province, items in sorted(by_province.items()):
        centres = {}
        for m in items:
            pc = db.session.scalar(
                sa.select(Postcode).where(Postcode.municipality_nis == m.nis_code).limit(1)
            ) or db.session.scalar(
                # Etterbeek and Elsene share their postcode with the City of Brussels, which it routes to.
                sa.select(Postcode).where(Postcode.locality.in_((m.name_nl, m.name_fr))).limit(1)
            )
            centres[m.nis_code] = (pc.longitude, pc.latitude, pc.code)
        items.sort(key=lambda m: centres[m.nis_code][:2])
        for start in range(0, len(items), per_network):
            chunk = items[start : start + per_network]
            area = language_area(chunk[0])
            library, street = AREA_NAMES[area]
            name_of = (lambda m: m.name_fr) if area in (BRUSSELS, WALLONIA) else (lambda m: m.name_nl)
            network = LocalNetwork(
                name=f"Bench {name_of(chunk[0])}",
                slug=f"bench-{chunk[0].nis_code}",
                phone="09 000 00 00",
                offer_timeout_hours=24,
                max_offer_rounds=3,
                retention_months=24,
                extract_max_age_months=12,
                allow_overflow=False,
            )
            db.session.add(network)
            db.session.flush()
            for m in chunk:
                db.session.add(NetworkMunicipality(network_id=network.id, municipality_nis=m.nis_code))
                network_of_municipality[m.nis_code] = network.id
                lon, lat, code = centres[m.nis_code]
                db.session.add(
                    Location(
                        network_id=network.id,
                        name=f"{library} {name_of(m)}",
                        kind="library",
                        street=street,
                        postcode_code=code,
                        latitude=lat,
                        longitude=lon,
                    )
                )
    db.session.commit()
    return network_of_municipality


def insert_volunteers(
    db, rnd, count, postcodes, network_of_municipality, topic_ids, password_hash, area_of=None
):
    """`area_of`: municipality -> language area (language_areas); without it every volunteer is Flemish."""
    from digibuddy.accounts.models import Membership, User
    from digibuddy.volunteers.models import (
        AvailabilitySlot,
        VettingCheck,
        VolunteerLanguage,
        VolunteerProfile,
        VolunteerTopic,
    )

    conn = db.session.connection()
    users, memberships, profiles, languages, topics, slots, checks = [], [], [], [], [], [], []
    for i in range(1, count + 1):
        code, nis, _lat, _lon = rnd.choice(postcodes)
        area = area_of[nis] if area_of else FLANDERS
        users.append(
            {
                "id": i,
                "email": f"volunteer{i}@bench.example",
                "password_hash": password_hash,
                "name": f"Vrijwilliger {i}",
                "locale": AREA_LOCALE[area],
                "is_admin": False,
                "active": True,
            }
        )
        memberships.append({"user_id": i, "network_id": network_of_municipality[nis], "role": "volunteer"})
        active = rnd.random() < 0.85
        status = "active" if active else rnd.choice(["applied", "vetting", "paused", "suspended", "left"])
        profiles.append(
            {
                "id": i,
                "user_id": i,
                "home_postcode_code": code,
                "travel_radius_km": rnd.choice([3, 5, 8, 10, 15, 20, 25]),
                "max_concurrent": rnd.choice([1, 2, 2, 3, 4]),
                "status": status,
                "offers_home_visits": rnd.random() < 0.4,
                "offers_location": rnd.random() < 0.85,
                "offers_phone": rnd.random() < 0.5,
                "offers_video": rnd.random() < 0.3,
            }
        )
        languages.extend(_volunteer_languages(rnd, i, area))
        for topic_id in rnd.sample(topic_ids, rnd.randint(3, 10)):
            topics.append(
                {"volunteer_id": i, "topic_id": topic_id, "level": rnd.choice(["can_explain", "experienced"])}
            )
        for weekday in rnd.sample(range(7), rnd.randint(1, 4)):
            start = rnd.choice([9, 10, 13, 14, 18])
            slots.append(
                {"volunteer_id": i, "weekday": weekday, "starts": time(start), "ends": time(start + 3)}
            )
        if status in ("active", "paused"):
            for item in ("identity", "criminal_record", "charter", "training"):
                checks.append({"volunteer_id": i, "item": item})
    for model, rows in (
        (User, users),
        (Membership, memberships),
        (VolunteerProfile, profiles),
        (VolunteerLanguage, languages),
        (VolunteerTopic, topics),
        (AvailabilitySlot, slots),
        (VettingCheck, checks),
    ):
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(model), rows[start : start + 5000])
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        for table in ("users", "volunteer_profiles"):
            conn = db.session.connection()
            conn.execute(
                sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
                )
            )
        db.session.commit()


def flemish_volunteers(db, rnd, count, password):
    """The Flemish networks and `count` volunteers who log in with `password`: (municipalities, postcodes,
    network of each municipality, topic ids), for the requests that follow."""
    return volunteers_over(db, rnd, count, password)[:4]


def volunteers_over(db, rnd, count, password, belgium=False):
    """The networks of Flanders (or all of Belgium) and `count` volunteers who log in with `password`:
    (municipalities, postcodes, network of each municipality, topic ids, language area of each
    municipality), for the requests that follow."""
    from digibuddy.accounts.models import User
    from digibuddy.reference.models import Topic

    municipalities, postcodes = belgian_geography(db) if belgium else flemish_geography(db)
    area_of = language_areas(municipalities)
    network_of = create_networks(db, rnd, municipalities)
    topic_ids = db.session.scalars(sa.select(Topic.id)).all()
    probe = User(email="x", name="x")
    probe.set_password(password)
    insert_volunteers(db, rnd, count, postcodes, network_of, topic_ids, probe.password_hash, area_of)
    return municipalities, postcodes, network_of, topic_ids, area_of


def _volunteer_languages(rnd, volunteer_id, area):
    """A volunteer's languages: the area's main language (or one of Brussels' two), often the other one,
    and others by the area's mix."""
    if area == FLANDERS:
        main, second, mix = "nl", None, LANGUAGE_MIX
    else:
        main = pick(rnd, AREA_MAIN_LANGUAGES[area])
        second, mix = AREA_SECOND_LANGUAGE[area].get(main), AREA_LANGUAGE_MIX[area]
    rows = [
        {
            "volunteer_id": volunteer_id,
            "language_code": main,
            "level": "native" if rnd.random() < 0.9 else "fluent",
        }
    ]
    if second is not None and rnd.random() < second[1]:
        rows.append(
            {
                "volunteer_id": volunteer_id,
                "language_code": second[0],
                "level": rnd.choice(["native", "fluent", "basic"]),
            }
        )
    spoken = {row["language_code"] for row in rows}
    for lang, share in mix:
        if rnd.random() < share and lang not in spoken:
            rows.append(
                {
                    "volunteer_id": volunteer_id,
                    "language_code": lang,
                    "level": rnd.choice(["native", "fluent", "basic"]),
                }
            )
    return rows


def insert_requests(
    db, rnd, count, postcodes, network_of_municipality, topic_ids, first_id=1, now=None, area_of=None
):
    """`area_of` as for insert_volunteers: the language the resident asks for follows their area."""
    from digibuddy.core.db import utcnow
    from digibuddy.requests.models import (
        HelpRequest,
        RequestTimeWindow,
        Resident,
        request_languages,
        request_topics,
    )
    from digibuddy.requests.references import ALPHABET

    now = now or utcnow()
    conn = db.session.connection()
    residents, requests, topic_rows, language_rows, windows = [], [], [], [], []
    for n in range(count):
        i = first_id + n
        code, nis, _lat, _lon = rnd.choice(postcodes)
        area = area_of[nis] if area_of else FLANDERS
        network_id = network_of_municipality[nis]
        residents.append(
            {
                "id": i,
                "network_id": network_id,
                "first_name": f"Inwoner {i}",
                "postcode_code": code,
                "street_address": "Dorpsstraat 1",
                "locale": AREA_LOCALE[area],
                "has_no_email": True,
                "needs_low_vision": False,
                "needs_hearing": False,
                "needs_mobility": False,
                "created_at": now,
            }
        )
        requests.append(
            {
                "id": i,
                # Unique through the id, within the column's 12 characters from the 10,000th request on.
                "reference": "".join(rnd.choice(ALPHABET) for _ in range(min(8, 12 - len(str(i))))) + str(i),
                "resident_id": i,
                "network_id": network_id,
                "intake_channel": "online",
                "preferred_mode": pick(rnd, MODES),
                "status": "new",
                "status_changed_at": now,
                "offer_round": 0,
                "created_at": now - timedelta(minutes=n),
            }
        )
        for topic_id in rnd.sample(topic_ids, rnd.randint(1, 3)):
            topic_rows.append({"request_id": i, "topic_id": topic_id})
        common = AREA_COMMON_LANGUAGE.get(area, "nl")
        language = pick(rnd, AREA_REQUEST_LANGUAGES.get(area, REQUEST_LANGUAGES))
        language_rows.append({"request_id": i, "language_code": language})
        if language != common and rnd.random() < 0.5:
            language_rows.append({"request_id": i, "language_code": common})
        for weekday in rnd.sample(range(7), rnd.randint(1, 3)):
            windows.append(
                {"request_id": i, "weekday": weekday, "day_part": rnd.choice(["morning", "afternoon"])}
            )
    for table, rows in (
        (Resident, residents),
        (HelpRequest, requests),
        (request_topics, topic_rows),
        (request_languages, language_rows),
        (RequestTimeWindow, windows),
    ):
        for start in range(0, len(rows), 5000):
            conn.execute(sa.insert(table), rows[start : start + 5000])
    db.session.commit()
    return [r["id"] for r in requests]


def postgresql_database(name=None):
    """A fresh PostgreSQL database, uniquely named unless `name` is given (BENCH_POSTGRES_URL names the
    server): (url, drop). Raises when no server answers or the name is taken."""
    name = name or f"digibuddy_bench_{uuid.uuid4().hex[:8]}"
    engine = _server()
    with engine.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return _database(engine, name)


def existing_postgresql_database(name):
    """(url, drop) of the database `name` on the benchmark server, or None when there is none."""
    engine = _server()
    with engine.connect() as conn:
        found = conn.execute(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
        ).first()
    if found is None:
        engine.dispose()
        return None
    return _database(engine, name)


def _server():
    admin = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    return sa.create_engine(admin, isolation_level="AUTOCOMMIT")


def _database(engine, name):
    url = engine.url.set(database=name).render_as_string(hide_password=False)

    def drop():
        with engine.connect() as conn:
            conn.execute(
                sa.text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname='{name}'")
            )
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        engine.dispose()

    return url, drop


def create_staff(
    db,
    network_id,
    password,
    *,
    coordinator_email="coordinator@bench.example",
    admin_email="admin@bench.example",
):
    """A coordinator of one network and a central administrator, both with `password`. Returns their
    e-mails."""
    from digibuddy.accounts.models import Membership, Role, User

    coordinator = User(email=coordinator_email, name="Coördinator Bench", locale="nl")
    coordinator.set_password(password)
    admin = User(email=admin_email, name="Beheerder Bench", locale="nl", is_admin=True)
    admin.set_password(password)
    db.session.add_all([coordinator, admin])
    db.session.flush()
    db.session.add(Membership(user_id=coordinator.id, network_id=network_id, role=Role.COORDINATOR))
    db.session.commit()
    return coordinator_email, admin_email
