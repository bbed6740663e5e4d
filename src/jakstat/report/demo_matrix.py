"""The demo's gel and size chapter: collagen gel contraction and cell size of healthy, variant,
ruxolitinib-treated variant and IL-6-bathed healthy fibroblasts (:mod:`jakstat.experiments.gel`,
:mod:`jakstat.experiments.size`).

Both readouts are phenomenological links to the cells' STAT activity with assumed parameters
(directions only: DPM05 increased contraction, DPM11 larger cells, DPM09 IL-6 copies the phenotype);
same protocol as the scratch chapter (conditions from a medium change 24 h before the assay).
"""

from __future__ import annotations

import pandas as pd

from jakstat.experiments import run_assay
from jakstat.report.demo_dpm import VARIANT
from jakstat.report.demo_scratch import PRETREATMENT_H

CONDITIONS = (("healthy", {}), ("healthy + IL-6 10 ng/mL", {"cytokines": {"IL-6": "10 ng/mL"}}),
              ("STAT4 A635V/wt", {"genotype": VARIANT}),
              ("STAT4 A635V/wt + ruxolitinib 1 uM", {"genotype": VARIANT, "drugs": {"ruxolitinib": "1 uM"}}))
ASSAYS = (("gel", "gel_area"), ("size", "relative_cell_area"))


def run_gel_and_size() -> pd.DataFrame:
    """Tidy gel-area and relative-cell-area tables of the four cultures, with a ``condition`` column."""
    frames = []
    for label, conditions in CONDITIONS:
        for assay, readout in ASSAYS:
            table = run_assay(assay, conditions=conditions, pretreatment_h=PRETREATMENT_H, readouts=[readout]).table
            frames.append(table[["assay", "readout", "time_h", "value", "unit"]].assign(condition=label))
    return pd.concat(frames, ignore_index=True)


def gel_size_figure(table: pd.DataFrame):
    """Two panels over 72 h: gel area (% of initial) and cell area (% of healthy at t = 0), one line per culture."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    titles = {"gel_area": "collagen gel area (% of initial)", "relative_cell_area": "cell area (% of healthy)"}
    for (assay, readout), ax in zip(ASSAYS, axes):
        for condition, rows in table[table["readout"] == readout].groupby("condition", sort=False):
            ax.plot(rows["time_h"], rows["value"], marker="o", ms=3, label=condition)
        ax.set_xlabel("hours after seeding the assay")
        ax.set_ylabel(titles[readout])
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def gel_size_text(table: pd.DataFrame) -> str:
    """The numbers at 72 h, with the directions the published rows ask for."""
    last = table[table["time_h"] == table["time_h"].max()].pivot_table(index="condition", columns="readout",
                                                                         values="value")
    parts = [f"{c}: gel {last.loc[c, 'gel_area']:.0f}%, cell area {last.loc[c, 'relative_cell_area']:.0f}%"
             for c, _ in CONDITIONS]
    return ("Collagen gel contraction and cell size at 72 h (" + "; ".join(parts) + "). Published directions: the "
            "variant contracts gels more (DPM05) and its cells are larger (DPM11); IL-6 moves healthy cells that way "
            "(DPM09); the links from STAT activity to these readouts are phenomenological with assumed parameters "
            "(model card), so only the directions are checked (tests/validation/test_dpm_assays.py).")
