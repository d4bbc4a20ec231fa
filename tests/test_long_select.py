"""The long-list select renders exactly what WTForms' own select renders, selected option and all, while
building each option once."""

from wtforms import Form, SelectField, widgets

from digibuddy.core.forms import LongSelect, _option_html


class Both(Form):
    plain = SelectField(choices=[("", "—"), ("nl", "Nederlands"), ("ar", "Arabisch <&>"), ("x", "")])
    fast = SelectField(
        choices=[("", "—"), ("nl", "Nederlands"), ("ar", "Arabisch <&>"), ("x", "")], widget=LongSelect()
    )


def same(form):
    plain = str(form.plain(**{"aria-describedby": "hint"}))
    return plain.replace("plain", "fast") == str(form.fast(**{"aria-describedby": "hint"}))


def test_the_same_html_as_wtforms_with_and_without_a_choice():
    form = Both()
    assert same(form)
    form = Both(data={"plain": "ar", "fast": "ar"})
    assert '<option selected value="ar">' in form.fast() and same(form)
    assert "Arabisch &lt;&amp;&gt;" in form.fast()
    assert '<option value="x">x</option>' in form.fast()  # no label: the value stands in, as in WTForms


def test_each_option_is_built_once():
    _option_html.cache_clear()
    form = Both()
    form.fast()
    form.fast()
    info = _option_html.cache_info()
    assert (info.misses, info.hits) == (4, 4)


def test_options_with_their_own_attributes_are_built_by_wtforms():
    class WithAttributes(Form):
        fast = SelectField(choices=[("a", "A", {"disabled": True})], widget=LongSelect())

    assert WithAttributes().fast() == widgets.Select()(WithAttributes().fast)
