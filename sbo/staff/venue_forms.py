"""Forms for managing venues, and the venue choice of an edition."""
from __future__ import annotations

from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp

from ..forms import SiteForm
from .forms import _postal_code

STRIP = [lambda value: value.strip() if isinstance(value, str) else value]
POSTAL_CODE = Regexp(r"^[1-9][0-9]{3} [A-Z]{2}$", message="Vul een postcode in zoals 3521 AL.")


class VenueForm(SiteForm):
    name = StringField("Naam", filters=STRIP, validators=[DataRequired("Vul de naam van de locatie in."),
                                           Length(max=200, message="De naam mag hoogstens 200 tekens hebben.")])
    street_address = StringField("Straat en huisnummer", filters=STRIP, validators=[
        DataRequired("Vul de straat en het huisnummer in."), Length(max=200, message="Dit is te lang.")])
    postal_code = StringField("Postcode", filters=[lambda value: _postal_code(value)],
                              validators=[InputRequired("Vul de postcode in."), POSTAL_CODE])
    city = StringField("Plaats", filters=STRIP, validators=[DataRequired("Vul de plaats in."),
                                             Length(max=100, message="Dit is te lang.")])
    route = TextAreaField("Route", validators=[Optional(), Length(max=2000, message="Deze tekst is te lang.")])
    parking = TextAreaField("Parkeren", validators=[Optional(), Length(max=2000, message="Deze tekst is te lang.")])
    step_free = BooleanField("Drempelvrij (zonder trappen of drempels bereikbaar)")
    hearing_loop = BooleanField("Ringleiding aanwezig")
