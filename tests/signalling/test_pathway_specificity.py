"""Pathway specificity, derived from the receptor table: each cytokine alone phosphorylates exactly
the STATs the table lists, and only through the JAKs the table lists."""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.compile.codegen import compile_network
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.knowledge import cytokines, jaks
from jakstat.network.definition import network_from_definition
from jakstat.network.pathways import pathway_definition, species_token

ALL = [c.name for c in cytokines()]
THRESHOLD = 0.01  # fraction of a STAT pool phosphorylated that counts as "phosphorylated"


@pytest.fixture(scope="module")
def model():
    return compile_network(network_from_definition(pathway_definition(ALL)))


def phospho_fractions(model, cytokine: str, free: dict[str, float] | None = None) -> dict[str, float]:
    """Fraction of each STAT pool phosphorylated 30 min after 1 nM of ``cytokine`` alone."""
    y0 = model.y0.copy()
    y0[model.species_index(f"{species_token(cytokine)}_medium")] = 1.0
    p = model.parameter_vector(**{f"free_{j}": v for j, v in (free or {}).items()})
    y = integrate(model, np.array([1800.0]), y0=y0, p=p, options=SolverOptions(rtol=1e-8, atol=1e-12))[-1]
    vol = {c: model.p0[model.parameter_ids.index(c)] for c in ("cytoplasm", "nucleus")}
    out = {}
    for s in model.network.species:
        for monomer, n in s.composition:
            if monomer.startswith("STAT"):
                amount = n * y[model.species_index(s.id)] * vol[s.compartment]
                out.setdefault(monomer, [0.0, 0.0])
                out[monomer][1] += amount
                if s.id.startswith("p"):  # pSTAT monomers and dimers; receptor intermediates hold unphosphorylated STAT
                    out[monomer][0] += amount
    return {k: v[0] / v[1] for k, v in out.items()}


@pytest.mark.parametrize("name", ALL)
def test_each_cytokine_phosphorylates_exactly_its_listed_stats(model, name):
    record = next(c for c in cytokines() if c.name == name)
    fractions = phospho_fractions(model, name)
    for stat in record.main_stats:
        assert fractions[stat] > THRESHOLD, f"{name} should phosphorylate {stat}"
    listed = set(record.main_stats) | set(record.secondary_stats)
    for stat, fraction in fractions.items():
        if stat not in listed:
            assert fraction < 1e-12, f"{name} must not phosphorylate {stat}"  # integrator noise only
    for stat in record.secondary_stats:
        if stat not in record.main_stats:
            assert 1e-12 < fractions[stat] < max(fractions[m] for m in record.main_stats)


@pytest.mark.parametrize("name", ALL)
def test_signalling_needs_every_listed_jak_and_no_other(model, name):
    record = next(c for c in cytokines() if c.name == name)
    main = record.main_stats[0]
    baseline = phospho_fractions(model, name)[main]
    for jak in record.receptor.jaks:
        assert phospho_fractions(model, name, {jak: 0.0})[main] < 1e-6 * baseline, f"{name} should need {jak}"
    others = {j.name: 0.0 for j in jaks() if j.name not in record.receptor.jaks}
    assert phospho_fractions(model, name, others)[main] == pytest.approx(baseline, rel=1e-9)
