"""The /mijn-gegevens forms."""
from __future__ import annotations

from wtforms import EmailField
from wtforms.validators import DataRequired, Length

from ..email_address import SafeEmail, typed_email
from ..forms import SiteForm


class MyDataForm(SiteForm):
    email = EmailField("E-mailadres", filters=[typed_email],
                       validators=[DataRequired("Vul je e-mailadres in."),
                                   Length(max=254, message="Dit e-mailadres is te lang."), SafeEmail()],
                       render_kw={"autocomplete": "email"})


class ConfirmForm(SiteForm):
    """A button: following the mailed link shows a page; only pressing it spends the link
    (so a mail scanner that opens links uses nothing)."""
