"""Forms for managing news articles and their documents."""
from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, FieldList, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from ..clock import to_utc
from ..forms import SiteForm
from .forms import SLUG, ClockField, MultiCheckboxField, NumberField

RELATED_OFFERINGS = 4
RELATED_ARTICLES = 3


class DayField(DateField):
    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Vul een datum in, bijvoorbeeld 12-03-2027.")


class ArticleForm(SiteForm):
    title = StringField("Titel", validators=[InputRequired("Vul een titel in."),
                                             Length(max=200, message="De titel mag hoogstens 200 tekens hebben.")])
    slug = StringField("Webadres (slug)", validators=[
        Optional(), Length(max=160, message="Het webadres is te lang."), SLUG])
    publish_date = DayField("Publicatiedatum", validators=[Optional()], format=["%Y-%m-%d", "%d-%m-%Y"])
    publish_time = ClockField("Tijd", validators=[Optional()])
    lead = TextAreaField("Inleiding", validators=[
        Length(max=600, message="De inleiding mag hoogstens 600 tekens hebben.")])
    body = TextAreaField("Tekst (Markdown)", validators=[
        Length(max=100_000, message="De tekst is te lang (hoogstens 100.000 tekens).")])
    themes = MultiCheckboxField("Thema's", coerce=int, validate_choice=True)
    comments_closed = BooleanField("Reacties sluiten")
    comments_open_days = NumberField("Reacties open (dagen)", validators=[
        Optional(), NumberRange(min=0, max=3650, message="Vul een aantal dagen tussen 0 en 3650 in.")])
    offerings = FieldList(SelectField(coerce=int, validate_choice=True), min_entries=RELATED_OFFERINGS,
                          max_entries=RELATED_OFFERINGS)
    related = FieldList(SelectField(coerce=int, validate_choice=True), min_entries=RELATED_ARTICLES,
                        max_entries=RELATED_ARTICLES)

    def validate_publish_time(self, field) -> None:
        if field.data and not self.publish_date.data:
            raise ValidationError("Vul ook een publicatiedatum in, of maak de tijd leeg.")

    @property
    def published_at(self) -> datetime | None:
        return to_utc(self.publish_date.data, self.publish_time.data)


class UploadForm(SiteForm):
    title = StringField("Titel", validators=[Length(max=200, message="De titel mag hoogstens 200 tekens hebben.")])
    file = FileField("Bestand", validators=[FileRequired("Kies een bestand.")])


class LinkForm(SiteForm):
    title = StringField("Titel", validators=[InputRequired("Vul een titel in."),
                                             Length(max=200, message="De titel mag hoogstens 200 tekens hebben.")])
    url = StringField("Webadres", validators=[InputRequired("Vul een webadres in."),
                                              Length(max=500, message="Dit webadres is te lang.")])

    def validate_url(self, field) -> None:
        parts = urlsplit((field.data or "").strip())
        if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
            raise ValidationError("Vul een webadres in dat begint met http:// of https://.")
