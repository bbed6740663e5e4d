"""Sparse LU of the Newton matrix $W = I/(h\\gamma) - J$ with a fixed elimination plan.

A network's Jacobian has a fixed structure (the fibroblast network: 38 species, 158 non-zeros),
so the symbolic work is done once per network: a minimum-degree ordering of the symmetrised
pattern, the fill-in, and a flat list of elimination operations. Each factorisation is then a
loop over that list (no searching, no allocation), a few hundred multiply-adds instead of the
$n^3/3$ of a dense LU.

The ordering is static (no row exchanges), so the factorisation checks its own backward error:
LU computed in floating point is the exact LU of $W + E$ with $|E| \\le \\gamma_n |L||U|$ (Higham,
Accuracy and Stability of Numerical Algorithms, Thm. 9.3). Row by row, the 1-norm bound
$\\sum_k |l_{ik}| \\, \\|u_{k,:}\\|_1 + \\|u_{i,:}\\|_1$ on that row of $|L||U|$ must stay within
``GROWTH_LIMIT`` times the row's 1-norm in $W$; otherwise (or on a zero or non-finite pivot) the
factorisation is refused and the caller falls back to the dense LU with partial pivoting in this
module. A bound on the multipliers alone (threshold pivoting) refused harmless one-way couplings,
such as a fast translation step (Bachmann 2011: $\\partial \\dot{SOCS3}/\\partial SOCS3RNA \\approx 10^6$
against a pivot of order 1), on every step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numba
import numpy as np

GROWTH_LIMIT = 1e4


@dataclass(frozen=True)
class LUPlan:
    """Symbolic LU of an ``n x n`` pattern (diagonal always included), in a permuted order.

    ``perm[new] = old``; the filled pattern is CSR (``row_ptr``, ``col``) with sorted columns in
    the new order and ``diag[i]`` the position of $(i, i)$. ``jac_pos[q]`` is where the ``q``-th
    structural Jacobian entry lands. Operation ``o`` divides ``vals[op_l[o]]`` by
    ``vals[op_piv[o]]`` and subtracts the multiple of the U part of the pivot row
    (``vals[op_u0[o]:op_u1[o]]``) from ``vals[tgt[op_t0[o] + q]]``.
    """

    n: int
    perm: np.ndarray
    row_ptr: np.ndarray
    col: np.ndarray
    diag: np.ndarray
    jac_pos: np.ndarray
    op_l: np.ndarray
    op_piv: np.ndarray
    op_u0: np.ndarray
    op_u1: np.ndarray
    op_t0: np.ndarray
    tgt: np.ndarray

    @property
    def nnz(self) -> int:
        return int(self.row_ptr[-1])

    @property
    def flops(self) -> int:
        """Multiply-adds of one factorisation."""
        return int(self.tgt.size + self.op_l.size)


def minimum_degree_order(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Greedy minimum-degree ordering of the symmetrised pattern (ties broken by index)."""
    adj = [set() for _ in range(n)]
    for i, k in zip(rows.tolist(), cols.tolist()):
        if i != k:
            adj[i].add(k)
            adj[k].add(i)
    remaining = set(range(n))
    order = []
    while remaining:
        v = min(remaining, key=lambda x: (len(adj[x]), x))
        order.append(v)
        remaining.remove(v)
        neighbours = adj[v]
        for a in neighbours:
            adj[a].discard(v)
            adj[a] |= neighbours - {a}
        adj[v] = set()
    return np.array(order, dtype=np.int64)


def plan_lu(n: int, rows: np.ndarray, cols: np.ndarray, perm: np.ndarray | None = None) -> LUPlan:
    """Elimination plan for the pattern ``(rows, cols)`` plus the diagonal."""
    perm = minimum_degree_order(n, rows, cols) if perm is None else np.asarray(perm, dtype=np.int64)
    inverse = np.empty(n, dtype=np.int64)
    inverse[perm] = np.arange(n)
    pattern = [set([i]) for i in range(n)]
    for i, k in zip(rows.tolist(), cols.tolist()):
        pattern[inverse[i]].add(int(inverse[k]))
    # symbolic factorisation, row by row: row i gains the U pattern of every pivot row k it meets
    for i in range(n):
        done: set[int] = set()
        while True:
            lower = sorted(k for k in pattern[i] if k < i and k not in done)
            if not lower:
                break
            k = lower[0]
            done.add(k)
            pattern[i] |= {j for j in pattern[k] if j > k}
    cols_sorted = [sorted(s) for s in pattern]
    row_ptr = np.zeros(n + 1, dtype=np.int64)
    row_ptr[1:] = np.cumsum([len(c) for c in cols_sorted])
    col = np.array([j for c in cols_sorted for j in c], dtype=np.int64)
    position = {(i, j): int(row_ptr[i]) + q for i, c in enumerate(cols_sorted) for q, j in enumerate(c)}
    diag = np.array([position[(i, i)] for i in range(n)], dtype=np.int64)
    jac_pos = np.array([position[(int(inverse[i]), int(inverse[k]))] for i, k in zip(rows, cols)], dtype=np.int64)
    op_l, op_piv, op_u0, op_u1, op_t0, tgt = [], [], [], [], [], []
    for i in range(n):
        for q in range(row_ptr[i], diag[i]):
            k = int(col[q])
            u0, u1 = int(diag[k]) + 1, int(row_ptr[k + 1])
            op_l.append(q)
            op_piv.append(int(diag[k]))
            op_u0.append(u0)
            op_u1.append(u1)
            op_t0.append(len(tgt))
            tgt.extend(position[(i, int(col[r]))] for r in range(u0, u1))
    as_int = lambda x: np.array(x, dtype=np.int64)  # noqa: E731
    return LUPlan(n, perm, row_ptr, col, diag, jac_pos, as_int(op_l), as_int(op_piv), as_int(op_u0), as_int(op_u1),
                  as_int(op_t0), as_int(tgt))


@numba.njit(cache=False, fastmath=False, nogil=True, error_model="numpy")
def sparse_factor(vals, row_ptr, diag, op_l, op_piv, op_u0, op_u1, op_t0, tgt):
    """Factor in place (rows in order); False when the backward-error bound exceeds ``GROWTH_LIMIT`` (see the
    module docstring) or a pivot is 0 or not finite."""
    n = diag.size
    o = 0
    for i in range(n):
        w = _row_norm(vals, row_ptr[i], row_ptr[i + 1])
        s = 0.0
        while o < op_l.size and op_l[o] < diag[i]:
            piv = vals[op_piv[o]]
            m = vals[op_l[o]] / piv
            vals[op_l[o]] = m
            s += abs(m) * _row_norm(vals, op_piv[o], op_u1[o])  # |l_ik| sum_j |u_kj|
            t0 = op_t0[o]
            u0 = op_u0[o]
            for q in range(op_u1[o] - u0):
                vals[tgt[t0 + q]] -= m * vals[u0 + q]
            o += 1
        um = _row_norm(vals, diag[i], row_ptr[i + 1])
        piv = vals[diag[i]]
        if not (np.isfinite(piv) and piv != 0.0 and np.isfinite(s) and s + um <= GROWTH_LIMIT * w):
            return False
    return True


@numba.njit(cache=False, fastmath=False, nogil=True, error_model="numpy")
def _row_norm(vals, start, stop):
    m = 0.0
    for q in range(start, stop):
        m += abs(vals[q])
    return m


@numba.njit(cache=False, fastmath=False, nogil=True, error_model="numpy")
def sparse_solve(vals, row_ptr, col, diag, perm, b, x, work):
    """``x = W^{-1} b`` from :func:`sparse_factor`'s output (``work``: scratch of length n)."""
    n = diag.size
    for i in range(n):
        s = b[perm[i]]
        for q in range(row_ptr[i], diag[i]):
            s -= vals[q] * work[col[q]]
        work[i] = s
    for i in range(n - 1, -1, -1):
        s = work[i]
        for q in range(diag[i] + 1, row_ptr[i + 1]):
            s -= vals[q] * work[col[q]]
        work[i] = s / vals[diag[i]]
    for i in range(n):
        x[perm[i]] = work[i]


@numba.njit(cache=False, fastmath=False, nogil=True, error_model="numpy")
def dense_factor(a, piv):
    """LU with partial pivoting, in place (LAPACK getrf convention); False when singular or not finite."""
    n = a.shape[0]
    for k in range(n):
        p = k
        best = abs(a[k, k])
        for i in range(k + 1, n):
            v = abs(a[i, k])
            if v > best:
                best = v
                p = i
        if best == 0.0 or not np.isfinite(best):
            return False
        piv[k] = p
        if p != k:
            for j in range(n):
                tmp = a[k, j]
                a[k, j] = a[p, j]
                a[p, j] = tmp
        inv = 1.0 / a[k, k]
        for i in range(k + 1, n):
            m = a[i, k] * inv
            a[i, k] = m
            if m != 0.0:
                for j in range(k + 1, n):
                    a[i, j] -= m * a[k, j]
    return True


@numba.njit(cache=False, fastmath=False, nogil=True, error_model="numpy")
def dense_solve(a, piv, b, x):
    """``x = A^{-1} b`` from :func:`dense_factor`'s output."""
    n = a.shape[0]
    for i in range(n):
        x[i] = b[i]
    for k in range(n):
        p = piv[k]
        if p != k:
            tmp = x[k]
            x[k] = x[p]
            x[p] = tmp
    for i in range(n):
        s = x[i]
        for j in range(i):
            s -= a[i, j] * x[j]
        x[i] = s
    for i in range(n - 1, -1, -1):
        s = x[i]
        for j in range(i + 1, n):
            s -= a[i, j] * x[j]
        x[i] = s / a[i, i]


def plan_source(plan: LUPlan) -> str:
    """Straight-line ``lu_factor(v, jv, dval) -> bool`` (factors $W = dval\\,I - J$ into ``v``, given the
    Jacobian's non-zeros ``jv``) and ``lu_solve(v, b, x)`` for one plan.

    The same operations as :func:`sparse_factor` / :func:`sparse_solve`, unrolled (no index
    loads, no loop overhead), and with the reciprocal of each pivot stored in place of the pivot so
    that the substitutions multiply instead of divide.
    """
    n = plan.n
    # branch-free (one basic block compiles fast), on local scalars (numba types and lowers array
    # item updates far more slowly than arithmetic on locals): the worst row ratio of the
    # backward-error bound to the row's norm, and the sum of the multipliers and reciprocal pivots
    # (NaN or inf if any is), are checked once, at the end
    # assembled here from the Jacobian's non-zeros jv: W = dval * I - J, fill-in starting at zero
    start = {q: "0.0" for q in range(plan.nnz)}
    for k, q in enumerate(plan.jac_pos.tolist()):
        start[q] = f"-jv[{k}]"
    for d in plan.diag.tolist():
        start[d] = "dval" if start[d] == "0.0" else f"dval {start[d].replace('-', '- ', 1)}"
    fac = ["def lu_factor(v, jv, dval):", *[f"    a{q} = {start[q]}" for q in range(plan.nnz)], "    worst = 0.0",
           "    total = 0.0"]
    o = 0
    row_norm = lambda a, b: " + ".join(f"abs(a{q})" for q in range(a, b))  # noqa: E731
    for i in range(n):
        fac += [f"    w = {row_norm(int(plan.row_ptr[i]), int(plan.row_ptr[i + 1]))}", "    s = 0.0"]
        while o < plan.op_l.size and plan.op_l[o] < plan.diag[i]:
            q, k = int(plan.op_l[o]), int(plan.op_piv[o])
            k_row = int(np.searchsorted(plan.diag, k))
            fac += [f"    a{q} = a{q} * a{k}", f"    total += a{q}", f"    s += abs(a{q}) * um_{k_row}"]
            t0 = int(plan.op_t0[o])
            for r in range(int(plan.op_u1[o] - plan.op_u0[o])):
                target = int(plan.tgt[t0 + r])
                fac.append(f"    a{target} = a{target} - a{q} * a{int(plan.op_u0[o]) + r}")
            o += 1
        d = int(plan.diag[i])
        fac += [f"    um_{i} = {row_norm(d, int(plan.row_ptr[i + 1]))}", f"    worst = max(worst, (s + um_{i}) / w)",
                f"    a{d} = 1.0 / a{d}", f"    total += a{d}"]
    fac += [f"    v[{q}] = a{q}" for q in range(plan.nnz)]
    fac.append(f"    return worst <= {GROWTH_LIMIT!r} and math.isfinite(total)")
    sol = ["def lu_solve(v, b, x):"]
    for i in range(n):
        terms = "".join(f" - v[{q}] * w_{int(plan.col[q])}" for q in range(plan.row_ptr[i], plan.diag[i]))
        sol.append(f"    w_{i} = b[{int(plan.perm[i])}]{terms}")
    for i in range(n - 1, -1, -1):
        terms = "".join(f" - v[{q}] * z_{int(plan.col[q])}" for q in range(plan.diag[i] + 1, plan.row_ptr[i + 1]))
        sol.append(f"    z_{i} = (w_{i}{terms}) * v[{int(plan.diag[i])}]")
    sol += [f"    x[{int(plan.perm[i])}] = z_{i}" for i in range(n)]
    return "\n".join(fac) + "\n\n" + "\n".join(sol) + "\n"


def compile_plan(plan: LUPlan, inline_solve: bool = False):
    """numba-compile :func:`plan_source` (``lu_factor``, ``lu_solve``; the solve inlined where it is called if
    ``inline_solve``)."""
    import math

    namespace: dict = {"math": math}
    exec(compile(plan_source(plan), "<jakstat-lu>", "exec"), namespace)
    options = dict(cache=False, fastmath=False, nogil=True, error_model="numpy")
    solve = numba.njit(inline="always" if inline_solve else "never", **options)(namespace["lu_solve"])
    return numba.njit(**options)(namespace["lu_factor"]), solve
