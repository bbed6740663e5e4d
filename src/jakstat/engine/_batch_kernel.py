"""The compiled core of the batched engine: one member's Rosenbrock integration, over a range of members.

:func:`build_kernel` closes a generic Rosenbrock integrator over one network's numba functions
(:mod:`jakstat.compile.codegen_numba`), its LU plan (:mod:`jakstat.engine._sparse_lu`) and a tableau
(:mod:`jakstat.engine._rodas`); numba compiles it once per network and process. Members are
independent: each has its own adaptive step sequence, events and failure. The returned
``run_members(lo, hi, ...)`` integrates members ``lo..hi-1`` without the GIL (``nogil``), so
:mod:`jakstat.engine.batch` runs blocks of members on several Python threads at once.

Step-size control is Hairer-Wanner's RODAS controller (Solving ODEs II, Sec. IV.8 and ``rodas.f``):
$h_{new} = h / \\mathrm{clip}(err^{1/q}/0.9, 1/6, 5)$ with Gustafsson's predictive correction after an
accepted step, and no growth right after a rejection. The error is the root-mean-square of the
embedded estimate over $atol + rtol \\max(|y_n|, |y_{n+1}|)$ (the norm CVODE uses).

Array assignments are written as explicit loops: numba's slice assignment pulls in its
shape-error formatting, which tripled the compile time of this module.
"""

from __future__ import annotations

import numba
import numpy as np

from jakstat.engine._rodas import step_source
from jakstat.engine._sparse_lu import compile_plan, dense_factor, dense_solve, sparse_factor, sparse_solve

SUCCESS, MAX_STEPS, STEP_TOO_SMALL, NON_FINITE = 0, 1, 2, 3
# per-member counters returned in stats[m, :]
N_STAT = 5
ACCEPTED, REJECTED, RHS_CALLS, DENSE_FALLBACKS, T_FAIL = range(N_STAT)
UNROLL_LIMIT = 20_000  # LU plans with more multiply-adds are looped, not unrolled (compile time grows with code)
INLINE_MAX_NNZ = 150  # see build_kernel
SAFETY, FAC_GROW, FAC_SHRINK = 0.9, 1.0 / 6.0, 5.0  # h_new = h / clip(err^(1/q) / SAFETY, FAC_GROW, FAC_SHRINK)
PREDICTIVE = True  # Gustafsson's predictive correction (rodas.f); measured: same steps, fewer rejections

_jit = numba.njit(cache=False, fastmath=False, nogil=True, error_model="numpy")


def build_kernel(nm, plan, tab, *, force_dense: bool = False, inline: bool | None = None):
    """Compile ``run_members`` for one network (arguments: see :meth:`jakstat.engine.batch.BatchSolver._run`).

    ``inline``: paste the right-hand side and the LU solve into the Rosenbrock step (numba
    ``inline="always"``) instead of calling them; default: when the LU plan has at most
    ``INLINE_MAX_NNZ`` non-zeros. Measured (same process, interleaved): Bachmann 2011 (112
    non-zeros) 133 -> 114 us per member, compile 11 -> 17 s; the fibroblast network (192) 101 ->
    100 us, compile 11 -> 26 s.
    """
    inline = plan.nnz <= INLINE_MAX_NNZ if inline is None else inline
    # the *_q forms take q = (p, parameter-only sub-expressions): see jakstat.compile.codegen_numba
    rhs, jac_values, dfdt = nm.function("rhs_q"), nm.function("jac_values_q"), nm.function("dfdt_q")
    parametric = nm.function("parametric")
    n_q = int(nm.n_q)
    autonomous = bool(nm.autonomous)
    n = int(nm.n_species)
    jac_rows, jac_cols = nm.jac_rows.copy(), nm.jac_cols.copy()
    n_jac = int(jac_rows.size)
    S = int(tab.stages)
    n_h = int(tab.H.shape[0])
    gamma = float(tab.gamma)
    inv_q = 1.0 / tab.order
    lu_factor, lu_solve = _plan_functions(plan, inline)
    rhs_step = numba.njit(inline="always", cache=False, fastmath=False, nogil=True, error_model="numpy")(rhs.py_func) \
        if inline else rhs
    step_sparse, dense_coefficients, new_stages = _step_functions(tab, n, autonomous, rhs_step, lu_solve)
    step_dense = _step_functions(tab, n, autonomous, rhs, _dense_lu_solve)[0]
    nnz = int(plan.nnz)
    use_sparse = not force_dense
    eps = np.finfo(np.float64).eps

    @_jit
    def wrms(v, y, y2, rtol, atol):
        s = 0.0
        for i in range(n):
            x = v[i] / (atol + rtol * max(abs(y[i]), abs(y2[i])))
            s += x * x
        return np.sqrt(s / max(n, 1))

    @_jit
    def initial_step(t, y, f0, q, rtol, atol, span, y1, f1):
        """Hairer-Wanner's starting step (as SciPy's ``select_initial_step``), capped by ``span``."""
        d0 = wrms(y, y, y, rtol, atol)
        d1 = wrms(f0, y, y, rtol, atol)
        h0 = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
        h0 = min(h0, span)
        for i in range(n):
            y1[i] = y[i] + h0 * f0[i]
        rhs(t + h0, y1, q, f1)
        for i in range(n):
            y1[i] = f1[i] - f0[i]
        d2 = wrms(y1, y, y, rtol, atol) / h0
        if not np.isfinite(d2):
            return h0 * 1e-3
        h1 = max(1e-6, h0 * 1e-3) if (d1 <= 1e-15 and d2 <= 1e-15) else (0.01 / max(d1, d2)) ** inv_q
        return min(100.0 * h0, h1, span)

    @_jit
    def factor(hh, jv, lu, Wd, piv):
        """Factor $W = I/(h\\gamma) - J$: sparse plan first, dense partial pivoting if refused.
        Returns 0 (sparse), 1 (dense) or -1 (singular)."""
        diag_val = 1.0 / (hh * gamma)
        if use_sparse and lu_factor(lu, jv, diag_val):
            return 0
        for i in range(n):
            for k in range(n):
                Wd[i, k] = 0.0
            Wd[i, i] = diag_val
        for q in range(n_jac):
            Wd[jac_rows[q], jac_cols[q]] -= jv[q]
        return 1 if dense_factor(Wd, piv) else -1

    @_jit
    def member(times, t0, p, q, y, ev_time, ev_target, ev_index, ev_value, ev_mode, rtol, atol, max_steps, h_fixed,
               out, stats):
        """Integrate one member (``y``, ``p``: its own copies, changed in place; ``q``: scratch for
        ``parametric(p, q)``); outputs into ``out``; returns status.
        ``h_fixed > 0`` takes steps of that size with no error control (for convergence-order studies)."""
        n_t = times.size
        t_end = times[n_t - 1]
        ne = ev_time.size
        f0 = np.empty(n)
        ft = np.zeros(n)
        u = np.empty(n)
        r = np.empty(n)
        ynew = np.empty(n)
        est = np.empty(n)
        K = new_stages()
        D = np.empty(n_h * n)
        jv = np.empty(n_jac)
        lu = np.empty(nnz)
        Wd = np.empty((n, n))
        piv = np.empty(n, dtype=np.int64)
        ie = 0
        while ie < ne and ev_time[ie] < t0:
            ie += 1
        t = t0
        it = 0
        status = SUCCESS
        n_acc = n_rej = n_rhs = n_dense = 0
        parametric(p, q)
        while True:
            # events at t; outputs at t show the state after them
            changed_p = False
            while ie < ne and ev_time[ie] == t:
                target = y if ev_target[ie] == 0 else p
                changed_p = changed_p or ev_target[ie] != 0
                if ev_mode[ie] == 1:
                    target[ev_index[ie]] += ev_value[ie]
                else:
                    target[ev_index[ie]] = ev_value[ie]
                ie += 1
            if changed_p:
                parametric(p, q)
            j = it - 1
            while j >= 0 and times[j] == t:
                for i in range(n):
                    out[j, i] = y[i]
                j -= 1
            while it < n_t and times[it] <= t:
                for i in range(n):
                    out[it, i] = y[i]
                it += 1
            if t >= t_end:
                break
            t_stop = ev_time[ie] if (ie < ne and ev_time[ie] < t_end) else t_end
            # one segment [t, t_stop] without events
            rhs(t, y, q, f0)
            n_rhs += 2
            for i in range(n):
                if not (np.isfinite(f0[i]) and np.isfinite(y[i])):
                    status = NON_FINITE
            if status != SUCCESS:
                break
            h = h_fixed if h_fixed > 0.0 else initial_step(t, y, f0, q, rtol, atol, t_stop - t, u, r)
            h_acc, err_acc_q = 0.0, 1.0
            rejected = False
            non_finite = False  # the last rejection was for a non-finite stage
            need_f, need_j = False, True  # f0 belongs to (t, y), J not yet
            n_seg = 0
            while t < t_stop:
                if n_acc + n_rej >= max_steps:
                    status = MAX_STEPS
                    break
                if h < 16.0 * eps * max(abs(t), abs(t_stop)):
                    status = NON_FINITE if non_finite else STEP_TOO_SMALL
                    break
                last = t + (1.0 + 1e-9 if h_fixed > 0.0 else 1.01) * h >= t_stop
                hh = t_stop - t if last else h
                if need_f:
                    rhs(t, y, q, f0)
                    n_rhs += 1
                    need_f = False
                    for i in range(n):
                        if not np.isfinite(f0[i]):
                            status = NON_FINITE
                    if status != SUCCESS:
                        break
                if need_j:
                    jac_values(t, y, q, jv)
                    if not autonomous:
                        dfdt(t, y, q, ft)
                    need_j = False
                kind = factor(hh, jv, lu, Wd, piv)
                if kind < 0:
                    h = 0.25 * hh
                    n_rej += 1
                    rejected = True
                    continue
                if kind == 1:
                    n_dense += 1
                    step_dense(t, hh, y, q, f0, ft, (Wd, piv), K, u, r, ynew, est)
                else:
                    step_sparse(t, hh, y, q, f0, ft, lu, K, u, r, ynew, est)
                n_rhs += S - 1
                err = wrms(est, y, ynew, rtol, atol)
                if not np.isfinite(err):
                    if h_fixed > 0.0:
                        status = NON_FINITE
                        break
                    h = 0.25 * hh
                    n_rej += 1
                    rejected = non_finite = True
                    continue
                non_finite = False
                if h_fixed > 0.0:
                    err = 0.0
                err_q = err ** inv_q
                fac = max(FAC_GROW, min(FAC_SHRINK, err_q / SAFETY))
                h_new = hh / fac
                if err > 1.0:
                    h = 0.1 * hh if n_seg == 0 else h_new
                    n_rej += 1
                    rejected = True
                    continue
                if PREDICTIVE and n_seg > 0:  # Gustafsson's predictive controller
                    fgus = max(FAC_GROW, min(FAC_SHRINK, (h_acc / hh) * err_q * err_q / err_acc_q / SAFETY))
                    h_new = hh / max(fac, fgus)
                h_acc, err_acc_q = hh, max(1e-2, err) ** inv_q
                if rejected:
                    h_new = min(h_new, hh)
                rejected = False
                t_new = t_stop if last else t + hh
                if it < n_t and times[it] <= t_new:  # continuous output for outputs in (t, t_new]
                    dense_coefficients(K, D)
                    while it < n_t and times[it] <= t_new:
                        th = (times[it] - t) / hh
                        th1 = 1.0 - th
                        for i in range(n):
                            inner = D[(n_h - 1) * n + i]
                            for rr in range(n_h - 2, -1, -1):
                                inner = D[rr * n + i] + th * inner
                            out[it, i] = th1 * y[i] + th * (ynew[i] + th1 * inner)
                        it += 1
                for i in range(n):
                    y[i] = ynew[i]
                t = t_new
                n_acc += 1
                n_seg += 1
                need_f = need_j = True
                h = h_fixed if h_fixed > 0.0 else h_new
            if status != SUCCESS:
                break
        if status != SUCCESS:  # outputs after the failure are NaN
            for j in range(it, n_t):
                for i in range(n):
                    out[j, i] = np.nan
        stats[ACCEPTED] = n_acc
        stats[REJECTED] = n_rej
        stats[RHS_CALLS] = n_rhs
        stats[DENSE_FALLBACKS] = n_dense
        stats[T_FAIL] = t if status != SUCCESS else np.nan
        return status

    @_jit
    def run_members(lo, hi, times, t0, P, Y0, ev_ptr, ev_time, ev_target, ev_index, ev_value, ev_mode, rtol, atol,
                    max_steps, h_fixed, out, status, stats):
        """Members ``lo..hi-1`` of the arrays (rows of ``P``, ``Y0``, ``out``, ``status``, ``stats``)."""
        n_p = P.shape[1]
        y = np.empty(n)
        p = np.empty(n_p)
        q = np.empty(n_q)
        for m in range(lo, hi):
            for i in range(n):
                y[i] = Y0[m, i]
            for k in range(n_p):
                p[k] = P[m, k]
            a, b = ev_ptr[m], ev_ptr[m + 1]
            status[m] = member(times, t0, p, q, y, ev_time[a:b], ev_target[a:b], ev_index[a:b], ev_value[a:b],
                               ev_mode[a:b], rtol, atol, max_steps, h_fixed, out[m], stats[m])

    return run_members


@_jit
def _dense_lu_solve(lu, b, x):
    dense_solve(lu[0], lu[1], b, x)


def _step_functions(tab, n, autonomous, rhs, lu_solve):
    """``rodas_step``, ``rodas_dense`` and ``new_stages`` (:func:`jakstat.engine._rodas.step_source`), bound to
    ``rhs`` and ``lu_solve``."""
    namespace = {"rhs": rhs, "lu_solve": lu_solve, "np": np}
    exec(compile(step_source(tab, n, autonomous), f"<jakstat-{tab.name}>", "exec"), namespace)
    return _jit(namespace["rodas_step"]), _jit(namespace["rodas_dense"]), _jit(namespace["new_stages"])


def _plan_functions(plan, inline_solve: bool = False):
    """``lu_factor(v, jv, dval) -> bool`` and ``lu_solve(v, b, x)`` for ``plan``: unrolled, or looped for large
    plans."""
    if plan.flops <= UNROLL_LIMIT:
        return compile_plan(plan, inline_solve)
    row_ptr, col, diag, perm, jac_pos = plan.row_ptr, plan.col, plan.diag, plan.perm, plan.jac_pos
    op_l, op_piv, op_u0, op_u1, op_t0, tgt = plan.op_l, plan.op_piv, plan.op_u0, plan.op_u1, plan.op_t0, plan.tgt
    n = plan.n

    @_jit
    def lu_factor(v, jv, dval):
        for q in range(v.size):
            v[q] = 0.0
        for q in range(jac_pos.size):
            v[jac_pos[q]] = -jv[q]
        for i in range(n):
            v[diag[i]] += dval
        return sparse_factor(v, row_ptr, diag, op_l, op_piv, op_u0, op_u1, op_t0, tgt)

    @_jit
    def lu_solve(v, b, x):
        work = np.empty(n)
        sparse_solve(v, row_ptr, col, diag, perm, b, x, work)

    return lu_factor, lu_solve
