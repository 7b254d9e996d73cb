"""Registers and the accreditations of offerings, as staff manage them: the queries and the
services (create, change, remove). The services flush and never commit; each writes an audit
entry with ids and the names of what changed."""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from werkzeug.exceptions import NotFound

from ..audit import log_action
from ..extensions import db
from .models import Accreditation, Offering, Register
from .records import assign


class RegisterNameTaken(Exception):
    """Another register already has this name."""


@dataclass
class RegisterData:
    name: str
    short_name: str
    number_pattern: str = ""
    number_hint: str = ""
    provider_details: str = ""


def registers_by_name() -> list[Register]:
    return list(db.session.scalars(select(Register).order_by(Register.name)))


def registers_with_offering_counts() -> list[tuple[Register, int]]:
    """Every register, by name, with the number of offerings it accredits."""
    counts = (select(func.count()).select_from(Accreditation).where(Accreditation.register_id == Register.id)
              .correlate(Register).scalar_subquery())
    return [(register, n) for register, n in db.session.execute(
        select(Register, counts.label("offerings")).order_by(Register.name))]


def register_or_404(register_id: int) -> Register:
    register = db.session.get(Register, register_id)
    if register is None:
        raise NotFound()
    return register


def accreditations_of(offering_id: int) -> list[Accreditation]:
    """The accreditations of an offering, by register name."""
    return list(db.session.scalars(select(Accreditation).join(Accreditation.register)
                                   .where(Accreditation.offering_id == offering_id).order_by(Register.name)))


def _apply(register: Register, data: RegisterData) -> list[str]:
    taken = db.session.scalar(select(Register.id).where(
        func.lower(Register.name) == data.name.strip().lower(), Register.id != (register.id or 0)))
    if taken:
        raise RegisterNameTaken()
    return assign(register, data)


def create_register(data: RegisterData, *, actor=None) -> Register:
    register = Register()
    _apply(register, data)
    db.session.add(register)
    db.session.flush()
    log_action("register.created", "register", register.id, actor=actor, data={"name": register.short_name})
    return register


def update_register(register: Register, data: RegisterData, *, actor=None) -> list[str]:
    changed = _apply(register, data)
    db.session.flush()
    if changed:
        log_action("register.updated", "register", register.id, actor=actor, data={"changed": changed})
    return changed


def set_accreditation(offering: Offering, register: Register, points: Decimal, net_hours: Decimal, *,
                      actor=None) -> Accreditation:
    """Accredit an offering by a register, or change the points and hours of that accreditation."""
    accreditation = db.session.scalar(select(Accreditation).where(
        Accreditation.offering_id == offering.id, Accreditation.register_id == register.id))
    action = "accreditation.updated" if accreditation else "accreditation.added"
    if accreditation is None:
        accreditation = Accreditation(offering_id=offering.id, register_id=register.id)
        db.session.add(accreditation)
    accreditation.points, accreditation.net_hours = points, net_hours
    db.session.flush()
    log_action(action, "offering", offering.id, actor=actor,
               data={"register": register.id, "points": str(points), "net_hours": str(net_hours)})
    return accreditation


def remove_accreditation(accreditation: Accreditation, *, actor=None) -> None:
    offering_id, register_id = accreditation.offering_id, accreditation.register_id
    db.session.delete(accreditation)
    db.session.flush()
    log_action("accreditation.removed", "offering", offering_id, actor=actor, data={"register": register_id})
