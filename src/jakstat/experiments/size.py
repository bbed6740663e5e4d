"""Cell size: spread area of fibroblasts over time (phenomenological).

The spread area relaxes with time constant $\\tau$ towards a set point that grows with signalling
(target_dpm_stat4.csv DPM11: variant fibroblasts are larger):

$$ \\tau \\frac{dA}{dt} = A_0 f_s(S(t)) - A, \\qquad A(0) = A_0 f_s(S(0)) $$

(cells at t = 0 are in steady state with their conditioned medium). Readouts: ``cell_area`` (um^2)
and ``relative_cell_area`` (% of the unstimulated set point $A_0$).

PHENOMENOLOGICAL: no cytoskeleton is modelled; every parameter's provenance says so.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from jakstat.experiments.links import hill_link, phenomenological
from jakstat.experiments.signalling import LinkedProtocol, run_cells, signalling_drive
from jakstat.experiments.tidy import AssayResult, concat_tidy, tidy_table
from jakstat.network.model import Parameter

AREA0 = Parameter("size_area0", 4000.0, "um^2", phenomenological(
    "spread area of an unstimulated dermal fibroblast on tissue-culture plastic; a round value in the range of "
    "a few thousand um^2 usual for spread fibroblasts; no value in the tables"), "baseline spread area")
TAU = Parameter("size_tau", 24.0, "h", phenomenological(
    "cell spreading and hypertrophy adapt over about a day (of the order of a cell cycle); no data"),
    "time constant of the size response")
SIZE_LINK = hill_link("cell_size", +1, 0.5,
                      "signalling at saturation makes cells 50% larger in area (larger patient cells, DPM11)")


class SizeProtocol(LinkedProtocol):
    """Cell size (times default 0, 24, 48, 72 h)."""

    ASSAY: ClassVar[str] = "size"
    KNOWN_READOUTS: ClassVar[tuple[str, ...]] = ("cell_area", "relative_cell_area")
    DEFAULT_TIMES_H: ClassVar[tuple[float, ...]] = (0.0, 24.0, 48.0, 72.0)


def cell_area(time_h: np.ndarray, drive_nm: np.ndarray) -> np.ndarray:
    """Spread area (um^2) over ``time_h``: exact solution of the linear relaxation, drive linear between samples."""
    target = AREA0.value * SIZE_LINK.factor(drive_nm)
    area = np.empty_like(target)
    area[0] = target[0]
    for i in range(1, len(time_h)):
        h = time_h[i] - time_h[i - 1]
        e = np.exp(-h / TAU.value)
        slope = (target[i] - target[i - 1]) / h
        # exact for a target linear in time over the step
        area[i] = target[i] - slope * TAU.value + (area[i - 1] - target[i - 1] + slope * TAU.value) * e
    return area


def run_size(protocol: SizeProtocol) -> AssayResult:
    """Run the cell-size readout (phenomenological)."""
    ds = run_cells(protocol.conditions, protocol.culture(), max(protocol.times_h[-1], 1.0),
                   pretreatment_h=protocol.pretreatment_h)
    time_h, drive = signalling_drive(ds, protocol.drive_species)
    area = cell_area(time_h, drive)
    values = {"cell_area": np.interp(protocol.times_h, time_h, area)}
    values["relative_cell_area"] = 100.0 * values["cell_area"] / AREA0.value
    units = {"cell_area": "um^2", "relative_cell_area": "%"}
    table = concat_tidy([tidy_table("size", r, protocol.times_h, values[r], units[r], protocol.conditions)
                         for r in protocol.readouts])

    def draw(fig) -> None:
        ax = fig.subplots()
        ax.plot(time_h, area, "-")
        ax.plot(protocol.times_h, values["cell_area"], "o")
        ax.set(xlabel="time (h)", ylabel="spread cell area (um^2)",
               title=f"cell size (phenomenological): {protocol.conditions.label()}")

    return AssayResult(table, draw, {"time_h": time_h, "cell_area": area})


def link_parameters() -> tuple[Parameter, ...]:
    """Every parameter of the size model with its provenance."""
    return (AREA0, TAU, *SIZE_LINK.parameters())


__all__ = ["AREA0", "SIZE_LINK", "SizeProtocol", "TAU", "cell_area", "link_parameters", "run_size"]
