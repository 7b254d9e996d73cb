"""How the certificates domain answers other domains (signals in sbo/signals.py): once a
participant's certificate went out, their registration numbers are what it says."""
from __future__ import annotations

from ..enrolment.models import Enrolment
from ..signals import registration_numbers_frozen
from .queries import issued_for


def numbers_frozen(enrolment: Enrolment, **_kwargs) -> bool:
    return issued_for(enrolment.id)


registration_numbers_frozen.connect(numbers_frozen, weak=False)
