"""Trial endpoints ``crp`` and ``serum_il6``: the interval-averaged steady state against the full time course."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from jakstat.errors import InvalidValueError
from jakstat.experiments import serum_model as sm
from jakstat.studies.endpoints import EndpointContext, registered
from jakstat.studies.serum_endpoints import crp_endpoint, serum_il6_endpoint

RA_IL6 = 65.16
SPEC = {"kind": "crp", "il6_pg_ml": RA_IL6}


def _context(drug, times_h, unbound):
    unbound = np.atleast_2d(unbound)
    return EndpointContext(drug, np.asarray(times_h, dtype=float), unbound, unbound, pd.DataFrame(index=range(len(unbound))),
                           SPEC)


def test_both_endpoints_are_registered():
    assert registered("crp") is crp_endpoint and registered("serum_il6") is serum_il6_endpoint


def test_placebo_gives_the_untreated_baseline():
    context = _context(None, [0.0, 24.0], np.zeros((3, 2)))
    np.testing.assert_allclose(crp_endpoint(context)["crp_mg_l"], 51.67, rtol=1e-4)
    np.testing.assert_allclose(serum_il6_endpoint(context)["serum_il6_pg_ml"], RA_IL6, rtol=1e-6)


@pytest.mark.slow
def test_constant_antibody_level_matches_the_treated_steady_state():
    c_nm = 20.0  # tocilizumab, flat over the interval
    kd = 2.54
    reference = sm.treated_steady_state(RA_IL6, kd / (kd + c_nm))
    got = crp_endpoint(_context("tocilizumab", [0.0, 336.0], np.full((1, 2), c_nm)))["crp_mg_l"][0]
    assert got == pytest.approx(sm.species_value(reference, sm.CRP_SPECIES) * sm.crp_mg_l_per_nm(), rel=0.02)


@pytest.mark.slow
def test_jak_inhibitor_endpoint_is_close_to_the_full_time_course():
    """Baricitinib 4 mg QD, typical 70 kg adult: mean CRP over day 14 of the dynamic model vs the endpoint."""
    net = sm.with_jak_inhibitor(sm.baseline_network(RA_IL6), "baricitinib", "4 mg", "QD", "70 kg", 14.0)
    hours = np.arange(13 * 24, 14 * 24 + 0.25, 0.25)
    ds = sm.run_serum(net, np.concatenate([[0.0], hours]))
    unbound = net["fu_plasma"].value * ds["C_central"].values[1:]
    dynamic = float(np.trapezoid(ds["crp_mg_l"].values[1:], hours) / 24.0)
    endpoint = crp_endpoint(_context("baricitinib", hours, unbound))["crp_mg_l"][0]
    print(f"day-14 mean CRP on baricitinib: full model {dynamic:.2f} mg/L, endpoint {endpoint:.2f} mg/L")
    assert endpoint == pytest.approx(dynamic, rel=0.10)
    assert endpoint < 51.67


def test_bad_baseline_is_refused():
    bad = EndpointContext(None, np.array([0.0, 24.0]), np.zeros((1, 2)), np.zeros((1, 2)), pd.DataFrame(index=[0]),
                          {"kind": "crp", "il6_pg_ml": -3})
    with pytest.raises(InvalidValueError, match="il6_pg_ml"):
        crp_endpoint(bad)


@pytest.mark.slow
def test_a_trial_reports_crp_per_patient(tmp_path):
    from jakstat.studies import read_results, run_trial

    design = {
        "name": "crp", "seed": 3, "sample_size": 6, "chunk_size": 3,
        "population": {"disease": "JDM", "age_years": [10, 18]},
        "arms": [{"name": "rux", "drug": "ruxolitinib", "regimen": "BID", "duration_days": 2, "dose": "5 mg",
                  "round_to_strengths": False},
                 {"name": "placebo", "drug": "placebo", "duration_days": 2}],
        "endpoints": [{"kind": "crp", "il6_pg_ml": RA_IL6}, {"kind": "serum_il6", "il6_pg_ml": RA_IL6}],
    }
    run_trial(design, tmp_path / "out", n_threads=1)
    frame = read_results(tmp_path / "out")
    placebo, rux = frame[frame.arm == "placebo"], frame[frame.arm == "rux"]
    np.testing.assert_allclose(placebo.crp_mg_l, 51.67, rtol=1e-4)
    assert (rux.crp_mg_l < 51.67).all() and rux.serum_il6_pg_ml.notna().all()
