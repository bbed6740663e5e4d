"""Target genes and feedback generated from gene_targets.csv behave as the table says."""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.compile.codegen import compile_network
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.network.definition import network_from_definition
from jakstat.network.genes import add_gene_expression
from jakstat.network.pathways import pathway_definition


@pytest.fixture(scope="module")
def model():
    definition = add_gene_expression(pathway_definition(["IL-6", "IFN-alpha/beta", "IFN-gamma"]))
    return compile_network(network_from_definition(definition))


def run(model, ligand: str, hours: float = 4.0, dose_nM: float = 1.0, **params: float) -> dict[str, float]:
    y0 = model.y0.copy()
    if ligand:
        y0[model.species_index(f"{ligand}_medium")] = dose_nM
    y = integrate(model, np.array([hours * 3600.0]), y0=y0, p=model.parameter_vector(**params),
                  options=SolverOptions(rtol=1e-8, atol=1e-12))[-1]
    return dict(zip(model.species_ids, y))


def test_type_i_ifn_induces_isgs_through_isgf3_and_ifn_gamma_does_not(model):
    basal, alpha, gamma = run(model, ""), run(model, "IFNalpha_beta"), run(model, "IFNgamma")
    assert alpha["ISGF3_nuc"] > 1.0 and gamma["ISGF3_nuc"] == 0.0
    assert alpha["IFI27_mRNA"] > 10 * basal["IFI27_mRNA"]
    assert gamma["IFI27_mRNA"] == pytest.approx(basal["IFI27_mRNA"], rel=1e-6)  # integrator noise only
    # IRF1 is a GAF (pSTAT1 homodimer) target: IFN-gamma induces it
    assert gamma["IRF1_mRNA"] > 10 * basal["IRF1_mRNA"]


def test_socs3_feedback_lowers_il6_signalling(model):
    # a low dose (1 pM, ~21 pg/mL): with the uncalibrated generic constants a 1 nM dose saturates
    # the STAT3 pool within minutes, feedback or not
    with_feedback = run(model, "IL6", hours=4.0, dose_nM=1e-3)
    without = run(model, "IL6", hours=4.0, dose_nM=1e-3, kf_socs=0.0)
    assert with_feedback["SOCS3"] > 1.0
    assert with_feedback["pSTAT3_dimer_nuc"] < 0.95 * without["pSTAT3_dimer_nuc"]


def test_feedback_targets_follow_the_table(model):
    ids = set(model.species_ids)
    assert "IL6_R_IL6_act_SOCS3" in ids and "IFNgamma_R_IFNgamma_act_SOCS1" in ids
    assert "IFNgamma_R_IFNgamma_act_SOCS3" not in ids and "IL6_R_IL6_act_SOCS1" not in ids
