"""Issue 18: the article page, read from plain rows and the content memo, shows what it showed
when it was drawn from ORM objects on every request. A varied article (themes, documents,
chosen and filled-up related items, threads with replies three deep, a staff reply, an author
link, text to escape, a pending comment of the visitor's own, a second page of threads, a
reply form) is compared with the page as drawn before the change (tests/news/golden/, written
by that code), apart from whitespace between tags, the per-visitor tokens and the database ids.
Set NEWS_WRITE_GOLDEN=1 to write the files anew (only from code known to be right)."""
from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import update

from sbo.extensions import db
from sbo.news import services
from sbo.news.models import Comment, CommentStatus
from tests.factories import make_article, make_comment, make_offering, make_theme
from tests.helpers import comment_keys
from tests.news.helpers import comment_data

GOLDEN = Path(__file__).parent / "golden"
WRITE = os.environ.get("NEWS_WRITE_GOLDEN") == "1"


def _when(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute)


@pytest.fixture
def app(make_app):
    return make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0, COMMENT_THREADS_PER_PAGE=3)


def _build(app) -> tuple[dict[int, str], dict[int, str]]:
    """The article; returns {database id: stable name} of its comments and of its documents."""
    names: dict[int, str] = {}
    documents: dict[int, str] = {}
    with app.app_context():
        safety = make_theme(slug="veiligheid", name="Veiligheid")
        housing = make_theme(slug="wonen", name="Wonen")
        chosen_b = make_offering(slug="gekozen-b", title="Gekozen B", teaser="Tijdens B leer je veel.")
        chosen_a = make_offering(slug="gekozen-a", title="Gekozen A", teaser="Tijdens A & B leer je <meer>.",
                                 type="congres")
        make_offering(slug="zelfde-thema", title="Zelfde thema", themes=[safety], teaser="Het thema.")
        make_offering(slug="verborgen", title="Verborgen", themes=[safety], published=False)
        other = make_article(slug="ander-nieuws", title="Ander nieuws", lead="Een ander <verhaal>.",
                             published_at=_when(1, 9))
        make_article(slug="zelfde-thema-nieuws", title="Zelfde thema nieuws", lead="x" * 200,
                     themes=[housing], published_at=_when(2, 9))
        make_article(slug="later", title="Later", themes=[housing], published_at=datetime(2099, 1, 1))
        article = make_article(slug="het-artikel", title="Het artikel & meer", lead="Een inleiding <b>vet</b>.",
                               body="# Kop\n\nTekst met *nadruk* en [een link](https://voorbeeld.nl).\n\n"
                                    "<script>alert(1)</script>",
                               themes=[safety, housing], published_at=_when(3, 8, 30))
        services.set_related_offerings(article, [chosen_b, chosen_a])
        services.set_related_articles(article, [other])
        services.add_document(article, "Rapport", data=b"%PDF" + b"x" * 1_234_563,
                              filename="rapport.pdf", file_type="PDF")
        services.add_document(article, "Kamerbrief", url="https://voorbeeld.nl/brief?a=1&b=2",
                              file_type="Webpagina")
        make_article(slug="stil", title="Stil artikel", lead="Niets aan de hand.", body="Rustig.",
                     published_at=_when(4, 8))
        comments = []
        first = make_comment(article, body="Eerste <b>reactie</b> met https://voorbeeld.nl/x en\nregel twee.",
                             author_name="Anna", author_email="anna@voorbeeld.nl",
                             author_url="https://anna.example/?a=1&b=2", now=_when(3, 10))
        reply = make_comment(article, parent=first, body="Een antwoord", author_name="Bert",
                             author_email="bert@voorbeeld.nl", now=_when(3, 11))
        deeper = make_comment(article, parent=reply, body="Nog dieper", author_name="Carla <c>",
                              author_email="carla@voorbeeld.nl", author_url="javascript:alert(1)",
                              now=_when(3, 12))
        staff = make_comment(article, parent=first, body="Van de redactie", author_name="Redactie",
                             author_email="redactie@voorbeeld.nl", is_staff=True, now=_when(3, 12, 5))
        comments += [first, reply, deeper, staff]
        for i in range(5):
            comments.append(make_comment(article, body=f"Los {i}", author_name=f"Lezer {i}",
                                         author_email=f"l{i}@voorbeeld.nl", now=_when(4, 10 + i)))
        comments.append(make_comment(article, status="pending", body="Van iemand anders",
                                     author_name="Ander", author_email="a@voorbeeld.nl", now=_when(5, 9)))
        comments.append(make_comment(article, status="spam", body="Spam", author_name="Spam",
                                     author_email="s@voorbeeld.nl", now=_when(5, 9)))
        db.session.commit()
        for i, comment in enumerate(comments):
            names[comment.id] = f"C{i}"
        for i, document in enumerate(article.documents):
            documents[document.id] = f"D{i}"
    return names, documents


def _post_own(app, client) -> int:
    client.get("/nieuws/het-artikel")
    response = client.post("/nieuws/het-artikel/reageren", data={
        **comment_keys(client), **comment_data(body="Mijn eigen <i>reactie</i>", author_name="Ik", remember="y")})
    assert response.status_code == 303
    with app.app_context():
        own = db.session.scalar(db.select(Comment).where(Comment.author_name == "Ik"))
        assert own.status == CommentStatus.PENDING
        db.session.execute(update(Comment).where(Comment.id == own.id).values(created_at=_when(5, 10)))
        db.session.commit()
        return own.id


def _normal(html: str, names: dict[int, str], documents: dict[int, str]) -> str:
    html = re.sub(r'(name="(?:csrf_token|started)" type="hidden" value=")[^"]+"', r'\1TOKEN"', html)
    html = re.sub(r'(reactie-|antwoord=|name="parent_id" type="hidden" value=")(\d+)',
                  lambda m: m.group(1) + names.get(int(m.group(2)), "?" + m.group(2)), html)
    html = re.sub(r'(documenten/)(\d+)', lambda m: m.group(1) + documents.get(int(m.group(2)), "?"), html)
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<[^>]*>)\s*", r"\1", html).strip()


def test_the_article_page_shows_what_it_showed(app):
    names, documents = _build(app)
    visitor = app.test_client()
    pages = {"page-1": "/nieuws/het-artikel", "page-2": "/nieuws/het-artikel?reacties=2",
             "reply-form": "/nieuws/het-artikel?antwoord={C1}", "quiet": "/nieuws/stil"}
    ids = {name: ident for ident, name in names.items()}
    shown = {}
    for name, path in pages.items():
        response = visitor.get(path.format(**ids))
        assert response.status_code == 200, path
        shown[name] = response.get_data(as_text=True)
    own_client = app.test_client()
    names[_post_own(app, own_client)] = "OWN"
    own_client.get("/nieuws/het-artikel")  # takes the flash
    for name, path in (("own-page-1", "/nieuws/het-artikel"), ("own-page-3", "/nieuws/het-artikel?reacties=3")):
        response = own_client.get(path)
        assert response.status_code == 200, path
        shown[name] = response.get_data(as_text=True)
    assert "Mijn eigen &lt;i&gt;reactie&lt;/i&gt;" in shown["own-page-3"]
    assert "Je reactie wacht op goedkeuring." in shown["own-page-3"]
    for name, html in shown.items():
        path = GOLDEN / f"article-{name}.html"
        if WRITE:
            GOLDEN.mkdir(exist_ok=True)
            path.write_text(_normal(html, names, documents) + "\n")
        assert _normal(html, names, documents) == path.read_text().strip(), name
