"""Documents per article: uploads are checked (extension, magic bytes, size, file name) and a
refused upload changes nothing; links are http(s) only; removing deletes the file; the public
download sends safe headers."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from sbo.extensions import db
from sbo.news.models import ArticleDocument
from tests.factories import make_article, make_staff
from tests.staff.conftest import audit_actions, login

PDF = b"%PDF-1.7\n" + b"0" * 2000


def ooxml(part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        package.writestr(part, "<x/>")
    return buffer.getvalue()


def odt() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        package.writestr("content.xml", "<x/>")
    return buffer.getvalue()


@pytest.fixture
def article_id(setup_data):
    with setup_data():
        article = make_article(title="Met documenten", slug="met-documenten")
        return article.id


def _upload(post_form, client, article_id, filename, data, title=""):
    return post_form(client, f"/beheer/artikelen/{article_id}/documenten/bestand",
                     {"bestand-title": title, "bestand-file": (io.BytesIO(data), filename)},
                     page=f"/beheer/artikelen/{article_id}/documenten")


def _documents(app):
    with app.app_context():
        return [(d.title, d.filename, d.file_type, d.size_bytes, d.url, d.stored_name)
                for d in db.session.scalars(select(ArticleDocument).order_by(ArticleDocument.id))]


def _stored_files(app) -> list[Path]:
    folder = Path(app.instance_path) / "uploads" / "news"
    return sorted(folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("filename,data,file_type", [
    ("Rapport 2027.pdf", PDF, "PDF"),
    ("brief.docx", ooxml("word/document.xml"), "DOCX"),
    ("cijfers.xlsx", ooxml("xl/workbook.xml"), "XLSX"),
    ("dia's.pptx", ooxml("ppt/presentation.xml"), "PPTX"),
    ("notitie.odt", odt(), "ODT"),
    ("lijst.csv", "naam;plaats\r\nJosé;Zwolle\r\n".encode(), "CSV"),
    ("leesmij.txt", b"Gewone tekst.\n", "TXT"),
])
def test_allowed_files_are_stored_under_a_random_name(app, logged_in, post_form, article_id, filename, data, file_type):
    client, _ = logged_in("editor")
    response = _upload(post_form, client, article_id, filename, data, title="Bijlage")
    assert response.status_code == 302
    [(title, download_name, stored_type, size, url, stored_name)] = _documents(app)
    assert (title, stored_type, size, url) == ("Bijlage", file_type, len(data), None)
    assert download_name.endswith("." + file_type.lower()) and "/" not in download_name
    assert stored_name != download_name and len(stored_name) >= 32
    assert [p.name for p in _stored_files(app)] == [stored_name]
    assert (_stored_files(app)[0]).read_bytes() == data
    assert audit_actions(app, "article", article_id) == ["document.added"]


@pytest.mark.parametrize("filename,data,message", [
    ("script.exe", b"MZ\x90\x00", "Dit soort bestand kun je niet uploaden."),
    ("pagina.html", b"<html><script>alert(1)</script>", "Dit soort bestand kun je niet uploaden."),
    ("rapport.pdf.exe", PDF, "Dit soort bestand kun je niet uploaden."),
    ("geen-extensie", PDF, "Deze bestandsnaam kunnen we niet gebruiken."),
    ("nep.pdf", b"<html>dit is geen pdf</html>", "past niet bij de extensie .pdf"),
    ("nep.docx", PDF, "past niet bij de extensie .docx"),
    ("verkeerd.xlsx", ooxml("word/document.xml"), "past niet bij de extensie .xlsx"),
    ("nep.odt", ooxml("word/document.xml"), "past niet bij de extensie .odt"),
    ("binair.txt", b"abc\x00\x01\x02", "past niet bij de extensie .txt"),
    ("leeg.pdf", b"", "Dit bestand is leeg."),
    ("../../../etc/passwd", b"root:x:0:0", "Deze bestandsnaam kunnen we niet gebruiken."),
    ("..\\..\\boot.ini", b"[boot]", "Dit soort bestand kun je niet uploaden."),
])
def test_refused_uploads_change_nothing(app, logged_in, post_form, article_id, filename, data, message):
    client, _ = logged_in("editor")
    response = _upload(post_form, client, article_id, filename, data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert message in page and "Controleer het formulier" in page
    assert _documents(app) == [] and _stored_files(app) == []
    assert audit_actions(app, "article", article_id) == []


def test_too_big_a_file_is_refused(make_app, post_form):
    app = make_app(DOCUMENT_MAX_BYTES=5000)
    with app.app_context():
        article_id = make_article().id
        email = make_staff("editor").email
        db.session.commit()
    client = app.test_client()
    login(client, email)
    response = _upload(post_form, client, article_id, "groot.pdf", PDF + b"0" * 5000)
    assert response.status_code == 422
    assert "Dit bestand is te groot: hoogstens 0,005 MB." in response.get_data(as_text=True)
    assert _documents(app) == [] and _stored_files(app) == []
    assert _upload(post_form, client, article_id, "klein.pdf", PDF).status_code == 302


def test_a_path_in_the_filename_is_dropped(app, logged_in, post_form, article_id):
    client, _ = logged_in("editor")
    response = _upload(post_form, client, article_id, "../../../../tmp/evil.pdf", PDF)
    assert response.status_code == 302
    [(title, download_name, *_rest, stored_name)] = _documents(app)
    assert download_name == "evil.pdf" and title == "evil.pdf"
    assert [p.name for p in _stored_files(app)] == [stored_name]
    assert not (Path(app.instance_path).parent / "tmp" / "evil.pdf").exists()


def test_no_file_chosen(app, logged_in, post_form, article_id):
    client, _ = logged_in("editor")
    response = post_form(client, f"/beheer/artikelen/{article_id}/documenten/bestand", {"bestand-title": "x"},
                         page=f"/beheer/artikelen/{article_id}/documenten")
    assert response.status_code == 422
    assert "Kies een bestand." in response.get_data(as_text=True)
    assert _documents(app) == []


def test_links_are_http_or_https_only(app, logged_in, post_form, article_id):
    client, _ = logged_in("editor")
    url = f"/beheer/artikelen/{article_id}/documenten/link"
    page = f"/beheer/artikelen/{article_id}/documenten"
    for bad in ("javascript:alert(1)", "ftp://example.org/x", "//example.org", "https://", "data:text/html,x"):
        response = post_form(client, url, {"link-title": "Slecht", "link-url": bad}, page=page)
        assert response.status_code == 422, bad
        assert "begint met http:// of https://" in response.get_data(as_text=True)
    assert _documents(app) == []
    response = post_form(client, url, {"link-title": "Kamerbrief", "link-url": "https://www.rijksoverheid.nl/brief"},
                         page=page)
    assert response.status_code == 302
    assert _documents(app) == [("Kamerbrief", None, "Webpagina", None, "https://www.rijksoverheid.nl/brief", None)]
    assert audit_actions(app, "article", article_id) == ["document.added"]


def test_remove_a_document_deletes_row_and_file(app, logged_in, post_form, article_id):
    client, _ = logged_in("editor")
    _upload(post_form, client, article_id, "weg.pdf", PDF, title="Weg ermee")
    _upload(post_form, client, article_id, "blijft.txt", b"blijft", title="Blijft")
    with app.app_context():
        document_id = db.session.scalar(select(ArticleDocument.id).where(ArticleDocument.title == "Weg ermee"))
    response = post_form(client, f"/beheer/documenten/{document_id}/verwijderen", {},
                         page=f"/beheer/artikelen/{article_id}/documenten")
    assert response.status_code == 302
    [remaining] = _documents(app)
    assert remaining[0] == "Blijft"
    assert [p.name for p in _stored_files(app)] == [remaining[5]]
    with app.app_context():
        assert db.session.scalar(select(func.min(ArticleDocument.position))) == 0
    assert audit_actions(app, "article", article_id) == ["document.added", "document.added", "document.removed"]


def test_public_download_headers(app, logged_in, post_form, article_id):
    client, _ = logged_in("editor")
    _upload(post_form, client, article_id, "rapport.pdf", PDF, title="Rapport")
    _upload(post_form, client, article_id, "cijfers.csv", b"=1+1;b\r\n", title="Cijfers")
    with app.app_context():
        ids = dict(db.session.execute(select(ArticleDocument.title, ArticleDocument.id)).all())
    public = app.test_client()
    page = public.get("/nieuws/met-documenten").get_data(as_text=True)
    assert "Rapport" in page and "(PDF, 2 kB)" in page and "Cijfers" in page
    pdf = public.get(f"/nieuws/documenten/{ids['Rapport']}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("inline")
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    csv_file = public.get(f"/nieuws/documenten/{ids['Cijfers']}")
    assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"
    assert csv_file.headers["Content-Disposition"] == "attachment; filename=cijfers.csv"
    assert csv_file.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in csv_file.headers["Content-Security-Policy"]


def test_a_failed_save_leaves_no_orphan_file(app, logged_in, post_form, article_id, monkeypatch):
    client, _ = logged_in("editor")

    def broken_record(*args, **kwargs):
        raise RuntimeError("database gone")
    monkeypatch.setattr("sbo.news.services.log_action", broken_record)
    response = _upload(post_form, client, article_id, "rapport.pdf", PDF)
    assert response.status_code == 500  # the error page; the transaction was rolled back
    assert _documents(app) == [] and _stored_files(app) == []
