"""The PK models through the real compiler and engine against closed forms.

Single oral dose vs the Bateman function; repeated doses vs the sum of the geometric series
(accumulation); two-compartment vs the matrix exponential; zero-order, extended-release and
parallel absorption vs mass balance (AUC = F x dose / CL); and the exported SBML in libRoadRunner.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from jakstat.compile.codegen import compile_network
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.network.provenance import Assumed
from jakstat.pharmacology import (
    Regimen,
    bateman,
    bateman_steady_state,
    dose_events,
    dose_schedule,
    pk_network,
    pk_parameters,
    simulate_pk,
    terminal_half_life,
)
from jakstat.pharmacology.analytic import accumulation_ratio, first_order_profile, half_life_from_profile
from jakstat.pharmacology.pk_parameters import PkValue

TIGHT = SolverOptions(rtol=1e-11, atol=1e-12)


def _nmol(mg: float, params) -> float:
    return mg * 1e6 / params.molecular_weight.value


def test_single_oral_dose_matches_bateman_function():
    params = pk_parameters("tofacitinib")  # one compartment, first-order absorption (Xie 2019)
    doses = dose_schedule("tofacitinib", Regimen("QD", "10 mg"), 70.0, 1.0)
    times = np.linspace(0, 24, 97)
    c = simulate_pk(params, dose_events(doses, params), times, options=TIGHT)
    expected = bateman(times, _nmol(10, params), 1.0, params.ka.value, params.clearance.value,
                       params.central_volume.value)
    np.testing.assert_allclose(c[1:], expected[1:], rtol=1e-6)
    assert c[0] == 0.0


def test_absorption_lag_is_a_hard_stop():
    params = replace(pk_parameters("tofacitinib"), lag=PkValue(0.5, "h", Assumed("test: a 0.5 h lag")))
    doses = dose_schedule("tofacitinib", Regimen("QD", "5 mg"), 70.0, 1.0)
    times = np.array([0.0, 0.25, 0.4999, 0.5, 0.75, 2.0, 8.0])
    c = simulate_pk(params, dose_events(doses, params), times, options=TIGHT)
    expected = bateman(times, _nmol(5, params), 1.0, params.ka.value, params.clearance.value,
                       params.central_volume.value, lag=0.5)
    assert np.all(c[:4] == 0.0)
    np.testing.assert_allclose(c[4:], expected[4:], rtol=1e-6)


def test_repeated_doses_match_the_geometric_series():
    params = pk_parameters("tofacitinib")
    ka, cl, v = params.ka.value, params.clearance.value, params.central_volume.value
    k, tau, n = cl / v, 12.0, 6
    doses = dose_schedule("tofacitinib", Regimen("BID", "5 mg"), 70.0, n * tau / 24.0)
    assert len(doses) == n
    t_after = np.linspace(0.25, tau - 0.25, 24)
    c = simulate_pk(params, dose_events(doses, params), np.concatenate([[0.0], (n - 1) * tau + t_after]), options=TIGHT)[1:]
    scale = _nmol(5, params) * ka / (v * (ka - k))
    finite = scale * (np.exp(-k * t_after) * (1 - np.exp(-n * k * tau)) / (1 - np.exp(-k * tau))
                      - np.exp(-ka * t_after) * (1 - np.exp(-n * ka * tau)) / (1 - np.exp(-ka * tau)))
    np.testing.assert_allclose(c, finite, rtol=1e-6)


def test_steady_state_accumulation_matches_closed_form():
    params = pk_parameters("baricitinib")
    params = replace(params, zero_order_duration=None, ka=PkValue(1.5, "1/h", Assumed("test: first-order absorption")),
                     peripheral_volume=None, intercompartmental_clearance=None,
                     lag=PkValue(0.0, "h", Assumed("test: no lag")))
    cl, v, ka, tau = params.total_clearance, params.central_volume.value, params.ka.value, 24.0
    k = cl / v
    n = int(np.ceil(12 * np.log(2) / k / tau)) + 1  # 12 half-lives: within 3e-4 of steady state
    doses = dose_schedule("baricitinib", Regimen("QD", "4 mg"), 74.0, n)
    t_after = np.linspace(0.0, tau - 1e-6, 49)[1:]
    times = np.concatenate([[0.0], (n - 1) * tau + t_after])
    c = simulate_pk(params, dose_events(doses, params), times, options=TIGHT)[1:]
    steady = bateman_steady_state(t_after, _nmol(4, params), 1.0, ka, cl, v, tau)
    residual = np.exp(-k * n * tau) / (1 - np.exp(-k * tau))  # what is missing after n doses, relative
    np.testing.assert_allclose(c, steady, rtol=2 * residual + 1e-6)
    trough_single = bateman(np.array([tau]), _nmol(4, params), 1.0, ka, cl, v)[0]
    assert c[-1] / trough_single == pytest.approx(accumulation_ratio(k, tau), rel=2 * residual + 1e-5)


def test_two_compartment_model_matches_matrix_exponential():
    params = replace(pk_parameters("upadacitinib"), lag=PkValue(0.0, "h", Assumed("test: no lag")))
    doses = dose_schedule("upadacitinib", Regimen("QD", "12 mg", formulation="solution"), 74.0, 1.0)
    times = np.linspace(0, 48, 97)
    c = simulate_pk(params, dose_events(doses, params), times, options=TIGHT)
    expected = first_order_profile(params, times, params.ka.value, _nmol(12, params))
    np.testing.assert_allclose(c[1:], expected[1:], rtol=1e-6)
    tail = times >= 36
    assert half_life_from_profile(times[tail], c[tail]) == pytest.approx(terminal_half_life(params), rel=0.02)


@pytest.mark.parametrize(("drug", "dose", "regimen"), [
    ("baricitinib", "4 mg", "QD"),    # zero-order input (D1) + lag: on/off events
    ("tofacitinib", "11 mg", "XR"),   # extended release, F_XR/F_IR
    ("abrocitinib", "200 mg", "QD"),  # first-order part capped at 121 mg, rest zero order
    ("ruxolitinib", "20 mg", "QD"),
])
def test_mass_balance_auc_equals_f_dose_over_cl(drug, dose, regimen):
    params = pk_parameters(drug)
    plan = Regimen(regimen, dose)
    doses = dose_schedule(drug, plan, params.reference_weight.value, 1.0)
    horizon = 12 * terminal_half_life(params)
    times = np.concatenate([np.linspace(0, 12, 2401), np.linspace(12, horizon, 4001)[1:]])
    c = simulate_pk(params, dose_events(doses, params), times, options=TIGHT)
    f = params.bioavailability.value * (params.xr.relative_f.value if plan.extended_release else 1.0)
    expected = f * _nmol(doses[0].mg, params) / params.total_clearance
    assert np.trapezoid(c, times) == pytest.approx(expected, rel=2e-3)


def test_zero_order_input_is_switched_on_and_off_exactly():
    params = pk_parameters("baricitinib")
    lag, d1 = params.lag.value, params.zero_order_duration.value
    events = dose_events(dose_schedule("baricitinib", Regimen("QD", "4 mg"), 74.0, 1.0), params)
    assert [(e.id, round(e.time, 6)) for e in events] == [("dose0_on", round(lag, 6)), ("dose0_off", round(lag + d1, 6))]
    model = compile_network(pk_network(params, events))
    times = np.array([0.0, lag, lag + d1 / 2, lag + d1]) * 3600.0
    y = integrate(model, times, options=TIGHT)[:, model.species_index("C_central")]
    assert y[0] == 0.0 and y[1] == 0.0 and 0 < y[2] < y[3]
    p_index = model.parameter_ids.index("R_in")
    assert model.p0[p_index] == 0.0


def test_pk_network_has_units_provenance_and_exports_to_sbml():
    from jakstat.compile.sbml_export import network_to_sbml

    params = pk_parameters("baricitinib")
    events = dose_events(dose_schedule("baricitinib", Regimen("QD", "4 mg"), 74.0, 2.0), params)
    net = pk_network(params, events)
    assert {c.id: c.unit for c in net.compartments} == {"central": "L", "peripheral": "L"}
    assert {p.id for p in net.parameters} == {"R_in", "CLr", "CLnr", "Q"}
    assert all(p.provenance is not None for p in net.parameters)
    text = network_to_sbml(net)
    assert "<event" in text and "R_in" in text


@pytest.mark.parametrize(("drug", "dose", "regimen"), [
    ("upadacitinib", "15 mg", "XR"),  # bolus events into the XR depot, two compartments
    ("baricitinib", "4 mg", "QD"),    # parameter events: zero-order input switched on and off
])
def test_exported_pk_model_agrees_with_roadrunner(drug, dose, regimen):
    roadrunner = pytest.importorskip("roadrunner", reason="libroadrunner is in the test extra")
    from jakstat.compile.sbml_export import network_to_sbml

    params = pk_parameters(drug)
    doses = dose_schedule(drug, Regimen(regimen, dose), 74.0, 3.0)
    net = pk_network(params, dose_events(doses, params))
    times = np.linspace(0, 72, 145) * 3600.0 + 1.0
    times[0] = 0.0
    model = compile_network(net)
    ours = integrate(model, times, options=SolverOptions(rtol=1e-8, atol=1e-10))[:, model.species_index("C_central")]
    rr = roadrunner.RoadRunner(network_to_sbml(net))
    rr.integrator.relative_tolerance = 1e-8
    rr.integrator.absolute_tolerance = 1e-10
    result = rr.simulate(times=times)
    theirs = np.asarray(result)[:, [c.strip("[]") for c in result.colnames].index("C_central")]
    mask = ours > 1e-3 * ours.max()
    np.testing.assert_allclose(theirs[mask], ours[mask], rtol=1e-4)
