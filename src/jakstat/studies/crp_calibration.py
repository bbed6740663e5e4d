"""Calibration ``crp_healthy_serum``: the hepatocyte's IL-6 gain and the scale of CRP output.

Three parameters of ``il6_crp_serum`` against three steady states (``serum_crp_targets.csv``):

- ``CRP_HEALTHY_MEDIAN``: free serum IL-6 5.186 pg/mL (healthy adults, ``cell_types.csv``) -> CRP 0.8 mg/L;
- ``RA_IL6_CRP_PAIR``: IL-6 65.16 pg/mL (active RA, cohort mean) -> CRP 51.67 mg/L;
- ``TCZ_TROUGH_1MG_L``: tocilizumab held at 1 mg/L brings a CRP of 37.7 mg/L down to 10 mg/L (the
  table says 1 mg/L is *sufficient* to normalise CRP; the model is fitted to the edge of that claim).

With free serum IL-6 clamped, the untreated steady state does not depend on the IL-6R-independent
clearance ``k_IL6_other``, and CRP is proportional to ``k_CRP_secretion`` (nothing feeds back from plasma
CRP). So, in turn: ``f_dephos`` is the root of $\\ln[\\mathrm{CRP}(65.16)/\\mathrm{CRP}(5.186)] =
\\ln(51.67/0.8)$ (Brent's method on $\\ln f$ in a stated bracket); ``k_CRP_secretion`` = 0.8 mg/L over the
healthy CRP at unit secretion; ``k_IL6_other`` is the root (Brent, on its log) of CRP = 10 mg/L at
1 mg/L tocilizumab. The last one sets how much of IL-6's clearance is IL-6R-mediated, which is what
makes tocilizumab raise serum IL-6 (Nishimoto 2008) and what that rise takes back from the blockade.
Exact fit of three numbers by three parameters: nothing is held out here; the held-out rows
(``TCZ_IL6_RISE``, ``TCZ_CRP_NORMAL``, ``IL6_HEPATIC_UPTAKE``, ``JAKI_CRP_DOWN``) are
tests/validation/test_serum_crp.py.

Run ``python -m jakstat.studies.crp_calibration`` to recompute and store the record.
"""

from __future__ import annotations

import datetime as _dt
import math

from jakstat.data import table_row
from jakstat.data.calibration_records import write_calibration_record
from jakstat.errors import InvalidValueError
from jakstat.experiments.serum_model import (CALIBRATION, CRP_SPECIES, DEFINITION, HEALTHY_IL6_PG_ML, crp_mg_l_per_nm,
                                             il6_for_crp, species_value, steady_crp_mg_l, treated_steady_state)

HEALTHY_CRP_MG_L = 0.8
RA_IL6_PG_ML = 65.16
RA_CRP_MG_L = 51.67
TCZ_MG_L, TCZ_BASELINE_CRP_MG_L, TCZ_TARGET_CRP_MG_L = 1.0, 37.7, 10.0
K_OTHER_BRACKET = (1e-5, 1.0)
"""Bracket of ``k_IL6_other``, 1/s (IL-6R-independent half-life from 19 h down to 0.7 s)."""
F_BRACKET = (1.0, 100.0)
"""Bracket of ``f_dephos``: at 1 (Singh's constants) the liver is saturated (CRP ratio 1.13), at 100 the
response is near-quadratic (ratio 159); the ratio crosses 64.6 once between them."""


def _check_targets() -> None:
    """The target numbers above are the table's (so a changed row cannot silently disagree)."""
    trough = table_row("serum_crp_targets", finding_id="TCZ_TROUGH_1MG_L")
    healthy = table_row("serum_crp_targets", finding_id="CRP_HEALTHY_MEDIAN")
    ra = table_row("serum_crp_targets", finding_id="RA_IL6_CRP_PAIR")
    checks = {"TCZ_TROUGH_1MG_L": float(trough["value"]) == TCZ_MG_L and f"{TCZ_BASELINE_CRP_MG_L:g}" in trough["condition"],
              "CRP_HEALTHY_MEDIAN": float(healthy["value"]) == HEALTHY_CRP_MG_L,
              "RA_IL6_CRP_PAIR": f"IL-6 {RA_IL6_PG_ML:g}" in ra["value"] and f"CRP {RA_CRP_MG_L:g}" in ra["value"]}
    stale = [name for name, ok in checks.items() if not ok]
    if stale:
        raise InvalidValueError(f"serum_crp_targets.csv rows {', '.join(stale)} no longer hold the numbers "
                                "jakstat.studies.crp_calibration fits; update the module's constants")


def tocilizumab_kd_nm() -> float:
    """Tocilizumab's Kd for IL-6R (nM) chosen from ``biologic_pk_binding.csv`` (the calibration's default)."""
    from jakstat.pharmacology.biologic_parameters import biologic_parameters

    return biologic_parameters("tocilizumab").potency.value


def tocilizumab_free_fraction(mg_per_l: float, kd_nm: float | None = None) -> float:
    """Fraction of IL-6R free at a tocilizumab plasma level (mg/L): Kd/(Kd + C); mass from the tables, Kd (nM)
    from the tables unless ``kd_nm`` is given."""
    from jakstat.pharmacology.biologic_parameters import biologic_parameters

    params = biologic_parameters("tocilizumab")
    kd = params.potency.value if kd_nm is None else float(kd_nm)
    if not (math.isfinite(kd) and kd > 0):
        raise InvalidValueError(f"kd_nm: tocilizumab's Kd for IL-6R must be a finite number > 0 nM, got {kd_nm!r}")
    c_nm = mg_per_l * 1e-3 / params.molecular_weight.value * 1e9
    return kd / (kd + c_nm)


def calibrate(kd_nm: float | None = None) -> dict:
    """Fit ``f_dephos``, ``k_CRP_secretion`` and ``k_IL6_other``; return the calibration record (not written).

    ``kd_nm``: tocilizumab's Kd for IL-6R (nM) in the ``TCZ_TROUGH_1MG_L`` fit; default the table's. Only
    ``k_IL6_other`` depends on it (the other two are fitted on untreated steady states). A record fitted at
    another Kd is for sensitivity studies (:mod:`jakstat.studies.crp_kd_sensitivity`), not for storing.
    """
    from scipy.optimize import brentq

    _check_targets()
    kd = tocilizumab_kd_nm() if kd_nm is None else float(kd_nm)
    goal = math.log(RA_CRP_MG_L / HEALTHY_CRP_MG_L)
    evaluations: list[dict] = []

    def ratio_error(log_f: float) -> float:
        values = {"f_dephos": math.exp(log_f), "k_CRP_secretion": 1.0, "k_IL6_other": 1e-3}
        low, high = steady_crp_mg_l(HEALTHY_IL6_PG_ML, values), steady_crp_mg_l(RA_IL6_PG_ML, values)
        evaluations.append({"f_dephos": values["f_dephos"], "crp_ratio": high / low})
        return math.log(high / low) - goal

    log_f = brentq(ratio_error, math.log(F_BRACKET[0]), math.log(F_BRACKET[1]), xtol=1e-8)
    f = math.exp(log_f)
    unit_crp = steady_crp_mg_l(HEALTHY_IL6_PG_ML, {"f_dephos": f, "k_CRP_secretion": 1.0, "k_IL6_other": 1e-3})
    k_sec = HEALTHY_CRP_MG_L / unit_crp
    values = {"f_dephos": f, "k_CRP_secretion": k_sec, "k_IL6_other": 1e-3}
    il6_tcz = il6_for_crp(TCZ_BASELINE_CRP_MG_L, values)
    free = tocilizumab_free_fraction(TCZ_MG_L, kd)

    def tcz_error(log_k: float) -> float:
        trial = {**values, "k_IL6_other": math.exp(log_k)}
        crp = species_value(treated_steady_state(il6_tcz, free, trial), CRP_SPECIES) * crp_mg_l_per_nm()
        evaluations.append({"k_IL6_other": trial["k_IL6_other"], "crp_on_tcz_mg_l": crp})
        return math.log(crp / TCZ_TARGET_CRP_MG_L)

    try:
        log_k = brentq(tcz_error, *(math.log(b) for b in K_OTHER_BRACKET), xtol=1e-8)
    except ValueError:  # same sign at both ends of the bracket
        ends = [e["crp_on_tcz_mg_l"] for e in evaluations[-2:]]
        raise InvalidValueError(
            f"kd_nm: at a tocilizumab Kd of {kd:g} nM no k_IL6_other in {K_OTHER_BRACKET} 1/s meets TCZ_TROUGH_1MG_L "
            f"(CRP {TCZ_TARGET_CRP_MG_L:g} mg/L at {TCZ_MG_L:g} mg/L): CRP there is {min(ends):.3g}-{max(ends):.3g} "
            f"mg/L ({100 * free:.1f}% of IL-6R free)") from None
    values["k_IL6_other"] = math.exp(log_k)
    return {
        "name": CALIBRATION,
        "date": _dt.date.today().isoformat(),
        "method": "two untreated steady states, two parameters: f_dephos by Brent's method on ln f (bracket "
                  f"{F_BRACKET}) for the CRP ratio, then k_CRP_secretion in closed form (CRP is linear in it)",
        "readout": "untreated steady-state serum CRP (mg/L, 115 kDa) at a clamped free serum IL-6 (pg/mL, 21 kDa)",
        "targets_fitted": ["serum_crp_targets.csv CRP_HEALTHY_MEDIAN at cell_types.csv healthy serum IL-6 5.186 pg/mL",
                           "serum_crp_targets.csv RA_IL6_CRP_PAIR",
                           "serum_crp_targets.csv TCZ_TROUGH_1MG_L (CRP 37.7 -> 10 mg/L at 1 mg/L)"],
        "targets_held_out": ["serum_crp_targets.csv TCZ_IL6_RISE", "TCZ_CRP_NORMAL",
                             "IL6_HEPATIC_UPTAKE", "JAKI_CRP_DOWN (tests/validation/test_serum_crp.py)"],
        "parameters": {
            "f_dephos": {"value": f, "unit": "dimensionless", "network": DEFINITION,
                         "bracket": list(F_BRACKET)},
            "k_CRP_secretion": {"value": k_sec, "unit": "1/s", "network": DEFINITION},
            "k_IL6_other": {"value": values["k_IL6_other"], "unit": "1/s", "network": DEFINITION,
                            "bracket": list(K_OTHER_BRACKET)},
        },
        "result": {
            "crp_healthy_mg_l": steady_crp_mg_l(HEALTHY_IL6_PG_ML, values),
            "crp_ra_mg_l": steady_crp_mg_l(RA_IL6_PG_ML, values),
            "tcz_patient_il6_pg_ml": il6_tcz,
            "tcz_free_il6r_fraction": free,
            "tocilizumab_kd_nm": kd,
            "crp_on_tcz_1mg_l_mg_l": species_value(treated_steady_state(il6_tcz, free, values), CRP_SPECIES)
            * crp_mg_l_per_nm(),
            "evaluations": evaluations,
        },
    }


if __name__ == "__main__":  # pragma: no cover - run by hand to refresh the stored record
    print(write_calibration_record(calibrate()))
