"""Issue 18: the comment form's fields are drawn without WTForms' widgets (sbo/news/forms.py);
the HTML is the same, character for character, as render_field() with the widgets gives:
labels, `*` marks, maxlength, required, aria attributes, errors, values (escaped), checked.
The empty form (a first visit) is drawn without a CommentForm at all: the same HTML again."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from sbo.news.forms import CommentForm, empty_form, form_html, hidden_html, visible_html

FIELDS = ["body", "author_name", "author_email", "author_url", "remember", "notify_replies"]
WTFORMS = ("{% from '_macros.html' import render_field %}"
           "{{ render_field(form.body, class_='field-wide') }}{{ render_field(form.author_name) }}"
           "{{ render_field(form.author_email) }}{{ render_field(form.author_url) }}"
           '<div class="hp" aria-hidden="true">\n<label for="{{ form.homepage.id }}">{{ form.homepage.label.text }}'
           "</label>\n{{ form.homepage(tabindex='-1', autocomplete='off') }}\n</div>"
           "{{ render_field(form.remember) }}{{ render_field(form.notify_replies) }}"
           '<div class="form-actions"><button type="submit" class="button">Reactie plaatsen</button></div>')
HIDDEN = "{{ form.csrf_token }}\n{{ form.parent_id }}\n{{ form.started }}"


def _forms():
    yield "empty", CommentForm(formdata=None, meta={"csrf": False})
    remembered = CommentForm(formdata=None, meta={"csrf": False})
    remembered.author_name.data, remembered.author_email.data = 'Jan "de" <Vries>', "jan@voorbeeld.nl"
    remembered.remember.data = True
    yield "remembered", remembered
    wrong = CommentForm(formdata=MultiDict({
        "body": "", "author_name": "<script>x</script>", "author_email": "geen adres",
        "author_url": "ftp://x", "homepage": 'bot"&', "notify_replies": "y"}), meta={"csrf": False})
    assert not wrong.validate()
    yield "errors", wrong
    typed = CommentForm(formdata=MultiDict({
        "body": "Regel één\r\n\r\n<b>twee</b> & \"drie\"", "author_name": "Piet", "author_email": "p@voorbeeld.nl",
        "author_url": "https://voorbeeld.nl/?a=1&b=2", "remember": "y"}), meta={"csrf": False})
    typed.validate()
    yield "typed", typed


@pytest.mark.parametrize("state", ["empty", "remembered", "errors", "typed"])
def test_the_hand_drawn_hidden_fields_are_the_widgets_html(app, state):
    with app.test_request_context("/"):
        form = CommentForm(formdata=None)  # with its CSRF token
        form.parent_id.data = "12" if state != "empty" else ""
        form.started.data = 'a"b&<c>' if state == "typed" else "WzE3OTY1MTY5NDEsIjQ0YWQ"
        if state == "errors":
            form.csrf_token.errors = ["The CSRF token is missing."]
        expected = app.jinja_env.from_string(HIDDEN).render(form=form)
        drawn = str(hidden_html(form))
    assert drawn == expected and 'name="csrf_token" type="hidden" value="' in drawn
    if state == "typed":
        assert 'value="a&#34;b&amp;&lt;c&gt;"' in drawn


@pytest.mark.parametrize("state", ["empty", "remembered", "errors", "typed"])
def test_the_hand_drawn_fields_are_the_widgets_html(app, state):
    with app.test_request_context("/"):
        form = dict(_forms())[state]
        expected = app.jinja_env.from_string(WTFORMS).render(form=form)
        drawn = str(visible_html(form))
    assert drawn == expected
    if state == "errors":
        assert 'aria-invalid="true"' in drawn and 'class="field has-error field-wide"' in drawn
        assert "&lt;script&gt;" in drawn and "<script>" not in drawn
        assert 'value="bot&#34;&amp;"' in drawn
    if state == "remembered":
        assert '<input checked id="remember"' in drawn and 'required type="email" value="jan@voorbeeld.nl"' in drawn


@pytest.mark.parametrize("parent_id", ["", "12"])
def test_the_empty_form_is_a_new_comment_forms_html(app, parent_id):
    with app.test_request_context("/"):
        form = CommentForm(formdata=None)
        form.parent_id.data, form.started.data = parent_id, 'a"b&<c>'
        expected = str(form_html(form))
        drawn = str(empty_form().html(form.csrf_token.current_token, parent_id, 'a"b&<c>'))
    assert drawn == expected
    assert expected == app.jinja_env.from_string(HIDDEN + "\n" + WTFORMS).render(form=form)
