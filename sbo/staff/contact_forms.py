"""Forms for contact persons (one per offering) and for an offering's discounts."""
from __future__ import annotations

import re
from decimal import Decimal

from flask_wtf.file import FileField
from wtforms import BooleanField, EmailField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from ..catalogue.pricing import DiscountKind
from ..email_address import SafeEmail, typed_email
from ..forms import SiteForm
from .forms import AmountField, NumberField, parse_date
from .venue_forms import STRIP

PERCENT = re.compile(r"\d{1,3}([,.]\d{1,2})?")


class ContactForm(SiteForm):
    name = StringField("Naam", filters=STRIP, validators=[
        DataRequired("Vul de naam in."), Length(max=120, message="De naam mag hoogstens 120 tekens hebben.")])
    role = StringField("Functie", filters=STRIP, validators=[
        Length(max=120, message="De functie mag hoogstens 120 tekens hebben.")])
    email = EmailField("E-mailadres", filters=[typed_email], validators=[
        Optional(), Length(max=320, message="Dit e-mailadres is te lang."), SafeEmail()])
    phone = StringField("Telefoonnummer", filters=STRIP, validators=[
        Optional(), Length(max=30, message="Gebruik hoogstens 30 tekens."),
        Regexp(r"^[0-9+()\-. ]*$", message="Gebruik alleen cijfers, spaties en + - ( ).")])
    photo = FileField("Foto")
    remove_photo = BooleanField("Foto weghalen")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.email.data or self.phone.data):
            self.phone.errors = [*self.phone.errors, "Vul een telefoonnummer of een e-mailadres in."]
            valid = False
        return valid


class DiscountForm(SiteForm):
    kind = SelectField("Soort korting", choices=[SelectChoice(kind.value, kind.label) for kind in DiscountKind],
                       invalid_choice_message="Kies de soort korting.")
    edition_id = SelectField("Voor", coerce=lambda value: int(value) if str(value or "").isdigit() else None,
                             validate_choice=False)
    percent = StringField("Percentage per deelnemer", filters=STRIP)
    amount = AmountField("Of een bedrag in euro's per deelnemer")
    min_participants = NumberField("Vanaf aantal deelnemers (groepskorting)", validators=[Optional()])
    valid_until = StringField("Tot en met (vroegboekkorting)", filters=STRIP,
                              validators=[Length(max=20, message="Dit is te lang.")])

    until_day = None

    def validate_edition_id(self, field) -> None:
        if field.data is not None and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Kies een editie uit de lijst.")

    def validate_percent(self, field) -> None:
        if bool(field.data) == bool((self.amount.data or "").strip()):
            raise ValidationError("Vul een percentage óf een bedrag in.")
        if field.data and (not PERCENT.fullmatch(field.data) or not 0 < self.percentage <= 100):
            raise ValidationError("Vul een percentage in tussen 0 en 100, bijvoorbeeld 10 of 12,5.")

    @property
    def percentage(self) -> Decimal | None:
        return Decimal(self.percent.data.replace(",", ".")) if self.percent.data else None

    def validate_amount(self, field) -> None:
        if self.amount.cents == 0:
            raise ValidationError("Een korting van € 0 is geen korting.")

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        field = self.min_participants  # Optional() skips inline checks of an empty field
        if self.kind.data == DiscountKind.GROUP and not field.errors and (
                field.data is None or not 2 <= field.data <= 1000):
            field.errors = [*field.errors,
                            "Vul het aantal deelnemers in vanaf wanneer de groepskorting geldt (2 of meer)."]
            valid = False
        return valid

    def validate_valid_until(self, field) -> None:
        if self.kind.data != DiscountKind.EARLY_BIRD:
            return
        if not field.data:
            raise ValidationError("Vul de laatste dag van de vroegboekkorting in (dd-mm-jjjj).")
        try:
            self.until_day = parse_date(field.data)
        except ValueError as error:
            raise ValidationError(str(error))
