"""sbo.forms.html_params draws the same attributes as WTForms' own, and WTForms uses it."""
from __future__ import annotations

import wtforms.widgets.core
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms import Form, SelectField, StringField, TextAreaField

from sbo.forms import WTFORMS_HTML_PARAMS, html_params

keys = st.one_of(st.sampled_from(["class_", "for_", "data_user_name", "aria_describedby", "required",
                                  "value", "id", "maxlength", "x"]),
                 st.from_regex(r"[a-z][a-z_\-]{0,12}", fullmatch=True))
values = st.one_of(st.booleans(), st.integers(), st.text(max_size=30),
                   st.text(max_size=30).map(Markup),  # already markup: not escaped again, quotes are
                   st.sampled_from(['a "quoted" <b>&amp;</b>', Markup('<i class="x">&amp;</i>'), "'", 1.5]))


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(keys, values, max_size=8))
def test_the_same_attributes_as_wtforms(attrs):
    assert str(html_params(**attrs)) == str(WTFORMS_HTML_PARAMS(**attrs))
    assert isinstance(html_params(**attrs), Markup)


def test_wtforms_draws_its_fields_with_it():
    assert wtforms.widgets.core.html_params is html_params
    assert wtforms.widgets.core.Input.html_params is html_params

    class F(Form):
        name = StringField("Naam <b>", render_kw={"data_x": 'a"b'})
        text = TextAreaField("Tekst")
        pick = SelectField("Keuze", choices=["a", "b"])

    form = F(data={"name": '<script>"x"', "pick": "b"})
    assert str(form.name()) == ('<input data-x="a&#34;b" id="name" name="name" type="text" '
                                'value="&lt;script&gt;&#34;x&#34;">')
    assert str(form.name.label) == '<label for="name">Naam &lt;b&gt;</label>'
    assert 'name="text"' in str(form.text()) and '<option selected value="b">b</option>' in str(form.pick())
