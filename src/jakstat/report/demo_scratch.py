"""The demo's scratch chapter: wound closure of healthy, variant and ruxolitinib-treated variant fibroblasts.

Runs the scratch assay of :mod:`jakstat.experiments` (Fisher-KPP wound, migration and growth slowed
by nuclear pSTAT3 through assumed phenomenological links) with the protocol of
``tests/validation/test_dpm_assays.py``: 1e5 cells in 1 mL, the conditions from a medium change
24 h before the scratch (DPM08: neither concentration nor timing of the study is published).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from jakstat.experiments import run_assay
from jakstat.report.demo_dpm import VARIANT, quote

PRETREATMENT_H = 24.0
TIMES_H = (0.0, 6.0, 12.0, 18.0, 24.0, 30.0, 36.0, 42.0, 48.0)
CONDITIONS = (("healthy", {}), ("STAT4 A635V/wt", {"genotype": VARIANT}),
              ("STAT4 A635V/wt + ruxolitinib 1 uM", {"genotype": VARIANT, "drugs": {"ruxolitinib": "1 uM"}}))
READOUTS = ("wound_closure", "wound_density")


def run_scratches() -> pd.DataFrame:
    """The tidy scratch tables of the three cultures, with a ``condition`` column (label)."""
    frames = []
    for label, conditions in CONDITIONS:
        table = run_assay("scratch", times_h=list(TIMES_H), conditions=conditions, pretreatment_h=PRETREATMENT_H,
                          readouts=list(READOUTS)).table
        frames.append(table.assign(condition=label))
    return pd.concat(frames, ignore_index=True)


def _series(table: pd.DataFrame, condition: str, readout: str) -> pd.Series:
    part = table[(table["condition"] == condition) & (table["readout"] == readout)]
    return part.set_index("time_h")["value"]


def rescue(table: pd.DataFrame, time_h: float = 48.0, readout: str = "wound_density") -> float:
    """Fraction of the variant's deficit (vs healthy) that ruxolitinib restores at ``time_h``."""
    healthy, variant, treated = (_series(table, label, readout).loc[time_h] for label, _ in CONDITIONS)
    return float((treated - variant) / (healthy - variant))


def scratch_figure(table: pd.DataFrame):
    """% wound closure (edge-based) and % wound density over 48 h, one line per culture."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2), constrained_layout=True)
    titles = {"wound_closure": "wound closure (half-confluence edge)", "wound_density": "relative wound density"}
    for ax, readout in zip(axes, READOUTS):
        styles = ({"marker": "o", "lw": 3, "alpha": 0.6}, {"marker": "s"}, {"marker": "x", "ls": "--"})
        for (label, _), style in zip(CONDITIONS, styles):
            series = _series(table, label, readout)
            ax.plot(series.index, series.to_numpy(), label=label, **style)
        ax.set(title=titles[readout], xlabel="time after the scratch (h)", ylabel="%", ylim=(-2, 102),
               xticks=np.arange(0, 49, 12))
    axes[0].legend(fontsize=8)
    fig.suptitle("Scratch assay: 500 um wound, cells in the conditions from 24 h before the scratch")
    return fig


def scratch_text(table: pd.DataFrame) -> str:
    """The published directions (DPM04, DPM07) and the model's numbers at 24 h and 48 h."""
    parts = []
    for t in (24.0, 48.0):
        values = ", ".join(f"{label} {_series(table, label, 'wound_density').loc[t]:.0f}%" for label, _ in CONDITIONS)
        parts.append(f"wound density at {t:g} h: {values}")
    return (f"{quote('DPM04')}\n\n{quote('DPM07')}\n\nPredicted, not fitted: the links from nuclear pSTAT3 to "
            f"migration and proliferation are assumed (directions only in the data; docs/assays.md). Model: "
            f"{'; '.join(parts)}. Ruxolitinib restores {100 * rescue(table):.0f}% of the variant's wound-density "
            f"deficit at 48 h (DPM07 asks > 50% of the closure deficit). The edge-based closure jumps to 100% once "
            f"the wound's centre passes half confluence, so it is steep late in closure.")
