"""Scratch (wound-healing) assay: a cleared strip in a confluent monolayer, closed by migration and growth.

The cell density $u$ (relative to confluence, $K = 1$) obeys Fisher-KPP
(:mod:`jakstat.experiments.fisher_kpp`) with a migration diffusivity $D(t)$ and a proliferation
rate $r(t)$ that follow the cells' signalling state through phenomenological links
(:mod:`jakstat.experiments.links`):

$$ D(t) = D_0\\, f_D(S(t)), \\qquad r(t) = r_0\\, f_r(S(t)), $$

where $S(t)$ is the nuclear pSTAT3 dimer (nM) of the same fibroblasts simulated by
:func:`jakstat.simulate` under the protocol's conditions from the medium change at the scratch
(t = 0). More signalling -> slower migration and growth -> slower closure (target_dpm_stat4.csv
DPM04, DPM09). All cells share one signalling state (the medium is well mixed).

Geometry: a strip of width ``wound_width_um`` through the middle of a field ``field_width_um``
wide (1-D: across the strip; 2-D: plus ``field_height_um`` along it, and optionally a wound of
finite ``wound_length_um``, closing from its ends too). By symmetry only one half (1-D) or
quarter (2-D) is computed, with zero flux on the planes of symmetry; the figure shows it mirrored.

Readouts
--------
``wound_closure`` (%)
    $100 (1 - w(t)/w(0))$ with $w$ the open width on the wound's centre line, between the two
    points where the density crosses half confluence (the image-based edge-to-edge measure).
``wound_density`` (%)
    Mean density in the initial wound region relative to confluence (the density-based measure,
    "relative wound density").
``open_wound_width`` (um), ``migration_diffusivity`` (um^2/h), ``proliferation_rate`` (1/h).
"""

from __future__ import annotations

from typing import ClassVar, Literal

import numpy as np
from pydantic import field_validator, model_validator

from jakstat.experiments.fisher_kpp import front_position, solve_fisher_kpp
from jakstat.experiments.links import HillLink, hill_link
from jakstat.experiments.signalling import LinkedProtocol, run_cells, signalling_drive
from jakstat.experiments.tidy import AssayResult, concat_tidy, tidy_table
from jakstat.network.model import Parameter
from jakstat.network.provenance import Assumed

D0 = Parameter(
    "scratch_D0", 500.0, "um^2/h",
    Assumed("baseline random-motility diffusivity of dermal fibroblasts in a monolayer; no fibroblast value "
            "was found and verified in the searchable sources (Fisher-KPP calibrations of scratch assays estimate "
            "D and the proliferation rate, e.g. Jin et al. 2016 J Theor Biol doi 10.1016/j.jtbi.2015.10.040 for "
            "PC-3 cells, but their values were not seen during curation); 500 um^2/h is a round value chosen so "
            "that a 500 um scratch of healthy cells closes over about two days, as usual for fibroblasts"),
    "cell diffusivity of unstimulated fibroblasts",
)
R0 = Parameter(
    "scratch_r0", 0.03, "1/h",
    Assumed("baseline logistic proliferation rate of primary dermal fibroblasts in serum: a doubling time of "
            "about 23 h (ln 2 / 0.03), the order of the 1-2 days usual for early-passage fibroblasts; no "
            "measured value in the tables"),
    "proliferation rate of unstimulated fibroblasts",
)
MIGRATION_LINK = hill_link("migration", -1, 0.7,
                           "signalling at saturation cuts migration by 70% (impaired closure, DPM04/DPM09)")
PROLIFERATION_LINK = hill_link("proliferation", -1, 0.5,
                               "signalling at saturation halves proliferation (impaired closure, DPM04/DPM09)")


class ScratchProtocol(LinkedProtocol):
    """Protocol of the scratch assay (times default 0, 12, 24, 48 h).

    Attributes
    ----------
    dims : {1, 2}
        1-D across the strip or 2-D.
    wound_width_um : float
        Width of the cleared strip, um (> 0; typical pipette-tip scratch 300-700 um).
    field_width_um : float
        Width of the imaged field across the strip, um (> wound width).
    field_height_um : float
        Height of the field along the strip (2-D), um.
    wound_length_um : float, optional
        Length of a finite wound (2-D); default: the strip crosses the field.
    dx_um : float
        Grid spacing, um (> 0).
    """

    ASSAY: ClassVar[str] = "scratch"
    KNOWN_READOUTS: ClassVar[tuple[str, ...]] = ("wound_closure", "wound_density", "open_wound_width",
                                                 "migration_diffusivity", "proliferation_rate")
    DEFAULT_TIMES_H: ClassVar[tuple[float, ...]] = (0.0, 12.0, 24.0, 48.0)

    dims: Literal[1, 2] = 1
    wound_width_um: float = 500.0
    field_width_um: float = 2000.0
    field_height_um: float = 1000.0
    wound_length_um: float | None = None
    dx_um: float = 10.0
    rtol: float = 1e-6

    @field_validator("wound_width_um", "field_width_um", "field_height_um", "dx_um", "rtol")
    @classmethod
    def _positive(cls, value: float) -> float:
        if not value > 0:
            raise ValueError(f"must be > 0, got {value:g}")
        return float(value)

    @model_validator(mode="after")
    def _geometry(self) -> ScratchProtocol:
        if not self.field_width_um > self.wound_width_um:
            raise ValueError(f"field_width_um ({self.field_width_um:g}) must exceed wound_width_um "
                             f"({self.wound_width_um:g})")
        half_w = self.wound_width_um / 2 / self.dx_um
        if abs(half_w - round(half_w)) > 1e-9 or round(half_w) < 1:
            raise ValueError(f"dx_um ({self.dx_um:g}) must divide half the wound width ({self.wound_width_um / 2:g} um)")
        if self.wound_length_um is not None and not 0 < self.wound_length_um < self.field_height_um:
            raise ValueError(f"wound_length_um must be in (0, field_height_um={self.field_height_um:g}), "
                             f"got {self.wound_length_um:g}")
        return self


def rates(time_h: np.ndarray, drive_nm: np.ndarray,
          migration: HillLink = MIGRATION_LINK, proliferation: HillLink = PROLIFERATION_LINK):
    """$D(t)$ (um^2/h) and $r(t)$ (1/h) as functions of time from the drive's time course."""
    d_t = D0.value * migration.factor(drive_nm)
    r_t = R0.value * proliferation.factor(drive_nm)
    return (lambda t: float(np.interp(t, time_h, d_t))), (lambda t: float(np.interp(t, time_h, r_t)))


def initial_field(protocol: ScratchProtocol) -> tuple[np.ndarray, tuple[np.ndarray, ...]]:
    """The confluent monolayer with the cleared strip, on the computed half (1-D) or quarter (2-D).

    Returns the density (``(nx,)`` or ``(ny, nx)``) and the cell-centre coordinates (x from the
    wound's centre line; y from the wound's middle), um.
    """
    dx = protocol.dx_um
    nx = int(round(protocol.field_width_um / 2 / dx))
    x = (np.arange(nx) + 0.5) * dx
    in_wound_x = x < protocol.wound_width_um / 2
    if protocol.dims == 1:
        return np.where(in_wound_x, 0.0, 1.0), (x,)
    ny = int(round(protocol.field_height_um / 2 / dx))
    y = (np.arange(ny) + 0.5) * dx
    in_wound_y = np.ones(ny, bool) if protocol.wound_length_um is None else y < protocol.wound_length_um / 2
    return np.where(in_wound_y[:, None] & in_wound_x[None, :], 0.0, 1.0), (x, y)


def closure_readouts(protocol: ScratchProtocol, fields: np.ndarray, coords: tuple[np.ndarray, ...]) -> dict:
    """Open width (um), % closure and % wound density at each output time."""
    x = coords[0]
    u0, _ = initial_field(protocol)
    wound = u0 == 0.0
    centre = fields if protocol.dims == 1 else fields[:, 0, :]
    width = np.array([2.0 * front_position(x, u, 0.5) if u[0] < 0.5 else 0.0 for u in centre])
    w0 = protocol.wound_width_um
    density = np.array([100.0 * float(np.mean(u[wound])) for u in fields])
    return {"open_wound_width": width, "wound_closure": 100.0 * (1.0 - width / w0), "wound_density": density}


def run_scratch(protocol: ScratchProtocol) -> AssayResult:
    """Run the scratch assay: signalling of the well, then the wound's density field.

    Returns
    -------
    AssayResult
        Tidy rows of the requested readouts at ``protocol.times_h``; ``data`` holds ``fields``
        (density at each time, computed half or quarter), ``coords`` (um), ``time_h`` and the
        signalling time course (``drive_time_h``, ``drive_nM``).
    """
    t_end = max(protocol.times_h[-1], 1.0)
    ds = run_cells(protocol.conditions, protocol.culture(), t_end, pretreatment_h=protocol.pretreatment_h)
    time_h, drive = signalling_drive(ds, protocol.drive_species)
    d_of_t, r_of_t = rates(time_h, drive)
    u0, coords = initial_field(protocol)
    spacing = (protocol.dx_um,) * protocol.dims
    fields = solve_fisher_kpp(u0, spacing, d_of_t, r_of_t, protocol.times_h, rtol=protocol.rtol,
                              atol=protocol.rtol * 1e-3)
    values = closure_readouts(protocol, fields, coords)
    values["migration_diffusivity"] = np.array([d_of_t(t) for t in protocol.times_h])
    values["proliferation_rate"] = np.array([r_of_t(t) for t in protocol.times_h])
    units = {"wound_closure": "%", "wound_density": "%", "open_wound_width": "um",
             "migration_diffusivity": "um^2/h", "proliferation_rate": "1/h"}
    table = concat_tidy([tidy_table("scratch", name, protocol.times_h, values[name], units[name], protocol.conditions)
                         for name in protocol.readouts])
    data = {"fields": fields, "coords": coords, "time_h": np.asarray(protocol.times_h), "drive_time_h": time_h,
            "drive_nM": drive, "closure": values["wound_closure"]}
    return AssayResult(table, lambda fig: _draw(fig, protocol, data), data)


def _mirror(field: np.ndarray, dims: int) -> np.ndarray:
    full = np.concatenate([field[..., ::-1], field], axis=-1)
    return np.concatenate([full[::-1], full], axis=0) if dims == 2 else full


def _draw(fig, protocol: ScratchProtocol, data: dict) -> None:
    times, fields, coords = data["time_h"], data["fields"], data["coords"]
    x = coords[0]
    xs = np.concatenate([-x[::-1], x])
    n = len(times)
    if protocol.dims == 1:
        ax, ax2 = fig.subplots(1, 2)
        for t, u in zip(times, fields):
            ax.plot(xs, _mirror(u, 1), label=f"{t:g} h")
        ax.axvspan(-protocol.wound_width_um / 2, protocol.wound_width_um / 2, color="0.9", zorder=0)
        ax.set(xlabel="distance from wound centre (um)", ylabel="cell density (relative to confluence)",
               title=f"scratch wound: {protocol.conditions.label()}")
        ax.legend(fontsize=8)
    else:
        axes = fig.subplots(1, n + 1)
        y = coords[1]
        extent = (xs[0], xs[-1], -y[-1], y[-1])
        for ax, t, u in zip(axes[:-1], times, fields):
            image = ax.imshow(_mirror(u, 2), origin="lower", extent=extent, vmin=0, vmax=1, cmap="magma")
            ax.set(title=f"{t:g} h", xlabel="x (um)")
        axes[0].set_ylabel("y (um)")
        fig.colorbar(image, ax=list(axes[:-1]), shrink=0.7, label="density / confluence")
        ax2 = axes[-1]
    ax2.plot(times, data["closure"], "o-")
    ax2.set(xlabel="time (h)", ylabel="wound closure (%)", ylim=(-2, 102), title="closure")


def link_parameters() -> tuple[Parameter, ...]:
    """Every parameter of the scratch model with its provenance (for the model card)."""
    return (D0, R0, *MIGRATION_LINK.parameters(), *PROLIFERATION_LINK.parameters())


__all__ = ["D0", "MIGRATION_LINK", "PROLIFERATION_LINK", "R0", "ScratchProtocol", "closure_readouts",
           "initial_field", "link_parameters", "rates", "run_scratch"]
