"""Genotypes on the generated networks: allele pools, mixed dimers, edits, conservation, libRoadRunner.

The references are independent of the code under test: an empty variant pool must leave the
dynamics of the wild-type network unchanged; two kinetically identical alleles must behave as one
pool (exchange symmetry: each allele's share of every STAT1 species stays at its allele fraction);
stoichiometry conserves each allele's protein; libRoadRunner integrates the exported SBML.
"""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.api import Scenario, prepare_network
from jakstat.compile.codegen import compile_network
from jakstat.compile.conservation import conserved_monomers, total_amount
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.errors import GenotypeError
from jakstat.network.builders import build_cell_network
from jakstat.network.edit import with_parameter
from jakstat.network.provenance import Assumed, Input
from jakstat.testing import max_relative_error, roadrunner_comparison

HET = "STAT1:R274Q/wt"
TIMES = np.linspace(0.0, 6 * 3600.0, 13)
OPTIONS = SolverOptions(rtol=1e-9, atol=1e-13)
IFNG = (("IFN-gamma", "0.1 ng/mL"),)


def _initial(net, sid):
    return net[sid].initial


@pytest.mark.parametrize("genotype, variant_fraction", [("STAT1:wt/wt", 0.0), (HET, 0.5), ("STAT1:R274Q/R274Q", 1.0)])
def test_allele_dose_splits_the_stat1_pool_of_a_generated_network(genotype, variant_fraction):
    total = _initial(build_cell_network("monocyte"), "STAT1_cyt")
    net = build_cell_network("monocyte", genotype)
    assert _initial(net, "STAT1v_cyt") == pytest.approx(total * variant_fraction)
    assert _initial(net, "STAT1_cyt") + _initial(net, "STAT1v_cyt") == pytest.approx(total)
    assert isinstance(net["STAT1v_cyt"].provenance, Input)
    if variant_fraction:
        assert genotype in net["STAT1v_cyt"].provenance.describe()


def test_the_variant_pool_has_its_own_species_and_mixed_dimers():
    ids = set(build_cell_network("monocyte", HET).species_ids)
    assert {"STAT1v_cyt", "pSTAT1v_cyt", "pSTAT1v_nuc", "STAT1v_nuc", "pSTAT1_pSTAT1v_dimer_cyt", "pSTAT1_pSTAT1v_dimer_nuc",
            "pSTAT1v_dimer_cyt", "pSTAT1v_dimer_nuc", "ISGF3_STAT1v_cyt", "ISGF3_STAT1v_nuc",
            "IFNgamma_R_IFNgamma_act_STAT1v"} <= ids
    assert not any(s.startswith("STAT3v") for s in ids)  # only the STATs the genotype names get a pool
    assert "STAT1v_cyt" not in build_cell_network("monocyte").species_ids  # plain wild type: no pools


def test_the_variant_edit_and_its_provenance_come_from_variant_effects_csv():
    wild = build_cell_network("monocyte", "STAT1:wt/wt")["f_dephos_STAT1v"]
    variant = build_cell_network("monocyte", HET)["f_dephos_STAT1v"]
    assert wild.value == 1.0 and isinstance(wild.provenance, Input)
    assert variant.value == 0.1 and isinstance(variant.provenance, Assumed)
    assert "Zimmerman" in variant.provenance.describe()  # the contested mechanism is named, not hidden
    for genotype in ("STAT3:E616del/wt", "STAT3:C426R/wt"):
        assert build_cell_network("hepatocyte", genotype)["f_dephos_STAT3v"].value == 0.1


def test_stat1_and_stat1v_totals_are_conserved():
    net = prepare_network(Scenario(cell="monocyte", genotype=HET, cytokines=IFNG))
    conserved = conserved_monomers(net)
    assert conserved["STAT1"] and conserved["STAT1v"] and conserved["STAT2"]
    model = compile_network(net)
    states = integrate(model, TIMES, options=OPTIONS)
    volumes = {c.id: c.size for c in net.compartments}
    for monomer in ("STAT1", "STAT1v"):
        amount = total_amount(net, monomer, states, volumes)
        assert np.ptp(amount) < 1e-7 * amount[0], monomer
    both = total_amount(net, "STAT1", states, volumes) + total_amount(net, "STAT1v", states, volumes)
    total_nm = _initial(build_cell_network("monocyte"), "STAT1_cyt")
    assert both[0] == pytest.approx(total_nm * volumes["cytoplasm"], rel=1e-9)


def _run(genotype, edit=None, preequilibrate=True, cytokines=IFNG):
    net = prepare_network(Scenario(cell="monocyte", genotype=genotype, cytokines=cytokines, preequilibrate=preequilibrate))
    if edit is not None:
        net = with_parameter(net, *edit, Assumed("test: variant made identical to wild type"))
    model = compile_network(net)
    return net, integrate(model, TIMES, options=OPTIONS), model


def test_an_empty_variant_pool_leaves_the_wild_type_dynamics_unchanged():
    _, plain, plain_model = _run("wt")
    _, pooled, pooled_model = _run("STAT1:wt/wt")
    columns = [pooled_model.species_index(s) for s in plain_model.species_ids]
    assert max_relative_error(plain, pooled[:, columns], OPTIONS.atol) < 1e-6
    variant_only = [i for i, s in enumerate(pooled_model.species_ids) if "STAT1v" in s]
    assert np.abs(pooled[:, variant_only]).max() < 1e-6 * OPTIONS.atol  # round-off of the linear solves only


def test_identical_alleles_act_as_one_pool():
    """With the edit undone (f_dephos_STAT1v = 1) a heterozygote is the wild type with each STAT1
    molecule labelled at random: wild-type homodimer : mixed : variant homodimer = 1/4 : 1/2 : 1/4
    of the wild-type dimer, and every other species splits 1/2 : 1/2 (binomial pairing). Started
    from the unequilibrated state (exactly split), so the steady-state tolerance does not enter."""
    both = (*IFNG, ("IFN-alpha/beta", "0.1 ng/mL"))  # IFN-alpha for ISGF3
    _, wild, wild_model = _run("wt", preequilibrate=False, cytokines=both)
    _, het, het_model = _run(HET, edit=("f_dephos_STAT1v", 1.0), preequilibrate=False, cytokines=both)
    w = {s: wild[:, i] for i, s in enumerate(wild_model.species_ids)}
    h = {s: het[:, i] for i, s in enumerate(het_model.species_ids)}
    atol = OPTIONS.atol
    for where in ("cyt", "nuc"):
        dimer = w[f"pSTAT1_dimer_{where}"]
        for sid, share in ((f"pSTAT1_dimer_{where}", 0.25), (f"pSTAT1_pSTAT1v_dimer_{where}", 0.5), (f"pSTAT1v_dimer_{where}", 0.25)):
            assert max_relative_error(share * dimer[:, None], h[sid][:, None], atol) < 1e-6, sid
        for wt_id, v_id in ((f"pSTAT1_{where}", f"pSTAT1v_{where}"), (f"STAT1_{where}", f"STAT1v_{where}"),
                            (f"ISGF3_{where}", f"ISGF3_STAT1v_{where}")):
            for sid in (wt_id, v_id):
                assert max_relative_error(0.5 * w[wt_id][:, None], h[sid][:, None], atol) < 1e-6, sid
    assert max_relative_error(w["IRF1_mRNA"][:, None], h["IRF1_mRNA"][:, None], atol) < 1e-6  # the genes see one pool


def test_a_variant_without_an_effect_in_generated_networks_lists_the_modelled_ones():
    with pytest.raises(GenotypeError, match=r"STAT4_A635V has no modelled effect in the generated network; "
                                            r"modelled variants: STAT1_R274Q, STAT3_C426R, STAT3_E616del"):
        build_cell_network("cd4_t_cell", "STAT4:A635V/wt")


@pytest.mark.slow
def test_stat1_gof_network_agrees_with_roadrunner():
    pytest.importorskip("roadrunner")
    net = prepare_network(Scenario(cell="monocyte", genotype=HET, cytokines=(("IFN-gamma", "10 ng/mL"),)))
    times = np.linspace(0.0, 24 * 3600.0, 49)
    ours, theirs, _ = roadrunner_comparison(net, times, rtol=1e-8, atol=1e-12)
    assert max_relative_error(ours, theirs, 1e-12) < 1e-4


def test_two_genes_and_a_compound_heterozygote_share_the_rule():
    net = build_cell_network("hepatocyte", "STAT1:R274Q/wt;STAT3:E616del/C426R")
    total = _initial(build_cell_network("hepatocyte"), "STAT3_cyt")
    assert _initial(net, "STAT1v_cyt") == pytest.approx(total / 2)
    assert _initial(net, "STAT3v_cyt") == pytest.approx(total) and _initial(net, "STAT3_cyt") == 0.0  # both copies variant
    assert net["f_dephos_STAT1v"].value == net["f_dephos_STAT3v"].value == 0.1
    assert all(conserved_monomers(net)[m] for m in ("STAT1", "STAT1v", "STAT3", "STAT3v"))
