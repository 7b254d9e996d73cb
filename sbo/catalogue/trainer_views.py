"""The public pages of trainers: /trainers (everyone who teaches a published offering), a
profile at /trainers/<slug> with the offerings they teach and their next dates, and the photo."""
from __future__ import annotations

from datetime import date, datetime
from typing import Iterable

from flask import abort, render_template, send_from_directory, url_for
from sqlalchemy import select

from .. import clock
from ..extensions import db
from ..pagecache import cache_page
from .jsonld import trainer_jsonld
from .models import EditionStatus
from .queries import public_trainer, public_trainers
from .trainers import PHOTO_MIME, Trainer, photo_folder
from .views import CATALOGUE_TIMEOUT, bp


@bp.get("/trainers")
@cache_page(timeout=CATALOGUE_TIMEOUT)
def trainers():
    return render_template("catalogue/trainers.html", trainers=public_trainers())


@bp.get("/trainers/<slug>")
@cache_page(timeout=CATALOGUE_TIMEOUT)
def trainer(slug: str):
    person = public_trainer(slug)
    today = clock.today()
    teaching = [(offering, [e for e in offering.editions
                            if e.start_date >= today and e.status != EditionStatus.GEANNULEERD])
                for offering in person.offerings if offering.published]
    return render_template("catalogue/trainer.html", trainer=person, teaching=teaching,
                           jsonld=trainer_jsonld(person))


@bp.get("/trainers/<slug>/foto")
def trainer_photo(slug: str):
    name = db.session.scalar(select(Trainer.photo_name).where(Trainer.slug == slug[:120]))
    if not name:
        abort(404)
    response = send_from_directory(photo_folder(), name, mimetype=PHOTO_MIME[name.rsplit(".", 1)[-1]],
                                   max_age=86400)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def sitemap_urls() -> Iterable[tuple[str, date | datetime | None]]:
    """The trainer index and the profile of everyone who teaches a published offering."""
    people = public_trainers()
    if people:
        yield url_for("catalogue.trainers"), None
    for person in people:
        yield url_for("catalogue.trainer", slug=person.slug), person.updated_at
