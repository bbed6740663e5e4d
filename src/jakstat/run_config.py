"""YAML configs for ``jakstat simulate`` and ``jakstat assay``, validated by pydantic.

As for trial designs (:mod:`jakstat.studies.design`), every problem is reported at once as a
:class:`~jakstat.studies.design.ConfigError` whose message gives the field path, the bad value and what is
allowed (``cytokines.IL-66: unknown cytokine 'IL-66'; known: ...``); units are read with pint
(:func:`jakstat.units.parse_quantity`).

A simulate config (``examples/simulate_*.yaml``)::

    cell: fibroblast
    genotype: STAT4:A635V/wt
    cytokines: {IL-6: 10 ng/mL}
    drugs: {ruxolitinib: 100 nM}        # fixed in-vitro concentrations (unbound)
    antibodies: {anti-IL-6: 10 ug/mL}
    t_end: 24 h
    n_points: 97
    culture: {n_cells: 1e5, medium_volume: 1 mL}
    # or, instead of drugs, oral dosing of a patient (then oral.days replaces t_end):
    # oral: {drug: ruxolitinib, dose: 15 mg, regimen: BID, weight: 30 kg, days: 14}

An assay config (``examples/assay_*.yaml``) holds the fields of the assay's protocol
(:mod:`jakstat.experiments`; e.g. ``times_h``, ``n_cells``, ``medium_volume``, ``readouts``,
``conditions: {genotype, drugs, antibodies, cytokines}``), optionally with ``assay: NAME``.

Command-line flags override the config's fields (``--cytokine`` adds or replaces one cytokine); the merged
result is validated as a whole.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from jakstat.errors import InvalidValueError
from jakstat.studies.design import ConfigError, issues_of, read_yaml
from jakstat.units import check_dimension, parse_quantity


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CultureConfig(_Model):
    """Cells in the well and the medium volume (:class:`jakstat.network.culture.Culture`)."""

    n_cells: float = Field(default=1e5, gt=0, allow_inf_nan=False)
    medium_volume: str = "1 mL"

    @field_validator("medium_volume")
    @classmethod
    def _volume(cls, value: str) -> str:
        if not parse_quantity(value, "medium_volume", "volume").magnitude > 0:
            raise ValueError(f"must be > 0; got {value!r}")
        return value

    def culture(self):
        from jakstat.network.culture import Culture

        litres = float(parse_quantity(self.medium_volume, "medium_volume", "volume").to("L").magnitude)
        return Culture(n_cells=self.n_cells, medium_volume_l=litres)


class OralConfig(_Model):
    """Oral dosing of a patient whose plasma drug reaches the cells (``jakstat simulate --drug``)."""

    drug: str
    dose: str
    regimen: str = "BID"
    weight: str = "70 kg"
    days: float = Field(default=14.0, gt=0, le=365)

    @field_validator("drug")
    @classmethod
    def _drug(cls, value: str) -> str:
        from jakstat.knowledge import get_drug
        from jakstat.pharmacology import pk_drugs

        name = get_drug(value).name  # UnknownNameError lists the known drugs
        if name not in pk_drugs():
            raise ValueError(f"{value!r} has no oral PK model; allowed: {', '.join(pk_drugs())}")
        return name

    @field_validator("dose")
    @classmethod
    def _dose(cls, value: str) -> str:
        from jakstat.pharmacology.regimens import parse_dose

        parse_dose(str(value), "dose")
        return str(value)

    @field_validator("regimen")
    @classmethod
    def _regimen(cls, value: str) -> str:
        from jakstat.pharmacology.regimens import INTERVALS_H

        allowed = (*INTERVALS_H, "XR")
        if value.upper() not in allowed:
            raise ValueError(f"{value!r} is not allowed; allowed: {', '.join(allowed)}")
        return value.upper()

    @field_validator("weight")
    @classmethod
    def _weight(cls, value: str) -> str:
        from jakstat.pharmacology.regimens import parse_weight

        parse_weight(str(value))
        return str(value)


class SimulateConfig(_Model):
    """What ``jakstat simulate --config`` integrates (the keywords of :func:`jakstat.simulate`)."""

    cell: str = "fibroblast"
    genotype: str = "wt"
    cytokines: dict[str, str] = Field(default_factory=dict)
    drugs: dict[str, str] = Field(default_factory=dict)
    antibodies: dict[str, str] = Field(default_factory=dict)
    t_end: str = "48 h"
    n_points: int | None = Field(default=None, ge=2, le=100_000)
    rtol: float = Field(default=1e-8, gt=0, lt=1)
    atol: float = Field(default=1e-12, gt=0)
    culture: CultureConfig = CultureConfig()
    preequilibrate: bool = True
    oral: OralConfig | None = None

    @field_validator("cell")
    @classmethod
    def _cell(cls, value: str) -> str:
        from jakstat.network.builders import build_cell_network

        build_cell_network(value)  # UnknownNameError lists the cell types with a network
        return value

    @field_validator("genotype")
    @classmethod
    def _genotype(cls, value: str) -> str:
        from jakstat.knowledge import parse_genotype

        parse_genotype(value)
        return value

    @field_validator("t_end")
    @classmethod
    def _t_end(cls, value: str) -> str:
        if not parse_quantity(value, "t_end", "time").magnitude > 0:
            raise ValueError(f"must be > 0; got {value!r}")
        return value

    @field_validator("cytokines", "antibodies")
    @classmethod
    def _ligands(cls, value: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        from jakstat.network.builders import antibody_concentration_nm, ligand_concentration_nm

        cell = info.data.get("cell")
        if cell is None:  # the cell failed: its error is reported, these cannot be checked
            return value
        resolve = ligand_concentration_nm if info.field_name == "cytokines" else antibody_concentration_nm
        return _checked(value, info.field_name, lambda name, amount: resolve(cell, name, amount))

    @field_validator("drugs")
    @classmethod
    def _drugs(cls, value: dict[str, str]) -> dict[str, str]:
        from jakstat.knowledge import get_drug
        from jakstat.pharmacology.in_vitro import concentration_nm

        return _checked(value, "drugs", lambda name, amount: concentration_nm(get_drug(name).name, amount))

    @model_validator(mode="after")
    def _oral_or_fixed(self) -> "SimulateConfig":
        if self.oral is not None and self.drugs:
            raise ValueError("give either drugs (fixed in-vitro concentrations) or oral (a dosed patient), not both")
        if self.oral is not None and "t_end" in self.model_fields_set:
            raise ValueError("t_end: not used with oral dosing; oral.days sets the duration")
        return self

    def run(self):
        """Simulate: an :class:`xarray.Dataset` as :func:`jakstat.simulate` returns."""
        import jakstat

        if self.oral is not None:
            from jakstat.cli_pharm import simulate_drug

            o = self.oral
            return simulate_drug(self.cell, self.genotype, dict(self.cytokines), f"{o.drug}={o.dose}", o.regimen,
                                 o.weight, o.days, self.n_points, self.rtol, self.atol)
        return jakstat.simulate(cell=self.cell, genotype=self.genotype, cytokines=dict(self.cytokines),
                                t_end=self.t_end, n_points=self.n_points, culture=self.culture.culture(),
                                preequilibrate=self.preequilibrate, rtol=self.rtol, atol=self.atol,
                                drugs=dict(self.drugs) or None, antibodies=dict(self.antibodies) or None)


def _checked(value: dict[str, str], field: str, check) -> dict[str, str]:
    """Run ``check(name, amount)`` on every entry; re-raise its message under ``field.NAME``."""
    out = {}
    for name, amount in value.items():
        try:
            check(str(name), str(amount))
        except (ValueError, TypeError) as exc:
            _, message = _split_field(str(exc))  # the inner field name ("drugs[ruxolitinib]") is replaced
            raise ValueError(f"{field}.{name}: {message}") from None
        out[str(name)] = str(amount)
    return out


_FIELD = re.compile(r"^[\w.\[\]-]+( [\w.\[\]-]+)?$")


def _split_field(message: str) -> tuple[str | None, str]:
    """``"t_end: cannot read ..."`` -> ``("t_end", "cannot read ...")``; no field prefix -> ``(None, message)``."""
    head, _, rest = message.partition(": ")
    if rest and _FIELD.match(head):
        return head, rest
    return None, message


def _issues(error: ValidationError, model: type[BaseModel]) -> list[tuple[str, str]]:
    """``issues_of``, with a message that names a deeper path (``cytokines.IL-66: ...``) moved into the path,
    and the allowed fields after an unknown one."""
    out = []
    for path, message in issues_of(error, model):
        head, rest = _split_field(message)
        last = path.split(".")[-1]
        if head is not None and (path == "(top level)" or head.startswith(f"{path}.")):
            path, message = head, rest
        elif path == "(top level)" and " readout " in message:  # the protocols check readouts on the whole model
            path = "readouts"
        elif head is not None and head.startswith(f"{last}.") and " " not in head:  # a deeper path: move it up
            path, message = ".".join([*path.split(".")[:-1], head]), rest
        elif head is not None and head.split(" ")[0] in (last, "field"):  # the same field named again
            message = rest
        if message.startswith("unknown field") or message == "Extra inputs are not permitted":
            message = f"unknown field {last!r}; allowed: {', '.join(_fields_at(model, path.split('.')[:-1]))}"
        out.append((path, message))
    return out


def _fields_at(model: type[BaseModel], parts: list[str]) -> list[str]:
    """Field names of the (nested) model at ``parts`` of a path."""
    for part in parts:
        annotation = model.model_fields[part.split("[")[0]].annotation
        nested = [a for a in (getattr(annotation, "__args__", None) or (annotation,))
                  if isinstance(a, type) and issubclass(a, BaseModel)]
        if not nested:
            return []
        model = nested[0]
    return list(model.model_fields)


def parse_simulate_config(data: dict[str, Any], source: str = "simulate config") -> SimulateConfig:
    """Validate a mapping as a :class:`SimulateConfig`; :class:`ConfigError` lists every bad field."""
    try:
        return SimulateConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_issues(exc, SimulateConfig), source) from None


def load_simulate_config(path: str | Path, overrides: dict[str, Any] | None = None) -> SimulateConfig:
    """Read a YAML simulate config, apply ``overrides`` (top-level fields; ``cytokines`` and ``oral`` merge), validate."""
    data = read_yaml(path, "simulate")
    for key, value in (overrides or {}).items():
        if key in ("cytokines", "oral") and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return parse_simulate_config(data, str(path))


def load_assay_config(path: str | Path, name: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Protocol fields of assay ``name`` from a YAML file, with ``overrides`` applied, validated.

    ``overrides`` holds protocol fields; its ``conditions`` entry merges field by field (and its drugs,
    antibodies and cytokines name by name) into the file's. Returns the fields for
    :func:`jakstat.experiments.run_assay`.
    """
    from jakstat.experiments import ASSAYS, make_protocol

    data = read_yaml(path, "assay")
    wanted = data.pop("assay", name)
    if wanted != name:
        raise ConfigError([("assay", f"the config is for assay {wanted!r}, the command runs {name!r}")], str(path))
    overrides = dict(overrides or {})
    conditions = dict(data.get("conditions") or {})
    for key, value in overrides.pop("conditions", {}).items():
        merge = key in ("drugs", "antibodies", "cytokines") and isinstance(conditions.get(key), dict)
        conditions[key] = {**conditions[key], **value} if merge else value
    data.update(overrides)
    if conditions:
        data["conditions"] = conditions
    protocol_class = ASSAYS[name][0]
    if isinstance(data.get("conditions"), dict):
        data["conditions"] = dict(data["conditions"])
    try:
        protocol = protocol_class.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(_issues(exc, protocol_class), str(path)) from None
    issues = _condition_issues(protocol.conditions, getattr(protocol, "cell", "fibroblast"), "conditions")
    if issues:
        raise ConfigError(issues, str(path))
    return data


def _condition_issues(conditions, cell: str, prefix: str) -> list[tuple[str, str]]:
    """Names the protocol does not check: unknown cytokines, drugs, antibodies (with the known names)."""
    from jakstat.knowledge import get_drug
    from jakstat.network.builders import antibody_concentration_nm, ligand_concentration_nm

    checks = {"cytokines": lambda n, a: ligand_concentration_nm(cell, n, a),
              "antibodies": lambda n, a: antibody_concentration_nm(cell, n, a),
              "drugs": lambda n, a: get_drug(n)}
    issues = []
    for field, check in checks.items():
        for name, amount in getattr(conditions, field).items():
            try:
                check(name, amount)
            except (ValueError, TypeError) as exc:
                issues.append((f"{prefix}.{field}.{name}", str(exc)))
    return issues


__all__ = ["CultureConfig", "OralConfig", "SimulateConfig", "load_assay_config", "load_simulate_config",
           "parse_simulate_config", "read_yaml"]
