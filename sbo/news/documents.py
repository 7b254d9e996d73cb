"""Checking an uploaded article document before it is stored: the extension must be on the
list AND the bytes must look like that kind of file (magic bytes; the Office and ODF formats
are ZIP packages, opened to check their parts). A file that fails is never written."""
from __future__ import annotations

import io
import zipfile
from pathlib import PurePath

from flask import current_app
from werkzeug.utils import secure_filename

ALLOWED = ("pdf", "docx", "xlsx", "pptx", "odt", "csv", "txt")
ALLOWED_TEXT = "PDF, DOCX, XLSX, PPTX, ODT, CSV of TXT"
# Shown inline in the browser; everything else is served as a download.
INLINE_TYPES = {"PDF"}
MIME_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "odt": "application/vnd.oasis.opendocument.text",
    "csv": "text/csv",
    "txt": "text/plain",
}
_OOXML_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"


class DocumentRejected(Exception):
    """The upload is not accepted; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def max_bytes() -> int:
    return int(current_app.config["DOCUMENT_MAX_BYTES"])


def clean_filename(filename: str) -> str:
    """The download name: no folders, no '..', only safe characters ('../../x.pdf' → 'x.pdf')."""
    base = PurePath((filename or "").replace("\\", "/")).name
    return secure_filename(base)[:200]


def _zip_names(data: bytes) -> zipfile.ZipFile | None:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError):
        return None


def _looks_like(extension: str, data: bytes) -> bool:
    if extension == "pdf":
        return data.startswith(b"%PDF-")
    if extension in _OOXML_PART or extension == "odt":
        if not data.startswith(b"PK\x03\x04"):
            return False
        package = _zip_names(data)
        if package is None:
            return False
        with package:
            names = set(package.namelist())
            if extension == "odt":
                return "mimetype" in names and package.read("mimetype").strip() == _ODT_MIMETYPE
            return "[Content_Types].xml" in names and _OOXML_PART[extension] in names
    # csv, txt: text, so no magic bytes; refuse binary content (NUL bytes, not UTF-8 or Latin-1)
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return all(b >= 0x20 or b in (9, 10, 13) for b in data[:4096])
    return True


def check_document(filename: str, data: bytes) -> tuple[str, str]:
    """(clean download name, type label such as 'PDF') or DocumentRejected."""
    name = clean_filename(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if not name or not extension or name.startswith("."):
        raise DocumentRejected("Deze bestandsnaam kunnen we niet gebruiken. Geef het bestand een gewone naam, "
                               "bijvoorbeeld rapport.pdf.")
    if extension not in ALLOWED:
        raise DocumentRejected(f"Dit soort bestand kun je niet uploaden. Kies een {ALLOWED_TEXT}-bestand.")
    if not data:
        raise DocumentRejected("Dit bestand is leeg.")
    limit = max_bytes()
    if len(data) > limit:
        megabytes = f"{limit / 1_000_000:g}".replace(".", ",")
        raise DocumentRejected(f"Dit bestand is te groot: hoogstens {megabytes} MB.")
    if not _looks_like(extension, data):
        raise DocumentRejected(f"De inhoud van dit bestand past niet bij de extensie .{extension}. "
                               "Controleer of je het goede bestand hebt gekozen.")
    return name, extension.upper()
