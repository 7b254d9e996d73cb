"""Enrolment and interest forms. Shape only; the rules (seats, duplicates) are in services."""
from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask import current_app
from wtforms import (BooleanField, EmailField, FieldList, FormField, IntegerField, SelectField,
                     StringField, TextAreaField)
from wtforms.widgets import HiddenInput
from wtforms.validators import (DataRequired, InputRequired, Length, Optional, Regexp,
                                ValidationError)

from .. import clock
from ..email_address import SafeEmail, typed_email
from ..forms import SiteForm, SiteSubform

# rows parsed from one POST at most; more than ENROLMENT_MAX_GROUP filled rows is refused
PARSED_PARTICIPANT_ROWS = 50


def strip(value):
    return value.strip() if isinstance(value, str) else value


def email_field(label: str, required: str | None = "Vul je e-mailadres in."):
    validators = [DataRequired(required)] if required else [Optional()]
    return EmailField(label, filters=[typed_email],
                       validators=validators + [Length(max=254, message="Dit e-mailadres is te lang."),
                                                SafeEmail()],
                      render_kw={"autocomplete": "email"})


def single_line(form, field) -> None:
    """Names, organisations, addresses: one line, no web address (they are repeated in mails)."""
    value = field.data or ""
    if "\r" in value or "\n" in value:
        raise ValidationError("Gebruik één regel, zonder regeleinden.")
    if field.name.rsplit("-", 1)[-1] in PLAIN_TEXT_FIELDS and any(
            marker in value.lower() for marker in ("://", "www.")):
        raise ValidationError("Vul hier geen webadres in.")


# fields shown to other people (colleagues' mails, staff lists): never a link
PLAIN_TEXT_FIELDS = {"first_name", "last_name", "name", "organisation", "job_title"}


def text(label: str, maximum: int, required_message: str | None = None, **render_kw):
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    validators.append(Length(max=maximum, message=f"Gebruik hoogstens {maximum} tekens."))
    validators.append(single_line)
    return StringField(label, filters=[strip], validators=validators, render_kw=render_kw or None)


class ParticipantForm(SiteSubform):
    """One extra participant row; an empty row is ignored."""
    first_name = text("Voornaam", 80, autocomplete="off")
    last_name = text("Achternaam", 120, autocomplete="off")
    email = email_field("E-mailadres", required=None)

    @property
    def is_empty(self) -> bool:
        return not any((self.first_name.data, self.last_name.data, self.email.data))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.is_empty:
            return valid
        for field, message in ((self.first_name, "Vul de voornaam van je collega in."),
                               (self.last_name, "Vul de achternaam van je collega in."),
                               (self.email, "Vul het e-mailadres van je collega in.")):
            if not field.data:
                field.errors = [*field.errors, message]
                valid = False
        return valid


class EnrolmentForm(SiteForm):
    first_name = text("Voornaam", 80, "Vul je voornaam in.", autocomplete="given-name")
    last_name = text("Achternaam", 120, "Vul je achternaam in.", autocomplete="family-name")
    email = email_field("E-mailadres")
    phone = StringField("Telefoonnummer", filters=[strip], render_kw={"autocomplete": "tel", "type": "tel"},
                        validators=[Optional(), Length(max=30, message="Gebruik hoogstens 30 tekens."),
                                    Regexp(r"^[0-9+()\-. ]*$",
                                           message="Gebruik alleen cijfers, spaties en + - ( ).")])
    organisation = text("Organisatie", 200, "Vul de naam van je organisatie in.",
                        autocomplete="organization")
    job_title = text("Functie", 120, autocomplete="organization-title")
    invoice_address = text("Adres", 200, autocomplete="billing address-line1")
    invoice_postcode = text("Postcode", 10, autocomplete="billing postal-code")
    invoice_city = text("Plaats", 100, autocomplete="billing address-level2")
    po_number = text("Ordernummer of inkoopnummer", 60)
    cost_centre = text("Kostenplaats", 60)
    remarks = TextAreaField("Opmerkingen", filters=[strip], validators=[
        Optional(), Length(max=2000, message="Gebruik hoogstens 2000 tekens.")])
    # as many rows as ENROLMENT_MAX_GROUP allows (added in __init__); a POST with more filled
    # rows is refused in validate_participants
    participants = FieldList(FormField(ParticipantForm), label="Collega's",
                             max_entries=PARSED_PARTICIPANT_ROWS)
    join_waiting_list = BooleanField(
        "Zet mij (en mijn collega's) op de wachtlijst als er geen plaats meer is", default=True)
    terms = BooleanField("Ik ga akkoord met de algemene voorwaarden",
                         validators=[InputRequired("Ga akkoord met de algemene voorwaarden om je in te schrijven.")])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_colleagues = int(current_app.config["ENROLMENT_MAX_GROUP"])
        while len(self.participants) < self.max_colleagues:
            self.participants.append_entry()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        parts = (self.invoice_address, self.invoice_postcode, self.invoice_city)
        if any(f.data for f in parts) and not all(f.data for f in parts):
            empty = next(f for f in parts if not f.data)
            empty.errors = [*empty.errors,
                            "Vul adres, postcode en plaats allemaal in, of laat ze alle drie leeg."]
            valid = False
        return valid

    def validate_participants(self, field) -> None:
        if len(self.colleagues()) > self.max_colleagues:
            raise ValidationError(f"Je kunt met één inschrijving hoogstens {self.max_colleagues} "
                                  "collega's meenemen. Schrijf de anderen apart in.")
        seen = {self.email.data}
        for row in field:
            address = row.form.email.data
            if address and address in seen:
                row.form.email.errors = [*row.form.email.errors,
                                         "Dit e-mailadres staat al in het formulier."]
                raise ValidationError("Elke deelnemer heeft een eigen e-mailadres nodig.")
            seen.add(address)

    def colleagues(self) -> list[ParticipantForm]:
        return [row.form for row in self.participants if not row.form.is_empty]

    def error_list(self) -> list[tuple[str, str, str]]:
        """(field id, label, message) for the error summary, extra participant rows included."""
        items = []
        for field in self:
            if field.name == "participants":
                items += [("participants", field.label.text, message) for message in field.errors
                          if isinstance(message, str)]
                for number, row in enumerate(field, start=1):
                    for sub in row.form:
                        if sub.errors:
                            label = sub.label.text[:1].lower() + sub.label.text[1:]
                            items.append((sub.id, f"Collega {number}, {label}", sub.errors[0]))
            elif field.errors:
                items.append((field.id, field.label.text, field.errors[0]))
        return items


class WaitingListForm(EnrolmentForm):
    """The enrolment form of a full edition: everyone on it joins the waiting list, of this
    edition or (wait_any_date) of any date of the offering, optionally in one city or month."""
    join_waiting_list = None
    wait_any_date = BooleanField("Elke datum van deze opleiding is goed")
    wait_city = SelectField("Alleen in plaats", choices=[], validators=[Optional()],
                            invalid_choice_message="Kies een plaats uit de lijst.")
    wait_month = SelectField("Alleen in maand", choices=[], validators=[Optional()],
                             invalid_choice_message="Kies een maand uit de lijst.")

    def __init__(self, *args, cities: list[str] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.wait_city.choices = [("", "Elke plaats"), *((city, city) for city in cities)]
        self.wait_month.choices = [("", "Elke maand"), *month_choices()[1:]]


def month_choices(today: date | None = None, months: int = 12) -> list[tuple[str, str]]:
    today = today or clock.today()
    choices = [("", "Geen voorkeur")]
    year, month = today.year, today.month
    for _ in range(months):
        day = date(year, month, 1)
        choices.append((f"{day:%Y-%m}", format_date(day, "MMMM y", locale="nl_NL")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


class InterestForm(SiteForm):
    name = text("Naam", 120, "Vul je naam in.", autocomplete="name")
    email = email_field("E-mailadres")
    preferred_city = text("Voorkeursplaats", 100, autocomplete="address-level2")
    preferred_month = SelectField("Voorkeursmaand", choices=[], validators=[Optional()],
                                  invalid_choice_message="Kies een maand uit de lijst.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.preferred_month.choices = month_choices()


class SubstituteForm(SiteForm):
    first_name = text("Voornaam", 80, "Vul de voornaam van je vervanger in.")
    last_name = text("Achternaam", 120, "Vul de achternaam van je vervanger in.")
    email = email_field("E-mailadres", "Vul het e-mailadres van je vervanger in.")


class NumbersForm(SiteForm):
    """Registration numbers on the personal page: a field per register is added per offering
    (sbo/enrolment/registration.py)."""


class ConfirmForm(SiteForm):
    """An empty form: CSRF for the cancel and unsubscribe buttons."""


class RebookForm(SiteForm):
    """One button per date on the rebooking page: the edition, and whether to go on its waiting
    list when it is full (the button of a full date says so)."""
    edition_id = IntegerField(widget=HiddenInput(), validators=[InputRequired()])
    join_waiting_list = BooleanField(widget=HiddenInput())
