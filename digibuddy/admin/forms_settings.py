"""Forms of the network settings: the centre's defaults and bounds, and a network's own values.

Both are built from network.steering.SETTINGS, one field (or three) per setting; the bounds are checked by
the pure rules in network.steering, so that every field in error gets its own message at once."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField
from wtforms.validators import InputRequired, Optional

from ..core.forms import IntegerField
from ..core.i18n import lazy_gettext as _l
from ..network import steering
from ..network.settings import problem_message
from ..network.steering import BOOL, SETTINGS, Central

LABELS = {
    "offer_timeout_hours": _l("Hours a volunteer has to answer an offer"),
    "max_offer_rounds": _l("Offer rounds before the coordinator is asked"),
    "retention_months": _l("Months personal data is kept after a request ends"),
    "extract_max_age_months": _l("Maximum age of a criminal record extract (months)"),
    "allow_overflow": _l("Requests may go to volunteers of neighbouring networks"),
    "weight_distance": _l("Distance"),
    "weight_topics": _l("Topics and how well the digibuddy knows them"),
    "weight_language": _l("How well the digibuddy speaks the language"),
    "weight_time": _l("Free at the times the resident asked"),
    "weight_continuity": _l("Helped this resident well before"),
    "weight_fairness": _l("Fair spread of the work"),
    "weight_responsiveness": _l("Answers offers in time"),
}
BOUND_LABELS = {"_min": _l("lowest a network may choose"), "_max": _l("highest a network may choose")}


def field_label(key: str) -> str:
    """The label of a setting, or of one of its central bounds ('Distance: lowest a network may choose')."""
    for suffix, text in BOUND_LABELS.items():
        if key.endswith(suffix) and key[: -len(suffix)] in LABELS:
            return f"{LABELS[key[: -len(suffix)]]}: {text}"
    if key.endswith("_free") and key[: -len("_free")] in LABELS:
        return str(LABELS[key[: -len("_free")]])
    return str(LABELS.get(key, key))


def _yes_no():
    return [("1", _l("yes")), ("0", _l("no"))]


def _add_problems(form, problems) -> bool:
    """Each problem as an error on its field, named in full so that the error summary reads on its own."""
    for problem in problems:
        field = form[problem.key] if problem.key in form else form[problem.key.removesuffix("_max") + "_free"]
        message = f"{field_label(problem.key)}: {problem_message(problem)}"
        if message not in field.errors:
            field.errors.append(message)
    return not problems


class CentralSettingsForm(FlaskForm):
    """Per setting: the default, and the lowest and highest value a network may choose (for a yes/no
    setting: whether networks may choose at all)."""

    def fill(self, central: dict[str, Central]) -> None:
        for setting in SETTINGS:
            value = central[setting.key]
            if setting.kind == BOOL:
                getattr(self, setting.key).data = "1" if value.value else "0"
                getattr(self, setting.key + "_free").data = value.minimum != value.maximum
            else:
                getattr(self, setting.key).data = int(value.value)
                getattr(self, setting.key + "_min").data = int(value.minimum)
                getattr(self, setting.key + "_max").data = int(value.maximum)

    def values(self) -> dict[str, Central]:
        found = {}
        for setting in SETTINGS:
            if setting.kind == BOOL:
                value = 1.0 if getattr(self, setting.key).data == "1" else 0.0
                free = getattr(self, setting.key + "_free").data
                found[setting.key] = Central(value, 0.0 if free else value, 1.0 if free else value)
            else:
                found[setting.key] = Central(
                    float(getattr(self, setting.key).data),
                    float(getattr(self, setting.key + "_min").data),
                    float(getattr(self, setting.key + "_max").data),
                )
        return found

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        return _add_problems(self, steering.check_central(self.values()))


for _setting in SETTINGS:
    if _setting.kind == BOOL:
        setattr(
            CentralSettingsForm,
            _setting.key,
            SelectField(LABELS[_setting.key], choices=_yes_no(), validators=[InputRequired()]),
        )
        setattr(
            CentralSettingsForm,
            _setting.key + "_free",
            BooleanField(_l("Each network may choose for itself")),
        )
    else:
        for _suffix, _text in (
            ("", _l("Default")),
            ("_min", _l("Lowest a network may choose")),
            ("_max", _l("Highest a network may choose")),
        ):
            setattr(
                CentralSettingsForm,
                _setting.key + _suffix,
                IntegerField(_text, validators=[InputRequired()]),
            )


class NetworkSettingsForm(FlaskForm):
    """Per setting, the network's own value; left empty, the central default applies."""

    def fill(self, overrides: dict) -> None:
        for setting in SETTINGS:
            value = overrides[setting.key]
            if setting.kind == BOOL:
                getattr(self, setting.key).data = "" if value is None else ("1" if value else "0")
            else:
                getattr(self, setting.key).data = None if value is None else int(value)

    locked: frozenset = frozenset()  # settings the centre decides: shown, never taken from the form

    def overrides(self) -> dict[str, float | None]:
        found = {}
        for setting in SETTINGS:
            if setting.key in self.locked:
                continue
            data = getattr(self, setting.key).data
            if setting.kind == BOOL:
                found[setting.key] = None if data in ("", None) else (1.0 if data == "1" else 0.0)
            else:
                found[setting.key] = None if data is None else float(data)
        return found

    def check(self, central: dict[str, Central]) -> bool:
        """Validate, then keep each value within the centre's bounds (a field error per value outside)."""
        self.locked = frozenset(key for key, bounds in central.items() if bounds.minimum == bounds.maximum)
        if not self.validate():
            return False
        return _add_problems(self, steering.check_overrides(self.overrides(), central))


for _setting in SETTINGS:
    if _setting.kind == BOOL:
        setattr(
            NetworkSettingsForm,
            _setting.key,
            SelectField(
                LABELS[_setting.key],
                choices=[("", _l("As the central default")), *_yes_no()],
                validators=[Optional()],
            ),
        )
    else:
        own = IntegerField(LABELS[_setting.key], validators=[Optional()])
        setattr(NetworkSettingsForm, _setting.key, own)
