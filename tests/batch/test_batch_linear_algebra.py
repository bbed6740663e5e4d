"""The pieces under the batched engine: numba-compiled right-hand side and Jacobian, and the sparse LU."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("numba", reason="the batched engine needs numba")

from jakstat.compile.codegen import compile_network  # noqa: E402
from jakstat.compile.codegen_numba import compile_numba  # noqa: E402
from jakstat.engine._batch_kernel import _plan_functions  # noqa: E402
from jakstat.engine._sparse_lu import dense_factor, dense_solve, plan_lu  # noqa: E402


def test_numba_functions_match_the_python_ones(fibroblast_network):
    model = compile_network(fibroblast_network)
    compiled = compile_numba(model)
    rng = np.random.default_rng(3)
    y = rng.uniform(0.1, 10.0, model.y0.size)
    p = model.p0 * np.exp(0.3 * rng.standard_normal(model.p0.size))
    out = np.empty_like(y)
    compiled.rhs(0.0, y, p, out)
    np.testing.assert_allclose(out, model.rhs(0.0, y, p), rtol=1e-13, atol=1e-300)
    jac = np.empty((y.size, y.size))
    compiled.jac(0.0, y, p, jac)
    expected = model.jac(0.0, y, p)
    np.testing.assert_allclose(jac, expected, rtol=1e-13, atol=1e-13 * np.abs(expected).max())
    values = np.empty(compiled.jac_rows.size)
    compiled.jac_values(0.0, y, p, values)
    np.testing.assert_array_equal(values, jac[compiled.jac_rows, compiled.jac_cols])
    assert compiled.autonomous and compiled.n_q > model.p0.size  # something was hoisted
    ft = np.ones_like(y)
    compiled.dfdt(0.0, y, p, ft)
    assert not ft.any()


def _random_pattern(n, density, rng):
    mask = rng.random((n, n)) < density
    np.fill_diagonal(mask, False)
    rows, cols = np.nonzero(mask)
    return rows.astype(np.int64), cols.astype(np.int64)


@pytest.mark.parametrize("unrolled", [True, False])
@pytest.mark.parametrize("seed", [0, 1])
def test_sparse_lu_solves_like_numpy(unrolled, seed):
    rng = np.random.default_rng(seed)
    n = 12
    rows, cols = _random_pattern(n, 0.2, rng)
    plan = plan_lu(n, rows, cols)
    import jakstat.engine._batch_kernel as kernel

    limit = kernel.UNROLL_LIMIT
    kernel.UNROLL_LIMIT = limit if unrolled else -1
    try:
        factor, solve = _plan_functions(plan)
    finally:
        kernel.UNROLL_LIMIT = limit
    jv = rng.standard_normal(rows.size)
    for dval in (1e3, 10.0, 1.0):
        J = np.zeros((n, n))
        J[rows, cols] = jv
        W = dval * np.eye(n) - J
        v = np.empty(plan.nnz)
        if not factor(v, jv, dval):
            continue  # refused: the caller falls back to the dense LU
        b = rng.standard_normal(n)
        x = np.empty(n)
        solve(v, b, x)
        np.testing.assert_allclose(W @ x, b, atol=1e-10 * np.abs(b).max() * np.linalg.cond(W))


def test_static_pivoting_refuses_an_unstable_elimination_and_the_dense_lu_copes():
    # W = [[eps, 1], [1, 1]]: without row exchanges the multiplier is 1/eps and the factors blow up
    plan = plan_lu(2, np.array([0, 1]), np.array([1, 0]), perm=np.array([0, 1]))
    factor, _ = _plan_functions(plan)
    jv = np.array([-1.0, -1.0])  # W = dval*I - J, off-diagonals +1
    v = np.empty(plan.nnz)
    assert not factor(v, jv, 1e-12)
    assert factor(v, jv, 2.0)  # a dominant diagonal is accepted
    a = np.array([[1e-12, 1.0], [1.0, 1.0]])
    piv = np.empty(2, dtype=np.int64)
    assert dense_factor(a, piv)
    x = np.empty(2)
    dense_solve(a, piv, np.array([1.0, 2.0]), x)
    np.testing.assert_allclose(np.array([[1e-12, 1.0], [1.0, 1.0]]) @ x, [1.0, 2.0], rtol=1e-12)


def test_minimum_degree_keeps_fill_in_small(fibroblast_network):
    compiled = compile_numba(compile_network(fibroblast_network))
    plan = plan_lu(compiled.n_species, compiled.jac_rows, compiled.jac_cols)
    natural = plan_lu(compiled.n_species, compiled.jac_rows, compiled.jac_cols, perm=np.arange(compiled.n_species))
    assert plan.nnz < natural.nnz
    assert plan.nnz < 0.2 * compiled.n_species ** 2
