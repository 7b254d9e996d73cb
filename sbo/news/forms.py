"""The comment form ("Geef een reactie")."""
from __future__ import annotations

from flask import current_app
from markupsafe import Markup, escape
from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from ..email_address import SafeEmail

from ..forms import SiteForm


class CommentForm(SiteForm):
    body = TextAreaField("Reactie", validators=[
        DataRequired("Vul je reactie in."),
        Length(max=5000, message="Je reactie is te lang (maximaal 5000 tekens).")])
    author_name = StringField("Naam", validators=[
        DataRequired("Vul je naam in."), Length(max=100, message="Je naam is te lang (maximaal 100 tekens).")])
    author_email = EmailField("E-mail", validators=[
        DataRequired("Vul je e-mailadres in."),
        SafeEmail(),
        Length(max=254, message="Dit e-mailadres is te lang.")])
    author_url = URLField("Website", validators=[
        Optional(), URL(message="Dit is geen geldig webadres (begin met https://)."),
        Length(max=300, message="Dit webadres is te lang.")])
    remember = BooleanField("Mijn naam en e-mailadres in deze browser opslaan voor de volgende keer dat ik reageer.")
    notify_replies = BooleanField("Stuur me een e-mail als iemand op mijn reactie antwoordt.")
    parent_id = HiddenField()
    started = HiddenField()
    # the honeypot: hidden from people by CSS, bots fill it in
    homepage = StringField("Laat dit veld leeg", validators=[Optional(), Length(max=300)])

    def validate_author_url(self, field) -> None:
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError("Dit is geen geldig webadres (begin met https://).")


# ---------------------------------------------------------------- drawing the form
# The comment form is drawn on every render of the busiest page; WTForms' widgets (and the
# render_field macro around them) took a fifth of its render (issue 18). fields_html() draws
# the same HTML as templates/_macros.html render_field() with WTForms' widgets, character for
# character (tests/news/test_comment_form_html.py compares the two, with errors and values).

def _attrs(field, extra: dict) -> str:
    """WTForms' html_params(): sorted, True as a bare name, False and None left out."""
    params = {"id": field.id, "name": field.name, **extra}
    if field.flags.required:
        params["required"] = True
    maxlength = getattr(field.flags, "maxlength", None)
    if maxlength is not None:
        params["maxlength"] = maxlength
    if field.errors:
        params["aria-describedby"] = f"{field.id}-error"
        params["aria-invalid"] = "true"
    out = []
    for key in sorted(params):
        value = params[key]
        if value is True:
            out.append(key)
        elif value is not False and value is not None:
            out.append(f'{key}="{escape(value)}"')
    return " ".join(out)


def _label(field) -> str:
    star = ' <span class="req" aria-hidden="true">*</span>' if field.flags.required else ""
    return f'<label for="{field.id}">{escape(field.label.text)}{star}</label>'


def _error(field) -> str:
    return f'<p class="field-error" id="{field.id}-error">{escape(field.errors[0])}</p>' if field.errors else ""


def _text_field(field, class_: str = "") -> str:
    if field.type == "TextAreaField":
        control = f"<textarea {_attrs(field, {})}>\r\n{escape(field._value())}</textarea>"
    else:
        control = f"<input {_attrs(field, {'type': field.widget.input_type, 'value': field._value()})}>"
    return (f'\n  <div class="field{" has-error" if field.errors else ""} {class_}">\n'
            f'    {_label(field)}\n    \n    {_error(field)}\n    {control}\n  </div>\n')


def _check_field(field) -> str:
    control = f"<input {_attrs(field, {'type': 'checkbox', 'value': field._value(), 'checked': bool(field.data)})}>"
    return (f'\n  <div class="field field-check{" has-error" if field.errors else ""} ">\n'
            f'    {control}\n    {_label(field)}\n    \n    {_error(field)}\n  </div>\n')


def fields_html(form: CommentForm, field: str) -> Markup:
    """One of the comment form's visible fields as render_field() draws them."""
    f = form[field]
    if f.type == "BooleanField":
        return Markup(_check_field(f))
    return Markup(_text_field(f, "field-wide" if field == "body" else ""))


def _hidden(field_id: str, name: str, value: str) -> str:
    """What WTForms' HiddenInput draws (and Flask-WTF's CSRF token field)."""
    return f'<input id="{escape(field_id)}" name="{escape(name)}" type="hidden" value="{escape(value)}">'


def hidden_html(form: CommentForm) -> Markup:
    """{{ form.csrf_token }}, {{ form.parent_id }} and {{ form.started }} on three lines."""
    return Markup("\n".join(_hidden(field.id, field.name, field._value())
                             for field in (form.csrf_token, form.parent_id, form.started)))


def honeypot_html(form: CommentForm) -> Markup:
    """form.homepage(tabindex="-1", autocomplete="off")"""
    field = form.homepage
    return Markup(f"<input {_attrs(field, {'type': 'text', 'value': field._value(), 'tabindex': '-1', 'autocomplete': 'off'})}>")


def visible_html(form: CommentForm) -> Markup:
    """The form's fields after the hidden ones, the honeypot among them, and its button."""
    homepage = form.homepage
    return Markup("".join((
        *(fields_html(form, name) for name in ("body", "author_name", "author_email", "author_url")),
        f'<div class="hp" aria-hidden="true">\n<label for="{escape(homepage.id)}">{escape(homepage.label.text)}'
        f'</label>\n{honeypot_html(form)}\n</div>',
        fields_html(form, "remember"), fields_html(form, "notify_replies"),
        '<div class="form-actions"><button type="submit" class="button">Reactie plaatsen</button></div>')))


def form_html(form: CommentForm) -> Markup:
    """Everything inside the comment form's <form> element."""
    return Markup(f"{hidden_html(form)}\n{visible_html(form)}")


class EmptyForm:
    """The comment form as a visitor without a remembered name first sees it, drawn without
    making a CommentForm (its ten WTForms fields took a tenth of the article page, issue 18):
    the visible part is the same for everyone, drawn once from a CommentForm; the hidden
    fields get this request's values."""

    def __init__(self) -> None:
        # without its CSRF field: making one draws a token, and so starts a session
        form = CommentForm(formdata=None, meta={"csrf": False})
        token = current_app.config.get("WTF_CSRF_FIELD_NAME") or "csrf_token"
        self.hidden = [(token, token), *((field.id, field.name) for field in (form.parent_id, form.started))]
        self.visible = visible_html(form)

    def html(self, csrf_token: str, parent_id: str, started: str) -> Markup:
        """form_html() of a CommentForm(formdata=None) with these hidden values."""
        values = (csrf_token, parent_id, started)
        hidden = "\n".join(_hidden(field_id, name, value) for (field_id, name), value in zip(self.hidden, values))
        return Markup(f"{hidden}\n{self.visible}")


EMPTY_FORM = "sbo_news_empty_comment_form"


def empty_form() -> EmptyForm:
    """The app's EmptyForm, made on first use."""
    app = current_app._get_current_object()
    made = app.extensions.get(EMPTY_FORM)
    if made is None:
        made = app.extensions[EMPTY_FORM] = EmptyForm()
    return made
