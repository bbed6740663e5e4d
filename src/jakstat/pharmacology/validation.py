"""Model vs published numbers: the tables behind ``docs/pharmacology_validation.md``.

:func:`pk_comparison` compares each drug's standard adult dose (70 kg) with the published values
in ``pk_small_molecules.csv`` and ``drug_properties.csv`` (:data:`PK_TARGETS`, each naming its row);
:func:`validation_markdown` renders that, the steady-state exposures, the pediatric comparisons and
the enzyme-to-cell calibration as Markdown (:mod:`~jakstat.pharmacology.validation_doc`); the
comparisons with published pediatric studies are :mod:`~jakstat.pharmacology.pediatric_validation`;
``write_validation_doc`` writes the page (a test checks that the page in ``docs/`` is what the code
produces).

A comparison is *asserted* (tested within 20%) when its row is ``verified=yes`` and the row's
population is the one the model represents; the others are reported with the reason they are not.
A published range passes when the prediction lies within [0.8 x low, 1.2 x high].
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from jakstat.data import table_row
from jakstat.pharmacology import _rows
from jakstat.pharmacology.analytic import terminal_half_life
from jakstat.pharmacology.pk_api import patient_parameters, single_dose_exposure, steady_state_exposure
from jakstat.pharmacology.pk_parameters import MODEL_CHOICES, PK_TABLE, PROPERTIES_TABLE, ROLES

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


# re-exported so that ``jakstat.pharmacology.validation`` stays the one entry point (imported last: both
# modules use the comparisons above)
from jakstat.pharmacology.pediatric_validation import (  # noqa: E402
    PEDIATRIC_EXPOSURE_MIN_N, PEDIATRIC_STUDY_WEIGHTS_KG, median_weight_kg, pediatric_exposure_rows,
    pediatric_study_rows)
from jakstat.pharmacology.validation_doc import validation_markdown, write_validation_doc  # noqa: E402
