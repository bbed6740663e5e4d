"""The Python API: one call from a question to labelled data.

>>> import jakstat
>>> ds = jakstat.simulate(cell="fibroblast", cytokines={"IL-6": "10 ng/mL"}, t_end="24 h")  # doctest: +SKIP
>>> ds["pSTAT3_dimer_nuc"].sel(time_h=1.0)  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pint
import xarray as xr

from jakstat.compile.codegen import CompiledModel, compile_network
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.engine.steady_state import steady_state
from jakstat.errors import InvalidValueError
from jakstat.network.builders import antibody_concentration_nm, build_cell_network, ligand_concentration_nm
from jakstat.network.culture import Culture
from jakstat.network.edit import with_initial_values, with_parameter
from jakstat.pharmacology.in_vitro import free_jak_fractions
from jakstat.network.model import Network
from jakstat.network.provenance import Derived, Input
from jakstat.units import check_dimension, parse_quantity

DISCLAIMER = "jakstat is a research tool; its output is not clinical advice."


@dataclass(frozen=True)
class Scenario:
    """What to simulate: a cell in culture, its genotype, and what is in the fresh medium at t = 0."""

    cell: str = "fibroblast"
    genotype: str = "wt"
    cytokines: tuple[tuple[str, str], ...] = ()
    culture: Culture = Culture()
    preequilibrate: bool = True
    drugs: tuple[tuple[str, str], ...] = ()
    antibodies: tuple[tuple[str, str], ...] = ()


def prepare_network(scenario: Scenario) -> Network:
    """The exact network that :func:`simulate` integrates (and ``jakstat export sbml`` writes).

    1. Build the cell's network in its culture.
    2. Pre-equilibrate: run it unstimulated to steady state (cells in conditioned medium) and
       make that steady state the initial state (provenance ``derived``).
    3. Medium change at t = 0: every medium species starts at zero (fresh medium) except the
       ligands given in ``scenario.cytokines`` and the antibodies in ``scenario.antibodies``.
    4. Drugs added with the fresh medium (``scenario.drugs``, fixed concentrations) set the free
       fraction of each JAK (``free_JAK1`` ...) from here on.
    """
    ligands = [ligand_concentration_nm(scenario.cell, name, amount) for name, amount in scenario.cytokines]
    antibodies = [antibody_concentration_nm(scenario.cell, name, amount) for name, amount in scenario.antibodies]
    free = free_jak_fractions(scenario.drugs)
    net = build_cell_network(scenario.cell, scenario.genotype, scenario.culture)
    if scenario.preequilibrate:
        model = compile_network(net)
        y_ss = steady_state(model)
        net = with_initial_values(net, dict(zip(model.species_ids, y_ss)),
                                  Derived("steady state of the unstimulated network (pre-equilibration)"))
    medium = [s.id for s in net.species if s.compartment == "medium"]
    if medium:
        net = with_initial_values(net, {sid: 0.0 for sid in medium}, Input("fresh medium at t = 0"))
    for (name, amount), (_, species_id, nm) in zip(scenario.cytokines, ligands):
        net = with_initial_values(net, {species_id: nm}, Input(f"--cytokine {name}={amount}"))
    for (name, amount), (_, species_id, nm) in zip(scenario.antibodies, antibodies):
        net = with_initial_values(net, {species_id: nm}, Input(f"antibody {name}={amount}"))
    for parameter_id, (value, provenance) in free.items():
        if parameter_id not in {p.id for p in net.parameters}:
            raise InvalidValueError(f"drugs: the {scenario.cell} network has no {parameter_id} parameter, so JAK "
                                    "inhibitors cannot act on it")
        net = with_parameter(net, parameter_id, value, provenance)
    return net


def time_grid_s(t_end: str | pint.Quantity | float, n_points: int | None = None) -> np.ndarray:
    """Output times, s, from 0 to ``t_end`` (a time with a unit: ``'48 h'``); default one point per 0.25 h."""
    quantity = parse_quantity(t_end, "t_end", "time") if isinstance(t_end, str) else t_end
    if not hasattr(quantity, "to"):
        raise InvalidValueError(f"t_end: give a time with a unit, e.g. '48 h'; got {t_end!r}")
    check_dimension(quantity, "time", "t_end")
    seconds = float(quantity.to("s").magnitude)
    if not seconds > 0:
        raise InvalidValueError(f"t_end: must be > 0, got {quantity:~P}")
    if n_points is None:
        n_points = int(min(max(seconds / 900.0, 10), 2000)) + 1
    if n_points < 2:
        raise InvalidValueError(f"n_points must be >= 2, got {n_points}")
    return np.linspace(0.0, seconds, n_points)


def run_network(net: Network, times_s: np.ndarray, options: SolverOptions = SolverOptions(),
                model: CompiledModel | None = None, attrs: Mapping[str, str] | None = None) -> xr.Dataset:
    """Integrate ``net`` and label the result: one variable per species (nM), coordinate ``time_h``."""
    model = model or compile_network(net)
    states = integrate(model, times_s, options=options)
    data = {}
    for i, s in enumerate(net.species):
        data[s.id] = xr.Variable(("time_h",), states[:, i],
                                 attrs={"units": "nM", "compartment": s.compartment, "long_name": s.name or s.id})
    ds = xr.Dataset(data, coords={"time_h": ("time_h", times_s / 3600.0, {"units": "h"})})
    ds.attrs.update({"network": net.name, "rtol": options.rtol, "atol_nM": options.atol,
                     "solver": options.method, "disclaimer": DISCLAIMER, **(attrs or {})})
    return ds


def simulate(cell: str = "fibroblast", genotype: str = "wt", cytokines: Mapping[str, str] | None = None,
             t_end: str = "48 h", n_points: int | None = None, culture: Culture = Culture(),
             preequilibrate: bool = True, rtol: float = 1e-8, atol: float = 1e-12,
             drugs: Mapping[str, str] | None = None, antibodies: Mapping[str, str] | None = None) -> xr.Dataset:
    """Simulate a cell in culture after a medium change at t = 0.

    Parameters
    ----------
    cell : str
        Cell type (``jakstat kb cells``); foundations: ``"fibroblast"``.
    genotype : str
        ``"wt"`` or ``"GENE:ALLELE/ALLELE"`` (e.g. ``"STAT4:A635V/wt"``).
    cytokines : mapping
        Ligand name -> concentration with unit in the fresh medium (``{"IL-6": "10 ng/mL"}``).
    t_end : str
        End time with unit (``"48 h"``).
    n_points : int, optional
        Number of output times (default: every 15 min).
    rtol, atol : float
        Integrator tolerances (atol in nM).
    drugs : mapping, optional
        JAK inhibitor -> concentration in the fresh medium (``{"ruxolitinib": "1 uM"}``), taken as
        unbound; sets each JAK's free fraction from the drug's potency (jakstat.pharmacology.in_vitro).
    antibodies : mapping, optional
        Neutralising antibody -> concentration in the fresh medium (``{"anti-IL-6": "10 ug/mL"}``;
        names: :func:`jakstat.network.builders.antibody_names`).

    Returns
    -------
    xarray.Dataset
        One variable per species (concentration, nM, units in ``attrs``), coordinate ``time_h``.
    """
    scenario = Scenario(cell, genotype, tuple((cytokines or {}).items()), culture, preequilibrate,
                        tuple((drugs or {}).items()), tuple((antibodies or {}).items()))
    net = prepare_network(scenario)
    attrs = {"cell": cell, "genotype": genotype,
             "cytokines": ", ".join(f"{k}={v}" for k, v in scenario.cytokines) or "none",
             "drugs": ", ".join(f"{k}={v}" for k, v in scenario.drugs) or "none",
             "antibodies": ", ".join(f"{k}={v}" for k, v in scenario.antibodies) or "none"}
    return run_network(net, time_grid_s(t_end, n_points), SolverOptions(rtol=rtol, atol=atol), attrs=attrs)
