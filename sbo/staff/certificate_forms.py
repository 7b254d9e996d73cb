"""The form to withdraw a certificate."""
from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from ..forms import SiteForm


class WithdrawForm(SiteForm):
    reason = TextAreaField("Reden van intrekken", filters=[lambda v: v.strip() if isinstance(v, str) else v],
                           validators=[DataRequired("Vul de reden in."),
                                       Length(max=300, message="De reden mag hoogstens 300 tekens hebben.")])
