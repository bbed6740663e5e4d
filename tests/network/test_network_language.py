"""The reaction-network language: units, provenance, ids and composition are checked at build time."""

from __future__ import annotations

import dataclasses

import pytest
import sympy

from jakstat.errors import NetworkError, ProvenanceError
from jakstat.network.definition import network_from_definition
from jakstat.network.model import Compartment, Network, Parameter, Reaction, Species, merge
from jakstat.network.motifs import mass_action, parse_equation, rate_law
from jakstat.network.provenance import PROVENANCE_TYPES, Assumed, TableSource

REASON = Assumed("test network: values chosen for the unit check")


def _net(reactions, parameters=(Parameter("k", 1.0, "1/s", REASON),)):
    return Network("t", (Compartment("cell", 1.0, "L", REASON),),
                   (Species("A", "cell", 1.0, REASON), Species("B", "cell", 0.0, REASON)), tuple(parameters), tuple(reactions))


def test_rate_law_in_concentration_per_time_is_rejected_naming_the_reaction():
    bad = rate_law("no_volume", "A -> B", "k * A")  # nM/s, not nmol/s
    with pytest.raises(NetworkError, match=r"reaction 'no_volume'.*not amount/time"):
        _net([bad])


def test_rate_law_with_volume_is_accepted():
    net = _net([rate_law("ok", "A -> B", "k * A * cell")])
    assert net["ok"].stoichiometry() == {"A": -1, "B": 1}


def test_adding_unlike_units_is_rejected():
    with pytest.raises(NetworkError, match=r"reaction 'mixed'.*adds"):
        _net([rate_law("mixed", "A -> B", "(k + A) * cell")])


def test_symbolic_power_of_a_concentration_is_rejected():
    params = (Parameter("k", 1.0, "nmol/s", REASON), Parameter("n", 2.0, "dimensionless", REASON))
    with pytest.raises(NetworkError, match="symbolic power"):
        _net([rate_law("hill", "-> B", "k * A**n")], params)


def test_unknown_symbol_in_rate_law_is_named():
    with pytest.raises(NetworkError, match=r"unknown ids \['kk'\]"):
        _net([rate_law("r", "A -> B", "kk * A * cell")])


@pytest.mark.parametrize("bad", [None, "Singh 2006", 0.1])
def test_parameter_without_provenance_cannot_be_built(bad):
    with pytest.raises(ProvenanceError, match="parameter 'k' has no provenance"):
        Parameter("k", 1.0, "1/s", bad)


def test_assumed_needs_a_reason():
    with pytest.raises(ProvenanceError, match="needs a reason"):
        Assumed("")


def test_definition_without_provenance_fails_naming_the_parameter():
    definition = {"name": "d", "compartments": {"cell": {"value": 1, "unit": "L", "assumed": "a test compartment volume"}},
                  "species": {"A": {"in": "cell"}}, "parameters": {"k": {"value": 1.0, "unit": "1/s"}}}
    with pytest.raises(ProvenanceError, match="parameter k: give exactly one of table, assumed, calibrated, input"):
        network_from_definition(definition)


def test_unknown_definition_section_is_named():
    with pytest.raises(NetworkError, match=r"unknown section\(s\) \['reactons'\]"):
        network_from_definition({"name": "d", "reactons": []})


def test_every_number_in_the_fibroblast_network_has_provenance(fibroblast_network):
    missing = [x.id for x in (*fibroblast_network.parameters, *fibroblast_network.species, *fibroblast_network.compartments)
               if not isinstance(x.provenance, PROVENANCE_TYPES)]
    assert missing == []
    assumed = [p for p in fibroblast_network.parameters if isinstance(p.provenance, Assumed)]
    assert all(len(p.provenance.reason) > 30 for p in assumed)


def test_table_parameters_carry_the_row_value_and_source(fibroblast_network):
    kf0 = fibroblast_network["kf0"]
    assert isinstance(kf0.provenance, TableSource)
    assert kf0.value == 0.1 and kf0.unit == "nM^-1 s^-1"
    assert "Singh" in kf0.provenance.source and kf0.provenance.verified


def test_table_reference_to_a_missing_row_fails():
    definition = {"name": "d", "sources": {"s": {"table": "kinetics_il6_jak_stat", "row": {"model": "nope"}}},
                  "parameters": {"k": {"from": "s", "row": {"parameter": "kf0"}}}}
    with pytest.raises(Exception, match="kinetics_il6_jak_stat"):
        network_from_definition(definition)


def test_equation_parsing():
    assert parse_equation("A + 2 B <-> C") == ((("A", 1), ("B", 2)), (("C", 1),), True)
    assert parse_equation("-> X") == ((), (("X", 1),), False)
    with pytest.raises(NetworkError, match="no '->'"):
        parse_equation("A = B")
    with pytest.raises(NetworkError, match="cannot read"):
        parse_equation("A + 2.5B -> C")


def test_reversible_mass_action_needs_reverse_constant():
    with pytest.raises(NetworkError, match="reversible but has no reverse"):
        mass_action("r", "A <-> B", "k", compartment="cell")


def test_duplicate_ids_are_reported():
    with pytest.raises(NetworkError, match="id 'A' is used by a species and a parameter"):
        _net([], (Parameter("A", 1.0, "1/s", REASON),))


def test_merge_shares_identical_parts_and_rejects_conflicts():
    a = _net([rate_law("r1", "A -> B", "k * A * cell")])
    b = dataclasses.replace(a, name="other", reactions=(rate_law("r2", "B -> A", "k * B * cell"),))
    merged = merge(a, b)
    assert {r.id for r in merged.reactions} == {"r1", "r2"}
    conflicting = dataclasses.replace(b, parameters=(Parameter("k", 2.0, "1/s", REASON),))
    with pytest.raises(NetworkError, match="parameter 'k' differs"):
        merge(a, conflicting)


def test_negative_initial_concentration_is_rejected():
    with pytest.raises(NetworkError, match="must be >= 0"):
        Species("A", "cell", -1.0, REASON)


def test_reaction_rate_is_sympy():
    r = mass_action("r", "A + B <-> C", "kf", "kr", compartment="cell")
    assert isinstance(r, Reaction)
    assert sympy.simplify(r.rate - (sympy.Symbol("kf") * sympy.Symbol("A") * sympy.Symbol("B")
                                   - sympy.Symbol("kr") * sympy.Symbol("C")) * sympy.Symbol("cell")) == 0
