"""PEtab v1 problems (Boehm 2014, Bachmann 2011): jakstat's network against libRoadRunner.

The reference SBML is baked here, independently of jakstat.compile.petab_problem: the nominal values
of the parameter table and the first condition are set with libsbml on the original file, and
libRoadRunner evaluates the model's initial assignments and rules itself. Acceptance: max relative
error < 1e-4 over 0..240 model time units (minutes for both models), 100 points, rtol 1e-8, atol 1e-12.
"""

from __future__ import annotations

import shutil

import libsbml
import numpy as np
import pandas as pd
import pytest

from interchange_helpers import ATOL, RTOL, max_relative_error
from jakstat.compile.codegen import compile_network
from jakstat.compile.petab_problem import baked_document, load_petab, petab_condition_ids
from jakstat.compile.sbml_export import network_to_sbml
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.errors import InvalidValueError, TableError, UnknownNameError
from jakstat.network.provenance import Input

TIMES = np.linspace(0.0, 240.0, 100)
PROBLEMS = ["Boehm_JProteomeRes2014", "Bachmann_MSB2011"]


def independently_baked_sbml(folder, condition_index: int = 0) -> str:
    """The original SBML with nominal parameters and one condition row set directly with libsbml."""
    name = folder.name
    doc = libsbml.readSBMLFromFile(str(folder / f"model_{name}.xml"))
    model = doc.getModel()
    table = pd.read_csv(folder / f"parameters_{name}.tsv", sep="\t")
    nominal = dict(zip(table["parameterId"], table["nominalValue"].astype(float)))
    for pid, value in nominal.items():
        if model.getParameter(pid) is not None:
            model.getParameter(pid).setValue(value)
    row = pd.read_csv(folder / f"experimentalCondition_{name}.tsv", sep="\t").iloc[condition_index]
    for column, value in row.drop(["conditionId", "conditionName"]).items():
        value = float(nominal.get(value, value))
        if model.getParameter(column) is not None:
            model.getParameter(column).setValue(value)
        else:
            model.getSpecies(column).setInitialConcentration(value)
            model.removeInitialAssignment(column)
    return libsbml.writeSBMLToString(doc)


@pytest.mark.parametrize("name", PROBLEMS)
def test_nominal_first_condition_agrees_with_roadrunner(name, petab_problem, roadrunner_concentrations):
    folder = petab_problem(name)
    net = load_petab(folder)
    ours = integrate(compile_network(net), TIMES, options=SolverOptions(rtol=RTOL, atol=ATOL))
    theirs = roadrunner_concentrations(independently_baked_sbml(folder), TIMES, net.species_ids)
    error = max_relative_error(theirs, ours, ATOL)
    print(f"{name}: max relative error vs libRoadRunner = {error:.2e}")
    assert error < 1e-4
    assert np.ptp(ours, axis=0).max() > 1.0  # something happens in 240 min


@pytest.mark.parametrize("name", PROBLEMS)
def test_round_trip_export_agrees_with_roadrunner_on_the_original(name, petab_problem, roadrunner_concentrations):
    folder = petab_problem(name)
    net = load_petab(folder)
    original = roadrunner_concentrations(independently_baked_sbml(folder), TIMES, net.species_ids)
    exported = roadrunner_concentrations(network_to_sbml(net), TIMES, net.species_ids)
    assert max_relative_error(original, exported, ATOL) < 1e-4


def test_nominal_values_and_provenance_are_baked_in(petab_problem):
    folder = petab_problem("Boehm_JProteomeRes2014")
    net = load_petab(folder)
    assert net["k_imp_homo"].value == pytest.approx(97749.3794024716)  # the SBML file says 96945.54
    assert net["k_imp_homo"].provenance == Input("PEtab Boehm_JProteomeRes2014: parameters table nominalValue")
    assert "sd_pSTAT5A_rel" not in net  # a noise parameter, not a model entity
    assert "BaF3_Epo" not in net  # set by an assignment rule: substituted into the rate laws
    assert net["STAT5A"].initial == pytest.approx(207.6 * 0.693)  # initial assignment with the baked 'ratio'
    assert net.check_units is False and "model1_data1" in net.description


def test_conditions_are_listed_and_applied(petab_problem):
    folder = petab_problem("Bachmann_MSB2011")
    ids = petab_condition_ids(folder)
    assert ids[:2] == ["model1_data1", "model1_data2"] and len(ids) == 36
    first, no_actd = load_petab(folder), load_petab(folder / "Bachmann_MSB2011.yaml", "model1_data5")
    assert first["ActD"].value == 1.0 and no_actd["ActD"].value == 0.0
    assert no_actd["ActD"].provenance == Input("PEtab Bachmann_MSB2011: condition model1_data5, column ActD")
    assert first["SHP1"].initial == pytest.approx(26.7251164163486)  # init_SHP1_multiplier = 0 in the condition
    shp1oe = load_petab(folder, "model1_data14")  # init_SHP1_multiplier = 1: SHP1 = init_SHP1 (SHP1ProOE + 1)
    assert shp1oe["SHP1"].initial == pytest.approx(26.7251164163486 * (2.82568032716189 + 1))


def test_baked_document_is_the_same_ode_for_other_tools(petab_problem, roadrunner_concentrations):
    folder = petab_problem("Bachmann_MSB2011")
    doc, changed = baked_document(folder, "model1_data14")
    assert "init_SHP1_multiplier" in changed
    net = load_petab(folder, "model1_data14")
    ours = roadrunner_concentrations(libsbml.writeSBMLToString(doc), TIMES, net.species_ids)
    theirs = roadrunner_concentrations(independently_baked_sbml(folder, 13), TIMES, net.species_ids)
    assert max_relative_error(theirs, ours, ATOL) < 1e-10


def test_an_unknown_condition_lists_the_known_ones(petab_problem):
    folder = petab_problem("Boehm_JProteomeRes2014")
    expected = r"unknown PEtab condition \(problem Boehm_JProteomeRes2014\) 'model1_data2'; known: model1_data1"
    with pytest.raises(UnknownNameError, match=expected):
        load_petab(folder, "model1_data2")


def test_other_format_versions_are_refused(petab_problem, tmp_path):
    folder = petab_problem("Boehm_JProteomeRes2014")
    yaml_path = tmp_path / "v2.yaml"
    yaml_path.write_text((folder / "Boehm_JProteomeRes2014.yaml").read_text().replace("format_version: 1",
                                                                                     "format_version: 2.0.0"))
    with pytest.raises(InvalidValueError, match=r"format_version '2.0.0' is not supported; allowed: 1"):
        load_petab(yaml_path)


def test_a_non_numeric_nominal_value_names_file_row_and_column(petab_problem, tmp_path):
    folder = tmp_path / "Boehm"
    shutil.copytree(petab_problem("Boehm_JProteomeRes2014"), folder)
    table = folder / "parameters_Boehm_JProteomeRes2014.tsv"
    table.write_text(table.read_text().replace("0.006170228086381", "fast"))
    with pytest.raises(TableError, match=r"parameters_Boehm_JProteomeRes2014.tsv, row 3, column 'nominalValue'"):
        load_petab(folder)
