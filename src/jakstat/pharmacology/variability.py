"""Between-subject variability: log-normal individual parameters from the reported CV%.

Each :class:`~jakstat.pharmacology.pk_parameters.PkValue` with a CV (read from the table's
``variability`` cell) is drawn as $\\theta_i = \\theta \\exp(\\eta_i)$,
$\\eta_i \\sim N(0, \\omega^2)$, $\\omega^2 = \\ln(1 + CV^2)$ (so the CV of $\\theta_i$ is the
reported CV). Parameters are independent (the tables give no correlations); values without a CV
stay at their typical value.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from jakstat.network.provenance import Derived
from jakstat.pharmacology.pk_parameters import PkParameters, PkValue


def omega(cv: float) -> float:
    """Standard deviation of eta for a log-normal parameter with coefficient of variation ``cv`` (fraction)."""
    return math.sqrt(math.log1p(cv * cv))


def sample_individuals(params: PkParameters, n: int, seed: int = 0) -> list[PkParameters]:
    """Draw ``n`` individual parameter sets around ``params`` (typical values, any weight).

    Parameters
    ----------
    params : PkParameters
        Typical (possibly weight-scaled) parameters.
    n : int
        Number of individuals (>= 1).
    seed : int
        Seed of ``numpy.random.default_rng``; the same seed gives the same individuals (individual i
        does not depend on ``n``).

    Returns
    -------
    list of PkParameters
        Each varied value has a :class:`Derived` provenance naming the CV and the draw.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    rng = np.random.default_rng(seed)
    varied = {name: value for name, value in sorted(params.values().items()) if value.cv is not None}
    out = []
    for i in range(n):  # individual by individual: individual i is the same whatever n
        changes: dict[str, PkValue] = {}
        for name, value in varied.items():
            eta = float(rng.normal(0.0, omega(value.cv)))  # type: ignore[arg-type]
            changes[name] = replace(value, value=value.value * math.exp(eta), cv=None, provenance=Derived(
                f"individual {i} (seed {seed}): typical {value.value:g} {value.unit} x exp({eta:.4f}), "
                f"log-normal with CV {100 * value.cv:g}% ({value.provenance.describe()})"))  # type: ignore[operator]
        out.append(replace(params, **changes))  # type: ignore[arg-type]
    return out
