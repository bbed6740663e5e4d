"""Closed forms of linear PK models: Bateman function, accumulation, half-lives, Tmax.

These are the references the engine is tested against (``tests/pharmacology/test_pk_analytic.py``)
and the tools used to derive parameters the tables do not give (``ka`` from a Tmax). All times in h,
rates in 1/h, volumes in L, clearances in L/h, amounts in nmol, concentrations in nM.

The linear system for gut amount ``A_g``, central and peripheral amounts ``A_c``, ``A_p``:

$$ \\dot A_g = -k_a A_g,\\quad \\dot A_c = k_a A_g - (k_{10} + k_{12}) A_c + k_{21} A_p,
   \\quad \\dot A_p = k_{12} A_c - k_{21} A_p $$

with $k_{10} = CL/V_1$, $k_{12} = Q/V_1$, $k_{21} = Q/V_2$.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from scipy.linalg import expm

if TYPE_CHECKING:
    from jakstat.pharmacology.pk_parameters import PkParameters


def bateman(t_h: np.ndarray, dose_nmol: float, f: float, ka: float, cl: float, v: float,
            lag: float = 0.0) -> np.ndarray:
    """Concentration after one oral dose into a one-compartment model (Bateman function).

    $$ C(t) = \\frac{F D k_a}{V (k_a - k)} \\left(e^{-k (t - t_{lag})} - e^{-k_a (t - t_{lag})}\\right),
       \\quad k = CL/V $$

    Parameters
    ----------
    t_h : array
        Times after the dose, h.
    dose_nmol : float
        Dose, nmol.
    f : float
        Fraction of the dose absorbed (1 for apparent parameters).
    ka, cl, v : float
        Absorption rate (1/h), clearance (L/h), volume (L); ``ka != cl/v``.
    lag : float
        Absorption lag, h.

    Returns
    -------
    ndarray
        Concentration, nM (0 before the lag).
    """
    t = np.clip(np.asarray(t_h, dtype=float) - lag, 0.0, None)
    k = cl / v
    return f * dose_nmol * ka / (v * (ka - k)) * (np.exp(-k * t) - np.exp(-ka * t))


def bateman_steady_state(t_h: np.ndarray, dose_nmol: float, f: float, ka: float, cl: float, v: float,
                         tau: float) -> np.ndarray:
    """Steady-state concentration within a dosing interval (sum of the geometric series).

    $$ C_{ss}(t) = \\frac{F D k_a}{V (k_a - k)} \\left(\\frac{e^{-k t}}{1 - e^{-k\\tau}}
       - \\frac{e^{-k_a t}}{1 - e^{-k_a\\tau}}\\right), \\quad 0 \\le t < \\tau $$
    """
    t = np.asarray(t_h, dtype=float)
    k = cl / v
    scale = f * dose_nmol * ka / (v * (ka - k))
    return scale * (np.exp(-k * t) / (1 - np.exp(-k * tau)) - np.exp(-ka * t) / (1 - np.exp(-ka * tau)))


def accumulation_ratio(k: float, tau: float) -> float:
    """Accumulation factor $R = 1/(1 - e^{-k\\tau})$ of a first-order process dosed every ``tau`` h."""
    return 1.0 / (1.0 - math.exp(-k * tau))


def rate_matrix(params: "PkParameters") -> np.ndarray:
    """Disposition rate matrix (amounts in central[, peripheral]), 1/h: ``dA/dt = M A``."""
    v1 = params.central_volume.value
    k10 = params.total_clearance / v1
    if not params.two_compartment:
        return np.array([[-k10]])
    q = params.intercompartmental_clearance.value  # type: ignore[union-attr]
    v2 = params.peripheral_volume.value  # type: ignore[union-attr]
    return np.array([[-k10 - q / v1, q / v2], [q / v1, -q / v2]])


def terminal_half_life(params: "PkParameters") -> float:
    """Terminal (slowest) disposition half-life, h: $\\ln 2 / \\lambda_z$."""
    rates = -np.linalg.eigvals(rate_matrix(params)).real
    return math.log(2.0) / float(rates.min())


def first_order_profile(params: "PkParameters", t_h: np.ndarray, ka: float, dose_nmol: float = 1.0) -> np.ndarray:
    """Central concentration (nM) after one first-order oral dose (lag ignored).

    Solved with the matrix exponential of the linear system (one ``expm`` per time for repeated
    eigenvalues; otherwise by eigendecomposition, vectorized over times).
    """
    m = rate_matrix(params)
    n = m.shape[0]
    full = np.zeros((n + 1, n + 1))
    full[0, 0] = -ka
    full[1, 0] = ka
    full[1:, 1:] = m
    x0 = np.zeros(n + 1)
    x0[0] = dose_nmol * params.bioavailability.value
    times = np.atleast_1d(np.asarray(t_h, dtype=float))
    eigenvalues, vectors = np.linalg.eig(full)
    if np.min(np.abs(np.subtract.outer(eigenvalues, eigenvalues)) + np.eye(n + 1)) < 1e-9 * ka:
        out = np.array([(expm(full * t) @ x0)[1] for t in times])
    else:
        coefficients = np.linalg.solve(vectors, x0)
        out = (np.exp(np.outer(times, eigenvalues)) * coefficients) @ vectors[1]
        out = out.real
    return out / params.central_volume.value


def tmax_of(params: "PkParameters", ka: float) -> float:
    """Time of the peak after one first-order dose (lag excluded), h."""
    k10 = params.total_clearance / params.central_volume.value
    if not params.two_compartment:
        if abs(ka - k10) < 1e-12 * ka:
            return 1.0 / ka
        return math.log(ka / k10) / (ka - k10)
    grid = np.linspace(0.0, 48.0 / max(min(ka, 1.0), 0.05), 4001)[1:]
    profile = first_order_profile(params, grid, ka)
    i = int(np.argmax(profile))
    lo, hi = grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)]
    fine = np.linspace(lo, hi, 401)
    return float(fine[int(np.argmax(first_order_profile(params, fine, ka)))])


def ka_for_tmax(params: "PkParameters", tmax_h: float) -> float:
    """Absorption rate (1/h) that gives the model a peak at ``tmax_h`` after the lag (bisection).

    Tmax falls as ka rises; the search is over 0.01-100 1/h.
    """
    lo, hi = math.log(0.01), math.log(100.0)
    if not tmax_of(params, math.exp(hi)) < tmax_h < tmax_of(params, math.exp(lo)):
        raise ValueError(f"no ka in 0.01-100 1/h gives Tmax = {tmax_h} h for {params.drug}")
    for _ in range(60):
        mid = (lo + hi) / 2.0
        if tmax_of(params, math.exp(mid)) > tmax_h:
            lo = mid
        else:
            hi = mid
    return float(math.exp((lo + hi) / 2.0))


def half_life_from_profile(t_h: np.ndarray, c: np.ndarray) -> float:
    """Apparent terminal half-life (h) from the log-linear slope of the last three points."""
    t = np.asarray(t_h, dtype=float)[-3:]
    y = np.log(np.asarray(c, dtype=float)[-3:])
    slope = np.polyfit(t, y, 1)[0]
    return float(math.log(2.0) / -slope)
