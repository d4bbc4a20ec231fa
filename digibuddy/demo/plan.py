"""The demo plan: from a seed and plain reference data, decide everything the demo holds - networks,
locations, people, requests, offers, sessions, outcomes - as plain lists and dicts (pure: no database).

Who and what (names, postcodes, references, statuses, which volunteer helps whom) comes from one
random stream; when (dates, session times) from a second one, so the who-and-what part does not depend
on the day the plan is made. Times in the plan are whole minutes. Most are counted from local midnight
(Europe/Brussels) of ``today`` (negative = in the past, a day is 1440); requests that are still waiting
for a match (new, matching, offered) count their minutes from *now*, because their offers must still be
open. Past times always lie before today's midnight and future sessions after it.
"""

from __future__ import annotations

import dataclasses
import random
import re
import unicodedata
from datetime import date, datetime, time, timedelta

from ..core.geo import distance_km
from ..core.time import local_today, public_holiday_name
from ..matching import engine
from ..requests.references import ALPHABET as REFERENCE_ALPHABET
from ..requests.references import LENGTH as REFERENCE_LENGTH
from .data import (
    ACCESS_NOTES,
    AVAILABILITY_TEMPLATES,
    CANCEL_NOTES,
    CHANNEL_KEYS,
    DAY,
    DECLINE_REASONS,
    FEEDBACK_GOOD,
    FEEDBACK_MEH,
    FLANDERS,
    LANGUAGE_NAMES_NL,
    LEFT_REASONS,
    MAX_OFFER_ROUNDS,
    MOTIVATIONS,
    NAMES,
    NEEDS_VOLUNTEER,
    NETWORK_SPECS,
    NOW_ANCHORED,
    OFFER_TIMEOUT_HOURS,
    OPEN_WITH_VOLUNTEER,
    OPENING_HOURS,
    PAUSE_REASONS,
    RARE_ORIGINS,
    REFERRALS,
    RESIDENT_LANGUAGES,
    RESIDENT_ORIGINS,
    SESSION_CANCEL_REASONS,
    STATUSES,
    SUSPEND_REASONS,
    TOPIC_POPULARITY,
    TOPIC_TEXTS,
    UNCOVERED_ATTEMPTS,
    VOLUNTEER_MESSAGES,
    VOLUNTEER_ORIGINS,
)

# ---------------------------------------------------------------------------------------------
# Small pure helpers
# ---------------------------------------------------------------------------------------------


def make_reference_code(rng: random.Random, taken: set) -> str:
    """A new 8-character request reference (no 0/O/1/I) drawn from `rng`, not yet in `taken`."""
    while True:
        code = "".join(rng.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))
        if code not in taken:
            taken.add(code)
            return code


_TRANSLITERATE = str.maketrans({"ı": "i", "ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "đ": "d"})


def email_part(text: str) -> str:
    """'Van den Broeck' -> 'vandenbroeck', 'Yılmaz' -> 'yilmaz'."""
    text = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE))
    return re.sub(r"[^a-z0-9]", "", text.encode("ascii", "ignore").decode().lower())


def _km(a, b) -> float:
    """Distance between two (latitude, longitude) pairs."""
    return distance_km(a[0], a[1], b[0], b[1])


# How residents answer "how easy was it to get help this way?" and "how much do you trust this help?" (1-4),
# per intake channel: online is harder for the residents who need help most; a visit at home is trusted most.
EASE_BY_CHANNEL = {
    "online": {1: 10, 2: 25, 3: 40, 4: 25},
    "phone": {1: 4, 2: 14, 3: 42, 4: 40},
    "counter": {1: 2, 2: 8, 3: 40, 4: 50},
    "outreach": {1: 2, 2: 6, 3: 32, 4: 60},
}
TRUST_BY_CHANNEL = {
    "online": {1: 6, 2: 20, 3: 44, 4: 30},
    "phone": {1: 4, 2: 16, 3: 45, 4: 35},
    "counter": {1: 2, 2: 10, 3: 43, 4: 45},
    "outreach": {1: 1, 2: 5, 3: 34, 4: 60},
}


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _weighted_sample(rng: random.Random, items, weights, k: int) -> list:
    pool, w, out = list(items), list(weights), []
    while pool and len(out) < k:
        index = rng.choices(range(len(pool)), weights=w)[0]
        out.append(pool.pop(index))
        w.pop(index)
    return out


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_part(minute_of_day: int) -> str:
    return "morning" if minute_of_day < 12 * 60 else "afternoon" if minute_of_day < 17 * 60 else "evening"


# ---------------------------------------------------------------------------------------------
# The plan
# ---------------------------------------------------------------------------------------------


class PlanError(RuntimeError):
    """The reference data cannot carry the demo (e.g. a required municipality is missing)."""


def build_plan(seed: int, reference: dict, today: date | None = None) -> dict:
    """Decide all demo data from `seed` and plain `reference` data; returns plain data only.

    The same seed and reference give the same plan. `today` (Brussels date, default: today) only
    moves dates and session times; names, postcodes, references and statuses do not depend on it.
    """
    return _PlanBuilder(seed, reference, today or local_today()).build()


class _PlanBuilder:
    def __init__(self, seed: int, reference: dict, today: date):
        master = random.Random(seed)
        self.rng = random.Random(master.getrandbits(64))  # who and what
        self.trng = random.Random(master.getrandbits(64))  # when
        self.today = today
        self.today_wd = today.weekday()
        self.reference = reference
        self.languages = set(reference["languages"])
        self.topic_codes = [code for code, _group in reference["topics"]]
        self.topic_group = dict(reference["topics"])
        self.topic_index = {code: index for index, code in enumerate(self.topic_codes, start=1)}
        self.municipalities = {nis: (name, region) for nis, name, region in reference["municipalities"]}
        self.training_modules = reference.get("training_modules", [])
        self.postcodes = {row[0]: row for row in reference["postcodes"]}
        self.coords = {row[0]: (row[2], row[3]) for row in reference["postcodes"]}
        self.taken_names: set = set()
        self.taken_emails: set = set()
        self.references: set = set()
        self.booked: dict[str, list] = {}
        self.load: dict[str, int] = {}
        self.assigned: dict[str, int] = {}

    # ----------------------------------------------------------------------------- helpers
    def weekday(self, day: int) -> int:
        return (self.today_wd + day) % 7

    def check_past(self, minute: int, what: str) -> None:
        if minute >= 0:
            raise PlanError(f"internal error: {what} would lie in the future ({minute})")

    def lang(self, codes) -> list:
        return [code for code in codes if code in self.languages]

    def topic_weight(self, code: str) -> int:
        return TOPIC_POPULARITY.get(code, 1)

    def pick_name(self, origin: str, first_pool: tuple | None = None) -> tuple[str, str]:
        rng = self.rng
        pool = NAMES[origin]
        for _ in range(200):
            first = rng.choice(first_pool or pool["first"])
            last = rng.choice(pool["last"])
            email = f"{email_part(first)}.{email_part(last)}@volunteer.digibuddy.demo"
            if (first, last) not in self.taken_names and email not in self.taken_emails:
                self.taken_names.add((first, last))
                self.taken_emails.add(email)
                return f"{first} {last}", email
        raise PlanError("ran out of distinct volunteer names")

    def mobile(self, rng: random.Random) -> str:
        pairs = " ".join(str(rng.randint(10, 99)) for _ in range(3))
        return f"04{rng.choice('6789')}{rng.randint(0, 9)} {pairs}"

    def landline(self, rng: random.Random, area: str) -> str:
        if len(area) == 2:
            return f"{area} {rng.randint(210, 399)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        return f"{area} {rng.randint(20, 89)} {rng.randint(10, 99)} {rng.randint(10, 99)}"

    # ----------------------------------------------------------------------------- build
    def build(self) -> dict:
        self.networks = self.plan_networks()
        self.locations = [loc for net in self.networks for loc in self.plan_locations(net)]
        self.locs_by_net = {
            net["key"]: [loc for loc in self.locations if loc["network"] == net["key"]]
            for net in self.networks
        }
        self.staff = self.plan_staff()
        self.volunteers = self.plan_volunteers()
        self.vol_by_email = {vol["email"]: vol for vol in self.volunteers}
        self.residents, self.requests = self.plan_residents_and_requests()
        for net in self.networks:
            self.plan_statuses(net)
        self.dropins, self.shifts, self.dropin_exceptions = self.plan_dropins()
        self.dropin_bookings, self.dropin_waiting = self.plan_full_dropin()
        self.plan_timelines()
        self.plan_waiting_group()
        practices, events = self.plan_central()
        for request in self.requests:
            for key in [k for k in request if k.startswith("_")]:
                del request[key]
        for vol in self.volunteers:
            for key in [k for k in vol if k.startswith("_")]:
                del vol[key]
        return {
            "today": self.today.isoformat(),
            "networks": [{k: v for k, v in net.items() if not k.startswith("_")} for net in self.networks],
            "locations": self.locations,
            "staff": self.staff,
            "volunteers": self.volunteers,
            "residents": self.residents,
            "requests": self.requests,
            "dropins": self.dropins,
            "dropin_exceptions": self.dropin_exceptions,
            "shifts": self.shifts,
            "dropin_bookings": self.dropin_bookings,
            "dropin_waiting": self.dropin_waiting,
            "practices": practices,
            "network_events": events,
            "uncovered_attempts": self.plan_uncovered_attempts(),
            "volunteer_messages": [dict(item) for item in VOLUNTEER_MESSAGES],
        }

    # ----------------------------------------------------------------------------- networks
    def plan_networks(self) -> list:
        networks, used = [], set()
        for spec in NETWORK_SPECS:
            nis = [code for code in spec["nis"] if code in self.municipalities]
            missing = len(spec["nis"]) - len(nis)
            for alternative in spec.get("alternatives", ()):
                if missing <= 0:
                    break
                if alternative in self.municipalities and alternative not in nis and alternative not in used:
                    nis.append(alternative)
                    missing -= 1
            if missing > 0 or not nis:
                if spec["required"]:
                    raise PlanError(
                        f"municipality {', '.join(spec['nis'])} is missing from the reference data"
                    )
                continue
            used.update(nis)
            postcodes = sorted(code for code, row in self.postcodes.items() if row[4] in nis)
            if not postcodes:
                raise PlanError(f"no postcodes for municipality {', '.join(nis)}")
            weights = [spec["postcode_weights"].get(code, 1) for code in postcodes]
            networks.append(
                {
                    "key": spec["key"],
                    "label": spec["label"],
                    "name": spec["name"],
                    "nis": nis,
                    "phone": spec["phone"],
                    "email": spec["email"],
                    "address": spec["address"],
                    "postcode": spec["postcode"] if spec["postcode"] in postcodes else postcodes[0],
                    "allow_overflow": spec["allow_overflow"],
                    "_spec": spec,
                    "_postcodes": postcodes,
                    "_weights": weights,
                }
            )
        all_nis = {code for net in networks for code in net["nis"]}
        for net in networks:
            own = [self.coords[code] for code in net["_postcodes"]]
            net["_near"] = sorted(
                code
                for code, row in self.postcodes.items()
                if row[4] not in all_nis
                and self.municipalities.get(row[4], ("", ""))[1] == FLANDERS
                and min(_km(self.coords[code], point) for point in own) <= 8.0
            )
        return networks

    def plan_locations(self, net) -> list:
        rng, out = self.rng, []
        for index, (kind, name, street, postcode, phone) in enumerate(net["_spec"]["locations"]):
            if postcode not in net["_postcodes"]:
                postcode = net["postcode"]
            lat, lon = self.coords[postcode]
            hours = []
            shift = rng.choice((0, 0, -30)) if kind == "library" else 0
            for weekday, opens, closes in OPENING_HOURS[kind]:
                o, c = _minutes(opens) + shift, _minutes(closes) + shift
                hours.append([weekday, _clock(o), _clock(c)])
            out.append(
                {
                    "key": f"{net['key']}:{index}",
                    "network": net["key"],
                    "kind": kind,
                    "name": name,
                    "street": street,
                    "postcode": postcode,
                    "phone": phone,
                    "latitude": round(lat + rng.uniform(-0.004, 0.004), 6),
                    "longitude": round(lon + rng.uniform(-0.006, 0.006), 6),
                    "accessibility_notes": ACCESS_NOTES[kind],
                    "opening_hours": hours,
                }
            )
        return out

    # ----------------------------------------------------------------------------- staff
    def plan_staff(self) -> list:
        rng, trng = self.rng, self.trng
        staff = [
            {
                "key": "admin",
                "email": "admin@digibuddy.demo",
                "name": "Katrien Van Damme",
                "phone": "02 553 10 10",
                "locale": "nl",
                "is_admin": True,
                "memberships": [],
                "created": -trng.randint(600, 900) * DAY + 9 * 60,
            }
        ]
        self.taken_names.add(("Katrien", "Van Damme"))
        surnames = {"Van Damme"}
        for net in self.networks:
            domain = f"{net['key']}.digibuddy.demo"
            for role in ("coordinator", "counter"):
                name, _unused = self.pick_name("flemish")
                while name.split(" ", 1)[1] in surnames:
                    name, _unused = self.pick_name("flemish")
                surnames.add(name.split(" ", 1)[1])
                staff.append(
                    {
                        "key": f"{role}:{net['key']}",
                        "email": f"{role}@{domain}",
                        "name": name,
                        "phone": self.landline(rng, net["_spec"]["area_code"]),
                        "locale": "nl",
                        "is_admin": False,
                        "memberships": [[net["key"], role]],
                        "created": -trng.randint(300, 700) * DAY + trng.randint(8 * 60, 17 * 60),
                    }
                )
        return staff

    # ----------------------------------------------------------------------------- volunteers
    def volunteer_languages(self, origin: str, every: bool = False) -> list:
        """Languages and levels for a volunteer of this origin; `every`: all the likely extra ones too."""
        rng = self.rng
        langs: dict[str, str] = {}

        def add(code, level, chance=1.0):
            if code in self.languages and code not in langs and (rng.random() < chance or every):
                langs[code] = level

        if origin == "flemish":
            add("nl", "native")
            add("en", rng.choice(("fluent", "fluent", "basic")), 0.8)
            add("fr", rng.choice(("fluent", "basic", "basic")), 0.7)
            add("de", "basic", 0.1)
            add("es", "basic", 0.06)
        elif origin == "francophone":
            add("fr", "native")
            add("nl", "fluent")
            add("en", "basic", 0.5)
        elif origin == "moroccan":
            add("ar", rng.choice(("native", "native", "fluent")))
            add("zgh", "native", 0.3)
            add("nl", rng.choice(("native", "fluent")))
            add("fr", "fluent", 0.7)
        elif origin == "turkish":
            add("tr", "native")
            add("nl", rng.choice(("native", "fluent")))
            add("en", "basic", 0.4)
        elif origin == "ukrainian":
            add("uk", "native")
            add("ru", "fluent", 0.8)
            add("en", "fluent", 0.5)
            add("nl", rng.choice(("basic", "fluent")))
        elif origin == "polish":
            add("pl", "native")
            add("en", "fluent")
            add("nl", "fluent")
        elif origin == "romanian":
            add("ro", "native")
            add("en", "fluent")
            add("nl", "fluent")
            add("fr", "basic", 0.3)
        elif origin == "spanish":
            add("es", "native")
            add("en", "fluent")
            add("nl", "fluent")
            add("fr", "basic", 0.5)
        elif origin == "eritrean":
            add("ti", "native")
            add("en", "fluent")
            add("nl", rng.choice(("basic", "fluent")))
            add("ar", "basic", 0.3)
        elif origin == "afghan":
            first = rng.choice(("fa", "ps"))
            add(first, "native")
            add("ps" if first == "fa" else "fa", "fluent", 0.6)
            add("en", "fluent", 0.4)
            add("nl", "fluent")
        elif origin == "somali":
            add("so", "native")
            add("en", "fluent")
            add("ar", "basic", 0.4)
            add("nl", "fluent")
        else:
            add("en", "native")
            add("nl", rng.choice(("basic", "fluent")))
        if not langs:
            langs["nl"] = "native"
        return [[code, level] for code, level in langs.items()]

    def volunteer_topics(self, k: int) -> list:
        rng = self.rng
        weights = [self.topic_weight(c) ** 1.5 for c in self.topic_codes]
        codes = _weighted_sample(rng, self.topic_codes, weights, k)
        return [[code, rng.choice(("can_explain", "can_explain", "experienced"))] for code in codes]

    def volunteer_slots(self, count: int) -> list:
        rng = self.rng
        days = _weighted_sample(rng, range(6), [5, 5, 5, 5, 5, 2], count)
        slots = []
        for weekday in sorted(days):
            starts, ends = rng.choice(AVAILABILITY_TEMPLATES)
            slots.append([weekday, starts, ends])
        return slots

    def plan_volunteers(self) -> list:
        rng = self.rng
        volunteers = []
        demo_topics = sorted(
            (c for c in self.topic_codes if c in TOPIC_POPULARITY), key=lambda c: (-TOPIC_POPULARITY[c], c)
        )[:10]
        self.taken_names.add(("Nadia", "Bensaïd"))
        for net in self.networks:
            count = net["_spec"]["volunteers"]
            statuses = ["applied", "vetting", "paused", "left"] + (["suspended"] if count >= 30 else [])
            statuses += [
                _weighted(
                    rng, {"active": 82, "applied": 3, "vetting": 5, "paused": 5, "suspended": 1, "left": 4}
                )
                for _ in range(count - len(statuses))
            ]
            rng.shuffle(statuses)
            if net["key"] == "gent":
                statuses[0] = "active"
            rare = list(RARE_ORIGINS.get(net["key"], ()))
            for index, status in enumerate(statuses):
                demo = net["key"] == "gent" and index == 0
                if demo:
                    origin, name, email = "moroccan", "Nadia Bensaïd", "digibuddy@gent.digibuddy.demo"
                else:
                    use_rare = bool(rare) and status == "active"
                    origin = rare[0] if use_rare else _weighted(rng, VOLUNTEER_ORIGINS)
                    name, email = self.pick_name(origin)
                near = net["_near"] and rng.random() < 0.18
                if demo:
                    home = net["postcode"]
                elif near:
                    home = rng.choice(net["_near"])
                else:
                    home = rng.choices(net["_postcodes"], weights=net["_weights"])[0]
                radius = rng.choice((2, 3, 5, 5, 8, 10, 10, 12, 15, 15, 20, 25))
                if near:
                    radius = max(radius, 10)
                channels = {
                    "location": rng.random() < 0.85,
                    "home": rng.random() < 0.4,
                    "phone": rng.random() < 0.5,
                    "video": rng.random() < 0.35,
                }
                if not any(channels.values()):
                    channels["location"] = True
                if demo:
                    langs = [["nl", "native"], ["ar", "native"], ["fr", "fluent"]]
                    langs = [pair for pair in langs if pair[0] in self.languages]
                    topics = [
                        [code, "experienced" if i % 3 == 0 else "can_explain"]
                        for i, code in enumerate(demo_topics)
                    ]
                    slots = [
                        [0, "09:00", "12:00"],
                        [1, "13:00", "17:00"],
                        [3, "09:30", "16:00"],
                        [5, "10:00", "12:30"],
                    ]
                    radius, max_concurrent = 15, 4
                    channels = {"location": True, "home": True, "phone": True, "video": True}
                else:
                    langs = self.volunteer_languages(origin, every=use_rare)
                    if use_rare:
                        rare.pop(0)
                    topics = self.volunteer_topics(rng.choice((3, 4, 5, 6, 7, 8, 8, 9, 9, 10, 10, 10)))
                    slots = self.volunteer_slots(rng.choice((1, 2, 2, 3, 3, 4)))
                    max_concurrent = rng.choice((1, 2, 2, 2, 3, 3, 4))
                locale = (
                    "fr"
                    if origin == "francophone"
                    else (
                        "en"
                        if origin in ("english", "ukrainian", "eritrean") and rng.random() < 0.6
                        else "nl"
                    )
                )
                vol = {
                    "email": email,
                    "name": name,
                    "origin": origin,
                    "phone": self.mobile(rng),
                    "locale": locale,
                    "networks": [net["key"]],
                    "home_postcode": home,
                    "travel_radius_km": radius,
                    "max_concurrent": max_concurrent,
                    "status": status,
                    "offers_home_visits": channels["home"],
                    "offers_location": channels["location"],
                    "offers_phone": channels["phone"],
                    "offers_video": channels["video"],
                    "languages": langs,
                    "topics": topics,
                    "availability": slots,
                    "motivation": rng.choice(MOTIVATIONS) if rng.random() < 0.7 else None,
                    "status_reason": None,
                    "paused_until_day": None,
                    "demo": demo,
                }
                self.plan_volunteer_history(vol, net)
                volunteers.append(vol)
        # A few volunteers help in two neighbouring networks.
        keys = [net["key"] for net in self.networks]
        if "mechelen" in keys and "herent-kortenberg" in keys:
            for own, other in (("mechelen", "herent-kortenberg"), ("herent-kortenberg", "mechelen")):
                pool = [v for v in volunteers if v["networks"] == [own] and v["status"] == "active"]
                for vol in pool[:2]:
                    vol["networks"].append(other)
                    vol["travel_radius_km"] = max(vol["travel_radius_km"], 20)
        for index, vol in enumerate(volunteers, start=1):
            vol["_id"] = index
            vol["_langs"] = dict(vol["languages"])
            vol["_topics"] = dict(vol["topics"])
            lat, lon = self.coords[vol["home_postcode"]]
            vol["_data"] = engine.VolunteerData(
                id=index,
                latitude=lat,
                longitude=lon,
                radius_km=vol["travel_radius_km"],
                active=vol["status"] == "active",
                vetted=len(vol["vetting"]) == 4,
                load=0,
                max_concurrent=vol["max_concurrent"],
                languages=dict(vol["_langs"]),
                topics={self.topic_index[c]: level for c, level in vol["topics"]},
                channels=frozenset(mode for mode, key in CHANNEL_KEYS.items() if vol[key]),
                availability=tuple((w, _minutes(a), _minutes(b)) for w, a, b in vol["availability"]),
            )
            self.booked[vol["email"]] = []
            self.load[vol["email"]] = 0
            self.assigned[vol["email"]] = 0
        return volunteers

    def plan_volunteer_history(self, vol: dict, net: dict) -> None:
        rng, trng = self.rng, self.trng
        status = vol["status"]
        coordinator = f"coordinator:{net['key']}"

        def at(days_ago_lo, days_ago_hi):
            return -trng.randint(days_ago_lo, days_ago_hi) * DAY + trng.randint(9 * 60, 20 * 60)

        checks = []
        if status in ("active", "paused", "suspended", "left"):
            created = at(200, 900) if status != "paused" else at(120, 900)
            vetted = created + trng.randint(5, 40) * DAY
            doc_days_ago = trng.randint(10, 330) if status != "left" else trng.randint(200, 330)
            for item in ("identity", "charter", "training"):
                checks.append(
                    {
                        "item": item,
                        "checked_by": coordinator,
                        "checked": vetted - trng.randint(0, 4) * DAY,
                        "document_day": None,
                        "note": "Basisopleiding gevolgd." if item == "training" else None,
                    }
                )
            checks.append(
                {
                    "item": "criminal_record",
                    "checked_by": coordinator,
                    "checked": (-(doc_days_ago - trng.randint(1, 9)) * DAY + trng.randint(9 * 60, 16 * 60)),
                    "document_day": -doc_days_ago,
                    "note": "Model 2 gezien.",
                }
            )
            changed = vetted
            if status == "paused":
                changed = at(2, 40)
                vol["paused_until_day"] = trng.randint(7, 75)
                vol["status_reason"] = rng.choice(PAUSE_REASONS)
            elif status == "suspended":
                changed = at(3, 30)
                vol["status_reason"] = rng.choice(SUSPEND_REASONS)
            elif status == "left":
                changed = at(10, 150)
                vol["status_reason"] = rng.choice(LEFT_REASONS)
        elif status == "vetting":
            created = at(7, 40)
            changed = created + trng.randint(1, 5) * DAY
            items = rng.sample(["identity", "criminal_record", "charter", "training"], rng.randint(1, 3))
            for item in items:
                checked = min(changed + trng.randint(0, 3) * DAY, -DAY + 12 * 60)
                document_day = (checked // DAY) - trng.randint(3, 30) if item == "criminal_record" else None
                checks.append(
                    {
                        "item": item,
                        "checked_by": coordinator,
                        "checked": checked,
                        "document_day": document_day,
                        "note": "Model 2 gezien." if item == "criminal_record" else None,
                    }
                )
        else:  # applied
            created = at(1, 14)
            changed = created
        vol["created"] = created
        vol["status_changed"] = changed
        vol["vetting"] = sorted(checks, key=lambda c: c["item"])
        # Training modules passed: every required one for whoever has the training item ticked.
        ticked = next((c["checked"] for c in checks if c["item"] == "training"), None)
        vol["training"] = []
        for code, required, questions in self.training_modules:
            if ticked is not None:
                done = required or rng.random() < 0.4
                when = max(created + 60, ticked - trng.randint(0, 3) * DAY - trng.randint(10, 300))
            else:
                done = rng.random() < (0.5 if status == "vetting" else 0.15)
                when = min(created + trng.randint(0, 3) * DAY + trng.randint(10, 300), -60)
            if done:
                vol["training"].append([code, when, questions])

    # ----------------------------------------------------------------------------- residents and requests
    def plan_residents_and_requests(self) -> tuple[list, list]:
        rng = self.rng
        residents, requests = [], []
        described = [code for code in TOPIC_TEXTS if code in self.topic_group]
        for net in self.networks:
            locs = self.locs_by_net[net["key"]]
            counters = [loc["key"] for loc in locs if loc["kind"] in ("town_hall", "library")]
            for _ in range(net["_spec"]["residents"]):
                origin = _weighted(rng, RESIDENT_ORIGINS)
                weight_langs = RESIDENT_LANGUAGES[origin]
                _w, langs, locales = rng.choices(weight_langs, weights=[w for w, _l, _c in weight_langs])[0]
                langs = self.lang(langs) or ["nl"]
                locale = rng.choice(locales)
                if origin == "flemish":
                    age = _weighted(
                        rng, {"75_plus": 30, "65_74": 30, "55_64": 18, "30_54": 12, "under_30": 4, None: 6}
                    )
                else:
                    age = _weighted(
                        rng, {"75_plus": 5, "65_74": 12, "55_64": 18, "30_54": 45, "under_30": 12, None: 8}
                    )
                pool = NAMES[origin]
                elderly = "elderly" in pool and age in ("75_plus", "65_74")
                first_pool = pool["elderly"] if elderly else pool["first"]
                first_name = rng.choice(first_pool)
                old = age in ("75_plus",)
                needs = []
                if rng.random() < (0.15 if old else 0.04):
                    needs.append("low_vision")
                if rng.random() < (0.12 if old else 0.03):
                    needs.append("hearing")
                if rng.random() < (0.25 if old else 0.10 if age == "65_74" else 0.03):
                    needs.append("mobility")
                has_email = rng.random() < (0.25 if age in ("75_plus", "65_74") else 0.55)
                email = None
                if has_email:
                    initial = rng.choice("abcdefghijklmnoprstvw")
                    domain = rng.choice(("example.org", "example.net", "example.com"))
                    email = f"{email_part(first_name)}.{initial}{rng.randint(1, 99)}@{domain}"
                phone = None
                if rng.random() < 0.88:
                    phone = (
                        self.landline(rng, net["_spec"]["area_code"])
                        if old and rng.random() < 0.4
                        else self.mobile(rng)
                    )
                postcode = rng.choices(net["_postcodes"], weights=net["_weights"])[0]
                resident = {
                    "key": f"R{len(residents) + 1:04d}",
                    "network": net["key"],
                    "first_name": first_name,
                    "phone": phone,
                    "email": email,
                    "has_no_email": email is None and rng.random() < 0.8,
                    "postcode": postcode,
                    "street_address": None,
                    "locale": locale,
                    "age_band": age,
                    "needs": needs,
                    "languages": langs,
                }
                residents.append(resident)
                for _n in range(2 if rng.random() < 0.25 else 1):
                    requests.append(self.plan_request(resident, net, described, counters))
                if (
                    any(r["preferred_mode"] == "home" for r in requests if r["resident"] == resident["key"])
                    or rng.random() < 0.2
                ):
                    street = f"{rng.choice(net['_spec']['streets'])} {rng.randint(1, 180)}"
                    if rng.random() < 0.2:
                        street += f" bus {rng.randint(1, 12)}"
                    resident["street_address"] = street
        return residents, requests

    def plan_request(self, resident: dict, net: dict, described: list, counters: list) -> dict:
        rng = self.rng
        old = resident["age_band"] in ("75_plus", "65_74")
        channel = _weighted(
            rng, {"online": 15 if old else 40, "phone": 32, "counter": 33, "outreach": 10 if old else 4}
        )
        if channel == "outreach" or ("mobility" in resident["needs"] and rng.random() < 0.6):
            mode = "home"
        else:
            mode = _weighted(rng, {"location": 52, "phone": 20, "video": 8 if old else 18, "home": 6})
        if mode == "phone" and "hearing" in resident["needs"]:
            mode = "location"
        primary = rng.choices(described, weights=[self.topic_weight(c) ** 1.5 for c in described])[0]
        topics = [primary]
        extra = _weighted(rng, {0: 55, 1: 33, 2: 12})
        if extra:
            group = self.topic_group[primary]
            same_group = [c for c in self.topic_codes if self.topic_group[c] == group and c != primary]
            others = [c for c in self.topic_codes if c not in same_group and c != primary]
            for _ in range(extra):
                pool = same_group if same_group and rng.random() < 0.6 else others
                pool = [c for c in pool if c not in topics]
                if pool:
                    topics.append(rng.choices(pool, weights=[self.topic_weight(c) for c in pool])[0])
        text = rng.choice(TOPIC_TEXTS[primary])
        if "nl" not in resident["languages"] and channel != "online":
            # Staff who typed the request in add a note.
            first_language = resident["languages"][0]
            text += f" (Noot: spreekt vooral {LANGUAGE_NAMES_NL.get(first_language, first_language)}.)"
        if "low_vision" in resident["needs"]:
            text += " Ik zie niet goed meer; grote letters helpen."
        if mode == "home" and "mobility" in resident["needs"]:
            text += " Ik kan moeilijk buiten komen."
        has_deadline = (
            primary in ("gov-tax-on-web", "jobs-apply-online", "files-scan-send") or rng.random() < 0.15
        )
        if has_deadline and rng.random() < 0.5:
            text += " Het moet voor een bepaalde datum in orde zijn."
        windows = set()
        for _ in range(rng.randint(1, 4)):
            windows.add(
                (
                    rng.choice((0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 5)),
                    _weighted(rng, {"morning": 45, "afternoon": 45, "evening": 10}),
                )
            )
        creator = {
            "online": None,
            "phone": f"counter:{net['key']}",
            "counter": f"counter:{net['key']}",
            "outreach": f"coordinator:{net['key']}",
        }[channel]
        return {
            "reference": make_reference_code(rng, self.references),
            "network": net["key"],
            "resident": resident["key"],
            "intake_channel": channel,
            "preferred_mode": mode,
            "topics": topics,
            "languages": list(resident["languages"]),
            "description": text,
            "time_windows": sorted([list(w) for w in windows]),
            "intake_location": rng.choice(counters) if channel == "counter" and counters else None,
            "created_by": creator,
            "status": None,
            "offer_round": 0,
            "escalation_reasons": None,
            "result": None,
            "deadline_day": None,
            "events": [],
            "offers": [],
            "sessions": [],
            "feedback": None,
            "_has_deadline": has_deadline,
            "_postcode": resident["postcode"],
            "_resident": resident,
        }

    # ----------------------------------------------------------------------------- matching
    # The app's own matching engine (pure Python) decides who fits and how well, on pseudo ids:
    # volunteers, topics and residents are numbered in plan order.
    def request_data(self, request: dict, asked=()) -> engine.RequestData:
        lat, lon = self.coords[request["_postcode"]]
        return engine.RequestData(
            id=0,
            latitude=lat,
            longitude=lon,
            mode=request["preferred_mode"],
            topic_ids=frozenset(self.topic_index[c] for c in request["topics"]),
            languages=frozenset(request["languages"]),
            time_windows=frozenset((w, p) for w, p in request["time_windows"]),
            resident_id=int(request["resident"][1:]),
            already_asked=frozenset(self.vol_by_email[e]["_id"] for e in asked),
            locations=tuple(
                engine.Point(loc["latitude"], loc["longitude"], loc["name"])
                for loc in self.locs_by_net[request["network"]]
            ),
        )

    def volunteer_data(self, vol: dict, load: int | None = None) -> engine.VolunteerData:
        return dataclasses.replace(vol["_data"], load=self.load[vol["email"]] if load is None else load)

    def fit_reason(self, vol: dict, request: dict) -> str | None:
        """The first hard constraint the volunteer fails for the request (capacity aside), or None."""
        return engine.exclusion_reason(self.request_data(request), self.volunteer_data(vol, load=0))

    def network_volunteers(self, net_key: str, active_only=True) -> list:
        return [
            v
            for v in self.volunteers
            if net_key in v["networks"] and (v["status"] == "active" or not active_only)
        ]

    def candidates(self, request: dict) -> list:
        return [
            v["email"]
            for v in self.network_volunteers(request["network"])
            if self.fit_reason(v, request) is None
        ]

    def score(self, vol: dict, request: dict) -> tuple[float, list]:
        """The engine's score and explanation parts (topics named by code; ids are set when writing)."""
        candidate = engine.score(self.request_data(request), self.volunteer_data(vol))
        parts = []
        for part in candidate.explanation:
            part = dict(part)
            if "topic_id" in part:
                part["topic"] = self.topic_codes[part.pop("topic_id") - 1]
            parts.append(part)
        return candidate.score, parts

    def ranked(self, request: dict, cands: list, need_capacity: bool) -> list:
        rng = self.rng
        rows = []
        for email in cands:
            vol = self.vol_by_email[email]
            if need_capacity and self.load[email] >= vol["max_concurrent"]:
                continue
            total, _e = self.score(vol, request)
            rows.append((total + rng.uniform(-6, 6) - 4 * self.assigned[email], email))
        rows.sort(key=lambda row: (-row[0], row[1]))
        return [email for _s, email in rows]

    def escalation_reasons(self, request: dict, asked) -> dict:
        """Why nobody fits, counted per volunteer of the network as the engine counts them."""
        data = self.request_data(request, asked)
        reasons: dict[str, int] = {}
        for vol in self.network_volunteers(request["network"], active_only=False):
            reason = engine.exclusion_reason(data, self.volunteer_data(vol))
            if reason:
                reasons[reason] = reasons.get(reason, 0) + 1
        return dict(sorted(reasons.items()))

    def plan_statuses(self, net: dict) -> None:
        rng = self.rng
        requests = [r for r in self.requests if r["network"] == net["key"]]
        for request in requests:
            request["_cands"] = self.candidates(request)
        ok = [r for r in requests if r["_cands"]]
        none = [r for r in requests if not r["_cands"]]
        rng.shuffle(ok)
        rng.shuffle(none)
        first: list = []
        # The demo volunteer in Gent: two open offers and one planned session.
        demo = next((v for v in self.volunteers if v["demo"] and net["key"] in v["networks"]), None)
        if demo is not None:
            for status in ("offered", "offered", "scheduled"):
                request = next((r for r in ok if demo["email"] in r["_cands"]), None)
                if request is None:
                    # Nobody asked for what she knows: add one of her topics to a request she otherwise fits.
                    request = next((r for r in ok + none if self.fit_reason(demo, r) == "topic"), None)
                    if request is None:
                        continue
                    request["topics"].append(next(iter(demo["_topics"])))
                    request["_cands"] = self.candidates(request)
                (ok if request in ok else none).remove(request)
                request["status"], request["_forced"] = status, demo["email"]
                first.append(request)
        # At least one request of every status in every network.
        for status in STATUSES:
            if not ok:
                raise PlanError(f"too few requests that volunteers of {net['name']} can take")
            if status == "escalated" and none:
                request = none.pop()
            elif status in NEEDS_VOLUNTEER or not none or rng.random() < 0.6:
                request = ok.pop()
            else:
                request = none.pop()
            request["status"] = status
            first.append(request)
        for request in ok:
            request["status"] = _weighted(
                rng,
                {
                    "completed": 30,
                    "unresolved": 5,
                    "cancelled": 6,
                    "expired": 4,
                    "escalated": 3,
                    "new": 6,
                    "matching": 5,
                    "offered": 9,
                    "matched": 8,
                    "scheduled": 13,
                },
            )
        for request in none:
            request["status"] = _weighted(
                rng, {"escalated": 55, "expired": 15, "cancelled": 10, "matching": 10, "new": 10}
            )
        for request in first + ok + none:
            self.plan_offers(request)

    def plan_offers(self, request: dict) -> None:
        """Which volunteers get offers, and how each offer ends (identity stream only)."""
        rng = self.rng
        status, cands = request["status"], request["_cands"]
        seq: list = []  # [volunteer e-mail, offer status]
        forced = request.get("_forced")
        if status in NEEDS_VOLUNTEER:
            need_capacity = status in OPEN_WITH_VOLUNTEER
            ranked = self.ranked(request, cands, need_capacity)
            if forced:
                ranked = [forced] + [e for e in ranked if e != forced]
            if not ranked:
                # Everybody who fits is busy: the request went to the coordinator.
                request["status"] = status = "escalated"
            else:
                priors = 0 if forced else _weighted(rng, {0: 65, 1: 25, 2: 10})
                if forced:
                    chosen = forced
                    others = [e for e in self.ranked(request, cands, False) if e != forced]
                else:
                    chosen = ranked[min(priors, len(ranked) - 1)]
                    others = [e for e in self.ranked(request, cands, False) if e != chosen]
                for email in others[:priors]:
                    seq.append([email, rng.choice(("declined", "declined", "expired"))])
                seq.append([chosen, "pending" if status == "offered" else "accepted"])
                if status in OPEN_WITH_VOLUNTEER:
                    self.load[chosen] += 1
                if status != "offered":
                    self.assigned[chosen] += 1
        if status == "escalated":
            ranked = self.ranked(request, cands, False)
            rounds = min(MAX_OFFER_ROUNDS, len(ranked)) if rng.random() < 0.7 else 0
            for email in ranked[:rounds]:
                seq.append([email, rng.choice(("declined", "expired"))])
        elif status == "matching" and cands and rng.random() < 0.3:
            seq.append([self.ranked(request, cands, False)[0], "declined"])
        elif status == "expired" and cands:
            ranked = self.ranked(request, cands, False)
            for email in ranked[: rng.choice((0, 1, 1, 2))]:
                seq.append([email, "expired"])
        if status in ("escalated", "expired"):
            # What the app's cascade stores when it gives up (expired requests were escalated first).
            reasons = self.escalation_reasons(request, [email for email, _o in seq])
            if len(seq) >= MAX_OFFER_ROUNDS:
                reasons["rounds"] = len(seq)
            request["escalation_reasons"] = reasons
        elif status == "cancelled":
            request["_cancel_from"] = _weighted(
                rng, {"new": 35, "matching": 35, "offered": 30 if cands else 0}
            )
            if request["_cancel_from"] == "offered":
                seq.append([self.ranked(request, cands, False)[0], "withdrawn"])
            request["_cancel_note"] = rng.choice(CANCEL_NOTES)
            request["_cancel_actor"] = rng.choice(
                (request["created_by"], f"counter:{request['network']}", None)
            )
        request["_seq"] = seq
        request["offer_round"] = len(seq)
        for _email, outcome in seq:
            if outcome == "declined":
                request.setdefault("_decline_reasons", []).append(rng.choice(DECLINE_REASONS))
        if status in ("completed", "unresolved"):
            kinds = []
            roll = rng.random()
            if roll < 0.10:
                kinds.append("resident_no_show")
            elif roll < 0.14:
                kinds.append("cancelled")
            kinds += ["done"] * (2 if rng.random() < 0.25 else 1)
            request["_session_kinds"] = kinds
            request["_results"] = self.plan_results(status, kinds.count("done"))
        if status in ("scheduled", "completed", "unresolved"):
            request["_place"] = self.place_for(request)
        if status in ("completed", "unresolved"):
            request["_feedback"] = rng.random() < (0.65 if status == "completed" else 0.3)

    def plan_results(self, status: str, done: int) -> list:
        rng = self.rng
        if status == "completed":
            last = _weighted(rng, {"solved": 80, "partly_solved": 10, "referred": 10})
        else:
            last = _weighted(rng, {"not_solved": 45, "referred": 35, "partly_solved": 20})
        results = ["partly_solved"] * (done - 1) + [last]
        return [[result, rng.choice(REFERRALS) if result == "referred" else None] for result in results]

    def place_for(self, request: dict) -> list:
        mode = request["preferred_mode"]
        if mode != "location":
            return [mode, None]
        locs = [loc for loc in self.locs_by_net[request["network"]] if loc["kind"] != "town_hall"]
        pc = self.coords[request["_postcode"]]
        locs.sort(key=lambda loc: (_km(pc, (loc["latitude"], loc["longitude"])), loc["key"]))
        return ["location", locs[0]["key"] if self.rng.random() < 0.75 else self.rng.choice(locs)["key"]]

    # ----------------------------------------------------------------------------- drop-in moments
    def plan_dropins(self) -> tuple[list, list, list]:
        trng = self.trng
        moments, shifts, exceptions = [], [], []
        for net in self.networks:
            locs = self.locs_by_net[net["key"]]
            by_kind = {}
            for loc in locs:
                by_kind.setdefault(loc["kind"], loc)
            specs = [
                (
                    "Koffie & Formulieren",
                    "weekly",
                    1,
                    "09:30",
                    "11:30",
                    by_kind.get("library"),
                    8,
                    2,
                    ["gov-tax-on-web", "gov-burgerprofiel", "gov-ebox", "files-scan-send"],
                    ["nl", "fr"],
                ),
                (
                    "Digitaal Café",
                    "biweekly",
                    3,
                    "14:00",
                    "16:00",
                    by_kind.get("service_centre") or by_kind.get("library"),
                    12,
                    3,
                    ["smartphone-basics", "video-whatsapp", "social-whatsapp-messages", "photos-take-send"],
                    ["nl", "tr", "uk"] if net["key"] != "herent-kortenberg" else ["nl"],
                ),
            ]
            if net["key"] == "gent":
                specs.append(
                    (
                        "Itsme-spreekuur",
                        "weekly",
                        5,
                        "10:00",
                        "12:00",
                        by_kind.get("computer_room"),
                        6,
                        2,
                        ["itsme-install", "itsme-new-phone", "eid-itsme-login"],
                        ["nl", "ar", "fr"],
                    )
                )
            for title, recurrence, weekday, starts, ends, loc, capacity, needed, topics, langs in specs:
                if loc is None:
                    continue
                start_day = -91 + (weekday - self.weekday(-91)) % 7
                key = f"{net['key']}:{email_part(title)}"
                moments.append(
                    {
                        "key": key,
                        "network": net["key"],
                        "location": loc["key"],
                        "title": title,
                        "recurrence": recurrence,
                        "weekday": weekday,
                        "starts": starts,
                        "ends": ends,
                        "first_day": start_day,
                        "resident_capacity": capacity,
                        "volunteers_needed": needed,
                        "topics": [c for c in topics if c in self.topic_group],
                        "languages": self.lang(langs),
                    }
                )
                step = 7 if recurrence == "weekly" else 14
                upcoming = [d for d in range(start_day, 60, step) if d >= 1 and not self.is_holiday(d)][:3]
                helpers = [v for v in self.network_volunteers(net["key"]) if v["offers_location"]]
                for day in upcoming[:2]:
                    chosen = sorted(trng.sample(helpers, min(needed, len(helpers))), key=lambda v: v["email"])
                    for vol in chosen:
                        begin, end = day * DAY + _minutes(starts), day * DAY + _minutes(ends)
                        if self.is_free(vol["email"], begin, end):
                            self.booked[vol["email"]].append((begin, end))
                            signed_up = -trng.randint(1, 20) * DAY + trng.randint(8 * 60, 21 * 60)
                            shifts.append(
                                {"moment": key, "day": day, "volunteer": vol["email"], "created": signed_up}
                            )
                if len(upcoming) >= 3 and title == "Koffie & Formulieren":
                    exceptions.append(
                        {"moment": key, "day": upcoming[2], "reason": "Bibliotheek gesloten: personeelsdag."}
                    )
        return moments, shifts, exceptions

    def plan_full_dropin(self) -> tuple[list, list]:
        """Gent's itsme consultation hour is full on its next date, and two residents wait for a place (no
        random draw: the rest of the plan stays as it was)."""
        moment = next((m for m in self.dropins if m["key"] == "gent:itsmespreekuur"), None)
        if moment is None:
            return [], []
        day = next(d for d in range(moment["first_day"], 60, 7) if d >= 1 and not self.is_holiday(d))
        gent = [r for r in self.residents if r["network"] == "gent" and r["phone"]]
        mobile = [r for r in gent if r["phone"].startswith("04")]
        waiting = mobile[:2]
        booked = [r for r in gent if r not in waiting][: moment["resident_capacity"]]
        bookings = [
            {"moment": moment["key"], "day": day, "resident": r["key"], "created": -(n + 3) * DAY + 10 * 60}
            for n, r in enumerate(booked)
        ]
        waits = [
            {"moment": moment["key"], "day": day, "resident": r["key"], "joined": -(2 - n) * DAY + 11 * 60}
            for n, r in enumerate(waiting)
        ]
        return bookings, waits

    # ----------------------------------------------------------------------------- timelines
    def is_free(self, email: str, begin: int, end: int, buffer: int = 15) -> bool:
        return all(end + buffer <= b or begin >= e + buffer for b, e in self.booked[email])

    def is_holiday(self, day: int) -> bool:
        return public_holiday_name(self.today + timedelta(days=day)) is not None

    def place_session(
        self, email: str, request: dict, lo: int, hi: int, duration: int, after: int, location: str | None
    ) -> int:
        """A free start minute for the volunteer between days lo..hi: in their availability when possible,
        inside the opening hours of the location (if any), never on a Belgian public holiday."""
        trng = self.trng
        vol = self.vol_by_email[email]
        windows = {tuple(w) for w in request["time_windows"]}
        opening = None
        if location is not None:
            loc = next(loc for loc in self.locations if loc["key"] == location)
            opening = [(w, _minutes(o), _minutes(c)) for w, o, c in loc["opening_hours"]]

        def fits(weekday, minute):
            return opening is None or any(
                w == weekday and o <= minute and minute + duration <= c for w, o, c in opening
            )

        tier1, tier2, tier3 = [], [], []
        for day in range(lo, hi + 1):
            weekday = self.weekday(day)
            if self.is_holiday(day):
                continue
            for slot_day, starts, ends in vol["availability"]:
                if slot_day != weekday:
                    continue
                for minute in range(_minutes(starts), _minutes(ends) - duration + 1, 15):
                    if fits(weekday, minute):
                        tier = tier1 if (weekday, _day_part(minute)) in windows else tier2
                        tier.append(day * DAY + minute)
            if weekday < 6:
                tier3.extend(
                    day * DAY + minute for minute in range(9 * 60, 19 * 60, 30) if fits(weekday, minute)
                )
        for tier in (tier1, tier2, tier3):
            options = [m for m in tier if m > after + 30 and self.is_free(email, m, m + duration)]
            if options:
                start = trng.choice(options)
                self.booked[email].append((start, start + duration))
                return start
        raise PlanError(f"no free time for {email} between day {lo} and {hi}")

    def local_text(self, minute: int) -> str:
        """'2026-03-10 14:30': a day-anchored minute as Brussels wall-clock text (as the app logs it)."""
        moment = datetime.combine(self.today, time(0)) + timedelta(minutes=minute)
        return f"{moment:%Y-%m-%d %H:%M}"

    def created_minute(self, request: dict, days_lo: int, days_hi: int) -> int:
        trng = self.trng
        day = -trng.randint(days_lo, days_hi)
        channel = request["intake_channel"]
        if channel == "online":
            return day * DAY + trng.randint(7 * 60, 23 * 60)
        while self.weekday(day) >= 5 or self.is_holiday(day):
            day -= 1
        return day * DAY + trng.randint(9 * 60, 16 * 60 + 30)

    def plan_timelines(self) -> None:
        # Planned sessions first (they are the tightest), then history, then open requests.
        order = {"scheduled": 0, "completed": 1, "unresolved": 1}
        for request in sorted(self.requests, key=lambda r: order.get(r["status"], 2)):
            self.plan_timeline(request)
        for resident in self.residents:
            own = [r for r in self.requests if r["resident"] == resident["key"]]
            # Requests counted from now are always younger than those counted from midnight (>= 3 days).
            own.sort(key=lambda r: (r["anchor"] == "now", r["created"]))
            resident["anchor"] = own[0]["anchor"]
            resident["created"] = own[0]["created"]
            resident["consent_channel"] = own[0]["intake_channel"]
            resident["created_by"] = own[0]["created_by"]

    def plan_waiting_group(self, size: int = 6) -> None:
        """Turkish-speaking residents of Gent-centrum (9000) who asked for help with itsme in the last weeks,
        by phone, and waited: the recruitment advice has a group large enough to show on the network dashboard
        too. Drawn from a generator of their own, so the rest of the plan stays as it was."""
        wrng = random.Random("waiting-group")
        for _ in range(size):
            created = -wrng.randint(4, 70) * DAY
            while self.weekday(created // DAY) >= 5 or self.is_holiday(created // DAY):
                created -= DAY
            created += wrng.randint(9 * 60, 16 * 60)
            resident = {
                "key": f"R{len(self.residents) + 1:04d}",
                "network": "gent",
                "first_name": wrng.choice(NAMES["turkish"]["first"]),
                "phone": self.mobile(wrng),
                "email": None,
                "has_no_email": True,
                "postcode": "9000",
                "street_address": None,
                "locale": "tr",
                "age_band": wrng.choice(("55_64", "65_74", "75_plus")),
                "needs": [],
                "languages": ["tr"],
                "anchor": "day",
                "created": created,
                "consent_channel": "phone",
                "created_by": "counter:gent",
            }
            self.residents.append(resident)
            request = {
                "reference": make_reference_code(wrng, self.references),
                "network": "gent",
                "resident": resident["key"],
                "intake_channel": "phone",
                "preferred_mode": "location",
                "topics": ["itsme-install"],
                "languages": ["tr"],
                "description": "Ik wil itsme op mijn gsm zetten. (Noot: spreekt vooral Turks.)",
                "time_windows": [[wrng.randint(0, 4), "morning"]],
                "intake_location": None,
                "created_by": "counter:gent",
                "status": "escalated",
                "offer_round": 0,
                "result": None,
                "deadline_day": None,
                "offers": [],
                "sessions": [],
                "feedback": None,
                "anchor": "day",
                "created": created,
                "status_changed": created + 75,
                "_postcode": "9000",
            }
            reasons = self.escalation_reasons(request, []) or {engine.LANGUAGE: 1}
            request["escalation_reasons"] = reasons
            request["events"] = [
                self._event(created, "created", None, "new", "counter:gent", "phone"),
                self._event(created + 3, "status", "new", "matching"),
                self._event(
                    created + 75, "status", "matching", "escalated", None, engine.reasons_note(reasons)
                ),
            ]
            self.requests.append(request)

    @staticmethod
    def _event(at, kind, frm, to, actor=None, note=None) -> dict:
        return {
            "at": at,
            "kind": kind,
            "from": frm,
            "to": to,
            "actor": actor,
            "note": note,
            "volunteer": None,
            "session": None,
        }

    def plan_timeline(self, request: dict) -> None:
        """Times of the request's events, offers and sessions. The event log follows the app's services:
        'created', then 'status' changes, with 'offer', 'declined', 'offer_expired', 'session_planned'
        and 'session_cancelled' lines in between. '{volunteer_id}' and '{session_id}' in notes are filled
        in when writing."""
        trng = self.trng
        status = request["status"]
        seq = request["_seq"]
        events: list = []
        offers: list = []
        declines = iter(request.get("_decline_reasons", []))

        def event(at, frm, to, actor=None, note=None, kind=None, volunteer=None, session=None):
            if kind is None:
                kind = "created" if frm is None and to == "new" else "status"
            if kind == "created":
                note = request["intake_channel"]
            events.append(
                {
                    "at": at,
                    "kind": kind,
                    "from": frm,
                    "to": to,
                    "actor": actor,
                    "note": note,
                    "volunteer": volunteer,
                    "session": session,
                }
            )

        def offer(email, outcome, at):
            vol = self.vol_by_email[email]
            total, explanation = self.score(vol, request)
            item = {
                "volunteer": email,
                "round": len(offers) + 1,
                "score": total,
                "explanation": explanation,
                "status": outcome,
                "created": at,
                "expires": at + OFFER_TIMEOUT_HOURS * 60,
                "responded": None,
                "decline_reason": None,
            }
            offers.append(item)
            event(at, "matching", "offered")
            event(at, None, None, None, f"round {item['round']}: volunteer {{volunteer_id}}", "offer", email)
            return item

        def rounds(t, items):
            """Offers declined or let expire; after each one the request goes back to matching."""
            for email, outcome in items:
                t += trng.randint(1, 20)
                item = offer(email, outcome, t)
                volunteer = f"volunteer:{email}"
                if outcome == "declined":
                    t += trng.randint(30, 1200)
                    item["responded"] = t
                    item["decline_reason"] = next(declines, None)
                    event(t, None, None, volunteer, item["decline_reason"], "declined", email)
                    event(t, "offered", "matching", volunteer)
                else:
                    t += OFFER_TIMEOUT_HOURS * 60
                    item["responded"] = t
                    event(t, None, None, None, "volunteer {volunteer_id}", "offer_expired", email)
                    event(t, "offered", "matching")
            return t

        def start(t):
            event(t, None, "new", request["created_by"])
            t += trng.randint(1, 6)
            event(t, "new", "matching")
            return t

        def escalate(t):
            reasons = request["escalation_reasons"]
            event(t, "matching", "escalated", None, engine.reasons_note(reasons))

        request["anchor"] = "now" if status in NOW_ANCHORED else "day"
        if status == "new":
            created = -trng.randint(5, 1200)
            event(created, None, "new", request["created_by"])
        elif status == "matching":
            created = -trng.randint(1300, 2880) if seq else -trng.randint(30, 2880)
            rounds(start(created), seq)
        elif status == "offered":
            # Built forwards from minute 0, then shifted so that the pending offer is a few hours old.
            t = rounds(start(0), seq[:-1]) + trng.randint(1, 20)
            offer(seq[-1][0], "pending", t)
            shift = -trng.randint(10, 900) - t
            for item in events:
                item["at"] += shift
            for item in offers:
                for key in ("created", "expires", "responded"):
                    if item[key] is not None:
                        item[key] += shift
            created = shift
        elif status in ("matched", "scheduled", "completed", "unresolved"):
            if status == "matched":
                created = self.created_minute(request, 4, 9)
            elif status == "scheduled":
                created = self.created_minute(request, 6, 25)
            else:
                multi = len(request["_session_kinds"]) > 1
                created = self.created_minute(request, 30 if multi else 14, 178)
            t = rounds(start(created), seq[:-1]) + trng.randint(1, 20)
            email = seq[-1][0]
            item = offer(email, "accepted", t)
            t += trng.randint(20, 1200)
            item["responded"] = t
            event(
                t,
                "offered",
                "matched",
                f"volunteer:{email}",
                "accepted by volunteer {volunteer_id}",
                volunteer=email,
            )
            if status != "matched":
                self.plan_sessions(request, email, t + trng.randint(20, 1500), event)
        elif status == "escalated":
            created = self.created_minute(request, 5, 30)
            t = start(created)
            if seq:
                t = rounds(t, seq)
            escalate(t + trng.randint(1, 240))
        elif status == "expired":
            created = self.created_minute(request, 35, 175)
            t = rounds(start(created), seq)
            escalate(t + trng.randint(1, 240))
            event(
                created + trng.randint(14, 21) * DAY,
                "escalated",
                "expired",
                None,
                "Geen vrijwilliger gevonden binnen de termijn.",
            )
        elif status == "cancelled":
            created = self.created_minute(request, 4, 175)
            frm = request["_cancel_from"]
            if frm == "new":
                t = created
                event(created, None, "new", request["created_by"])
            else:
                t = start(created)
                if frm == "offered":
                    t += trng.randint(1, 20)
                    offer(seq[0][0], "withdrawn", t)
            t += trng.randint(60, 3 * DAY)
            if offers:
                offers[-1]["responded"] = t  # withdrawn when the request was cancelled
            event(t, frm, "cancelled", request["_cancel_actor"], request["_cancel_note"])
        request["created"] = created
        if request["_has_deadline"]:
            request["deadline_day"] = created // DAY + trng.randint(7, 45)
        events.sort(key=lambda e: e["at"])  # stable: lines of the same minute keep their order
        for item in events:
            if item["at"] >= 0:
                raise PlanError(f"internal error: an event of {request['reference']} lies in the future")
        request["events"] = events
        request["offers"] = offers
        request["status_changed"] = [e for e in events if e["to"] is not None][-1]["at"]

    def plan_sessions(self, request: dict, email: str, planned_at: int, event) -> None:
        """Sessions with the accepted volunteer, and the status changes they cause (as the app's rules do):
        a no-show or a cancelled session sends the request back to 'matched' until the next session is
        planned; a session that took place completes it, and a follow-up session reopens it. An unresolved
        request: the last outcome asks for a follow-up, then the coordinator closes it."""
        trng = self.trng
        status = request["status"]
        place_kind, location = request["_place"]
        volunteer = f"volunteer:{email}"
        kinds = ["planned"] if status == "scheduled" else request["_session_kinds"]
        results = iter(request.get("_results", []))
        sessions = []

        def duration():
            return trng.choice((60, 90)) if place_kind in ("location", "home") else trng.choice((30, 45, 60))

        lo = planned_at // DAY + 1
        current = "matched"
        for index, kind in enumerate(kinds):
            last = index == len(kinds) - 1
            length = duration()
            if kind == "planned":
                hi = 6 if self.vol_by_email[email]["demo"] else 14
                begin = self.place_session(email, request, max(lo, 1), hi, length, planned_at, location)
            else:
                begin = self.place_session(email, request, lo, min(lo + 6, -2), length, planned_at, location)
            end = begin + length
            event(
                planned_at,
                current,
                "scheduled",
                volunteer,
                "Vervolgsessie" if current == "completed" else None,
            )
            event(planned_at, None, None, volunteer, self.local_text(begin), "session_planned")
            session = {
                "volunteer": email,
                "start": begin,
                "end": end,
                "place_kind": place_kind,
                "location": location,
                "status": kind,
                "created": planned_at,
                "created_by": volunteer,
                "cancel_reason": None,
                "outcome": None,
            }
            sessions.append(session)
            if kind == "planned":
                break
            self.check_past(end, "session")
            if kind == "cancelled":
                reason = trng.choice(SESSION_CANCEL_REASONS)
                session["cancel_reason"] = reason
                at = max(planned_at + 5, begin - trng.randint(60, 2880))
                event(
                    at,
                    None,
                    None,
                    volunteer,
                    f"#{{session_id}} · {reason}",
                    "session_cancelled",
                    session=index,
                )
                event(at, "scheduled", "matched", volunteer, reason)
                current, next_plan = "matched", at + trng.randint(10, 600)
            elif kind == "resident_no_show":
                at = min(end + trng.randint(30, 600), -30)
                event(at, "scheduled", "matched", volunteer, "Bewoner niet gekomen.")
                current, next_plan = "matched", at + trng.randint(10, 1440)
            else:
                result, referred = next(results)
                recorded = min(end + trng.randint(5, 600), -30)
                if recorded <= end:
                    raise PlanError(f"internal error: no time for the outcome of {request['reference']}")
                follow_up = last and status == "unresolved"
                session["outcome"] = self.plan_outcome(request, result, referred, length, recorded, follow_up)
                if not last:
                    event(recorded + 1, "scheduled", "completed", volunteer)
                    current = "completed"
                elif follow_up:
                    event(recorded + 1, "scheduled", "matched", volunteer, "Vervolg nodig.")
                next_plan = recorded + trng.randint(10, 1440)
            if not last:
                planned_at = next_plan
                lo = max(planned_at // DAY, end // DAY) + 1
                if lo > -2:
                    break
        request["sessions"] = sessions
        if status == "scheduled":
            return
        done = [s for s in sessions if s["status"] == "done"]
        if not done:
            raise PlanError(f"internal error: no session took place for {request['reference']}")
        outcome = done[-1]["outcome"]
        request["result"] = outcome["result"]
        if status == "completed":
            finished = outcome["recorded"] + 1
            event(finished, "scheduled", "completed", volunteer)
        else:
            finished = min(outcome["recorded"] + trng.randint(60, 3 * DAY), -3)
            note = (
                f"Doorverwezen naar {outcome['referred_to']}."
                if outcome["result"] == "referred"
                else "Geen verdere hulp mogelijk via digibuddy."
            )
            event(finished, "matched", "unresolved", f"coordinator:{request['network']}", note)
        if request["_feedback"]:
            resident = request["_resident"]
            channel = (
                "link" if resident["email"] and trng.random() < 0.7 else trng.choice(("phone", "counter"))
            )
            if status == "completed":
                satisfaction = _weighted(trng, {5: 55, 4: 30, 3: 10, 2: 3, 1: 2})
            else:
                satisfaction = _weighted(trng, {5: 15, 4: 30, 3: 30, 2: 15, 1: 10})
            comment = None
            if trng.random() < 0.55:
                comment = trng.choice(FEEDBACK_GOOD if satisfaction >= 4 else FEEDBACK_MEH)
            # Ease and trust come from a generator of their own, so every other draw stays as it was.
            arng = random.Random(f"answers-{request['reference']}")
            request["feedback"] = {
                "channel": channel,
                "satisfaction": satisfaction,
                "ease": _weighted(arng, EASE_BY_CHANNEL[request["intake_channel"]]),
                "trust": _weighted(arng, TRUST_BY_CHANNEL[request["intake_channel"]]),
                "comment": comment,
                "created": min(finished + trng.randint(60, 7 * DAY), -1),
                "recorded_by": None if channel == "link" else f"counter:{request['network']}",
            }

    def plan_outcome(
        self, request: dict, result: str, referred: str | None, length: int, recorded: int, follow_up: bool
    ) -> dict:
        trng = self.trng
        before = _weighted(trng, {1: 30, 2: 40, 3: 25, 4: 5})
        if result == "solved":
            after = min(5, before + _weighted(trng, {1: 45, 2: 40, 0: 10, 3: 5}))
        elif result == "not_solved":
            after = min(5, before + _weighted(trng, {0: 60, 1: 40}))
        else:
            after = min(5, before + _weighted(trng, {0: 25, 1: 60, 2: 15}))
        answered = trng.random() < 0.93
        covered = [c for c in request["topics"] if trng.random() < 0.85] or request["topics"][:1]
        extra = "safety-phishing"
        if trng.random() < 0.15 and extra in self.topic_group and extra not in covered:
            covered.append(extra)
        return {
            "result": result,
            "referred_to": referred,
            "minutes_spent": min(120, max(20, length + trng.choice((-15, -10, 0, 0, 5, 15, 30)))),
            "confidence_before": before if answered else None,
            "confidence_after": after if answered else None,
            "follow_up_needed": follow_up,
            "recorded": recorded,
            "topics": covered,
        }

    # ----------------------------------------------------------------------------- coverage
    def plan_uncovered_attempts(self) -> list:
        """Counted attempts from postcodes that no demo network covers (and that the reference data has)."""
        covered = {nis for net in self.networks for nis in net["nis"]}
        return [
            {"postcode": code, "day": -days_ago, "count": count}
            for code, days_ago, count in UNCOVERED_ATTEMPTS
            if code in self.postcodes and self.postcodes[code][4] not in covered
        ]

    # ----------------------------------------------------------------------------- central steering
    def plan_central(self) -> tuple[list, list]:
        trng = self.trng
        keys = [net["key"] for net in self.networks]

        def network(key):
            return key if key in keys else None

        practices = [
            {
                "title": "Koffie & Formulieren in de bibliotheek",
                "summary": "Elke dinsdagvoormiddag helpen digibuddy's bij koffie met formulieren van de "
                "overheid. Laagdrempelig, zonder afspraak.",
                "body": "## Wat\n\nEen vast moment in de bibliotheek waar bewoners binnenlopen met brieven "
                "en formulieren. Twee digibuddy's en een bibliothecaris helpen.\n\n## Waarom het werkt\n\n"
                "- altijd op hetzelfde uur, op een plek die mensen kennen;\n- koffie breekt het ijs;\n"
                "- wie meer tijd nodig heeft, krijgt meteen een afspraak voor een één-op-één sessie.\n\n"
                "## Tip\n\nLeg de veiligheidsregels zichtbaar op tafel: de bewoner typt zelf "
                "zijn codes.",
                "tags": ["drop-in", "overheid", "bibliotheek"],
                "topic_groups": ["government"],
                "target_groups": ["seniors", "low_literacy"],
                "channels": ["face"],
                "network": network("gent"),
                "by": "coordinator:gent",
            },
            {
                "title": "Digibuddy's die de taal van de bewoner spreken",
                "summary": "Vrijwilligers werven in de eigen gemeenschappen, zodat nieuwkomers in hun taal "
                "geholpen worden.",
                "body": "We vroegen zelforganisaties en moskeeën om digibuddy's voor te dragen. Intussen "
                "spreken onze vrijwilligers samen twaalf talen.\n\n**Let op:** ook meertalige "
                "vrijwilligers volgen de basisopleiding en tekenen het charter.",
                "tags": ["meertaligheid", "nieuwkomers", "werving"],
                "target_groups": ["newcomers"],
                "channels": ["click", "face"],
                "network": network("mechelen"),
                "by": "coordinator:mechelen",
            },
            {
                "title": "Samen werven over de gemeentegrens",
                "summary": "Twee kleine gemeenten delen één netwerk, één telefoonnummer en één opleiding.",
                "body": "Herent en Kortenberg zijn te klein om elk een eigen netwerk te dragen. Samen "
                "hebben ze genoeg vrijwilligers, en bewoners merken het verschil niet: ze bellen één nummer.",
                "tags": ["samenwerking", "kleine gemeenten"],
                "network": network("herent-kortenberg"),
                "by": "coordinator:herent-kortenberg",
            },
            {
                "title": "Phishing-quiz aan de balie",
                "summary": "Vijf echte (onschadelijk gemaakte) phishingberichten op papier: herkent u ze?",
                "body": "Een korte quiz aan de balie opent het gesprek over veilig online. Wie twijfelt, "
                "krijgt een afspraak met een digibuddy.\n\n1. Kijk naar de afzender.\n"
                "2. Klik niet op links.\n3. Een bank vraagt nooit uw codes.",
                "tags": ["veiligheid", "phishing"],
                "topic_groups": ["online-safety"],
                "target_groups": ["seniors"],
                "channels": ["face"],
                "network": None,
                "by": "admin",
            },
        ]
        for practice in practices:
            practice["created"] = -trng.randint(20, 200) * DAY + trng.randint(9 * 60, 17 * 60)
        learning_day, training_day = trng.randint(18, 30), trng.randint(7, 14)
        coordinators = [
            (s["key"], s["key"].split(":", 1)[1]) for s in self.staff if s["key"].startswith("coordinator:")
        ]
        counters = [
            (s["key"], s["key"].split(":", 1)[1]) for s in self.staff if s["key"].startswith("counter:")
        ]

        def volunteers(network_key, status=None):
            return [
                (v["email"], network_key)
                for v in self.volunteers
                if network_key in v["networks"] and (status is None or v["status"] == status)
            ]

        gent_volunteers = volunteers("gent", "active")
        events = [
            {
                "kind": "learning_network",
                "title": "Lerend netwerk digibuddy's: nieuwkomers bereiken",
                "description": "Lokale coördinatoren wisselen ervaringen uit over werving, meertaligheid en "
                "samenwerking met het OCMW.",
                "start": learning_day * DAY + 13 * 60 + 30,
                "end": learning_day * DAY + 16 * 60 + 30,
                "place": "Herman Teirlinckgebouw, Havenlaan 88, 1000 Brussel",
                "audience": ["coordinator"],
                "capacity": 60,
                "deadline": (learning_day - 3) * DAY + 23 * 60 + 59,
                "network": None,
                "by": "admin",
                "registrations": [[key, net, "registered", None] for key, net in coordinators],
            },
            {
                "kind": "training",
                "title": "Basisopleiding: helpen zonder over te nemen",
                "description": "Voor nieuwe digibuddy's: hoe leg je uit zonder het zelf te doen, en wat "
                "doe je met codes en wachtwoorden (niets: de bewoner typt ze zelf).",
                "start": training_day * DAY + 19 * 60,
                "end": training_day * DAY + 21 * 60,
                "place": "Bibliotheek Het Predikheren, Mechelen",
                "audience": ["volunteer"],
                "capacity": 20,
                "network": network("mechelen"),
                "by": "coordinator:mechelen" if network("mechelen") else "admin",
                "registrations": [
                    [key, net, "registered", None] for key, net in volunteers("mechelen", "vetting")[:8]
                ],
            },
            {
                "kind": "webinar",
                "title": "Webinar: phishing herkennen en uitleggen",
                "description": "Een uur online: de nieuwste phishingberichten, en hoe je ze samen met een "
                "bewoner herkent.",
                "start": (training_day + 2) * DAY + 12 * 60,
                "end": (training_day + 2) * DAY + 13 * 60,
                "online_url": "https://meet.digibuddy.demo/webinar-phishing",
                "audience": ["counter", "volunteer"],
                "capacity": 100,
                "network": None,
                "by": "admin",
                "registrations": [[key, net, "registered", None] for key, net in counters[:3]]
                + [[key, net, "registered", None] for key, net in gent_volunteers[:4]],
            },
            {
                # Full: the last two wait for a place.
                "kind": "info_session",
                "title": "Infosessie itsme voor digibuddy's",
                "description": "Hoe help je iemand itsme te installeren, en wat doe je als het misloopt?",
                "start": (training_day + 5) * DAY + 14 * 60,
                "end": (training_day + 5) * DAY + 16 * 60,
                "place": "Stadskantoor Gent, Woodrow Wilsonplein 1, 9000 Gent",
                "audience": ["volunteer", "counter"],
                "capacity": 4,
                "network": network("gent"),
                "by": "coordinator:gent" if network("gent") else "admin",
                "registrations": [
                    [key, net, "registered" if number < 4 else "waiting", None]
                    for number, (key, net) in enumerate(gent_volunteers[4:10])
                ],
            },
            {
                # Held last month: attendance recorded.
                "kind": "learning_network",
                "title": "Lerend netwerk: samenwerken met de bibliotheek",
                "description": "Drie netwerken vertellen hoe ze met de bibliotheek een vast hulpmoment "
                "opzetten.",
                "start": -trng.randint(20, 35) * DAY + 10 * 60,
                "end": -trng.randint(20, 35) * DAY + 10 * 60,
                "place": "Herman Teirlinckgebouw, Havenlaan 88, 1000 Brussel",
                "audience": ["coordinator", "counter"],
                "capacity": 40,
                "network": None,
                "by": "admin",
                "registrations": [
                    [key, net, "registered", "absent" if number % 4 == 3 else "attended"]
                    for number, (key, net) in enumerate(coordinators + counters)
                ],
            },
        ]
        held = events[-1]
        held["end"] = held["start"] + 3 * 60
        for item in events:
            item["created"] = min(item["start"], 0) - trng.randint(10, 40) * DAY + 10 * 60
        return practices, events
