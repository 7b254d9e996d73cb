"""Forms of /beheer/privacy: the address of a request by letter or phone, then export or erase."""
from __future__ import annotations

from wtforms import EmailField, HiddenField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..email_address import SafeEmail, typed_email
from ..forms import SiteForm
from ..news.personal_data import ERASED_TEXT


class LookupForm(SiteForm):
    email = EmailField("E-mailadres van de aanvrager", filters=[typed_email],
                       validators=[DataRequired("Vul het e-mailadres in."),
                                   Length(max=254, message="Dit e-mailadres is te lang."), SafeEmail()])


class AddressForm(SiteForm):
    """Carries the address looked up (in the POST body, never in the URL) to export or erase."""
    email = HiddenField(filters=[typed_email], validators=[DataRequired(), Length(max=254), SafeEmail()])


class StaffEraseForm(AddressForm):
    comment_text = RadioField(
        "De tekst van de reacties", default="keep",
        choices=[SelectChoice("keep", "Laat de tekst staan, zonder naam en e-mailadres"),
                 SelectChoice("replace", f"Vervang de tekst door: „{ERASED_TEXT}”")],
        validators=[DataRequired("Kies wat er met de tekst van de reacties gebeurt.")])
