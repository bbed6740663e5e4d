"""Trial endpoints per patient, from the plasma concentration over the last dosing interval.

Computed here (arrays of shape (n_patients, n_times) over one dosing interval at steady state):

- exposure: ``cmax_nM``, ``cmin_nM`` (total plasma), ``auc_tau_nMh`` (trapezoid), ``cavg_nM`` = AUC/tau;
- ``mean_inhibition_<cytokine>``: time average of the pathway inhibition over the interval (0-1),
  inhibition = $1 - \\prod_j (1 - \\theta_j)$ over the receptor's JAKs at the unbound concentration
  (:func:`jakstat.pharmacology.pathway_inhibition`); antibody arms: the fraction of the target
  blocked for the pathways the antibody blocks, 0 for the others (:mod:`jakstat.studies.biologic_arms`);
- ``trough_inhibition_<cytokine>``: inhibition at the end of the interval;
- ``time_above_<threshold>_<cytokine>_h``: hours of the interval with inhibition >= threshold
  (linear interpolation between output times, as :func:`jakstat.pharmacology.time_above`).

Hooks (:data:`HOOKS`) name endpoints that need the signalling and assay issues (fibroblast IL-6
secretion). They are not computed until a function is registered with :func:`register_endpoint`; a
config asking for one is refused with a message saying so. ``serum_il6`` and ``crp`` are registered by
:mod:`jakstat.studies.serum_endpoints`, ``interferon_score`` by :mod:`jakstat.studies.ifn_score_endpoint`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

HOOKS: dict[str, str] = {
    "fibroblast_il6_secretion": "the patient's fibroblast IL-6 secretion needs the secretion assay (assay issue)",
}
"""Endpoint kinds reserved for later issues -> what they need."""

_REGISTERED: dict[str, Callable[["EndpointContext"], dict[str, np.ndarray]]] = {}


@dataclass(frozen=True)
class EndpointContext:
    """What an endpoint function sees for one chunk of patients of one arm.

    Attributes
    ----------
    drug : str or None
        None for placebo.
    times_h : ndarray, shape (n_times,)
        Output times over the last dosing interval, h after the first dose.
    total_nM, unbound_nM : ndarray, shape (n_patients, n_times)
        Total and unbound plasma concentration, nM.
    patients : pandas.DataFrame
        The chunk's patients (population columns).
    spec : dict
        The endpoint's own settings from the config.
    """

    drug: str | None
    times_h: np.ndarray
    total_nM: np.ndarray
    unbound_nM: np.ndarray
    patients: object
    spec: dict


def register_endpoint(kind: str, function: Callable[[EndpointContext], dict[str, np.ndarray]]) -> None:
    """Make ``kind`` computable: ``function(context) -> {column: array (n_patients,)}``."""
    _REGISTERED[kind] = function


def registered(kind: str) -> Callable[[EndpointContext], dict[str, np.ndarray]] | None:
    return _REGISTERED.get(kind)


def exposure(times_h: np.ndarray, total_nM: np.ndarray) -> dict[str, np.ndarray]:
    """Cmax, Cmin, AUC over the interval (nM x h) and Cavg (nM)."""
    tau = float(times_h[-1] - times_h[0])
    auc = np.trapezoid(total_nM, times_h, axis=1)
    return {"cmax_nM": total_nM.max(axis=1), "cmin_nM": total_nM.min(axis=1), "auc_tau_nMh": auc,
            "cavg_nM": auc / tau}


def time_above(times_h: np.ndarray, values: np.ndarray, threshold: float) -> np.ndarray:
    """Hours with ``values >= threshold`` per row, linear interpolation between times."""
    y = values - threshold
    a, b = y[:, :-1], y[:, 1:]
    dt = np.diff(times_h)[None, :]
    both = (a >= 0) & (b >= 0)
    one = (a >= 0) ^ (b >= 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        part = np.where(one, dt * np.maximum(a, b) / np.abs(b - a), 0.0)
    return np.where(both, dt, 0.0).sum(axis=1) + part.sum(axis=1)


def column_suffix(cytokine: str) -> str:
    """``IFN-alpha/beta`` -> ``IFN-alpha_beta`` (column names keep letters, digits, ``-`` and ``_``)."""
    return re.sub(r"[^A-Za-z0-9-]+", "_", cytokine)


def threshold_label(threshold: float) -> str:
    return f"{100 * threshold:g}pct"


def inhibition_endpoints(drug: str | None, cytokine: str, times_h: np.ndarray, unbound_nM: np.ndarray,
                         thresholds: tuple[float, ...],
                         inhibition_of: Callable[[str, np.ndarray], np.ndarray] | None = None) -> dict[str, np.ndarray]:
    """Mean and trough inhibition of one pathway, and hours above each threshold (placebo: zeros).

    ``inhibition_of(cytokine, unbound_nM)`` replaces the small-molecule JAK occupancy rule (antibody
    arms: the fraction of the target blocked, :mod:`jakstat.studies.biologic_arms`; NaN where unknown).
    """
    from jakstat.pharmacology.inhibition import pathway_inhibition

    n = unbound_nM.shape[0]
    name = column_suffix(cytokine)
    if inhibition_of is not None:
        inhibition = np.asarray(inhibition_of(cytokine, unbound_nM), dtype=float)
    elif drug is None:
        inhibition = np.zeros_like(unbound_nM)
    else:
        inhibition = pathway_inhibition(drug, cytokine, unbound_nM)
    tau = float(times_h[-1] - times_h[0])
    out = {f"mean_inhibition_{name}": np.trapezoid(inhibition, times_h, axis=1) / tau if n else np.zeros(0),
           f"trough_inhibition_{name}": inhibition[:, -1] if n else np.zeros(0)}
    for threshold in thresholds:
        hours = time_above(times_h, inhibition, threshold)
        out[f"time_above_{threshold_label(threshold)}_{name}_h"] = np.where(np.isnan(inhibition).any(axis=1), np.nan, hours)
    return out
