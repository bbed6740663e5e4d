"""Per-patient engine inputs agree with the pharmacology layer, and endpoints with closed forms."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from jakstat.compile.codegen import compile_network
from jakstat.engine.integrate import scheduled_changes
from jakstat.pharmacology import individualize, pk_network, pk_parameters
from jakstat.pharmacology.pk_api import time_above as pk_time_above
from jakstat.pharmacology.regimens import Regimen, dose_events, dose_schedule
from jakstat.pharmacology.variability import omega
from jakstat.studies import dosing
from jakstat.studies.design import parse_config
from jakstat.studies.endpoints import time_above
from jakstat.studies.runner import patient_doses, simulate_chunk


def _reference_changes(params, doses):
    model = compile_network(pk_network(params, dose_events(doses, params)))
    return sorted((c.time, c.target, c.index, c.value, c.mode) for c in scheduled_changes(model))


@pytest.mark.parametrize("drug, regimen, mg, d1_factor", [
    ("baricitinib", "QD", 4.0, 2.3),     # zero-order input with lag, patient-specific D1
    ("ruxolitinib", "BID", 5.0, None),   # first-order bolus into the gut
    ("tofacitinib", "XR", 11.0, None),   # extended release depot
])
def test_member_events_equal_the_regimen_layer(drug, regimen, mg, d1_factor) -> None:
    typical = pk_parameters(drug)
    params = typical if d1_factor is None else replace(
        typical, zero_order_duration=replace(typical.zero_order_duration, value=typical.zero_order_duration.value * d1_factor))
    doses = dose_schedule(drug, Regimen(regimen, f"{mg} mg"), 70.0, 3.0)
    times = np.array([d.time_h for d in doses])
    d1 = None if d1_factor is None else params.zero_order_duration.value
    ours = dosing.member_events(drug, times, np.array([d.mg for d in doses]), regimen == "XR", d1)
    got = sorted((c.time, c.target, c.index, c.value, c.mode) for c in ours)
    want = _reference_changes(params, doses)
    assert len(got) == len(want)
    for a, b in zip(got, want):
        assert a[1:3] == b[1:3] and a[4] == b[4]
        assert a[0] == pytest.approx(b[0], rel=1e-12) and a[3] == pytest.approx(b[3], rel=1e-12)


def test_parameter_matrix_equals_individualize_with_the_same_etas() -> None:
    drug = "baricitinib"
    typical = pk_parameters(drug)
    weight, egfr = np.array([14.0, 52.0]), np.array([120.0, 75.0])
    z = np.random.default_rng(0).normal(size=(2, 10))
    P, _ = dosing.parameter_matrix(drug, weight, egfr, z)
    names = dosing.varied_parameters(typical)
    assert "renal_clearance" in names and "zero_order_duration" in names
    for i in range(2):
        changed = {n: replace(getattr(typical, n), value=getattr(typical, n).value * math.exp(omega(getattr(typical, n).cv) * z[i, k]))
                   for k, n in enumerate(names)}
        individual = individualize(replace(typical, **changed), float(weight[i]), float(egfr[i]))
        reference = compile_network(pk_network(individual))
        model = dosing.template(drug)
        assert reference.parameter_ids == model.parameter_ids
        np.testing.assert_allclose(P[i], reference.p0, rtol=1e-12)


def test_time_above_matches_the_pharmacology_helper() -> None:
    t = np.linspace(0, 12, 49)
    y = np.stack([0.8 * np.exp(-0.2 * t), 0.3 + 0.3 * np.sin(t)])
    ours = time_above(t, y, 0.5)
    for row, value in zip(y, ours):
        assert value == pytest.approx(pk_time_above(pd.DataFrame({"time_h": t, "x": row}), "x", 0.5), rel=1e-12)
    # closed form for the exponential: 0.8 exp(-0.2 t) >= 0.5 until t = ln(1.6)/0.2
    assert ours[0] == pytest.approx(math.log(1.6) / 0.2, rel=2e-3)


def test_steady_state_auc_equals_dose_over_clearance() -> None:
    """At steady state AUC over one interval = F x dose / CL (closed form), for every patient."""
    config = parse_config({
        "seed": 3, "sample_size": 24, "chunk_size": 24, "points_per_hour": 60, "rtol": 1e-9,
        "population": {"disease": "DPM", "age_years": [4, 16]},
        "arms": [{"name": "rux", "drug": "ruxolitinib", "regimen": "BID", "dose": "0.2 mg/kg",
                  "max_dose": "10 mg", "duration_days": 4}],
        "endpoints": [{"kind": "exposure"}, {"kind": "inhibition", "cytokine": "IL-6"}],
    })
    frame = simulate_chunk(config, 0, 0, n_threads=1)
    assert (frame["status"] == 0).all()
    mw = pk_parameters("ruxolitinib").molecular_weight.value
    closed = frame["dose_mg"] * 1e6 / mw / frame["cl_L_h"]  # nmol / (L/h) = nM h (F = 1: apparent CL/F)
    # half-life <= ~7 h in these children: 4 days is > 10 half-lives; trapezoid error at 60 points/h ~1e-4
    np.testing.assert_allclose(frame["auc_tau_nMh"], closed, rtol=2e-3)
    requested, given = patient_doses(config.arms[0], frame["weight_kg"].to_numpy())
    np.testing.assert_allclose(requested, np.minimum(0.2 * frame["weight_kg"], 10.0))
    assert set(np.unique(given)) <= {5.0, 10.0, 15.0, 20.0, 25.0}  # rounded to tablets
    assert frame["mean_inhibition_IL-6"].between(0, 1).all()
