"""Dose finding: the dose per weight band that brings 90% of children to a target exposure.

Method (one batched-engine run, exact for linear PK):

1. Children are drawn from a :class:`~jakstat.studies.population.PopulationSpec` and simulated at a
   reference dose of 1 mg/kg (no rounding) for ``duration_days``; the steady-state AUC over the
   last dosing interval per mg given, $a_i$, follows. The PK models are linear in dose (first- and
   zero-order input, first-order elimination; a model with a dose-dependent absorption cap is
   refused), so a dose $d$ gives $AUC_i = d\\, a_i$ exactly.
2. The target is an adult exposure: the ``target_quantile`` (default 10th percentile) of the
   steady-state AUC of adults at the approved dose (the model's reference subject, e.g. 74 kg and
   eGFR 93 for Decker 2024's baricitinib model, with the model's between-subject variability), i.e.
   the exposure that 90% of adults on the approved dose reach.
3. Per weight band, the fixed daily dose (mg) and the mg/kg with which ``fraction`` (90%) of the
   band's children reach the target: $d = target / q_{1 - fraction}(a)$ over the band.
4. The published weight bands (``dose_regimen_pediatric`` row of ``pk_small_molecules.csv``: JUVE-BASIS /
   Decker 2024 for baricitinib) are compared: the published dose at the band's median weight, the
   fraction of the band's children that reach the target on it, and the ratio found / published.

The CANDLE/SAVI (Kim 2018) bands are not in the tables with numbers (the row says "from memory, no
parameter values"), so the comparison uses the JUVE-BASIS bands that are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from jakstat.errors import InvalidValueError
from jakstat.studies.population import PopulationSpec, sample_population

PUBLISHED = re.compile(r"(\d+(?:\.\d+)?)\s*mg\s*(QD|BID)\s*for\s*(?:(\d+(?:\.\d+)?)-<(\d+(?:\.\d+)?)|>=(\d+(?:\.\d+)?))\s*kg")


@dataclass(frozen=True)
class PublishedBand:
    """A published weight band: ``mg`` per dose, ``regimen``, weights ``[low_kg, high_kg)``, and its source."""

    mg: float
    regimen: str
    low_kg: float
    high_kg: float
    source: str


def published_bands(drug: str) -> tuple[PublishedBand, ...]:
    """The pediatric weight bands of ``drug`` from ``pk_small_molecules.csv`` (``dose_regimen_pediatric`` rows)."""
    from jakstat.pharmacology import _rows

    rows = _rows.drug_rows("pk_small_molecules", drug)
    rows = rows[rows["parameter"] == "dose_regimen_pediatric"].to_dict(orient="records")
    bands = []
    for row in rows:
        for mg, regimen, low, high, above in PUBLISHED.findall(row["value"]):
            lo = float(low) if low else float(above)
            hi = float(high) if high else np.inf
            bands.append(PublishedBand(float(mg), regimen, lo, hi,
                                       f"{row['source']} ({row['locator']}; verified={row['verified']})"))
    return tuple(bands)


def _profiles(drug: str, regimen: str, dose: str, patients: pd.DataFrame, duration_days: float,
              points_per_hour: int, rtol: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Times (h), total and unbound plasma concentration (nM) over the last interval, through the batched engine."""
    from jakstat.studies.design import Arm, TrialConfig
    from jakstat.studies.runner import _small_molecule, output_times_h

    arm = Arm(name="dose_finding", drug=drug, regimen=regimen, dose=dose, duration_days=duration_days,
              round_to_strengths=False)
    config = TrialConfig(seed=0, sample_size=len(patients), arms=[arm], points_per_hour=points_per_hour, rtol=rtol)
    times = output_times_h(arm, points_per_hour)
    total, unbound, extra = _small_molecule(config, arm, patients, times, None)
    if np.any(extra["status"] != 0):
        raise InvalidValueError(f"dose finding: {int(np.count_nonzero(extra['status']))} patients failed in the engine")
    return times, total, unbound


def adult_target_auc(drug: str, dose_mg: float, regimen: str, *, quantile: float = 0.1, n: int = 2000,
                     seed: int = 0, duration_days: float = 14.0, points_per_hour: int = 8) -> float:
    """The ``quantile`` of steady-state AUC over one interval (nM x h) of adults at ``dose_mg``.

    Adults: the model's reference subject (reference weight and eGFR) with its between-subject variability.
    """
    from jakstat.pharmacology import pk_parameters

    params = pk_parameters(drug)
    adults = sample_population(PopulationSpec("healthy"), np.arange(n), seed)
    adults["weight_kg"] = params.reference_weight.value
    adults["egfr"] = params.reference_egfr.value if params.reference_egfr is not None else np.nan
    times, total, _ = _profiles(drug, regimen, f"{dose_mg} mg", adults, duration_days, points_per_hour, 1e-8)
    return float(np.quantile(np.trapezoid(total, times, axis=1), quantile))


def find_band_doses(drug: str = "baricitinib", regimen: str = "QD", *, adult_dose_mg: float = 4.0,
                    band_edges_kg: tuple[float, ...] = (10.0, 20.0, 30.0, 45.0, 150.0), fraction: float = 0.9,
                    population: PopulationSpec | None = None, n: int = 4000, seed: int = 2026,
                    duration_days: float = 14.0, points_per_hour: int = 8) -> pd.DataFrame:
    """Dose per weight band reaching the adult target exposure in ``fraction`` of children, vs the published bands.

    Parameters
    ----------
    drug, regimen : str
        Drug with a PK model; ``QD`` or ``BID`` (daily doses below are per day).
    adult_dose_mg : float
        The approved adult dose per administration, mg (baricitinib: 4 mg QD).
    band_edges_kg : tuple of float
        Band edges, kg (children outside are not used).
    fraction : float
        Fraction of children that must reach the target (default 0.9); the target is the
        ``1 - fraction`` quantile of the adult AUC.
    population : PopulationSpec, optional
        Children (default: healthy, 2-18 y).
    n : int
        Children simulated.

    Returns
    -------
    pandas.DataFrame
        One row per band: ``band``, ``children``, ``median_weight_kg``, ``target_auc_nMh``,
        ``found_mg_per_day`` (fixed dose), ``found_mg_per_kg_day``, ``found_rounded_mg_per_day`` (whole
        tablets, rounded up), ``published_mg_per_day`` (at the band's median weight), ``published_source``,
        ``ratio_found_to_published``, ``reach_on_published`` (fraction of the band's children at target on the
        published dose), ``reach_on_found_rounded``. ``attrs`` hold the target's definition.
    """
    from jakstat.pharmacology import pk_parameters
    from jakstat.pharmacology.regimens import INTERVALS_H, strengths

    params = pk_parameters(drug)
    if params.first_order_cap_mg is not None:
        raise InvalidValueError(f"dose finding assumes PK linear in dose; {drug} has a dose-dependent absorption cap")
    if not 0.5 <= fraction < 1:
        raise InvalidValueError(f"fraction: must be within [0.5, 1); got {fraction}")
    per_day = 24.0 / INTERVALS_H[regimen]
    spec = population or PopulationSpec("healthy", (2.0, 18.0))
    children = sample_population(spec, np.arange(n), seed)
    times, total, _ = _profiles(drug, regimen, "1 mg/kg", children, duration_days, points_per_hour, 1e-8)
    weight = children["weight_kg"].to_numpy()
    per_mg = np.trapezoid(total, times, axis=1) / weight  # AUC per mg per dose, nM h / mg
    target = adult_target_auc(drug, adult_dose_mg, regimen, quantile=1.0 - fraction, seed=seed + 1,
                              duration_days=duration_days, points_per_hour=points_per_hour)
    available, unit, _ = strengths(drug, "tablet", False)
    published = [b for b in published_bands(drug) if b.regimen == regimen]
    rows = []
    for low, high in zip(band_edges_kg[:-1], band_edges_kg[1:]):
        mask = (weight >= low) & (weight < high)
        if mask.sum() < 20:
            continue
        a = per_mg[mask]
        dose = target / np.quantile(a, 1.0 - fraction)  # mg per administration
        median_w = float(np.median(weight[mask]))
        rounded = _round_up(dose, available) if unit == "mg" else dose
        pub = [b for b in published if b.low_kg <= median_w < b.high_kg]
        pub_mg = pub[0].mg if pub else np.nan
        rows.append({
            "band": f"{low:g}-<{high:g} kg", "children": int(mask.sum()), "median_weight_kg": median_w,
            "target_auc_nMh": target, "found_mg_per_day": dose * per_day, "found_mg_per_kg_day": dose * per_day / median_w,
            "found_rounded_mg_per_day": rounded * per_day, "published_mg_per_day": pub_mg * per_day,
            "published_source": pub[0].source if pub else "no published band at this weight",
            "ratio_found_to_published": dose / pub_mg if pub else np.nan,
            "reach_on_published": float(np.mean(pub_mg * a >= target)) if pub else np.nan,
            "reach_on_found_rounded": float(np.mean(rounded * a >= target)),
        })
    table = pd.DataFrame(rows)
    table.attrs.update({
        "target": f"{100 * (1 - fraction):g}th percentile of steady-state AUC over {INTERVALS_H[regimen]:g} h of adults "
                  f"({params.reference_weight.value:g} kg reference subject of {params.source}, with its BSV) at "
                  f"{adult_dose_mg:g} mg {regimen}: {target:.4g} nM h",
        "fraction": fraction, "drug": drug, "regimen": regimen,
    })
    return table


def _round_up(mg: float, available: tuple[float, ...]) -> float:
    """The smallest sum of whole tablets >= ``mg`` (to 1 ug)."""
    from jakstat.pharmacology.regimens import round_dose

    if not available:
        return mg
    candidate = round_dose(mg, available, "mg")
    step = min(available)
    while candidate < mg - 1e-9:
        candidate = round_dose(candidate + step, available, "mg")
    return candidate
