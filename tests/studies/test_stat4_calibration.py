"""The STAT4 calibration on the batched engine against the single-run engine and against its stored record.

The stored record (data/calibrations/stat4_gof_fibroblast.json) was fitted on the single-run
engine (SciPy BDF), so it is an independent reference for the batched path. Slow: the
fibroblast network's numba compilation (~25 s on a quiet machine) and single runs at tight
tolerances.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize._numdiff import approx_derivative

pytest.importorskip("numba", reason="the batched engine needs numba")

from jakstat.studies import stat4_calibration as sc  # noqa: E402

pytestmark = pytest.mark.slow
TIGHT = sc.Tolerances(steady_rtol=1e-12, steady_atol=1e-16, run_rtol=1e-11, run_atol=1e-15)


@pytest.fixture(scope="module")
def models():
    return sc._models()


@pytest.fixture(scope="module")
def optimum():
    """The stored optimum: logs of the fitted values, and the stored record."""
    record = sc.stored()
    return np.log([record["parameters"][k]["value"] for k in sc.PRIORS]), record


def test_batched_objective_equals_the_single_run_objective(models, optimum):
    theta_opt, _ = optimum
    # k_IL6_tx_basal 0.1% below the optimum: next to the healthy cells' switch to their high-IL-6 state,
    # where the readouts are most sensitive (not the optimum itself: there the healthy pre-equilibration
    # meets its criterion with a margin of 4e-6 in |dy/dt|, so the window count, and the readouts with it,
    # could differ between integrators); and a point well away from it
    near = theta_opt + np.array([0.0, -1e-3])
    for theta in (near, theta_opt + np.array([0.4, -0.5])):
        batch = sc.residuals(theta, models, "batch", TIGHT)
        single = sc.residuals(theta, models, "single", TIGHT)
        np.testing.assert_allclose(batch, single, rtol=1e-8, atol=0)
    # at the calibration's own settings (single run: BDF at rtol 1e-8) the readouts agree to its accuracy
    batch, single = (sc.readouts(sc._values(near), models, engine) for engine in ("batch", "single"))
    for key in ("healthy_il6_pg_ml", "variant_il6_pg_ml", "variant_rux_il6_pg_ml", "fold"):
        np.testing.assert_allclose(batch[key], single[key], rtol=1e-7, err_msg=key)


def test_objective_jacobian_is_scipys_two_point_scheme(models, optimum):
    theta = optimum[0] + np.array([0.4, -0.5])
    objective = sc.Objective(models)
    f0 = objective.fun(theta)
    reference = approx_derivative(lambda x: sc.residuals(x, models), theta, method="2-point",
                                  rel_step=sc.DIFF_STEP, f0=f0)
    np.testing.assert_allclose(objective.jac(theta), reference, rtol=1e-12, atol=1e-15)
    assert objective.n_batches == 2 and objective.n_points == 1 + theta.size  # r(theta) reused, one batch


@pytest.mark.parametrize("start", [2, 3])
def test_fits_from_the_records_perturbed_starts_reproduce_the_single_run_fits(models, optimum, start):
    """Starts 2 and 3 of the record (drawn around the prior median) were fitted on the single-run engine;
    the batched fit from the same start must land where that fit did (start 3 is the stored optimum).

    The tolerance is what the objective allows: the optimum sits where the pre-equilibration needs one
    more window (k_IL6_tx_basal a few 1e-7 higher doubles the simulated time and moves the fold by 0.1%),
    a step in the objective that stops every fit at the same k_IL6_tx_basal to ~1e-9; along the nearly
    flat f_dephos_STAT4v direction the record's own starts spread by 3e-4. From some other starts
    (e.g. f_dephos x1.5, k_IL6_tx_basal x0.6 from the optimum) the trust region shrinks on that step
    and the fit stops early, 1e-3 short in k_IL6_tx_basal: docs/design.md says more.
    """
    _, record = optimum
    entry = record["result"]["starts"][start]
    fit = sc.fit_from(np.log(entry["start"]), models)
    np.testing.assert_allclose(fit["values"], entry["values"], rtol=1e-5)
    np.testing.assert_allclose(fit["cost"], entry["cost"], rtol=1e-6)
    assert abs(fit["evaluations"] - entry["evaluations"]) <= 5
    assert fit["batches"] < 2 * entry["evaluations"] + 5  # one batch per residual and one per Jacobian
    if start == 3:
        fold = sc.readouts(dict(zip(sc.PRIORS, fit["values"])), models)["fold"]
        np.testing.assert_allclose(fold, record["result"]["fold"], rtol=1e-6)
