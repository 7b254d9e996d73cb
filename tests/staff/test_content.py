"""News articles from /beheer: list with search and status, create, edit (slug stable, Dutch
time, related offerings and articles in order), preview, unpublish; audit entries."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from sbo.clock import utcnow
from sbo.extensions import db
from sbo.news.models import Article
from tests.factories import make_article, make_offering, make_theme
from tests.staff.helpers import audit_actions


def _form(**overrides):
    data = {"title": "Nieuwe Omgevingswet van kracht", "slug": "", "publish_date": "01-03-2027",
            "publish_time": "10:30", "lead": "Wat verandert er voor gemeenten?",
            "body": "## Wat verandert er\n\nVeel. **Let op** de termijnen.", "comments_open_days": "",
            "offerings-0": "0", "offerings-1": "0", "offerings-2": "0", "offerings-3": "0",
            "related-0": "0", "related-1": "0", "related-2": "0"}
    data.update(overrides)
    return data


def _article(app, article_id: int) -> Article:
    with app.app_context():
        article = db.session.get(Article, article_id)
        result = (article.title, article.slug, article.published_at, article.lead, article.body,
                  article.comments_open_days, [t.name for t in article.themes],
                  [link.offering_id for link in article.offering_links],
                  [link.related_id for link in article.related_links])
        return result


def _count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Article))


def test_create_an_article_with_themes_and_related_items_in_order(app, setup_data, logged_in, post_form):
    with setup_data():
        theme = make_theme(name="Omgevingsrecht")
        first, second = make_offering(title="Eerste"), make_offering(title="Tweede")
        older = make_article(title="Eerder nieuws")
        ids = (theme.id, first.id, second.id, older.id)
    theme_id, first_id, second_id, older_id = ids
    client, _ = logged_in("editor")
    response = post_form(client, "/beheer/artikelen/nieuw", _form(
        themes=str(theme_id), comments_open_days="14",
        **{"offerings-0": str(second_id), "offerings-1": "0", "offerings-2": str(first_id),
           "offerings-3": str(second_id), "related-1": str(older_id)}))
    assert response.status_code == 302
    with app.app_context():
        article_id = db.session.scalar(select(Article.id).where(Article.slug == "nieuwe-omgevingswet-van-kracht"))
    assert response.location == f"/beheer/artikelen/{article_id}/documenten"
    title, slug, published_at, lead, body, days, themes, offerings, related = _article(app, article_id)
    assert (title, slug, lead, days, themes) == ("Nieuwe Omgevingswet van kracht", "nieuwe-omgevingswet-van-kracht",
                                                 "Wat verandert er voor gemeenten?", 14, ["Omgevingsrecht"])
    assert published_at == datetime(2027, 3, 1, 9, 30)  # 10:30 Dutch winter time, stored as UTC
    assert offerings == [second_id, first_id] and related == [older_id]
    assert audit_actions(app, "article", article_id) == ["article.created"]
    edit = client.get(f"/beheer/artikelen/{article_id}").get_data(as_text=True)
    assert 'value="2027-03-01"' in edit and 'value="10:30"' in edit and "Artikel aangemaakt" in edit


def test_slug_is_stable_unique_and_changeable_on_purpose(app, setup_data, logged_in, post_form):
    with setup_data():
        make_article(slug="bestaat-al", title="Bestaat al")
        article = make_article(slug="oude-titel", title="Oude titel")
        article_id = article.id
    client, _ = logged_in("editor")
    url = f"/beheer/artikelen/{article_id}"
    assert post_form(client, url, _form(title="Nieuwe titel")).status_code == 302
    assert _article(app, article_id)[:2] == ("Nieuwe titel", "oude-titel")
    taken = post_form(client, url, _form(title="Nog nieuwer", slug="bestaat-al"))
    assert taken.status_code == 422
    page = taken.get_data(as_text=True)
    assert "Dit webadres is al in gebruik." in page and 'value="Nog nieuwer"' in page
    assert _article(app, article_id)[:2] == ("Nieuwe titel", "oude-titel")
    assert post_form(client, url, _form(slug="nieuw-adres")).status_code == 302
    assert _article(app, article_id)[1] == "nieuw-adres"
    assert audit_actions(app, "article", article_id) == ["article.updated", "article.updated"]
    # a new article with a taken title gets a numbered slug
    assert post_form(client, "/beheer/artikelen/nieuw", _form(title="Bestaat al")).status_code == 302
    with app.app_context():
        assert db.session.scalar(select(Article.id).where(Article.slug == "bestaat-al-2")) is not None


def test_bad_input_is_422_in_dutch_and_stores_nothing(app, logged_in, post_form):
    client, _ = logged_in("editor")
    cases = [
        (_form(title=""), "Vul een titel in."),
        (_form(title="x" * 201), "De titel mag hoogstens 200 tekens hebben."),
        (_form(slug="Met Spaties"), "Gebruik alleen kleine letters"),
        (_form(publish_date="31-02-2027"), "Vul een datum in, bijvoorbeeld 12-03-2027."),
        (_form(publish_date="", publish_time="10:00"), "Vul ook een publicatiedatum in"),
        (_form(publish_time="25:00"), "Vul een tijd in als uu:mm"),
        (_form(comments_open_days="-1"), "Vul een aantal dagen tussen 0 en 3650 in."),
        (_form(lead="x" * 601), "De inleiding mag hoogstens 600 tekens hebben."),
        (_form(**{"offerings-0": "999"}), "Not a valid choice"),
    ]
    for data, message in cases:
        response = post_form(client, "/beheer/artikelen/nieuw", data)
        assert response.status_code == 422, message
        page = response.get_data(as_text=True)
        assert "Controleer het formulier" in page, message
        if message != "Not a valid choice":
            assert message in page
    assert _count(app) == 0


def test_preview_renders_sanitised_markdown_and_saves_nothing(app, logged_in, post_form):
    client, _ = logged_in("editor")
    response = post_form(client, "/beheer/artikelen/nieuw", _form(
        voorbeeld="1", body="# Kop\n\n**vet** <script>alert(1)</script> [link](javascript:alert(1))"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "Nog niet opgeslagen" in page
    assert "<h2>Kop</h2>" in page and "<strong>vet</strong>" in page
    assert "<script>alert(1)" not in page and 'href="javascript:' not in page
    assert "Kop\n\n**vet**" in page  # the text stays in the form
    assert _count(app) == 0


def test_list_search_status_and_unpublish(app, setup_data, logged_in, post_form):
    now = utcnow()
    with setup_data():
        public = make_article(title="Gepubliceerd stuk", published_at=now - timedelta(days=2)).id
        make_article(title="Gepland stuk", published_at=now + timedelta(days=3))
        make_article(title="Concept stuk", published_at=None)
    client, _ = logged_in("editor")
    page = client.get("/beheer/artikelen").get_data(as_text=True)
    assert page.index("Concept stuk") < page.index("Gepland stuk") < page.index("Gepubliceerd stuk")
    assert 'href="/beheer/artikelen" aria-current="page">Artikelen' in page
    assert "3 artikelen." in page
    with setup_data():  # the number of all articles is kept per content generation
        make_article(title="Nog een concept", published_at=None)
    assert "4 artikelen." in client.get("/beheer/artikelen").get_data(as_text=True)
    only = client.get("/beheer/artikelen?status=gepland").get_data(as_text=True)
    assert "Gepland stuk" in only and "Concept stuk" not in only and "Gepubliceerd stuk" not in only
    found = client.get("/beheer/artikelen?q=CONCEPT").get_data(as_text=True)
    assert "Concept stuk" in found and "Gepland stuk" not in found
    assert client.get("/beheer/artikelen?q=%25_\\&status=zomaar&page=99").status_code == 200

    with app.app_context():
        slug = db.session.get(Article, public).slug
    assert client.get(f"/nieuws/{slug}").status_code == 200
    response = post_form(client, f"/beheer/artikelen/{public}/offline", {}, page=f"/beheer/artikelen/{public}")
    assert response.status_code == 302
    assert _article(app, public)[2] is None
    assert client.get(f"/nieuws/{slug}").status_code == 404
    assert audit_actions(app, "article", public) == ["article.unpublished"]
    post_form(client, f"/beheer/artikelen/{public}/offline", {}, page=f"/beheer/artikelen/{public}")
    assert audit_actions(app, "article", public) == ["article.unpublished"]


def test_the_audit_log_shows_article_entries_in_dutch(app, logged_in, post_form):
    client, _ = logged_in("admin")
    post_form(client, "/beheer/artikelen/nieuw", _form(title="Voor het logboek"))
    page = client.get("/beheer/logboek").get_data(as_text=True)
    assert "Artikel aangemaakt" in page and "Voor het logboek" in page


def test_staff_close_and_reopen_the_comments_of_an_article(app, setup_data, logged_in, post_form):
    """Issue 11: comments stay open unless staff close them per article (a checkbox)."""
    with setup_data():
        article = make_article(title="Verslag congres", published_at=utcnow() - timedelta(days=400))
        article_id, slug = article.id, article.slug
    client, _ = logged_in("editor")
    form_page = client.get(f"/beheer/artikelen/{article_id}").get_data(as_text=True)
    assert 'name="comments_closed"' in form_page and "Reacties sluiten" in form_page
    assert "Geef een reactie" in app.test_client().get(f"/nieuws/{slug}").get_data(as_text=True)

    old = _form(title="Verslag congres", slug=slug, publish_date="01-03-2025")
    response = post_form(client, f"/beheer/artikelen/{article_id}", {**old, "comments_closed": "y"})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Article, article_id).comments_closed is True
    closed = app.test_client().get(f"/nieuws/{slug}").get_data(as_text=True)
    assert "De reacties bij dit artikel zijn gesloten." in closed and "Geef een reactie" not in closed

    response = post_form(client, f"/beheer/artikelen/{article_id}", old)  # box unticked
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Article, article_id).comments_closed is False
    assert "Geef een reactie" in app.test_client().get(f"/nieuws/{slug}").get_data(as_text=True)
