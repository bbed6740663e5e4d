"""The demo's drug chapters: oral ruxolitinib in a virtual child (DPM) and baricitinib in JDM.

Both read the PK and pathway inhibition off :func:`jakstat.pharmacology.pk_table` (total and
unbound plasma concentration, nM; inhibition of each cytokine pathway, 0-1) over the last day of a
week of dosing. The JDM chapter adds the whole-blood pSTAT1 assay after IFN-alpha ex vivo
(:func:`jakstat.pharmacology.whole_blood.whole_blood_pstat`) and the 6-gene interferon score of
``target_jdm_ifn.csv`` (JDM01/JDM02) over :data:`SCORE_DAYS` days of baricitinib
(:func:`jakstat.experiments.ifn_course.score_course`: the blood ISG network under the drug's PK, a
patient at the dermatomyositis upper-quartile serum IFN-alpha).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from jakstat.data import table_row
from jakstat.pharmacology.pk_api import TIME, TOTAL, UNBOUND, pk_table, time_above

DAYS = 7
LAST_DAY = ((DAYS - 1) * 24.0, DAYS * 24.0)
PATHWAYS = ("IL-6", "IFN-alpha/beta", "IFN-gamma")
RUX_CHILD = {"drug": "ruxolitinib", "dose": "5 mg", "regimen": "BID", "weight": "30 kg"}
JDM_WEIGHTS_KG = (20.0, 40.0)  # one virtual child in each published baricitinib weight band (demo inputs)
SCORE_DAYS = 21
WHOLE_BLOOD_DRAWS_H = tuple(LAST_DAY[0] + h for h in (0.0, 0.5, 1.0, 2.0, 4.0, 8.0, 12.0, 18.0, 24.0))


def last_day(table: pd.DataFrame) -> pd.DataFrame:
    """Rows of a :func:`pk_table` within the last day of dosing, with ``hour_of_day`` (0-24 h) added."""
    part = table[(table[TIME] >= LAST_DAY[0]) & (table[TIME] <= LAST_DAY[1])].copy()
    part.insert(1, "hour_of_day", part[TIME] - LAST_DAY[0])
    return part


def day_summary(day: pd.DataFrame, label: str) -> pd.DataFrame:
    """Per pathway over the day: mean, lowest and highest share of signalling capacity blocked (%) and hours above 50%."""
    rows = []
    for pathway in PATHWAYS:
        column = f"inhibition_{pathway}"
        values = 100.0 * day[column]
        rows.append({"child": label, "pathway": pathway, "mean capacity blocked (%)": values.mean(),
                     "trough (%)": values.min(), "peak (%)": values.max(),
                     "hours >= 50% of capacity blocked": time_above(day, column, 0.5)})
    return pd.DataFrame(rows)


def ruxolitinib_child() -> pd.DataFrame:
    """The virtual child's PK table: ruxolitinib 5 mg BID, 30 kg, 7 days (every 15 min)."""
    c = RUX_CHILD
    return pk_table(c["drug"], c["dose"], c["regimen"], weight=c["weight"], days=DAYS)


def ruxolitinib_figure(day: pd.DataFrame):
    """Plasma total and unbound ruxolitinib (nM) and pathway inhibition (%) over the last day."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2), constrained_layout=True)
    axes[0].plot(day["hour_of_day"], day[TOTAL], label="total")
    axes[0].plot(day["hour_of_day"], day[UNBOUND], label="unbound")
    axes[0].set(title="plasma ruxolitinib, day 7", xlabel="hours after the morning dose", ylabel="nM", yscale="log")
    for pathway in PATHWAYS:
        axes[1].plot(day["hour_of_day"], 100.0 * day[f"inhibition_{pathway}"], label=pathway)
    axes[1].axhline(50.0, color="grey", lw=0.8, ls=":")
    axes[1].set(title="pathway inhibition, day 7", xlabel="hours after the morning dose", ylabel="% inhibited",
                ylim=(0, 100))
    for ax in axes:
        ax.set_xticks(np.arange(0, 25, 4))
        ax.legend(fontsize=8)
    fig.suptitle("Oral ruxolitinib 5 mg twice daily in a virtual 30 kg child (7 days)")
    return fig


@dataclass(frozen=True)
class JdmChild:
    """A virtual JDM child on the published baricitinib band dose, with its PK table."""

    weight_kg: float
    mg: float
    regimen: str
    band_source: str
    table: pd.DataFrame

    @property
    def label(self) -> str:
        return f"{self.weight_kg:g} kg, baricitinib {self.mg:g} mg {self.regimen}"


def jdm_children() -> tuple[JdmChild, ...]:
    """One child per published pediatric baricitinib weight band (:func:`jakstat.studies.published_bands`)."""
    from jakstat.studies import published_bands

    children = []
    for weight in JDM_WEIGHTS_KG:
        band = next(b for b in published_bands("baricitinib") if b.low_kg <= weight < b.high_kg)
        table = pk_table("baricitinib", f"{band.mg:g} mg", band.regimen, weight=f"{weight:g} kg", days=DAYS)
        children.append(JdmChild(weight, band.mg, band.regimen, band.source, table))
    return tuple(children)


def whole_blood(children: tuple[JdmChild, ...]) -> pd.DataFrame:
    """% inhibition of IFN-alpha-induced pSTAT1 in CD4 T cells in blood drawn over day 7, per child."""
    from jakstat.pharmacology.whole_blood import whole_blood_pstat

    frames = []
    for child in children:
        frame = whole_blood_pstat("baricitinib", f"{child.mg:g} mg", child.regimen, weight=f"{child.weight_kg:g} kg",
                                  draw_times_h=WHOLE_BLOOD_DRAWS_H, cytokine="IFN-alpha",
                                  cell_types=("cd4_t_cell",))
        frame.insert(0, "child", child.label)
        frame.insert(2, "hour_of_day", frame["time_h"] - LAST_DAY[0])
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def jdm_figure(children: tuple[JdmChild, ...], blood: pd.DataFrame | None):
    """Type I IFN pathway inhibition over day 7 per child, and the whole-blood pSTAT1 inhibition if run."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(16, 4.2), constrained_layout=True)
    for child in children:
        day = last_day(child.table)
        line, = axes[0].plot(day["hour_of_day"], day[TOTAL], label=child.label)
        axes[0].plot(day["hour_of_day"], day[UNBOUND], color=line.get_color(), ls="--")
        axes[1].plot(day["hour_of_day"], 100.0 * day["inhibition_IFN-alpha/beta"], color=line.get_color(),
                     label=child.label)
        if blood is not None:
            part = blood[blood["child"] == child.label]
            axes[2].plot(part["hour_of_day"], part["value"], "o-", color=line.get_color(), label=child.label)
    axes[0].set(title="plasma baricitinib (solid total, dashed unbound)", ylabel="nM", yscale="log")
    axes[1].set(title="type I IFN (IFN-alpha/beta) pathway inhibition", ylabel="% inhibited", ylim=(0, 100))
    if blood is not None:
        axes[2].set(title="whole blood: IFN-alpha-induced pSTAT1, CD4 T cells", ylabel="% inhibition", ylim=(0, 100))
    else:
        axes[2].text(0.5, 0.5, "whole-blood assay not run", ha="center", va="center", transform=axes[2].transAxes)
    for ax in axes:
        ax.set(xlabel="hours after the day-7 dose", xticks=np.arange(0, 25, 4))
        ax.legend(fontsize=8)
    fig.suptitle("JDM: baricitinib once daily by weight band (pediatric), day 7")
    return fig


def interferon_scores(children: tuple[JdmChild, ...]) -> pd.DataFrame:
    """Each child's interferon score (and the six genes' folds) over :data:`SCORE_DAYS` days of baricitinib."""
    from jakstat.experiments.ifn_course import ACTIVE_JDM_SERUM_IFN_PG_ML, score_course

    frames = []
    for child in children:
        course = score_course(ACTIVE_JDM_SERUM_IFN_PG_ML, float(SCORE_DAYS), drug="baricitinib", dose=f"{child.mg:g} mg",
                              regimen=child.regimen, weight=f"{child.weight_kg:g} kg", points_per_day=8)
        frame = course.frame.copy()
        frame.insert(0, "child", child.label)
        frame.insert(2, "day", frame["time_h"] / 24.0)
        frame["group_threshold"] = course.threshold
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def score_figure(scores: pd.DataFrame):
    """The interferon score over the weeks of baricitinib, per child, against the positivity cut-off."""
    import matplotlib.pyplot as plt

    from jakstat.experiments.ifn_score_assay import published_cutoff

    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2), constrained_layout=True)
    for child, part in scores.groupby("child", sort=False):
        line, = axes[0].plot(part["day"], part["interferon_score"], label=child)
        axes[1].plot(part["day"], part["IFI27_fold"], color=line.get_color(), label=f"IFI27, {child}")
        axes[1].plot(part["day"], part["ISG15_fold"], color=line.get_color(), ls="--", label=f"ISG15, {child}")
    axes[0].axhline(published_cutoff(), color="crimson", ls="--", lw=0.9, label=f"positive > {published_cutoff():g}")
    axes[0].set(title="interferon score (median fold of 6 ISGs)", ylabel="fold vs 29 virtual controls", ylim=(0, None))
    axes[1].set(title="two of the six genes", ylabel="fold vs control median", yscale="log")
    for ax in axes:
        ax.set(xlabel="days of baricitinib once daily")
        ax.legend(fontsize=8)
    fig.suptitle("JDM: interferon score under baricitinib (serum IFN-alpha 0.23 pg/mL, held constant)")
    return fig


def ifn_score_text(scores: pd.DataFrame) -> str:
    """The interferon score's definition (JDM01, JDM02) and what the model computes under baricitinib."""
    from jakstat.experiments.ifn_course import ACTIVE_JDM_SERUM_IFN_PG_ML
    from jakstat.network.isg_blood import bioactivity

    score = table_row("target_jdm_ifn", finding_id="JDM01")
    cut = table_row("target_jdm_ifn", finding_id="JDM02")
    seen = table_row("target_jdm_ifn", finding_id="JDM22")
    f, f_source = bioactivity()
    parts = []
    for child, part in scores.groupby("child", sort=False):
        last = part[part["day"] >= part["day"].iloc[-1] - 1.0]["interferon_score"]
        parts.append(f"{child}: {part['interferon_score'].iloc[0]:.2f} before, {last.min():.2f}-{last.max():.2f} "
                     f"over day {SCORE_DAYS}")
    return (f"Interferon score (JDM01, verified={score['verified']}): {score['measure']}; {score['source']}. "
            f"Positive above {cut['on_treatment']} (JDM02: {cut['measure']}). The model computes it from the "
            "simulated mRNA of the six genes (IFI27, IFI44L, IFIT1, ISG15, RSAD2, SIGLEC1; per-gene kinetics assumed, "
            f"isg_score_genes.csv) in blood leukocytes at a constant serum IFN-alpha of {ACTIVE_JDM_SERUM_IFN_PG_ML:g} "
            "pg/mL (the dermatomyositis upper quartile), against 29 seeded virtual healthy controls; the serum IFN "
            f"bioactivity factor {f:.3g} is fitted so that such control groups have the published threshold "
            f"({f_source}). Under baricitinib: " + "; ".join(parts) + ". "
            f"Published under baricitinib: {seen['measure']} {seen['on_treatment']} (JDM22, {seen['source']}, "
            "magnitude not seen). Serum IFN is held at its pre-treatment level (the model has no IFN-producing "
            "cells), so only the drug's effect on the IFN-receiving cells is in these numbers.")
