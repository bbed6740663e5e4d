"""Pre-equilibration: run a network to its steady state before a stimulus.

The state is integrated over growing windows until every derivative is negligible against its
own concentration (``|dy_i/dt| <= rel * (|y_i| + floor)`` per second), as AMICI's
simulation-based steady state does. Integration, not a Newton solve, keeps the conserved totals
(total STAT3, gp130, JAK1, ...) exactly where the initial state put them. :func:`steady_state_batch`
does the same for many parameter sets at once on the batched engine (:mod:`jakstat.engine.batch`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jakstat.compile.codegen import CompiledModel
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.errors import InvalidValueError, SimulationError


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


@dataclass(frozen=True)
class BatchSteadyState:
    """Steady states of a batch of parameter sets (:func:`steady_state_batch`).

    Attributes
    ----------
    states : ndarray, shape (n_members, n_species)
        Steady states, nM; NaN for a member that failed.
    time_s : ndarray, shape (n_members,)
        Simulated time at which the member was found steady (or failed), s.
    ok : ndarray of bool, shape (n_members,)
        Members that reached a steady state.
    messages : tuple of str
        Empty for a success; otherwise why the member failed.
    """

    states: np.ndarray
    time_s: np.ndarray
    ok: np.ndarray
    messages: tuple[str, ...]


def steady_state_batch(model, params: np.ndarray, y0: np.ndarray | None = None, *, rel: float = 1e-9,
                       floor: float = 1e-9, max_time: float = 1e9, rtol: float = 1e-10, atol: float = 1e-14,
                       n_threads: int | None = None) -> BatchSteadyState:
    """:func:`steady_state` for ``N`` parameter sets at once, on the batched engine.

    The same procedure and criterion as :func:`steady_state` (windows of 1 h, doubling, each one
    integrated afresh from the end of the last, the network's events left out; converged when
    ``|dy_i/dt| <= rel * (|y_i| + floor)`` per second for every species; negative values within
    100 ``atol`` set to zero), with each window of the members not yet steady integrated as one
    batch (:func:`jakstat.engine.batch.simulate_batch`, Rodas5P at ``rtol``/``atol``).

    Parameters
    ----------
    model : CompiledModel or BatchSolver
    params : array, shape (N, n_parameters)
        Parameter vectors (canonical units, the order of ``model.parameter_ids``).
    y0 : array, shape (N, n_species), optional
        Initial states, nM; default the model's own for every member.
    rel, floor, max_time
        As :func:`steady_state` (dimensionless per s, nM, s).
    rtol, atol : float
        Integrator tolerances (atol in nM).
    n_threads : int, optional
        Threads for each window (default: every core this process may use).

    Returns
    -------
    BatchSteadyState
        A member that fails (integration failure, no steady state within ``max_time``, a negative
        concentration) is marked with a message; the others are unaffected.
    """
    from jakstat.engine.batch import batch_solver, simulate_batch

    solver = batch_solver(model)
    base = solver.model
    P = np.array(params, dtype=float, ndmin=2)
    Y = np.array(np.broadcast_to(base.y0, (P.shape[0], base.y0.size)) if y0 is None else y0, dtype=float)
    if Y.shape != (P.shape[0], base.y0.size):
        raise InvalidValueError(f"y0 must have shape ({P.shape[0]}, {base.y0.size}) (one row per member); "
                                f"got {Y.shape}")
    n = P.shape[0]
    ok = np.zeros(n, dtype=bool)
    time_s = np.zeros(n)
    messages = [""] * n
    active = np.arange(n)
    t, window = 0.0, 3600.0
    while active.size and t < max_time:
        run = simulate_batch(solver, np.array([window]), P[active], Y[active], network_events=False, rtol=rtol,
                             atol=atol, n_threads=n_threads)
        t += window
        still = []
        for k, m in enumerate(active.tolist()):
            time_s[m] = t
            if not run.ok[k]:
                messages[m] = f"member {m}: window ending at t = {t:g} s: {run.messages[k].split(': ', 1)[-1]}"
                continue
            y = run.states[k, -1]
            dy = base.rhs(t, y, P[m])
            if not np.all(np.abs(dy) <= rel * (np.abs(y) + floor)):
                Y[m] = y
                still.append(m)
                continue
            worst = int(np.argmin(y))
            if y[worst] < -100 * atol:
                messages[m] = (f"member {m}: steady state has a negative concentration: "
                               f"{base.species_ids[worst]!r} = {y[worst]:.3g} nM")
                continue
            Y[m] = np.where(y < 0, 0.0, y)
            ok[m] = True
        active = np.array(still, dtype=np.int64)
        window *= 2
    for m in active.tolist():
        dy = base.rhs(t, Y[m], P[m])
        worst = int(np.argmax(np.abs(dy) / (np.abs(Y[m]) + floor)))
        messages[m] = (f"member {m}: no steady state within {max_time:g} s; slowest species "
                       f"{base.species_ids[worst]!r} changes at {dy[worst]:.3g} nM/s")
    Y[~ok] = np.nan
    return BatchSteadyState(Y, time_s, ok, tuple(messages))
