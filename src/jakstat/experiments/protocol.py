"""Protocol inputs, validated: times, culture, readouts and the conditions of a run.

Each assay has a protocol model (pydantic) with the fields a bench scientist sets: readout
times in hours (>= 0, strictly increasing), the number of cells (> 0), the medium volume
(a volume with a unit, > 0), the readouts wanted (unknown names are an error that lists the
known ones) and the :class:`Conditions` (genotype, drugs, antibodies, cytokines, each with a
concentration that carries a unit).

Build protocols with :func:`make_protocol` (or the class directly): every problem is reported
at once as a :class:`ProtocolInputError` whose message has one ``field: reason`` per problem.

Examples
--------
>>> from jakstat.experiments.elisa import SecretionProtocol
>>> p = make_protocol(SecretionProtocol, times_h=[24, 48], n_cells=2e5, medium_volume="0.5 mL")
>>> p.culture().medium_volume_l
0.0005
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from jakstat.errors import InvalidValueError, UnitError, UnknownNameError
from jakstat.network.culture import Culture
from jakstat.units import check_dimension, parse_quantity


class ProtocolInputError(InvalidValueError):
    """Bad protocol input; ``issues`` holds one ``(field, reason)`` pair per problem."""

    def __init__(self, protocol: str, issues: list[tuple[str, str]]):
        self.protocol = protocol
        self.issues = issues
        super().__init__(f"{protocol}: " + "; ".join(why if why.startswith(f"{where}:") else f"{where}: {why}"
                                                     for where, why in issues))


def _concentration(field: str, text: str) -> str:
    quantity = parse_quantity(text, field)
    check_dimension(quantity, ("concentration", "mass concentration"), field)
    if quantity.magnitude < 0:
        raise InvalidValueError(f"{field}: concentration must be >= 0, got {text!r}")
    return text


class Conditions(BaseModel):
    """What the cells are exposed to, passed through to :func:`jakstat.simulate`.

    Attributes
    ----------
    genotype : str
        ``"wt"`` or ``"GENE:ALLELE/ALLELE"`` (``"STAT4:A635V/wt"``).
    drugs : mapping of str to str
        Drug name -> fixed in-vitro concentration with unit (``{"ruxolitinib": "1 uM"}``).
    antibodies : mapping of str to str
        Antibody name -> concentration with unit (``{"anti-IL-6": "10 ug/mL"}``).
    cytokines : mapping of str to str
        Cytokine name -> concentration with unit in the fresh medium (``{"IL-6": "10 ng/mL"}``).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    genotype: str = "wt"
    drugs: dict[str, str] = Field(default_factory=dict)
    antibodies: dict[str, str] = Field(default_factory=dict)
    cytokines: dict[str, str] = Field(default_factory=dict)

    @field_validator("genotype")
    @classmethod
    def _genotype(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("must not be empty; give 'wt' or GENE:ALLELE/ALLELE, e.g. STAT4:A635V/wt")
        return value.strip()

    @field_validator("drugs", "antibodies", "cytokines")
    @classmethod
    def _concentrations(cls, value: dict[str, str], info) -> dict[str, str]:
        out = {}
        for name, amount in value.items():
            if not str(name).strip():
                raise ValueError("names must not be empty")
            out[str(name).strip()] = _concentration(f"conditions.{info.field_name}.{name}",
                                                                 str(amount).strip())
        return out

    def label(self) -> str:
        """A short human-readable label (``"STAT4:A635V/wt + ruxolitinib 1 uM"``)."""
        parts = [self.genotype]
        parts += [f"{k} {v}" for k, v in self.drugs.items()]
        parts += [f"{k} {v}" for k, v in self.antibodies.items()]
        parts += [f"{k} {v}" for k, v in self.cytokines.items()]
        return " + ".join(parts)


class Protocol(BaseModel):
    """Fields shared by every assay protocol.

    Attributes
    ----------
    times_h : tuple of float
        Readout times, h (>= 0, strictly increasing).
    n_cells : float
        Cells in the well (> 0); sets the culture (:class:`jakstat.network.culture.Culture`).
    medium_volume : str
        Medium volume with a unit (``"1 mL"``; > 0).
    readouts : tuple of str
        Readouts to report; empty means all of the assay's :attr:`KNOWN_READOUTS`.
    conditions : Conditions
        Genotype, drugs, antibodies, cytokines.
    pretreatment_h : float
        Hours the cells spend in the conditions before the assay starts at t = 0 (>= 0; default 0).
        One medium change, with the conditions, at $-$pretreatment_h; none at t = 0 (a
        simplification when the lab replaces the medium at the scratch).
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    ASSAY: ClassVar[str] = "assay"
    KNOWN_READOUTS: ClassVar[tuple[str, ...]] = ()
    DEFAULT_TIMES_H: ClassVar[tuple[float, ...]] = (24.0, 48.0, 72.0)

    times_h: tuple[float, ...] = ()
    n_cells: float = 1e5
    medium_volume: str = "1 mL"
    readouts: tuple[str, ...] = ()
    conditions: Conditions = Field(default_factory=Conditions)
    pretreatment_h: float = 0.0

    @field_validator("pretreatment_h")
    @classmethod
    def _pretreatment(cls, value: float) -> float:
        if not (value >= 0 and value != float("inf")):
            raise ValueError(f"must be a finite number >= 0 h, got {value:g}")
        return float(value)

    @field_validator("times_h")
    @classmethod
    def _times(cls, value: tuple[float, ...]) -> tuple[float, ...]:
        bad = [t for t in value if not (t == t and abs(t) != float("inf") and t >= 0)]
        if bad:
            raise ValueError(f"every time must be a finite number >= 0 h; got {', '.join(f'{t:g}' for t in bad)}")
        if any(b <= a for a, b in zip(value, value[1:])):
            raise ValueError(f"times must be strictly increasing; got {', '.join(f'{t:g}' for t in value)}")
        return tuple(float(t) for t in value)

    @field_validator("n_cells")
    @classmethod
    def _n_cells(cls, value: float) -> float:
        if not value > 0 or value == float("inf"):
            raise ValueError(f"must be a finite number > 0, got {value:g}")
        return float(value)

    @field_validator("medium_volume")
    @classmethod
    def _medium_volume(cls, value: str) -> str:
        quantity = parse_quantity(value, "medium_volume")
        check_dimension(quantity, "volume", "medium_volume")
        if not quantity.magnitude > 0:
            raise ValueError(f"must be > 0, got {value!r}")
        return value

    @model_validator(mode="after")
    def _readouts_and_defaults(self) -> Protocol:
        unknown = [r for r in self.readouts if r not in self.KNOWN_READOUTS]
        if unknown:
            raise UnknownNameError(f"{self.ASSAY} readout", unknown[0], self.KNOWN_READOUTS)
        if not self.times_h:
            object.__setattr__(self, "times_h", tuple(self.DEFAULT_TIMES_H))
        if not self.readouts:
            object.__setattr__(self, "readouts", tuple(self.KNOWN_READOUTS))
        return self

    def medium_volume_l(self) -> float:
        """Medium volume, L."""
        return float(parse_quantity(self.medium_volume, "medium_volume").to("L").magnitude)

    def culture(self) -> Culture:
        """The culture (cell number, medium volume) the signalling network is built in."""
        return Culture(n_cells=self.n_cells, medium_volume_l=self.medium_volume_l())


P = TypeVar("P", bound=Protocol)


def make_protocol(cls: type[P], **fields: Any) -> P:
    """Build protocol ``cls`` from ``fields``; report every bad field at once.

    ``conditions`` may be a :class:`Conditions` or a mapping of its fields.

    Raises
    ------
    ProtocolInputError
        One ``field: reason`` per problem (e.g. ``times_h: every time must be ... >= 0 h``;
        ``readouts: unknown scratch readout 'foo'; known: wound_closure, ...``).
    """
    if isinstance(fields.get("conditions"), Mapping):
        fields["conditions"] = dict(fields["conditions"])
    try:
        return cls(**fields)
    except ValidationError as exc:
        raise ProtocolInputError(f"{cls.ASSAY} protocol", _issues(exc)) from None


def _issues(exc: ValidationError) -> list[tuple[str, str]]:
    issues = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"]) or "readouts"
        cause = (error.get("ctx") or {}).get("error")
        if isinstance(cause, (UnitError, UnknownNameError, InvalidValueError)):
            message = str(cause)
            field = message.split(":", 1)[0]
            if ":" in message and " " not in field and field.split(".")[-1] != where.split(".")[-1]:
                where = field  # the message names a deeper field (conditions.drugs.ruxolitinib)
        else:
            message = error["msg"].removeprefix("Value error, ")
        issues.append((where, message))
    return issues


__all__ = ["Conditions", "Protocol", "ProtocolInputError", "make_protocol"]
