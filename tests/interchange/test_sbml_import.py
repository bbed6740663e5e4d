"""SBML import: the imported network integrates like libRoadRunner on the original file.

Small models are written here with libsbml so that each case (amount-based species, events,
function definitions, rules) is explicit; the published models are in test_petab_load.py.
"""

from __future__ import annotations

import libsbml
import numpy as np
import pytest
import sympy

from interchange_helpers import ATOL, RTOL, max_relative_error, sbml_model
from jakstat.compile.codegen import compile_network
from jakstat.compile.sbml_export import network_to_sbml
from jakstat.compile.sbml_import import network_from_sbml, sbml_time_unit
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.errors import SBMLError
from jakstat.network.provenance import Input


#: Amount-based species (hasOnlySubstanceUnits), an initial amount of a concentration species, a boundary
#: species, a local parameter that shadows a global one, and events at t = 5 (X + c on an amount, a set on a
#: concentration) and t > 7.5 (a parameter).
AMOUNTS = sbml_model(
    species=[("A", 10.0, True, True, False), ("B", 1.0, False, False, False), ("C", 2.0, False, True, False),
             ("D", 3.0, True, True, True), ("E", 3.0, True, False, False)],
    parameters=[("k", 0.3), ("kd", 99.0), ("kin", 0.02), ("t_dose", 5.0)],
    reactions=[("bind", [("A", 1), ("B", 1)], [("C", 1)], "k * A * B", []),
               ("decay", [("C", 1)], [], "kd * C", [("kd", 0.1)]),
               ("influx", [], [("B", 1)], "kin * D", []), ("loss", [("E", 1)], [], "k * E * cell", [])],
    events=[("dose", "time >= t_dose", {"A": "A + 3", "B": "2"}), ("switch", "time > 7.5", {"k": "0.1"})],
)

#: A function definition, an assignment rule with a piecewise switch in time, a species set by a rule.
MATHS = sbml_model(
    species=[("X", 5.0, False, False, False), ("Y", 0.0, False, False, False)],
    parameters=[("vmax", 2.0), ("km", 1.5), ("act", 0.0)],
    reactions=[("uptake", [("X", 1)], [], "cell * mm(X, vmax * act, km)", [])],
    rules=[("assignment", "act", "piecewise(1, time > 2, 0.2)"), ("assignment", "Y", "2 * X")],
    functions=[("mm", "lambda(S, V, K, V * S / (K + S))")],
)

TIMES = np.append(0.0, np.linspace(0.0, 20.0, 41)[1:] + 0.01)  # outputs just after, not at, the event times


def _ours(net, times=TIMES):
    model = compile_network(net)
    return integrate(model, times, options=SolverOptions(rtol=RTOL, atol=ATOL))


def test_amount_species_and_events_agree_with_roadrunner(roadrunner_concentrations):
    net = network_from_sbml(AMOUNTS)
    assert net.check_units is False and "check_units=False" in net.description
    assert net["A"].initial == pytest.approx(10.0 / 2.5) and net["C"].initial == pytest.approx(2.0)
    assert net["E"].initial == pytest.approx(3.0 / 2.5)  # an initial amount of a concentration species
    assert net["D"].boundary and net["decay_kd"].value == 0.1 and net["kd"].value == 99.0
    assert net["dose"].assignments[0].mode == "add" and net["dose"].assignments[0].value == pytest.approx(3 / 2.5)
    assert net["A"].provenance == Input("SBML <string>: A")
    ours = _ours(net)
    theirs = roadrunner_concentrations(AMOUNTS, TIMES, net.species_ids)
    assert max_relative_error(theirs, ours, ATOL) < 1e-5
    # the dose really happened: A jumps by 3 amount units = 1.2 concentration units at t = 5
    a = net.species_ids.index("A")
    assert theirs[10, a] - theirs[9, a] > 1.0 and ours[10, a] - ours[9, a] > 1.0


def test_function_definitions_and_assignment_rules_agree_with_roadrunner(roadrunner_concentrations):
    net = network_from_sbml(MATHS)
    assert "Y" not in net and "act" not in net and "Y" in net.description  # rule targets are outputs
    ours = _ours(net)
    theirs = roadrunner_concentrations(MATHS, TIMES, net.species_ids)
    assert max_relative_error(theirs, ours, ATOL) < 1e-5


def test_round_trip_export_agrees_with_roadrunner_on_the_original(roadrunner_concentrations):
    net = network_from_sbml(AMOUNTS)
    exported = network_to_sbml(net)
    original = roadrunner_concentrations(AMOUNTS, TIMES, net.species_ids)
    again = roadrunner_concentrations(exported, TIMES, net.species_ids)
    assert max_relative_error(original, again, ATOL) < 1e-5


def test_maths_constructs_become_the_right_sympy():
    text = sbml_model([("A", 2.0, False, False, False)], [("k", 1.0)],
                  [("r", [("A", 1)], [], "k * (ln(A) + log(3, A) + log10(A) + root(3, A) + pow(A, 2) + abs(-A))", [])])
    A, k = sympy.symbols("A k")
    expected = k * (sympy.log(A) + sympy.log(A) / sympy.log(3) + sympy.log(A) / sympy.log(10)
                    + A ** sympy.Rational(1, 3) + A ** 2 + sympy.Abs(A))
    assert sympy.simplify(network_from_sbml(text)["r"].rate - expected) == 0


def test_time_unit_is_read_from_thesbml_model(tmp_path):
    assert sbml_time_unit(AMOUNTS) == ("s", 1.0)  # no unit declared: SBML's convention, seconds
    hours = sbml_model([("A", 1.0, False, False, False)], [], [], time_unit_seconds=3600.0)
    assert sbml_time_unit(hours) == ("h", 3600.0)


# --- what jakstat refuses, by name ---------------------------------------------------------------


def test_a_rate_rule_is_refused_naming_it():
    text = sbml_model([("A", 1.0, False, False, False)], [("p", 1.0)], [], rules=[("rate", "p", "-p")])
    with pytest.raises(SBMLError, match=r"rule for 'p' uses a rate rule.*jakstat cannot represent"):
        network_from_sbml(text)


def test_an_event_with_a_state_trigger_is_refused_naming_it():
    text = sbml_model([("A", 1.0, False, False, False)], [], [("r", [("A", 1)], [], "A", [])],
                  events=[("low", "A < 0.5", {"A": "1"})])
    with pytest.raises(SBMLError, match=r"event 'low'.*trigger 'A < 0.5'"):
        network_from_sbml(text)


def test_a_delay_in_a_rate_law_is_refused_naming_it():
    text = sbml_model([("A", 1.0, False, False, False)], [], [("r", [("A", 1)], [], "delay(A, 2)", [])])
    with pytest.raises(SBMLError, match=r"reaction 'r'.*'delay'"):
        network_from_sbml(text)


def test_an_event_assignment_that_reads_the_state_is_refused():
    text = sbml_model([("A", 1.0, False, False, False)], [], [("r", [("A", 1)], [], "A", [])],
                  events=[("double", "time >= 1", {"A": "2 * A"})])
    with pytest.raises(SBMLError, match=r"assignment to 'A' in event 'double'.*A \+ constant"):
        network_from_sbml(text)


def test_a_fast_reaction_is_refused():
    text = sbml_model([("A", 1.0, False, False, False)], [], [("r", [("A", 1)], [], "A", [])], level=(3, 1))
    doc = libsbml.readSBMLFromString(text)
    doc.getModel().getReaction("r").setFast(True)
    with pytest.raises(SBMLError, match=r"reaction 'r'.*fast"):
        network_from_sbml(libsbml.writeSBMLToString(doc))


def test_malformed_xml_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "broken.xml"
    path.write_text(AMOUNTS[: len(AMOUNTS) // 2])
    with pytest.raises(SBMLError, match=r"broken\.xml is not valid.*line \d+"):
        network_from_sbml(path)
    with pytest.raises(SBMLError, match="not valid"):
        network_from_sbml("<this is not sbml")


def test_an_unknown_species_reference_is_refused(tmp_path):
    path = tmp_path / "unknown_species.xml"
    path.write_text(AMOUNTS.replace('species="B"', 'species="B_typo"', 1))
    with pytest.raises(SBMLError, match=r"unknown_species\.xml is not valid.*B_typo"):
        network_from_sbml(path)


def test_a_missing_file_is_refused():
    with pytest.raises(SBMLError, match="does not exist"):
        network_from_sbml("no/such/model.xml")
