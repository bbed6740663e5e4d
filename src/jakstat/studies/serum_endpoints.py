"""Trial endpoints ``serum_il6`` and ``crp``: serum IL-6 and CRP of each patient at steady state on treatment.

Registered with :func:`jakstat.studies.endpoints.register_endpoint` when :mod:`jakstat.studies` is imported.
Config::

    endpoints:
      - {kind: crp, il6_pg_ml: 65.16}        # untreated serum IL-6 of the enrolled patients (default 5.186)
      - {kind: serum_il6, il6_pg_ml: 65.16}

Columns: ``crp_mg_l`` and ``serum_il6_pg_ml`` (free), one value per patient.

How (cheap enough for 100,000 patients): the runner gives each patient's unbound plasma concentration
over the last dosing interval at steady state. The treatment's effect on the IL-6 pathway is averaged
over that interval: for a JAK inhibitor the product of the free fractions of the IL-6 receptor's JAKs,
$1 - $ :func:`jakstat.pharmacology.pathway_inhibition`; for an anti-IL-6R antibody the free fraction
of IL-6R, $K_d/(K_d + C)$; 1 for placebo and for antibodies that do not bind IL-6R. The endpoint is the
steady state of the systemic model (:mod:`jakstat.experiments.serum_model`) at that constant effect,
read from a table of steady states computed once per process and baseline (26 effect levels, ~1 s each),
interpolated linearly in log-log (2% accuracy checked in the tests). The averaging is an approximation
(the liver responds non-linearly while the drug level swings); CRP's 19 h half-life, as long as a dosing
interval, damps the swing. The test
compares it with the full time course of a typical adult. The systemic model is an adult's: children
get the adult liver and plasma (not scaled by weight).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from jakstat.errors import InvalidValueError
from jakstat.studies.endpoints import EndpointContext, register_endpoint

GRID = np.concatenate([[0.0], np.geomspace(1e-4, 1.0, 25)])
"""Levels of the pathway effect (fraction of receptor activation or of IL-6R left) with tabulated steady states."""


def _baseline(spec: dict) -> float:
    from jakstat.experiments.serum_model import HEALTHY_IL6_PG_ML

    value = spec.get("il6_pg_ml", HEALTHY_IL6_PG_ML)
    try:
        value = float(value)
    except (TypeError, ValueError):
        value = float("nan")
    if not (np.isfinite(value) and value > 0):
        raise InvalidValueError(f"endpoint {spec.get('kind')}: il6_pg_ml (untreated serum IL-6) must be a number "
                                f"> 0 pg/mL, got {spec.get('il6_pg_ml')!r}")
    return value


@lru_cache(maxsize=16)
def steady_state_table(il6_pg_ml: float, route: str) -> tuple[np.ndarray, np.ndarray]:
    """(free serum IL-6 pg/mL, CRP mg/L) at each :data:`GRID` level; ``route`` ``"jak"`` or ``"il6r"``."""
    from jakstat.experiments import serum_model as sm

    net = sm.serum_network()
    values = {pid: net[pid].value for pid in sm.CALIBRATED}
    start = sm.untreated_steady_state(il6_pg_ml, values)
    il6, crp = [], []
    for level in GRID:
        kwargs = {"free_jak": level} if route == "jak" else {"free_il6r": level}
        y = sm.treated_steady_state(il6_pg_ml, values=values, start=start, **kwargs)
        il6.append(sm.species_value(y, sm.IL6_SPECIES) * sm.il6_pg_ml_per_nm())
        crp.append(sm.species_value(y, sm.CRP_SPECIES) * sm.crp_mg_l_per_nm())
    return np.asarray(il6), np.asarray(crp)


def mean_pathway_effect(context: EndpointContext) -> tuple[np.ndarray, str]:
    """Per patient: the interval-averaged fraction of IL-6 signalling left, and which route it acts on."""
    n = context.unbound_nM.shape[0]
    tau = float(context.times_h[-1] - context.times_h[0])
    if context.drug is None:
        return np.ones(n), "jak"
    from jakstat.knowledge import get_drug

    if get_drug(context.drug).kind == "biologic":
        from jakstat.pharmacology.biologic_parameters import biologic_parameters
        from jakstat.pharmacology.biologics import target_mode

        params = biologic_parameters(context.drug)
        if target_mode(params.drug, "IL-6") != "receptor":
            return np.ones(n), "il6r"
        free = params.potency.value / (params.potency.value + context.unbound_nM)
        return np.trapezoid(free, context.times_h, axis=1) / tau, "il6r"
    from jakstat.pharmacology.inhibition import pathway_inhibition

    left = 1.0 - pathway_inhibition(context.drug, "IL-6", context.unbound_nM)
    return np.trapezoid(left, context.times_h, axis=1) / tau, "jak"


def _read(context: EndpointContext, which: int) -> np.ndarray:
    effect, route = mean_pathway_effect(context)
    table = steady_state_table(_baseline(context.spec), route)[which]
    return interpolate(effect, table)


def interpolate(effect: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``table`` at ``effect``: linear in log-log above the grid's first positive level, linear below it."""
    e = np.clip(np.asarray(effect, dtype=float), 0.0, 1.0)
    positive = GRID[1:]
    floor = np.maximum(table[1:], 1e-300)
    with np.errstate(divide="ignore"):
        log_part = np.exp(np.interp(np.log(np.maximum(e, positive[0])), np.log(positive), np.log(floor)))
    out = np.where(e >= positive[0], log_part, np.interp(e, GRID[:2], table[:2]))
    return np.where(np.isfinite(effect), out, np.nan)


def crp_endpoint(context: EndpointContext) -> dict[str, np.ndarray]:
    """``crp_mg_l``: steady-state serum CRP on treatment, mg/L."""
    return {"crp_mg_l": _read(context, 1)}


def serum_il6_endpoint(context: EndpointContext) -> dict[str, np.ndarray]:
    """``serum_il6_pg_ml``: steady-state free serum IL-6 on treatment, pg/mL."""
    return {"serum_il6_pg_ml": _read(context, 0)}


def register() -> None:
    register_endpoint("crp", crp_endpoint)
    register_endpoint("serum_il6", serum_il6_endpoint)


__all__ = ["GRID", "crp_endpoint", "interpolate", "mean_pathway_effect", "register", "serum_il6_endpoint", "steady_state_table"]
