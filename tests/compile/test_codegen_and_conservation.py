"""Compiled right-hand side, Jacobian and conservation laws against independent references."""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.api import Scenario, prepare_network
from jakstat.compile.codegen import compile_network
from jakstat.compile.conservation import conservation_laws, conserved_monomers, total_amount
from jakstat.engine.integrate import SolverOptions, integrate


def test_jacobian_matches_finite_differences(fibroblast_network):
    model = compile_network(fibroblast_network)
    rng = np.random.default_rng(1)
    y = rng.uniform(0.1, 10.0, model.y0.size)
    jac = model.jac(0.0, y, model.p0)
    eps = 1e-6
    fd = np.empty_like(jac)
    for k in range(y.size):
        h = eps * max(1.0, abs(y[k]))
        up, down = y.copy(), y.copy()
        up[k] += h
        down[k] -= h
        fd[:, k] = (model.rhs(0.0, up, model.p0) - model.rhs(0.0, down, model.p0)) / (2 * h)
    scale = np.abs(fd).max()
    assert np.abs(jac - fd).max() <= 1e-6 * scale
    # the declared sparsity covers every non-zero
    assert np.all((np.abs(jac) > 0) <= (model.jac_sparsity.toarray() > 0))


def test_rhs_is_stoichiometry_times_rates_over_volume(fibroblast_network):
    model = compile_network(fibroblast_network)
    y = np.linspace(0.5, 3.0, model.y0.size)
    volumes = model.p0[model.species_volume_index]
    expected = model.stoichiometry @ model.rates(0.0, y, model.p0) / volumes
    np.testing.assert_allclose(model.rhs(0.0, y, model.p0), expected, rtol=1e-12, atol=1e-300)


def test_conservation_laws_found_for_receptors_and_stat3(fibroblast_network):
    named = {law.monomer for law in conservation_laws(fibroblast_network)}
    assert {"gp130", "JAK1", "STAT3", "IL6R"} <= named
    conserved = conserved_monomers(fibroblast_network)
    # IL-6 is made and degraded, SOCS3 too: they must not be reported as conserved
    assert conserved["gp130"] and conserved["JAK1"] and conserved["STAT3"]
    assert not conserved["IL6"] and not conserved["SOCS3"]
    # the number of laws equals the dimension of the left null space
    rank = np.linalg.matrix_rank(compile_network(fibroblast_network).stoichiometry)
    assert len(conservation_laws(fibroblast_network)) == len(fibroblast_network.species) - rank


@pytest.mark.parametrize("monomer", ["STAT3", "gp130", "JAK1"])
def test_totals_conserved_over_72_hours_of_stimulation(monomer):
    net = prepare_network(Scenario(cytokines=(("IL-6", "10 ng/mL"), ("sIL-6R", "100 ng/mL"))))
    model = compile_network(net)
    times = np.linspace(0, 72 * 3600, 145)
    states = integrate(model, times, options=SolverOptions(rtol=1e-8, atol=1e-12))
    volumes = {c.id: model.p0[model.parameter_ids.index(c.id)] for c in net.compartments}
    totals = total_amount(net, monomer, states, volumes)
    assert np.max(np.abs(totals / totals[0] - 1.0)) < 1e-8
    # and the stimulus really moved the pools (the check is not vacuous)
    assert states[:, model.species_index("Rt_act")].max() > 1e-4
