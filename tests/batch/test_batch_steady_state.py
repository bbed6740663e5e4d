"""Batched pre-equilibration (``steady_state_batch``) against closed forms and the single-run ``steady_state``.

A small network with a closed-form steady state: reversible binding A + B <-> C (C* the smaller
root of the quadratic) and a produced-and-degraded species X (X* = ksyn / kdeg); plus an
autocatalytic species Z that blows up when its rate constant is positive, to check that one
failing member is marked while the others reach their steady state.
"""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("numba", reason="the batched engine needs numba")

from jakstat.compile.codegen import compile_network  # noqa: E402
from jakstat.engine.batch import BatchSolver  # noqa: E402
from jakstat.engine.steady_state import steady_state, steady_state_batch  # noqa: E402
from jakstat.errors import InvalidValueError  # noqa: E402
from jakstat.network.model import Compartment, Network, Parameter, Species  # noqa: E402
from jakstat.network.motifs import mass_action, rate_law  # noqa: E402
from jakstat.network.provenance import Assumed  # noqa: E402

REASON = Assumed("test network: values chosen for closed-form steady states")


def _network() -> Network:
    return Network(
        name="steady_toy",
        compartments=(Compartment("cell", 1.0, "L", REASON),),
        species=(Species("A", "cell", 5.0, REASON), Species("B", "cell", 3.0, REASON),
                 Species("C", "cell", 0.0, REASON), Species("X", "cell", 0.0, REASON),
                 Species("Z", "cell", 1.0, REASON)),
        parameters=(Parameter("kon", 0.02, "1/nM/s", REASON), Parameter("koff", 0.01, "1/s", REASON),
                    Parameter("ksyn", 0.3, "nM/s", REASON), Parameter("kdeg", 1e-3, "1/s", REASON),
                    Parameter("kz", 0.0, "1/nM/s", REASON)),
        reactions=(mass_action("bind", "A + B <-> C", "kon", "koff", compartment="cell"),
                   rate_law("syn", "-> X", "ksyn * cell"),
                   mass_action("deg", "X ->", "kdeg", compartment="cell"),
                   rate_law("auto", "-> Z", "kz * Z**2 * cell")),
    )


@pytest.fixture(scope="module")
def toy():
    model = compile_network(_network())
    return model, BatchSolver(model)


def _c_star(a0, b0, kon, koff):
    """Equilibrium C of A + B <-> C from C = 0: the root of kon (a0 - C)(b0 - C) = koff C below min(a0, b0)."""
    s = a0 + b0 + koff / kon
    return (s - np.sqrt(s * s - 4 * a0 * b0)) / 2


def test_steady_states_match_closed_forms_per_member(toy):
    model, solver = toy
    ids = list(model.parameter_ids)
    P = np.repeat(model.p0[None, :], 3, axis=0)
    P[1, ids.index("kon")] = 0.2
    P[2, ids.index("kdeg")] = 4e-3
    Y0 = np.repeat(model.y0[None, :], 3, axis=0)
    Y0[2, 0] = 9.0  # more A in member 2
    result = steady_state_batch(solver, P, Y0)
    assert result.ok.all(), result.messages
    species = list(model.species_ids)
    for m in range(3):
        p = dict(zip(ids, P[m]))
        c = _c_star(Y0[m, 0], Y0[m, 1], p["kon"], p["koff"])
        np.testing.assert_allclose(result.states[m, species.index("C")], c, rtol=1e-8)
        np.testing.assert_allclose(result.states[m, species.index("A")], Y0[m, 0] - c, rtol=1e-8)
        np.testing.assert_allclose(result.states[m, species.index("X")], p["ksyn"] / p["kdeg"], rtol=1e-7)
    # X relaxes with time constant 1/kdeg: the faster member is steady sooner
    assert result.time_s[2] < result.time_s[0]


def test_batch_and_single_run_steady_states_agree(toy):
    model, solver = toy
    P = model.p0[None, :] * np.array([[1.0], [1.7]])
    result = steady_state_batch(solver, P)
    for m in range(2):
        single = steady_state(model, p=P[m])
        np.testing.assert_allclose(result.states[m], single, rtol=1e-8, atol=1e-12)


def test_a_blowing_up_member_is_marked_and_the_others_reach_steady_state(toy):
    model, solver = toy
    P = np.repeat(model.p0[None, :], 3, axis=0)
    P[1, list(model.parameter_ids).index("kz")] = 0.01  # Z' = 0.01 Z^2 from Z = 1: blows up at t = 100 s
    result = steady_state_batch(solver, P)
    assert result.ok.tolist() == [True, False, True]
    assert result.messages[0] == result.messages[2] == ""
    assert "member 1" in result.messages[1]
    assert "non_finite" in result.messages[1] or "step_size_too_small" in result.messages[1]  # both: it blew up
    assert np.isnan(result.states[1]).all() and np.isfinite(result.states[[0, 2]]).all()


def test_no_steady_state_within_max_time_names_the_slowest_species(toy):
    model, solver = toy
    result = steady_state_batch(solver, model.p0[None, :], max_time=3600.0)
    assert not result.ok[0] and "no steady state within 3600 s" in result.messages[0] and "'X'" in result.messages[0]


def test_wrong_initial_state_shape_is_refused(toy):
    model, solver = toy
    with pytest.raises(InvalidValueError, match=r"y0 must have shape \(2, 5\)"):
        steady_state_batch(solver, np.repeat(model.p0[None, :], 2, axis=0), np.zeros((1, 5)))
