"""STAT1 and STAT3 gain of function on the generated networks against the published findings.

Published (abstracts; no fold for a single variant was found, so the checks are directions and the
variant effects are ``assumed`` in variant_effects.csv):

- STAT1 GoF (R274Q and the other coiled-coil alleles): impaired nuclear dephosphorylation of
  activated STAT1 and stronger STAT1-dependent responses to IFN-gamma and IFN-alpha/beta (Liu 2011,
  J Exp Med 208:1635); higher peak pSTAT1 after IFN-gamma and IFN-alpha in patients' monocytes, and
  ruxolitinib brought peak pSTAT1 back to normal in a treated patient (Zimmerman 2019, Front Immunol
  10:1433, PMC6635460; that study found normal dephosphorylation, see the row's reason).
  Heterozygous carriers (the patients) lie between wild type and the homozygous model.
- STAT3 GoF (E616del, C426R): gain of function under IL-6 without constitutive phosphorylation
  (PMC6143347).

Readout: the fraction of the cell's STAT1 (or STAT3), both alleles' proteins, that is tyrosine
phosphorylated (monomers, dimers, ISGF3), as a flow-cytometry pSTAT assay reads it. Monocytes
(1e5 cells in 1 mL), fresh medium with the cytokine at t = 0. The numbers measured are in the
assertion messages (pytest -s prints them). At 10 ng/mL IFN-gamma the generic model phosphorylates
~97% of wild-type STAT1, so the peak comparison uses 0.1 ng/mL, below saturation.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest

import jakstat
from jakstat.api import Scenario, prepare_network, run_network
from jakstat.engine.integrate import SolverOptions
from jakstat.network.builders import build_cell_network
from jakstat.network.edit import with_events
from jakstat.network.model import Event, EventAssignment

pytestmark = pytest.mark.validation
STAT1_GENOTYPES = {"wild type": "wt", "heterozygous": "STAT1:R274Q/wt", "homozygous": "STAT1:R274Q/R274Q"}
STAT3_GENOTYPES = {"wild type": "wt", "heterozygous": "STAT3:E616del/wt", "homozygous": "STAT3:E616del/E616del"}


def phosphorylated_fraction(ds, net, gene: str) -> np.ndarray:
    """Fraction of all ``gene`` protein (wild-type and variant alleles) that is phosphorylated, over time."""
    volume = {c.id: c.size for c in net.compartments}
    total = phosphorylated = 0.0
    for s in net.species:
        count = sum(n for monomer, n in s.composition if monomer in (gene, gene + "v"))
        if count:
            amount = count * ds[s.id].values * volume[s.compartment]
            total = total + amount
            if s.id.startswith(("p", "ISGF3")):
                phosphorylated = phosphorylated + amount
    return phosphorylated / total


@lru_cache(maxsize=None)
def _course(cell, genotype, cytokine, dose, gene, drugs=()):
    """Phosphorylated fraction of ``gene`` every hour for 24 h (cached: the tests share runs)."""
    ds = jakstat.simulate(cell=cell, genotype=genotype, cytokines={cytokine: dose}, t_end="24 h", n_points=25,
                          drugs=dict(drugs) or None)
    return phosphorylated_fraction(ds, build_cell_network(cell, genotype), gene)


@pytest.fixture(scope="module", params=["IFN-gamma", "IFN-alpha/beta"])
def stat1_courses(request):
    return request.param, {k: _course("monocyte", g, request.param, "0.1 ng/mL", "STAT1") for k, g in STAT1_GENOTYPES.items()}


def test_stat1_gof_monocytes_have_more_pstat1_after_interferon(stat1_courses):
    cytokine, courses = stat1_courses
    peak = {k: float(v.max()) for k, v in courses.items()}
    late = {k: float(v[-1]) for k, v in courses.items()}
    numbers = f"{cytokine} 0.1 ng/mL, peak pSTAT1 fraction {peak}, at 24 h {late}"
    assert peak["wild type"] < peak["heterozygous"] < peak["homozygous"], numbers
    assert late["wild type"] < late["heterozygous"] < late["homozygous"], numbers
    assert peak["heterozygous"] > 1.1 * peak["wild type"], numbers  # a visible gain in carriers, not round-off


def test_stat1_gof_is_not_constitutive_at_rest(stat1_courses):
    _, courses = stat1_courses
    assert courses["heterozygous"][0] < 0.01, f"resting pSTAT1 fraction of carriers {courses['heterozygous'][0]:.3g}"


@pytest.mark.slow
def test_stat1_gof_pstat1_lasts_longer_after_the_jaks_are_blocked():
    """Liu 2011 design: stimulate, stop phosphorylation (all JAKs blocked at 1 h), follow the decline."""
    block = Event("jak_block", 1.0, "h", tuple(EventAssignment(f"free_{j}", 0.0, "dimensionless")
                                               for j in ("JAK1", "JAK2", "JAK3", "TYK2")))
    lost = {}
    for label, genotype in STAT1_GENOTYPES.items():
        net = prepare_network(Scenario(cell="monocyte", genotype=genotype, cytokines=(("IFN-gamma", "10 ng/mL"),)))
        ds = run_network(with_events(net, [block]), np.array([0.0, 3600.0, 4 * 3600.0]), SolverOptions(rtol=1e-8, atol=1e-12))
        fraction = phosphorylated_fraction(ds, net, "STAT1")
        lost[label] = float(fraction[1] - fraction[2]) / float(fraction[1])
    numbers = f"share of pSTAT1 lost 1-4 h after the JAK block: {lost}"
    assert lost["wild type"] > lost["heterozygous"] > lost["homozygous"] >= 0.0, numbers
    assert lost["heterozygous"] < 0.75 * lost["wild type"], numbers


def test_the_jak_inhibitor_still_lowers_pstat1_of_stat1_gof_cells():
    untreated_wt = _course("monocyte", "wt", "IFN-gamma", "0.1 ng/mL", "STAT1").max()
    untreated = _course("monocyte", STAT1_GENOTYPES["heterozygous"], "IFN-gamma", "0.1 ng/mL", "STAT1").max()
    treated = _course("monocyte", STAT1_GENOTYPES["heterozygous"], "IFN-gamma", "0.1 ng/mL", "STAT1",
                      drugs=(("ruxolitinib", "100 nM"),)).max()
    numbers = f"peak pSTAT1 fraction: carrier {untreated:.3g}, carrier + ruxolitinib 100 nM {treated:.3g}, wild type {untreated_wt:.3g}"
    assert treated < 0.5 * untreated, numbers
    assert treated < untreated_wt, numbers  # back to (below) the healthy level, as in the treated patient


def test_stat3_gof_hepatocytes_have_more_pstat3_under_il6_without_constitutive_activation():
    courses = {k: _course("hepatocyte", g, "IL-6", "0.1 ng/mL", "STAT3") for k, g in STAT3_GENOTYPES.items()}
    peak = {k: float(v.max()) for k, v in courses.items()}
    numbers = f"IL-6 0.1 ng/mL, peak pSTAT3 fraction {peak}; at rest, carriers {courses['heterozygous'][0]:.3g}"
    assert peak["wild type"] < peak["heterozygous"] < peak["homozygous"], numbers
    assert peak["heterozygous"] > 1.1 * peak["wild type"], numbers
    assert courses["heterozygous"][0] < 0.01, numbers  # "not constitutively phosphorylated" (PMC6143347)
