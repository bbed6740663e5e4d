"""Global sensitivity: Sobol indices of a trial endpoint to the PK parameters (SALib, batched engine).

The inputs are the between-subject random effects of the drug's PK model: for every value with a
reported CV (:func:`jakstat.studies.dosing.varied_parameters`) the factor $\\exp(\\omega z)$ with
$z$ uniform in probability over the normal truncated at ``±z_limit`` (so the input space is the
population's own spread, not an arbitrary range). Saltelli sampling (``SALib.sample.sobol``) gives
$N (2d + 2)$ parameter sets, all simulated in one call of the batched engine for a patient of fixed
weight and eGFR on a regimen; the endpoint is read over the last dosing interval and analysed with
``SALib.analyze.sobol`` (first-order S1, total ST, with bootstrap confidence intervals).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from jakstat.errors import InvalidValueError


def sobol_indices(drug: str, dose: str, regimen: str = "QD", *, endpoint: str = "auc_tau_nMh",
                  cytokine: str | None = None, weight_kg: float = 30.0, egfr: float | None = 100.0,
                  n_base: int = 256, z_limit: float = 2.5, duration_days: float = 10.0, points_per_hour: int = 8,
                  seed: int = 0) -> pd.DataFrame:
    """First-order and total Sobol indices of ``endpoint`` to each varied PK parameter.

    Parameters
    ----------
    drug, dose, regimen : str
        E.g. ``"baricitinib", "2 mg", "QD"`` (dose as in a trial arm; mg/kg uses ``weight_kg``).
    endpoint : str
        ``cmax_nM``, ``cmin_nM``, ``auc_tau_nMh``, ``cavg_nM``, or ``mean_inhibition`` /
        ``trough_inhibition`` (then ``cytokine`` is required).
    weight_kg, egfr : float
        The patient (kg; mL/min/1.73 m^2).
    n_base : int
        Saltelli base sample (a power of 2); simulations = ``n_base x (2 d + 2)``.

    Returns
    -------
    pandas.DataFrame
        Index: parameter names; columns ``S1``, ``S1_conf``, ``ST``, ``ST_conf``; ``attrs`` hold the
        endpoint, the number of simulations and the endpoint's mean and SD.
    """
    from SALib.analyze import sobol as analyze
    from SALib.sample import sobol as sample

    from jakstat.pharmacology import pk_parameters
    from jakstat.studies import dosing
    from jakstat.studies.dose_finding import _profiles
    from jakstat.studies.endpoints import exposure, inhibition_endpoints
    from jakstat.studies.population import PK_DRAWS

    params = pk_parameters(drug)
    names = list(dosing.varied_parameters(params))
    if not names:
        raise InvalidValueError(f"{drug}: the PK model reports no between-subject CV; nothing to vary")
    if n_base < 8 or n_base & (n_base - 1):
        raise InvalidValueError(f"n_base: must be a power of 2 >= 8; got {n_base}")
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    u = sample.sample(problem, n_base, calc_second_order=False, seed=seed)
    lo, hi = ndtr(-z_limit), ndtr(z_limit)
    z = np.zeros((u.shape[0], PK_DRAWS))
    z[:, :len(names)] = ndtri(lo + u * (hi - lo))
    patients = pd.DataFrame({"patient_id": np.arange(u.shape[0]), "weight_kg": float(weight_kg),
                             "egfr": np.nan if egfr is None else float(egfr)})
    patients.attrs["pk_z"] = z
    times, total, unbound = _profiles(drug, regimen, dose, patients, duration_days, points_per_hour, 1e-8)
    if endpoint in ("mean_inhibition", "trough_inhibition"):
        if cytokine is None:
            raise InvalidValueError(f"endpoint {endpoint!r} needs a cytokine")
        from jakstat.knowledge import get_cytokine
        from jakstat.studies.endpoints import column_suffix

        name = get_cytokine(cytokine).name
        y = inhibition_endpoints(drug, name, times, unbound, ())[f"{endpoint}_{column_suffix(name)}"]
    else:
        values = exposure(times, total)
        if endpoint not in values:
            raise InvalidValueError(f"endpoint {endpoint!r} is not allowed; allowed: {', '.join(values)}, "
                                    "mean_inhibition, trough_inhibition")
        y = values[endpoint]
    result = analyze.analyze(problem, np.asarray(y, dtype=float), calc_second_order=False, seed=seed)
    table = pd.DataFrame({"S1": result["S1"], "S1_conf": result["S1_conf"], "ST": result["ST"],
                          "ST_conf": result["ST_conf"]}, index=pd.Index(names, name="parameter"))
    table.attrs.update({"endpoint": endpoint if cytokine is None else f"{endpoint} {cytokine}", "simulations": int(u.shape[0]),
                        "mean": float(np.mean(y)), "sd": float(np.std(y)), "drug": drug, "dose": dose, "regimen": regimen})
    return table
