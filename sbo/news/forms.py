"""The comment form ("Geef een reactie")."""
from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, StringField, TextAreaField, URLField
from wtforms.validators import URL, DataRequired, Length, Optional, ValidationError

from ..email_address import SafeEmail

from ..forms import SiteForm


class CommentForm(SiteForm):
    body = TextAreaField("Reactie", validators=[
        DataRequired("Vul je reactie in."),
        Length(max=5000, message="Je reactie is te lang (maximaal 5000 tekens).")])
    author_name = StringField("Naam", validators=[
        DataRequired("Vul je naam in."), Length(max=100, message="Je naam is te lang (maximaal 100 tekens).")])
    author_email = EmailField("E-mail", validators=[
        DataRequired("Vul je e-mailadres in."),
        SafeEmail(),
        Length(max=254, message="Dit e-mailadres is te lang.")])
    author_url = URLField("Website", validators=[
        Optional(), URL(message="Dit is geen geldig webadres (begin met https://)."),
        Length(max=300, message="Dit webadres is te lang.")])
    remember = BooleanField("Mijn naam en e-mailadres in deze browser opslaan voor de volgende keer dat ik reageer.")
    notify_replies = BooleanField("Stuur me een e-mail als iemand op mijn reactie antwoordt.")
    parent_id = HiddenField()
    started = HiddenField()
    # the honeypot: hidden from people by CSS, bots fill it in
    homepage = StringField("Laat dit veld leeg", validators=[Optional(), Length(max=300)])

    def validate_author_url(self, field) -> None:
        if field.data and not field.data.lower().startswith(("http://", "https://")):
            raise ValidationError("Dit is geen geldig webadres (begin met https://).")
