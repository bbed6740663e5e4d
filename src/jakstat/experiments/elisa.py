"""Secretion ELISA: IL-6 in the supernatant of a fibroblast culture, pg/mL.

The cells are simulated by :func:`jakstat.simulate` in the protocol's culture (``n_cells`` in
``medium_volume``: :class:`jakstat.network.culture.Culture`) from a medium change at t = 0, and
the supernatant is sampled at ``times_h`` (default 24, 48, 72 h). The ELISA reads free IL-6 plus
IL-6 bound to soluble IL-6R or to a neutralising anti-IL-6 antibody (:data:`ELISA_SPECIES`; a
sandwich ELISA detects these complexes too, as assumed here), converted from
nM with the molecular weight of IL-6 in ``molecular_weights.csv``. Exogenous IL-6 given as a
cytokine condition is in the medium too and is read with it, as in the dish.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from jakstat.data import table_row
from jakstat.experiments.protocol import Protocol
from jakstat.experiments.signalling import run_cells
from jakstat.experiments.tidy import AssayResult, concat_tidy, tidy_table
from jakstat.units import Quantity

ELISA_SPECIES = ("IL6_medium", "IL6_sIL6R_medium", "anti_IL6_IL6_medium")
"""Medium species an IL-6 sandwich ELISA reads (those present in the network are summed)."""


def il6_pg_per_ml_per_nm() -> float:
    """pg/mL of IL-6 per nM, from its molecular weight in ``molecular_weights.csv`` (21 kDa -> 21000)."""
    row = table_row("molecular_weights", molecule="IL-6")
    grams_per_mol = Quantity(float(row["value"]), row["unit"]).to("Da").magnitude  # 1 Da = 1 g/mol
    return float(grams_per_mol * 1e-9 * 1e12 / 1e3)  # nmol/L * g/mol -> pg/mL


class SecretionProtocol(Protocol):
    """IL-6 ELISA of the supernatant (times default 24, 48, 72 h)."""

    ASSAY: ClassVar[str] = "secretion"
    KNOWN_READOUTS: ClassVar[tuple[str, ...]] = ("IL-6",)
    DEFAULT_TIMES_H: ClassVar[tuple[float, ...]] = (24.0, 48.0, 72.0)


def run_secretion(protocol: SecretionProtocol) -> AssayResult:
    """Run the secretion ELISA.

    Returns
    -------
    AssayResult
        Rows ``readout="IL-6"``, ``unit="pg/mL"`` at ``protocol.times_h``; ``data`` holds the
        full time course (``time_h``, ``il6_pg_per_ml``).
    """
    ds = run_cells(protocol.conditions, protocol.culture(), max(protocol.times_h[-1], 1.0),
                   pretreatment_h=protocol.pretreatment_h)
    present = [s for s in ELISA_SPECIES if s in ds.data_vars]
    time_h = np.asarray(ds["time_h"].values, dtype=float)
    il6 = sum(np.asarray(ds[s].values, dtype=float) for s in present) * il6_pg_per_ml_per_nm()
    values = np.interp(protocol.times_h, time_h, il6)
    table = concat_tidy([tidy_table("secretion", "IL-6", protocol.times_h, values, "pg/mL", protocol.conditions)])
    data = {"time_h": time_h, "il6_pg_per_ml": il6, "species": tuple(present)}

    def draw(fig) -> None:
        ax = fig.subplots()
        ax.plot(time_h, il6, "-", color="0.5")
        ax.bar(protocol.times_h, values, width=6, alpha=0.7)
        ax.set(xlabel="time after medium change (h)", ylabel="IL-6 in supernatant (pg/mL)",
               title=f"secretion ELISA: {protocol.conditions.label()} ({protocol.n_cells:g} cells, "
                     f"{protocol.medium_volume})")

    return AssayResult(table, draw, data)


__all__ = ["ELISA_SPECIES", "SecretionProtocol", "il6_pg_per_ml_per_nm", "run_secretion"]
