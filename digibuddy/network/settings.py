"""The settings that apply to a local network, and changing them: the one place every part of the product
reads the offer time, offer rounds, retention period, extract age, overflow and matching weights from.

The central administrator sets each setting's default and bounds (central_settings); a network may set
its own value within them (columns of local_networks). What applies is resolved by network.steering.
Every change is recorded with its value before and after (audit.ChangeRecord, shown as the history on
the settings pages) and in the audit log."""

from flask_babel import format_decimal
from sqlalchemy import select

from ..audit.services import change_history, record, record_change
from ..core.db import utcnow
from ..core.exceptions import DomainError
from ..core.i18n import gettext as _
from ..core.i18n import ngettext
from ..extensions import db
from . import steering
from .models import CentralSetting, LocalNetwork
from .steering import BY_KEY, SETTINGS, Central, NetworkSettings

CENTRAL_SUBJECT, NETWORK_SUBJECT = "central_settings", "network_settings"


def central_settings() -> dict[str, Central]:
    """Every setting's central default and bounds (the code's default and full range where the centre has
    set nothing)."""
    rows = {row.key: row for row in db.session.scalars(select(CentralSetting))}
    found = {}
    for setting in SETTINGS:
        row = rows.get(setting.key)
        found[setting.key] = (
            Central(row.value, row.minimum, row.maximum) if row else steering.code_central(setting)
        )
    return found


def overrides_of(network: LocalNetwork) -> dict[str, float | None]:
    """The network's own values as stored (None: it follows the central default)."""
    weights = network.match_weights or {}
    found = {}
    for setting in SETTINGS:
        if setting.kind == steering.WEIGHT:
            value = weights.get(setting.weight_name)
            found[setting.key] = float(value) if isinstance(value, (int, float)) else None
        else:
            value = getattr(network, setting.key)
            found[setting.key] = None if value is None else float(value)
    return found


def network_settings(network: LocalNetwork, central: dict[str, Central] | None = None) -> NetworkSettings:
    """What applies to this network now. Pass `central` (from central_settings()) when resolving many
    networks in a row."""
    return steering.effective(central if central is not None else central_settings(), overrides_of(network))


def default_settings(central: dict[str, Central] | None = None) -> NetworkSettings:
    """What applies where no network has a say: the central defaults."""
    return steering.effective(central if central is not None else central_settings(), {})


# ---------------------------------------------------------------------------------------------- messages
def _number(value) -> str:
    return format_decimal(value)


def problem_message(problem: steering.Problem) -> str:
    """A translated sentence for a field in error."""
    low, high = problem.minimum, problem.maximum
    if problem.code in (steering.OUT_OF_RANGE, steering.OUTSIDE_BOUNDS):
        return _(
            "Choose a number from %(minimum)s to %(maximum)s.", minimum=_number(low), maximum=_number(high)
        )
    if problem.code == steering.MIN_ABOVE_MAX:
        return _("The highest value cannot be lower than the lowest (%(minimum)s).", minimum=_number(low))
    if problem.code == steering.DEFAULT_OUTSIDE:
        return _(
            "The default must lie between the lowest (%(minimum)s) and the highest value (%(maximum)s).",
            minimum=_number(low),
            maximum=_number(high),
        )
    if problem.code == steering.LOCKED:
        return _("The central administration decides this setting for every network.")
    return _("Give at least one weight a value above 0.")


def _refuse(problems: list[steering.Problem]) -> None:
    if problems:
        first = problems[0]
        raise DomainError(problem_message(first), first.key)


# ----------------------------------------------------------------------------------------------- changing
def _central_flat(values: dict[str, Central]) -> dict:
    flat = {}
    for key, central in values.items():
        flat[key], flat[key + "_min"], flat[key + "_max"] = central.value, central.minimum, central.maximum
    return flat


def save_central_settings(values: dict[str, Central], actor) -> dict:
    """Set central defaults and bounds (refused with a field error outside what a setting accepts); the
    changes {field: [before, after]}, recorded in the history and the audit log."""
    _refuse(steering.check_central(values))
    before = central_settings()
    rows = {row.key: row for row in db.session.scalars(select(CentralSetting))}
    changed = steering.changes(_central_flat(before), _central_flat({**before, **values}))
    if not changed:
        return {}
    now = utcnow()
    for key, central in values.items():
        old = before[key]
        if (central.value, central.minimum, central.maximum) == (old.value, old.minimum, old.maximum):
            continue
        row = rows.get(key) or CentralSetting(key=key)
        row.value, row.minimum, row.maximum = central.value, central.minimum, central.maximum
        row.changed_at, row.changed_by_id = now, getattr(actor, "id", None)
        db.session.add(row)
    record_change(actor, CENTRAL_SUBJECT, None, "edited", changed)
    record(actor, "settings_changed", CENTRAL_SUBJECT, None, None, detail=change_detail(changed))
    db.session.commit()
    return changed


def save_network_overrides(network: LocalNetwork, overrides: dict[str, float | None], actor) -> dict:
    """Set the network's own values (None: follow the central default), each within the centre's bounds;
    the changes, recorded in the history and in the network's audit log."""
    central = central_settings()
    _refuse(steering.check_overrides(overrides, central))
    before = overrides_of(network)
    changed = steering.changes(before, {**before, **overrides})
    if not changed:
        return {}
    weights = dict(network.match_weights or {})
    for key, value in overrides.items():
        setting = BY_KEY[key]
        if setting.kind == steering.WEIGHT:
            if value is None:
                weights.pop(setting.weight_name, None)
            else:
                weights[setting.weight_name] = value
        elif setting.kind == steering.BOOL:
            setattr(network, key, None if value is None else bool(value))
        else:
            setattr(network, key, None if value is None else int(value))
    network.match_weights = weights or None
    record_change(actor, NETWORK_SUBJECT, network.id, "edited", changed, network_id=network.id)
    record(actor, "settings_changed", NETWORK_SUBJECT, network.id, network.id, detail=change_detail(changed))
    db.session.commit()
    return changed


def change_detail(changed: dict) -> str:
    """'offer_timeout_hours: 24 → 48; ...' for the audit log (at most its 500 characters)."""
    text = "; ".join(f"{key}: {_plain(a)} → {_plain(b)}" for key, (a, b) in changed.items())
    return text if len(text) <= 500 else text[:499] + "…"


def _plain(value) -> str:
    if value is None:
        return "—"
    return f"{value:g}" if isinstance(value, float) else str(value)


def history(network: LocalNetwork | None, limit: int = 100) -> list:
    """The recorded changes of the central settings (network None) or of one network's own values."""
    if network is None:
        return change_history(CENTRAL_SUBJECT, limit=limit)
    return change_history(NETWORK_SUBJECT, network.id, limit=limit)


def networks_outside_bounds(central: dict[str, Central] | None = None) -> list[tuple[LocalNetwork, list]]:
    """Networks whose own value of some setting lies outside the centre's bounds now (it is read as the
    nearest bound), each with those settings resolved."""
    central = central if central is not None else central_settings()
    found = []
    for network in db.session.scalars(select(LocalNetwork).order_by(LocalNetwork.name)):
        clamped = [r for r in network_settings(network, central).resolved if r.clamped]
        if clamped:
            found.append((network, clamped))
    return found


def clamped_notice(count: int) -> str:
    return ngettext(
        "%(num)s network has a value of its own outside these bounds: the nearest bound applies to it.",
        "%(num)s networks have a value of their own outside these bounds: the nearest bound applies to them.",
        count,
    )
