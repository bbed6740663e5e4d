"""The four-parameter logistic (Hill) curve of a dose-response, fitted by least squares (scipy).

$$ I(c) = \\text{bottom} + \\frac{\\text{top} - \\text{bottom}}{1 + (IC_{50}/c)^{h}} $$

with $c$ the concentration (nM), $I$ the inhibition (fraction), $h$ the Hill slope. The fit runs on
$\\log_{10} IC_{50}$ (so the IC50 stays positive and the problem is well scaled); $IC_{50}$ here is the
relative IC50, the midpoint between bottom and top (for a curve from 0 to 1 it is the absolute IC50).
A reversible single-site inhibitor on one JAK, read out proportionally to the free JAK fraction,
gives exactly $h = 1$, bottom 0, top 1 and $IC_{50} = K_{app}$ (:mod:`jakstat.pharmacology.in_vitro`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np

from jakstat.errors import InvalidValueError

MIN_POINTS = 4
MIN_SPAN = 1e-6
"""A response that changes by less than this (fraction) over the range has no IC50 to fit."""


@dataclass(frozen=True)
class LogisticFit:
    """A fitted four-parameter logistic.

    Attributes
    ----------
    ic50_nm : float
        Relative IC50, nM (NaN when no fit was possible).
    hill : float
        Hill slope (dimensionless, > 0 for inhibition rising with concentration).
    bottom, top : float
        Inhibition (fraction) at zero and at infinite concentration.
    rmse : float
        Root-mean-square residual, fraction.
    n_points : int
    within_range : bool
        Whether the IC50 lies inside the tested concentrations (outside it is an extrapolation).
    message : str
        Empty for a good fit; otherwise why the numbers should not be trusted.
    """

    ic50_nm: float
    hill: float
    bottom: float
    top: float
    rmse: float
    n_points: int
    within_range: bool
    message: str = ""

    def to_dict(self) -> dict:
        return asdict(self)

    def curve(self, c_nm: np.ndarray) -> np.ndarray:
        """The fitted inhibition at concentrations ``c_nm`` (nM)."""
        return four_parameter_logistic(np.asarray(c_nm, dtype=float), self.bottom, self.top, self.ic50_nm, self.hill)


def four_parameter_logistic(c_nm: np.ndarray, bottom: float, top: float, ic50_nm: float, hill: float) -> np.ndarray:
    """$\\text{bottom} + (\\text{top} - \\text{bottom}) / (1 + (IC_{50}/c)^h)$; 0 concentration gives bottom."""
    c = np.asarray(c_nm, dtype=float)
    with np.errstate(divide="ignore", over="ignore"):
        ratio = np.where(c > 0, (ic50_nm / np.where(c > 0, c, 1.0)) ** hill, np.inf)
    return bottom + (top - bottom) / (1.0 + ratio)


def fit_logistic(c_nm, inhibition) -> LogisticFit:
    """Fit :func:`four_parameter_logistic` to inhibition (fraction) at concentrations ``c_nm`` (nM, > 0).

    Raises
    ------
    InvalidValueError
        Fewer than 4 distinct positive concentrations, or non-finite values.
    """
    import warnings

    from scipy.optimize import OptimizeWarning, curve_fit

    c = np.asarray(c_nm, dtype=float)
    y = np.asarray(inhibition, dtype=float)
    keep = c > 0
    c, y = c[keep], y[keep]
    if np.unique(c).size < MIN_POINTS:
        raise InvalidValueError(f"concentrations: a four-parameter fit needs at least {MIN_POINTS} distinct "
                                f"concentrations > 0; got {np.unique(c).size}")
    if not np.all(np.isfinite(y)):
        raise InvalidValueError("inhibition: every value must be finite to fit a curve")
    order = np.argsort(c)
    c, y = c[order], y[order]
    span = float(y.max() - y.min())
    if span < MIN_SPAN:
        return LogisticFit(float("nan"), float("nan"), float(y.mean()), float(y.mean()), 0.0, int(c.size), False,
                           f"the response changes by only {span:.3g} over {c[0]:.3g}-{c[-1]:.3g} nM: no IC50")
    x = np.log10(c)

    def model(x, bottom, top, log_ic50, hill):
        return bottom + (top - bottom) / (1.0 + 10.0 ** (hill * (log_ic50 - x)))

    mid = 0.5 * (y[0] + y[-1])
    k = int(np.argmin(np.abs(y - mid)))
    guess = (y[0], y[-1], x[k], 1.0 if y[-1] >= y[0] else -1.0)
    try:
        with warnings.catch_warnings():  # an exact curve has no covariance estimate; only the estimate is used
            warnings.simplefilter("ignore", OptimizeWarning)
            popt, _ = curve_fit(model, x, y, p0=guess, maxfev=20_000, xtol=1e-14, ftol=1e-14)
        message = ""
    except RuntimeError as exc:  # no convergence: report the guess, say so
        popt, message = np.array(guess, dtype=float), f"the fit did not converge ({exc})"
    bottom, top, log_ic50, hill = (float(v) for v in popt)
    if hill < 0:  # the same curve written with bottom and top swapped
        bottom, top, hill = top, bottom, -hill
    rmse = float(np.sqrt(np.mean((model(x, *popt) - y) ** 2)))
    within = bool(x[0] <= log_ic50 <= x[-1])
    if not message and not within:
        message = "the IC50 lies outside the tested concentrations (extrapolated); widen the range"
    return LogisticFit(float(10.0 ** log_ic50), hill, bottom, top, rmse, int(c.size), within, message)


__all__ = ["LogisticFit", "fit_logistic", "four_parameter_logistic"]
