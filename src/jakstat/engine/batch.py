"""Batched simulation: one network, N parameter sets (and initial states, and doses), all at once.

Each member is integrated on its own by a compiled stiff Rosenbrock method (Rodas5P by default:
order 5, embedded order 4, continuous output of order 4, an exact Jacobian, and a sparse LU of
$I/(h\\gamma) - J$ with a fixed elimination plan; docs/design.md, "Batched engine", has the
measurements behind these choices). Members run in parallel on all cores (blocks of members on
Python threads running GIL-free compiled code), in chunks, so memory is bounded by ``chunk_size``
when results are streamed with :func:`iter_batch`.

Events are hard stops, with the semantics of :func:`jakstat.engine.integrate.integrate`: the
network's own events apply to every member, and each member may add doses of its own
(:class:`~jakstat.engine.integrate.ScheduledChange`: time, ``"y"``/``"p"``, index, value, set/add).

A member that fails (too many steps, step size underflow, a non-finite state) is marked with a
status and a message; its outputs after the failure are NaN and the rest of the batch goes on.
"""

from __future__ import annotations

import os
import threading
import time as _time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterator, Sequence

import numpy as np

from jakstat.compile.codegen import CompiledModel
from jakstat.engine.integrate import ScheduledChange, scheduled_changes
from jakstat.errors import InvalidValueError

STATUS_NAMES = ("success", "max_steps", "step_size_too_small", "non_finite")
STATUS_ADVICE = (
    "",
    "the step limit was reached; raise max_steps, or check for a very stiff or oscillating member",
    "the step size underflowed; the solution may have a singularity, or the tolerances are too strict",
    "the state or its derivative became non-finite (NaN/inf); a parameter set may make the network blow up",
)


@dataclass(frozen=True)
class BatchResult:
    """Outputs of a batch (or of one streamed chunk of it).

    Attributes
    ----------
    species_ids : tuple of str
        Order of the last axis of ``states``.
    times : ndarray, shape (n_times,)
        Output times, s.
    states : ndarray, shape (n_members, n_times, n_species)
        Concentrations, nM; NaN after a member's failure.
    status : ndarray of int8, shape (n_members,)
        0 success, 1 max_steps, 2 step_size_too_small, 3 non_finite (``STATUS_NAMES``).
    messages : tuple of str
        Empty for a success; otherwise what failed, when, and what to try.
    n_steps, n_rejected, n_rhs : ndarray of int
        Accepted steps, rejected steps and right-hand-side evaluations per member.
    start : int
        Index of the first member in the whole batch (non-zero for streamed chunks).
    """

    species_ids: tuple[str, ...]
    times: np.ndarray
    states: np.ndarray
    status: np.ndarray
    messages: tuple[str, ...]
    n_steps: np.ndarray
    n_rejected: np.ndarray
    n_rhs: np.ndarray
    start: int = 0

    @property
    def ok(self) -> np.ndarray:
        """Boolean mask of the members that succeeded."""
        return self.status == 0

    @property
    def n_failed(self) -> int:
        return int(np.count_nonzero(self.status))

    def species(self, species_id: str) -> np.ndarray:
        """``states[:, :, k]`` for one species, shape (n_members, n_times)."""
        return self.states[:, :, self.species_ids.index(species_id)]


class BatchSolver:
    """A network compiled for batches: numba functions, LU plan and integrator.

    Compiled code depends only on the network's structure (its generated source), not on its
    values or events: every model with the same source shares one compilation per process.

    Parameters
    ----------
    model : CompiledModel
    method : str
        ``"Rodas5P"`` (default) or ``"Rodas4"``.
    linear_solver : str
        ``"sparse"`` (default; fixed-plan LU with a dense fallback) or ``"dense"`` (partial pivoting always).

    Attributes
    ----------
    compile_seconds : float
        numba compilation of the network's functions and of the integrator, s (0 if shared).
    """

    def __init__(self, model: CompiledModel, *, method: str = "Rodas5P", linear_solver: str = "sparse") -> None:
        from jakstat.engine._rodas import TABLEAUS

        if method not in TABLEAUS:
            raise InvalidValueError(f"method {method!r} is not allowed; allowed: {', '.join(TABLEAUS)}")
        if linear_solver not in ("sparse", "dense"):
            raise InvalidValueError(f"linear_solver {linear_solver!r} is not allowed; allowed: sparse, dense")
        self.model, self.method, self.linear_solver = model, method, linear_solver
        key = (model.source, method, linear_solver)
        if key not in _KERNELS:
            _KERNELS[key] = _compile(model, method, linear_solver)
            self.compile_seconds = _KERNELS[key][3]
        else:
            self.compile_seconds = 0.0
        self.numba_model, self.lu_plan, self._kernel, _ = _KERNELS[key]

    def _run(self, times, t0, P, Y0, events, rtol, atol, max_steps, n_threads=1, out=None, h_fixed=0.0, pool=None):
        """Integrate every row of ``P``/``Y0``: blocks of members handed to ``n_threads`` threads as they free up
        (``pool``: a thread pool to reuse; one is made for this call if not given)."""
        from jakstat.engine._batch_kernel import N_STAT

        n_members = P.shape[0]
        if out is None:
            out = np.empty((n_members, times.size, Y0.shape[1]))  # the kernel writes every entry (NaN after a failure)
        status = np.zeros(n_members, dtype=np.int8)
        stats = np.zeros((n_members, N_STAT))
        args = (times, t0, P, Y0, *events, rtol, atol, max_steps, h_fixed, out, status, stats)
        if n_threads <= 1 or n_members < 2 * n_threads:
            self._kernel(0, n_members, *args)
            return out, status, stats
        lock, cursor = threading.Lock(), [0]

        def take() -> tuple[int, int]:
            # guided scheduling: blocks shrink as the work runs out, so no thread idles long at the end
            with lock:
                lo = cursor[0]
                size = max(2, min(32, (n_members - lo) // (4 * n_threads)))
                cursor[0] = min(n_members, lo + size)
                return lo, cursor[0]

        def worker() -> None:
            while True:
                lo, hi = take()
                if lo >= hi:
                    return
                self._kernel(lo, hi, *args)

        own = pool is None
        pool = ThreadPoolExecutor(max_workers=n_threads) if own else pool
        try:
            for future in [pool.submit(worker) for _ in range(n_threads)]:
                future.result()
        finally:
            if own:
                pool.shutdown()
        return out, status, stats


_KERNELS: dict[tuple[str, str, str], tuple] = {}


def _compile(model: CompiledModel, method: str, linear_solver: str) -> tuple:
    from jakstat.compile.codegen_numba import compile_numba
    from jakstat.engine._batch_kernel import build_kernel
    from jakstat.engine._rodas import TABLEAUS
    from jakstat.engine._sparse_lu import plan_lu

    numba_model = compile_numba(model)
    plan = plan_lu(numba_model.n_species, numba_model.jac_rows, numba_model.jac_cols)
    start = _time.perf_counter()
    kernel = build_kernel(numba_model, plan, TABLEAUS[method], force_dense=linear_solver == "dense")
    n_y, n_p = model.y0.size, model.p0.size
    kernel(0, 1, np.array([0.0, 1e-3]), 0.0, model.p0[None, :].copy(), model.y0[None, :].copy(),  # compiles it
           *_pack_events(None, [], 1, n_y, n_p), 1e-6, 1e-10, 10, 0.0, np.empty((1, 2, n_y)), np.zeros(1, np.int8),
           np.zeros((1, 5)))
    return numba_model, plan, kernel, numba_model.compile_seconds + _time.perf_counter() - start


def batch_solver(model: CompiledModel | BatchSolver, method: str = "Rodas5P",
                 linear_solver: str = "sparse") -> BatchSolver:
    """``model`` itself if it is a :class:`BatchSolver`, else a new one (compiled code is shared per structure)."""
    if isinstance(model, BatchSolver):
        return model
    return BatchSolver(model, method=method, linear_solver=linear_solver)


def simulate_batch(model: CompiledModel | BatchSolver, times_s: np.ndarray, params: np.ndarray,
                   y0: np.ndarray | None = None, *, events: Sequence[Sequence[ScheduledChange]] | None = None,
                   network_events: bool = True, t0: float = 0.0, rtol: float = 1e-8, atol: float = 1e-12,
                   max_steps: int = 100_000, chunk_size: int = 1024, n_threads: int | None = None,
                   method: str = "Rodas5P", fixed_step: float | None = None) -> BatchResult:
    """Simulate ``N`` parameter sets of one network and return every trajectory.

    Parameters
    ----------
    model : CompiledModel or BatchSolver
        The network; a :class:`BatchSolver` skips compilation (a ``CompiledModel`` is compiled once
        and cached while it lives).
    times_s : array, shape (n_times,)
        Output times, s; non-decreasing, all ``>= t0``.
    params : array, shape (N, n_parameters)
        Parameter vectors in the order of ``model.parameter_ids`` (canonical units).
    y0 : array, shape (N, n_species), optional
        Initial states, nM; default ``model.y0`` for every member.
    events : sequence of N sequences of ScheduledChange, optional
        Each member's own doses, on top of the network's events (``network_events=False`` drops those).
    rtol, atol : float
        Relative tolerance and absolute tolerance (nM) of the local error (RMS norm).
    max_steps : int
        Steps (accepted + rejected) allowed per member.
    chunk_size : int
        Members integrated per parallel call (bounds the working memory).
    n_threads : int, optional
        Threads (default: every core this process may use).
    method : str
        ``"Rodas5P"`` (default) or ``"Rodas4"``.
    fixed_step : float, optional
        Constant step size, s, with no error control (for convergence-order studies only).

    Returns
    -------
    BatchResult
        ``states`` of shape (N, n_times, n_species); failed members marked in ``status``.

    See Also
    --------
    iter_batch : the same, streamed chunk by chunk (memory bounded by ``chunk_size``).
    """
    P = np.asarray(params)
    n_times = np.asarray(times_s).size
    states = np.empty((P.shape[0] if P.ndim == 2 else 0, n_times, len(batch_solver(model, method).model.species_ids)))
    chunks = list(_chunks(model, times_s, params, y0, events, network_events, t0, rtol, atol, max_steps, chunk_size,
                          n_threads, method, fixed_step, states))
    first = chunks[0]
    return BatchResult(first.species_ids, first.times, states, np.concatenate([c.status for c in chunks]),
                       sum((c.messages for c in chunks), ()), np.concatenate([c.n_steps for c in chunks]),
                       np.concatenate([c.n_rejected for c in chunks]), np.concatenate([c.n_rhs for c in chunks]))


def iter_batch(model: CompiledModel | BatchSolver, times_s: np.ndarray, params: np.ndarray,
               y0: np.ndarray | None = None, *, events: Sequence[Sequence[ScheduledChange]] | None = None,
               network_events: bool = True, t0: float = 0.0, rtol: float = 1e-8, atol: float = 1e-12,
               max_steps: int = 100_000, chunk_size: int = 1024, n_threads: int | None = None,
               method: str = "Rodas5P", fixed_step: float | None = None) -> Iterator[BatchResult]:
    """:func:`simulate_batch`, yielding one :class:`BatchResult` per chunk of members (``start`` says where).

    Each chunk owns its arrays; memory stays at one chunk's outputs as long as the caller keeps only
    what it needs from each.
    """
    return _chunks(model, times_s, params, y0, events, network_events, t0, rtol, atol, max_steps, chunk_size,
                   n_threads, method, fixed_step, None)


def _chunks(model, times_s, params, y0, events, network_events, t0, rtol, atol, max_steps, chunk_size, n_threads,
            method, fixed_step, states) -> Iterator[BatchResult]:
    solver = batch_solver(model, method)
    base = solver.model
    times, P, Y0 = _check_inputs(base, times_s, params, y0, t0, rtol, atol, max_steps, chunk_size, events)
    threads = default_threads() if n_threads is None else int(n_threads)
    if threads < 1:
        raise InvalidValueError(f"n_threads must be >= 1; got {n_threads}")
    if fixed_step is not None and not fixed_step > 0:
        raise InvalidValueError(f"fixed_step must be > 0 s; got {fixed_step}")
    shared = scheduled_changes(base) if network_events else []
    n_y, n_p = Y0.shape[1], P.shape[1]
    pool = ThreadPoolExecutor(max_workers=threads) if threads > 1 else None
    try:
        for start in range(0, P.shape[0], chunk_size):
            stop = min(start + chunk_size, P.shape[0])
            packed = _pack_events(None if events is None else events[start:stop], shared, stop - start, n_y, n_p)
            out, status, stats = solver._run(times, float(t0), P[start:stop], Y0[start:stop], packed, float(rtol),
                                             float(atol), int(max_steps), threads,
                                             None if states is None else states[start:stop],
                                             0.0 if fixed_step is None else float(fixed_step), pool)
            yield _result(base, times, out, status, stats, start)
    finally:
        if pool is not None:
            pool.shutdown()


def default_threads() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _result(model: CompiledModel, times, out, status, stats, start) -> BatchResult:
    from jakstat.engine._batch_kernel import ACCEPTED, REJECTED, RHS_CALLS, T_FAIL

    messages = tuple("" if s == 0 else
                     f"member {start + m}: {STATUS_NAMES[s]} at t = {stats[m, T_FAIL]:.6g} s after "
                     f"{int(stats[m, ACCEPTED])} steps; {STATUS_ADVICE[s]}"
                     for m, s in enumerate(status.tolist()))
    return BatchResult(model.species_ids, times, out, status, messages, stats[:, ACCEPTED].astype(np.int64),
                       stats[:, REJECTED].astype(np.int64), stats[:, RHS_CALLS].astype(np.int64), start)


def _check_inputs(model, times_s, params, y0, t0, rtol, atol, max_steps, chunk_size, events):
    times = np.ascontiguousarray(times_s, dtype=np.float64)
    if times.ndim != 1 or times.size == 0 or np.any(np.diff(times) < 0) or times[0] < t0:
        raise InvalidValueError("times_s must be a non-empty, non-decreasing 1-D array with every time >= t0")
    P = np.ascontiguousarray(params, dtype=np.float64)
    n_p, n_y = len(model.parameter_ids), len(model.species_ids)
    if P.ndim != 2 or P.shape[1] != n_p:
        raise InvalidValueError(f"params must have shape (N, {n_p}) (one row per member, columns in the order of "
                                f"model.parameter_ids); got shape {P.shape}")
    if y0 is None:
        Y0 = np.ascontiguousarray(np.broadcast_to(model.y0, (P.shape[0], n_y)), dtype=np.float64)
    else:
        Y0 = np.ascontiguousarray(y0, dtype=np.float64)
        if Y0.shape != (P.shape[0], n_y):
            raise InvalidValueError(f"y0 must have shape ({P.shape[0]}, {n_y}) (one row per member); got {Y0.shape}")
    if not (0 < rtol < 1) or not atol > 0:
        raise InvalidValueError(f"tolerances must satisfy 0 < rtol < 1 and atol > 0; got rtol={rtol}, atol={atol}")
    if max_steps < 1 or chunk_size < 1:
        raise InvalidValueError(f"max_steps and chunk_size must be >= 1; got {max_steps}, {chunk_size}")
    if events is not None and len(events) != P.shape[0]:
        raise InvalidValueError(f"events must hold one sequence per member ({P.shape[0]}); got {len(events)}")
    return times, P, Y0


def _pack_events(member_events, shared: list[ScheduledChange], n_members: int, n_y: int, n_p: int):
    """Flatten events to CSR arrays (ptr, time, target 0=y/1=p, index, value, mode 0=set/1=add), sorted by time
    per member; at equal times the network's events come first, then the member's in the order given."""
    def encode(changes):
        ordered = sorted(changes, key=lambda c: c.time)  # stable
        return [(c.time, 0 if c.target == "y" else 1, c.index, c.value, 1 if c.mode == "add" else 0) for c in ordered]

    if member_events is None:
        rows = [encode(shared)] * n_members
    else:
        rows = []
        for m, own in enumerate(member_events):
            for c in own:
                size = n_y if c.target == "y" else n_p
                if c.target not in ("y", "p") or c.mode not in ("set", "add") or not np.isfinite(c.time) \
                        or not 0 <= c.index < size:
                    raise InvalidValueError(f"event of member {m}: target must be 'y' (index < {n_y}) or 'p' (index "
                                            f"< {n_p}), mode 'set' or 'add', time finite; got {c}")
            rows.append(encode(list(shared) + list(own)))
    counts = np.array([len(r) for r in rows], dtype=np.int64)
    ptr = np.zeros(n_members + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(counts)
    flat = [e for r in rows for e in r]
    arr = np.array(flat, dtype=np.float64).reshape(-1, 5)
    return (ptr, np.ascontiguousarray(arr[:, 0]), arr[:, 1].astype(np.int64), arr[:, 2].astype(np.int64),
            np.ascontiguousarray(arr[:, 3]), arr[:, 4].astype(np.int64))
