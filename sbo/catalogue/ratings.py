"""The average score an offering page shows: a hook a higher layer fills (sbo/evaluation
registers its `public_rating` with `provide`), so that the catalogue needs no import of it.
Without a provider, no offering has a rating."""
from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import NamedTuple


class Rating(NamedTuple):
    value: Decimal  # the average, one decimal
    count: int

    @property
    def display(self) -> str:
        """"8,4" (a Dutch decimal comma, always one decimal)."""
        return f"{self.value:.1f}".replace(".", ",")


_source: list[Callable[[int], Rating | None]] = []


def provide(source: Callable[[int], Rating | None]) -> Callable[[int], Rating | None]:
    """Register the function that gives an offering's public rating (or None)."""
    _source[:] = [source]
    return source


def of_offering(offering_id: int) -> Rating | None:
    return _source[0](offering_id) if _source else None
