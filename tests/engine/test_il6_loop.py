"""The autocrine IL-6 loop is closed: what the cells secrete reaches the medium and feeds back."""

from __future__ import annotations

import numpy as np

from jakstat.compile.codegen import compile_network
from jakstat.engine.steady_state import steady_state
from jakstat.network.edit import with_parameter
from jakstat.network.provenance import Input


def _steady(net):
    model = compile_network(net)
    y = steady_state(model)
    return {sid: y[i] for i, sid in enumerate(model.species_ids)}, model


def test_cutting_secretion_changes_steady_state_medium_il6(fibroblast_network):
    closed, model = _steady(fibroblast_network)
    cut, _ = _steady(with_parameter(fibroblast_network, "k_IL6_secretion", 0.0, Input("test: loop cut")))
    assert closed["IL6_medium"] > 1e-3  # ~0.02 nM, a few hundred pg/mL of conditioned medium
    assert cut["IL6_medium"] < 1e-9 * closed["IL6_medium"]
    # the loop feeds back into the cell: without medium IL-6 there is no receptor activity and
    # IL6 transcription falls to its STAT3-independent basal rate
    assert closed["pSTAT3_dimer_nuc"] > 100 * max(cut["pSTAT3_dimer_nuc"], 1e-12)
    assert closed["IL6_mRNA_cyt"] > 1.2 * cut["IL6_mRNA_cyt"]
    assert closed["SOCS3"] > 100 * max(cut["SOCS3"], 1e-12)


def test_steady_state_is_a_fixed_point(fibroblast_network):
    closed, model = _steady(fibroblast_network)
    y = np.array([closed[s] for s in model.species_ids])
    dy = model.rhs(0.0, y, model.p0)
    assert np.all(np.abs(dy) <= 1e-8 * (np.abs(y) + 1e-9))
