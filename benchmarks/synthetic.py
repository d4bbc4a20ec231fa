"""A synthetic Flemish-scale network on the real reference data, inserted in bulk. Shared by the benchmarks.

Deterministic for a given seed: networks of about five neighbouring Flemish municipalities, volunteers
spread over all 285 Flemish municipalities with realistic language and topic mixes, and requests routed
to the network that covers the resident's postcode."""

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
    from digibuddy.reference.models import REGION_FLANDERS, Municipality, Postcode

    municipalities = db.session.scalars(
        sa.select(Municipality)
        .where(Municipality.region_code == REGION_FLANDERS)
        .order_by(Municipality.province_code, Municipality.nis_code)
    ).all()
    postcodes = db.session.execute(
        sa.select(Postcode.code, Postcode.municipality_nis, Postcode.latitude, Postcode.longitude)
        .join(Municipality)
        .where(Municipality.region_code == REGION_FLANDERS)
    ).all()
    return municipalities, postcodes


def create_networks(db, rnd, municipalities, per_network=5):
    """Networks of about five municipalities each, chunked within a province, sorted by longitude."""
    from digibuddy.network.models import LocalNetwork, Location, NetworkMunicipality
    from digibuddy.reference.models import Postcode

    by_province: dict = {}
    for m in municipalities:
        by_province.setdefault(m.province_code, []).append(m)
    network_of_municipality = {}
    for _province, items in sorted(by_province.items()):
        centres = {}
        for m in items:
            pc = db.session.scalar(
                sa.select(Postcode).where(Postcode.municipality_nis == m.nis_code).limit(1)
            )
            centres[m.nis_code] = (pc.longitude, pc.latitude, pc.code)
        items.sort(key=lambda m: centres[m.nis_code][:2])
        for start in range(0, len(items), per_network):
            chunk = items[start : start + per_network]
            network = LocalNetwork(
                name=f"Bench {chunk[0].name_nl}",
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
                        name=f"Bibliotheek {m.name_nl}",
                        kind="library",
                        street="Kerkstraat 1",
                        postcode_code=code,
                        latitude=lat,
                        longitude=lon,
                    )
                )
    db.session.commit()
    return network_of_municipality


def insert_volunteers(db, rnd, count, postcodes, network_of_municipality, topic_ids, password_hash):
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
        users.append(
            {
                "id": i,
                "email": f"volunteer{i}@bench.example",
                "password_hash": password_hash,
                "name": f"Vrijwilliger {i}",
                "locale": "nl",
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
        languages.append(
            {"volunteer_id": i, "language_code": "nl", "level": "native" if rnd.random() < 0.9 else "fluent"}
        )
        for lang, share in LANGUAGE_MIX:
            if rnd.random() < share:
                languages.append(
                    {
                        "volunteer_id": i,
                        "language_code": lang,
                        "level": rnd.choice(["native", "fluent", "basic"]),
                    }
                )
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
    from digibuddy.accounts.models import User
    from digibuddy.reference.models import Topic

    municipalities, postcodes = flemish_geography(db)
    network_of = create_networks(db, rnd, municipalities)
    topic_ids = db.session.scalars(sa.select(Topic.id)).all()
    probe = User(email="x", name="x")
    probe.set_password(password)
    insert_volunteers(db, rnd, count, postcodes, network_of, topic_ids, probe.password_hash)
    return municipalities, postcodes, network_of, topic_ids


def insert_requests(db, rnd, count, postcodes, network_of_municipality, topic_ids, first_id=1, now=None):
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
        network_id = network_of_municipality[nis]
        residents.append(
            {
                "id": i,
                "network_id": network_id,
                "first_name": f"Inwoner {i}",
                "postcode_code": code,
                "street_address": "Dorpsstraat 1",
                "locale": "nl",
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
        language = pick(rnd, REQUEST_LANGUAGES)
        language_rows.append({"request_id": i, "language_code": language})
        if language != "nl" and rnd.random() < 0.5:
            language_rows.append({"request_id": i, "language_code": "nl"})
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
