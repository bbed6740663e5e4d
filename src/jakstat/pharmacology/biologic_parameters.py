"""PK and binding parameters of the cytokine-targeting antibodies, read from ``biologic_pk_binding.csv``.

One parameter set per antibody and population: the rows of one published model chosen by
:data:`BIOLOGIC_CHOICES` (the sources whose rows make the model, and the reason), mapped to roles by
their ``parameter`` names (:data:`BIOLOGIC_ROLES`). Values are converted to the units of the PK
network (clearances L/h, volumes L, rates nmol/h, concentrations nM, ka 1/h) with the molecular
weight of ``molecular_weights.csv``; each keeps the table row as its provenance and says how it
was converted.

Rules when the table does not give a number directly
----------------------------------------------------
- Michaelis-Menten (target-mediated) elimination: ``Vmax`` and ``Km`` rows when the model has them
  (tocilizumab, Frey 2010). A quasi-steady-state TMDD model whose receptor degradation equals the
  complex internalisation (anifrolumab, Almquist 2022: ``kdeg = kint``) has a constant total receptor
  pool ``R0``, so its target-mediated elimination is exactly ``kint R0 Vc C/(Kss + C)`` in the free
  concentration: ``Vmax = kint R0 Vc``, ``Km = Kss`` (Derived; free ~ total drug because
  ``R0`` = 0.1 nM is far below therapeutic concentrations).
- Emapalumab's target-mediated clearance depends on the patient's IFN-gamma production
  (``CLNL x (IFNg/1e6 pg/mL)^0.542``): it is added only when an IFN-gamma level is given.
- Weight: the model's own exponents and reference weight where the rows state them, else 0.75 (CL,
  Q, Vmax) and 1 (V) from 70 kg (Assumed).
- Subcutaneous dosing: F from the drug's ``F_subcutaneous`` row (the marketed SC dose's row) or the
  SC exposure ratio in the notes; no antibody row gives an SC absorption rate, so ``ka`` is the
  sarilumab (IL-6R IgG1, Xu 2019) ``ka`` row of the same table, used as an IgG SC analogue (the
  provenance says so). A drug without an F has no SC route.
- Infusion duration: from the ``dose_regimen`` row (``over 30 min``) else 1 h (Assumed).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field, replace

from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.network.provenance import Assumed, Derived, TableSource
from jakstat.pharmacology import _rows
from jakstat.pharmacology.pk_parameters import PkValue

BIOLOGIC_TABLE = "biologic_pk_binding"
MW_TABLE = "molecular_weights"
REFERENCE_WEIGHT_KG = 70.0
SC_KA_ANALOGUE = "sarilumab"


@dataclass(frozen=True)
class BiologicChoice:
    """Which rows make an antibody's model for one population, and why.

    Attributes
    ----------
    sources : tuple of str
        Text found in one of the row's ``source``, ``model_context``, ``variability`` or ``evidence``
        cells (the reference is in ``source``; the other cells are searched too because some sources are
        named only in the model context).
    population : str
        Text the ``population`` cell must contain (empty: any).
    potency : str
        The ``parameter`` of the binding row: ``Kd``, ``Kss`` or an in-vivo IC50.
    reason : str
        Why these rows.
    """

    sources: tuple[str, ...]
    population: str
    potency: str
    reason: str


BIOLOGIC_CHOICES: dict[tuple[str, str], BiologicChoice] = {
    ("tocilizumab", "adult"): BiologicChoice(
        ("Frey",), "", "Kd",
        "Frey 2010 (adult RA, n=1793) is the only full popPK parameter set (CL, Vc, Q, Vp, Vmax, Km; all "
        "verified); the US-label Vc/Vp rows are remembered values (verified=no). Kd: Mihara 2005, the "
        "verified primary measurement (2.54 nM); the 0.71 nM secondary value is 3.6x lower"),
    ("tocilizumab", "sJIA"): BiologicChoice(
        ("Roche Australia",), "sJIA", "Kd",
        "the Actemra PI gives the sJIA popPK CL, Vc and Vp (verified); Q and Vmax are the Frey adult values "
        "scaled by CL_sJIA/CL_adult, Km as in adults (Assumed: the PI gives no nonlinear parameters for children)"),
    ("anifrolumab", "adult"): BiologicChoice(
        ("Saphnelo Swiss", "Almquist"), "", "Kss",
        "CL, Vc, Vp from the Swiss SmPC (verified) and Q, Kss, R0, kint from Almquist 2022 (verified; its "
        "table has the same CL, Vc, Vp); the healthy-volunteer CL 0.34 L/day is noncompartmental"),
    ("emapalumab", "adult"): BiologicChoice(
        ("Brossard",), "", "PD_IC50_CXCL9",
        "Brossard 2024/2025 is the only popPK with all of CL, Vc, Q, Vp (verified; the label has no Q). "
        "Potency: the table has no Kd; the in-vivo IC50 of IFN-gamma-driven CXCL9 production (Jacqmin "
        "2022) is the concentration that neutralises half the IFN-gamma signal"),
}
"""(drug, population) -> the rows of the model."""

BIOLOGIC_ROLES: dict[str, tuple[str, ...]] = {
    "clearance": ("CL_linear", "CL"),
    "central_volume": ("V_central",),
    "peripheral_volume": ("V_peripheral",),
    "intercompartmental_clearance": ("Q",),
    "vmax": ("Vmax",),
    "km": ("Km",),
    "receptor_baseline": ("R0_baseline_receptor",),
    "internalisation": ("kdeg_receptor_equals_kint",),
    "nonlinear_clearance": ("CL_nonlinear_at_IFNg_1e6_pg_mL",),
}

_UNITS = {"clearance": "L/h", "central_volume": "L", "peripheral_volume": "L",
          "intercompartmental_clearance": "L/h", "internalisation": "1/h", "nonlinear_clearance": "L/h"}


@dataclass(frozen=True)
class BiologicParameters:
    """An antibody's two-compartment PK model with optional Michaelis-Menten elimination.

    Units: clearances L/h, volumes L, ``vmax`` nmol/h, ``km`` and ``potency`` nM, ``sc_ka`` 1/h,
    ``infusion_h`` h, ``molecular_weight`` g/mol.
    """

    drug: str
    population: str
    source: str
    choice_reason: str
    targets: tuple[str, ...]
    molecular_weight: PkValue
    clearance: PkValue
    central_volume: PkValue
    peripheral_volume: PkValue
    intercompartmental_clearance: PkValue
    potency: PkValue
    reference_weight: PkValue
    cl_exponent: PkValue
    v_exponent: PkValue
    infusion_h: PkValue
    vmax: PkValue | None = None
    km: PkValue | None = None
    nonlinear_clearance: PkValue | None = None
    sc_bioavailability: PkValue | None = None
    sc_ka: PkValue | None = None
    max_dose_mg: PkValue | None = None
    weight_scaled: bool = True
    notes: tuple[str, ...] = field(default=())

    def values(self) -> dict[str, PkValue]:
        """All set :class:`PkValue` fields by name."""
        return {name: value for name, value in vars(self).items() if isinstance(value, PkValue)}

    @property
    def linear_half_life_h(self) -> float:
        """Terminal half-life of the linear part of the model (h): slowest eigenvalue of the 2-compartment system."""
        import math

        k10 = self.clearance.value / self.central_volume.value
        k12 = self.intercompartmental_clearance.value / self.central_volume.value
        k21 = self.intercompartmental_clearance.value / self.peripheral_volume.value
        s = k10 + k12 + k21
        beta = (s - math.sqrt(s * s - 4 * k10 * k21)) / 2.0
        return math.log(2.0) / beta


def biologic_drugs() -> tuple[str, ...]:
    """Antibodies with a PK model (see :data:`BIOLOGIC_CHOICES`)."""
    return tuple(dict.fromkeys(d for d, _ in BIOLOGIC_CHOICES))


def biologic_populations(drug: str) -> tuple[str, ...]:
    return tuple(p for d, p in BIOLOGIC_CHOICES if d == drug)


def check_biologic(drug: str) -> str:
    """Lower-case INN of a biologic with a PK model (UnknownNameError lists the known ones otherwise)."""
    from jakstat.knowledge import get_drug

    name = get_drug(drug).name
    if name not in biologic_drugs():
        raise UnknownNameError("biologic with a PK model", name, biologic_drugs())
    return name


def _selected(drug: str, choice: BiologicChoice) -> list[dict]:
    rows = _rows.drug_rows(BIOLOGIC_TABLE, drug).to_dict(orient="records")
    cells = ("source", "model_context", "variability", "evidence")
    return [r for r in rows if any(s in str(r[c]) for s in choice.sources for c in cells)
            and (not choice.population or choice.population in str(r["population"]))]


def _mw(drug: str) -> PkValue:
    from jakstat.data import load_table

    frame = load_table(MW_TABLE)
    rows = frame[frame["molecule"] == drug].to_dict(orient="records")
    if not rows:
        raise InvalidValueError(f"{MW_TABLE}.csv has no row for {drug}")
    row = rows[0]
    factor = {"kDa": 1000.0, "Da": 1.0, "g/mol": 1.0}[row["unit"]]
    return PkValue(float(row["value"]) * factor, "g/mol",
                   TableSource(MW_TABLE, drug, str(row["source"]), row["verified"] == "yes",
                               f"{row['value']} {row['unit']}"))


def _convert(value: float, unit: str, target: str, mw: float) -> float:
    """``value`` in ``unit`` -> ``target`` (L/h, L, 1/h, nmol/h, nM); mass units through ``mw`` g/mol."""
    volume = {"L": 1.0, "mL": 1e-3}
    time = {"h": 1.0, "day": 24.0}
    if target in ("L/h",):
        v, t = unit.split("/")
        return value * volume[v] / time[t]
    if target == "L":
        return value * volume[unit]
    if target == "1/h":
        return value / time[unit.split("/")[1]]
    if target == "nmol/h":  # mg/day
        mass, t = unit.split("/")
        return value * {"mg": 1e6, "ug": 1e3}[mass] / mw / time[t]
    if target == "nM":
        if unit == "nM":
            return value
        mass_per_l = {"ug/mL": 1e-3, "mg/L": 1e-3, "ng/mL": 1e-6}[unit]  # g/L per unit
        return value * mass_per_l / mw * 1e9
    raise InvalidValueError(f"cannot convert {unit!r} to {target!r}")


def _value(row: dict, target: str, mw: float) -> PkValue:
    raw, note = _rows.parse_value(str(row["value"]))
    converted = _convert(raw, row["unit"], target, mw)
    how = "; ".join(x for x in (note, "" if row["unit"] == target else
                                f"{row['value']} {row['unit']} = {converted:.6g} {target}"
                                + (f" (molecular weight {mw:g} g/mol)" if target in ("nM", "nmol/h") else "")) if x)
    return PkValue(converted, target, _rows.source_of(BIOLOGIC_TABLE, row, how), _rows.parse_cv(
        f"{row['population']} {row['variability']}"))


def _role(rows: list[dict], role: str, mw: float) -> PkValue | None:
    hits = _rows.prefer_verified(r for r in rows if r["parameter"] in BIOLOGIC_ROLES[role])
    if not hits:
        return None
    return _value(hits[0], _UNITS.get(role, "nmol/h" if role == "vmax" else "nM"), mw)


@functools.lru_cache(maxsize=None)
def biologic_parameters(drug: str, population: str = "adult") -> BiologicParameters:
    """The PK and binding parameters of ``drug`` for ``population`` (typical subject).

    Parameters
    ----------
    drug : str
        INN or brand name (tocilizumab, anifrolumab, emapalumab).
    population : str
        ``"adult"`` or a pediatric population the table has (tocilizumab: ``"sJIA"``).

    Raises
    ------
    jakstat.errors.UnknownNameError
        Unknown drug or one without a PK model; a population the table has no rows for.
    """
    name = check_biologic(drug)
    if (name, population) not in BIOLOGIC_CHOICES:
        raise UnknownNameError(f"population for {name}", population, biologic_populations(name))
    choice = BIOLOGIC_CHOICES[(name, population)]
    all_rows = _rows.drug_rows(BIOLOGIC_TABLE, name).to_dict(orient="records")
    rows = _selected(name, choice)
    mw = _mw(name)
    roles = {role: _role(rows, role, mw.value) for role in BIOLOGIC_ROLES}
    notes: list[str] = []
    if population != "adult":
        roles, notes = _pediatric(name, roles, notes)
    for needed in ("clearance", "central_volume", "peripheral_volume", "intercompartmental_clearance"):
        if roles[needed] is None:
            raise InvalidValueError(f"{BIOLOGIC_TABLE}.csv: the {population} model of {name} lacks {needed}")
    if roles["vmax"] is None and roles["receptor_baseline"] is not None and roles["internalisation"] is not None:
        r0, kint, vc = roles["receptor_baseline"], roles["internalisation"], roles["central_volume"]
        vmax = kint.value * r0.value * vc.value
        roles["vmax"] = PkValue(vmax, "nmol/h", Derived(
            f"QSS-TMDD with kdeg = kint: Vmax = kint x R0 x Vc = {kint.value:.4g} 1/h x {r0.value:g} nM x "
            f"{vc.value:g} L (kint: {kint.provenance.describe()}; R0: {r0.provenance.describe()})"))
        kss = _potency(all_rows, "Kss", mw.value)
        roles["km"] = PkValue(kss.value, "nM", Derived(f"Km = Kss of the QSS-TMDD model ({kss.provenance.describe()})"))
        notes.append("target-mediated elimination as Michaelis-Menten in the concentration (QSS-TMDD, constant "
                     "receptor pool because kdeg = kint)")
    cl_exp, v_exp, ref = _allometry(name, all_rows, rows)
    return BiologicParameters(
        drug=name, population=population, source=" + ".join(choice.sources), choice_reason=choice.reason,
        targets=tuple(dict.fromkeys(r["target"] for r in all_rows)), molecular_weight=mw,
        clearance=roles["clearance"], central_volume=roles["central_volume"],
        peripheral_volume=roles["peripheral_volume"],
        intercompartmental_clearance=roles["intercompartmental_clearance"],
        potency=_potency(all_rows, choice.potency, mw.value), reference_weight=ref,
        cl_exponent=cl_exp, v_exponent=v_exp, infusion_h=_infusion(all_rows),
        vmax=roles["vmax"], km=roles["km"], nonlinear_clearance=roles["nonlinear_clearance"],
        sc_bioavailability=_sc_f(all_rows), sc_ka=_sc_ka(),
        max_dose_mg=_max_dose(all_rows), weight_scaled=population == "adult", notes=tuple(notes),
    )


def _potency(rows: list[dict], parameter: str, mw: float) -> PkValue:
    hits = [r for r in rows if r["parameter"] == parameter]
    hits.sort(key=lambda r: (r["verified"] != "yes", "primary" not in str(r["notes"]).lower()))
    if not hits:
        raise InvalidValueError(f"{BIOLOGIC_TABLE}.csv has no {parameter} row")
    return _value(hits[0], "nM", mw)


def _pediatric(drug: str, roles: dict, notes: list[str]) -> tuple[dict, list[str]]:
    adult = biologic_parameters(drug, "adult")
    ratio = roles["clearance"].value / adult.clearance.value
    why = (f"x CL_ped/CL_adult = {ratio:.3g} (the table gives no pediatric value; clearance processes "
           "assumed to scale together)")
    out = dict(roles)
    out["intercompartmental_clearance"] = out["intercompartmental_clearance"] or PkValue(
        adult.intercompartmental_clearance.value * ratio, "L/h",
        Assumed(f"adult Q {adult.intercompartmental_clearance.value:.4g} L/h {why}"))
    if adult.vmax is not None:
        out["vmax"] = PkValue(adult.vmax.value * ratio, "nmol/h", Assumed(f"adult Vmax {adult.vmax.value:.4g} nmol/h {why}"))
        out["km"] = PkValue(adult.km.value, "nM", Assumed("adult Km (a concentration; no pediatric value in the table)"))
    notes.append("pediatric popPK values are typical values of the pediatric population: no further weight "
                 "scaling (the table states no reference weight for them)")
    return out, notes


def _allometry(drug: str, all_rows: list[dict], rows: list[dict]) -> tuple[PkValue, PkValue, PkValue]:
    for row in all_rows:
        text = f"{row['model_context']} {row['notes']} {row['variability']}"
        match = re.search(r"WT exponents:?\s*([\d.]+) on CL,\s*([\d.]+) on Vc \(ref ([\d.]+) kg\)", text)
        if match:
            src = _rows.source_of(BIOLOGIC_TABLE, row, "weight exponents and reference weight in the notes")
            return (PkValue(float(match.group(1)), "dimensionless", src),
                    PkValue(float(match.group(2)), "dimensionless", src),
                    PkValue(float(match.group(3)), "kg", src))
    for row in rows:
        text = f"{row['model_context']} {row['variability']}"
        match = re.search(r"allometry\s*([\d.]+)/([\d.]+)\s*per\s*([\d.]+)\s*kg", text)
        if match:
            src = _rows.source_of(BIOLOGIC_TABLE, row, "allometric exponents (CL/V) and reference weight in the row")
            return (PkValue(float(match.group(1)), "dimensionless", src),
                    PkValue(float(match.group(2)), "dimensionless", src),
                    PkValue(float(match.group(3)), "kg", src))
    why = (f"the {drug} model's weight covariate is not in the table (Frey 2010 uses body surface area); standard "
           "allometry from a 70 kg adult")
    return (PkValue(0.75, "dimensionless", Assumed(why)), PkValue(1.0, "dimensionless", Assumed(why)),
            PkValue(REFERENCE_WEIGHT_KG, "kg", Assumed(why)))


def _infusion(rows: list[dict]) -> PkValue:
    for row in rows:
        if row["parameter"] == "dose_regimen":
            minutes = _rows.number_in_text(str(row["value"]), r"over\s*(\d+)\s*min")
            if minutes is not None:
                return PkValue(minutes / 60.0, "h", _rows.source_of(BIOLOGIC_TABLE, row, f"infusion over {minutes:g} min"))
    return PkValue(1.0, "h", Assumed("infusion duration not in the table; 1 h, the usual antibody infusion time"))


def _max_dose(rows: list[dict]) -> PkValue | None:
    for row in rows:
        if row["parameter"] == "dose_regimen":
            mg = _rows.number_in_text(str(row["value"]), r"max\s*(\d+)\s*mg per infusion")
            if mg is not None:
                return PkValue(mg, "mg", _rows.source_of(BIOLOGIC_TABLE, row, "maximum dose per infusion"))
    return None


def _sc_f(rows: list[dict]) -> PkValue | None:
    hits = [r for r in rows if r["parameter"] == "F_subcutaneous"]
    if hits:
        best = max(hits, key=lambda r: float(r["value"]))  # the marketed 162 mg dose has the higher F
        return PkValue(float(best["value"]), "dimensionless", _rows.source_of(
            BIOLOGIC_TABLE, best, "F of the marketed SC dose (F rises with dose because of TMDD)"))
    for row in rows:
        ratio = _rows.number_in_text(str(row["notes"]), r"SC exposure\s*(\d+)%\s*of IV")
        if ratio is not None:
            return PkValue(ratio / 100.0, "dimensionless", _rows.source_of(
                BIOLOGIC_TABLE, row, f"F = SC/IV exposure ratio {ratio:g}% in the notes"))
    return None


def _sc_ka() -> PkValue:
    rows = _rows.drug_rows(BIOLOGIC_TABLE, SC_KA_ANALOGUE).to_dict(orient="records")
    row = next(r for r in rows if r["parameter"] == "ka")
    value = _convert(float(row["value"]), row["unit"], "1/h", 1.0)
    return PkValue(value, "1/h", _rows.source_of(
        BIOLOGIC_TABLE, row, f"{row['value']} {row['unit']} = {value:.4g} 1/h; sarilumab's SC absorption used as the IgG "
        "SC analogue (no SC ka for this antibody in the table)"))


def scaled(params: BiologicParameters, weight_kg: float) -> BiologicParameters:
    """``params`` scaled to ``weight_kg``: CL, Q, Vmax x (WT/WTref)^b_CL; volumes x (WT/WTref)^b_V."""
    if not params.weight_scaled:
        return params
    ratio = weight_kg / params.reference_weight.value
    if ratio == 1.0:
        return params
    b_cl, b_v = params.cl_exponent.value, params.v_exponent.value

    def s(value: PkValue | None, b: float) -> PkValue | None:
        if value is None:
            return None
        return replace(value, value=value.value * ratio ** b, provenance=Derived(
            f"{value.value:.6g} {value.unit} x (WT/WTref)^{b:g}, WT {weight_kg:g} kg, WTref "
            f"{params.reference_weight.value:g} kg; from {value.provenance.describe()}"))

    return replace(params, clearance=s(params.clearance, b_cl),
                   intercompartmental_clearance=s(params.intercompartmental_clearance, b_cl),
                   vmax=s(params.vmax, b_cl), nonlinear_clearance=s(params.nonlinear_clearance, b_cl),
                   central_volume=s(params.central_volume, b_v), peripheral_volume=s(params.peripheral_volume, b_v))
