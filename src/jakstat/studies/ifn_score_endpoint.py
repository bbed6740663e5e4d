"""Trial endpoint ``interferon_score``: each patient's 6-gene score over the last dosing interval.

Registered on import of :mod:`jakstat.studies` (:func:`register`). Per patient, the drug's unbound plasma
concentration over the interval gives the type I IFN receptor's signalling capacity
$c(t) = 1 - I(t)$, with $I$ the IFN-alpha/beta pathway inhibition of
:func:`jakstat.pharmacology.pathway_inhibition` (JAK1 and TYK2 occupancy). The blood ISG network
(:mod:`jakstat.network.isg_blood`) at the endpoint's serum IFN-alpha is solved to steady state on a grid
of capacities (``free_JAK1`` = c, one compile per process), and each gene's mRNA is averaged over the
interval as $\\overline{m} = \\overline{m_{ss}(c(t))}$. At a periodic steady state this mean is exact for
the linear mRNA balance ($\\dot m = \\mathrm{tx}(t) - k m$ gives $\\overline{m} = \\overline{\\mathrm{tx}}/k$)
as long as ISGF3 follows the drug within minutes (quasi-steady signalling). The score is that of the
mean expression against the virtual controls (:func:`jakstat.experiments.interferon_score.virtual_controls`).

Config settings (all optional): ``serum_ifn_pg_ml`` (default: the dermatomyositis upper quartile, 0.23),
``cell`` (``monocyte``), ``n_controls`` (29), ``seed`` (2017). Columns: ``interferon_score`` (fold) and
``interferon_score_positive`` (score > 2.466). Antibody arms get NaN (their inhibition of this pathway
is not a JAK occupancy).
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from jakstat.studies.endpoints import EndpointContext, register_endpoint

KIND = "interferon_score"
CAPACITY_GRID = np.linspace(0.0, 1.0, 21)


@lru_cache(maxsize=8)
def capacity_curve(serum_ifn_pg_ml: float, cell: str = "monocyte") -> dict[str, np.ndarray]:
    """Steady-state mRNA (nM) of each score gene at each capacity of :data:`CAPACITY_GRID`."""
    from jakstat.engine.integrate import SolverOptions
    from jakstat.engine.steady_state import steady_state
    from jakstat.experiments.interferon_score import compiled_blood_network, serum_nm
    from jakstat.network.isg_blood import LIGAND_SPECIES, SCORE_GENES, bioactivity

    model = compiled_blood_network(cell)
    ids, params = list(model.species_ids), list(model.parameter_ids)
    y = np.array(model.y0, dtype=float)
    y[ids.index(LIGAND_SPECIES)] = bioactivity()[0] * float(serum_nm(serum_ifn_pg_ml))
    p = np.array(model.p0, dtype=float)
    out = {g: np.empty(CAPACITY_GRID.size) for g in SCORE_GENES}
    for k in range(CAPACITY_GRID.size - 1, -1, -1):  # from full capacity down, each from the previous state
        p[params.index("free_JAK1")] = CAPACITY_GRID[k]
        y = steady_state(model, y0=y, p=p, rel=1e-8, options=SolverOptions(method="BDF", rtol=1e-9, atol=1e-13))
        for g in SCORE_GENES:
            out[g][k] = y[ids.index(f"{g}_mRNA")]
    return out


def mean_expression(serum_ifn_pg_ml: float, capacity: np.ndarray, times_h: np.ndarray, cell: str = "monocyte"):
    """Interval-mean mRNA (nM) per gene for capacities ``capacity`` (n_patients, n_times): dict gene -> (n_patients,)."""
    from scipy.interpolate import PchipInterpolator

    curve = capacity_curve(float(serum_ifn_pg_ml), cell)
    tau = float(times_h[-1] - times_h[0])
    c = np.clip(capacity, 0.0, 1.0)
    return {g: np.trapezoid(PchipInterpolator(CAPACITY_GRID, m)(c), times_h, axis=1) / tau for g, m in curve.items()}


def interferon_score_endpoint(context: EndpointContext) -> dict[str, np.ndarray]:
    """The registered endpoint function (see the module docstring)."""
    import pandas as pd

    from jakstat.experiments.ifn_course import ACTIVE_JDM_SERUM_IFN_PG_ML
    from jakstat.experiments.ifn_score_assay import published_cutoff
    from jakstat.experiments.interferon_score import interferon_score, virtual_controls
    from jakstat.knowledge import get_drug
    from jakstat.network.isg_blood import SCORE_GENES
    from jakstat.pharmacology.inhibition import pathway_inhibition

    spec = context.spec or {}
    serum = float(spec.get("serum_ifn_pg_ml", ACTIVE_JDM_SERUM_IFN_PG_ML))
    cell = str(spec.get("cell", "monocyte"))
    n = context.unbound_nM.shape[0]
    if context.drug is not None and get_drug(context.drug).kind == "biologic":
        return {KIND: np.full(n, np.nan), f"{KIND}_positive": np.full(n, np.nan)}
    if context.drug is None:
        capacity = np.ones_like(context.unbound_nM)
    else:
        capacity = 1.0 - pathway_inhibition(context.drug, "IFN-alpha/beta", context.unbound_nM)
    expression = pd.DataFrame(mean_expression(serum, capacity, context.times_h, cell))
    controls = virtual_controls(int(spec.get("n_controls", 29)), int(spec.get("seed", 2017)), cell)
    score = interferon_score(expression, controls[list(SCORE_GENES)]).to_numpy()
    return {KIND: score, f"{KIND}_positive": score > published_cutoff()}


def register() -> None:
    """Make ``interferon_score`` a computable trial endpoint."""
    register_endpoint(KIND, interferon_score_endpoint)


__all__ = ["CAPACITY_GRID", "KIND", "capacity_curve", "interferon_score_endpoint", "mean_expression", "register"]
