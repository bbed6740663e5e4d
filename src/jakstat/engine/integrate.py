"""One run of a compiled network with a stiff integrator, stopping at every event.

Events are discontinuities at known times (doses, infusions switched on or off, medium
changes): the integrator is stopped exactly at each event time, the event's assignments are
applied to the state or the parameters, and integration restarts from there, so no dose is
smoothed over. Outputs at an event time show the state after the event (right-continuous).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.integrate import solve_ivp

from jakstat.compile.codegen import CompiledModel
from jakstat.errors import InvalidValueError, SimulationError
from jakstat.units import to_canonical


@dataclass(frozen=True)
class SolverOptions:
    """Integrator settings.

    Attributes
    ----------
    method : str
        A SciPy stiff method: ``"BDF"`` (default), ``"LSODA"`` or ``"Radau"``; docs/design.md says why BDF.
    rtol : float
        Relative tolerance.
    atol : float
        Absolute tolerance, nM.
    max_steps_hint : float
        Upper bound on a single step, s (``inf``: no bound).
    """

    method: str = "BDF"
    rtol: float = 1e-8
    atol: float = 1e-12
    max_step: float = np.inf

    def __post_init__(self) -> None:
        if self.method not in ("BDF", "LSODA", "Radau"):
            raise InvalidValueError(f"solver method {self.method!r} is not allowed; allowed: BDF, LSODA, Radau")
        if not (0 < self.rtol < 1) or not self.atol > 0:
            raise InvalidValueError(f"tolerances must satisfy 0 < rtol < 1 and atol > 0; got rtol={self.rtol}, atol={self.atol}")


@dataclass(frozen=True)
class ScheduledChange:
    """One assignment of an event, in canonical units and vector indices."""

    time: float
    target: str  # "y" or "p"
    index: int
    value: float
    mode: str  # "set" | "add"


@lru_cache(maxsize=1)
def _blas_controller():
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()  # scans the loaded BLAS libraries once (numpy's and SciPy's, loaded by now)


def single_threaded_blas():
    """Context in which BLAS/LAPACK run on one thread.

    The single-run engine factors dense Jacobians of 10-200 species; OpenBLAS's threads make those
    factorisations slower, and on a busy machine much slower (a 145-species steady state took 6x longer
    with the default threads at load 14, measured 2026-12-01).
    """
    return _blas_controller().limit(limits=1, user_api="blas")


def scheduled_changes(model: CompiledModel) -> list[ScheduledChange]:
    """The network's events as canonical (time in s, values in nM or canonical parameter units) changes."""
    changes = []
    for event in model.network.events:
        t = to_canonical(event.time, event.time_unit)
        for a in event.assignments:
            if a.target in model.species_ids:
                changes.append(ScheduledChange(t, "y", model.species_index(a.target), to_canonical(a.value, a.unit), a.mode))
            else:
                changes.append(ScheduledChange(t, "p", model.parameter_ids.index(a.target),
                                               to_canonical(a.value, a.unit), a.mode))
    return sorted(changes, key=lambda c: c.time)


def integrate(model: CompiledModel, times: np.ndarray, *, y0: np.ndarray | None = None, p: np.ndarray | None = None,
              options: SolverOptions = SolverOptions(), t0: float = 0.0) -> np.ndarray:
    """Integrate ``model`` from ``t0`` and return the state at ``times``.

    Parameters
    ----------
    times : array of float
        Output times, s, non-decreasing, all >= ``t0``.
    y0, p : array, optional
        Initial state (nM) and parameters (canonical); default the model's own.

    Returns
    -------
    ndarray, shape (len(times), n_species)
        Concentrations, nM.
    """
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or np.any(np.diff(times) < 0) or (times.size and times[0] < t0):
        raise InvalidValueError("output times must be a non-decreasing 1-D array starting at or after t0")
    y = np.array(model.y0 if y0 is None else y0, dtype=float)
    p = np.array(model.p0 if p is None else p, dtype=float)
    changes = [c for c in scheduled_changes(model) if c.time >= t0]
    out = np.empty((times.size, y.size))
    t_end = float(times[-1]) if times.size else t0
    stops = sorted({c.time for c in changes if t0 < c.time < t_end} | {t_end})
    t = t0
    _apply(changes, t, y, p)
    out[times == t] = y
    with single_threaded_blas():
        t, y = _integrate_segments(model, times, stops, changes, t, y, p, options, out)
    if not np.all(np.isfinite(out)):
        raise SimulationError("the state became non-finite")
    return out


def _integrate_segments(model, times, stops, changes, t, y, p, options, out):
    for t_stop in stops:
        idx = np.nonzero((times > t) & (times <= t_stop))[0]
        if t_stop > t:
            t_eval = np.unique(np.append(times[idx], t_stop))
            sol = solve_ivp(lambda tt, yy: model.rhs(tt, yy, p), (t, t_stop), y, method=options.method,
                            jac=lambda tt, yy: model.jac(tt, yy, p), t_eval=t_eval,
                            rtol=options.rtol, atol=options.atol, max_step=options.max_step)
            if not sol.success:
                raise SimulationError(f"integration failed between t={t:g} s and t={t_stop:g} s: {sol.message}")
            out[idx] = sol.y.T[np.searchsorted(t_eval, times[idx])]
            y = sol.y[:, -1].copy()
        t = t_stop
        _apply(changes, t, y, p)
        out[times == t] = y  # outputs exactly at an event time show the state after the event
    return t, y


def _apply(changes: list[ScheduledChange], t: float, y: np.ndarray, p: np.ndarray) -> None:
    for c in changes:
        if c.time == t:
            vec = y if c.target == "y" else p
            vec[c.index] = vec[c.index] + c.value if c.mode == "add" else c.value


