"""Forms of the central administration: the topic catalogue."""

from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from ..core.forms import MultiCheckboxField, SafeForm
from ..core.i18n import current_locale, language_name, text_direction
from ..core.i18n import gettext as _
from ..core.i18n import lazy_gettext as _l
from ..reference.catalogue import DIGCOMP_COMPETENCES, DIGCOMP_LEVELS
from ..reference.models import localized
from .catalogue import LABEL_LOCALES


def add_locale_fields(form_class, prefix: str, max_length: int, *, required: bool):
    """One text field per language (`<prefix>_nl`, `<prefix>_fr`, ...), written in that language."""
    for locale in LABEL_LOCALES:
        validators = [Length(max=max_length)]
        setattr(
            form_class,
            f"{prefix}_{locale}",
            StringField(
                validators=[DataRequired(), *validators] if required else [Optional(), *validators],
                render_kw={"lang": locale, "dir": text_direction(locale)},
            ),
        )
    return form_class


def _name_fields(form, prefix: str, text: str) -> list:
    """The per-language fields of a prefix, labelled in the viewer's language."""
    found = []
    for locale in LABEL_LOCALES:
        field = form[f"{prefix}_{locale}"]
        field.label.text = text % {"language": language_name(locale, current_locale())}
        found.append(field)
    return found


def texts(form, prefix: str) -> dict:
    return {locale: form[f"{prefix}_{locale}"].data or "" for locale in LABEL_LOCALES}


def fill_texts(form, prefix: str, values: dict | None) -> None:
    for locale in LABEL_LOCALES:
        form[f"{prefix}_{locale}"].data = (values or {}).get(locale, "")


class GroupForm(SafeForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.name_fields = _name_fields(self, "label", _("Name in %(language)s"))


add_locale_fields(GroupForm, "label", 120, required=True)


class TopicForm(SafeForm):
    group = SelectField(_l("Topic group"), coerce=int, validators=[DataRequired()])
    digcomp = MultiCheckboxField(
        _l("DigComp 2.2 competences"),
        description=_l("The first one you tick is the main competence."),
    )
    level = SelectField(
        _l("DigComp proficiency level"),
        coerce=int,
        default=2,
        description=_l("What the resident can do after the help: 1-2 foundation, 3-4 intermediate."),
    )

    def __init__(self, *args, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        locale = current_locale()
        self.group.choices = [(g.id, g.label(locale)) for g in groups]
        self.digcomp.choices = [
            (code, f"{code} {localized(names, locale)}") for code, names in DIGCOMP_COMPETENCES.items()
        ]
        self.level.choices = [(n, str(n)) for n in DIGCOMP_LEVELS]
        self.name_fields = _name_fields(self, "label", _("Name in %(language)s"))
        self.hint_fields = _name_fields(self, "hint", _("Hint in %(language)s"))
        for field in self.hint_fields:
            field.description = _("Optional. One short sentence in plain words, shown under the topic.")


add_locale_fields(TopicForm, "label", 120, required=True)
add_locale_fields(TopicForm, "hint", 200, required=False)


class MergeForm(SafeForm):
    target = SelectField(
        _l("Merge into"),
        coerce=int,
        validators=[DataRequired(message=_l("Choose the topic to merge into."))],
        description=_l(
            "Digibuddies who know this topic, open requests and drop-in moments get that topic too."
        ),
    )

    def __init__(self, *args, topics=(), **kwargs):
        super().__init__(*args, **kwargs)
        locale = current_locale()
        self.target.choices = [(0, _("Choose a topic"))] + [
            (t.id, f"{t.group.label(locale)}: {t.label(locale)}") for t in topics
        ]
