"""The demo's first chapter: healthy versus STAT4-variant dermal fibroblasts in vitro (DPM).

Ten cultures (healthy ``wt`` and ``STAT4:A635V/wt`` fibroblasts, each in medium only, + IL-6,
+ ruxolitinib, + anti-IL-6, + anti-IL-6R), read out as in ``tests/validation/test_dpm_stat4.py``:
IL-6 in the supernatant by ELISA (free + antibody-bound IL-6, pg/mL), the gene panel (IL6 and
SOCS3 mRNA, nuclear pSTAT3 and pSTAT4 dimers) as fold change versus healthy medium-only, and the
time courses. The published findings are quoted from ``target_dpm_stat4.csv`` with their ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from jakstat.api import Scenario
from jakstat.data import table_row
from jakstat.data.calibration_records import calibration_record

IL6_PG_PER_ML_PER_NM = 21_000.0  # 21 kDa (molecular_weights.csv): 1 nM = 21 ng/mL = 21000 pg/mL
CALIBRATION = "stat4_gof_fibroblast"
VARIANT = "STAT4:A635V/wt"
GENOTYPES = (("healthy", "wt"), ("STAT4 A635V/wt", VARIANT))
TREATMENTS = (
    ("medium only", {}),
    ("+ IL-6 10 ng/mL", {"cytokines": (("IL-6", "10 ng/mL"),)}),
    ("+ ruxolitinib 1 uM", {"drugs": (("ruxolitinib", "1 uM"),)}),
    ("+ anti-IL-6 10 ug/mL", {"antibodies": (("anti-IL-6", "10 ug/mL"),)}),
    ("+ anti-IL-6R 10 ug/mL", {"antibodies": (("anti-IL-6R", "10 ug/mL"),)}),
)
CONDITIONS: tuple[tuple[str, Scenario], ...] = tuple(
    (f"{g_label}, {t_label}", Scenario(genotype=genotype, **extra))
    for g_label, genotype in GENOTYPES for t_label, extra in TREATMENTS)
"""(label, scenario) of every culture, healthy first; labels ``"<genotype>, <treatment>"``."""

# The gene panel: readout name -> species summed (nM); pSTAT4 counts wild-type, mixed and variant dimers.
PANEL = {
    "IL6 mRNA": ("IL6_mRNA_cyt",),
    "SOCS3 mRNA": ("SOCS3_mRNA_cyt",),
    "nuclear pSTAT3 dimer": ("pSTAT3_dimer_nuc",),
    "nuclear pSTAT4 dimers": ("pSTAT4_dimer_nuc", "pSTAT4_pSTAT4v_dimer_nuc", "pSTAT4v_dimer_nuc"),
}
BASELINE = "healthy, medium only"


def elisa_pg_ml(frame: pd.DataFrame) -> pd.Series:
    """IL-6 an ELISA of the supernatant reads, pg/mL: free plus antibody-bound IL-6 (both carry the epitope)."""
    return (frame["IL6_medium"] + frame["anti_IL6_IL6_medium"]) * IL6_PG_PER_ML_PER_NM


def readouts(data: pd.DataFrame, times_h: tuple[float, ...] = (24.0, 48.0)) -> pd.DataFrame:
    """ELISA IL-6 (pg/mL) and the gene panel (nM) per condition at ``times_h``."""
    part = data[data["time_h"].isin(times_h)]
    out = part[["condition", "time_h"]].copy()
    out["IL-6 ELISA (pg/mL)"] = elisa_pg_ml(part)
    for name, species in PANEL.items():
        out[f"{name} (nM)"] = part[list(species)].sum(axis=1)
    return out.reset_index(drop=True)


def fold_changes(table: pd.DataFrame, time_h: float = 48.0) -> pd.DataFrame:
    """Each readout of :func:`readouts` at ``time_h`` divided by healthy medium-only (dimensionless)."""
    at = table[table["time_h"] == time_h].set_index("condition").drop(columns="time_h")
    return at / at.loc[BASELINE]


@dataclass(frozen=True)
class Findings:
    """The model's numbers for the published DPM findings at 48 h (see :func:`findings`)."""

    fold_dpm03: float
    healthy_pg_ml: float
    variant_pg_ml: float
    variant_rux_pg_ml: float
    il6_mrna_cut: dict[str, float]
    dpm09_log_distance: dict[str, tuple[float, float]]
    calibration: dict


def findings(table: pd.DataFrame) -> Findings:
    """DPM03 (fitted), DPM07, DPM09 and DPM10 (predicted) read off the 48 h readouts."""
    at = table[table["time_h"] == 48.0].set_index("condition")
    il6 = at["IL-6 ELISA (pg/mL)"]
    healthy, variant = "healthy, medium only", "STAT4 A635V/wt, medium only"
    mrna = at["IL6 mRNA (nM)"]
    cut = {name: 1.0 - mrna[f"STAT4 A635V/wt, + {name}"] / mrna[variant]
           for name in ("anti-IL-6 10 ug/mL", "anti-IL-6R 10 ug/mL", "ruxolitinib 1 uM")}
    distance = {}
    for name in ("nuclear pSTAT3 dimer", "IL6 mRNA", "SOCS3 mRNA"):
        column = at[f"{name} (nM)"]
        distance[name] = (abs(np.log(column[healthy] / column[variant])),
                          abs(np.log(column["healthy, + IL-6 10 ng/mL"] / column[variant])))
    record = calibration_record(CALIBRATION)
    return Findings(il6[variant] / il6[healthy], il6[healthy], il6[variant],
                    il6["STAT4 A635V/wt, + ruxolitinib 1 uM"], cut, distance, record)


def quote(finding_id: str) -> str:
    """A finding of ``target_dpm_stat4.csv`` in one line: id, claim, evidence, source."""
    row = table_row("target_dpm_stat4", finding_id=finding_id)
    return (f"{finding_id} ({row['assay']}; {row['condition']}): {row['value']} ({row['unit']}; comparator: "
            f"{row['comparator']}). "
            f"Model test: {row['tolerance_for_model']}. Evidence: {row['evidence']} (verified={row['verified']}); "
            f"{row['source']}, {row['locator']}.")


def elisa_text(found: Findings) -> str:
    """The model's ELISA numbers at 48 h in one line."""
    return (f"Model at 48 h, medium only: healthy {found.healthy_pg_ml:.3g} pg/mL, STAT4 A635V/wt "
            f"{found.variant_pg_ml:.3g} pg/mL, {found.fold_dpm03:.1f}-fold (fitted to DPM03); with ruxolitinib 1 uM "
            f"the variant secretes {found.variant_rux_pg_ml:.3g} pg/mL (predicted, DPM07). The IL-6 10 ng/mL bars "
            "include the added IL-6; the anti-IL-6 bars include antibody-bound IL-6, which the ELISA also reads.")


def _treatment_colours():
    import matplotlib.pyplot as plt

    cmap = plt.get_cmap("tab10")
    return {label: cmap(i) for i, (label, _) in enumerate(TREATMENTS)}


def elisa_figure(table: pd.DataFrame, found: Findings):
    """Bars of ELISA IL-6 (pg/mL, log) per condition at 24 h and 48 h; the published 12-fold marked."""
    import matplotlib.pyplot as plt

    colours = _treatment_colours()
    fig, axes = plt.subplots(1, 2, figsize=(14, 4.6), constrained_layout=True, sharey=True)
    width = 0.16
    for ax, time_h in zip(axes, (24.0, 48.0)):
        at = table[table["time_h"] == time_h].set_index("condition")["IL-6 ELISA (pg/mL)"]
        for j, (t_label, _) in enumerate(TREATMENTS):
            x = np.arange(len(GENOTYPES)) + (j - 2) * width
            heights = [at[f"{g_label}, {t_label}"] for g_label, _ in GENOTYPES]
            ax.bar(x, heights, width, color=colours[t_label], label=t_label)
        ax.set_xticks(np.arange(len(GENOTYPES)), [g for g, _ in GENOTYPES])
        ax.set(yscale="log", title=f"IL-6 in the supernatant at {time_h:g} h", ylabel="IL-6 (pg/mL, ELISA)")
    healthy, variant = found.healthy_pg_ml, found.variant_pg_ml
    ax = axes[1]
    ax.plot([0 - 2 * width, 1 - 2 * width], [healthy, healthy * 12], "k--", lw=1)
    ax.annotate(f"published DPM03: 12-fold\nmodel (fitted): {found.fold_dpm03:.1f}-fold",
                xy=(1 - 2 * width, variant), xytext=(0.35, variant * 8), fontsize=8,
                arrowprops={"arrowstyle": "->", "lw": 0.8})
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right upper", fontsize=8)
    fig.suptitle("Secretion ELISA: healthy vs STAT4 A635V/wt dermal fibroblasts (1e5 cells, 1 mL)")
    return fig


def panel_figure(table: pd.DataFrame):
    """Bars of the gene panel at 48 h as fold change vs healthy medium-only (log scale)."""
    import matplotlib.pyplot as plt

    colours = _treatment_colours()
    folds = fold_changes(table)
    fig, axes = plt.subplots(1, len(PANEL), figsize=(17, 4.2), constrained_layout=True)
    width = 0.16
    for ax, name in zip(axes, PANEL):
        for j, (t_label, _) in enumerate(TREATMENTS):
            x = np.arange(len(GENOTYPES)) + (j - 2) * width
            ax.bar(x, [folds.loc[f"{g}, {t_label}", f"{name} (nM)"] for g, _ in GENOTYPES], width,
                   color=colours[t_label], label=t_label)
        ax.axhline(1.0, color="grey", lw=0.8)
        ax.set_xticks(np.arange(len(GENOTYPES)), ["healthy", "STAT4 A635V"])
        ax.set(yscale="log", title=name, ylabel="fold vs healthy, medium only")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right upper", fontsize=8)
    fig.suptitle("Gene panel at 48 h")
    return fig


def timecourse_figure(data: pd.DataFrame):
    """Time courses over 48 h: ELISA IL-6, nuclear pSTAT3 and pSTAT4 dimers, IL6 mRNA; one line per culture."""
    import matplotlib.pyplot as plt

    colours = _treatment_colours()
    fig, axes = plt.subplots(1, 4, figsize=(19, 4.4), constrained_layout=True)
    for label, group in data.groupby("condition", sort=False):
        genotype, treatment = label.split(", ", 1)
        style = {"color": colours[treatment], "ls": "-" if genotype == "healthy" else "--", "label": label}
        t = group["time_h"]
        axes[0].plot(t, elisa_pg_ml(group), **style)
        axes[1].plot(t, group["pSTAT3_dimer_nuc"], **style)
        axes[2].plot(t, group[list(PANEL["nuclear pSTAT4 dimers"])].sum(axis=1), **style)
        axes[3].plot(t, group["IL6_mRNA_cyt"], **style)
    axes[0].set(title="IL-6 in the supernatant", ylabel="pg/mL (ELISA)", yscale="log")
    axes[1].set(title="nuclear pSTAT3 dimer", ylabel="nM")
    axes[2].set(title="nuclear pSTAT4 dimers (wt + variant)", ylabel="nM")
    axes[3].set(title="IL6 mRNA (cytoplasm)", ylabel="nM", yscale="log")
    for ax in axes:
        ax.set_xlabel("time (h)")
    fig.legend(*axes[0].get_legend_handles_labels(), loc="outside right upper", fontsize=7)
    fig.suptitle("Fibroblast time courses after the medium change (solid: healthy; dashed: STAT4 A635V/wt)")
    return fig


def fitted_and_predicted(found: Findings) -> str:
    """What the calibration fitted and what the model predicts, in words with the model's numbers."""
    record = found.calibration
    params = ", ".join(f"{k} = {v['value']:.3g} {v['unit']}" for k, v in record["parameters"].items())
    held = ", ".join(f"{k} = {v['value']:.3g} {v['unit']} ({v['reason']})" for k, v in record["held_fixed"].items())
    cut = found.il6_mrna_cut
    dist = "; ".join(f"{k} {a:.2f} -> {b:.2f}" for k, (a, b) in found.dpm09_log_distance.items())
    return (
        f"Fitted: one number only. Calibration {CALIBRATION} ({record['date']}, {record['method']}) fitted "
        f"{params} to {', '.join(record['targets_fitted'])} (held fixed: {held}). The model gives "
        f"{found.fold_dpm03:.1f}-fold more IL-6 from variant than healthy fibroblasts at 48 h "
        f"({found.variant_pg_ml:.3g} vs {found.healthy_pg_ml:.3g} pg/mL); the calibration record says "
        f"{record['result']['fold']:.1f}; published 12-fold (DPM03, a secondary source).\n\n"
        f"Predicted (held out of the fit: {', '.join(record['targets_held_out'])}): "
        f"DPM07: ruxolitinib 1 uM lowers variant IL-6 at 48 h from {found.variant_pg_ml:.3g} to "
        f"{found.variant_rux_pg_ml:.3g} pg/mL ({100 * (1 - found.variant_rux_pg_ml / found.variant_pg_ml):.0f}% lower). "
        f"DPM10: IL6 mRNA of variant cells is lowered by {100 * cut['anti-IL-6 10 ug/mL']:.0f}% with anti-IL-6, "
        f"{100 * cut['anti-IL-6R 10 ug/mL']:.0f}% with anti-IL-6R and {100 * cut['ruxolitinib 1 uM']:.0f}% with "
        f"ruxolitinib (published: IL-6 blockade rescues less than JAK inhibition). DPM09: IL-6 10 ng/mL moves "
        f"healthy cells toward the variant state (absolute log distance to the variant, without -> with IL-6: "
        f"{dist}). The published DPM07/09/10 findings are directions only (no magnitudes), so these are "
        f"checks of direction, not of size; the ruxolitinib concentration of the study is not published (DPM08).")


def write_figure(fig, path: Path, alt: str, caption: str):
    """Save ``fig`` as PNG at ``path`` and return it embedded for the report (the same bytes)."""
    import matplotlib.pyplot as plt

    from jakstat.report.html import png_figure

    fig.savefig(path, dpi=100)
    plt.close(fig)
    return png_figure(path.read_bytes(), alt=alt, caption=caption)
