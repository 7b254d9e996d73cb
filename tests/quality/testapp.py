"""The app the quality checks run on: the real site, the sample data of pages.py, and three
test-only routes (an error, a 403 and a small form that stores a row) so that the error pages
and the generic form checks have something to work on before the domain pages land."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, abort, redirect, render_template_string
from wtforms import EmailField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from sbo.extensions import db
from sbo.forms import SiteForm
from sbo.mail import queue_mail

from .pages import log_in, seed_quality_data

FORM_TEMPLATE = """{% extends "base.html" %}
{% from "_macros.html" import render_field, error_summary, required_legend %}
{% block title %}Testformulier{% endblock %}
{% block content %}<div class="wrap narrow">
<h1>Testformulier</h1>
{{ error_summary(form) }}{{ required_legend() }}
<form method="post" action="/_test/formulier" novalidate>
  <input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
  {{ render_field(form.name) }}{{ render_field(form.email) }}
  {{ render_field(form.count, hint="Een getal van 1 tot 10.") }}{{ render_field(form.kind) }}
  {{ render_field(form.topic) }}{{ render_field(form.message) }}
  <button class="button" type="submit">Versturen</button>
</form></div>{% endblock %}"""


class SampleForm(SiteForm):
    name = StringField("Naam", validators=[DataRequired("Vul je naam in."), Length(max=120)])
    email = EmailField("E-mailadres", validators=[
        DataRequired("Vul je e-mailadres in."),
        Email("Dit is geen geldig e-mailadres.", check_deliverability=False), Length(max=320)])
    count = IntegerField("Aantal", validators=[Optional(), NumberRange(1, 10, "Kies 1 tot 10.")])
    kind = SelectField("Soort", choices=[SelectChoice("cursus", "Cursus"), SelectChoice("congres", "Congres")],
                       validators=[DataRequired("Kies een soort.")])
    topic = SelectField("Onderwerp", choices=[SelectChoice("", "Kies een onderwerp"),
                                              SelectChoice("orde", "Openbare orde")],
                        validators=[DataRequired("Kies een onderwerp.")])
    message = TextAreaField("Bericht", validators=[Optional(), Length(max=2000)])


def add_test_routes(app: Flask) -> None:
    @app.get("/_test/fout", endpoint="_test_error")
    def error():
        raise RuntimeError("geheime details die niemand mag zien")

    @app.get("/_test/geen-toegang", endpoint="_test_forbidden")
    def forbidden():
        abort(403)

    @app.get("/_test/zoek", endpoint="_test_search")
    def search():
        from flask import request
        return repr(sorted(request.args.items(multi=True))), 200, {"Content-Type": "text/plain"}

    @app.get("/_test/ingelogd", endpoint="_test_who")
    def who():
        from flask_login import current_user
        return str(current_user.id if current_user.is_authenticated else None), 200, {"Content-Type": "text/plain"}

    @app.route("/_test/formulier", methods=["GET", "POST"], endpoint="_test_form")
    def form():
        form = SampleForm()
        if form.validate_on_submit():
            queue_mail(form.email.data, f"Bericht van {form.name.data}", form.message.data or "-")
            db.session.commit()
            return redirect("/_test/formulier")
        status = 422 if form.errors else 200
        return render_template_string(FORM_TEMPLATE, form=form), status


@dataclass
class Site:
    app: Flask
    client: object
    staff_client: object
    samples: dict
    admin_id: int

    def log_in_again(self) -> None:
        """After a form that may have logged the staff client out."""
        log_in(self.app, self.staff_client, self.admin_id)


def build_site(make_app, **config) -> Site:
    app = make_app(**config)
    add_test_routes(app)
    with app.app_context():
        samples = seed_quality_data()
    admin_id = samples.pop("admin_id")
    staff_client = app.test_client()
    log_in(app, staff_client, admin_id)
    return Site(app, app.test_client(), staff_client, samples, admin_id)
