"""Issue 18: the comment form's fields are drawn without WTForms' widgets (sbo/news/forms.py);
the HTML is the same, character for character, as render_field() with the widgets gives:
labels, `*` marks, maxlength, required, aria attributes, errors, values (escaped), checked."""
from __future__ import annotations

import pytest
from werkzeug.datastructures import MultiDict

from sbo.news.forms import CommentForm

FIELDS = ["body", "author_name", "author_email", "author_url", "remember", "notify_replies"]
WTFORMS = ("{% from '_macros.html' import render_field %}"
           "{{ render_field(form.body, class_='field-wide') }}|{{ render_field(form.author_name) }}|"
           "{{ render_field(form.author_email) }}|{{ render_field(form.author_url) }}|"
           "{{ form.homepage(tabindex='-1', autocomplete='off') }}|"
           "{{ render_field(form.remember) }}|{{ render_field(form.notify_replies) }}")
BY_HAND = ("{{ comment_field(form, 'body') }}|{{ comment_field(form, 'author_name') }}|"
           "{{ comment_field(form, 'author_email') }}|{{ comment_field(form, 'author_url') }}|"
           "{{ comment_honeypot(form) }}|"
           "{{ comment_field(form, 'remember') }}|{{ comment_field(form, 'notify_replies') }}")


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
        expected = app.jinja_env.from_string(
            "{{ form.csrf_token }}\n{{ form.parent_id }}\n{{ form.started }}").render(form=form)
        drawn = app.jinja_env.from_string("{{ comment_hidden_fields(form) }}").render(form=form)
    assert drawn == expected and 'name="csrf_token" type="hidden" value="' in drawn
    if state == "typed":
        assert 'value="a&#34;b&amp;&lt;c&gt;"' in drawn


@pytest.mark.parametrize("state", ["empty", "remembered", "errors", "typed"])
def test_the_hand_drawn_fields_are_the_widgets_html(app, state):
    with app.test_request_context("/"):
        form = dict(_forms())[state]
        expected = app.jinja_env.from_string(WTFORMS).render(form=form)
        drawn = app.jinja_env.from_string(BY_HAND).render(form=form)
    assert drawn == expected
    if state == "errors":
        assert 'aria-invalid="true"' in drawn and 'class="field has-error field-wide"' in drawn
        assert "&lt;script&gt;" in drawn and "<script>" not in drawn
        assert 'value="bot&#34;&amp;"' in drawn
    if state == "remembered":
        assert '<input checked id="remember"' in drawn and 'required type="email" value="jan@voorbeeld.nl"' in drawn
