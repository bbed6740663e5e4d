"""The batched engine against closed forms, against the single-run SciPy engine, and on failures.

Compilation takes seconds per network structure, so every test here uses one of two networks,
each compiled once per test process: the fibroblast network, and a toy network of three
uncoupled parts with closed-form solutions (reversible binding; a first-order decay fed by a
time-dependent input, so the non-autonomous terms are exercised; an autocatalytic species that
blows up in finite time when its rate constant is positive).
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("numba", reason="the batched engine needs numba")

from jakstat.api import Scenario, prepare_network  # noqa: E402
from jakstat.compile.codegen import compile_network  # noqa: E402
from jakstat.engine.batch import BatchSolver, iter_batch, simulate_batch  # noqa: E402
from jakstat.engine.integrate import ScheduledChange, SolverOptions, integrate  # noqa: E402
from jakstat.errors import InvalidValueError  # noqa: E402
from jakstat.network.edit import with_events  # noqa: E402
from jakstat.network.model import Compartment, Event, EventAssignment, Network, Parameter, Species  # noqa: E402
from jakstat.network.motifs import mass_action, rate_law  # noqa: E402
from jakstat.network.provenance import Assumed  # noqa: E402

REASON = Assumed("test network: values chosen for closed-form checks")


def toy_network() -> Network:
    return Network(
        name="toy",
        compartments=(Compartment("cell", 2.0, "L", REASON),),
        species=(Species("A", "cell", 5.0, REASON), Species("B", "cell", 3.0, REASON),
                 Species("C", "cell", 0.0, REASON), Species("X", "cell", 2.0, REASON),
                 Species("Z", "cell", 1.0, REASON)),
        parameters=(Parameter("kon", 0.02, "1/nM/s", REASON), Parameter("koff", 0.01, "1/s", REASON),
                    Parameter("kin", 0.05, "nM/s", REASON), Parameter("tau", 40.0, "s", REASON),
                    Parameter("k", 0.02, "1/s", REASON), Parameter("kz", 0.0, "1/nM/s", REASON)),
        reactions=(mass_action("bind", "A + B <-> C", "kon", "koff", compartment="cell"),
                   rate_law("feed", "-> X", "kin * exp(-time / tau) * cell"),
                   mass_action("elim", "X ->", "k", compartment="cell"),
                   rate_law("auto", "-> Z", "kz * Z**2 * cell")),
    )


def binding_c(t, a0, b0, kon, koff):
    """C(t) for A + B <-> C from C(0) = 0 (as tests/engine/test_analytic.py)."""
    s = kon * (a0 + b0) + koff
    disc = np.sqrt(s * s - 4 * kon * kon * a0 * b0)
    x1, x2 = (s - disc) / (2 * kon), (s + disc) / (2 * kon)
    e = np.exp(-kon * (x2 - x1) * t)
    return x1 * x2 * (1 - e) / (x2 - x1 * e)


def fed_decay_x(t, x0, kin, tau, k):
    """X(t) for X' = kin exp(-t/tau) - k X."""
    return x0 * np.exp(-k * t) + kin / (k - 1 / tau) * (np.exp(-t / tau) - np.exp(-k * t))


def max_relative_error(reference: np.ndarray, other: np.ndarray, atol: float) -> float:
    """Largest relative error over values above 1e-6 of their species' maximum and above 1e3 atol."""
    peak = np.abs(reference).max(axis=-2, keepdims=True)
    mask = (np.abs(reference) > 1e-6 * peak) & (np.abs(reference) > 1e3 * atol)
    return float((np.abs(other - reference)[mask] / np.abs(reference)[mask]).max())


@pytest.fixture(scope="module")
def toy():
    model = compile_network(toy_network())
    return model, BatchSolver(model)


@pytest.fixture(scope="module")
def fibroblast():
    model = compile_network(prepare_network(Scenario(cytokines=(("IL-6", "10 ng/mL"),))))
    return model, BatchSolver(model)


def _params(model, n, sigma, seed):
    rng = np.random.default_rng(seed)
    factors = np.exp(sigma * rng.standard_normal((n, model.p0.size)))
    n_compartments = len(model.network.compartments)
    factors[:, model.p0.size - n_compartments:] = 1.0  # volumes stay
    return model.p0 * factors


def test_batch_matches_single_runs_on_the_fibroblast_network(fibroblast):
    model, solver = fibroblast
    times = np.linspace(0, 240 * 60, 25)
    params = _params(model, 3, 0.2, seed=7)
    params[0] = model.p0
    batch = simulate_batch(solver, times, params, rtol=1e-10, atol=1e-14)
    assert np.all(batch.ok), batch.messages
    for m in range(params.shape[0]):
        single = integrate(model, times, p=params[m], options=SolverOptions(method="BDF", rtol=1e-10, atol=1e-14))
        assert max_relative_error(single, batch.states[m], 1e-14) < 1e-8
    # the stimulus moved the network (the comparison is not vacuous), differently per member
    nuclear = batch.species("pSTAT3_dimer_nuc")
    assert np.all(nuclear[:, -1] > 1.2 * nuclear[:, 0]) and np.ptp(nuclear[:, -1]) > 1.0


def test_batch_matches_closed_forms_with_per_member_initial_states(toy):
    model, solver = toy
    times = np.linspace(0.0, 300.0, 31)
    n = 4
    params = np.tile(model.p0, (n, 1))
    params[:, model.parameter_ids.index("kon")] = [0.02, 0.05, 0.005, 0.1]
    params[:, model.parameter_ids.index("koff")] = [0.01, 0.002, 0.05, 0.03]
    y0 = np.tile(model.y0, (n, 1))
    y0[:, model.species_index("A")] = [5.0, 1.0, 8.0, 2.5]
    y0[:, model.species_index("B")] = [3.0, 4.0, 0.5, 2.5 + 1e-3]
    result = simulate_batch(solver, times, params, y0, rtol=1e-10, atol=1e-14)
    assert np.all(result.ok)
    for m in range(n):
        kon, koff = params[m, 0], params[m, 1]
        a0, b0 = y0[m, 0], y0[m, 1]
        np.testing.assert_allclose(result.species("C")[m, 1:], binding_c(times[1:], a0, b0, kon, koff), rtol=1e-8)
        np.testing.assert_allclose(result.species("X")[m], fed_decay_x(times, 2.0, 0.05, 40.0, 0.02), rtol=1e-8)
        np.testing.assert_allclose(result.species("A")[m] + result.species("C")[m], a0, rtol=1e-12)


@pytest.mark.parametrize(("method", "order"), [("Rodas5P", 5), ("Rodas4", 4)])
def test_measured_order_of_convergence(toy, method, order):
    """Constant steps h, h/2, h/4 on a smooth non-autonomous problem: the error falls as h^order
    at step ends, and at least as h^(order - 1) at outputs between steps (the continuous extension)."""
    model, _ = toy
    t_mid, t_end = 37.3, 200.0
    steps = np.array([4.0, 2.0, 1.0])
    end_errors, mid_errors = [], []
    for h in steps:
        result = simulate_batch(model, np.array([0.0, t_mid, t_end]), model.p0[None, :], fixed_step=h,
                                method=method, n_threads=1)
        c, x = result.species("C")[0], result.species("X")[0]
        exact_c, exact_x = binding_c(np.array([t_mid, t_end]), 5.0, 3.0, 0.02, 0.01), fed_decay_x(
            np.array([t_mid, t_end]), 2.0, 0.05, 40.0, 0.02)
        rel = np.maximum(np.abs(c[1:] / exact_c - 1), np.abs(x[1:] / exact_x - 1))
        mid_errors.append(rel[0])
        end_errors.append(rel[1])
    end_slopes = np.diff(np.log(end_errors)) / np.diff(np.log(steps))
    mid_slopes = np.diff(np.log(mid_errors)) / np.diff(np.log(steps))
    assert np.all(np.abs(end_slopes - order) < 0.4), end_slopes
    assert np.all(mid_slopes > order - 1.5), mid_slopes


def test_a_blowing_up_member_fails_alone(toy):
    model, solver = toy
    times = np.linspace(0.0, 200.0, 11)
    params = np.tile(model.p0, (4, 1))
    kz = model.parameter_ids.index("kz")
    params[:, kz] = [0.0, 1e-3, 10.0, 2e-3]  # Z = 1 / (1 - kz t): blow-up at t = 0.1 s for kz = 10
    result = simulate_batch(solver, times, params, rtol=1e-8, atol=1e-12)
    assert list(result.ok) == [True, True, False, True]
    assert result.status[2] in (2, 3)  # step size underflow or non-finite: both say the member blew up
    assert "member 2" in result.messages[2] and result.messages[0] == ""
    assert np.all(np.isnan(result.states[2, 1:]))  # outputs after the failure are NaN ...
    np.testing.assert_allclose(result.states[2, 0], model.y0)  # ... those before it are kept
    for m in (0, 1, 3):
        np.testing.assert_allclose(result.species("Z")[m], 1.0 / (1.0 - params[m, kz] * times), rtol=1e-6)
    assert result.n_failed == 1


def test_per_member_bolus_events_match_the_analytic_solution(toy):
    model, solver = toy
    x, kin = model.species_index("X"), model.parameter_ids.index("kin")
    params = np.tile(model.p0, (3, 1))
    params[:, kin] = 0.0  # plain first-order decay, k = 0.02 /s
    events = [[ScheduledChange(50.0, "y", x, 4.0, "add")],
              [ScheduledChange(20.0, "y", x, 1.0, "add"), ScheduledChange(100.0, "y", x, 0.5, "set")],
              []]
    times = np.array([0.0, 19.999, 20.0, 49.999, 50.0, 75.0, 100.0, 150.0, 300.0])
    result = simulate_batch(solver, times, params, events=events, rtol=1e-10, atol=1e-14)
    decay = np.exp(-0.02 * times)
    after = lambda t0: np.where(times >= t0, np.exp(-0.02 * (times - t0)), 0.0)  # noqa: E731
    expected = [2.0 * decay + 4.0 * after(50.0),
                np.where(times < 100.0, 2.0 * decay + 1.0 * after(20.0), 0.5 * after(100.0)),
                2.0 * decay]
    for m in range(3):
        np.testing.assert_allclose(result.species("X")[m], expected[m], rtol=1e-8)


def test_network_events_apply_to_every_member_like_the_single_run_engine(toy):
    model, _ = toy
    net = with_events(toy_network(), [Event("dose", 30.0, "s", (EventAssignment("X", 2.0, "nM", "add"),)),
                                      Event("stop", 60.0, "s", (EventAssignment("k", 0.0, "1/s", "set"),))])
    with_ev = compile_network(net)
    times = np.array([0.0, 10.0, 30.0, 45.0, 60.0, 90.0, 200.0])
    params = _params(with_ev, 3, 0.1, seed=3)
    result = simulate_batch(with_ev, times, params, rtol=1e-10, atol=1e-14)
    assert np.all(result.ok)
    for m in range(3):
        single = integrate(with_ev, times, p=params[m], options=SolverOptions(method="Radau", rtol=1e-11, atol=1e-15))
        assert max_relative_error(single, result.states[m], 1e-14) < 1e-8
    x = with_ev.species_index("X")
    assert np.all(np.diff(result.states[:, 4:, x], axis=1) > 0)  # after k = 0 the input only adds


def test_dense_lu_engine_agrees_with_the_sparse_one(toy):
    model, solver = toy
    times = np.linspace(0.0, 300.0, 7)
    params = _params(model, 4, 0.3, seed=5)
    sparse = simulate_batch(solver, times, params, rtol=1e-10, atol=1e-14)
    dense = simulate_batch(BatchSolver(model, linear_solver="dense"), times, params, rtol=1e-10, atol=1e-14)
    assert np.all(dense.ok)
    np.testing.assert_allclose(dense.states, sparse.states, rtol=1e-9, atol=1e-13)


def test_threads_chunks_and_streaming_give_identical_results(toy):
    model, solver = toy
    times = np.linspace(0.0, 100.0, 5)
    params = _params(model, 10, 0.3, seed=1)
    one = simulate_batch(solver, times, params, n_threads=1, chunk_size=10)
    two = simulate_batch(solver, times, params, n_threads=2, chunk_size=3)
    np.testing.assert_array_equal(one.states, two.states)  # members are independent: bit-identical
    chunks = list(iter_batch(solver, times, params, chunk_size=4))
    assert [c.start for c in chunks] == [0, 4, 8]
    np.testing.assert_array_equal(np.concatenate([c.states for c in chunks]), one.states)


def test_step_limit_is_reported_per_member(toy):
    model, solver = toy
    result = simulate_batch(solver, np.array([0.0, 300.0]), np.tile(model.p0, (2, 1)), max_steps=3)
    assert list(result.status) == [1, 1]
    assert "max_steps" in result.messages[0] and "raise max_steps" in result.messages[0]


@pytest.mark.parametrize("bad", [
    dict(params=np.ones((2, 3))),
    dict(times_s=np.array([5.0, 1.0])),
    dict(y0=np.ones((3, 5))),
    dict(events=[[ScheduledChange(1.0, "y", 99, 1.0, "add")], []]),
    dict(rtol=0.0),
])
def test_bad_input_names_the_field(toy, bad):
    model, solver = toy
    args = dict(times_s=np.array([0.0, 1.0]), params=np.tile(model.p0, (2, 1)))
    args.update(bad)
    with pytest.raises(InvalidValueError) as err:
        simulate_batch(solver, **args)
    assert any(word in str(err.value) for word in ("params", "times_s", "y0", "event", "tol"))
