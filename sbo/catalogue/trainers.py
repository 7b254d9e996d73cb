"""Trainers and speakers as records: the table, the links to offerings and programme items, the
queries of their pages and the services staff use (create, change, remove; a checked photo).

Services flush and never commit; each writes an audit entry with ids and the names of the
changed fields only (no names: a trainer is a person)."""
from __future__ import annotations

import io
import secrets
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app
from PIL import Image, UnidentifiedImageError
from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.exceptions import NotFound

from ..audit import log_action
from ..clock import utcnow
from ..extensions import db
from ..slugs import check_slug, slugify, unique_slug
from .records import assign

offering_trainer = Table(
    "offering_trainer",
    db.metadata,
    Column("offering_id", ForeignKey("offering.id", ondelete="CASCADE"), primary_key=True),
    Column("trainer_id", ForeignKey("trainer.id", ondelete="CASCADE"), primary_key=True, index=True),
)


def initials(name: str) -> str:
    """'EZ' for 'mr. Erik Zwart' (titles such as 'mr.' and 'dr.' left out): shown without a photo."""
    words = [word for word in name.split() if not word.endswith(".")] or name.split() or ["?"]
    return (words[0][0] + (words[-1][0] if len(words) > 1 else "")).upper()


class Trainer(db.Model):
    """A trainer or speaker with a public profile at /trainers/<slug>."""
    __tablename__ = "trainer"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(200), default="")  # "adviseur openbare orde, gemeente X"
    bio: Mapped[str] = mapped_column(Text, default="")
    photo_name: Mapped[str | None] = mapped_column(String(80))  # under instance/uploads/trainers/
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    offerings: Mapped[list["Offering"]] = relationship(  # noqa: F821
        secondary=offering_trainer, back_populates="trainers", order_by="Offering.title")

    @property
    def initials(self) -> str:
        """'EZ' for 'mr. Erik Zwart' (titles such as 'mr.' and 'dr.' left out): shown without a photo."""
        return initials(self.name)

    def __repr__(self) -> str:
        return f"<Trainer {self.slug}>"


# == photos ==
PHOTO_TYPES = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
PHOTO_MIME = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
MAX_PIXELS = 6000 * 6000


class PhotoRejected(Exception):
    """The upload is not accepted as a photo; `message` says why, in Dutch."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def check_photo(filename: str, data: bytes) -> str:
    """The file extension to store the photo under, or PhotoRejected. The extension must be an
    image one AND the bytes must decode as that image (Pillow), within size limits."""
    extension = (filename or "").rsplit(".", 1)[-1].lower() if "." in (filename or "") else ""
    extension = "jpg" if extension == "jpeg" else extension
    if extension not in PHOTO_MIME:
        raise PhotoRejected("Kies een foto als JPG-, PNG- of WEBP-bestand.")
    if not data:
        raise PhotoRejected("Dit bestand is leeg.")
    limit = int(current_app.config["TRAINER_PHOTO_MAX_BYTES"])
    if len(data) > limit:
        raise PhotoRejected(f"Deze foto is te groot: hoogstens {limit / 1_000_000:g} MB.".replace(".", ","))
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if width * height > MAX_PIXELS:
                raise PhotoRejected("Deze foto heeft te veel pixels; verklein hem eerst.")
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise PhotoRejected("Dit bestand is geen foto die we kunnen lezen.") from None
    if PHOTO_TYPES.get(kind) != extension:
        raise PhotoRejected(f"De inhoud van dit bestand past niet bij de extensie .{extension}.")
    return extension


def photo_folder() -> Path:
    return Path(current_app.instance_path) / "uploads" / "trainers"


def photo_path(trainer: Trainer) -> Path | None:
    return photo_folder() / trainer.photo_name if trainer.photo_name else None


# == queries ==
def trainers_by_name() -> list[Trainer]:
    return list(db.session.scalars(select(Trainer).order_by(Trainer.name)))


def trainers_with_offering_counts() -> list[tuple[Trainer, int]]:
    counts = (select(func.count()).select_from(offering_trainer)
              .where(offering_trainer.c.trainer_id == Trainer.id).correlate(Trainer).scalar_subquery())
    return [(trainer, n) for trainer, n in db.session.execute(
        select(Trainer, counts.label("offerings")).order_by(Trainer.name))]


def trainer_or_404(trainer_id: int) -> Trainer:
    trainer = db.session.get(Trainer, trainer_id)
    if trainer is None:
        raise NotFound()
    return trainer


# == services ==
@dataclass
class TrainerData:
    name: str
    role: str = ""
    bio: str = ""
    slug: str = ""


FIELDS = ("name", "role", "bio")


def _apply(trainer: Trainer, data: TrainerData) -> list[str]:
    return assign(trainer, data, FIELDS)


def create_trainer(data: TrainerData, *, actor=None) -> Trainer:
    """A new trainer; the slug comes from the name when none is given (SlugTaken)."""
    if data.slug:
        check_slug(Trainer, data.slug, None)
        slug = data.slug
    else:
        slug = unique_slug(Trainer, slugify(data.name, 120), 120)
    trainer = Trainer(slug=slug)
    _apply(trainer, data)
    db.session.add(trainer)
    db.session.flush()
    log_action("trainer.created", "trainer", trainer.id, actor=actor)
    return trainer


def update_trainer(trainer: Trainer, data: TrainerData, *, actor=None) -> list[str]:
    changed = _apply(trainer, data)
    if data.slug and data.slug != trainer.slug:
        check_slug(Trainer, data.slug, trainer.id)
        trainer.slug = data.slug
        changed.append("slug")
    db.session.flush()
    log_action("trainer.updated", "trainer", trainer.id, actor=actor, data={"changed": changed})
    return changed


def set_photo(trainer: Trainer, filename: str, data: bytes, *, actor=None) -> Path:
    """Check (PhotoRejected) and store a new photo; returns the path of the old one, for the
    caller to remove after its commit. The new file is written before the commit."""
    extension = check_photo(filename, data)
    old = photo_path(trainer)
    folder = photo_folder()
    folder.mkdir(parents=True, exist_ok=True)
    trainer.photo_name = f"{secrets.token_hex(16)}.{extension}"
    (folder / trainer.photo_name).write_bytes(data)
    db.session.flush()
    log_action("trainer.updated", "trainer", trainer.id, actor=actor,
               data={"changed": ["photo"], "size_bytes": len(data)})
    return old


def remove_photo(trainer: Trainer, *, actor=None) -> Path | None:
    """Forget the photo; returns its path for the caller to delete after the commit."""
    old = photo_path(trainer)
    if old is not None:
        trainer.photo_name = None
        db.session.flush()
        log_action("trainer.updated", "trainer", trainer.id, actor=actor, data={"changed": ["photo"]})
    return old


def delete_trainer(trainer: Trainer, *, actor=None) -> Path | None:
    """Remove a trainer and their links; returns the photo's path for the caller to delete."""
    old = photo_path(trainer)
    offerings = len(trainer.offerings)
    db.session.delete(trainer)
    db.session.flush()
    log_action("trainer.deleted", "trainer", trainer.id, actor=actor, data={"offerings": offerings})
    return old


def set_offering_trainers(offering, trainer_ids: list[int], *, actor=None) -> bool:
    """Link exactly these trainers to the offering; True when that changed anything."""
    before = sorted(t.id for t in offering.trainers)
    wanted = sorted(set(trainer_ids))
    if before == wanted:
        return False
    offering.trainers = list(db.session.scalars(select(Trainer).where(Trainer.id.in_(wanted)))) if wanted else []
    db.session.flush()
    log_action("offering.trainers_changed", "offering", offering.id, actor=actor,
               data={"trainer_ids": wanted, "before": before})
    return True
