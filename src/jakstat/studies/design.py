"""Trial designs as YAML, validated by pydantic; every error names the path of the bad field.

A design (see ``examples/trial_*.yaml``)::

    name: jdm-baricitinib
    seed: 2026
    sample_size: 400          # patients in all, allocated to the arms 1:1 in rotation
    chunk_size: 256           # patients per Parquet chunk (and per batched-engine call)
    population: {disease: JDM, age_years: [2, 18], female_fraction: 0.5}
    arms:
      - {name: band_dosing, drug: baricitinib, regimen: QD, duration_days: 14,
         bands: [{upto_kg: 20, dose: 2 mg}, {dose: 4 mg}]}
      - {name: per_kg, drug: baricitinib, regimen: BID, dose: 0.1 mg/kg, max_dose: 4 mg}
      - {name: placebo, drug: placebo}
    endpoints:
      - {kind: exposure}
      - {kind: inhibition, cytokine: IFN-alpha, thresholds: [0.5]}

Dose rules: ``dose`` (``"4 mg"`` or ``"0.2 mg/kg"``) or ``bands`` (each applies below ``upto_kg``;
the last band has no ``upto_kg``), optionally capped by ``max_dose`` (mg); doses are rounded to the
product strengths of ``drug_properties.csv`` unless ``round_to_strengths: false``.

Drugs: ``placebo``, the small molecules with a PK model (:func:`jakstat.pharmacology.pk_drugs`),
or a kind registered with :func:`register_drug_kind`: the antibodies of
:mod:`jakstat.studies.biologic_arms` (tocilizumab, anifrolumab, emapalumab; regimens QW, Q2W, Q4W,
BIW; IV; tocilizumab and emapalumab doses in mg/kg as on their labels), e.g.
``{name: toc, drug: tocilizumab, regimen: Q2W, duration_days: 84, bands: [{upto_kg: 30, dose: 12 mg/kg}, {dose: 8 mg/kg}]}``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, Literal

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from jakstat.errors import InvalidValueError

PLACEBO = "placebo"
ENDPOINT_KINDS = ("exposure", "inhibition")
ARM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class DrugKind:
    """A registered arm drug (e.g. an antibody): its regimens and its rule for doses.

    Attributes
    ----------
    description : str
    intervals_h : mapping of str to float, optional
        Regimen name -> dosing interval, h (default: the small-molecule regimens QD, BID, TID).
    dose_rule : callable, optional
        ``dose_rule(value, per_kg) -> message or None``: a message refuses the dose (e.g. "needs mg/kg").
    """

    description: str
    intervals_h: Mapping[str, float] | None = None
    dose_rule: Callable[[float, bool], str | None] | None = None


_DRUG_KINDS: dict[str, DrugKind] = {}


class ConfigError(InvalidValueError):
    """A trial design that does not validate; ``issues`` holds ``(path, message)`` pairs."""

    def __init__(self, issues: list[tuple[str, str]], source: str = "trial config"):
        self.issues = issues
        super().__init__(f"{source}: " + "; ".join(f"{path}: {message}" for path, message in issues))


def register_drug_kind(drug: str, description: str, intervals_h: Mapping[str, float] | None = None,
                       dose_rule: Callable[[float, bool], str | None] | None = None) -> None:
    """Accept ``drug`` in arms (a runner for it must be registered with the runner's ``register_arm_runner``).

    ``intervals_h`` (regimen -> interval, h) replaces the small-molecule regimens for this drug;
    ``dose_rule(value, per_kg)`` returns a message to refuse a dose (see :class:`DrugKind`).
    """
    _DRUG_KINDS[drug.lower()] = DrugKind(description, dict(intervals_h) if intervals_h is not None else None, dose_rule)


def drug_intervals_h(drug: str) -> dict[str, float]:
    """Regimen name -> dosing interval (h) allowed for ``drug`` in an arm."""
    from jakstat.pharmacology.regimens import INTERVALS_H

    kind = _DRUG_KINDS.get(drug)
    return dict(kind.intervals_h) if kind is not None and kind.intervals_h is not None else dict(INTERVALS_H)


def _kind_rule(drug: str | None, text: str) -> None:
    kind = _DRUG_KINDS.get(drug or "")
    if kind is not None and kind.dose_rule is not None:
        message = kind.dose_rule(*_dose_value(text))
        if message:
            raise ValueError(message)


def allowed_drugs() -> tuple[str, ...]:
    from jakstat.pharmacology import pk_drugs

    return (PLACEBO, *pk_drugs(), *sorted(_DRUG_KINDS))


def _dose_value(text: str) -> tuple[float, bool]:
    from jakstat.pharmacology.regimens import parse_dose

    try:
        return parse_dose(str(text), "dose")
    except InvalidValueError as exc:
        raise ValueError(f"must be > 0 mg (or mg/kg); got {text!r}") from exc
    except Exception as exc:  # UnitError and pint parse errors
        raise ValueError(f"{text!r} is not a dose; give a mass ('4 mg') or a mass per body weight "
                         "('0.2 mg/kg')") from exc


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Band(_Model):
    """A weight band: ``dose`` for patients lighter than ``upto_kg`` (the last band: everyone left)."""

    upto_kg: float | None = Field(default=None, gt=0, le=150)
    dose: str

    @field_validator("dose")
    @classmethod
    def _dose(cls, value: str) -> str:
        _dose_value(value)
        return value


class Arm(_Model):
    """One arm: drug, dose rule, regimen and duration."""

    name: str
    drug: str
    dose: str | None = None
    bands: list[Band] | None = None
    max_dose: str | None = None
    regimen: str = "QD"
    duration_days: float = Field(default=14.0, gt=0, le=365)
    formulation: Literal["tablet", "solution"] = "tablet"
    round_to_strengths: bool = True

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        if not ARM_NAME.match(value):
            raise ValueError(f"{value!r} is not allowed; use letters, digits, '_', '-' or '.' (it names a folder)")
        return value

    @field_validator("drug")
    @classmethod
    def _drug(cls, value: str) -> str:
        name = value.strip().lower()
        if name == PLACEBO or name in _DRUG_KINDS:
            return name
        from jakstat.knowledge import get_drug
        from jakstat.pharmacology import pk_drugs

        try:
            name = get_drug(name).name  # brand names and any case
        except Exception:  # noqa: BLE001 - unknown names are reported below with the allowed list
            pass
        if name not in pk_drugs():
            raise ValueError(f"{value!r} has no PK model; allowed: {', '.join(allowed_drugs())}")
        return name

    @field_validator("dose", "max_dose")
    @classmethod
    def _dose(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is not None:
            _dose_value(value)
            if info.field_name == "dose":
                _kind_rule(info.data.get("drug"), value)
        return value

    @field_validator("regimen")
    @classmethod
    def _regimen(cls, value: str, info: ValidationInfo) -> str:
        allowed = drug_intervals_h(info.data.get("drug", ""))
        if value.upper() not in allowed:
            drug = info.data.get("drug")
            who = f" for {drug}" if drug in _DRUG_KINDS else ""
            raise ValueError(f"{value!r} is not allowed{who}; allowed: {', '.join(allowed)}")
        return value.upper()

    @field_validator("bands")
    @classmethod
    def _bands(cls, value: list[Band] | None, info: ValidationInfo) -> list[Band] | None:
        if value is None:
            return value
        if not value:
            raise ValueError("give at least one band")
        for i, band in enumerate(value):
            try:
                _kind_rule(info.data.get("drug"), band.dose)
            except ValueError as exc:
                raise ValueError(f"bands[{i}].dose {band.dose!r}: {exc}") from None
        limits = [b.upto_kg for b in value]
        if limits[-1] is not None or any(x is None for x in limits[:-1]):
            raise ValueError("every band but the last needs upto_kg; the last has none (it takes the rest)")
        if any(limits[i] >= limits[i + 1] for i in range(len(limits) - 2)):  # type: ignore[operator]
            raise ValueError(f"upto_kg must increase from band to band; got {limits[:-1]}")
        return value

    @model_validator(mode="after")
    def _rule(self) -> "Arm":
        if self.drug == PLACEBO:
            if self.dose is not None or self.bands is not None:
                raise ValueError("a placebo arm takes no dose or bands")
            return self
        if (self.dose is None) == (self.bands is None):
            raise ValueError("give exactly one of dose (e.g. '4 mg', '0.2 mg/kg') or bands")
        if self.regimen not in drug_intervals_h(self.drug):  # the default QD is not checked by the field validator
            raise ValueError(f"regimen: {self.regimen!r} is not allowed for {self.drug}; give one of "
                             f"{', '.join(drug_intervals_h(self.drug))}")
        if self.max_dose is not None and _dose_value(self.max_dose)[1]:
            raise ValueError(f"max_dose: must be in mg; got {self.max_dose!r}")
        if self.regimen == "XR":
            from jakstat.pharmacology import pk_parameters

            if self.drug in _DRUG_KINDS or pk_parameters(self.drug).xr is None:
                raise ValueError(f"regimen: 'XR' needs extended-release data, which {self.drug} has not")
        return self

    @property
    def interval_h(self) -> float:
        return drug_intervals_h(self.drug)[self.regimen]


class Endpoint(_Model):
    """An endpoint: ``exposure``, ``inhibition`` (per cytokine) or a hook kind (see :mod:`.endpoints`)."""

    model_config = ConfigDict(extra="allow", frozen=True)
    kind: str
    cytokine: str | None = None
    thresholds: list[float] = Field(default_factory=list)

    @field_validator("kind")
    @classmethod
    def _kind(cls, value: str) -> str:
        from jakstat.studies.endpoints import HOOKS, registered

        if value in ENDPOINT_KINDS or registered(value) is not None:
            return value
        if value in HOOKS:
            raise ValueError(f"{value!r} is not available yet: {HOOKS[value]} (a hook: "
                             "jakstat.studies.endpoints.register_endpoint); available: " + ", ".join(ENDPOINT_KINDS))
        raise ValueError(f"{value!r} is not an endpoint; allowed: {', '.join(ENDPOINT_KINDS)} "
                         f"(later: {', '.join(HOOKS)})")

    @field_validator("cytokine")
    @classmethod
    def _cytokine(cls, value: str | None) -> str | None:
        if value is None:
            return value
        from jakstat.knowledge import cytokines, get_cytokine

        try:
            return get_cytokine(value).name
        except Exception:
            raise ValueError(f"unknown cytokine {value!r}; known: {', '.join(c.name for c in cytokines())}") from None

    @field_validator("thresholds")
    @classmethod
    def _thresholds(cls, value: list[float]) -> list[float]:
        bad = [t for t in value if not 0 < t < 1]
        if bad:
            raise ValueError(f"inhibition thresholds are fractions in (0, 1); got {bad}")
        return value

    @model_validator(mode="after")
    def _needs_cytokine(self) -> "Endpoint":
        if self.kind == "inhibition" and self.cytokine is None:
            raise ValueError("an inhibition endpoint needs a cytokine (e.g. IL-6, IFN-alpha)")
        return self


class Population(_Model):
    """Who is enrolled (see :class:`jakstat.studies.population.PopulationSpec`)."""

    disease: Literal["DPM", "JDM", "healthy"] = "healthy"
    age_years: tuple[float, float] = (2.0, 18.0)
    female_fraction: float = Field(default=0.5, ge=0, le=1)
    genotype: str | None = None
    z_limit: float = Field(default=2.5, ge=0.5, le=5)

    @field_validator("age_years")
    @classmethod
    def _ages(cls, value: tuple[float, float]) -> tuple[float, float]:
        low, high = value
        if not 2.0 <= low < high <= 20.0:
            raise ValueError(f"must satisfy 2 <= low < high <= 20 (the CDC 2000 reference covers 2-20 y); "
                             f"got [{low:g}, {high:g}]")
        return value

    def spec(self):
        from jakstat.studies.population import PopulationSpec

        return PopulationSpec(self.disease, tuple(self.age_years), self.female_fraction, self.genotype, self.z_limit)


class TrialConfig(_Model):
    """A whole trial design."""

    name: str = "trial"
    seed: int = Field(ge=0)
    sample_size: int = Field(gt=0, le=10_000_000)
    chunk_size: int = Field(default=1024, gt=0, le=100_000)
    population: Population = Population()
    arms: list[Arm] = Field(min_length=1)
    endpoints: list[Endpoint] = Field(default_factory=lambda: [Endpoint(kind="exposure")])
    points_per_hour: int = Field(default=4, ge=1, le=120)
    rtol: float = Field(default=1e-7, gt=0, lt=1e-2)

    @field_validator("arms")
    @classmethod
    def _unique(cls, value: list[Arm]) -> list[Arm]:
        names = [a.name for a in value]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ValueError(f"arm names must be unique; repeated: {', '.join(dup)}")
        return value

    def fingerprint(self) -> str:
        """SHA-256 of the canonical JSON of the design (a resume must use the same design)."""
        return hashlib.sha256(json.dumps(self.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()


def _path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top level)"


def issues_of(error: ValidationError, model: type[BaseModel] = TrialConfig) -> list[tuple[str, str]]:
    """``(path, message)`` pairs of a pydantic error, with paths like ``arms[1].dose``."""
    out = []
    for item in error.errors():
        loc = tuple(p for p in item["loc"] if p not in ("function-after[_dose(), str]",))
        message = str(item["msg"])
        if message.startswith("Value error, "):
            message = message[len("Value error, "):]
        if item["type"] == "extra_forbidden":
            message = f"unknown field {loc[-1]!r}"
        elif item["type"] == "missing":
            message = "required field missing"
        out.append((_path(loc), message))
    return out


def parse_config(data: Any, source: str = "trial config") -> TrialConfig:
    """Validate a mapping as a :class:`TrialConfig`; raise :class:`ConfigError` listing every bad field."""
    if not isinstance(data, dict):
        raise ConfigError([("(top level)", f"a mapping of fields is expected; got {type(data).__name__}")], source)
    try:
        return TrialConfig.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(issues_of(exc), source) from None


def read_yaml(path: str | Path, what: str) -> dict:
    """The mapping in a YAML file; errors name the file."""
    import yaml

    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise InvalidValueError(f"{what} config {str(path)!r} does not exist") from None
    except yaml.YAMLError as exc:
        raise ConfigError([("(yaml)", str(exc).replace("\n", " "))], str(path)) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError([("(top level)", f"a mapping of fields is expected; got {type(data).__name__}")], str(path))
    return data


def load_config(path: str | Path) -> TrialConfig:
    """Read and validate a YAML trial design."""
    return parse_config(read_yaml(path, "trial"), str(path))
