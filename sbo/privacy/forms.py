"""The /mijn-gegevens forms."""
from __future__ import annotations

from wtforms import EmailField, RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length

from ..email_address import SafeEmail, typed_email
from ..forms import SiteForm
from ..news.personal_data import ERASED_TEXT


class MyDataForm(SiteForm):
    email = EmailField("E-mailadres", filters=[typed_email],
                       validators=[DataRequired("Vul je e-mailadres in."),
                                   Length(max=254, message="Dit e-mailadres is te lang."), SafeEmail()],
                       render_kw={"autocomplete": "email"})


class ConfirmForm(SiteForm):
    """A button: following the mailed link shows a page; only pressing it spends the link
    (so a mail scanner that opens links uses nothing)."""


class EraseForm(SiteForm):
    """The erase step: what happens to the text of one's comments, then the button."""
    comment_text = RadioField(
        "De tekst van je reacties", default="keep",
        choices=[SelectChoice("keep", "Laat de tekst staan, zonder mijn naam en e-mailadres"),
                 SelectChoice("replace", f"Vervang de tekst door: „{ERASED_TEXT}”")],
        validators=[DataRequired("Kies wat er met de tekst van je reacties gebeurt.")])

    @property
    def keep_comment_text(self) -> bool:
        return self.comment_text.data != "replace"

