"""The requester's confirmation mail (templates/incompany/mail/request_received.txt), queued in
the caller's transaction through sbo.mail.send_mail. Links are absolute (SITE_URL)."""
from __future__ import annotations

from ..mail import OutboxMessage, send_mail
from ..urls import external_url
from .models import IncompanyRequest


def offering_url(request: IncompanyRequest) -> str | None:
    return external_url("catalogue.detail", slug=request.offering.slug) if request.offering else None


def request_received(request: IncompanyRequest) -> OutboxMessage:
    subject = (f"Je aanvraag voor {request.offering.title} in-company" if request.offering
               else "Je aanvraag voor een training op maat")
    return send_mail(request.email, subject, "incompany/mail/request_received",
                     request=request, offering_url=offering_url(request))
