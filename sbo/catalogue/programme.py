"""The programme of an offering per day: items with an optional time slot, a description and
the trainers who lead them. Staff add, change, move and remove items; each service flushes,
never commits, and writes an audit entry with ids only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table, Text, Time, func, select
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.exceptions import NotFound

from ..audit import log_action
from ..extensions import db
from .trainers import Trainer

MAX_DAYS = 60

programme_item_trainer = Table(
    "programme_item_trainer",
    db.metadata,
    Column("item_id", ForeignKey("programme_item.id", ondelete="CASCADE"), primary_key=True),
    Column("trainer_id", ForeignKey("trainer.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class ProgrammeItem(db.Model):
    """One part of the programme: day 1..n of the offering, in `position` order within its day."""
    __tablename__ = "programme_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    offering_id: Mapped[int] = mapped_column(ForeignKey("offering.id", ondelete="CASCADE"), index=True)
    day: Mapped[int] = mapped_column(Integer, default=1)
    position: Mapped[int] = mapped_column(Integer, default=0)
    start_time: Mapped[time | None] = mapped_column(Time)
    end_time: Mapped[time | None] = mapped_column(Time)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    offering: Mapped["Offering"] = relationship(back_populates="programme_items")  # noqa: F821
    trainers: Mapped[list[Trainer]] = relationship(secondary=programme_item_trainer, order_by=Trainer.name)

    __table_args__ = (CheckConstraint("day >= 1", name="day_positive"),)

    def __repr__(self) -> str:
        return f"<ProgrammeItem {self.offering_id} day {self.day} #{self.position}>"


@dataclass
class ItemData:
    day: int
    title: str
    start_time: time | None = None
    end_time: time | None = None
    description: str = ""
    trainer_ids: tuple[int, ...] = ()


def item_or_404(item_id: int) -> ProgrammeItem:
    item = db.session.get(ProgrammeItem, item_id)
    if item is None:
        raise NotFound()
    return item


def _apply(item: ProgrammeItem, data: ItemData) -> None:
    item.day, item.title, item.description = data.day, data.title.strip(), data.description.strip()
    item.start_time, item.end_time = data.start_time, data.end_time
    ids = set(data.trainer_ids)
    item.trainers = list(db.session.scalars(select(Trainer).where(Trainer.id.in_(ids)))) if ids else []
    # who leads an item teaches the offering: the offering's trainers include them
    missing = [t for t in item.trainers if t not in item.offering.trainers]
    item.offering.trainers.extend(missing)


def _last_position(offering_id: int, day: int) -> int:
    return db.session.scalar(select(func.coalesce(func.max(ProgrammeItem.position), 0))
                             .where(ProgrammeItem.offering_id == offering_id, ProgrammeItem.day == day))


def _log(action: str, item: ProgrammeItem, actor, **data) -> None:
    log_action(action, "offering", item.offering_id, actor=actor,
               data={"item_id": item.id, "day": item.day, **data})


def add_item(offering, data: ItemData, *, actor=None) -> ProgrammeItem:
    """A new item at the end of its day."""
    with db.session.no_autoflush:
        item = ProgrammeItem(offering=offering, position=_last_position(offering.id, data.day) + 1)
        _apply(item, data)
    db.session.add(item)
    db.session.flush()
    _log("programme.item_added", item, actor)
    return item


def update_item(item: ProgrammeItem, data: ItemData, *, actor=None) -> None:
    """Change an item; moved to another day it goes to the end of that day."""
    if data.day != item.day:
        item.position = _last_position(item.offering_id, data.day) + 1
    with db.session.no_autoflush:
        _apply(item, data)
    db.session.flush()
    _log("programme.item_changed", item, actor)


def delete_item(item: ProgrammeItem, *, actor=None) -> None:
    _log("programme.item_removed", item, actor)
    db.session.delete(item)
    db.session.flush()


def move_item(item: ProgrammeItem, up: bool, *, actor=None) -> bool:
    """Swap the item with the one before (up) or after it on the same day; False at the edge."""
    order = ProgrammeItem.position.desc() if up else ProgrammeItem.position
    beyond = ProgrammeItem.position < item.position if up else ProgrammeItem.position > item.position
    neighbour = db.session.scalar(select(ProgrammeItem).where(
        ProgrammeItem.offering_id == item.offering_id, ProgrammeItem.day == item.day, beyond)
        .order_by(order).limit(1))
    if neighbour is None:
        return False
    item.position, neighbour.position = neighbour.position, item.position
    db.session.flush()
    _log("programme.item_moved", item, actor, up=up)
    return True

