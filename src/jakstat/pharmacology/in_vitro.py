"""JAK inhibitors at a fixed concentration in a culture: the free fraction of each JAK.

The concentration in the medium is taken as unbound (assumed: culture medium holds far less protein
than plasma, so plasma protein binding does not apply; the drug's cellular potency is its enzyme Ki
times the drug's enzyme-to-cell shift, :func:`jakstat.pharmacology.inhibition.cell_shift`).
Occupancy of JAK ``j`` is $\\theta_j = c / (c + K_{i,j} s)$ and its free fraction $1 - \\theta_j$;
several drugs act independently on each JAK (free fractions multiply).
"""

from __future__ import annotations

from collections.abc import Iterable

from jakstat.errors import InvalidValueError
from jakstat.knowledge import JAK_NAMES, get_drug
from jakstat.network.provenance import Input
from jakstat.pharmacology.inhibition import jak_occupancy
from jakstat.units import check_dimension, parse_quantity

UNBOUND_IN_VITRO = "in-vitro concentration taken as unbound (culture medium, not plasma)"


def concentration_nm(drug: str, amount: str) -> float:
    """``amount`` (``'1 uM'``, ``'500 nM'``) in nM; a negative or non-molar value is an error naming the drug."""
    field = f"drugs[{drug}]"
    quantity = parse_quantity(amount, field)
    if not hasattr(quantity, "to"):
        raise InvalidValueError(f"{field}: give a molar concentration with a unit, e.g. '1 uM'; got {amount!r}")
    check_dimension(quantity, "concentration", field)
    value = float(quantity.to("nM").magnitude)
    if value < 0:
        raise InvalidValueError(f"{field}: concentration must be >= 0, got {amount!r}")
    return value


def free_jak_fractions(drugs: Iterable[tuple[str, str]]) -> dict[str, tuple[float, Input]]:
    """Parameter id (``free_JAK1`` ...) -> (free fraction, provenance) for drugs at fixed concentrations."""
    drugs = tuple(drugs)
    if not drugs:
        return {}
    free = {jak: 1.0 for jak in JAK_NAMES}
    labels = []
    for name, amount in drugs:
        record = get_drug(name)  # UnknownNameError lists the known drugs
        c = concentration_nm(record.name, amount)
        for jak, theta in jak_occupancy(record.name, c).items():
            free[jak] *= 1.0 - float(theta)
        labels.append(f"{record.name} {amount}")
    provenance = Input(f"drugs: {', '.join(labels)} ({UNBOUND_IN_VITRO}; occupancy from enzyme Ki x cell shift)")
    return {f"free_{jak}": (value, provenance) for jak, value in free.items()}


__all__ = ["concentration_nm", "free_jak_fractions"]
