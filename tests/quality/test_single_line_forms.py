"""Every form of the site refuses line breaks in its single-line fields: each FlaskForm in the
package derives from sbo.forms.SiteForm, each sub-form used in a FormField from SiteSubform, and
the fields drawn as one-line <input>s carry the SingleLine validator (textareas do not)."""
from __future__ import annotations

import importlib
import pkgutil

from flask_wtf import FlaskForm
from wtforms import Form
from wtforms.fields import FieldList, FormField

import sbo
from sbo.forms import SingleLine, SiteForm, SiteSubform, is_single_line


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def _site_form_classes(base):
    for module in pkgutil.walk_packages(sbo.__path__, "sbo."):
        if ".migrations" not in module.name:
            importlib.import_module(module.name)
    return [cls for cls in _all_subclasses(base) if cls.__module__.startswith("sbo.")
            and cls not in (SiteForm, SiteSubform)]


def test_every_form_derives_from_the_single_line_base():
    forms = _site_form_classes(FlaskForm)
    assert len(forms) >= 10
    assert [f"{c.__module__}.{c.__name__}" for c in forms if not issubclass(c, SiteForm)] == []
    subforms = [cls for cls in _site_form_classes(Form) if not issubclass(cls, FlaskForm)]
    assert [f"{c.__module__}.{c.__name__}" for c in subforms if not issubclass(c, SiteSubform)] == []


def test_single_line_inputs_carry_the_validator(app):
    with app.test_request_context():
        checked = 0
        for cls in _site_form_classes(FlaskForm):
            form = cls(meta={"csrf": False})
            fields = list(form)
            for field in fields:
                if isinstance(field, FormField):
                    fields.extend(field.form)
                if isinstance(field, FieldList):
                    fields.extend(field.entries)
                has = any(isinstance(v, SingleLine) for v in field.validators)
                assert has == is_single_line(field), f"{cls.__name__}.{field.name}"
                checked += has
        assert checked >= 20
