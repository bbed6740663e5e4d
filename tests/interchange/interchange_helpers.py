"""Helpers shared by the interchange tests (the external PEtab problems, the agreement metric)."""

from __future__ import annotations

from pathlib import Path

import libsbml
import numpy as np

SHARED = Path(__file__).parents[2].parent / "shared"
PETAB = SHARED / "external" / "petab"
RTOL, ATOL = 1e-8, 1e-12


def max_relative_error(reference: np.ndarray, other: np.ndarray, atol: float) -> float:
    """The metric of tests/compile/test_sbml_roadrunner.py: largest relative error over values above 1e-6 of
    each species' own maximum (and above 1e3 atol)."""
    peak = np.abs(reference).max(axis=0)
    mask = (np.abs(reference) > 1e-6 * peak) & (np.abs(reference) > 1e3 * atol)
    return float((np.abs(other - reference)[mask] / np.abs(reference)[mask]).max())


def _set(element, **attributes) -> None:
    """Call ``element.setX(value)`` for each ``X=value``."""
    for attribute, value in attributes.items():
        getattr(element, "set" + attribute)(value)


def sbml_model(species, parameters, reactions, events=(), rules=(), functions=(), compartment=2.5,
               time_unit_seconds=None, level=(3, 2)) -> str:
    """A small SBML model as text, written with libsbml.

    species: (id, value, value_is_amount, hasOnlySubstanceUnits, boundaryCondition); parameters: (id, value);
    reactions: (id, reactants, products, kinetic-law formula, local parameters); events: (id, trigger formula,
    {target: formula}); rules: ("assignment" or "rate", variable, formula); functions: (id, lambda formula).
    Formulas are SBML L3 infix (libsbml.parseL3Formula).
    """
    doc = libsbml.SBMLDocument(*level)
    model = doc.createModel()
    model.setId("hand_written")
    if time_unit_seconds:
        definition = model.createUnitDefinition()
        definition.setId("model_time")
        _set(definition.createUnit(), Kind=libsbml.UNIT_KIND_SECOND, Exponent=1, Scale=0, Multiplier=time_unit_seconds)
        model.setTimeUnits("model_time")
    for fid, formula in functions:
        _set(model.createFunctionDefinition(), Id=fid, Math=libsbml.parseL3Formula(formula))
    _set(model.createCompartment(), Id="cell", Size=compartment, Constant=True, SpatialDimensions=3)
    for sid, value, is_amount, only_substance, boundary in species:
        s = model.createSpecies()
        _set(s, Id=sid, Compartment="cell", HasOnlySubstanceUnits=only_substance, BoundaryCondition=boundary,
             Constant=False)
        _set(s, **({"InitialAmount": value} if is_amount else {"InitialConcentration": value}))
    changing = {t for _, _, assignments in events for t in assignments} | {v for _, v, _ in rules}
    for pid, value in parameters:
        _set(model.createParameter(), Id=pid, Value=value, Constant=pid not in changing)
    for kind, variable, formula in rules:
        rule = model.createAssignmentRule() if kind == "assignment" else model.createRateRule()
        _set(rule, Variable=variable, Math=libsbml.parseL3Formula(formula))
    for rid, reactants, products, formula, local in reactions:
        r = model.createReaction()
        _set(r, Id=rid, Reversible=False)
        for sid, n in reactants:
            _set(r.createReactant(), Species=sid, Stoichiometry=n, Constant=True)
        for sid, n in products:
            _set(r.createProduct(), Species=sid, Stoichiometry=n, Constant=True)
        law = r.createKineticLaw()
        law.setMath(libsbml.parseL3Formula(formula))
        for pid, value in local:
            _set(law.createLocalParameter(), Id=pid, Value=value)
    for eid, trigger, assignments in events:
        e = model.createEvent()
        _set(e, Id=eid, UseValuesFromTriggerTime=True)
        _set(e.createTrigger(), InitialValue=False, Persistent=True, Math=libsbml.parseL3Formula(trigger))
        for target, formula in assignments.items():
            _set(e.createEventAssignment(), Variable=target, Math=libsbml.parseL3Formula(formula))
    assert doc.getNumErrors(libsbml.LIBSBML_SEV_ERROR) == 0, doc.getErrorLog().toString()
    return libsbml.writeSBMLToString(doc)
