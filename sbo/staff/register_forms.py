"""Forms for registers and for the accreditation of an offering by a register."""
from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from ..forms import SiteForm

STRIP = [lambda value: value.strip() if isinstance(value, str) else value]


class AmountOfField(StringField):
    """A non-negative number with at most two decimals, typed the Dutch way ('2,5'); `.value`
    holds it as a Decimal after validation."""
    value: Decimal | None = None

    def pre_validate(self, form) -> None:
        self.value = None
        text = (self.data or "").strip().replace(",", ".")
        if not text:
            return
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise ValidationError("Vul een getal in, bijvoorbeeld 6 of 2,5.")
        if not value.is_finite() or value < 0 or value > 1000 or value != value.quantize(Decimal("0.01")):
            raise ValidationError("Vul een getal tussen 0 en 1000 in, met hoogstens twee cijfers na de komma.")
        self.value = value


def _valid_pattern(_form, field) -> None:
    try:
        re.compile(field.data or "")
    except re.error:
        raise ValidationError("Dit is geen geldige reguliere expressie.")


class RegisterForm(SiteForm):
    name = StringField("Naam", filters=STRIP, validators=[
        DataRequired("Vul de naam van het register in."), Length(max=120, message="Dit is te lang.")])
    short_name = StringField("Korte naam", filters=STRIP, validators=[
        DataRequired("Vul een korte naam in, bijvoorbeeld NOvA."), Length(max=40, message="Dit is te lang.")])
    number_pattern = StringField("Formaat van registratienummers", filters=STRIP, validators=[
        Optional(), Length(max=200, message="Dit is te lang."), _valid_pattern])
    number_hint = StringField("Uitleg bij het nummer", filters=STRIP, validators=[
        Optional(), Length(max=200, message="Dit is te lang.")])
    provider_details = TextAreaField("Gegevens van SBO bij dit register", validators=[
        Optional(), Length(max=2000, message="Deze tekst is te lang.")])


class AccreditationForm(SiteForm):
    register_id = SelectField("Register", coerce=int, validators=[InputRequired("Kies een register.")])
    points = AmountOfField("Punten", validators=[InputRequired("Vul het aantal punten in.")])
    net_hours = AmountOfField("Netto uren", validators=[InputRequired("Vul het aantal netto uren in.")])
