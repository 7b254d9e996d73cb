"""Participants' registration numbers in the registers that accredit their offering: the form
fields (one per register, for the booker and each colleague), the reads and the one service
that stores them. A number is optional; when given it must match the register's format."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from sqlalchemy import delete, select
from wtforms import FieldList, FormField, StringField
from wtforms.validators import Length, Optional, ValidationError

from .. import clock
from ..catalogue.models import Accreditation, Edition, Register, number_matches
from ..extensions import db
from ..pagecache.memo import content_memo
from ..signals import frozen, registration_numbers_frozen
from .models import Enrolment, RegistrationNumber

PREFIX = "number_"


@dataclass(frozen=True)
class RegisterFormat:
    """What a form needs of a register (plain values: forms outlive the session)."""
    id: int
    short_name: str
    pattern: str
    hint: str

    def valid(self, number: str) -> bool:
        return number_matches(self.pattern, number)


def registers_for(edition: Edition) -> tuple[RegisterFormat, ...]:
    """The registers that accredit the edition's offering, by name. Read once per content
    generation (registers and accreditations are tracked content): every GET and POST of the
    enrolment form builds its number fields from them."""
    offering_id = edition.offering_id
    return content_memo("enrolment.registers", offering_id, lambda: _read_registers(offering_id))


def _read_registers(offering_id: int) -> tuple[RegisterFormat, ...]:
    rows = db.session.scalars(select(Register).join(Accreditation, Accreditation.register_id == Register.id)
                              .where(Accreditation.offering_id == offering_id).order_by(Register.name))
    return tuple(RegisterFormat(r.id, r.short_name, r.number_pattern, r.number_hint) for r in rows)


def normalise(number: str | None) -> str:
    """'  a 12345 ' → 'A12345': no spaces, capitals (as registers print them)."""
    return "".join((number or "").split()).upper()


def number_field(register: RegisterFormat) -> StringField:
    def check(_form, field) -> None:
        if field.data and not register.valid(field.data):
            raise ValidationError(f"Dit is geen geldig {register.short_name}-nummer"
                                  + (f": {register.hint}." if register.hint else "."))
    return StringField(f"Registratienummer {register.short_name}", filters=[normalise],
                       description=register.hint and f"Optioneel; {register.hint}.",
                       validators=[Optional(), Length(max=40, message="Gebruik hoogstens 40 tekens."), check])


def with_number_fields(form_class, participant_class, registers: Sequence[RegisterFormat]):
    """`form_class` with a number field per register, for the booker and (given the class of
    its rows, `participant_class`) in each colleague row."""
    if not registers:
        return form_class
    fields = {f"{PREFIX}{register.id}": number_field(register) for register in registers}
    extra = {}
    if participant_class is not None:
        participant = type(participant_class.__name__, (participant_class,), dict(fields))
        extra["participants"] = FieldList(FormField(participant), **form_class.participants.kwargs)
    return type(form_class.__name__, (form_class,), {**fields, **extra})


def number_fields(form) -> list:
    """The registration number fields of a form or a colleague row, in register order."""
    return [field for field in form if field.short_name.startswith(PREFIX)]


def numbers_from(form) -> dict[int, str]:
    """{register id: number} of the filled number fields of a form or a colleague row."""
    return {int(field.short_name[len(PREFIX):]): field.data for field in number_fields(form) if field.data}


def numbers_of(enrolment_id: int) -> dict[int, str]:
    return dict(db.session.execute(select(RegistrationNumber.register_id, RegistrationNumber.number)
                                   .where(RegistrationNumber.enrolment_id == enrolment_id)).all())


def set_numbers(enrolment: Enrolment, numbers: dict[int, str], registers: Sequence[RegisterFormat]) -> None:
    """Store the participant's numbers for these registers; an empty one removes what was there."""
    ids = [register.id for register in registers]
    db.session.execute(delete(RegistrationNumber).where(RegistrationNumber.enrolment_id == enrolment.id,
                                                        RegistrationNumber.register_id.in_(ids)))
    db.session.add_all(RegistrationNumber(enrolment_id=enrolment.id, register_id=register_id, number=number)
                       for register_id, number in numbers.items() if register_id in ids and number)
    db.session.flush()


def numbers_open(enrolment: Enrolment, today: date | None = None) -> bool:
    """Whether the participant may still add or correct their numbers on their personal page:
    until REGISTRATION_NUMBERS_OPEN_DAYS after the edition's last day (when the certificates
    go out), and never once their certificate was issued (signal registration_numbers_frozen)."""
    sessions = enrolment.edition.sessions
    last = sessions[-1].day if sessions else enrolment.edition.start_date
    days = int(current_app.config["REGISTRATION_NUMBERS_OPEN_DAYS"])
    return ((today or clock.today()) <= last + timedelta(days=days)
            and not frozen(registration_numbers_frozen.send(enrolment)))
