"""PK parameter sets of the small-molecule JAK inhibitors, read from ``pk_small_molecules.csv``.

One parameter set per drug: the rows of one published model (chosen by :data:`MODEL_CHOICES`, a
table of sources with the reason for each choice, not code per drug), mapped to roles by their
``parameter`` names (:data:`ROLES`). Each number keeps its provenance: a
:class:`~jakstat.network.provenance.TableSource` naming the row, or :class:`Derived` /
:class:`Assumed` saying how and why. Between-subject variability (log-normal) comes from the
row's ``variability`` cell where it gives a CV.

Rules when the table does not give a number directly
----------------------------------------------------
- ``ka`` missing but a mean absorption time (MAT) in the row text: ``ka = 1/MAT``.
- ``ka`` and a zero-order duration both missing: ``ka`` solved so that the model's Tmax equals the
  drug's Tmax row (verified rows first, immediate-release populations).
- fu: the ``fu_plasma`` row, else ``1 - plasma_protein_binding``; ranges are read at their midpoint.
- apparent (``/F``) parameters: the whole dose enters the model (F = 1, Derived); absolute
  parameters (no ``/F``): the dose is multiplied by the drug's ``F_oral`` row.
- reference weight: the ``NN kg`` stated in the model's rows, else 70 kg (Assumed).
- allometric exponents: the model's ``allometric_exponents`` row, else 0.75 (CL, Q) and 1 (V).

Units: clearances L/h, volumes L, ka 1/h, times h, fractions dimensionless, molecular weight g/mol.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.network.provenance import Assumed, Derived, Provenance, TableSource
from jakstat.pharmacology import _rows
from jakstat.pharmacology.absorption import XrAbsorption, ka_for_tmax, xr_absorption

PK_TABLE = "pk_small_molecules"
PROPERTIES_TABLE = "drug_properties"


@dataclass(frozen=True)
class ModelChoice:
    """Which rows of ``pk_small_molecules.csv`` make a drug's PK model, and why.

    Attributes
    ----------
    source : str
        Text that the ``source`` cell of the chosen rows contains (e.g. ``"Decker"``).
    reason : str
        Why this source (the rule applied; the other sources are listed in
        ``docs/pharmacology_validation.md``).
    """

    source: str
    reason: str


MODEL_CHOICES: dict[str, ModelChoice] = {
    "ruxolitinib": ModelChoice(
        "Jakafi US label sec. 12.3",
        "the only CL/F and Vss/F rows (label, verified=no; Vss/F 72 L was seen in a secondary label "
        "summary, see drug_properties.csv); no popPK parameter table exists in the tables"),
    "baricitinib": ModelChoice(
        "Decker",
        "the only clearance/volume model in the table; carried from the adult RA popPK with weight "
        "(reference 74 kg) and eGFR covariates, so it serves adults and children 2-<18 y"),
    "tofacitinib": ModelChoice(
        "Xie",
        "RA/PsA is the indication of the standard 5 mg BID dose; Xie 2019 (PsA, n=650) is the verified "
        "popPK of that population (UC: Vong 2021, AS: Tsuchiwata 2026 kept for comparison)"),
    "upadacitinib": ModelChoice(
        "Klunder",
        "the only popPK parameter table (healthy subjects and RA, immediate-release structure)"),
    "abrocitinib": ModelChoice(
        "Wojciechowski",
        "the only popPK parameter table (adult/adolescent AD, reference 70 kg)"),
}
"""The published model used for each drug (drugs missing here have no CL and V in the table)."""

ROLES: dict[str, tuple[str, ...]] = {
    "clearance": ("CL/F", "CL"),
    "renal_clearance": ("CLr/F",),
    "nonrenal_clearance": ("CLnr/F",),
    "central_volume": ("V/F", "Vc/F", "V1/F", "Vc"),
    "steady_state_volume": ("Vss/F",),
    "peripheral_volume": ("Vp/F", "V2/F", "Vp"),
    "intercompartmental_clearance": ("Q/F", "Q"),
    "ka": ("ka",),
    "zero_order_duration": ("D1_zero_order_absorption",),
    "lag": ("absorption_lag",),
}
"""Model role -> ``parameter`` names of ``pk_small_molecules.csv`` that fill it."""

STANDARD_EXPONENTS = (0.75, 1.0)
REFERENCE_WEIGHT_KG = 70.0


@dataclass(frozen=True)
class PkValue:
    """A number with unit, provenance and (optionally) its between-subject CV.

    Attributes
    ----------
    value : float
        In ``unit``.
    unit : str
        A pint unit string (``"L/h"``, ``"L"``, ``"1/h"``, ``"h"``, ``"dimensionless"``).
    provenance : Provenance
        Where the value comes from.
    cv : float or None
        Between-subject coefficient of variation (fraction, log-normal), or None when not reported.
    """

    value: float
    unit: str
    provenance: Provenance
    cv: float | None = None

    def describe(self) -> str:
        text = f"{self.value:g} {self.unit} ({self.provenance.describe()})"
        return text + (f"; BSV CV {100 * self.cv:g}%" if self.cv is not None else "")


@dataclass(frozen=True)
class PkParameters:
    """A drug's PK model (typical subject of the source population; apparent or absolute values).

    Clearance is either ``clearance`` or the sum ``renal_clearance + nonrenal_clearance``; the
    peripheral compartment exists when ``peripheral_volume`` is set; absorption is first order
    (``ka``) or zero order over ``zero_order_duration``, after ``lag``.
    """

    drug: str
    source: str
    choice_reason: str
    central_volume: PkValue
    fu: PkValue
    molecular_weight: PkValue
    bioavailability: PkValue
    lag: PkValue
    reference_weight: PkValue
    cl_exponent: PkValue
    v_exponent: PkValue
    clearance: PkValue | None = None
    renal_clearance: PkValue | None = None
    nonrenal_clearance: PkValue | None = None
    peripheral_volume: PkValue | None = None
    intercompartmental_clearance: PkValue | None = None
    ka: PkValue | None = None
    zero_order_duration: PkValue | None = None
    reference_egfr: PkValue | None = None
    first_order_cap_mg: PkValue | None = None
    zero_order_rate_mg_h: PkValue | None = None
    xr: XrAbsorption | None = None
    pediatric_method: str = ""
    notes: tuple[str, ...] = field(default=())

    @property
    def total_clearance(self) -> float:
        """Total (apparent) clearance, L/h."""
        if self.clearance is not None:
            return self.clearance.value
        return self.renal_clearance.value + self.nonrenal_clearance.value  # type: ignore[union-attr]

    @property
    def two_compartment(self) -> bool:
        return self.peripheral_volume is not None

    def values(self) -> dict[str, PkValue]:
        """All set :class:`PkValue` fields by name."""
        return {name: value for name, value in vars(self).items() if isinstance(value, PkValue)}


def pk_drugs() -> tuple[str, ...]:
    """Drugs with a PK model (see :data:`MODEL_CHOICES`)."""
    return tuple(MODEL_CHOICES)


def _check_drug(drug: str) -> str:
    from jakstat.knowledge import get_drug

    name = get_drug(drug).name  # unknown names -> UnknownNameError listing every drug
    if name not in MODEL_CHOICES:
        raise UnknownNameError(f"PK model (drug {name!r} has no CL and V rows in {PK_TABLE}.csv)",
                               name, MODEL_CHOICES)
    return name


@functools.lru_cache(maxsize=None)
def pk_parameters(drug: str) -> PkParameters:
    """The PK parameter set of ``drug`` (typical subject of the chosen model).

    Parameters
    ----------
    drug : str
        INN or brand name (any case).

    Returns
    -------
    PkParameters
        Volumes L, clearances L/h, rates 1/h, times h.

    Raises
    ------
    jakstat.errors.UnknownNameError
        If the drug is unknown (the message lists every drug) or has no PK model in the table.

    Examples
    --------
    >>> pk_parameters("tofacitinib").clearance.value
    20.4
    """
    name = _check_drug(drug)
    choice = MODEL_CHOICES[name]
    rows = [r for r in _rows.drug_rows(PK_TABLE, name).to_dict(orient="records")]
    chosen = [r for r in rows if choice.source in r["source"]]
    roles = {role: _role_value(role, chosen) for role in ROLES}
    roles = {k: v for k, v in roles.items() if v is not None}
    if "central_volume" not in roles:
        if "steady_state_volume" not in roles:
            raise InvalidValueError(f"{PK_TABLE}.csv: the {choice.source} rows of {name} give no volume")
        vss = roles.pop("steady_state_volume")
        roles["central_volume"] = vss
        notes = ("one-compartment model with V = Vss/F (the table has no Vc/Vp split)",)
    else:
        roles.pop("steady_state_volume", None)
        notes = ()
    apparent = any("/F" in r["parameter"] for r in chosen if r["parameter"] in sum(ROLES.values(), ()))
    params = PkParameters(
        drug=name, source=choice.source, choice_reason=choice.reason,
        fu=_fraction_unbound(name, rows), molecular_weight=_molecular_weight(name),
        bioavailability=_bioavailability(name, rows, apparent),
        lag=roles.pop("lag", None) or _lag_from_text(chosen, choice.source),
        reference_weight=_reference_weight(chosen),
        cl_exponent=_exponent(chosen, "CL", 0), v_exponent=_exponent(chosen, "V", 1),
        reference_egfr=_reference_egfr(chosen),
        first_order_cap_mg=_text_number(chosen, r"capped at\s*(\d+(?:\.\d+)?)\s*mg", "mg"),
        zero_order_rate_mg_h=_text_number(chosen, r"zero-order rate\s*(\d+(?:\.\d+)?)\s*mg/h", "mg/h"),
        pediatric_method=_pediatric_method(chosen),
        notes=notes, **roles,
    )
    if params.ka is None and params.zero_order_duration is None:
        params = _with_ka(params, chosen, rows)
    from dataclasses import replace

    return replace(params, xr=xr_absorption(name, params))


def _role_value(role: str, chosen: list[dict]) -> PkValue | None:
    hits = [r for r in chosen if r["parameter"] in ROLES[role]]
    if not hits:
        return None
    values = [(_rows.parse_value(r["value"]), r) for r in hits]
    unit = hits[0]["unit"]
    cvs = [c for c in (_rows.parse_cv(r["variability"]) for r in hits) if c is not None]
    cv = cvs[0] if cvs else None
    if len(hits) == 1:
        (value, note), row = values[0]
        return PkValue(value, unit, _rows.source_of(PK_TABLE, row, note), cv)
    mean = sum(v for (v, _), _ in values) / len(values)
    listed = "; ".join(f"{r['population']}: {r['value']} {r['unit']} ({r['source']}, verified={r['verified']})"
                       for r in hits)
    return PkValue(mean, unit, Derived(f"mean of {len(hits)} {PK_TABLE}.csv rows ({listed}); "
                                       "the model has no covariate that separates them"), cv)


def fraction_unbound(drug: str) -> PkValue:
    """Unbound fraction in plasma of any small molecule of ``pk_small_molecules.csv`` (see module rules)."""
    from jakstat.knowledge import get_drug

    name = get_drug(drug).name
    return _fraction_unbound(name, _rows.drug_rows(PK_TABLE, name).to_dict(orient="records"))


def _fraction_unbound(drug: str, rows: list[dict]) -> PkValue:
    for parameter, transform in (("fu_plasma", False), ("plasma_protein_binding", True)):
        for row in _rows.prefer_verified(r for r in rows if r["parameter"] == parameter):
            value, note = _rows.parse_value(row["value"])
            if transform:
                note = "; ".join(x for x in (note, f"fu = 1 - binding ({row['value']})") if x)
                value = 1.0 - value
            return PkValue(value, "dimensionless", _rows.source_of(PK_TABLE, row, note))
    return PkValue(0.36, "dimensionless", Assumed(
        f"{PK_TABLE}.csv has no plasma protein binding row for {drug}; about 64% bound is recalled from "
        "the Cibinqo label (not verified), so fu = 0.36"))


def _molecular_weight(drug: str) -> PkValue:
    rows = _rows.drug_rows(PROPERTIES_TABLE, drug)
    rows = rows[rows["property"] == "molecular_weight"].to_dict(orient="records")
    if not rows:
        raise InvalidValueError(f"{PROPERTIES_TABLE}.csv has no molecular_weight row for {drug}")
    row = _rows.prefer_verified(rows)[0]
    return PkValue(float(row["value"]), row["unit"], _rows.source_of(PROPERTIES_TABLE, row))


def _bioavailability(drug: str, rows: list[dict], apparent: bool) -> PkValue:
    if apparent:
        return PkValue(1.0, "dimensionless", Derived(
            "the model's clearances and volumes are apparent (/F): the whole dose enters the model"))
    for row in _rows.prefer_verified(r for r in rows if r["parameter"] == "F_oral"):
        value, note = _rows.parse_value(row["value"])
        return PkValue(value, "dimensionless", _rows.source_of(PK_TABLE, row, note))
    raise InvalidValueError(f"{PK_TABLE}.csv: {drug} has absolute PK parameters but no F_oral row")


def _lag_from_text(chosen: list[dict], source: str) -> PkValue:
    for row in chosen:
        for column in ("notes", "model_context"):
            value = _rows.number_in_text(row[column], r"lag\s*(\d+(?:\.\d+)?)\s*h")
            if value is not None:
                return PkValue(value, "h", _rows.source_of(PK_TABLE, row, f"lag read from the {column} cell"))
    mentioned = any("lag" in (r["model_context"] + r["notes"]).lower() for r in chosen)
    reason = (f"the {source} model has an absorption lag but its value is not in {PK_TABLE}.csv; lag = 0"
              if mentioned else f"the {source} model has no absorption lag")
    return PkValue(0.0, "h", Assumed(reason))


def _reference_weight(chosen: list[dict]) -> PkValue:
    for row in chosen:
        for column in ("population", "model_context"):
            value = _rows.number_in_text(row[column], r"(\d+(?:\.\d+)?)\s*kg")
            if value is not None:
                return PkValue(value, "kg", _rows.source_of(PK_TABLE, row, f"reference weight in {column}"))
    return PkValue(REFERENCE_WEIGHT_KG, "kg", Assumed(
        "the model's rows state no reference weight; 70 kg, the conventional adult reference, is assumed"))


def _exponent(chosen: list[dict], kind: str, index: int) -> PkValue:
    pattern = r"CL[^;]*?(\d+(?:\.\d+)?)" if kind == "CL" else r"\bV\s+(\d+(?:\.\d+)?)"
    for row in chosen:
        if row["parameter"] == "allometric_exponents":
            value = _rows.number_in_text(row["value"], pattern)
            if value is not None:
                return PkValue(value, "dimensionless", _rows.source_of(PK_TABLE, row))
    return PkValue(STANDARD_EXPONENTS[index], "dimensionless", Assumed(
        f"no published pediatric model: standard allometric exponent for {kind} "
        f"({kind} ~ (WT/WTref)^{STANDARD_EXPONENTS[index]:g})"))


def _reference_egfr(chosen: list[dict]) -> PkValue | None:
    for row in chosen:
        if row["parameter"] == "CLr/F":
            value = _rows.number_in_text(row["population"] + " " + row["model_context"], r"eGFR[ /]*(\d+(?:\.\d+)?)")
            if value is not None:
                return PkValue(value, "mL/min/1.73m2", _rows.source_of(
                    PK_TABLE, row, "renal clearance scales with eGFR/reference eGFR"))
    return None


def _text_number(chosen: list[dict], pattern: str, unit: str) -> PkValue | None:
    for row in chosen:
        for column in ("notes", "model_context"):
            value = _rows.number_in_text(row[column], pattern)
            if value is not None:
                return PkValue(value, unit, _rows.source_of(PK_TABLE, row, f"read from the {column} cell"))
    return None


def _pediatric_method(chosen: list[dict]) -> str:
    pediatric = [r for r in chosen if "pediatric" in r["population"].lower()]
    if pediatric:
        return (f"published pediatric model ({pediatric[0]['source']}): clearances x (WT/WTref)^CL exponent, "
                "volumes x (WT/WTref)^V exponent, renal clearance x eGFR/reference eGFR")
    return ("no published pediatric model in the table: allometric scaling of the adult model, "
            "CL and Q x (WT/WTref)^0.75, volumes x (WT/WTref)^1")


def _with_ka(params: PkParameters, chosen: list[dict], rows: list[dict]) -> PkParameters:
    from dataclasses import replace

    for row in chosen:
        mat = _rows.number_in_text(row["notes"], r"mean absorption time\s*(\d+(?:\.\d+)?)\s*h")
        if mat is not None:
            return replace(params, ka=PkValue(1.0 / mat, "1/h", Derived(
                f"ka = 1/MAT with the mean absorption time {mat:g} h in the notes of {PK_TABLE}.csv "
                f"[{_rows.row_key(PK_TABLE, row)}] ({row['source']})")))
    from jakstat.pharmacology.absorption import _is_xr

    candidates = [r for r in rows if r["parameter"] == "Tmax" and not _is_xr(r["population"])]
    for row in _rows.prefer_verified(candidates):
        tmax, _ = _rows.parse_value(row["value"])
        ka = ka_for_tmax(params, tmax)
        return replace(params, ka=PkValue(ka, "1/h", Derived(
            f"ka solved so that the model's Tmax equals {tmax:g} h, the Tmax of {PK_TABLE}.csv "
            f"[{_rows.row_key(PK_TABLE, row)}] ({row['source']}, verified={row['verified']})")))
    raise InvalidValueError(f"{PK_TABLE}.csv gives {params.drug} no ka, zero-order duration, MAT or Tmax")


def table_source(value: PkValue) -> TableSource | None:
    """The table row behind a value, if it was read from one."""
    return value.provenance if isinstance(value.provenance, TableSource) else None
