"""Load a PEtab v1 problem as one jakstat :class:`~jakstat.network.model.Network` per condition.

A PEtab problem (https://petab.readthedocs.io, format version 1) is a YAML file naming an SBML
model and tab-separated tables. jakstat reads three of them, with pandas:

- the **parameter table**: ``nominalValue`` is on the linear scale (``parameterScale`` only
  matters for estimation); the nominal value of every row that is a model parameter is baked into
  the model. Rows that are not model entities (observable and noise parameters) are ignored.
- the **condition table**: each column other than ``conditionId``/``conditionName`` is a model
  parameter (its value), a species (its initial value, overriding any initial assignment) or a
  compartment (its size); a cell is a number, a parameter id of the parameter table (its nominal
  value), or empty (no change).
- the **SBML model**, changed as above *before* it is imported, so that initial assignments see
  the baked values (Boehm 2014: ``STAT5A = 207.6 * ratio``).

Measurements, observables and pre-equilibration are not used: the result is the ODE of one
simulation condition, which is what jakstat's engines and the peer benchmarks integrate.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import libsbml
import pandas as pd
import yaml

from jakstat.compile.sbml_import import network_from_document, read_sbml_document
from jakstat.errors import InvalidValueError, TableError, UnknownNameError
from jakstat.network.model import Network
from jakstat.network.provenance import Input

PARAMETER_ID, NOMINAL_VALUE = "parameterId", "nominalValue"
CONDITION_ID, CONDITION_NAME = "conditionId", "conditionName"


@dataclass(frozen=True, eq=False)
class PetabProblem:
    """The parts of a PEtab v1 problem that define its simulations.

    Attributes
    ----------
    name : str
        The YAML file's stem (e.g. ``"Boehm_JProteomeRes2014"``).
    yaml_path, sbml_path, parameter_path : Path
        The problem file, its SBML model and its parameter table.
    parameters : pandas.DataFrame
        The parameter table, indexed by ``parameterId``.
    conditions : pandas.DataFrame
        The condition table(s), indexed by ``conditionId``, in file order.
    """

    name: str
    yaml_path: Path
    sbml_path: Path
    parameter_path: Path
    parameters: pd.DataFrame
    conditions: pd.DataFrame


def read_petab(problem: str | Path | PetabProblem) -> PetabProblem:
    """Read a PEtab v1 problem from its folder (holding one ``*.yaml``) or its YAML file."""
    if isinstance(problem, PetabProblem):
        return problem
    path = Path(problem)
    if path.is_dir():
        found = sorted(path.glob("*.yaml")) + sorted(path.glob("*.yml"))
        if len(found) != 1:
            raise InvalidValueError(f"PEtab folder {str(path)!r} must hold exactly one .yaml problem file; "
                                    f"found {[p.name for p in found] or 'none'}")
        path = found[0]
    if not path.is_file():
        raise InvalidValueError(f"PEtab problem {str(path)!r} does not exist (give a folder or its .yaml file)")
    spec = yaml.safe_load(path.read_text()) or {}
    version = str(spec.get("format_version", "(missing)"))
    if version.split(".")[0] != "1":
        raise InvalidValueError(f"{path.name}: format_version {version!r} is not supported; allowed: 1 (PEtab v1)")
    problems = spec.get("problems") or []
    if len(problems) != 1:
        raise InvalidValueError(f"{path.name}: 'problems' has {len(problems)} entries; jakstat reads exactly one")
    part = problems[0]
    sbml_files, condition_files = part.get("sbml_files") or [], part.get("condition_files") or []
    if len(sbml_files) != 1 or not condition_files:
        raise InvalidValueError(f"{path.name}: need exactly one sbml_files entry and at least one condition_files "
                                f"entry; got {len(sbml_files)} and {len(condition_files)}")
    parameter_file = spec.get("parameter_file")
    if isinstance(parameter_file, list):
        if len(parameter_file) != 1:
            raise InvalidValueError(f"{path.name}: parameter_file lists {len(parameter_file)} files; jakstat reads one")
        parameter_file = parameter_file[0]
    if not parameter_file:
        raise InvalidValueError(f"{path.name}: parameter_file is missing")
    base = path.parent
    parameters = _table(base / parameter_file, PARAMETER_ID, (NOMINAL_VALUE,))
    conditions = pd.concat([_table(base / f, CONDITION_ID, ()) for f in condition_files])
    return PetabProblem(path.stem, path, base / sbml_files[0], base / parameter_file, parameters, conditions)


def _table(path: Path, index: str, required: tuple[str, ...]) -> pd.DataFrame:
    if not path.is_file():
        raise InvalidValueError(f"PEtab table {str(path)!r} does not exist")
    frame = pd.read_csv(path, sep="\t", dtype={index: str})
    for column in (index, *required):
        if column not in frame.columns:
            raise TableError(path.name, None, column, None, f"missing column; columns: {', '.join(frame.columns)}")
    duplicated = frame[index][frame[index].duplicated()]
    if len(duplicated):
        row = int(duplicated.index[0]) + 1
        raise TableError(path.name, row, index, duplicated.iloc[0], "duplicate id")
    return frame.set_index(index, drop=False)


def petab_condition_ids(problem: str | Path | PetabProblem) -> list[str]:
    """The simulation condition ids of the condition table, in file order."""
    return list(read_petab(problem).conditions.index)


def _nominal_values(p: PetabProblem) -> dict[str, float]:
    values = {}
    for row, (pid, value) in enumerate(p.parameters[NOMINAL_VALUE].items(), start=1):
        number = pd.to_numeric(value, errors="coerce")
        if pd.isna(number):
            raise TableError(p.parameter_path.name, row, NOMINAL_VALUE, value, "need a number (on the linear scale)")
        values[pid] = float(number)
    return values


def baked_document(problem: str | Path | PetabProblem,
                   condition: str | None = None) -> tuple[libsbml.SBMLDocument, dict[str, Input]]:
    """The SBML document with nominal parameters and one condition set, and the provenance of each change.

    Returns
    -------
    (libsbml.SBMLDocument, dict of id -> Input)
        The changed document (write it with ``libsbml.writeSBMLToString`` to give the same ODE to
        other tools) and, for each changed model id, where its new value came from.
    """
    p = read_petab(problem)
    ids = list(p.conditions.index)
    condition = ids[0] if condition is None else condition
    if condition not in p.conditions.index:
        raise UnknownNameError(f"PEtab condition (problem {p.name})", condition, ids)
    doc, _ = read_sbml_document(p.sbml_path)
    model = doc.getModel()
    nominal = _nominal_values(p)
    changed: dict[str, Input] = {}
    for pid, value in nominal.items():
        if model.getParameter(pid) is not None:
            _set(model, pid, value)
            changed[pid] = Input(f"PEtab {p.name}: parameters table nominalValue")
    for column, cell in p.conditions.loc[condition].items():
        if column in (CONDITION_ID, CONDITION_NAME) or pd.isna(cell):
            continue
        if model.getElementBySId(column) is None:
            raise UnknownNameError(f"model id in condition table column of {p.name}", column,
                                   [x.getId() for x in (*model.getListOfParameters(), *model.getListOfSpecies(),
                                                        *model.getListOfCompartments())])
        _set(model, column, _cell_value(cell, nominal, condition, column))
        changed[column] = Input(f"PEtab {p.name}: condition {condition}, column {column}")
    return doc, changed


def _cell_value(cell: object, nominal: dict[str, float], condition: str, column: str) -> float:
    try:
        return float(cell)
    except (TypeError, ValueError):
        if str(cell).strip() in nominal:
            return nominal[str(cell).strip()]
    raise InvalidValueError(f"PEtab condition {condition!r}, column {column!r}: {cell!r} is neither a number nor a "
                            "parameterId of the parameter table")


def _set(model: libsbml.Model, ident: str, value: float) -> None:
    """Set a parameter value, species initial value or compartment size; drop its initial assignment."""
    model.removeInitialAssignment(ident)
    species, compartment = model.getSpecies(ident), model.getCompartment(ident)
    if species is not None:
        if species.getHasOnlySubstanceUnits():
            species.setInitialAmount(value)
        else:
            species.setInitialConcentration(value)
    elif compartment is not None:
        compartment.setSize(value)
    elif model.getParameter(ident) is not None and model.getAssignmentRule(ident) is None:
        model.getParameter(ident).setValue(value)
    else:
        raise InvalidValueError(f"PEtab sets {ident!r}, which is not a constant parameter, species or compartment "
                                "of the model")


def load_petab(problem_dir_or_yaml: str | Path | PetabProblem, condition: str | None = None) -> Network:
    """The network of one simulation condition of a PEtab v1 problem, with nominal parameters.

    Parameters
    ----------
    problem_dir_or_yaml : str or Path
        The problem folder (with one ``.yaml``) or the YAML file.
    condition : str, optional
        A ``conditionId`` of the condition table; default its first row.

    Returns
    -------
    Network
        As :func:`jakstat.compile.sbml_import.network_from_sbml` (model units, ``check_units=False``);
        baked parameters carry ``Input("PEtab <problem>: parameters table nominalValue")`` and
        condition values ``Input("PEtab <problem>: condition <id>, column <id>")`` provenance.

    Raises
    ------
    UnknownNameError
        ``condition`` is not in the condition table (the message lists the known ids).

    Examples
    --------
    >>> net = load_petab("Boehm_JProteomeRes2014/")  # doctest: +SKIP
    >>> net["k_phos"].value  # doctest: +SKIP
    15766.5070195731
    """
    p = read_petab(problem_dir_or_yaml)
    condition = condition if condition is not None else petab_condition_ids(p)[0]
    doc, changed = baked_document(p, condition)
    net = network_from_document(doc, p.sbml_path.name, name=f"{p.name}__{condition}")
    parameters = tuple(replace(x, provenance=changed[x.id]) if x.id in changed else x for x in net.parameters)
    species = tuple(replace(x, provenance=changed[x.id]) if x.id in changed else x for x in net.species)
    compartments = tuple(replace(x, provenance=changed[x.id]) if x.id in changed else x for x in net.compartments)
    description = (f"PEtab problem {p.name}, condition {condition!r}, nominal parameters (linear scale) baked in. "
                   + net.description)
    return replace(net, parameters=parameters, species=species, compartments=compartments, description=description)
