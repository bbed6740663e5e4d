"""Collagen gel contraction: % of the initial gel area over time (phenomenological).

Fibroblasts in a floating collagen gel pull it together; the area relaxes towards a floor
$a_{min}$ at a rate that rises with signalling (target_dpm_stat4.csv DPM05: variant fibroblasts
contract the matrix more):

$$ \\frac{a(t)}{a(0)} = a_{min} + (1 - a_{min}) \\exp\\Big(-\\int_0^t k_0 f_c(S(\\tau))\\, d\\tau\\Big). $$

PHENOMENOLOGICAL: no mechanics of the gel is modelled; every parameter's provenance says so.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
from scipy.integrate import cumulative_trapezoid

from jakstat.experiments.links import hill_link, phenomenological
from jakstat.experiments.signalling import LinkedProtocol, run_cells, signalling_drive
from jakstat.experiments.tidy import AssayResult, concat_tidy, tidy_table
from jakstat.network.model import Parameter

K0 = Parameter("gel_k0", 0.03, "1/h", phenomenological(
    "contraction rate of a floating gel with unstimulated fibroblasts: half of the contractible area lost in "
    "about a day (ln 2 / 0.03 h = 23 h), the order seen in floating-gel assays; no value in the tables"),
    "baseline gel contraction rate")
A_MIN = Parameter("gel_area_min", 0.2, "dimensionless", phenomenological(
    "floor of contraction (20% of the initial area): gels stop shrinking when the collagen is compacted; "
    "round value, no value in the tables"), "smallest reachable area, fraction of the initial")
CONTRACTION_LINK = hill_link("contraction", +1, 1.0,
                             "signalling at saturation doubles the contraction rate (increased contraction, DPM05)")


class GelProtocol(LinkedProtocol):
    """Collagen gel contraction (times default 0, 24, 48, 72 h)."""

    ASSAY: ClassVar[str] = "gel"
    KNOWN_READOUTS: ClassVar[tuple[str, ...]] = ("gel_area",)
    DEFAULT_TIMES_H: ClassVar[tuple[float, ...]] = (0.0, 24.0, 48.0, 72.0)


def gel_area(time_h: np.ndarray, drive_nm: np.ndarray) -> np.ndarray:
    """Gel area, % of the initial, over ``time_h`` for the drive's time course (nM)."""
    rate = K0.value * CONTRACTION_LINK.factor(drive_nm)
    integral = cumulative_trapezoid(rate, time_h, initial=0.0)
    return 100.0 * (A_MIN.value + (1.0 - A_MIN.value) * np.exp(-integral))


def run_gel(protocol: GelProtocol) -> AssayResult:
    """Run the gel contraction assay; rows ``readout="gel_area"`` in % of the initial area."""
    ds = run_cells(protocol.conditions, protocol.culture(), max(protocol.times_h[-1], 1.0),
                   pretreatment_h=protocol.pretreatment_h)
    time_h, drive = signalling_drive(ds, protocol.drive_species)
    area = gel_area(time_h, drive)
    values = np.interp(protocol.times_h, time_h, area)
    table = concat_tidy([tidy_table("gel", "gel_area", protocol.times_h, values, "%", protocol.conditions)])

    def draw(fig) -> None:
        ax = fig.subplots()
        ax.plot(time_h, area, "-")
        ax.plot(protocol.times_h, values, "o")
        ax.set(xlabel="time (h)", ylabel="gel area (% of initial)", ylim=(0, 105),
               title=f"collagen gel contraction (phenomenological): {protocol.conditions.label()}")

    return AssayResult(table, draw, {"time_h": time_h, "gel_area": area})


def link_parameters() -> tuple[Parameter, ...]:
    """Every parameter of the gel model with its provenance."""
    return (K0, A_MIN, *CONTRACTION_LINK.parameters())


__all__ = ["A_MIN", "CONTRACTION_LINK", "GelProtocol", "K0", "gel_area", "link_parameters", "run_gel"]
