"""Read a declarative network definition (YAML) into a :class:`~jakstat.network.model.Network`.

A definition lists compartments, species, parameters and reactions. Every number names where it
comes from, in one of these forms::

    kf0: {table: kinetics_il6_jak_stat, row: {model: "Singh2006_IL6 (BIOMD0000000151)", parameter: kf0}}
    k_int: {value: 5.0e-4, unit: 1/s, assumed: "why this value, and why no source"}
    n: {value: 1.0, unit: dimensionless, calibrated: "calibration name"}
    k: {calibrated: "calibration name"}    # value and unit from data/calibrations/NAME.json

A table reference takes the value and unit from the row (columns ``value`` and ``unit``) and the
row's ``source`` and ``verified`` columns become the provenance; ``value``/``unit`` given next to
a table reference override the row's (for a documented conversion, with a ``note`` saying so).
Reactions are ``{id, eq, kf, kr, in}`` (mass action in compartment ``in``) or
``{id, eq, rate}`` (a rate law in amount/time).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from jakstat.errors import NetworkError, ProvenanceError
from jakstat.network.model import Compartment, Network, Parameter, Reaction, Species
from jakstat.network.motifs import mass_action, rate_law
from jakstat.network.provenance import Assumed, Calibration, Input, Provenance, TableSource


def provenance_from_spec(owner: str, spec: Mapping[str, Any],
                         sources: Mapping[str, Mapping[str, Any]] | None = None) -> tuple[float, str, Provenance]:
    """Value, unit and provenance of one number from its definition entry.

    ``{from: NAME, row: {...}}`` expands the named entry of the definition's ``sources``
    (a table and the row columns common to many parameters) before it is read.
    """
    if not isinstance(spec, Mapping):
        raise NetworkError(f"{owner}: expected a mapping with a value and its provenance, got {spec!r}")
    if "from" in spec:
        base = (sources or {}).get(spec["from"])
        if base is None:
            raise NetworkError(f"{owner}: unknown source {spec['from']!r}; known: {sorted(sources or {})}")
        spec = {**base, **{k: v for k, v in spec.items() if k != "from"},
                "row": {**base.get("row", {}), **spec.get("row", {})}}
    kinds = [k for k in ("table", "assumed", "calibrated", "input") if k in spec]
    if len(kinds) != 1:
        raise ProvenanceError(
            f"{owner}: give exactly one of table, assumed, calibrated, input (got {kinds or 'none'})"
        )
    kind = kinds[0]
    if kind == "table":
        from jakstat.data import table_row

        match = dict(spec.get("row", {}))
        row = table_row(spec["table"], **match)
        value = spec.get("value", row.get("value"))
        unit = spec.get("unit", row.get("unit", "dimensionless"))
        provenance: Provenance = TableSource(
            table=spec["table"], key="/".join(str(v) for v in match.values()), source=row["source"],
            verified=str(row.get("verified", "no")).strip().lower() == "yes", note=spec.get("note", ""),
        )
    elif kind == "calibrated" and "value" not in spec:
        from jakstat.data.calibration_records import calibrated_value

        parameter = spec.get("parameter", owner.split()[-1])
        value, unit, targets = calibrated_value(spec["calibrated"], parameter)
        provenance = Calibration(spec["calibrated"], spec.get("targets", targets))
    else:
        if "value" not in spec:
            raise NetworkError(f"{owner}: missing 'value'")
        value, unit = spec["value"], spec.get("unit", "dimensionless")
        provenance = {"assumed": lambda: Assumed(spec["assumed"]),
                      "calibrated": lambda: Calibration(spec["calibrated"], spec.get("targets", "")),
                      "input": lambda: Input(spec["input"])}[kind]()
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise NetworkError(f"{owner}: value {value!r} is not a number") from None
    return number, str(unit), provenance


DEFINITION_KEYS = ("name", "description", "sources", "compartments", "species", "parameters", "reactions", "ligands",
                   "allele_pools", "antibodies")


def network_from_definition(definition: Mapping[str, Any]) -> Network:
    """Build a network from an already-parsed definition mapping."""
    if not isinstance(definition, Mapping):
        raise NetworkError(f"a network definition must be a mapping; got {type(definition).__name__}")
    unknown = sorted(set(definition) - set(DEFINITION_KEYS))
    if unknown:
        raise NetworkError(f"unknown section(s) {unknown} in network definition; allowed: {', '.join(DEFINITION_KEYS)}")
    name = definition.get("name", "unnamed")
    sources = definition.get("sources", {})
    compartments = []
    for cid, spec in definition.get("compartments", {}).items():
        size, unit, prov = provenance_from_spec(f"compartment {cid}", spec, sources)
        compartments.append(Compartment(cid, size, unit, prov, name=spec.get("name", "")))
    species = []
    for sid, spec in definition.get("species", {}).items():
        if "in" not in spec:
            raise NetworkError(f"species {sid}: missing 'in' (its compartment)")
        init_spec = spec.get("initial", {"value": 0.0, "unit": "nM", "assumed": ZERO_BEFORE_STEADY_STATE})
        value, unit, prov = provenance_from_spec(f"initial value of species {sid}", init_spec, sources)
        composition = tuple((str(k), int(v)) for k, v in spec.get("composition", {sid: 1}).items())
        species.append(Species(sid, spec["in"], value, prov, unit=unit, name=spec.get("name", ""),
                               composition=composition, boundary=bool(spec.get("boundary", False))))
    parameters = []
    for pid, spec in definition.get("parameters", {}).items():
        value, unit, prov = provenance_from_spec(f"parameter {pid}", spec, sources)
        parameters.append(Parameter(pid, value, unit, prov, description=spec.get("about", "")))
    reactions: list[Reaction] = []
    for spec in definition.get("reactions", []):
        rid = spec.get("id")
        if "rate" in spec:
            reactions.append(rate_law(rid, spec["eq"], spec["rate"], description=spec.get("about", "")))
        elif "kf" in spec:
            if "in" not in spec:
                raise NetworkError(f"reaction {rid}: a mass-action reaction needs 'in' (its compartment)")
            reactions.append(mass_action(rid, spec["eq"], spec["kf"], spec.get("kr"), compartment=spec["in"],
                                         description=spec.get("about", "")))
        else:
            raise NetworkError(f"reaction {rid}: give 'kf' (mass action) or 'rate' (a rate law)")
    return Network(name=name, description=definition.get("description", ""), compartments=tuple(compartments),
                   species=tuple(species), parameters=tuple(parameters), reactions=tuple(reactions))


ZERO_BEFORE_STEADY_STATE = (
    "starts at zero; its resting value comes from pre-equilibration to the unstimulated steady state"
)


@lru_cache(maxsize=None)
def _read_definition(name: str) -> dict[str, Any]:
    package = resources.files("jakstat.data") / "networks"
    path = package / f"{name}.yaml"
    if not path.is_file():
        from jakstat.errors import UnknownNameError

        known = [p.name[:-5] for p in package.iterdir() if p.name.endswith(".yaml")]
        raise UnknownNameError("network definition", name, known)
    return yaml.safe_load(path.read_text())


def definition_section(name: str, section: str) -> dict[str, Any]:
    """A copy of one section (e.g. ``ligands``) of a packaged definition."""
    return copy.deepcopy(_read_definition(name).get(section, {}))


@lru_cache(maxsize=None)
def load_definition(name: str) -> Network:
    """Load a packaged network definition, ``src/jakstat/data/networks/<name>.yaml``."""
    return network_from_definition(_read_definition(name))
