"""The page registry for the quality checks (accessibility, HTML validity, headers, robustness).

Pages are found three ways; every check runs over all of them:
- PAGES / STAFF_PAGES / FORM_PAGES: explicit URLs. When you add a page that discovery cannot
  reach (it needs a query string, or an object the sample data below does not create), add it here.
- discovery: every GET rule of app.url_map, its URL arguments filled with the objects
  `seed_quality_data()` creates (1 / "x" as fallback); a URL is kept when it answers 200 HTML.
- the sitemap: every <loc> of /sitemap.xml, when the site has one.
Pages under /beheer are fetched logged in as an administrator.
"""
from __future__ import annotations

import itertools
import re
from datetime import timedelta
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urlsplit

from flask import Flask
from werkzeug.routing import Rule

from sbo import clock
from sbo.extensions import db

# Public pages that must answer 200 (add yours: e.g. "/aanbod?q=veiligheid", "/nieuws").
PAGES: list[str] = ["/"]
# Pages only staff see (fetched logged in).
STAFF_PAGES: list[str] = []
# Pages holding a POST form for the hostile-input tests (discovered pages with a form are added).
FORM_PAGES: list[str] = []
# Error pages and their status: rendered through the real handlers.
ERROR_PAGES: dict[str, int] = {"/bestaat-niet": 404, "/_test/fout": 500, "/_test/geen-toegang": 403,
                               "/stuurteken%01": 400}
# Rules that may accept a POST without a CSRF token, and why. They must still refuse a POST
# whose URL carries no valid authorisation (a 4xx, no row changed).
CSRF_EXEMPT: dict[str, str] = {
    "/interesse/afmelden/<token>/direct": "RFC 8058 one-click unsubscribe: the mail client "
    "POSTs without a form; the signed token in the URL is the authorisation",
}
# Endpoints never visited by discovery (test-only error routes; GETs that log out are skipped too).
SKIP_ENDPOINTS: set[str] = {"static", "_test_error", "_test_forbidden"}

STAFF_PREFIX = "/beheer"


def seed_quality_data() -> dict[str, list]:
    """Objects so that routes with URL arguments resolve: a theme, an offering with an open
    edition, an administrator and, once the news domain is merged, an article with a comment.
    Returns {URL argument name: candidate values} plus "admin_id". Call inside an app context;
    commits."""
    from sbo.staff.models import Role, StaffUser
    from tests import factories

    theme = factories.make_theme(slug="openbare-orde", name="Openbare orde")
    offering = factories.make_offering(themes=[theme], slug="crisisbeheersing", title="Crisisbeheersing")
    edition = factories.make_edition(offering, start_date=clock.today() + timedelta(days=40), days=2)
    admin = StaffUser(email="beheer@sbo.example", name="Beheerder", role=Role.ADMIN)
    admin.set_password("een lang wachtwoord")
    db.session.add(admin)
    values: dict[str, list] = {
        "slug": [offering.slug, theme.slug],
        "offering_slug": [offering.slug], "theme_slug": [theme.slug], "thema": [theme.slug],
        "edition_id": [edition.id], "offering_id": [offering.id], "theme_id": [theme.id],
        "user_id": [admin.id], "staff_id": [admin.id],
        "id": [edition.id, offering.id, theme.id, admin.id],
    }
    if hasattr(factories, "make_article"):  # the news domain's builders, after the merge
        article = factories.make_article(themes=[theme])
        values["slug"].append(article.slug)
        values.update(article_slug=[article.slug], article_id=[article.id])
        values["id"].append(article.id)
        if hasattr(factories, "make_comment"):
            values["comment_id"] = [factories.make_comment(article).id]
        from sbo.news.services import add_link_document
        values["document_id"] = [add_link_document(article, "Kamerbrief", "https://example.org/brief.pdf").id]
    if hasattr(factories, "make_enrolment"):  # enrolments and the personal links of their e-mails
        from sbo.enrolment.models import InterestRegistration
        from sbo.enrolment.links import enrolment_token, interest_token
        enrolment = factories.make_enrolment(edition, email="deelnemer@voorbeeld.nl")
        interest = InterestRegistration(offering_id=offering.id, name="Belangstellende",
                                        email="belangstelling@voorbeeld.nl")
        db.session.add(interest)
        db.session.flush()
        values["enrolment_id"] = [enrolment.id]
        from sbo.enrolment.passes import pass_code
        values["code"] = [pass_code(enrolment)]
        values["token"] = [enrolment_token(enrolment), interest_token("interest-unsubscribe", interest)]
    from sbo.catalogue.accreditation import RegisterData, create_register, set_accreditation
    register = create_register(RegisterData(name="Register Integriteit", short_name="RI", number_pattern=r"RI-\d{4}",
                                            number_hint="RI- en vier cijfers", provider_details="Erkend opleider 12"))
    set_accreditation(offering, register, Decimal("6"), Decimal("6"))  # the forms ask for registration numbers
    values["register_id"] = [register.id]
    if hasattr(factories, "make_enrolment"):
        code, values["certificate_id"] = _certificate(edition, enrolment)
        values["code"].append(code)
    from sbo.incompany.models import IncompanyRequest  # an in-company request for the staff queue
    incompany = IncompanyRequest(offering_id=offering.id, organisation="Gemeente Voorbeeld",
                                 contact_name="Aanvrager", email="aanvraag@voorbeeld.nl",
                                 participants=10, question="Kan dit bij ons op locatie?")
    db.session.add(incompany)
    db.session.flush()
    values["request_id"] = [incompany.id]
    # a contact person and a discount on the offering, so that its page shows both (issue 17)
    from sbo.catalogue.contacts import ContactData, create_contact, set_offering_contact
    from sbo.catalogue.models import Discount
    contact = create_contact(ContactData(name="Contactpersoon", role="Adviseur", phone="030 123 45 67"))
    set_offering_contact(offering, contact.id)
    db.session.add(Discount(offering_id=offering.id, kind="group", min_participants=3, percent=Decimal("10")))
    values["contact_id"] = [contact.id]
    db.session.commit()
    return {"admin_id": admin.id, **values}


def _certificate(edition, enrolment) -> tuple[str, list[int]]:
    """A certificate (the participant attended every day), so that the verification page, the
    certificates page and the points export resolve: its code and [id]."""
    from sbo.attendance.services import mark_arrived
    from sbo.certificates.queries import display_code
    from sbo.certificates.services import issue

    for session in edition.sessions:
        mark_arrived(enrolment, session)
    certificate = issue(enrolment)
    return display_code(certificate.code), [certificate.id]


# The user agent of the staff client and of the browser: Flask-Login's "strong" session
# protection ties a session to the user agent and address it was made for.
USER_AGENT = "SBO-kwaliteitstests"


def log_in(app: Flask, client, user_id: int) -> None:
    """Log a test client in as a staff user through Flask-Login's session keys."""
    from sbo.extensions import login

    client.environ_base["HTTP_USER_AGENT"] = USER_AGENT
    from sbo.extensions import db
    from sbo.staff.models import StaffUser
    from sbo.staff.sessions import start_session

    with app.test_request_context(headers={"User-Agent": USER_AGENT},
                                  environ_base={"REMOTE_ADDR": "127.0.0.1"}):
        identifier = login._session_identifier_generator()
        token = start_session(db.session.get(StaffUser, user_id))  # a login, as the login page makes
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
        session["_id"] = identifier


def _fallback(rule: Rule, name: str):
    converter = rule._converters.get(name)
    kind = type(converter).__name__ if converter else ""
    return 1 if kind in ("IntegerConverter", "NumberConverter") else "x"


def build_urls(app: Flask, rule: Rule, samples: dict[str, list]) -> list[str]:
    """Candidate URLs for a rule: each sample value per argument, then the 1/"x" fallback."""
    arguments = sorted(rule.arguments)
    if not arguments:
        return [rule.rule]
    choices = [samples.get(name) or [_fallback(rule, name)] for name in arguments]
    options = [dict(zip(arguments, combo)) for combo in itertools.islice(itertools.product(*choices), 24)]
    options.append({name: _fallback(rule, name) for name in arguments})
    urls = []
    with app.test_request_context():
        for values in options:
            try:
                url = app.url_for(rule.endpoint, **values)
            except Exception:  # a converter refused the value
                continue
            if url not in urls:
                urls.append(url)
    return urls


def rules(app: Flask, method: str):
    for rule in app.url_map.iter_rules():
        if method not in (rule.methods or ()) or rule.endpoint in SKIP_ENDPOINTS:
            continue
        if method == "GET" and re.search(r"logout|uitlog", rule.endpoint + rule.rule):
            continue  # a GET that logs out would end the staff session of the walk
        yield rule


def sitemap_urls(client) -> list[str]:
    response = client.get("/sitemap.xml")
    if response.status_code != 200:
        return []
    urls = []
    for loc in re.findall(r"<loc>\s*([^<\s]+)\s*</loc>", response.get_data(as_text=True)):
        parts = urlsplit(loc)
        urls.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return urls


def discover_pages(app: Flask, client, staff_client, samples) -> list[tuple[str, object]]:
    """[(url, client)]: every page that answers 200 HTML, with the client to fetch it with."""
    found: list[tuple[str, object]] = []
    seen: set[str] = set()

    def consider(url: str, must_exist: bool) -> None:
        if url in seen:
            return
        seen.add(url)
        who = staff_client if url.startswith(STAFF_PREFIX) else client
        response = who.get(url)
        if who is staff_client and response.status_code != 200:  # e.g. the login page
            who, response = client, client.get(url)
        if must_exist:
            assert response.status_code == 200, f"{url} answered {response.status_code}"
        if response.status_code == 200 and response.mimetype == "text/html":
            found.append((url, who))

    for url in PAGES + STAFF_PAGES:
        consider(url, must_exist=True)
    for rule in rules(app, "GET"):
        for url in build_urls(app, rule, samples):
            consider(url, must_exist=False)
    for url in sitemap_urls(client):
        consider(url, must_exist=True)
    return found


class FormParser(HTMLParser):
    """The POST forms of a page: [{"action", "fields": [{"name", "type", "value", "options"}]}]."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("method") or "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "keys": a.get("data-form-keys"), "fields": []}
            self.forms.append(self._form)
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            self._form["fields"].append({"name": a["name"], "type": (a.get("type") or "text").lower(),
                                         "value": a.get("value") or "", "options": []})
        elif tag == "textarea":
            self._textarea = {"name": a["name"], "type": "textarea", "value": "", "options": []}
            self._form["fields"].append(self._textarea)
        elif tag == "select":
            self._select = {"name": a["name"], "type": "select", "value": "", "options": []}
            self._form["fields"].append(self._select)
        elif tag == "button" and a.get("name"):
            self._form["fields"].append({"name": a["name"], "type": "submit",
                                         "value": a.get("value") or "", "options": []})

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def post_forms(html: str, client=None) -> list[dict]:
    """The page's POST forms. With a client, a form whose script fetches its CSRF token and
    start time (data-form-keys: the comment form) gets them, as the script would."""
    parser = FormParser()
    parser.feed(html)
    for form in parser.forms:
        if client is not None and form["keys"]:
            keys = client.get(form["keys"]).get_json()
            for field in form["fields"]:
                field["value"] = keys.get(field["name"], field["value"])
    return parser.forms


def form_token(form: dict) -> str | None:
    """The CSRF token a form sends (None: it has none)."""
    return next((f["value"] for f in form["fields"] if f["name"] == "csrf_token" and f["value"]), None)
