"""Cell networks generated from the tables: receptor choice per cell, simulation, independent solver."""

from __future__ import annotations

import numpy as np
import pytest

import jakstat
from jakstat.api import Scenario, prepare_network
from jakstat.network.cells import expressed_cytokines

CELLS = ["fibroblast", "cd4_t_cell", "monocyte", "hepatocyte"]


def test_receptors_follow_the_expressing_cell_types_column():
    t_cell = expressed_cytokines("CD4 T cell")
    assert {"IL-2", "IL-7", "IL-21", "IL-12"} <= set(t_cell)
    assert "IL-13" not in t_cell  # the table says "B cells (not T cells)"
    assert "IL-3" not in t_cell  # "mast cells" is not a T cell
    assert "GM-CSF" in expressed_cytokines("monocyte") and "GM-CSF" not in expressed_cytokines("hepatocyte")
    assert {"IL-6 trans", "IL-11", "OSM"} <= set(expressed_cytokines("fibroblast"))
    for cell in CELLS:
        assert {"IFN-alpha/beta", "IFN-gamma"} <= set(expressed_cytokines(cell))  # "all nucleated cells"


@pytest.mark.parametrize("cell, cytokine, stat", [("cd4_t_cell", "IL-2", "pSTAT5A_dimer_nuc"),
                                                   ("cd4_t_cell", "IL-12", "pSTAT4_dimer_nuc"),
                                                   ("monocyte", "IFN-gamma", "pSTAT1_dimer_nuc"),
                                                   ("hepatocyte", "IL-6", "pSTAT3_dimer_nuc")])
def test_every_cell_type_simulates_its_pathways(cell, cytokine, stat):
    stimulated = jakstat.simulate(cell=cell, cytokines={cytokine: "0.1 nM"}, t_end="1 h", n_points=5)
    resting = jakstat.simulate(cell=cell, t_end="1 h", n_points=5)
    assert float(stimulated[stat][-1]) > 10 * float(resting[stat][-1]) + 1.0


def test_crp_is_made_by_il6_stimulated_hepatocytes():
    ds = jakstat.simulate(cell="hepatocyte", cytokines={"IL-6": "10 ng/mL"}, t_end="6 h", n_points=4)
    assert float(ds["CRP_mRNA"][-1]) > 10 * float(ds["CRP_mRNA"][0])


@pytest.mark.slow
def test_generated_network_agrees_with_roadrunner():
    roadrunner = pytest.importorskip("roadrunner")
    from jakstat.compile.codegen import compile_network
    from jakstat.compile.sbml_export import network_to_sbml
    from jakstat.engine.integrate import SolverOptions, integrate

    net = prepare_network(Scenario(cell="monocyte", cytokines=(("IFN-gamma", "0.05 nM"), ("IL-6", "1 ng/mL"))))
    model = compile_network(net)
    times = np.linspace(0, 24 * 3600, 49)
    ours = integrate(model, times, options=SolverOptions(rtol=1e-8, atol=1e-12))
    rr = roadrunner.RoadRunner(network_to_sbml(net))
    rr.integrator.relative_tolerance, rr.integrator.absolute_tolerance = 1e-8, 1e-12
    rr.integrator.maximum_num_steps = 100000
    result = rr.simulate(times=times)
    cols = [c.strip("[]") for c in result.colnames[1:]]
    theirs = np.asarray(result)[:, 1:]
    ours = ours[:, [model.species_index(c) for c in cols]]
    peak = np.abs(ours).max(axis=0)
    mask = (np.abs(ours) > 1e-6 * peak) & (np.abs(ours) > 1e-9)
    assert float((np.abs(theirs - ours)[mask] / np.abs(ours)[mask]).max()) < 1e-4
