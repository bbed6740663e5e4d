"""A patient's interferon score over time: chronic serum type I IFN, with or without an oral JAK inhibitor.

The patient's blood leukocytes (:func:`jakstat.network.isg_blood.blood_isg_network`) sit at steady
state in a constant serum IFN-alpha level (times ``f_ifn_bioactivity``) until the first dose at
$t = 0$. The drug's oral PK is merged into the network (:func:`jakstat.pharmacology.coupled.drug_coupled_network`:
doses as events, pediatric scaling by weight, JAK occupancy by the unbound plasma concentration in the
receptor's activation rate, IFNAR needing JAK1 and TYK2 free), so ISGF3 and the score ISGs follow the
drug's concentration over each dosing interval. Serum IFN is held at its pre-treatment level: the model
has no IFN-producing cells, so a drug effect on IFN production is not included.

The score at each output time is :func:`jakstat.experiments.interferon_score.interferon_score` of
the patient's simulated expression against the virtual control group (untreated, steady state).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jakstat.errors import InvalidValueError
from jakstat.experiments.interferon_score import (
    compiled_blood_network,
    control_scores,
    interferon_score,
    positivity_threshold,
    serum_nm,
    steady_state_curve,
    virtual_controls,
)
from jakstat.network.isg_blood import LIGAND_SPECIES, SCORE_GENES, bioactivity, blood_isg_network


ACTIVE_JDM_SERUM_IFN_PG_ML = 0.23
"""Serum IFN-alpha of the demo's and the tests' JDM patient, pg/mL: the upper quartile of dermatomyositis.

No JDM serum IFN-alpha number is in the tables (cell_types.csv, Rodero 2017: "markedly higher in JDM",
verified=no); the measured disease levels are those of dermatomyositis (ifn_score_inputs.csv: median
0.07, upper quartile 0.23, active-disease cut-off 0.11 pg/mL). The patient is one of the upper quarter
(:func:`jakstat.experiments.interferon_score.serum_level` gives the same number from the table; a
test checks that they agree).
"""


def jdm_jaki_dose(weight_kg: float) -> tuple[str, str]:
    """Initial ruxolitinib/tofacitinib dose of refractory JDM by weight (Ding 2021, target_jdm_ifn.csv JDM10).

    Read from the row's text (``<25 kg: 2.5 mg twice daily; >=25 kg: 5 mg twice daily``); returns
    ``(dose, regimen)``, e.g. ``("5 mg", "BID")``.
    """
    import re

    from jakstat.data import table_row

    text = table_row("target_jdm_ifn", finding_id="JDM10")["on_treatment"]
    low = re.search(r"<\s*(\d+(?:\.\d+)?)\s*kg:\s*(\d+(?:\.\d+)?)\s*mg twice daily", text)
    high = re.search(r">=\s*(\d+(?:\.\d+)?)\s*kg:\s*(\d+(?:\.\d+)?)\s*mg twice daily", text)
    if not (low and high and low[1] == high[1]):
        raise InvalidValueError(f"target_jdm_ifn.csv JDM10: cannot read the weight bands from {text!r}")
    if not (np.isfinite(weight_kg) and weight_kg > 0):
        raise InvalidValueError(f"weight: must be > 0 kg, got {weight_kg!r}")
    mg = low[2] if weight_kg < float(low[1]) else high[2]
    return f"{mg} mg", "BID"


@dataclass(frozen=True)
class ScoreCourse:
    """The result of :func:`score_course`.

    Attributes
    ----------
    frame : pandas.DataFrame
        One row per output time: ``time_h`` (h after the first dose), ``interferon_score`` (fold),
        each gene's fold change vs the control median, ``pSTAT1_nmol`` (phosphorylated STAT1 in the
        1e5 modelled cells, nmol), ``ISGF3_nuc_nM``, ``total_plasma_nM`` and ``unbound_plasma_nM``
        (0 without drug).
    threshold : float
        Positivity threshold of the virtual control group (mean + 2 SD of their scores).
    controls : pandas.DataFrame
        The virtual controls (:func:`virtual_controls`).
    """

    frame: pd.DataFrame
    threshold: float
    controls: pd.DataFrame


def score_course(serum_ifn_pg_ml: float, days: float, *, drug: str | None = None, dose: str | None = None,
                 regimen: str = "BID", weight: str = "30 kg", cell: str = "monocyte", points_per_day: int = 24,
                 n_controls: int = 29, seed: int = 2017) -> ScoreCourse:
    """Interferon score, gene fold changes and pSTAT1 of a patient over ``days`` (first dose at t = 0).

    Parameters
    ----------
    serum_ifn_pg_ml : float
        Serum IFN-alpha, pg/mL (>= 0), held constant.
    days : float
        Simulated time, days (> 0).
    drug, dose, regimen, weight
        Oral JAK inhibitor as for ``jakstat pk`` (``"baricitinib"``, ``"4 mg"``, ``"QD"``, ``"30 kg"``);
        ``drug=None``: untreated.
    cell : str
        ``monocyte`` or ``cd4_t_cell`` (the same generated IFN pathway).
    points_per_day : int
        Output times per day (>= 1).
    n_controls, seed
        The virtual control group (:func:`virtual_controls`).
    """
    from jakstat.api import run_network, time_grid_s
    from jakstat.compile.codegen import compile_network
    from jakstat.engine.integrate import SolverOptions
    from jakstat.engine.steady_state import steady_state
    from jakstat.network.edit import with_initial_values
    from jakstat.network.provenance import Derived
    from jakstat.pharmacology.whole_blood import phospho_weights

    if not (np.isfinite(serum_ifn_pg_ml) and serum_ifn_pg_ml >= 0):
        raise InvalidValueError(f"serum IFN-alpha: must be a finite level >= 0 pg/mL, got {serum_ifn_pg_ml!r}")
    if not (np.isfinite(days) and days > 0):
        raise InvalidValueError(f"days: must be > 0, got {days!r}")
    if not (isinstance(points_per_day, int) and points_per_day >= 1):
        raise InvalidValueError(f"points_per_day: must be an integer >= 1, got {points_per_day!r}")
    if drug is not None and dose is None:
        raise InvalidValueError(f"dose: give the dose of {drug} (e.g. '4 mg' or '0.1 mg/kg')")
    f, f_source = bioactivity()
    level = float(f * serum_nm(serum_ifn_pg_ml))
    net = with_initial_values(blood_isg_network(cell), {LIGAND_SPECIES: level},
                              Derived(f"serum IFN-alpha {serum_ifn_pg_ml:g} pg/mL x f_ifn_bioactivity {f:.4g} ({f_source})"))
    model = compiled_blood_network(cell)  # the same network with serum IFN 0; the level goes in through y0
    y0 = np.array(model.y0, dtype=float)
    y0[list(model.species_ids).index(LIGAND_SPECIES)] = level
    y_ss = steady_state(model, y0=y0, rel=1e-8, options=SolverOptions(method="BDF", rtol=1e-9, atol=1e-13))
    net = with_initial_values(net, dict(zip(model.species_ids, y_ss)),
                              Derived("steady state in the serum IFN level before the first dose"))
    times = time_grid_s(f"{days * 24.0} h", int(round(days * points_per_day)) + 1)
    if drug is None:
        states = np.repeat(y_ss[None, :], times.size, axis=0)
        data = {s: states[:, i] for i, s in enumerate(model.species_ids)}
        data["total_plasma_nM"] = data["unbound_plasma_nM"] = np.zeros(times.size)
        run_model = model
    else:
        from jakstat.pharmacology.coupled import FU_PARAMETER, drug_coupled_network
        from jakstat.pharmacology.pk_model import CENTRAL_SPECIES

        coupled = drug_coupled_network(net, drug, dose, regimen, weight, days)
        run_model = compile_network(coupled)
        ds = run_network(coupled, times, SolverOptions(rtol=1e-8, atol=1e-12), model=run_model)
        data = {s: np.asarray(ds[s].values) for s in ds.data_vars}
        data["total_plasma_nM"] = data[CENTRAL_SPECIES]
        data["unbound_plasma_nM"] = coupled[FU_PARAMETER].value * data[CENTRAL_SPECIES]
    controls = virtual_controls(n_controls, seed, cell, f, steady_state_curve(cell))
    genes = list(SCORE_GENES)
    expression = pd.DataFrame({g: data[f"{g}_mRNA"] for g in genes})
    score = interferon_score(expression, controls[genes])
    folds = expression / controls[genes].median(axis=0)
    net_ids = list(run_model.species_ids)
    volumes = np.array([run_model.network.compartment_of(s).size for s in net_ids])
    weights = phospho_weights(run_model, "STAT1", volumes)
    pstat1 = np.column_stack([data[s] for s in net_ids]) @ weights
    frame = pd.DataFrame({"time_h": times / 3600.0, "interferon_score": score.to_numpy(),
                          **{f"{g}_fold": folds[g].to_numpy() for g in genes}, "pSTAT1_nmol": pstat1,
                          "ISGF3_nuc_nM": data["ISGF3_nuc"], "total_plasma_nM": data["total_plasma_nM"],
                          "unbound_plasma_nM": data["unbound_plasma_nM"]})
    frame.attrs.update({"serum_ifn_pg_ml": serum_ifn_pg_ml, "f_ifn_bioactivity": f, "cell": cell,
                        "drug": "none" if drug is None else f"{drug} {dose} {regimen}", "weight": weight})
    return ScoreCourse(frame, positivity_threshold(control_scores(controls)), controls)


__all__ = ["ACTIVE_JDM_SERUM_IFN_PG_ML", "ScoreCourse", "jdm_jaki_dose", "score_course"]
