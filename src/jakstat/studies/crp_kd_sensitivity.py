"""Does tocilizumab's Kd for IL-6R decide the serum rows? Recalibrate at each Kd, measure the held-out rows.

``biologic_pk_binding.csv`` has two verified Kd values for tocilizumab on IL-6R: 2.54 nM (Mihara 2005,
Scatchard, primary; the one :data:`jakstat.pharmacology.biologic_parameters.BIOLOGIC_CHOICES` takes)
and 0.71 nM (Hirabayashi 2012, a book chapter citing Australian regulatory documents). The Kd enters
the calibration ``crp_healthy_serum`` through its third target (``TCZ_TROUGH_1MG_L``: CRP 37.7 -> 10 mg/L
at 1 mg/L tocilizumab), which fits ``k_IL6_other``, the IL-6 clearance that needs no IL-6R; the other two
parameters are fitted on untreated steady states and do not depend on it. For each Kd,
:func:`kd_sensitivity` refits the three parameters (:func:`jakstat.studies.crp_calibration.calibrate`,
~15-20 s) and measures what ``tests/validation/test_serum_crp.py`` measures, with the same tolerances
(``serum_crp_targets.csv``), on the calibration's RA patient (70 kg, serum IL-6 65.16 pg/mL):

- ``TCZ_IL6_RISE``: free serum IL-6 on day 14 after 8 mg/kg IV over its baseline, at least 2-fold;
- ``TCZ_CRP_NORMAL``: CRP < 3 mg/L on day 14 (first below it before day 7), and still < 3 mg/L on day 28;
- ``IL6_HEPATIC_UPTAKE``: at baseline the IL-6R-mediated share of IL-6 clearance > 0.5 and the
  apparent free IL-6 half-life < 2 h;
- ``CRP_HALF_LIFE``: CRP decay between days 3 and 4 on tocilizumab, within 2% of 19 h;
- ``JAKI_CRP_DOWN``: CRP on baricitinib 4 mg QD on day 14 below 95% of the untreated value and above
  tocilizumab's.

The antibody's PK (its target-mediated elimination included) is the table's at every Kd; only the
binding that sets ``free_IL6R = Kd/(Kd + C)`` changes. Run ``python -m jakstat.studies.crp_kd_sensitivity
[KD_NM ...]`` (default 0.71, 1.34 and 2.54 nM: the two table values and their geometric mean).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from jakstat.studies.crp_calibration import RA_CRP_MG_L, RA_IL6_PG_ML

DEFAULT_KD_NM = (0.71, 1.34, 2.54)
"""Kd values (nM) of the default study: Hirabayashi 2012, the geometric mean, Mihara 2005."""
IL6_RISE_FOLD = 2.0
"""``TCZ_IL6_RISE``: day-14 free IL-6 at least 2-fold its baseline."""
CRP_NORMAL_MG_L = 3.0
"""``TCZ_CRP_NORMAL``: healthy CRP < 3 mg/L (by day 14, before day 7 first, and at the day-28 trough)."""
IL6R_SHARE = 0.5
"""``IL6_HEPATIC_UPTAKE``: most (> 0.5) of baseline IL-6 clearance is IL-6R-mediated."""
IL6_HALF_LIFE_MIN = 120.0
CRP_HALF_LIFE_H, CRP_HALF_LIFE_REL = 19.0, 0.02
JAKI_FRACTION = 0.95
HOURS = np.arange(0.0, 28 * 24 + 1.0)


def il6_clearance(net) -> tuple[float, float, float]:
    """(IL-6 amount nmol, IL-6R-independent flux, IL-6R-mediated flux; nmol/s) at ``net``'s initial state."""
    y = {s.id: s.initial for s in net.species}
    amount = y["IL6_plasma"] * net["plasma"].size
    other = net["k_IL6_other"].value * amount
    receptor = net["k_int"].value * (y["Rc_act"] + y["Rc"]) * net["cytoplasm"].size
    return amount, other, receptor


def held_out_numbers(values: dict[str, float] | None = None, kd_nm: float | None = None) -> dict[str, float | bool]:
    """The held-out rows' model numbers and verdicts at calibrated ``values`` and tocilizumab Kd ``kd_nm`` (nM).

    ``values``: ``f_dephos``, ``k_CRP_secretion``, ``k_IL6_other`` (default: the stored calibration);
    ``kd_nm``: default the table's. Keys: numbers (``il6_fold_day14``, ``crp_day14_mg_l``, ...) and one
    boolean per row part (``TCZ_IL6_RISE``, ``TCZ_CRP_NORMAL_day14``, ``TCZ_CRP_NORMAL_day28``, ...).
    """
    from jakstat.experiments import serum_model as sm

    overrides = () if values is None else tuple(sorted((k, float(v)) for k, v in values.items()))
    ra = sm.baseline_network(RA_IL6_PG_ML, overrides=overrides)
    toc = sm.run_serum(sm.with_antibody(ra, "tocilizumab", "8 mg/kg", "Q4W", "70 kg", 28.0, kd_nm=kd_nm), HOURS)
    bari = sm.run_serum(sm.with_jak_inhibitor(ra, "baricitinib", "4 mg", "QD", "70 kg", 14.0), HOURS[: 14 * 24 + 1])

    def at(ds, name: str, hour: float) -> float:
        return float(ds[name].sel(time_h=hour).values)

    crp = toc["crp_mg_l"].values
    amount, other, receptor = il6_clearance(ra)
    out: dict[str, float | bool] = {
        "il6_fold_day14": at(toc, "il6_pg_ml", 336.0) / RA_IL6_PG_ML,
        "il6_peak_pg_ml": float(toc["il6_pg_ml"].values.max()),
        "crp_day14_mg_l": at(toc, "crp_mg_l", 336.0),
        "crp_first_normal_day": float(HOURS[np.argmax(crp < CRP_NORMAL_MG_L)] / 24.0) if (crp < CRP_NORMAL_MG_L).any()
        else math.inf,
        "crp_day28_mg_l": at(toc, "crp_mg_l", 672.0),
        "tocilizumab_day28_nm": at(toc, "C_central", 672.0),
        "il6r_share": receptor / (other + receptor),
        "il6_half_life_min": math.log(2) * amount / (other + receptor) / 60.0,
        "crp_half_life_h": 24.0 * math.log(2) / math.log(at(toc, "crp_mg_l", 72.0) / at(toc, "crp_mg_l", 96.0)),
        "baricitinib_crp_day14_mg_l": at(bari, "crp_mg_l", 336.0),
    }
    out.update({
        "TCZ_IL6_RISE": out["il6_fold_day14"] >= IL6_RISE_FOLD,
        "TCZ_CRP_NORMAL_day14": out["crp_day14_mg_l"] < CRP_NORMAL_MG_L and out["crp_first_normal_day"] < 7.0,
        "TCZ_CRP_NORMAL_day28": out["crp_day28_mg_l"] < CRP_NORMAL_MG_L,
        "IL6_HEPATIC_UPTAKE_share": out["il6r_share"] > IL6R_SHARE,
        "IL6_HEPATIC_UPTAKE_half_life": out["il6_half_life_min"] < IL6_HALF_LIFE_MIN,
        "CRP_HALF_LIFE": abs(out["crp_half_life_h"] / CRP_HALF_LIFE_H - 1.0) <= CRP_HALF_LIFE_REL,
        "JAKI_CRP_DOWN": out["crp_day14_mg_l"] < out["baricitinib_crp_day14_mg_l"] < JAKI_FRACTION * RA_CRP_MG_L,
    })
    return out


def kd_sensitivity(kd_values_nm=DEFAULT_KD_NM) -> pd.DataFrame:
    """One row per Kd (nM): the refitted ``crp_healthy_serum`` parameters and :func:`held_out_numbers`.

    Each Kd costs one calibration (~15-20 s) and two 2-4 week simulations (~3 s).
    """
    from jakstat.errors import InvalidValueError
    from jakstat.studies.crp_calibration import calibrate

    rows = []
    for given in kd_values_nm:
        try:
            kd = float(given)
        except (TypeError, ValueError):
            kd = math.nan
        if not (math.isfinite(kd) and kd > 0):
            raise InvalidValueError(f"kd_values_nm: each Kd must be a finite number > 0 nM, got {given!r}")
        record = calibrate(kd)
        values = {pid: spec["value"] for pid, spec in record["parameters"].items()}
        rows.append({"kd_nm": kd, **values, "crp_on_tcz_1mg_l_mg_l": record["result"]["crp_on_tcz_1mg_l_mg_l"],
                     **held_out_numbers(values, kd)})
    return pd.DataFrame(rows)


if __name__ == "__main__":  # pragma: no cover - run by hand
    import sys

    kds = tuple(float(x) for x in sys.argv[1:]) or DEFAULT_KD_NM
    with pd.option_context("display.width", 200, "display.max_columns", None):
        print(kd_sensitivity(kds).set_index("kd_nm").T.to_string())
