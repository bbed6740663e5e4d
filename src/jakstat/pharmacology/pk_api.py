"""The question "which pathways does drug X at dose Y block, for how long?" as one call.

:func:`pk_table` returns a table with time (h), total and unbound plasma concentration (nM) and the
inhibition (0-1) of every cytokine pathway of the receptor table; the summary functions read
exposure numbers off such a table or compute them at steady state.

>>> from jakstat.pharmacology import pk_table, cmax
>>> t = pk_table("baricitinib", "4 mg", "QD", days=2)        # doctest: +SKIP
>>> round(cmax(t), 1)                                          # doctest: +SKIP
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
import pint

from jakstat.engine.integrate import SolverOptions
from jakstat.errors import InvalidValueError
from jakstat.pharmacology.analytic import terminal_half_life
from jakstat.pharmacology.inhibition import cell_shift, inhibition_columns
from jakstat.pharmacology.pk_model import individualize, simulate_pk
from jakstat.pharmacology.pk_parameters import PkParameters, pk_parameters
from jakstat.pharmacology.regimens import Regimen, dose_events, dose_schedule, parse_weight

TIME = "time_h"
TOTAL = "total_plasma_nM"
UNBOUND = "unbound_plasma_nM"
EGFR_RANGE = (5.0, 200.0)


def patient_parameters(drug: str, weight: str | pint.Quantity = "70 kg", egfr: float | None = None) -> PkParameters:
    """The drug's PK parameters scaled to a patient (weight 3-150 kg; eGFR in mL/min/1.73 m^2)."""
    weight_kg = parse_weight(weight)
    if egfr is not None and not EGFR_RANGE[0] <= float(egfr) <= EGFR_RANGE[1]:
        raise InvalidValueError(f"egfr: {egfr!r} mL/min/1.73m2 is outside the allowed range "
                                f"{EGFR_RANGE[0]:g}-{EGFR_RANGE[1]:g}")
    return individualize(pk_parameters(drug), weight_kg, None if egfr is None else float(egfr))


def simulate_regimen(drug: str, regimen: Regimen, *, weight: str | pint.Quantity = "70 kg", days: float = 14,
                     egfr: float | None = None, points_per_hour: int = 4,
                     params: PkParameters | None = None, options: SolverOptions | None = None) -> pd.DataFrame:
    """Like :func:`pk_table` for a ready :class:`Regimen` (and optionally given parameters)."""
    if not days > 0:
        raise InvalidValueError(f"days: must be > 0, got {days!r}")
    if not (isinstance(points_per_hour, int) and points_per_hour >= 1):
        raise InvalidValueError(f"points_per_hour: must be an integer >= 1, got {points_per_hour!r}")
    weight_kg = parse_weight(weight)
    params = params or patient_parameters(drug, weight, egfr)
    doses = dose_schedule(params.drug, regimen, weight_kg, days)
    times = np.arange(0, int(round(days * 24 * points_per_hour)) + 1) / points_per_hour
    total = simulate_pk(params, dose_events(doses, params), times, options=options)
    total = np.where(np.abs(total) < 1e-12, 0.0, total)
    unbound = params.fu.value * total
    table = pd.DataFrame({TIME: times, TOTAL: total, UNBOUND: unbound, **inhibition_columns(params.drug, unbound)})
    shift, shift_source = cell_shift(params.drug)
    table.attrs.update({
        "drug": params.drug, "regimen": regimen.frequency, "weight_kg": weight_kg, "egfr": egfr,
        "units": {TIME: "h", TOTAL: "nM", UNBOUND: "nM", "inhibition_*": "fraction of signalling blocked (0-1)"},
        "doses": [{"time_h": d.time_h, "mg": d.mg, "requested_mg": d.requested_mg,
                   "extended_release": d.extended_release, "note": d.note} for d in doses],
        "parameters": {k: v.describe() for k, v in params.values().items()},
        "model": f"{params.source}: {params.choice_reason}",
        "pediatric_method": params.pediatric_method,
        "notes": list(params.notes),
        "cell_shift": f"{shift:g} ({shift_source.describe()})",
    })
    return table


def pk_table(drug: str, dose: str | pint.Quantity, regimen: str = "BID", weight: str | pint.Quantity = "70 kg",
             days: float = 14, egfr: float | None = None, points_per_hour: int = 4, *,
             loading_dose: str | pint.Quantity | None = None, missed: Iterable[int] = (),
             late: Mapping[int, str | pint.Quantity] | None = None, stop_day: float | None = None,
             formulation: str = "tablet", options: SolverOptions | None = None) -> pd.DataFrame:
    """Plasma concentration and pathway inhibition of a small-molecule JAK inhibitor over time.

    Parameters
    ----------
    drug : str
        INN or brand name with a PK model (ruxolitinib, baricitinib, tofacitinib, upadacitinib,
        abrocitinib).
    dose : str or pint.Quantity
        Per dose, ``"5 mg"`` or ``"0.1 mg/kg"``; rounded to the product strengths.
    regimen : {"QD", "BID", "TID", "XR"}
        Dosing interval 24/12/8 h; ``XR`` is extended release once daily.
    weight : str or pint.Quantity
        Body weight, 3-150 kg.
    days : float
        Simulated time from the first dose, days.
    egfr : float, optional
        eGFR, mL/min/1.73 m^2 (used where the model has a renal covariate: baricitinib).
    points_per_hour : int
        Output resolution.
    loading_dose, missed, late, stop_day, formulation
        See :class:`~jakstat.pharmacology.regimens.Regimen`.
    options : SolverOptions, optional
        Integrator settings.

    Returns
    -------
    pandas.DataFrame
        Columns ``time_h`` (h), ``total_plasma_nM``, ``unbound_plasma_nM`` (nM) and one
        ``inhibition_<cytokine>`` (0-1) per cytokine of ``pathway_cytokine_receptors.csv`` (the share of the
        receptor's signalling capacity blocked, 1 - prod_j (1 - occupancy_j); the pSTAT readout of a
        whole-blood assay falls less, see :mod:`jakstat.pharmacology.whole_blood`);
        ``attrs`` hold units, the doses given, every parameter with its provenance and notes.

    Raises
    ------
    jakstat.errors.UnknownNameError
        Unknown drug (the message lists the known drugs), drug without a PK model, unknown regimen.
    jakstat.errors.UnitError
        A dose or weight in a wrong unit (the message names the field).
    jakstat.errors.InvalidValueError
        A zero or negative dose, a weight outside 3-150 kg, ``XR`` for a drug without XR data.
    """
    params = patient_parameters(drug, weight, egfr)
    plan = Regimen(regimen, dose, loading_dose=loading_dose, missed=tuple(missed), late=dict(late or {}),
                   stop_day=stop_day, formulation=formulation)
    return simulate_regimen(params.drug, plan, weight=weight, days=days, egfr=egfr,
                            points_per_hour=points_per_hour, params=params, options=options)


def _window(table: pd.DataFrame, start_h: float | None, end_h: float | None) -> pd.DataFrame:
    t = table[TIME]
    keep = (t >= (start_h if start_h is not None else -np.inf)) & (t <= (end_h if end_h is not None else np.inf))
    return table[keep]


def cmax(table: pd.DataFrame, start_h: float | None = None, end_h: float | None = None,
         column: str = TOTAL) -> float:
    """Peak of ``column`` (default total plasma, nM) within ``[start_h, end_h]``."""
    return float(_window(table, start_h, end_h)[column].max())


def auc(table: pd.DataFrame, start_h: float | None = None, end_h: float | None = None,
        column: str = TOTAL) -> float:
    """Area under ``column`` over ``[start_h, end_h]`` by the trapezoid rule, nM x h."""
    part = _window(table, start_h, end_h)
    return float(np.trapezoid(part[column].to_numpy(), part[TIME].to_numpy()))


def time_above(table: pd.DataFrame, column: str, threshold: float,
               start_h: float | None = None, end_h: float | None = None) -> float:
    """Hours during which ``column`` is at or above ``threshold`` (linear interpolation between points).

    Examples
    --------
    >>> import pandas as pd
    >>> time_above(pd.DataFrame({"time_h": [0, 1, 2], "x": [0.0, 1.0, 0.0]}), "x", 0.5)
    1.0
    """
    part = _window(table, start_h, end_h)
    t, y = part[TIME].to_numpy(), part[column].to_numpy() - threshold
    hours = 0.0
    for i in range(len(t) - 1):
        a, b, dt = y[i], y[i + 1], t[i + 1] - t[i]
        if a >= 0 and b >= 0:
            hours += dt
        elif a >= 0 or b >= 0:
            hours += dt * (max(a, b) / abs(b - a))
    return float(hours)


def steady_state_exposure(drug: str, dose: str | pint.Quantity, regimen: str = "BID",
                          weight: str | pint.Quantity = "70 kg", egfr: float | None = None, *,
                          points_per_hour: int = 120, formulation: str = "tablet") -> dict[str, float]:
    """Cmax, Cmin, Tmax and AUC over one dosing interval at steady state.

    The regimen is simulated for at least 7 terminal half-lives (>= 99% of steady state) and read
    over the last interval at ``points_per_hour`` resolution.

    Returns
    -------
    dict
        ``cmax_nM``, ``cmin_nM``, ``tmax_h`` (after the interval's dose), ``auc_tau_nMh``,
        ``tau_h``, ``half_life_h``, ``dose_mg`` (given, after rounding to the formulation's strengths) and
        ``requested_mg``.
    """
    params = patient_parameters(drug, weight, egfr)
    plan = Regimen(regimen, dose, formulation=formulation)
    half_life = terminal_half_life(params)
    n_doses = max(int(math.ceil(7 * half_life / plan.interval_h)) + 1, 3)
    last = (n_doses - 1) * plan.interval_h
    doses = dose_schedule(params.drug, plan, parse_weight(weight), n_doses * plan.interval_h / 24.0)
    times = last + np.arange(0, int(plan.interval_h * points_per_hour) + 1) / points_per_hour
    c = simulate_pk(params, dose_events(doses, params), np.concatenate([[0.0], times]),
                    options=SolverOptions(rtol=1e-10, atol=1e-10))[1:]
    i = int(np.argmax(c))
    return {"cmax_nM": float(c[i]), "cmin_nM": float(c.min()), "tmax_h": float(times[i] - last),
            "auc_tau_nMh": float(np.trapezoid(c, times)), "tau_h": plan.interval_h, "half_life_h": half_life,
            "dose_mg": float(doses[-1].mg), "requested_mg": float(doses[-1].requested_mg)}


def single_dose_exposure(drug: str, dose: str | pint.Quantity, weight: str | pint.Quantity = "70 kg",
                         egfr: float | None = None, *, points_per_hour: int = 120,
                         extended_release: bool = False) -> dict[str, float]:
    """Cmax (nM), Tmax (h) and AUC to infinity (nM x h, closed form F x dose / CL) after one dose."""
    params = patient_parameters(drug, weight, egfr)
    plan = Regimen("XR" if extended_release else "QD", dose)
    doses = dose_schedule(params.drug, plan, parse_weight(weight), 1.0)
    times = np.arange(0, 24 * points_per_hour + 1) / points_per_hour
    c = simulate_pk(params, dose_events(doses, params), times, options=SolverOptions(rtol=1e-10, atol=1e-10))
    i = int(np.argmax(c))
    nmol = doses[0].mg * 1e6 / params.molecular_weight.value
    f = params.bioavailability.value * (params.xr.relative_f.value if extended_release and params.xr else 1.0)
    return {"cmax_nM": float(c[i]), "tmax_h": float(times[i]), "auc_inf_nMh": f * nmol / params.total_clearance,
            "dose_mg": doses[0].mg}
