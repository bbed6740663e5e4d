"""Pediatric PK against published pediatric studies (tables behind docs/pharmacology_validation.md).

:func:`pediatric_exposure_rows`: published steady-state Cmax/AUCtau of pediatric groups
(baricitinib, Decker 2024 Table 3; tofacitinib, the pcJIA phase 1 study) against the model for each
group; :func:`pediatric_study_rows`: a pediatric study that reports clearance and half-life without
weights (ruxolitinib in GVHD) against the model at several weights.
"""

from __future__ import annotations

import re

import numpy as np

from jakstat.pharmacology.analytic import terminal_half_life
from jakstat.pharmacology.pk_api import patient_parameters
from jakstat.pharmacology.pk_parameters import PK_TABLE, REFERENCE_WEIGHT_KG, STANDARD_EXPONENTS
from jakstat.pharmacology.validation import TOLERANCE, _formulation_giving, _ng_per_ml

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
    params = {w: patient_parameters("ruxolitinib", f"{w:g} kg") for w in PEDIATRIC_STUDY_WEIGHTS_KG}
    model = {w: (p, terminal_half_life(p)) for w, p in params.items()}
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
