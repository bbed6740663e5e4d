"""Calibration ``ifn_score_blood``: the serum-IFN bioactivity factor of the blood ISG network.

One parameter, ``f_ifn_bioactivity`` (effective IFNAR ligand at the leukocytes per unit of serum
IFN-alpha, dimensionless; see :mod:`jakstat.network.isg_blood`), fitted so that virtual healthy-control
groups of the published size (29, Rice 2017) have on average the published positivity threshold,
mean + 2 SD of their own scores = 2.466 (target_jdm_ifn.csv JDM02). The expectation is taken over
:data:`N_GROUPS` seeded groups (common random numbers for every trial value, so the objective is smooth)
and the root found by Brent's method on $\\log f$ in :data:`BRACKET`.

The threshold is not monotone in $f$: it rises while more controls reach the steep part of the
ISG response and falls again once all controls saturate (every control then has the same ISG level).
The bracket keeps the lower branch, where healthy people are near their IFN-free ISG level (Rice 2017:
the large majority of healthy persons show no interferon signature). Held out: the score of
dermatomyositis-level serum IFN (tests/validation/test_jdm_ifn.py).

Run ``python -m jakstat.studies.ifn_score_calibration`` to refit and rewrite the stored record.
"""

from __future__ import annotations

import datetime
import math

import numpy as np

from jakstat.data import table_row
from jakstat.data.calibration_records import write_calibration_record
from jakstat.experiments.interferon_score import (
    PUBLISHED_N_CONTROLS,
    control_scores,
    positivity_threshold,
    steady_state_curve,
    virtual_controls,
)
from jakstat.network.isg_blood import BIOACTIVITY_PARAMETER, CALIBRATION

N_GROUPS = 200
"""Seeded control groups averaged per objective evaluation (seeds 0..N_GROUPS-1)."""
BRACKET = (0.05, 5.0)
"""Search interval of f (lower branch; see the module docstring)."""


def published_threshold() -> float:
    """2.466 from target_jdm_ifn.csv (JDM02)."""
    return float(table_row("target_jdm_ifn", finding_id="JDM02")["on_treatment"])


def expected_threshold(f: float, cell: str = "monocyte", n_groups: int = N_GROUPS) -> float:
    """Median over ``n_groups`` seeded 29-control groups of mean + 2 SD of their scores at bioactivity ``f``."""
    curve = steady_state_curve(cell)
    values = [positivity_threshold(control_scores(virtual_controls(PUBLISHED_N_CONTROLS, seed, cell, f, curve)))
              for seed in range(n_groups)]
    return float(np.median(values))


def calibrate(cell: str = "monocyte") -> dict:
    """Fit ``f_ifn_bioactivity``; return the calibration record (not written)."""
    from scipy.optimize import brentq

    target = published_threshold()
    lo, hi = (math.log(b) for b in BRACKET)
    log_f = brentq(lambda x: expected_threshold(math.exp(x), cell) - target, lo, hi, xtol=1e-6)
    f = math.exp(log_f)
    return {
        "name": CALIBRATION,
        "date": datetime.date.today().isoformat(),
        "method": f"scipy.optimize.brentq on log f in {list(BRACKET)}; median over {N_GROUPS} seeded groups of "
                  f"{PUBLISHED_N_CONTROLS} virtual controls (seeds 0..{N_GROUPS - 1}), steady-state curve of the "
                  f"{cell} blood ISG network",
        "targets_fitted": ["target_jdm_ifn.csv JDM02 (positivity threshold 2.466 = mean + 2 SD of 29 controls)"],
        "targets_held_out": ["score at dermatomyositis serum IFN-alpha (ifn_score_inputs.csv)", "JDM04", "JDM14",
                             "JDM15", "JDM16", "JDM22"],
        "parameters": {BIOACTIVITY_PARAMETER: {"value": f, "unit": "dimensionless", "network": f"{cell}_blood_isg",
                                               "prior": "none (root of one equation)"}},
        "readout": "mean + 2 SD of the virtual controls' own interferon scores (Rice 2017 arithmetic)",
        "result": {"median_threshold": expected_threshold(f, cell), "target": target},
    }


if __name__ == "__main__":  # pragma: no cover - refits the stored record
    print(write_calibration_record(calibrate()))
