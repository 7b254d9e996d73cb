"""The in-company request form. Shape only: required fields, lengths, an e-mail address, a
number of participants."""
from __future__ import annotations

from wtforms import EmailField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from ..email_address import SafeEmail, typed_email
from ..forms import SiteForm

MAX_PARTICIPANTS = 1000
QUESTION_MAX = 4000


def strip(value):
    return value.strip() if isinstance(value, str) else value


def text(label: str, maximum: int, required_message: str | None = None, **render_kw):
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    validators.append(Length(max=maximum, message=f"Gebruik hoogstens {maximum} tekens."))
    return StringField(label, filters=[strip], validators=validators, render_kw=render_kw or None)


class ParticipantsField(IntegerField):
    """An integer with a Dutch message for anything else."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een aantal in, bijvoorbeeld 12.")


class IncompanyRequestForm(SiteForm):
    organisation = text("Organisatie", 200, "Vul de naam van je organisatie in.", autocomplete="organization")
    contact_name = text("Contactpersoon", 120, "Vul je naam in.", autocomplete="name")
    email = EmailField("E-mailadres", filters=[typed_email],
                       validators=[DataRequired("Vul je e-mailadres in."),
                                   Length(max=254, message="Dit e-mailadres is te lang."), SafeEmail()],
                       render_kw={"autocomplete": "email"})
    phone = StringField("Telefoonnummer", filters=[strip], render_kw={"autocomplete": "tel", "type": "tel"},
                        validators=[Optional(), Length(max=30, message="Gebruik hoogstens 30 tekens."),
                                    Regexp(r"^[0-9+()\-. ]*$",
                                           message="Gebruik alleen cijfers, spaties en + - ( ).")])
    participants = ParticipantsField(
        "Aantal deelnemers",
        validators=[InputRequired("Vul het aantal deelnemers in."),
                    NumberRange(min=1, max=MAX_PARTICIPANTS,
                                message=f"Vul een aantal in van 1 tot en met {MAX_PARTICIPANTS}.")],
        render_kw={"inputmode": "numeric", "min": 1, "max": MAX_PARTICIPANTS})
    preferred_period = text("Gewenste periode", 120)
    preferred_place = text("Gewenste plaats", 120, autocomplete="address-level2")
    question = TextAreaField("Je vraag", filters=[strip],
                             validators=[DataRequired("Beschrijf je vraag of wens."),
                                         Length(max=QUESTION_MAX,
                                                message=f"Gebruik hoogstens {QUESTION_MAX} tekens.")],
                             render_kw={"rows": 6})

