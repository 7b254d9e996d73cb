"""The base of every form on the site: single-line fields refuse line breaks.

A title, name, subject or address typed into an <input> is one line. A POST can still carry a
CR/LF there, and such a value breaks what it ends up in later: a mail's Subject (no library
writes that header, so the message cannot be sent) or a line of a CSV export. Every form
derives from `SiteForm` (or `SiteSubform` for rows inside a FieldList), whose fields rendered as
a single-line <input> get the `SingleLine` validator; multi-line fields (<textarea>) keep their
line breaks. tests/quality/test_single_line.py checks that every form in the package does so.
"""
from __future__ import annotations

import re

import wtforms.widgets
import wtforms.widgets.core
from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import SUBMIT_METHODS, _Auto
from markupsafe import Markup, escape
from werkzeug.datastructures import CombinedMultiDict, ImmutableMultiDict, MultiDict
from wtforms import FileField, Form
from wtforms.meta import DefaultMeta
from wtforms.validators import ValidationError
from wtforms.widgets import Input
from wtforms.widgets.core import clean_key

# Everything str.splitlines() (and so the e-mail package) treats as a line break.
LINE_BREAK = re.compile("[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
SINGLE_LINE_MESSAGE = "Gebruik één regel, zonder regeleinden."
MULTI_VALUE_INPUTS = frozenset({"checkbox", "radio", "file", "submit", "button", "image", "reset"})


class SingleLine:
    """Refuse a value with a line break (the field's data, after its filters)."""

    def __init__(self, message: str = SINGLE_LINE_MESSAGE):
        self.message = message

    def __call__(self, form, field) -> None:
        if isinstance(field.data, str) and LINE_BREAK.search(field.data):
            raise ValidationError(self.message)


def is_single_line(field) -> bool:
    """True for a field drawn as a one-line <input> (text, e-mail, url, tel, search, hidden…)."""
    widget = field.widget
    return isinstance(widget, Input) and getattr(widget, "input_type", None) not in MULTI_VALUE_INPUTS


class SingleLineMeta(DefaultMeta):
    def bind_field(self, form, unbound_field, options):
        field = super().bind_field(form, unbound_field, options)
        if is_single_line(field) and not any(isinstance(v, SingleLine) for v in field.validators):
            field.validators = [SingleLine(), *field.validators]
        return field


class SiteForm(FlaskForm):
    """FlaskForm (CSRF) whose single-line fields refuse line breaks, and whose fields take only
    what a browser sends them."""

    class Meta(SingleLineMeta, FlaskForm.Meta):
        def wrap_formdata(self, form, formdata):
            """Flask-WTF gives every field the uploaded files as well as the typed values, and a
            JSON body's values as they are: a file posted under a text field's name (a 500: a
            FileStorage has no len()) or a number under it. Here a file reaches only a file
            field, and a JSON body fills nothing (the site's forms are never sent as JSON)."""
            if formdata is _Auto and request.is_json and request.method in SUBMIT_METHODS:
                return ImmutableMultiDict()  # before Flask-WTF reads it: a list would raise there
            data = super().wrap_formdata(form, formdata)
            if formdata is not _Auto or data is None or not request.files:
                return data
            names = {field.name for field in form._fields.values() if isinstance(field, FileField)}
            files = [(name, upload) for name, upload in request.files.items(multi=True) if name in names]
            return CombinedMultiDict((MultiDict(files), request.form)) if files else request.form


class SiteSubform(Form):
    """A plain WTForms form (a row in a FieldList) whose single-line fields refuse line breaks."""

    class Meta(SingleLineMeta):
        pass


WTFORMS_HTML_PARAMS = wtforms.widgets.core.html_params


def html_params(**kwargs) -> Markup:
    """WTForms' `html_params`, the same output a third of the time (~30 against ~90 µs for a
    text field's eight attributes): WTForms formats every attribute through `Markup.format`
    (string.Formatter, escaping each part). The enrolment form draws 24 fields, ~1.4 ms of its
    8.6 (issue 18). `tests/test_forms_html.py` compares the two on any attributes."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = clean_key(key)
        if value is True:
            params.append(escape(key))
        elif value is not False:
            # escape() leaves a Markup value as it is; its quotes still must not end the attribute
            params.append(f'{escape(key)}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))


# Where WTForms looks it up: the module function (select, textarea, label…) and the widgets'
# static methods (input, button).
wtforms.widgets.core.html_params = wtforms.widgets.html_params = html_params
for _widget in (wtforms.widgets.core.Input, wtforms.widgets.core.Button):
    _widget.html_params = staticmethod(html_params)
