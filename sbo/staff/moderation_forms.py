"""Forms of the moderation screens: edit a comment, reply as staff."""
from __future__ import annotations

from wtforms import EmailField, StringField, TextAreaField, URLField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from ..email_address import SafeEmail

from ..forms import SiteForm


class CommentEditForm(SiteForm):
    body = TextAreaField("Reactie", validators=[
        InputRequired("Vul de tekst van de reactie in."),
        Length(max=5000, message="De reactie is te lang (maximaal 5000 tekens).")])
    author_name = StringField("Naam", validators=[
        InputRequired("Vul de naam in."), Length(max=100, message="De naam is te lang (maximaal 100 tekens).")])
    author_email = EmailField("E-mailadres", validators=[
        InputRequired("Vul het e-mailadres in."),
        SafeEmail(),
        Length(max=254, message="Dit e-mailadres is te lang.")])
    author_url = URLField("Website", validators=[
        Optional(), Length(max=300, message="Dit webadres is te lang.")])

    def validate_body(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Vul de tekst van de reactie in.")

    def validate_author_name(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Vul de naam in.")

    def validate_author_url(self, field) -> None:
        if field.data and not field.data.strip().lower().startswith(("http://", "https://")):
            raise ValidationError("Dit is geen geldig webadres (begin met https://).")


class StaffReplyForm(SiteForm):
    reply = TextAreaField("Je antwoord", validators=[
        InputRequired("Vul je antwoord in."),
        Length(max=5000, message="Je antwoord is te lang (maximaal 5000 tekens).")])

    def validate_reply(self, field) -> None:
        if not field.data.strip():
            raise ValidationError("Vul je antwoord in.")
