"""What the benchmark measures. Adding a page or a form is adding one entry here.

A path is a string or a function of the data set's facts (see dataset.py); a function that
returns None means "this data set has no such page yet" and the row is reported as skipped.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable
from urllib.parse import urlencode

from bench.burst import FormTarget

Path = str | Callable[[dict], str | None]


@dataclass
class Page:
    name: str
    path: Path
    weigh: bool = False  # also report the page weight (HTML + same-origin assets)
    staff: bool = False  # requested with the session cookie of the data set's staff account

    def resolve(self, facts: dict) -> str | None:
        return self.path(facts) if callable(self.path) else self.path


def _when(*keys: str) -> Callable[[Callable[[dict], str]], Callable[[dict], str | None]]:
    """Only when the facts hold `keys` (the builder for that domain has run)."""
    def wrap(make: Callable[[dict], str]) -> Callable[[dict], str | None]:
        return lambda facts: make(facts) if all(key in facts for key in keys) else None
    return wrap


PAGES: list[Page] = [
    Page("home", "/", weigh=True),
    Page("catalogue", "/aanbod", weigh=True),
    Page("catalogue filtered", _when("offering_type", "theme_slug")(
        lambda f: "/aanbod?" + urlencode({"type": f["offering_type"], "thema": f["theme_slug"]}))),
    Page("catalogue search", _when("search_term")(lambda f: "/aanbod?" + urlencode({"q": f["search_term"]}))),
    Page("offering", _when("offering_slug")(lambda f: f"/aanbod/{f['offering_slug']}")),
    Page("article, 2,000 comments", _when("busy_article_slug")(lambda f: f"/nieuws/{f['busy_article_slug']}"),
         weigh=True),
    # staff list pages (logged in: never from the page cache)
    Page("staff offerings", _when("staff_email")(lambda f: "/beheer/aanbod"), staff=True),
    Page("staff comment queue", _when("staff_email")(lambda f: "/beheer/reacties"), staff=True),
    Page("staff enrolments", _when("staff_email", "participant_edition")(  # 310, fixed (dataset.PARTICIPANTS)
        lambda f: f"/beheer/edities/{f['participant_edition']}/inschrijvingen"), staff=True),
]

STAFF_LOGIN = "/beheer/login"


def staff_login_fields(facts: dict) -> dict:
    return {"email": facts["staff_email"], "password": facts["staff_password"]}



def _enrolment_fields(i: int, facts: dict) -> dict:
    return {"first_name": "Deel", "last_name": f"Nemer {i}", "email": f"bench-{facts['run_id']}-{i}@example.org",
            "organisation": "Gemeente Proefstad", "join_waiting_list": "y", "terms": "y"}


def _comment_fields(i: int, facts: dict) -> dict:
    return {"body": f"Een reactie van lezer {i} ({facts['run_id']}).", "author_name": f"Lezer {i}",
            "author_email": f"bench-{facts['run_id']}-{i}@example.org", "homepage": ""}


# POST bursts. The comment form's parent_id comes from the page, its started with the token it fetches.
# The run sets SBO_COMMENT_MIN_SECONDS=0 and SBO_COMMENT_FLOOD_SECONDS=0 (see run.py).
FORMS: list[FormTarget] = [
    FormTarget("enrolment", _when("enrolment_editions")(
        lambda f: f"/aanbod/{f['enrolment_slug']}/inschrijven/{f['enrolment_editions'][0]}"),
        fields=_enrolment_fields),
    FormTarget("comment", _when("busy_article_slug")(lambda f: f"/nieuws/{f['busy_article_slug']}"),
               fields=_comment_fields, hidden_fields=("started", "parent_id")),
]
