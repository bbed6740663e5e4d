"""PEtab likelihood and calibration on the batched engine (jakstat.studies.petab_fit), Boehm 2014.

References, none of them jakstat's own output:

- the negative log-likelihood of Boehm 2014 at the parameter table's nominal values (the published
  maximum-likelihood estimate), 138.22199693517703, from PEtab.jl's test suite
  (github.com/sebapersson/PEtab.jl, test "Julia import and cost calculation", ``testLogLikelihoodValue``);
- the ``petab`` library's own likelihood (``petab.v1.calculate_llh``) on the same simulated values,
  also with the observables log10-transformed (a code path Boehm itself does not use).
"""

from __future__ import annotations

import shutil

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from jakstat.errors import InvalidValueError
from jakstat.studies.petab_fit import calibrate_petab, petab_objective

BOEHM = "Boehm_JProteomeRes2014"
PETAB_JL_NLLH = 138.22199693517703


@pytest.fixture(scope="module")
def boehm_objective(request):
    from interchange_helpers import PETAB

    folder = PETAB / BOEHM
    if not folder.is_dir():
        pytest.skip(f"PEtab problem {BOEHM} not found at {folder} (the shared folder ../shared is absent)")
    return petab_objective(folder)


def _copy(petab_problem, tmp_path):
    target = tmp_path / BOEHM
    shutil.copytree(petab_problem(BOEHM), target)
    return target


def _edit(folder, table: str, change) -> None:
    path = folder / f"{table}_{BOEHM}.tsv"
    frame = pd.read_csv(path, sep="\t")
    changed = change(frame)
    (frame if changed is None else changed).to_csv(path, sep="\t", index=False)


def test_nllh_at_the_published_optimum_matches_petab_jl(boehm_objective):
    value = float(boehm_objective.nllh(boehm_objective.nominal)[0])
    assert boehm_objective.n_measurements == 48
    assert value == pytest.approx(PETAB_JL_NLLH, abs=1e-4), value


def _petab_llh(folder, objective) -> float:
    petab = pytest.importorskip("petab.v1")
    problem = petab.Problem.from_yaml(str(folder / f"{BOEHM}.yaml"))
    simulated = objective.simulated_measurements(objective.nominal).drop(columns=["sigma"])
    return float(petab.calculate_llh(problem.measurement_df, simulated, problem.observable_df, problem.parameter_df))


def test_likelihood_agrees_with_the_petab_library(boehm_objective, petab_problem):
    ours = float(boehm_objective.nllh(boehm_objective.nominal)[0])
    assert -_petab_llh(petab_problem(BOEHM), boehm_objective) == pytest.approx(ours, rel=1e-10)


def test_log10_observables_agree_with_the_petab_library(petab_problem, tmp_path):
    folder = _copy(petab_problem, tmp_path)
    _edit(folder, "observables", lambda f: f.__setitem__("observableTransformation", "log10"))
    # log10 needs positive data and simulations: drop the t = 0 points (pSTAT5 is 0 at t = 0 in the model)
    _edit(folder, "measurementData", lambda f: f[f["time"] > 0])
    objective = petab_objective(folder)
    ours = float(objective.nllh(objective.nominal)[0])
    assert np.isfinite(ours)
    assert -_petab_llh(folder, objective) == pytest.approx(ours, rel=1e-10)


def test_residual_jacobian_is_the_gradient_of_the_nllh(boehm_objective):
    x = boehm_objective.nominal + 0.05
    r, J = boehm_objective.residuals_and_jacobian(x)
    gradient = J.T @ r  # d(0.5 |r|^2)/dx = d(nllh)/dx
    h = 1e-3
    numeric = np.array([(boehm_objective.nllh(x + h * e)[0] - boehm_objective.nllh(x - h * e)[0]) / (2 * h)
                        for e in np.eye(x.size)])
    assert 0.5 * r @ r + boehm_objective.residual_offset() == pytest.approx(boehm_objective.nllh(x)[0], rel=1e-12)
    np.testing.assert_allclose(gradient, numeric, rtol=1e-3, atol=1e-3 * np.abs(numeric).max())


def test_multistart_fit_recovers_the_published_optimum(boehm_objective):
    fit = calibrate_petab(boehm_objective, starts=3, seed=1, spread=0.5)
    print(fit.starts[["start", "nllh_start", "nllh", "n_jacobians"]].to_string())
    # the published estimate is a local optimum of this data: a fit must reach it, and cannot be far below it
    assert PETAB_JL_NLLH - 0.01 < fit.nllh < PETAB_JL_NLLH + 1e-4
    assert (fit.starts["nllh"] < fit.starts["nllh_start"]).all()
    assert fit.n_simulations > 0 and set(fit.values) == set(boehm_objective.parameter_ids)


@pytest.mark.parametrize("table, column, value, message", [
    ("observables", "noiseDistribution", "laplace", "noiseDistribution 'laplace'.*allowed: normal"),
    ("parameters", "estimate", 0, "no row with estimate = 1"),
    ("measurementData", "preequilibrationConditionId", "model1_data1", "preequilibrationConditionId"),
])
def test_unsupported_problem_is_refused_naming_the_field(petab_problem, tmp_path, table, column, value, message):
    """A noise model other than normal, nothing to estimate, pre-equilibration: each refused, naming the field."""
    folder = _copy(petab_problem, tmp_path)
    _edit(folder, table, lambda f: f.__setitem__(column, value))
    with pytest.raises(InvalidValueError, match=message):
        petab_objective(folder)


def test_cli_calibrate_writes_the_fit_and_refuses_a_missing_problem(petab_problem, tmp_path):
    from jakstat.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["calibrate", str(petab_problem(BOEHM)), "--starts", "1", "--spread", "0.1",
                                 "--seed", "2", "--out", str(tmp_path / "fit"), "--quiet"])
    assert result.exit_code == 0, result.output
    starts = pd.read_csv(tmp_path / "fit" / "starts.csv")
    measured = pd.read_csv(tmp_path / "fit" / "measurements.csv")
    assert len(starts) == 1 and starts["nllh"].iloc[0] < starts["nllh_start"].iloc[0]
    assert {"measurement", "simulation", "sigma"} <= set(measured.columns) and len(measured) == 48
    bad = runner.invoke(app, ["calibrate", str(tmp_path / "missing"), "--out", str(tmp_path / "x")])
    assert bad.exit_code != 0 and "does not exist" in bad.output and "Traceback" not in bad.output


def test_estimating_a_parameter_that_sets_an_initial_value_is_refused(petab_problem, tmp_path):
    folder = _copy(petab_problem, tmp_path)  # Boehm: STAT5A's initial assignment is 207.6 * ratio
    _edit(folder, "parameters", lambda f: f.__setitem__("estimate", (f["estimate"].astype(bool)
                                                                     | (f["parameterId"] == "ratio")).astype(int)))
    with pytest.raises(InvalidValueError, match=r"\['ratio'\] appear in initial assignments"):
        petab_objective(folder)
