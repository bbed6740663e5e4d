"""The exported SBML, integrated by libRoadRunner, reproduces jakstat's own trajectories.

libRoadRunner (LLVM-compiled SBML, SUNDIALS CVODE) is an independent implementation of both
the model semantics (SBML units, compartments, events) and the integrator.
"""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.api import Scenario, prepare_network
from jakstat.compile.sbml_export import network_to_sbml
from jakstat.network.edit import with_events
from jakstat.network.model import Event, EventAssignment
from jakstat.testing import max_relative_error, roadrunner_comparison

pytest.importorskip("roadrunner", reason="libroadrunner is in the test extra: pip install -e '.[test]'")

RTOL = 1e-8


def _compare(net, times, atol=1e-12):
    return roadrunner_comparison(net, times, rtol=RTOL, atol=atol)


@pytest.mark.slow
def test_fibroblast_network_agrees_with_roadrunner_including_an_event():
    net = prepare_network(Scenario(cytokines=(("IL-6", "10 ng/mL"), ("sIL-6R", "100 ng/mL"))))
    net = with_events(net, [Event("second_dose", 24.0, "h", (EventAssignment("IL6_medium", 0.5, "nM", "add"),))])
    times = np.linspace(0, 72 * 3600, 145) + 1.0  # avoid outputs exactly at the event time
    times[0] = 0.0
    ours, theirs, columns = _compare(net, times)
    assert len(columns) == len(net.species)
    assert max_relative_error(ours, theirs, 1e-12) < 1e-4
    # the event really changed the medium: IL-6 jumps at 24 h
    k = columns.index("IL6_medium")
    before, after = np.searchsorted(times, 24 * 3600) - 1, np.searchsorted(times, 24 * 3600)
    assert theirs[after, k] - theirs[before, k] > 0.4


def test_binding_network_agrees_with_roadrunner(binding_network):
    times = np.linspace(0, 300, 31)
    ours, theirs, _ = _compare(binding_network, times, atol=1e-14)
    assert max_relative_error(ours, theirs, 1e-14) < 1e-6


def test_sbml_carries_units_and_provenance(fibroblast_network):
    import libsbml

    doc = libsbml.readSBMLFromString(network_to_sbml(fibroblast_network))
    assert doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0
    model = doc.getModel()
    kf0 = model.getParameter("kf0")
    assert kf0.getUnits() and "Singh" in kf0.getNotesString()
    unit = model.getUnitDefinition(kf0.getUnits())
    kinds = {libsbml.UnitKind_toString(u.getKind()): (u.getExponent(), u.getScale()) for u in unit.getListOfUnits()}
    assert kinds == {"mole": (-1.0, -9), "litre": (1.0, 0), "second": (-1.0, 0)}
    assert model.getSpecies("IL6_medium").getHasOnlySubstanceUnits() is False


@pytest.mark.slow
def test_variant_fibroblast_with_drug_and_antibody_agrees_with_roadrunner():
    """The full fibroblast network (STAT4 allele pools, IFN tone, antibodies, JAK-free fractions) for a
    heterozygous carrier under ruxolitinib, anti-IL-6R and IL-6."""
    net = prepare_network(Scenario(genotype="STAT4:A635V/wt", cytokines=(("IL-6", "10 ng/mL"),),
                                   drugs=(("ruxolitinib", "100 nM"),), antibodies=(("anti-IL-6R", "1 ug/mL"),)))
    times = np.linspace(0, 48 * 3600, 97)
    ours, theirs, columns = _compare(net, times)
    assert len(columns) == len(net.species)
    assert {"STAT4v_cyt", "pSTAT4v_dimer_nuc", "anti_IL6R_IL6R"} <= set(columns)
    assert theirs[-1, columns.index("anti_IL6R_IL6R")] > 0  # the antibody really bound
    assert max_relative_error(ours, theirs, 1e-12) < 1e-4
