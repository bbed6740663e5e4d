"""Pre-equilibration: run a network to its steady state before a stimulus.

The state is integrated over growing windows until every derivative is negligible against its
own concentration (``|dy_i/dt| <= rel * (|y_i| + floor)`` per second), as AMICI's
simulation-based steady state does. Integration, not a Newton solve, keeps the conserved totals
(total STAT3, gp130, JAK1, ...) exactly where the initial state put them.
"""

from __future__ import annotations

import numpy as np

from jakstat.compile.codegen import CompiledModel
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.errors import SimulationError


def steady_state(model: CompiledModel, *, y0: np.ndarray | None = None, p: np.ndarray | None = None,
                 rel: float = 1e-9, floor: float = 1e-9, max_time: float = 1e9,
                 options: SolverOptions = SolverOptions(method="BDF", rtol=1e-10, atol=1e-14)) -> np.ndarray:
    """Steady state (nM) reached from ``y0`` with parameters ``p``.

    Parameters
    ----------
    rel : float
        Converged when ``|dy_i/dt| <= rel * (|y_i| + floor)`` for every species, with time in s.
    floor : float
        Concentration floor, nM, so that species near zero do not block convergence.
    max_time : float
        Give up after this much simulated time, s (:class:`SimulationError`).
    """
    y = np.array(model.y0 if y0 is None else y0, dtype=float)
    p = np.array(model.p0 if p is None else p, dtype=float)
    t, window = 0.0, 3600.0
    while t < max_time:
        y = integrate(_without_events(model), np.array([window]), y0=y, p=p, options=options)[-1]
        t += window
        dy = model.rhs(t, y, p)
        if np.all(np.abs(dy) <= rel * (np.abs(y) + floor)):
            return _clip_roundoff(model, y, options.atol)
        window *= 2
    worst = int(np.argmax(np.abs(dy) / (np.abs(y) + floor)))
    raise SimulationError(
        f"no steady state within {max_time:g} s; slowest species {model.species_ids[worst]!r} "
        f"changes at {dy[worst]:.3g} nM/s"
    )


def _without_events(model: CompiledModel) -> CompiledModel:
    if not model.network.events:
        return model
    from dataclasses import replace

    return replace(model, network=replace(model.network, events=()))


def _clip_roundoff(model: CompiledModel, y: np.ndarray, atol: float) -> np.ndarray:
    """Set negative values at the integrator's noise level (|y| < 100 atol) to zero; refuse larger ones."""
    worst = int(np.argmin(y))
    if y[worst] < -100 * atol:
        raise SimulationError(
            f"steady state has a negative concentration: {model.species_ids[worst]!r} = {y[worst]:.3g} nM"
        )
    return np.where(y < 0, 0.0, y)
