"""The clinical interferon score (Rice 2017) from simulated ISG expression in blood leukocytes.

The score (target_jdm_ifn.csv JDM01, JDM02; Rice GI et al., J Clin Immunol 2017;37:123-132):

$$ \\mathrm{fold}_{g,s} = \\frac{x_{g,s}}{\\operatorname{median}_{c \\in \\mathrm{controls}} x_{g,c}}, \\qquad
   \\mathrm{IS}_s = \\operatorname{median}_{g \\in \\mathrm{6\\ ISGs}} \\mathrm{fold}_{g,s}, \\qquad
   \\mathrm{positive} \\iff \\mathrm{IS}_s > \\overline{\\mathrm{IS}}_{\\mathrm{controls}} + 2\\,\\mathrm{SD}, $$

with $x_{g,s}$ the expression of gene $g$ in subject $s$ relative to the housekeeping genes (qPCR RQ,
$2^{-\\Delta\\Delta C_t}$: proportional to the mRNA per cell, which is what the model gives). The
published cut-off is 2.466 for 29 controls; :func:`positivity_threshold` computes it from any set of
control scores (sample SD, ``ddof=1``).

The inputs are simulated (:mod:`jakstat.network.isg_blood`): blood leukocytes at steady state in a
constant serum type I IFN level. :class:`SteadyStateCurve` holds the network's steady states over
a grid of IFN levels (one compile, continuation from level to level) and interpolates between them
(monotone cubic in log-log; a test checks it against direct steady states). A virtual healthy-control
population (:func:`virtual_controls`, seeded) varies what differs between healthy people: the serum
IFN-alpha level (log-normal with the median and quartiles of measured healthy donors,
``ifn_score_inputs.csv``) and each gene's expression (log-normal factor per subject and gene with the
table's ``control_sd_ln``, assumed).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from jakstat.data import load_table
from jakstat.errors import InvalidValueError
from jakstat.network.isg_blood import IFN, LIGAND_SPECIES, SCORE_GENES, bioactivity, blood_isg_network, isg_kinetics

PUBLISHED_N_CONTROLS = 29
"""Controls behind the published threshold (JDM01/JDM02)."""
Z_QUARTILE = 0.6744897501960817
"""Standard-normal upper quartile: a log-normal's IQR in log space is 2 x 0.6745 sigma."""


def fold_changes(expression: pd.DataFrame, controls: pd.DataFrame) -> pd.DataFrame:
    """Fold change of each gene (column) of each subject (row) vs the median of the controls."""
    genes = list(expression.columns)
    missing = [g for g in genes if g not in controls.columns]
    if missing:
        raise InvalidValueError(f"controls: no expression for {', '.join(missing)}; they have {', '.join(controls.columns)}")
    if len(controls) == 0:
        raise InvalidValueError("controls: need at least one control subject")
    reference = controls[genes].median(axis=0)
    if not (np.all(np.isfinite(reference)) and np.all(reference > 0)):
        raise InvalidValueError(f"controls: median expression must be > 0 for every gene, got {reference.to_dict()}")
    if not np.all(np.isfinite(expression.to_numpy(dtype=float))) or (expression.to_numpy(dtype=float) < 0).any():
        raise InvalidValueError("expression: values must be finite and >= 0 (relative quantities, 2^-ddCt)")
    return expression[genes] / reference


def interferon_score(expression: pd.DataFrame, controls: pd.DataFrame) -> pd.Series:
    """Median over genes of the fold changes vs the median of the controls (one value per subject)."""
    return fold_changes(expression, controls).median(axis=1).rename("interferon_score")


def positivity_threshold(control_scores: pd.Series | np.ndarray) -> float:
    """Mean + 2 SD (sample SD) of the controls' own scores."""
    scores = np.asarray(control_scores, dtype=float)
    if scores.size < 2:
        raise InvalidValueError(f"control scores: need at least 2 to compute an SD, got {scores.size}")
    return float(scores.mean() + 2.0 * scores.std(ddof=1))


def serum_level(population: str) -> tuple[float, float, float, str]:
    """(median, lower quartile, upper quartile) of serum IFN-alpha, pg/mL, and their source (ifn_score_inputs.csv)."""
    table = load_table("ifn_score_inputs")
    part = table[table["population"] == population]
    if part.empty:
        from jakstat.errors import UnknownNameError

        raise UnknownNameError("population in ifn_score_inputs.csv", population, sorted(set(table["population"])))

    def get(kind: str) -> float:
        return float(part.loc[part["quantity"] == f"serum IFN-alpha {kind}", "value"].iloc[0])

    row = part.iloc[0]
    return get("median"), get("lower quartile"), get("upper quartile"), f"{row['source']} ({row['evidence'].split(' ')[-1]})"


def serum_nm(pg_per_ml: float | np.ndarray) -> np.ndarray:
    """Serum IFN-alpha, pg/mL -> nM with the IFN-alpha2a mass of molecular_weights.csv."""
    from jakstat.network.builders import concentration_nm

    return np.asarray(pg_per_ml, dtype=float) * concentration_nm("serum IFN-alpha", "1 pg/mL", IFN)


@dataclass(frozen=True)
class SteadyStateCurve:
    """Steady states of the blood network over a grid of effective IFN levels (nM at the leukocytes).

    Attributes
    ----------
    cell : str
    ligand_nm : ndarray
        Grid of effective IFN levels, nM (log-spaced).
    mrna_nm : dict of str to ndarray
        Each score gene's mRNA (nM) at the grid levels.
    readouts : dict of str to ndarray
        ``ISGF3_nuc`` (nM) and ``pSTAT1`` (phosphorylated STAT1, nmol per 1e5 cells) at the grid levels.
    """

    cell: str
    ligand_nm: np.ndarray
    mrna_nm: dict
    readouts: dict

    def at(self, name: str, ligand_nm: float | np.ndarray) -> np.ndarray:
        """Interpolated steady-state ``name`` (a score gene or a readout) at effective IFN ``ligand_nm``."""
        from scipy.interpolate import PchipInterpolator

        table = self.mrna_nm if name in self.mrna_nm else self.readouts
        values = np.maximum(table[name], 1e-300)
        level = np.asarray(ligand_nm, dtype=float)
        if np.any(level < 0):
            raise InvalidValueError(f"IFN level must be >= 0 nM, got {level.min():g}")
        x = np.log(np.clip(level, self.ligand_nm[0], self.ligand_nm[-1]))
        out = np.exp(PchipInterpolator(np.log(self.ligand_nm), np.log(values))(x))
        return np.where(level <= self.ligand_nm[0], values[0], out)  # below the grid: IFN-free steady state


@lru_cache(maxsize=4)
def compiled_blood_network(cell: str = "monocyte"):
    """:func:`jakstat.network.isg_blood.blood_isg_network` compiled once per process (serum IFN set through ``y0``)."""
    from jakstat.compile.codegen import compile_network

    return compile_network(blood_isg_network(cell))


@lru_cache(maxsize=4)
def steady_state_curve(cell: str = "monocyte", decades: tuple[float, float] = (-8.0, -1.0),
                       per_decade: int = 3) -> SteadyStateCurve:
    """The steady states of :func:`jakstat.network.isg_blood.blood_isg_network` over a grid of IFN levels.

    The lowest grid level (1e-8 nM by default, ~0.2 fg/mL of serum IFN-alpha) is below any IFN effect
    in this network (score genes within 0.1% of their IFN-free level), so it stands for zero IFN; at the
    highest (0.1 nM) ISGF3 is saturated and the curve is held flat above it. Steady state: every
    derivative below 1e-8 of its species per second (the slowest mRNA, 12 h half-life, is then within
    0.1% of its limit).
    """
    from jakstat.engine.integrate import SolverOptions
    from jakstat.engine.steady_state import steady_state
    from jakstat.pharmacology.whole_blood import phospho_weights

    net = blood_isg_network(cell)
    model = compiled_blood_network(cell)
    ids = list(model.species_ids)
    grid = np.logspace(decades[0], decades[1], int(round((decades[1] - decades[0]) * per_decade)) + 1)
    volumes = np.array([net.compartment_of(s).size for s in ids])
    weights = phospho_weights(model, "STAT1", volumes)
    y = np.array(model.y0, dtype=float)
    states = []
    for level in grid:
        y = y.copy()
        y[ids.index(LIGAND_SPECIES)] = level
        y = steady_state(model, y0=y, rel=1e-8, options=SolverOptions(method="BDF", rtol=1e-9, atol=1e-13))
        states.append(y)
    states = np.array(states)
    mrna = {g: states[:, ids.index(f"{g}_mRNA")] for g in SCORE_GENES}
    readouts = {"ISGF3_nuc": states[:, ids.index("ISGF3_nuc")], "pSTAT1": states @ weights}
    return SteadyStateCurve(cell, grid, mrna, readouts)


def lognormal_from_quartiles(median: float, q1: float, q3: float) -> float:
    """sigma (natural log) of a log-normal with quartiles ``q1``, ``q3`` (geometric mean of the two halves)."""
    if not 0 < q1 < median < q3:
        raise InvalidValueError(f"quartiles must satisfy 0 < q1 < median < q3, got {q1}, {median}, {q3}")
    return float((np.log(q3) - np.log(q1)) / (2.0 * Z_QUARTILE))


def virtual_controls(n: int = PUBLISHED_N_CONTROLS, seed: int = 2017, cell: str = "monocyte",
                     f_bioactivity: float | None = None, curve: SteadyStateCurve | None = None) -> pd.DataFrame:
    """A seeded healthy-control population: serum IFN-alpha (pg/mL) and each score gene's expression (nM).

    Serum IFN-alpha is log-normal with the healthy median and quartiles of ``ifn_score_inputs.csv``;
    each gene's expression is the network's steady state at that level times a log-normal factor
    (sd ``control_sd_ln`` of ``isg_score_genes.csv``; assumed). Subject $i$ uses the ``i``-th draws of
    ``numpy.random.default_rng(seed)``: one normal for IFN, then one per gene in table order.
    """
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise InvalidValueError(f"n_controls: need an integer >= 2 (mean + 2 SD), got {n!r}")
    f = bioactivity()[0] if f_bioactivity is None else float(f_bioactivity)
    curve = curve or steady_state_curve(cell)
    median, q1, q3, _ = serum_level("healthy")
    sigma = lognormal_from_quartiles(median, q1, q3)
    z = np.random.default_rng(seed).standard_normal((n, 1 + len(SCORE_GENES)))
    serum = median * np.exp(sigma * z[:, 0])
    level = f * serum_nm(serum)
    frame = {"serum_ifn_pg_ml": serum}
    sd = {k.gene: k.control_sd_ln for k in isg_kinetics()}
    for j, gene in enumerate(SCORE_GENES):
        frame[gene] = curve.at(gene, level) * np.exp(sd[gene] * z[:, 1 + j])
    return pd.DataFrame(frame, index=pd.RangeIndex(n, name="control"))


def control_scores(controls: pd.DataFrame) -> pd.Series:
    """Each control's score against the whole control group (itself included), as the paper computes them."""
    return interferon_score(controls[list(SCORE_GENES)], controls[list(SCORE_GENES)])


def patient_expression(serum_ifn_pg_ml: float | np.ndarray, cell: str = "monocyte",
                       f_bioactivity: float | None = None) -> pd.DataFrame:
    """Steady-state expression (nM) of the score genes of a typical subject (gene factors 1) at serum IFN levels."""
    f = bioactivity()[0] if f_bioactivity is None else float(f_bioactivity)
    level = f * serum_nm(np.atleast_1d(serum_ifn_pg_ml))
    curve = steady_state_curve(cell)
    return pd.DataFrame({g: curve.at(g, level) for g in SCORE_GENES})


__all__ = ["PUBLISHED_N_CONTROLS", "SteadyStateCurve", "control_scores", "fold_changes", "interferon_score",
           "lognormal_from_quartiles", "patient_expression", "positivity_threshold", "serum_level", "serum_nm",
           "steady_state_curve", "virtual_controls"]
