"""Write a network as a PEtab v1 calibration problem: SBML model and the five tables (pandas).

The model is :func:`jakstat.compile.sbml_export.write_sbml` (nmol, L, s; concentrations nM), so
every table is in those units: times in s, concentrations in nM. PEtab v1
(https://petab.readthedocs.io) asks for:

- the **condition table**: one row per simulation condition, one column per model id it sets
  (here species initial values, e.g. the ligand in the fresh medium);
- the **observable table**: one observable per measured species, ``observableFormula`` the
  species id, additive Gaussian noise with standard deviation ``sd_<observableId>``;
- the **measurement table**: ``observableId``, ``simulationConditionId``, ``time`` (s),
  ``measurement`` (nM);
- the **parameter table**: every constant model parameter with its value in the exported
  (canonical) unit as ``nominalValue``; ``estimate`` is 1 for numbers whose provenance is
  ``assumed`` or ``calibrated`` (those the calibration is for) and 0 for table values and inputs;
  positive values are on ``log10`` scale within 1/100 to 100 times the nominal value. jakstat's
  provenance of each row is kept in the extra column ``jakstat_provenance``; the noise parameters
  are added as estimated rows.

The result reads back with :func:`jakstat.compile.petab_problem.load_petab`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import libsbml
import pandas as pd
import yaml

from jakstat.compile.sbml_export import write_sbml
from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.network.model import Network

ESTIMATED_KINDS = ("assumed", "calibrated")
BOUND_FACTOR = 100.0
MEASUREMENT_COLUMNS = ("observableId", "simulationConditionId", "time", "measurement")
OPTIONAL_MEASUREMENT_COLUMNS = ("datasetId", "replicateId")


@dataclass(frozen=True)
class Observable:
    """A measured species: PEtab ``observableId`` ``obs_<species>``, noise sd ``sd_obs_<species>`` (nM)."""

    species: str
    noise_sd: float

    @property
    def id(self) -> str:
        return f"obs_{self.species}"

    @property
    def noise_parameter(self) -> str:
        return f"sd_{self.id}"


def _parameter_rows(net: Network, sbml_path: Path, conditions: Mapping[str, Mapping[str, float]]) -> list[dict]:
    model = libsbml.readSBMLFromFile(str(sbml_path)).getModel()
    by_id = {p.id: p for p in net.parameters}
    overridden = {column for values in conditions.values() for column in values}
    rows = []
    for par in model.getListOfParameters():
        pid = par.getId()
        if not par.getConstant() or model.getRule(pid) is not None or pid in overridden:
            continue
        value, source = par.getValue(), by_id.get(pid)
        kind = source.provenance.kind if source else "input"
        positive = value > 0
        rows.append({"parameterId": pid, "parameterName": (source.description if source else "") or pid,
                     "parameterScale": "log10" if positive else "lin",
                     "lowerBound": value / BOUND_FACTOR if positive else 0.0,
                     "upperBound": value * BOUND_FACTOR if positive else 1.0,
                     "nominalValue": value, "estimate": int(positive and kind in ESTIMATED_KINDS),
                     "jakstat_provenance": source.provenance.describe() if source else "model value"})
    return rows


def write_petab(net: Network, folder: str | Path, conditions: Mapping[str, Mapping[str, float]],
                observables: Sequence[Observable], measurements: pd.DataFrame, name: str | None = None) -> Path:
    """Write ``net`` and its tables as a PEtab v1 problem into ``folder``; return the YAML path.

    Parameters
    ----------
    net : Network
        The model (written with :func:`~jakstat.compile.sbml_export.write_sbml`).
    folder : str or Path
        Created if missing; files are named after ``name``.
    conditions : mapping
        Condition id -> {model id: value in the exported unit (species: nM)}.
    observables : sequence of Observable
        The measured species.
    measurements : pandas.DataFrame
        Columns ``observableId``, ``simulationConditionId``, ``time`` (s), ``measurement`` (nM).
    name : str, optional
        Problem name (default the network's name).

    Raises
    ------
    UnknownNameError
        A condition column, observable species or measurement id that the problem does not define.
    InvalidValueError
        No condition, no observable, or a measurement table without the required columns.
    """
    name = name or net.name
    if not conditions or not observables:
        raise InvalidValueError(f"PEtab export of {name}: need at least one condition and one observable; got "
                                f"{len(conditions)} and {len(observables)}")
    ids = {x.id for x in (*net.species, *net.parameters, *net.compartments)}
    species = {s.id for s in net.species}
    for cid, values in conditions.items():
        if not cid.isidentifier():
            raise InvalidValueError(f"PEtab condition id {cid!r}: must be an identifier (letters, digits, _)")
        for column in values:
            if column not in ids:
                raise UnknownNameError(f"model id in condition {cid!r}", column, ids)
    for obs in observables:
        if obs.species not in species:
            raise UnknownNameError("species (observable)", obs.species, species)
        if not obs.noise_sd > 0:
            raise InvalidValueError(f"observable {obs.id}: noise sd must be > 0 nM, got {obs.noise_sd!r}")
    missing = [c for c in MEASUREMENT_COLUMNS if c not in measurements.columns]
    if missing:
        raise InvalidValueError(f"PEtab measurements: missing columns {missing}; required: {list(MEASUREMENT_COLUMNS)}")
    for column, known in (("observableId", {o.id for o in observables}), ("simulationConditionId", set(conditions))):
        unknown = set(measurements[column]) - known
        if unknown:
            raise UnknownNameError(f"{column} in the measurements", sorted(unknown)[0], known)

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = {"sbml": f"model_{name}.xml", "conditions": f"conditions_{name}.tsv",
             "observables": f"observables_{name}.tsv", "measurements": f"measurements_{name}.tsv",
             "parameters": f"parameters_{name}.tsv"}
    sbml_path = write_sbml(net, folder / files["sbml"])
    columns = sorted({c for values in conditions.values() for c in values})
    condition_table = pd.DataFrame([{"conditionId": cid, "conditionName": cid, **{c: values.get(c) for c in columns}}
                                    for cid, values in conditions.items()])
    observable_table = pd.DataFrame([{"observableId": o.id, "observableName": o.species,
                                      "observableFormula": o.species, "observableTransformation": "lin",
                                      "noiseFormula": o.noise_parameter, "noiseDistribution": "normal"}
                                     for o in observables])
    noise_rows = [{"parameterId": o.noise_parameter, "parameterName": f"noise sd of {o.species} (nM)",
                   "parameterScale": "log10", "lowerBound": o.noise_sd / BOUND_FACTOR,
                   "upperBound": o.noise_sd * BOUND_FACTOR, "nominalValue": o.noise_sd, "estimate": 1,
                   "jakstat_provenance": "assumed: starting noise level, to be estimated"} for o in observables]
    parameter_table = pd.DataFrame(_parameter_rows(net, sbml_path, conditions) + noise_rows)
    measurement_table = measurements[[*MEASUREMENT_COLUMNS,
                                      *(c for c in OPTIONAL_MEASUREMENT_COLUMNS if c in measurements.columns)]].copy()
    for key, frame in (("conditions", condition_table), ("observables", observable_table),
                       ("measurements", measurement_table), ("parameters", parameter_table)):
        frame.to_csv(folder / files[key], sep="\t", index=False)
    spec = {"format_version": 1, "parameter_file": files["parameters"],
            "problems": [{"sbml_files": [files["sbml"]], "condition_files": [files["conditions"]],
                          "measurement_files": [files["measurements"]],
                          "observable_files": [files["observables"]]}]}
    yaml_path = folder / f"{name}.yaml"
    yaml_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    return yaml_path
