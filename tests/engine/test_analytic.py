"""The engine against closed-form solutions: reversible binding and a bolus into first-order decay."""

from __future__ import annotations

import numpy as np

from jakstat.compile.codegen import compile_network
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.network.edit import with_events
from jakstat.network.model import Compartment, Event, EventAssignment, Network, Parameter, Species
from jakstat.network.motifs import mass_action
from jakstat.network.provenance import Assumed

REASON = Assumed("test network: values chosen for the analytic check")


def binding_closed_form(t, a0, b0, kon, koff):
    """C(t) for A + B <-> C from C(0) = 0: dC/dt = kon (C - x1)(C - x2)."""
    s = kon * (a0 + b0) + koff
    disc = np.sqrt(s * s - 4 * kon * kon * a0 * b0)
    x1, x2 = (s - disc) / (2 * kon), (s + disc) / (2 * kon)
    e = np.exp(-kon * (x2 - x1) * t)
    return x1 * x2 * (1 - e) / (x2 - x1 * e)


def test_reversible_binding_matches_closed_form(binding_network):
    model = compile_network(binding_network)
    times = np.linspace(0, 500, 51)
    states = integrate(model, times, options=SolverOptions(rtol=1e-10, atol=1e-14))
    expected = binding_closed_form(times, 5.0, 3.0, 0.02, 0.01)
    c = states[:, model.species_index("C")]
    np.testing.assert_allclose(c[1:], expected[1:], rtol=1e-7)
    assert c[-1] > 0.5 * expected[-1] > 0  # binding happened
    # mass balance of A and B, exactly
    np.testing.assert_allclose(states[:, 0] + c, 5.0, rtol=1e-12)


def _decay_network() -> Network:
    return Network(
        name="decay",
        compartments=(Compartment("plasma", 3.0, "L", REASON),),
        species=(Species("X", "plasma", 2.0, REASON),),
        parameters=(Parameter("k", 0.1, "1/h", REASON),),
        reactions=(mass_action("elim", "X ->", "k", compartment="plasma"),),
    )


def test_bolus_event_is_a_hard_discontinuity():
    net = with_events(_decay_network(), [Event("dose", 5.0, "h", (EventAssignment("X", 4.0, "nM", "add"),))])
    model = compile_network(net)
    times = np.array([0, 1, 4.999, 5.0, 5.5, 10, 24]) * 3600.0
    states = integrate(model, times, options=SolverOptions(rtol=1e-10, atol=1e-14))[:, 0]
    t_h = times / 3600
    expected = 2.0 * np.exp(-0.1 * t_h) + np.where(t_h >= 5.0, 4.0 * np.exp(-0.1 * (t_h - 5.0)), 0.0)
    np.testing.assert_allclose(states, expected, rtol=1e-7)


def test_set_event_and_parameter_switch():
    base = _decay_network()
    net = with_events(base, [Event("stop", 2.0, "h", (EventAssignment("k", 0.0, "1/h", "set"),)),
                             Event("reset", 3.0, "h", (EventAssignment("X", 1.0, "nM", "set"),))])
    model = compile_network(net)
    states = integrate(model, np.array([2.5, 3.5]) * 3600.0, options=SolverOptions(rtol=1e-10, atol=1e-14))[:, 0]
    np.testing.assert_allclose(states, [2.0 * np.exp(-0.2), 1.0], rtol=1e-8)
