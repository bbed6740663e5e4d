"""The demo's systemic chapter: serum IL-6 and CRP of an inflamed patient, untreated, on oral
ruxolitinib and on tocilizumab (:mod:`jakstat.experiments.serum`).

The serum model is an adult's (70 kg) and its untreated patient is the calibration's: serum IL-6
65.16 pg/mL, CRP 51.67 mg/L (calibration ``crp_healthy_serum``). It answers the question the DPM
reports raise ("normalisation of inflammatory markers" on ruxolitinib, DPM16) with the model's
prediction for a JAK inhibitor next to an IL-6R antibody, whose effect on CRP is published.
"""

from __future__ import annotations

import pandas as pd

from jakstat.experiments import run_assay

PATIENT_IL6 = "65.16 pg/mL"
TIMES_H = (0.0, 12.0, 24.0, 48.0, 72.0, 120.0, 168.0, 240.0, 336.0, 504.0, 672.0)
ARMS: tuple[tuple[str, dict, dict], ...] = (
    ("untreated", {}, {}),
    ("ruxolitinib 10 mg BID", {"drugs": {"ruxolitinib": "10 mg"}}, {"regimen": "BID"}),
    ("tocilizumab 8 mg/kg IV Q4W", {"antibodies": {"tocilizumab": "8 mg/kg"}}, {"antibody_regimen": "Q4W"}),
)
"""(label, conditions beyond the patient's serum IL-6, protocol options) per arm."""


def run_serum() -> pd.DataFrame:
    """Tidy serum table of every arm: ``arm``, ``readout`` (IL-6, CRP), ``time_h``, ``value``, ``unit``."""
    frames = []
    for label, conditions, options in ARMS:
        result = run_assay("serum", conditions={"cytokines": {"IL-6": PATIENT_IL6}, **conditions},
                           times_h=list(TIMES_H), **options)
        frames.append(result.table[["readout", "time_h", "value", "unit"]].assign(arm=label))
    return pd.concat(frames, ignore_index=True)[["arm", "readout", "time_h", "value", "unit"]]


def serum_figure(table: pd.DataFrame):
    """Two panels over four weeks: free serum IL-6 (pg/mL) and CRP (mg/L, log), one line per arm."""
    import matplotlib.pyplot as plt

    from jakstat.experiments.serum import CRP_NORMAL_MG_L

    fig, axes = plt.subplots(1, 2, figsize=(10, 3.6))
    for (readout, unit), ax in zip((("IL-6", "pg/mL"), ("CRP", "mg/L")), axes):
        for arm, rows in table[table["readout"] == readout].groupby("arm", sort=False):
            ax.plot(rows["time_h"] / 24.0, rows["value"], marker="o", ms=3, label=arm)
        ax.set_xlabel("days from the first dose")
        ax.set_ylabel(f"serum {readout} ({unit})")
    axes[1].set_yscale("log")
    axes[1].axhline(CRP_NORMAL_MG_L, color="tab:red", ls="--", lw=1, label="healthy < 3 mg/L")
    axes[1].legend(fontsize=8)
    fig.tight_layout()
    return fig


def serum_text(table: pd.DataFrame) -> str:
    """What the chapter shows, with the model's numbers at day 14 and day 28."""
    crp = table[table["readout"] == "CRP"].pivot_table(index="time_h", columns="arm", values="value")
    il6 = table[table["readout"] == "IL-6"].pivot_table(index="time_h", columns="arm", values="value")
    rux, toc = ARMS[1][0], ARMS[2][0]
    return (f"An inflamed adult (70 kg; serum IL-6 {PATIENT_IL6}, CRP {crp.loc[0.0, 'untreated']:.3g} mg/L at the "
            f"start: the serum calibration's patient). Day 14: CRP {crp.loc[336.0, rux]:.3g} mg/L on {rux}, "
            f"{crp.loc[336.0, toc]:.3g} mg/L on {toc} (free IL-6 {il6.loc[336.0, toc]:.3g} pg/mL: the antibody "
            f"blocks IL-6's receptor-mediated clearance); day 28, the tocilizumab trough: "
            f"{crp.loc[672.0, toc]:.3g} mg/L. The tocilizumab numbers are checked against published ones in "
            "tests/validation/test_serum_crp.py (docs/serum_crp.md, with the rows the model misses); the "
            "ruxolitinib line is the model's prediction: its short half-life leaves the liver's IL-6 pathway "
            f"inhibited for only part of each interval, so CRP falls by {100 * (1 - crp.loc[336.0, rux] / crp.loc[0.0, 'untreated']):.0f}% "
            "and stays far above normal, whereas the DPM reports describe inflammatory markers normalising on "
            "ruxolitinib (DPM16, direction only) - a gap the model does not close.")
