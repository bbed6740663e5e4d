"""The culture a cell network sits in: how many cells, in how much medium.

Compartment volumes of a cell network are per well: the cytoplasm compartment is the summed
cytoplasm of all cells, so that secreted IL-6 is diluted into the medium exactly as in a dish.
"""

from __future__ import annotations

from dataclasses import dataclass

from jakstat.errors import InvalidValueError
from jakstat.network.edit import with_compartment_sizes
from jakstat.network.model import Network
from jakstat.network.provenance import Input


@dataclass(frozen=True)
class Culture:
    """Culture protocol fields.

    Attributes
    ----------
    n_cells : float
        Number of cells in the well (> 0).
    medium_volume_l : float
        Medium volume, L (> 0). Default 1 mL.
    cytoplasm_volume_per_cell_l, nucleus_volume_per_cell_l : float
        Volumes of one cell's cytoplasm and nucleus, L. Defaults 2 pL and 0.5 pL (assumed).
    """

    n_cells: float = 1e5
    medium_volume_l: float = 1e-3
    cytoplasm_volume_per_cell_l: float = 2e-12
    nucleus_volume_per_cell_l: float = 0.5e-12

    def __post_init__(self) -> None:
        for name in ("n_cells", "medium_volume_l", "cytoplasm_volume_per_cell_l", "nucleus_volume_per_cell_l"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and value > 0):
                raise InvalidValueError(f"culture.{name} must be a number > 0, got {value!r}")


CELL_VOLUME_REASON = (
    "a dermal fibroblast of ~2.5 pL (order of magnitude of adherent human cells; no fibroblast "
    "measurement in the tables), split 2 pL cytoplasm / 0.5 pL nucleus"
)


def with_culture(net: Network, culture: Culture) -> Network:
    """Set the medium, cytoplasm and nucleus volumes of ``net`` from ``culture``."""
    default = Culture()
    per_cell = (culture.cytoplasm_volume_per_cell_l, culture.nucleus_volume_per_cell_l)
    per_cell_default = (default.cytoplasm_volume_per_cell_l, default.nucleus_volume_per_cell_l)
    cell_note = "assumed volume per cell: " + CELL_VOLUME_REASON if per_cell == per_cell_default else "input volume per cell"
    sizes = {"medium": culture.medium_volume_l,
             "cytoplasm": culture.n_cells * culture.cytoplasm_volume_per_cell_l,
             "nucleus": culture.n_cells * culture.nucleus_volume_per_cell_l}
    provenance = {"medium": Input(f"culture.medium_volume = {culture.medium_volume_l:g} L"),
                  "cytoplasm": Input(f"culture.n_cells = {culture.n_cells:g} x {culture.cytoplasm_volume_per_cell_l:g} L ({cell_note})"),
                  "nucleus": Input(f"culture.n_cells = {culture.n_cells:g} x {culture.nucleus_volume_per_cell_l:g} L ({cell_note})")}
    present = {c.id for c in net.compartments}
    return with_compartment_sizes(net, {k: v for k, v in sizes.items() if k in present},
                                  {k: v for k, v in provenance.items() if k in present})


__all__ = ["Culture", "with_culture"]
