"""The form that writes a training module: a title and a text per language, the check's questions with their
answers and which are right, who it is for, and whether a change is material. It works without JavaScript:
"Add a question" and "Preview" post the form and show it again, nothing saved."""

import re

from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Optional

from ..core.forms import MultiCheckboxField, SafeForm
from ..core.i18n import current_locale, language_name, text_direction
from ..core.i18n import gettext as _
from ..core.i18n import lazy_gettext as _l
from ..core.labels import label
from ..reference.models import localized
from .models import TRAINING_AUDIENCES
from .training import MAX_QUESTIONS, right_answers
from .training_content import LOCALES

OPTION_SLOTS = 5


def _text_field(field_class, locale, **kwargs):
    return field_class(
        validators=[Optional()], render_kw={"lang": locale, "dir": text_direction(locale), **kwargs}
    )


class _ModuleFormBase(SafeForm):
    required = BooleanField(
        _l("Required"),
        description=_l("Digibuddies must pass a required module before they can help residents."),
    )
    audiences = MultiCheckboxField(_l("For whom"))
    retrain_days = StringField(
        _l("Days to pass it again after a material change"),
        default="30",
        render_kw={"inputmode": "numeric", "class": "short"},
        description=_l("Digibuddies who passed an older version get this many days."),
    )
    material = BooleanField(
        _l("This change is material"),
        description=_l(
            "Tick this when digibuddies must know the change. For a required module, whoever passed an "
            "older version is asked to pass it again. Leave it off for a typo or a clearer sentence."
        ),
    )
    question_count = HiddenField()
    network = SelectField(_l("Local network"), coerce=int, validate_choice=False)


def question_count(formdata, module) -> int:
    """How many question slots the form shows: those posted (one more after "Add a question"), else the
    module's questions and one empty slot."""
    if formdata is not None and re.fullmatch(r"[0-9]{1,3}", formdata.get("question_count", "")):
        count = int(formdata["question_count"])
        if formdata.get("action") == "add_question":
            count += 1
    else:
        count = len(module.quiz or []) + 1 if module is not None else 3
    return max(1, min(count, MAX_QUESTIONS))


def build_module_form(module=None, *, formdata=None, networks=()):
    """The editing form, with as many question slots as `question_count` says."""
    count = question_count(formdata, module)
    attrs = {}
    for loc in LOCALES:
        attrs[f"title_{loc}"] = _text_field(StringField, loc)
        attrs[f"body_{loc}"] = _text_field(TextAreaField, loc, rows=14)
    for q in range(count):
        for loc in LOCALES:
            attrs[f"q{q}_text_{loc}"] = _text_field(StringField, loc)
        for o in range(OPTION_SLOTS):
            for loc in LOCALES:
                attrs[f"q{q}_o{o}_{loc}"] = _text_field(StringField, loc)
            attrs[f"q{q}_o{o}_right"] = BooleanField()
    form_class = type("TrainingModuleForm", (_ModuleFormBase,), attrs)
    form = form_class(formdata=formdata) if formdata is not None else form_class(formdata=None)
    _label(form, count)
    form.audiences.choices = [(a, label("training_audience", a)) for a in TRAINING_AUDIENCES]
    form.network.choices = [(n.id, n.name) for n in networks]
    if formdata is None:
        form.question_count.data = str(count)
        if module is not None:
            fill(form, module)
        else:
            form.audiences.data = ["volunteer"]
    else:
        form.question_count.data = str(count)
    return form


def _label(form, count: int) -> None:
    viewer = current_locale()
    form.title_fields, form.body_fields, form.questions = [], [], []
    for loc in LOCALES:
        language = language_name(loc, viewer)
        form[f"title_{loc}"].label.text = _("Title in %(language)s", language=language)
        form[f"body_{loc}"].label.text = _("Text in %(language)s", language=language)
        form[f"body_{loc}"].description = _("Markdown: ## for a heading, - for a list, **bold**. No HTML.")
        form.title_fields.append(form[f"title_{loc}"])
        form.body_fields.append(form[f"body_{loc}"])
    for q in range(count):
        question = {"number": q + 1, "texts": [], "options": []}
        for loc in LOCALES:
            field = form[f"q{q}_text_{loc}"]
            field.label.text = _(
                "Question %(n)s in %(language)s", n=q + 1, language=language_name(loc, viewer)
            )
            question["texts"].append(field)
        for o in range(OPTION_SLOTS):
            texts = []
            for loc in LOCALES:
                field = form[f"q{q}_o{o}_{loc}"]
                field.label.text = _(
                    "Answer %(a)s in %(language)s", a=o + 1, language=language_name(loc, viewer)
                )
                texts.append(field)
            right = form[f"q{q}_o{o}_right"]
            right.label.text = _("Answer %(a)s is right", a=o + 1)
            question["options"].append({"number": o + 1, "texts": texts, "right": right})
        form.questions.append(question)


def fill(form, module) -> None:
    for loc in LOCALES:
        form[f"title_{loc}"].data = (module.titles or {}).get(loc, "")
        form[f"body_{loc}"].data = (module.bodies or {}).get(loc, "")
    for q, question in enumerate(module.quiz or []):
        if f"q{q}_text_nl" not in form:
            break
        rights = right_answers(question)
        for loc in LOCALES:
            form[f"q{q}_text_{loc}"].data = (question.get("question") or {}).get(loc, "")
        for o, option in enumerate((question.get("options") or [])[:OPTION_SLOTS]):
            for loc in LOCALES:
                form[f"q{q}_o{o}_{loc}"].data = option.get(loc, "")
            form[f"q{q}_o{o}_right"].data = o in rights
    form.required.data = module.required
    form.audiences.data = list(module.audiences or [])
    form.retrain_days.data = str(module.retrain_days)


def typed(form) -> dict:
    """What the editor typed, as training.check_content reads it."""
    questions = []
    for q in range(int(form.question_count.data or 0)):
        if f"q{q}_text_nl" not in form:
            break
        questions.append(
            {
                "text": {loc: form[f"q{q}_text_{loc}"].data or "" for loc in LOCALES},
                "options": [
                    {
                        "text": {loc: form[f"q{q}_o{o}_{loc}"].data or "" for loc in LOCALES},
                        "right": bool(form[f"q{q}_o{o}_right"].data),
                    }
                    for o in range(OPTION_SLOTS)
                ],
            }
        )
    return {
        "titles": {loc: form[f"title_{loc}"].data or "" for loc in LOCALES},
        "bodies": {loc: form[f"body_{loc}"].data or "" for loc in LOCALES},
        "questions": questions,
        "required": form.required.data,
        "audiences": form.audiences.data or [],
        "retrain_days": _days(form.retrain_days.data),
    }


def _days(typed_days) -> int | None:
    text = (typed_days or "").strip()
    return int(text) if re.fullmatch(r"[0-9]{1,4}", text) else None


def preview(content_raw: dict, locale: str) -> dict:
    """The module as a reader sees it in `locale`, from what was typed (nothing checked or saved)."""
    return {
        "title": localized({k: v for k, v in content_raw["titles"].items() if v.strip()}, locale),
        "body": localized({k: v for k, v in content_raw["bodies"].items() if v.strip()}, locale),
        "questions": [
            {
                "text": localized({k: v for k, v in q["text"].items() if v.strip()}, locale),
                "options": [
                    localized({k: v for k, v in o["text"].items() if v.strip()}, locale)
                    for o in q["options"]
                    if any(v.strip() for v in o["text"].values())
                ],
            }
            for q in content_raw["questions"]
            if any(v.strip() for v in q["text"].values())
        ],
    }
