"""Simulate an SBML model (or one condition of a PEtab problem) and get labelled data.

Time: an imported network keeps the model's own time scale (jakstat's engine treats 1 model time
unit as 1 s; rate constants are not rescaled). ``t_end`` is therefore converted into *model time
units* with the unit the model declares (:func:`jakstat.compile.sbml_import.sbml_time_unit`):
Boehm 2014 and Bachmann 2011 declare minutes, so ``t_end="4 h"`` integrates 240 model units;
a model that declares no time unit is in seconds by SBML's convention. A bare number is taken as
model time units (also as a string: ``"240"``). The result's ``time`` coordinate is in model time
units (its ``units`` attribute says which) and ``time_h`` gives the same instants in hours when the
unit is a time.

>>> ds = simulate_sbml("model_Boehm_JProteomeRes2014.xml", t_end="240 min", n_points=100)  # doctest: +SKIP
>>> float(ds["time"][-1]), ds["time"].attrs["units"]  # doctest: +SKIP
(240.0, 'min')
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pint
import xarray as xr

from jakstat.api import run_network
from jakstat.compile.sbml_import import network_from_document, read_sbml_document, sbml_time_unit
from jakstat.engine.integrate import SolverOptions
from jakstat.errors import InvalidValueError
from jakstat.network.model import Network
from jakstat.units import check_dimension, parse_quantity

DEFAULT_POINTS = 101


def model_time(t_end: str | float | pint.Quantity, seconds_per_unit: float | None, unit_name: str) -> float:
    """``t_end`` in model time units: a bare number (or numeric string, as from a CLI) already is one; a
    time with a unit (``"4 h"``) is converted with the model's ``seconds_per_unit``."""
    try:
        value = float(t_end)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        quantity = parse_quantity(t_end, "t_end") if isinstance(t_end, str) else t_end
        check_dimension(quantity, "time", "t_end")
        if seconds_per_unit is None:
            raise InvalidValueError(f"t_end: the model's time unit {unit_name!r} is not a time, so {t_end!r} cannot "
                                    "be converted; give t_end as a number of model time units, e.g. 100")
        value = float(quantity.to("s").magnitude) / seconds_per_unit
    if not value > 0:
        raise InvalidValueError(f"t_end: must be > 0, got {t_end!r}")
    return value


def simulate_network(net: Network, time_unit: tuple[str, float | None], t_end: str | float = "24 h",
                     n_points: int | None = None, rtol: float = 1e-8, atol: float = 1e-12) -> xr.Dataset:
    """Integrate an imported network whose time is in model units (see the module docstring)."""
    unit_name, seconds = time_unit
    n_points = DEFAULT_POINTS if n_points is None else n_points
    if n_points < 2:
        raise InvalidValueError(f"n_points must be >= 2, got {n_points}")
    times = np.linspace(0.0, model_time(t_end, seconds, unit_name), n_points)
    ds = run_network(net, times, SolverOptions(rtol=rtol, atol=atol),
                     attrs={"model_time_unit": unit_name, "description": net.description})
    ds = ds.rename({"time_h": "time"}).assign_coords(time=("time", times, {"units": unit_name,
                                                                          "long_name": "model time"}))
    if seconds is not None:
        ds = ds.assign_coords(time_h=("time", times * seconds / 3600.0, {"units": "h"}))
    for name in ds.data_vars:
        ds[name].attrs["units"] = "model concentration unit (SBML declares none; labelled nM in the network)"
    return ds


def simulate_sbml(path: str | Path, t_end: str | float = "24 h", n_points: int | None = None,
                  rtol: float = 1e-8, atol: float = 1e-12) -> xr.Dataset:
    """Import an SBML model and integrate it from its initial state.

    Parameters
    ----------
    path : str or Path
        SBML file (or the SBML text).
    t_end : str or float
        End time: a time with a unit (``"24 h"``, ``"240 min"``), converted into the model's declared
        time unit, or a bare number (``240`` or ``"240"``) of model time units.
    n_points : int, optional
        Number of output times from 0 to ``t_end`` (default 101).
    rtol, atol : float
        Integrator tolerances (atol in the model's concentration unit).

    Returns
    -------
    xarray.Dataset
        One variable per species (concentration in the model's own unit), coordinate ``time`` in
        model time units and, when that unit is a time, ``time_h`` in hours.

    Raises
    ------
    SBMLError
        The file is malformed or uses a feature jakstat cannot represent.
    """
    doc, label = read_sbml_document(path)
    return simulate_network(network_from_document(doc, label), sbml_time_unit(doc), t_end, n_points, rtol, atol)


def simulate_petab(problem: str | Path, condition: str | None = None, t_end: str | float = "24 h",
                   n_points: int | None = None, rtol: float = 1e-8, atol: float = 1e-12) -> xr.Dataset:
    """:func:`simulate_sbml` for one condition of a PEtab v1 problem, with its nominal parameters."""
    from jakstat.compile.petab_problem import load_petab, read_petab

    p = read_petab(problem)
    net = load_petab(p, condition)
    return simulate_network(net, sbml_time_unit(p.sbml_path), t_end, n_points, rtol, atol)
