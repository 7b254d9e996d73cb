"""The PDF brochure of an offering at /aanbod/<slug>/brochure.pdf: what a professional sends
their manager (description, programme, trainers, dates and places, price, accreditation,
contact), from templates/catalogue/brochure.html through sbo.pdf. Rendering takes a moment,
so it goes through the page cache like the offering page (stale on any catalogue change)."""
from __future__ import annotations

import base64

from .. import clock
from ..pagecache import cache_page
from ..pdf import pdf_response, render_pdf
from ..urls import external_url
from . import queries
from .models import EditionStatus
from .trainers import PHOTO_MIME, photo_path
from .views import CATALOGUE_TIMEOUT, bp


def photo_data_url(trainer) -> str | None:
    """The trainer's photo inline (the PDF renderer reads no files outside static/)."""
    path = photo_path(trainer)
    if path is None or not path.is_file():
        return None
    kind = PHOTO_MIME[trainer.photo_name.rsplit(".", 1)[-1]]
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"


@bp.get("/aanbod/<slug>/brochure.pdf")
@cache_page(timeout=CATALOGUE_TIMEOUT)
def brochure(slug: str):
    offering = queries.published_offering(slug)
    today = clock.today()
    editions = [e for e in offering.editions if e.start_date >= today and e.status != EditionStatus.GEANNULEERD]
    data = render_pdf("catalogue/brochure.html", offering=offering, editions=editions, today=today,
                      photos={t.id: photo_data_url(t) for t in offering.trainers},
                      page_url=external_url("catalogue.detail", slug=offering.slug))
    return pdf_response(data, f"brochure-{offering.slug}.pdf")
