"""Contact persons staff keep, one per offering at most: the queries and the services (create,
change, delete, choose for an offering), and their photos under instance/uploads/contacts/.

A photo is accepted only when its bytes are a JPEG, PNG or WebP image (magic bytes, whatever the
file is called) and it is at most CONTACT_PHOTO_MAX_BYTES; it is stored under a random name with
the extension of its real type. Like the other catalogue services these flush and never commit;
their audit entries hold ids and the names of changed fields only (a contact is a person)."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import delete, func, insert, select
from werkzeug.exceptions import NotFound

from ..audit import log_action
from ..extensions import db
from .models import ContactPerson, Offering, offering_contact
from .records import assign

PHOTO_TYPES = {"jpg": (b"\xff\xd8\xff",), "png": (b"\x89PNG\r\n\x1a\n",)}
MIME_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}


class PhotoRejected(Exception):
    """The upload is no photo we take; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class ContactData:
    name: str
    role: str = ""
    email: str = ""
    phone: str = ""


def photo_folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "contacts"


def photo_type(data: bytes) -> str | None:
    """'jpg', 'png' or 'webp' when the bytes are that kind of image, else None."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return next((kind for kind, magic in PHOTO_TYPES.items() if data.startswith(magic)), None)


def check_photo(data: bytes) -> str:
    """The photo's real type ('jpg', 'png', 'webp'), or PhotoRejected."""
    if not data:
        raise PhotoRejected("Dit bestand is leeg.")
    limit = int(current_app.config["CONTACT_PHOTO_MAX_BYTES"])
    if len(data) > limit:
        megabytes = f"{limit / 1_000_000:g}".replace(".", ",")
        raise PhotoRejected(f"Deze foto is te groot: hoogstens {megabytes} MB.")
    kind = photo_type(data)
    if kind is None:
        raise PhotoRejected("Dit is geen foto die we kunnen gebruiken. Kies een JPG-, PNG- of WebP-bestand.")
    return kind


def contacts_by_name() -> list[ContactPerson]:
    return list(db.session.scalars(select(ContactPerson).order_by(ContactPerson.name, ContactPerson.id)))


def contacts_with_offering_counts() -> list[tuple[ContactPerson, int]]:
    counts = (select(func.count()).select_from(offering_contact)
              .where(offering_contact.c.contact_person_id == ContactPerson.id)
              .correlate(ContactPerson).scalar_subquery())
    return [(contact, n) for contact, n in db.session.execute(
        select(ContactPerson, counts).order_by(ContactPerson.name, ContactPerson.id))]


def contact_or_404(contact_id: int) -> ContactPerson:
    contact = db.session.get(ContactPerson, contact_id)
    if contact is None:
        raise NotFound()
    return contact


def _apply(contact: ContactPerson, data: ContactData) -> list[str]:
    return assign(contact, data)


def _store_photo(contact: ContactPerson, photo: bytes | None) -> bool:
    """Write a checked photo (check_photo first) and drop the old one; False when none is given."""
    if photo is None:
        return False
    kind = check_photo(photo)
    old = contact.photo
    contact.photo = f"{uuid.uuid4().hex}.{kind}"
    db.session.flush()  # the row first: a failed flush leaves no file behind
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / contact.photo).write_bytes(photo)
    _remove_file(old)
    return True


def _remove_file(name: str) -> None:
    if name:
        (photo_folder() / name).unlink(missing_ok=True)


def create_contact(data: ContactData, photo: bytes | None = None, *, actor=None) -> ContactPerson:
    contact = ContactPerson()
    _apply(contact, data)
    db.session.add(contact)
    db.session.flush()
    _store_photo(contact, photo)
    log_action("contact.created", "contact_person", contact.id, actor=actor, data={"photo": bool(contact.photo)})
    return contact


def update_contact(contact: ContactPerson, data: ContactData, photo: bytes | None = None,
                   remove_photo: bool = False, *, actor=None) -> list[str]:
    """Change a contact; a new photo replaces the old one. Returns the names of changed fields."""
    changed = _apply(contact, data)
    if _store_photo(contact, photo):
        changed.append("photo")
    elif remove_photo and contact.photo:
        _remove_file(contact.photo)
        contact.photo = ""
        changed.append("photo")
    db.session.flush()
    log_action("contact.updated", "contact_person", contact.id, actor=actor, data={"changed": changed})
    return changed


def delete_contact(contact: ContactPerson, *, actor=None) -> int:
    """Delete a contact; the offerings that named it have none after. Returns how many."""
    offerings = db.session.scalar(select(func.count()).select_from(offering_contact)
                                  .where(offering_contact.c.contact_person_id == contact.id)) or 0
    contact_id, photo = contact.id, contact.photo
    db.session.execute(delete(offering_contact).where(offering_contact.c.contact_person_id == contact_id))
    db.session.delete(contact)
    db.session.flush()
    _remove_file(photo)
    log_action("contact.deleted", "contact_person", contact_id, actor=actor, data={"offerings": offerings})
    return offerings


def set_offering_contact(offering: Offering, contact_id: int | None) -> bool:
    """Choose the offering's contact person (None: nobody). True when it changed."""
    current = db.session.scalar(select(offering_contact.c.contact_person_id)
                                .where(offering_contact.c.offering_id == offering.id))
    if current == contact_id:
        return False
    db.session.execute(delete(offering_contact).where(offering_contact.c.offering_id == offering.id))
    if contact_id is not None:
        db.session.execute(insert(offering_contact).values(offering_id=offering.id, contact_person_id=contact_id))
    db.session.expire(offering, ["contact"])
    db.session.flush()
    return True
