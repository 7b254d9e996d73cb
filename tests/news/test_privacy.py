"""The e-mail address of a commenter never reaches a public response, and every field of a
comment comes back escaped."""
from __future__ import annotations

import uuid
from urllib.parse import quote

from sqlalchemy import select

from sbo.catalogue.models import Offering
from sbo.extensions import db
from sbo.news import services
from sbo.news.models import Article, Comment
from tests.factories import make_article, make_comment, make_offering, make_theme


def public_urls(app) -> list[str]:
    """Every GET route without arguments, plus every article, offering and feed URL."""
    urls = set()
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments and not rule.rule.startswith("/static"):
            urls.add(rule.rule)
    with app.app_context():
        for slug in db.session.scalars(select(Article.slug)):
            urls |= {f"/nieuws/{slug}", f"/nieuws/{slug}?reacties=2"}
        for comment in db.session.scalars(select(Comment)):
            urls |= {f"/nieuws/{comment.article.slug}?antwoord={comment.id}",
                     f"/nieuws/{comment.article.slug}/reacties/{comment.id}"}
        for slug in db.session.scalars(select(Offering.slug)):
            urls.add(f"/aanbod/{slug}")
        urls |= {path for path, _ in services.sitemap_urls()}
    urls |= {"/nieuws/feed.xml", "/nieuws?pagina=1", "/nieuws/bestaat-niet", "/sitemap.xml",
             "/robots.txt"}
    return sorted(urls)


def test_email_addresses_appear_in_no_public_response(make_app, post_comment):
    app = make_app(COMMENT_MIN_SECONDS=0, COMMENT_FLOOD_SECONDS=0, COMMENT_THREADS_PER_PAGE=2)
    with app.app_context():
        theme = make_theme()
        make_offering(themes=[theme])
        slug = make_article(themes=[theme]).slug
        make_article(themes=[theme])
        db.session.commit()
    addresses = [f"geheim-{uuid.uuid4().hex[:10]}@voorbeeld{i}.nl" for i in range(4)]
    for i, address in enumerate(addresses):
        author = app.test_client()
        response = post_comment(author, slug, body=f"Reactie {i} met https://voorbeeld.nl",
                                author_name=f"Lezer {i}", author_email=address,
                                notify_replies="y", remember="y")
        assert response.status_code == 303
        assert address not in str(response.headers)
    with app.app_context():
        comments = list(db.session.scalars(select(Comment)))
        for comment in comments:
            services.approve_comment(comment)
        services.staff_reply(comments[0], body="Reactie van de redactie", author_name="Redactie",
                             author_email="redactie-geheim@sbo.example")
        db.session.commit()
    addresses.append("redactie-geheim@sbo.example")
    forbidden = addresses + [a.split("@")[0] for a in addresses] + [quote(a) for a in addresses]

    visitor = app.test_client()
    checked = 0
    for url in public_urls(app):
        response = visitor.get(url)
        text = response.get_data(as_text=True) + "\n" + str(response.headers)
        for secret in forbidden:
            assert secret not in text, f"{secret} leaked at {url}"
        checked += 1
    assert checked >= 10
    page = visitor.get(f"/nieuws/{slug}").get_data(as_text=True)
    assert "Lezer 0" in page and "Lezer 1" in page  # the comments really are on show
    assert "Reactie van de redactie" in page


def test_script_injection_comes_back_escaped(app, setup_data, client, post_comment):
    with setup_data():
        slug = make_article().slug
    payload = "<script>alert('x')</script>"
    response = post_comment(client, slug, body=f"Tekst {payload}\"><img src=x onerror=alert(1)>",
                            author_name=f"Naam {payload}",
                            author_url=f"https://voorbeeld.nl/?q=\"><script>alert(1)</script>")
    assert response.status_code in (303, 422)
    if response.status_code == 422:  # the website field refused it: try again without
        assert "<script>alert" not in response.get_data(as_text=True)
        response = post_comment(client, slug, body=f"Tekst {payload}\"><img src=x onerror=alert(1)>",
                                author_name=f"Naam {payload}")
    bad_email = post_comment(client, slug, body="Andere tekst", author_email=f"{payload}@voorbeeld.nl")
    assert bad_email.status_code == 422
    assert "<script>alert" not in bad_email.get_data(as_text=True)
    with app.app_context():
        for comment in db.session.scalars(select(Comment)):
            services.approve_comment(comment)
        db.session.commit()
    html = app.test_client().get(f"/nieuws/{slug}").get_data(as_text=True)
    assert "Naam &lt;script&gt;" in html and "Tekst &lt;script&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert 'onerror=alert(1)>' not in html


def test_error_page_and_feed_carry_no_address(setup_data, client):
    with setup_data():
        article = make_article()
        make_comment(article, author_email="nooit-zichtbaar@voorbeeld.nl")
    for url in ("/nieuws/feed.xml", "/nieuws/niet-bestaand", "/nieuws?pagina=x"):
        response = client.get(url)
        assert "nooit-zichtbaar" not in response.get_data(as_text=True) + str(response.headers)


def test_website_must_be_http(app, setup_data, client, post_comment):
    with setup_data():
        slug = make_article().slug
    response = post_comment(client, slug, author_url="javascript://voorbeeld.nl/%0Aalert(1)")
    assert response.status_code == 422
    assert "Dit is geen geldig webadres" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Comment)) is None
