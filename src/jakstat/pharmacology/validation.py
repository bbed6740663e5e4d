"""Model vs published numbers: the tables behind ``docs/pharmacology_validation.md``.

:func:`pk_comparison` compares each drug's standard adult dose (70 kg) with the published values
in ``pk_small_molecules.csv`` and ``drug_properties.csv`` (:data:`PK_TARGETS`, each naming its row);
:func:`validation_markdown` renders that, the steady-state exposures, the pediatric comparisons and
the enzyme-to-cell calibration as Markdown; ``write_validation_doc`` writes the page (a test checks
that the page in ``docs/`` is what the code produces).

A comparison is *asserted* (tested within 20%) when its row is ``verified=yes`` and the row's
population is the one the model represents; the others are reported with the reason they are not.
A published range passes when the prediction lies within [0.8 x low, 1.2 x high].
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jakstat.data import table_row
from jakstat.pharmacology import _rows
from jakstat.pharmacology.analytic import terminal_half_life
from jakstat.pharmacology.pk_api import patient_parameters, single_dose_exposure, steady_state_exposure
from jakstat.pharmacology.pk_parameters import (MODEL_CHOICES, PK_TABLE, PROPERTIES_TABLE, REFERENCE_WEIGHT_KG, ROLES,
                                                 STANDARD_EXPONENTS)

TOLERANCE = 0.20


def _half_life(drug: str) -> float:
    return terminal_half_life(patient_parameters(drug, "70 kg"))


def _ratio(drug: str, numerator: tuple[str, str], denominator: tuple[str, str], metric: str) -> float:
    def exposure(dose: str, regimen: str) -> float:
        formulation = "solution" if (regimen != "XR" and drug == "upadacitinib") else "tablet"
        return steady_state_exposure(drug, dose, regimen, formulation=formulation)[metric]

    return exposure(*numerator) / exposure(*denominator)


def _ng_per_ml(drug: str, dose: str, regimen: str, metric: str, weight: str = "70 kg",
               egfr: float | None = None, formulation: str = "tablet") -> float:
    """A steady-state exposure (``cmax_nM`` or ``auc_tau_nMh``) in ng/mL (or ng h/mL): nM x g/mol / 1000.

    Raises
    ------
    jakstat.errors.InvalidValueError
        If the formulation's strengths cannot give ``dose`` (a comparison at another dose is meaningless).
    """
    from jakstat.errors import InvalidValueError

    mw = patient_parameters(drug).molecular_weight.value
    exposure = steady_state_exposure(drug, dose, regimen, weight, egfr, formulation=formulation)
    if abs(exposure["dose_mg"] - exposure["requested_mg"]) > 1e-6:
        raise InvalidValueError(f"dose: {dose} of {drug} as {formulation} is given as {exposure['dose_mg']:g} mg "
                                "(strengths); compare at a dose the formulation can give")
    return exposure[metric] * mw / 1000.0


def _formulation_giving(drug: str, dose: str) -> str:
    """``tablet`` when whole tablets give ``dose`` exactly, else ``solution`` (pediatric studies use both)."""
    from jakstat.pharmacology.regimens import Regimen, dose_schedule

    tablets = dose_schedule(drug, Regimen("BID", dose), 70.0, 0.5)[0]
    return "tablet" if abs(tablets.mg - tablets.requested_mg) < 1e-6 else "solution"


@dataclass(frozen=True)
class PkTarget:
    """One published number and how the model predicts it.

    Attributes
    ----------
    drug, metric : str
        E.g. ``"tofacitinib"``, ``"t1/2 (h)"``.
    table : str
        ``pk_small_molecules`` or ``drug_properties``.
    match : tuple of (column, value)
        Identifies the row (:func:`jakstat.data.table_row`).
    scenario : str
        What is simulated.
    predict : callable
        Returns the model's value.
    not_asserted : str
        Why the comparison is reported but not tested ("" when it is tested).
    """

    drug: str
    metric: str
    table: str
    match: tuple[tuple[str, str], ...]
    scenario: str
    predict: Callable[[], float]
    not_asserted: str = ""

    def row(self) -> dict[str, str]:
        return table_row(self.table, **dict(self.match))


def _pk(drug: str, population: str, parameter: str) -> tuple[tuple[str, str], ...]:
    return (("drug", drug), ("population", population), ("parameter", parameter))


def _prop(drug: str, prop: str, condition: str) -> tuple[tuple[str, str], ...]:
    return (("drug", drug), ("property", prop), ("condition", condition))


PK_TARGETS: tuple[PkTarget, ...] = (
    PkTarget("ruxolitinib", "t1/2 (h)", PK_TABLE, _pk("ruxolitinib", "adult (label)", "t_half"),
             "terminal half-life, 70 kg", lambda: _half_life("ruxolitinib")),
    PkTarget("ruxolitinib", "Cmax (nM)", PROPERTIES_TABLE, _prop("ruxolitinib", "Cmax", "single oral dose 5 mg (adults)"),
             "single 5 mg dose, 70 kg", lambda: single_dose_exposure("ruxolitinib", "5 mg")["cmax_nM"]),
    PkTarget("ruxolitinib", "Cmax (nM)", PROPERTIES_TABLE,
             _prop("ruxolitinib", "Cmax", "single oral dose 200 mg (adults)"),
             "single 200 mg dose, 70 kg", lambda: single_dose_exposure("ruxolitinib", "200 mg")["cmax_nM"]),
    PkTarget("baricitinib", "t1/2 (h)", PK_TABLE, _pk("baricitinib", "adult RA (SmPC)", "t_half"),
             "terminal half-life, 70 kg, eGFR 93", lambda: _half_life("baricitinib")),
    PkTarget("baricitinib", "t1/2 (h)", PK_TABLE, _pk("baricitinib", "healthy Chinese adults", "t_half"),
             "terminal half-life, 70 kg, eGFR 93", lambda: _half_life("baricitinib"),
             "healthy young volunteers (higher renal clearance, 48 h sampling); the model represents patients"),
    PkTarget("baricitinib", "Cmax,ss (ng/mL)", PK_TABLE,
             _pk("baricitinib", "adult RA (Decker 2024 Table 3 reference, n=2393)", "Cmax_ss"),
             "4 mg QD at steady state, 70 kg, eGFR 93", lambda: _ng_per_ml("baricitinib", "4 mg", "QD", "cmax_nM")),
    PkTarget("baricitinib", "AUCtau,ss (ng h/mL)", PK_TABLE,
             _pk("baricitinib", "adult RA (Decker 2024 Table 3 reference, n=2393)", "AUCtau_ss"),
             "4 mg QD at steady state, 70 kg, eGFR 93", lambda: _ng_per_ml("baricitinib", "4 mg", "QD", "auc_tau_nMh")),
    PkTarget("tofacitinib", "t1/2 (h)", PK_TABLE, _pk("tofacitinib", "adult (label)", "t_half"),
             "terminal half-life, 70 kg (5 mg BID IR)", lambda: _half_life("tofacitinib")),
    PkTarget("tofacitinib", "t1/2 XR (h)", PK_TABLE, _pk("tofacitinib", "adult (label)", "t_half_XR"),
             "terminal half-life after 11 mg XR", lambda: _half_life("tofacitinib"),
             "XR is not the reference standard dose; the published 5.9 h is absorption-limited (flip-flop), "
             "which a Tmax-derived ka_XR faster than elimination cannot show"),
    PkTarget("tofacitinib", "Tmax IR (h)", PROPERTIES_TABLE,
             _prop("tofacitinib", "Tmax", "5 mg immediate-release BID (healthy volunteers)"),
             "steady state, 5 mg BID", lambda: steady_state_exposure("tofacitinib", "5 mg", "BID")["tmax_h"],
             "Tmax is not an acceptance metric; Xie 2019 has a lag time whose value is not in the table"),
    PkTarget("tofacitinib", "Cmax,ss XR/IR", PROPERTIES_TABLE,
             _prop("tofacitinib", "Cmax_ratio",
                   "steady state: 11 mg extended-release QD / 5 mg immediate-release BID (healthy volunteers)"),
             "Cmax,ss 11 mg XR QD / Cmax,ss 5 mg BID",
             lambda: _ratio("tofacitinib", ("11 mg", "XR"), ("5 mg", "BID"), "cmax_nM"),
             "a ratio read from 'equivalent' (values not seen)"),
    PkTarget("upadacitinib", "t1/2 (h)", PK_TABLE, _pk("upadacitinib", "adult (ER formulation)", "t_half_terminal"),
             "terminal half-life, 70 kg", lambda: _half_life("upadacitinib")),
    PkTarget("upadacitinib", "Cmax,ss ER/IR", PROPERTIES_TABLE,
             _prop("upadacitinib", "Cmax_ratio",
                   "steady state: 15 mg extended-release QD / 6 mg immediate-release BID (healthy volunteers)"),
             "Cmax,ss 15 mg XR QD / Cmax,ss 6 mg BID (solution)",
             lambda: _ratio("upadacitinib", ("15 mg", "XR"), ("6 mg", "BID"), "cmax_nM"),
             "a ratio read from 'comparable' (values not seen)"),
)
"""Published numbers the PK models are compared with (standard adult doses, 70 kg)."""

STANDARD_DOSES: dict[str, tuple[str, str]] = {
    "ruxolitinib": ("20 mg", "BID"), "baricitinib": ("4 mg", "QD"), "tofacitinib": ("5 mg", "BID"),
    "upadacitinib": ("15 mg", "XR"), "abrocitinib": ("100 mg", "QD"),
}
"""Standard adult dose of each modelled drug (from the ``dose_regimen`` rows of the PK table)."""


def compare(target: PkTarget) -> dict[str, object]:
    """Prediction vs the published value of one target, with relative error and pass/fail."""
    row = target.row()
    low, high = _rows.parse_range(row["value"])
    predicted = float(target.predict())
    if predicted < low:
        error = (predicted - low) / low
    elif predicted > high:
        error = (predicted - high) / high
    else:
        error = 0.0
    passed = low * (1 - TOLERANCE) <= predicted <= high * (1 + TOLERANCE)
    verified = row["verified"] == "yes"
    return {"drug": target.drug, "metric": target.metric, "scenario": target.scenario,
            "published": row["value"], "predicted": predicted, "relative_error": error, "within_20pct": passed,
            "source": row["source"], "table": f"{target.table}.csv", "verified": row["verified"],
            "asserted": verified and not target.not_asserted,
            "note": target.not_asserted if verified else "verified=no"}


def pk_comparison() -> list[dict[str, object]]:
    """:func:`compare` for every target of :data:`PK_TARGETS`."""
    return [compare(t) for t in PK_TARGETS]


def steady_state_rows() -> list[dict[str, object]]:
    """Steady-state exposure of each standard adult dose (70 kg) and AUC vs the closed form F x D / CL."""
    out = []
    for drug, (dose, regimen) in STANDARD_DOSES.items():
        params = patient_parameters(drug)
        e = steady_state_exposure(drug, dose, regimen)
        mg = float(dose.split()[0])
        f = params.bioavailability.value * (params.xr.relative_f.value if regimen == "XR" and params.xr else 1.0)
        closed = f * mg * 1e6 / params.molecular_weight.value / params.total_clearance
        out.append({"drug": drug, "dose": f"{dose} {regimen}", **e, "auc_closed_form_nMh": closed,
                    "auc_relative_error": e["auc_tau_nMh"] / closed - 1.0, "fu": params.fu.value})
    return out


PEDIATRIC_CASES: tuple[tuple[str, str, str, str, tuple[str, str], str], ...] = (
    ("baricitinib", "2 mg", "QD", "12 kg", ("4 mg", "QD"), "weight band 10-<30 kg: 2 mg QD"),
    ("baricitinib", "2 mg", "QD", "25 kg", ("4 mg", "QD"), "weight band 10-<30 kg: 2 mg QD"),
    ("baricitinib", "4 mg", "QD", "35 kg", ("4 mg", "QD"), "weight band >=30 kg: 4 mg QD"),
    ("baricitinib", "4 mg", "QD", "55 kg", ("4 mg", "QD"), "weight band >=30 kg: 4 mg QD"),
    ("ruxolitinib", "5 mg", "BID", "25 kg", ("10 mg", "BID"), "REACH4 6-<12 y: 5 mg BID"),
    ("ruxolitinib", "10 mg", "BID", "50 kg", ("10 mg", "BID"), "REACH4 >=12 y: 10 mg BID (adult exposure target)"),
)
"""Pediatric doses compared with the adult reference dose (drug, dose, regimen, weight, adult dose, basis)."""


def pediatric_rows() -> list[dict[str, object]]:
    """Daily AUC and Cmax at steady state of pediatric doses relative to the adult reference dose (70 kg).

    Published basis: baricitinib weight bands chosen to match the adult 4 mg exposure (Decker 2024,
    ``drug_properties.csv`` ``pediatric_exposure_ratio``); ruxolitinib REACH4 dosing (the >=12 y dose
    targets adult exposure; ``pk_small_molecules.csv`` pediatric aGVHD row).
    """
    target = table_row(PROPERTIES_TABLE, drug="baricitinib", property="pediatric_exposure_ratio")
    out = []
    for drug, dose, regimen, weight, (adult_dose, adult_regimen), basis in PEDIATRIC_CASES:
        child = steady_state_exposure(drug, dose, regimen, weight)
        adult = steady_state_exposure(drug, adult_dose, adult_regimen, "70 kg")
        ratio = (child["auc_tau_nMh"] / child["tau_h"]) / (adult["auc_tau_nMh"] / adult["tau_h"])
        published = (f"{target['value']} ({target['source']}, verified={target['verified']})" if drug == "baricitinib"
                     else "1 for >=12 y (REACH4, pk_small_molecules.csv pediatric aGVHD row notes); none for 6-<12 y")
        out.append({"drug": drug, "child": f"{weight}, {dose} {regimen}", "adult": f"70 kg, {adult_dose} {adult_regimen}",
                    "auc24_ratio": ratio, "cmax_ratio": child["cmax_nM"] / adult["cmax_nM"], "basis": basis,
                    "published": published, "method": patient_parameters(drug, weight).pediatric_method})
    return out


PEDIATRIC_EXPOSURE_MIN_N = 20
"""Pediatric groups with fewer patients are shown but not asserted (their post-hoc means are imprecise)."""
_GROUP = re.compile(r"steady state, (?P<dose>\d+(?:\.\d+)?) mg (?P<regimen>QD|BID); mean weight (?P<weight>\d+(?:\.\d+)?) kg; "
                    r"mean eGFR (?P<egfr>\d+(?:\.\d+)?)")
_AGE_BAND = re.compile(r"steady state \(day \d+ of (?P<regimen>QD|BID) dosing\), median dose (?P<dose>\d+(?:\.\d+)?) mg "
                       r"(?:QD|BID); age (?P<lo>\d+)-<(?P<hi>\d+) y; weights not reported")
_N = re.compile(r"n=(\d+)")


def median_weight_kg(age_years: float) -> float:
    """CDC 2000 median weight (kg) at ``age_years``, boys and girls averaged (``growth_cdc2000_lms.csv``)."""
    from jakstat.studies.growth import SEXES, measurement

    return float(np.mean([np.ravel(measurement("weight", sex, 12.0 * age_years, 0.0))[0] for sex in SEXES]))


def _pediatric_scenario(context: str) -> tuple[str, str, float, float | None, str] | None:
    """(dose, regimen, weight kg, eGFR or None, how the weight was chosen) of a pediatric exposure row."""
    group = _GROUP.match(context)
    if group is not None:
        return (f"{group['dose']} mg", group["regimen"], float(group["weight"]), float(group["egfr"]),
                "the group's mean weight and eGFR")
    band = _AGE_BAND.match(context)
    if band is not None:
        age = (float(band["lo"]) + float(band["hi"])) / 2.0
        return (f"{band['dose']} mg", band["regimen"], round(median_weight_kg(age), 1), None,
                f"weight assumed: CDC 2000 median at {age:g} y (mid-band; the study reports none)")
    return None


def pediatric_exposure_rows() -> list[dict[str, object]]:
    """Published steady-state Cmax and AUCtau of pediatric groups vs the model for the group.

    Rows of ``pk_small_molecules.csv`` whose ``model_context`` gives the dose and either the group's
    mean weight and eGFR (baricitinib, Decker 2024 Table 3 with Table 1 covariates) or its age band
    (tofacitinib phase 1 in pcJIA; the weight is then the CDC median at mid-band, Assumed). The model is
    the typical patient, so it ignores the spread of weights within a group; a group is asserted when
    it has at least :data:`PEDIATRIC_EXPOSURE_MIN_N` patients and its weight was reported.
    """
    from jakstat.data import load_table

    table = load_table(PK_TABLE)
    out = []
    for row in table[table.parameter.isin(["Cmax_ss", "AUCtau_ss"])].to_dict(orient="records"):
        scenario = _pediatric_scenario(str(row["model_context"]))
        if scenario is None:
            continue
        dose, regimen, weight, egfr, how = scenario
        metric = "cmax_nM" if row["parameter"] == "Cmax_ss" else "auc_tau_nMh"
        formulation = _formulation_giving(row["drug"], dose)
        predicted = _ng_per_ml(row["drug"], dose, regimen, metric, f"{weight:g} kg", egfr, formulation)
        n = int(_N.search(row["population"]).group(1))
        published = float(row["value"])
        weight_known = egfr is not None
        out.append({"drug": row["drug"], "group": row["population"], "parameter": row["parameter"], "unit": row["unit"],
                    "scenario": f"{dose} {regimen} ({formulation}), {weight:g} kg"
                                + (f", eGFR {egfr:g}" if egfr is not None else ""),
                    "n": n, "published": published, "predicted": predicted, "relative_error": predicted / published - 1,
                    "within_20pct": abs(predicted / published - 1) <= TOLERANCE,
                    "asserted": weight_known and n >= PEDIATRIC_EXPOSURE_MIN_N and row["verified"] == "yes",
                    "note": "; ".join(x for x in (how if not weight_known else "", row["notes"]) if x)})
    return out


PEDIATRIC_STUDY_WEIGHTS_KG = (10.0, 20.0, 30.0, 50.0)
"""Weights at which the model is shown against a pediatric study whose weights are not reported."""


def pediatric_study_rows() -> list[dict[str, object]]:
    """Published pediatric PK (``pk_small_molecules.csv`` rows of a pediatric study) vs the model at several weights.

    Ruxolitinib in children with GVHD (NCT05121142): CL/F and t1/2, overall and by age; the abstract
    gives no weights, so the model is shown at :data:`PEDIATRIC_STUDY_WEIGHTS_KG`, with the weight at
    which its CL/F equals the published mean (allometric CL ~ WT^0.75: the weight that would reconcile them).
    """
    from jakstat.data import load_table

    table = load_table(PK_TABLE)
    rows = table[(table.drug == "ruxolitinib") & table.population.str.startswith("pediatric GVHD")
                 & table.parameter.isin(["CL/F", "t_half"])]
    model = {w: (patient_parameters("ruxolitinib", f"{w:g} kg"),
                 steady_state_exposure("ruxolitinib", "5 mg", "BID", f"{w:g} kg")["half_life_h"])
             for w in PEDIATRIC_STUDY_WEIGHTS_KG}
    adult = patient_parameters("ruxolitinib")
    out = []
    for row in rows.to_dict(orient="records"):
        value = float(row["value"])
        if row["parameter"] == "CL/F":
            at = {w: p.total_clearance for w, (p, _) in model.items()}
            exponent = STANDARD_EXPONENTS[0]  # ruxolitinib has no published pediatric model: standard allometry
            matching = REFERENCE_WEIGHT_KG * (value / adult.total_clearance) ** (1.0 / exponent)
        else:
            at = {w: t for w, (_, t) in model.items()}
            matching = float("nan")
        out.append({"population": row["population"], "parameter": row["parameter"], "unit": row["unit"],
                    "published": value, "variability": row["variability"], "model": at, "matching_weight_kg": matching,
                    "verified": row["verified"]})
    return out


def other_sources() -> list[dict[str, str]]:
    """PK rows of other sources than the chosen model (listed in the docs, not used)."""
    from jakstat.data import load_table

    names = {n for names in ROLES.values() for n in names} | {"CL_IV", "CL_renal", "Vss_IV", "V_IV"}
    out = []
    for row in load_table(PK_TABLE).to_dict(orient="records"):
        choice = MODEL_CHOICES.get(row["drug"])
        if row["parameter"] in names and (choice is None or choice.source not in row["source"]):
            out.append({k: row[k] for k in ("drug", "population", "parameter", "value", "unit", "source", "verified")})
    return out


def _f(x: float, digits: int = 3) -> str:
    return np.format_float_positional(float(x), precision=digits, unique=False, fractional=False, trim="-")


def validation_markdown() -> str:
    """The full ``docs/pharmacology_validation.md`` page."""
    from jakstat.pharmacology.calibration import stored_record

    lines = [
        "# Pharmacology validation",
        "",
        "Generated by `jakstat.pharmacology.validation.write_validation_doc()`; "
        "`tests/pharmacology/test_pk_published.py` checks that this page is what the code produces and asserts "
        "the rows marked *asserted* within 20%.",
        "",
        "## Models used (one published model per drug)",
        "",
        "| drug | source rows | why | children |",
        "|---|---|---|---|",
    ]
    for drug, choice in MODEL_CHOICES.items():
        params = patient_parameters(drug)
        lines.append(f"| {drug} | `{choice.source}` | {choice.reason} | {params.pediatric_method} |")
    lines += ["", "Filgotinib and deucravacitinib have no clearance or volume in `pk_small_molecules.csv` "
              "and get no PK model (their inhibition of JAKs can still be computed from a concentration).", "",
              "## Standard adult doses against published values (70 kg)", "",
              "| drug | metric | scenario | published | predicted | rel. error | within 20% | asserted | source (table, verified) | note |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in pk_comparison():
        lines.append(f"| {r['drug']} | {r['metric']} | {r['scenario']} | {r['published']} | {_f(r['predicted'])} | "
                     f"{100 * r['relative_error']:+.1f}% | {'yes' if r['within_20pct'] else 'no'} | "
                     f"{'yes' if r['asserted'] else 'no'} | {r['source']} ({r['table']}, {r['verified']}) | {r['note']} |")
    lines += ["", "No verified Cmax or AUC of a standard adult dose is in the tables for tofacitinib, upadacitinib or "
              "abrocitinib (their labels' PK sections and popPK exposure tables were not reachable from the search "
              "corpora; Xie 2019 and Klunder 2017 print only exposure ratios); the table below gives the model's "
              "values and checks the engine's steady-state AUC against the popPK closed form F x dose / CL.", "",
              "## Steady state of the standard adult doses (model, 70 kg)", "",
              "| drug | dose | Cmax,ss (nM) | Cmin,ss (nM) | Tmax (h) | AUC_tau (nM h) | F x D / CL (nM h) | AUC error | t1/2 (h) | fu |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    for r in steady_state_rows():
        lines.append(f"| {r['drug']} | {r['dose']} | {_f(r['cmax_nM'])} | {_f(r['cmin_nM'])} | {_f(r['tmax_h'])} | "
                     f"{_f(r['auc_tau_nMh'], 5)} | {_f(r['auc_closed_form_nMh'], 5)} | {100 * r['auc_relative_error']:+.3f}% | "
                     f"{_f(r['half_life_h'])} | {_f(r['fu'])} |")
    lines += ["", "## Children: exposure relative to the adult dose", "",
              "The published pediatric dosing was chosen to match adult exposure, so the model's daily AUC relative "
              "to the adult reference dose (both eGFR 93) is compared with 1. Not asserted: the published statements "
              "are qualitative ('matched'). Published pediatric exposures and clearances follow in the next two "
              "sections.", "",
              "| drug | child | adult reference | AUC24 ratio | Cmax ratio | dosing basis | published ratio | scaling |",
              "|---|---|---|---|---|---|---|---|"]
    for r in pediatric_rows():
        lines.append(f"| {r['drug']} | {r['child']} | {r['adult']} | {_f(r['auc24_ratio'])} | {_f(r['cmax_ratio'])} | "
                     f"{r['basis']} | {r['published']} | {r['method']} |")
    lines += ["", "### Children: published steady-state exposures", "",
              "Baricitinib: each JIA age or weight group of Decker 2024 Table 3 at the dose it received, against the "
              "model at the group's mean weight and eGFR (Table 1); asserted within 20% where the group has at least "
              f"{PEDIATRIC_EXPOSURE_MIN_N} patients. Tofacitinib: the pcJIA phase 1 cohorts at their median dose; no "
              "weights are reported, so the model child has the CDC median weight at mid-band (assumed; not asserted).",
              "", "| drug | group | metric | scenario | published | predicted | rel. error | within 20% | asserted | note |",
              "|---|---|---|---|---|---|---|---|---|---|"]
    exposure_rows = pediatric_exposure_rows()
    for r in exposure_rows:
        lines.append(f"| {r['drug']} | {r['group']} | {r['parameter']} ({r['unit']}) | {r['scenario']} | {_f(r['published'])} | "
                     f"{_f(r['predicted'])} | {100 * r['relative_error']:+.1f}% | {'yes' if r['within_20pct'] else 'no'} | "
                     f"{'yes' if r['asserted'] else 'no'} | {r['note']} |")
    tofa = [r for r in exposure_rows if r["drug"] == "tofacitinib" and r["parameter"] == "AUCtau_ss"]
    lines += ["", "For baricitinib the model is the published Decker model, so this checks the transcription and the "
              "typical-patient approximation rather than the model's structure; its AUC runs above the post-hoc "
              "means, most in the smallest children, as nlmixr2lib's reproduction of the same model also found "
              "(the final model fixes the allometric exponent at 0.75; the paper's estimated-exponent sensitivity "
              "analysis gave 0.48)."]
    if tofa:
        ratios = ", ".join(f"{r['group'].split(' (')[0].replace('pediatric pcJIA ', '')} {r['predicted'] / r['published']:.1f}x"
                           for r in tofa)
        clearances = ", ".join(f"{1000 * float(r['scenario'].split(' mg')[0]) / r['published']:.0f}" for r in tofa)
        adult_cl = patient_parameters("tofacitinib").total_clearance
        lines += ["", "**Tofacitinib in children is over-exposed by the model** (AUC " + ratios + "). The cohorts' "
                  f"apparent clearances (median dose / geometric-mean AUC, an approximation: {clearances} L/h) are at "
                  f"or above the adult model's {_f(adult_cl)} L/h (Xie 2019, PsA; the UC and AS popPK give 26.3 and "
                  "27.1 L/h). In adolescents the gap is mostly the adult clearance chosen; in younger children "
                  "allometric scaling of it (CL ~ WT^0.75) adds the rest, since their clearance hardly falls with "
                  "weight. No pediatric tofacitinib popPK is in the tables; until one is, pediatric tofacitinib "
                  "exposure (and the JDM rows that use it) is overstated."]
    weights = ", ".join(f"{w:g} kg" for w in PEDIATRIC_STUDY_WEIGHTS_KG)
    lines += ["", "### Ruxolitinib in children with GVHD (published study)", "",
              "13 children 0-18 y (NCT05121142; abstract in pk_small_molecules.csv), noncompartmental. The abstract "
              "gives no weights, so the model (allometric scaling of the adult label model) is shown at "
              f"{weights}, with the weight at which the model's CL/F equals the published mean. Tested loosely (the "
              "weights are unknown): that weight must be a plausible cohort mean (12-40 kg, an assumed range for "
              "0-18 y) and the half-life at 20 kg within 25%.", "",
              f"| population | parameter | published | variability | model at {weights} | weight matching the mean |",
              "|---|---|---|---|---|---|"]
    study = pediatric_study_rows()
    for r in study:
        model = ", ".join(_f(v) for v in r["model"].values())
        matching = "" if r["matching_weight_kg"] != r["matching_weight_kg"] else f"{_f(r['matching_weight_kg'])} kg"
        lines.append(f"| {r['population']} | {r['parameter']} ({r['unit']}) | {_f(r['published'])} | {r['variability']} | "
                     f"{model} | {matching} |")
    overall_cl = next(r for r in study if r["parameter"] == "CL/F" and "0-18" in r["population"])
    overall_t = next(r for r in study if r["parameter"] == "t_half")
    infants = next(r for r in study if r["parameter"] == "CL/F" and "<2" in r["population"])
    lightest = PEDIATRIC_STUDY_WEIGHTS_KG[0]
    lines += ["", f"The model's clearance equals the study's mean at {_f(overall_cl['matching_weight_kg'], 2)} kg, a "
              "plausible mean weight for a 0-18 y cohort; its half-life there is shorter (t1/2 "
              f"{_f(overall_t['model'][20.0], 2)} h at 20 kg against {_f(overall_t['published'])} h). It cannot reproduce "
              f"the study's higher clearance under 2 years ({_f(infants['published'])} L/h; the model gives "
              f"{_f(infants['model'][lightest], 2)} L/h at {lightest:g} kg): allometric scaling makes the smallest "
              "children clear the least in absolute terms. The authors attribute the low exposure under 10 kg to "
              "clearance or to dosing and absorption; the model has no maturation or formulation term.",
              "", "## Sources not used for the model (kept for comparison)", "",
              "| drug | population | parameter | value | unit | source | verified |", "|---|---|---|---|---|---|---|"]
    for r in other_sources():
        lines.append("| " + " | ".join(r[k] for k in ("drug", "population", "parameter", "value", "unit", "source",
                                                       "verified")) + " |")
    record = stored_record()
    if record is not None:
        lines += _calibration_lines(record)
    return "\n".join(lines) + "\n"


def _calibration_lines(record: dict) -> list[str]:
    """The enzyme-to-cell calibration section: factors, predicted vs observed, out-of-scope rows, cross-check."""
    shifts = ", ".join(f"{d} {_f(s, 4)}" for d, s in record["shifts"].items())
    summary = record["summary"]
    lines = ["", f"## Enzyme-to-cell shift: calibration `{record['name']}` ({record['date']})", "",
             f"Factors s (whole blood): {shifts}; pooled factor {_f(float(record['pooled_shift']), 4)} for drugs without "
             f"a fit row. Fitted on: {record['fit_subset']}. Method: {record['method']}.", "",
             f"**Held-out rows within 3-fold: {summary['validation_within_3_fold']} of {summary['validation_rows']}** "
             f"(in-scope rows the fit did not use; {summary['out_of_scope_rows']} rows of the table are out of scope, "
             "listed below with the reason). Predicted = total blood concentration at which the receptor with the "
             "row's JAKs keeps the signalling capacity that halves the model's pSTAT readout in its whole-blood assay "
             f"({_protocol_text(record)}; capacities: {_capacity_text(record)}); rows that name no cytokine or "
             "readout with the calibration readout's capacity (IL-6/pSTAT3). Plasma fu for whole blood and unstated "
             "matrices.", "",
             "| role | drug | stimulus | readout | model readout (capacity) | matrix | observed (nM) | predicted (nM) | s | "
             "fold error | within 3-fold | direction | row |", "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for a in record["assessment"]:
        predicted = ", ".join(_f(p) for p in a["predicted_nM"])
        fold = "bound" if a["fold_error"] is None else _f(a["fold_error"])
        model = "; ".join(f"{m} ({_f(c, 3)})" for m, c in zip(a.get("model_readout", []), a.get("capacity", [])))
        lines.append(f"| {a['role']} | {a['drug']} | {a['cytokine']} | {a['readout']} | {model} | {a['matrix']} | "
                     f"{a['observed_nM']} | {predicted} | {_f(a['shift'], 4)} | {fold} | "
                     f"{'yes' if a['within_3_fold'] else 'no'} | {a['direction']} | {a['key']} |")
    misses = [a for a in record["assessment"] if a["role"] == "validation" and not a["within_3_fold"]]
    shifts_v = list(record["shifts"].values())
    lines += ["", "Misses: " + ("; ".join(f"{a['drug']} {a['cytokine']} ({_f(a['fold_error'])}-fold, {a['direction']})"
                                          for a in misses) or "none") + ".", "",
              "Why: the misses are the tofacitinib label rows whose JAK combination includes JAK2 (JAK1/JAK2 and "
              "JAK2/JAK2; the label names no cytokine or readout, so they are predicted with the calibration "
              "readout's capacity), while its JAK1/JAK3 label row and its IL-7 (JAK1/JAK3) row are close. Their "
              "numbers also disagree with the fit row: the label's JAK1/JAK2 IC50 (406 nM) is 3.4x Mohamed 2020's "
              "IL-6/pSTAT3 EC50 (119 nM), although IL-6 signals through JAK1, JAK2 and TYK2: a receptor that needs "
              "JAK1, JAK2 and TYK2 free is blocked at least as much as one that needs JAK1 and JAK2, and for "
              "tofacitinib, whose weakest JAK is TYK2, hardly more, so no enzyme panel in the table reproduces a "
              "3.4x gap. The verified tofacitinib panel (ATP not "
              "stated) makes JAK2 almost as sensitive as JAK1 (its unverified 1 mM-ATP panel is about 5x weaker on "
              "JAK2 relative to JAK1); inhibitors compete with millimolar ATP in cells and "
              "the tables hold no Km,ATP per JAK (none was found in the reachable literature), so the model cannot "
              "apply Cheng-Prusoff per kinase, and one factor per drug cannot make one JAK relatively weaker. "
              "Ruxolitinib's TPO row (JAK2 only; no modelled blood cell carries the TPO receptor, so its readout key "
              "says 'pathway'; like every readout it is simulated on its pathway network) "
              "is within 3-fold but too weak: the receptor table makes IL-6 signalling need JAK1, JAK2 and TYK2 "
              "free, so at balanced JAK1/JAK2 potency IL-6 is more sensitive than a one-JAK receptor, while the "
              "two published 281 nM values (IL-6 in Quintas-Cardama 2010, TPO in Gong 2021) are equal. "
              "Baricitinib's row is an upper bound checked with the pooled factor, whose leave-one-drug-out error "
              "is below.", "",
              "### Pooled factor, leave-one-drug-out", "",
              "One factor for all drugs, fitted without the drug, predicting the drug's fit row. This is what "
              "baricitinib (and every drug without a fit row) relies on, and why the factor is per drug: the "
              "drugs' enzyme panels were measured at different (often unstated) ATP, so their enzyme-to-cell "
              f"shifts differ by {_f(max(shifts_v) / min(shifts_v))}x.", "",
              "| drug | pooled s without the drug | own s | observed (nM) | predicted (nM) | fold error | within 3-fold |",
              "|---|---|---|---|---|---|---|"]
    for c in record["pooled_cross_check"]:
        lines.append(f"| {c['drug']} | {_f(c['pooled_shift_without_drug'], 4)} | {_f(c['own_shift'], 4)} | "
                     f"{c['observed_nM']} | {', '.join(_f(p) for p in c['predicted_nM'])} | {_f(c['fold_error'])} | "
                     f"{'yes' if c['within_3_fold'] else 'no'} |")
    if record.get("assumptions"):
        lines += ["", "### Assumptions", ""] + [f"- {a}" for a in record["assumptions"]]
    if record.get("protocol_sensitivity"):
        lines += ["", "### Sensitivity to the assumed stimulation protocol", "",
                  "The calibration redone with the readout capacities simulated under other protocols (the rows do "
                  "not give theirs). The factors scale with the capacity that halves the IL-6 readout; drug effects "
                  "in every network under PK scale with the factors.", "",
                  "| cytokine (nM) | minutes | IL-6/pSTAT3 capacity | " + " | ".join(f"s {d}" for d in record["shifts"])
                  + " | pooled s | held-out within 3-fold |", "|---|---|---|" + "---|" * (len(record["shifts"]) + 2)]
        for x in record["protocol_sensitivity"]:
            lines.append(f"| {_f(x['stimulus_nM'])} | {_f(x['stimulation_min'])} | {_f(x['capacity_IL-6'])} | "
                         + " | ".join(_f(x["shifts"][d], 4) for d in record["shifts"])
                         + f" | {_f(x['pooled_shift'], 4)} | {x['validation_within_3_fold']} of {x['validation_rows']} |")
    lines += ["", "### Rows out of scope (kept in the table, not predicted)", "",
              "| drug | readout | matrix | observed | reason | row |", "|---|---|---|---|---|---|"]
    for o in record["out_of_scope"]:
        lines.append(f"| {o['drug']} | {o['readout']} | {o['matrix']} | {o['observed']} | {o['reason']} | {o['key']} |")
    return lines


def _protocol_text(record: dict) -> str:
    protocol = record.get("protocol", {})
    return (f"{_f(protocol.get('stimulus_nM', float('nan')))} nM cytokine for "
            f"{_f(protocol.get('stimulation_min', float('nan')))} min, cells looked up in "
            f"{', '.join(protocol.get('cells', []))} (assumed: the rows state neither)")


def _capacity_text(record: dict) -> str:
    return ", ".join(f"{k} {_f(v, 4)}" for k, v in record.get("readout_capacities", {}).items()) or "none"


def write_validation_doc(path: str | Path) -> str:
    """Write :func:`validation_markdown` to ``path`` and return the text."""
    text = validation_markdown()
    Path(path).write_text(text, encoding="utf-8")
    return text
