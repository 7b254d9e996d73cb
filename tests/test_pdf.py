"""sbo/pdf.py: a template becomes a tagged PDF whose text reads back; nothing remote is fetched."""
import io

import pypdf
import pytest
from sbo import pdf


def test_a_template_becomes_a_pdf_whose_text_reads_back(app_ctx, tmp_path):
    (tmp_path / "doc.html").write_text(
        '{% extends "pdf/base.html" %}{% block title %}Proef{% endblock %}'
        "{% block body %}<h1>Bewijs van deelname</h1><p>{{ name }} – € 1.234,50</p>{% endblock %}")
    app_ctx.jinja_loader.searchpath.append(str(tmp_path))
    data = pdf.render_pdf("doc.html", name="Jan <b>de</b> Vries")
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = reader.pages[0].extract_text()
    assert "Bewijs van deelname" in text
    assert "Jan <b>de</b> Vries – € 1.234,50" in text  # escaped, not markup
    assert "pagina 1 van 1" in text
    assert reader.metadata.title == "Proef"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged


def test_local_images_are_fetched_and_remote_or_outside_files_refused(app_ctx):
    fetcher = pdf.LocalFetcher(app_ctx.static_folder)
    with pytest.raises(pdf.RemoteResource):
        fetcher.fetch("https://example.org/logo.png")
    with pytest.raises(pdf.RemoteResource):
        fetcher.fetch("file:///etc/passwd")
    pixel = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
    assert fetcher.fetch(pixel).read().startswith(b"\x89PNG")
    data = pdf.html_to_pdf(f'<html lang="nl"><title>t</title><img src="{pixel}" alt="punt">')
    assert pypdf.PdfReader(io.BytesIO(data)).pages[0].images  # the image is in the PDF
