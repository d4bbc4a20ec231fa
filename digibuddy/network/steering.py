"""Network settings steered centrally: what each setting is, the central default and bounds, and the value
that applies to one network (its own value within the bounds, else the central default, else the code's).

Pure Python: imports nothing from Flask or SQLAlchemy. Every setting is a number with bounds; a yes/no
setting is 0 or 1, so "the centre decides for everybody" is the bounds closing on one value.

An override set while the bounds were wider stays stored as the network chose it; when it is read, it
is moved to the nearest bound (`Resolved.clamped` says so, and the settings page shows it). Widening the
bounds again gives the network its own value back."""

from dataclasses import dataclass
from types import MappingProxyType

INT, BOOL, WEIGHT = "int", "bool", "weight"
NETWORK, CENTRE, CODE = "network", "centre", "code"  # where an applying value comes from

# The matching engine's weights (matching.engine.Weights takes its defaults from here).
WEIGHT_DEFAULTS = MappingProxyType(
    {
        "distance": 30,
        "topics": 25,
        "language": 15,
        "time": 12,
        "continuity": 6,
        "fairness": 8,
        "responsiveness": 4,
    }
)
WEIGHT_PREFIX = "weight_"


@dataclass(frozen=True)
class Setting:
    key: str
    kind: str  # INT, BOOL or WEIGHT
    default: float  # the code's default, used until the centre sets one
    lowest: float  # what the database column or the engine accepts at all
    highest: float

    @property
    def weight_name(self) -> str | None:
        return self.key[len(WEIGHT_PREFIX) :] if self.kind == WEIGHT else None


SETTINGS = (
    Setting("offer_timeout_hours", INT, 24, 1, 336),
    Setting("max_offer_rounds", INT, 3, 1, 20),
    Setting("retention_months", INT, 24, 1, 120),
    Setting("extract_max_age_months", INT, 12, 1, 60),
    Setting("allow_overflow", BOOL, 0, 0, 1),
    *(Setting(WEIGHT_PREFIX + name, WEIGHT, value, 0, 100) for name, value in WEIGHT_DEFAULTS.items()),
)
BY_KEY = MappingProxyType({setting.key: setting for setting in SETTINGS})
WEIGHT_KEYS = tuple(setting.key for setting in SETTINGS if setting.kind == WEIGHT)


@dataclass(frozen=True)
class Central:
    """What the centre set for one setting: the default and the bounds a network may choose within."""

    value: float
    minimum: float
    maximum: float
    source: str = CENTRE  # CODE while the centre has not set this setting


def code_central(setting: Setting) -> Central:
    """Before the centre sets anything: the code's default, and the whole range the column accepts."""
    return Central(setting.default, setting.lowest, setting.highest, CODE)


@dataclass(frozen=True)
class Resolved:
    setting: Setting
    value: float  # what applies to the network
    source: str  # NETWORK, CENTRE or CODE
    override: float | None  # the network's own value as stored (None: it follows the central default)
    central: Central

    @property
    def clamped(self) -> bool:
        """The network's own value lies outside the centre's bounds now: the nearest bound applies."""
        return self.override is not None and self.override != self.value

    @property
    def locked(self) -> bool:
        """The centre leaves the network no choice."""
        return self.central.minimum == self.central.maximum


def clamp(value: float, minimum: float, maximum: float) -> float:
    return min(max(value, minimum), maximum)


def resolve(setting: Setting, central: Central, override: float | None) -> Resolved:
    if override is None:
        return Resolved(setting, central.value, central.source, None, central)
    return Resolved(setting, clamp(override, central.minimum, central.maximum), NETWORK, override, central)


# ------------------------------------------------------------------------------------------ what may be set
# Problems are codes; the service and the forms turn them into translated field errors.
OUT_OF_RANGE = "out_of_range"  # outside what the setting accepts at all
OUTSIDE_BOUNDS = "outside_bounds"  # a network's value outside the centre's bounds
MIN_ABOVE_MAX = "min_above_max"
DEFAULT_OUTSIDE = "default_outside"  # the central default outside the centre's own bounds
LOCKED = "locked"  # the centre decides this one for everybody
NO_WEIGHT = "no_weight"  # every weight 0: nothing would rank the candidates


@dataclass(frozen=True)
class Problem:
    key: str  # the setting's key, or "<key>_min" / "<key>_max" for a central bound
    code: str
    minimum: float | None = None
    maximum: float | None = None


def check_central(values: dict[str, Central]) -> list[Problem]:
    """Problems with central defaults and bounds: each within what the setting accepts, minimum at most
    maximum, the default between them, and the default weights not all 0."""
    problems = []
    for key, central in values.items():
        setting = BY_KEY[key]
        for suffix, number in (("", central.value), ("_min", central.minimum), ("_max", central.maximum)):
            if not setting.lowest <= number <= setting.highest:
                problems.append(Problem(key + suffix, OUT_OF_RANGE, setting.lowest, setting.highest))
        if central.minimum > central.maximum:
            problems.append(Problem(key + "_max", MIN_ABOVE_MAX, central.minimum, None))
        elif not central.minimum <= central.value <= central.maximum:
            problems.append(Problem(key, DEFAULT_OUTSIDE, central.minimum, central.maximum))
    weights = [values[key].value for key in WEIGHT_KEYS if key in values]
    if len(weights) == len(WEIGHT_KEYS) and sum(weights) <= 0:
        problems.append(Problem(WEIGHT_KEYS[0], NO_WEIGHT))
    return problems


def check_overrides(overrides: dict[str, float | None], central: dict[str, Central]) -> list[Problem]:
    """Problems with a network's own values (None: follow the central default): each within the centre's
    bounds, none for a setting the centre decides, and the weights that would apply not all 0."""
    problems = []
    for key, value in overrides.items():
        if value is None:
            continue
        bounds = central[key]
        if bounds.minimum == bounds.maximum and value != bounds.value:
            problems.append(Problem(key, LOCKED, bounds.minimum, bounds.maximum))
        elif not bounds.minimum <= value <= bounds.maximum:
            problems.append(Problem(key, OUTSIDE_BOUNDS, bounds.minimum, bounds.maximum))
    applying = [
        resolve(BY_KEY[key], central[key], overrides.get(key)).value for key in WEIGHT_KEYS if key in central
    ]
    if applying and sum(applying) <= 0 and any(overrides.get(key) is not None for key in WEIGHT_KEYS):
        problems.append(Problem(next(k for k in WEIGHT_KEYS if overrides.get(k) is not None), NO_WEIGHT))
    return problems


# ------------------------------------------------------------------------------------------------- results
@dataclass(frozen=True)
class NetworkSettings:
    """The settings that apply to one network: what every part of the product reads."""

    offer_timeout_hours: int
    max_offer_rounds: int
    retention_months: int
    extract_max_age_months: int
    allow_overflow: bool
    weights: MappingProxyType  # engine weight name -> weight
    resolved: tuple[Resolved, ...]  # each setting with where its value comes from (for the settings page)

    def of(self, key: str) -> Resolved:
        return next(r for r in self.resolved if r.setting.key == key)


def effective(central: dict[str, Central], overrides: dict[str, float | None]) -> NetworkSettings:
    """The settings of a network with these overrides, under these central defaults and bounds (a setting
    the centre has not set falls back to the code's default)."""
    resolved = tuple(
        resolve(s, central.get(s.key) or code_central(s), overrides.get(s.key)) for s in SETTINGS
    )
    values = {r.setting.key: r.value for r in resolved}
    return NetworkSettings(
        offer_timeout_hours=int(values["offer_timeout_hours"]),
        max_offer_rounds=int(values["max_offer_rounds"]),
        retention_months=int(values["retention_months"]),
        extract_max_age_months=int(values["extract_max_age_months"]),
        allow_overflow=bool(values["allow_overflow"]),
        weights=MappingProxyType({BY_KEY[key].weight_name: values[key] for key in WEIGHT_KEYS}),
        resolved=resolved,
    )


def changes(before: dict, after: dict) -> dict:
    """{key: [before, after]} for what changed, in the order of SETTINGS (for the history)."""
    order = {s.key: i for i, s in enumerate(SETTINGS)}

    def rank(key):
        base = key.removesuffix("_min").removesuffix("_max")
        return (order.get(base, len(order)), key)

    def plain(key, value):
        setting = BY_KEY.get(key.removesuffix("_min").removesuffix("_max"))
        if value is None or setting is None:
            return value
        if setting.kind == BOOL:
            return bool(value)
        return int(value) if float(value).is_integer() else value

    keys = sorted(after, key=rank)
    return {
        k: [plain(k, before.get(k)), plain(k, after.get(k))] for k in keys if before.get(k) != after.get(k)
    }
