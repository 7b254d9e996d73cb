"""Staff forms: login, accounts, and the offer (offerings, editions, themes)."""
from __future__ import annotations

import calendar
import re
from datetime import date

from babel.dates import format_date
from wtforms import (BooleanField, HiddenField, IntegerField, PasswordField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, TimeField)
from wtforms.validators import (EqualTo, InputRequired, Length, NumberRange, Optional, Regexp,
                                ValidationError)
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget

from ..catalogue.models import OfferingType
from ..catalogue.pricing import INCLUSIONS, VatStatus
from ..catalogue.services import MIN_CAPACITY
from ..email_address import SafeEmail
from ..forms import SiteForm
from ..slugs import SLUG_PATTERN
from .models import Role
from .services import MIN_PASSWORD_LENGTH

EMAIL = [InputRequired("Vul het e-mailadres in."), Length(max=320, message="Dit e-mailadres is te lang."),
         SafeEmail()]
ROLE_CHOICES = [SelectChoice(role.value, role.label) for role in Role]
TEXT_MAX = 20_000


def _long(message: str = "Deze tekst is te lang.") -> Length:
    return Length(max=TEXT_MAX, message=message)


class NumberField(IntegerField):
    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een heel getal in, bijvoorbeeld 20.")


class ClockField(TimeField):
    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een tijd in als uu:mm, bijvoorbeeld 09:30.")


class LoginForm(SiteForm):
    email = StringField("E-mailadres", validators=[InputRequired("Vul je e-mailadres in."),
                                                   Length(max=320, message="Dit e-mailadres is te lang.")],
                        render_kw={"autocomplete": "username"})
    password = PasswordField("Wachtwoord", validators=[InputRequired("Vul je wachtwoord in."),
                                                       Length(max=200, message="Dit wachtwoord is te lang.")],
                             render_kw={"autocomplete": "current-password"})
    remember = BooleanField("Ingelogd blijven op dit apparaat")
    next = HiddenField(validators=[Length(max=500)])


class AccountForm(SiteForm):
    email = StringField("E-mailadres", validators=EMAIL)
    name = StringField("Naam", validators=[Optional(), Length(max=120, message="Deze naam is te lang.")])
    role = SelectField("Rol", choices=ROLE_CHOICES, validators=[InputRequired("Kies een rol.")])
    password = PasswordField("Wachtwoord", validators=[
        InputRequired("Kies een wachtwoord."),
        Length(min=MIN_PASSWORD_LENGTH, max=200,
               message=f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens.")],
        render_kw={"autocomplete": "new-password"})


NEW_PASSWORD = [InputRequired("Kies een nieuw wachtwoord."),
                Length(min=MIN_PASSWORD_LENGTH, max=200,
                       message=f"Kies een wachtwoord van minstens {MIN_PASSWORD_LENGTH} tekens.")]
REPEAT_PASSWORD = [InputRequired("Vul het nieuwe wachtwoord nog een keer in."),
                   EqualTo("new_password", message="De twee nieuwe wachtwoorden zijn niet gelijk.")]


NEW = {"autocomplete": "new-password"}


class PasswordChangeForm(SiteForm):
    current_password = PasswordField("Huidig wachtwoord", validators=[
        InputRequired("Vul je huidige wachtwoord in."), Length(max=200, message="Dit wachtwoord is te lang.")],
        render_kw={"autocomplete": "current-password"})
    new_password = PasswordField("Nieuw wachtwoord", validators=NEW_PASSWORD, render_kw=NEW)
    repeat_password = PasswordField("Nieuw wachtwoord nog een keer", validators=REPEAT_PASSWORD, render_kw=NEW)


class PasswordResetForm(SiteForm):
    new_password = PasswordField("Nieuw wachtwoord", validators=NEW_PASSWORD, render_kw=NEW)
    repeat_password = PasswordField("Nieuw wachtwoord nog een keer", validators=REPEAT_PASSWORD, render_kw=NEW)


class ForgotPasswordForm(SiteForm):
    email = StringField("E-mailadres", validators=EMAIL, render_kw={"autocomplete": "email"})


class RoleForm(SiteForm):
    role = SelectField("Rol", choices=ROLE_CHOICES, validators=[InputRequired("Kies een rol.")])


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_euros(text: str) -> int:
    """'1295', '1.295', '1295,50', '€ 1.295,50' → cents. ValueError when it is not an amount."""
    cleaned = text.replace("€", "").replace(" ", "").strip()
    match = re.fullmatch(r"(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2})|,-)?", cleaned)
    if not match:
        raise ValueError(text)
    euros = int(match.group(1).replace(".", ""))
    cents = int((match.group(2) or "0").ljust(2, "0"))
    return euros * 100 + cents


def cents_to_text(cents: int | None) -> str:
    if cents is None:
        return ""
    euros, rest = divmod(cents, 100)
    return f"{euros}" if rest == 0 else f"{euros},{rest:02d}"


class AmountField(StringField):
    """An amount in euros typed as text; `.cents` holds the parsed value (None when empty)."""
    cents: int | None = None

    def pre_validate(self, form) -> None:
        self.cents = None
        if self.data and self.data.strip():
            try:
                self.cents = parse_euros(self.data)
            except ValueError:
                raise ValidationError("Vul een bedrag in euro's in, bijvoorbeeld 1295 of 1295,50.")
            if self.cents > 10_000_000_00:
                raise ValidationError("Dit bedrag is te hoog.")


SLUG = Regexp(SLUG_PATTERN,
              message="Gebruik alleen kleine letters, cijfers en streepjes (bijvoorbeeld crisiscommunicatie-basis).")


class OfferingForm(SiteForm):
    title = StringField("Titel", validators=[InputRequired("Vul een titel in."),
                                             Length(max=200, message="De titel mag hoogstens 200 tekens hebben.")])
    slug = StringField("Webadres (slug)", validators=[Optional(), Length(max=160, message="Het webadres is te lang."), SLUG])
    type = SelectField("Soort", choices=[SelectChoice(t.value, t.label) for t in OfferingType],
                       validators=[InputRequired("Kies de soort.")])
    teaser = TextAreaField("Korte omschrijving", validators=[
        InputRequired("Vul een korte omschrijving in."),
        Length(max=400, message="De korte omschrijving mag hoogstens 400 tekens hebben.")])
    description = TextAreaField("Beschrijving", validators=[_long()])
    learning_outcomes = TextAreaField("Leerdoelen", validators=[_long()])
    audience = TextAreaField("Doelgroep", validators=[_long()])
    duration = StringField("Duur", validators=[Length(max=120, message="Dit is te lang.")])
    price = AmountField("Prijs in euro's per deelnemer", validators=[InputRequired("Vul een prijs in (0 voor gratis).")])
    vat_status = SelectField("Btw", default=VatStatus.EXCL.value, choices=[
        SelectChoice(VatStatus.EXCL.value, "Excl. btw: de btw komt bij de prijs"),
        SelectChoice(VatStatus.INCL.value, "Incl. btw: de btw zit in de prijs"),
        SelectChoice(VatStatus.VRIJGESTELD.value, "Vrijgesteld van btw (CRKBO-geregistreerd onderwijs)")],
        invalid_choice_message="Kies een van de mogelijkheden.")
    included = MultiCheckboxField("Inbegrepen in de prijs", choices=[SelectChoice(key, word.capitalize())
                                                                     for key, word in INCLUSIONS.items()],
                                  validate_choice=True)
    included_note = StringField("Verder inbegrepen", filters=[lambda value: value.strip() if value else value],
                                validators=[Length(max=200, message="Dit is te lang: hoogstens 200 tekens.")])
    contact_person_id = SelectField("Contactpersoon", coerce=lambda value: _optional_id(value), validate_choice=False)
    accreditation = StringField("Accreditatie", validators=[Length(max=200, message="Dit is te lang.")])
    themes = MultiCheckboxField("Thema's", coerce=int, validate_choice=True)
    published = BooleanField("Gepubliceerd (zichtbaar op de website)", default=True)

    def validate_contact_person_id(self, field) -> None:
        if field.data is not None and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Kies een contactpersoon uit de lijst.")


DATE_SHAPE = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})")


def parse_date(text: str) -> date:
    """'07-04-2027' (or 7/4/2027) → a date. ValueError with a Dutch message that says what is
    wrong: not a date at all, or a day or month that does not exist."""
    match = DATE_SHAPE.fullmatch(text.replace("/", "-"))
    if not match:
        raise ValueError(f"‘{text[:20]}’ is geen datum. Schrijf elke datum als dd-mm-jjjj, "
                         "bijvoorbeeld 07-04-2027.")
    day, month, year = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        raise ValueError(f"{text} bestaat niet: er is geen maand {month}.")
    if year < 1900:
        raise ValueError(f"{text} ligt te ver in het verleden; controleer het jaartal.")
    last = calendar.monthrange(year, month)[1]
    if not 1 <= day <= last:
        month_name = format_date(date(year, month, 1), "MMMM y", locale="nl_NL")
        raise ValueError(f"{text} bestaat niet: {month_name} heeft {last} dagen.")
    return date(year, month, day)


def parse_dates(text: str) -> list[date]:
    """One date per line, dd-mm-jjjj; blank lines ignored. ValueError names the bad line."""
    days: list[date] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        day = parse_date(line)
        if day in days:
            raise ValueError(f"De datum {line} staat er twee keer in.")
        days.append(day)
    return sorted(days)


def _postal_code(value: str | None) -> str:
    """' 3521al ' -> '3521 AL' (anything else is left for the validator to refuse)."""
    compact = re.sub(r"\s+", "", value or "").upper()
    if re.fullmatch(r"[0-9]{4}[A-Z]{2}", compact):
        return f"{compact[:4]} {compact[4:]}"
    return (value or "").strip()


def _optional_id(value) -> int | None:
    """The chosen record's id; None for none; 0 (never an id) for anything else."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class EditionForm(SiteForm):
    dates = TextAreaField("Lesdagen", validators=[InputRequired("Vul minstens één lesdag in."),
                                                  Length(max=2000, message="Dit zijn te veel lesdagen.")])
    start_time = ClockField("Begintijd", validators=[InputRequired("Vul een begintijd in (uu:mm).")])
    end_time = ClockField("Eindtijd", validators=[InputRequired("Vul een eindtijd in (uu:mm).")])
    venue = StringField("Locatie", validators=[Length(max=200, message="Dit is te lang.")])
    city = StringField("Plaats", validators=[Length(max=100, message="Dit is te lang.")])
    street_address = StringField("Straat en huisnummer", validators=[Length(max=200, message="Dit is te lang.")])
    postal_code = StringField("Postcode", filters=[lambda value: _postal_code(value)],
                              validators=[Optional(), Regexp(r"^[1-9][0-9]{3} [A-Z]{2}$",
                                                             message="Vul een postcode in zoals 3521 AL.")])
    online = BooleanField("Online")
    online_platform = StringField("Platform (bij online)", validators=[Length(max=60, message="Dit is te lang.")])
    venue_id = SelectField("Locatie uit de lijst", coerce=lambda value: _optional_id(value), validate_choice=False)
    capacity = NumberField("Aantal plaatsen", validators=[
        InputRequired("Vul het aantal plaatsen in."),
        NumberRange(min=MIN_CAPACITY, max=10_000,
                    message="Een editie heeft minstens 1 en hoogstens 10.000 plaatsen.")])
    price_override = AmountField("Afwijkende prijs in euro's (leeg: prijs van het aanbod)")
    deadline = StringField("Inschrijven kan tot en met", validators=[Length(max=20, message="Dit is te lang.")])
    offer_new_seats = BooleanField("Nieuwe plaatsen meteen aanbieden aan de wachtlijst", default=True)

    days: list[date] = []
    deadline_day: date | None = None

    def validate_dates(self, field) -> None:
        try:
            self.days = parse_dates(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error))
        if not self.days:
            raise ValidationError("Vul minstens één lesdag in.")
        if len(self.days) > 60:
            raise ValidationError("Een editie heeft hoogstens 60 lesdagen.")

    def validate_deadline(self, field) -> None:
        text = (field.data or "").strip()
        try:
            self.deadline_day = parse_date(text) if text else None
        except ValueError as error:
            raise ValidationError(str(error))
        if self.deadline_day and self.days and self.deadline_day > self.days[0]:
            raise ValidationError("De inschrijfdeadline mag niet na de startdatum liggen.")

    def validate_end_time(self, field) -> None:
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError("De eindtijd moet na de begintijd liggen.")

    def validate_venue_id(self, field) -> None:
        if field.data is not None and field.data not in {choice.value for choice in field.choices}:
            raise ValidationError("Kies een locatie uit de lijst.")

    def validate_city(self, field) -> None:
        if not self.online.data and self.venue_id.data is None and not (field.data or "").strip():
            raise ValidationError("Vul een plaats in, of kies ‘Online’.")


class ThemeForm(SiteForm):
    name = StringField("Naam", validators=[InputRequired("Vul een naam in."),
                                           Length(max=120, message="De naam mag hoogstens 120 tekens hebben.")])
    slug = StringField("Webadres (slug)", validators=[Optional(), Length(max=80, message="Het webadres is te lang."), SLUG])
    description = TextAreaField("Beschrijving", validators=[_long()])


class RebookForm(SiteForm):
    """Staff move a participant to another date of the same offering (also after the cut-off)."""
    edition_id = SelectField("Nieuwe datum", coerce=int, validate_choice=True,
                             validators=[InputRequired("Kies een datum.")])
    join_waiting_list = BooleanField("Is die datum vol, zet de deelnemer dan op de wachtlijst "
                                     "(de huidige plaats gaat dan naar de wachtlijst van deze datum)")
