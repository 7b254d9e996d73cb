"""Forms for trainers, the programme items of an offering, and the trainers an offering has."""
from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from ..catalogue.programme import MAX_DAYS
from ..forms import SiteForm
from .forms import SLUG, ClockField, MultiCheckboxField, NumberField

STRIP = [lambda value: value.strip() if isinstance(value, str) else value]


class TrainerChecks(MultiCheckboxField):
    """Checkboxes of trainers; an id that is not among them gets a Dutch message."""
    MESSAGE = "Kies trainers uit de lijst."

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.MESSAGE) from None

    def pre_validate(self, form) -> None:
        known = {choice.value for choice in self.choices or ()}
        if any(value not in known for value in self.data or ()):
            raise ValidationError(self.MESSAGE)


class TrainerForm(SiteForm):
    name = StringField("Naam", filters=STRIP, validators=[
        DataRequired("Vul de naam in."), Length(max=200, message="De naam mag hoogstens 200 tekens hebben.")])
    slug = StringField("Webadres (slug)", filters=STRIP, validators=[
        Optional(), Length(max=120, message="Het webadres is te lang."), SLUG])
    role = StringField("Functie en organisatie", filters=STRIP,
                       validators=[Length(max=200, message="Dit mag hoogstens 200 tekens hebben.")])
    bio = TextAreaField("Korte biografie", validators=[Length(max=3000, message="De biografie is te lang.")])
    photo = FileField("Foto")


class ItemForm(SiteForm):
    day = NumberField("Dag", default=1, validators=[
        InputRequired("Vul het nummer van de dag in."),
        NumberRange(min=1, max=MAX_DAYS, message=f"Kies een dag van 1 tot en met {MAX_DAYS}.")])
    start_time = ClockField("Begintijd", validators=[Optional()])
    end_time = ClockField("Eindtijd", validators=[Optional()])
    title = StringField("Onderdeel", filters=STRIP, validators=[
        DataRequired("Vul de titel van het onderdeel in."),
        Length(max=200, message="De titel mag hoogstens 200 tekens hebben.")])
    description = TextAreaField("Toelichting", validators=[Length(max=2000, message="De toelichting is te lang.")])
    trainers = TrainerChecks("Door", coerce=int)

    def validate_end_time(self, field) -> None:
        if field.data and not self.start_time.data:
            raise ValidationError("Vul ook een begintijd in, of laat de eindtijd leeg.")
        if self.start_time.data and field.data and field.data <= self.start_time.data:
            raise ValidationError("De eindtijd moet na de begintijd liggen.")


class OfferingTrainersForm(SiteForm):
    trainers = TrainerChecks("Trainers en sprekers van dit aanbod", coerce=int)
