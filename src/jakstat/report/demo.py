"""The demo: the DPM and JDM case in one report.

1. DPM, fibroblasts in vitro (:mod:`jakstat.report.demo_dpm`): healthy vs STAT4 A635V/wt dermal
   fibroblasts with medium only, IL-6, ruxolitinib, anti-IL-6 or anti-IL-6R: secretion ELISA, gene
   panel, time courses, scratch closure (:mod:`jakstat.report.demo_scratch`, healthy vs variant vs
   variant + ruxolitinib), collagen gel contraction and cell size (:mod:`jakstat.report.demo_matrix`);
   what is fitted (DPM03) and what is predicted (DPM04/07/09/10).
2. Oral ruxolitinib in a virtual child (:mod:`jakstat.report.demo_drugs`): PK and pathway inhibition
   over the last day of a week of 5 mg BID at 30 kg.
3. Systemic inflammation (:mod:`jakstat.report.demo_serum`): serum IL-6 and CRP of an inflamed adult,
   untreated, on oral ruxolitinib and on tocilizumab.
4. JDM: baricitinib by weight band, type I IFN pathway inhibition, whole-blood pSTAT1 and the
   6-gene interferon score over three weeks.

Writes into the output folder the figures (PNG), the fibroblast time courses (Parquet + CSV with
unit sidecars), the PK tables (CSV) and a self-contained HTML report.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from jakstat.api import DISCLAIMER, prepare_network, run_network, time_grid_s
from jakstat.report import demo_drugs as drugs
from jakstat.report import demo_dpm as dpm
from jakstat.report import demo_matrix as matrix
from jakstat.report import demo_scratch as scratch
from jakstat.report import demo_serum as serum
from jakstat.report.html import Report, Table, Text

CONDITIONS = dpm.CONDITIONS
STEPS: tuple[str, ...] = (*(label for label, _ in CONDITIONS), "scratch assays", "gel contraction and cell size",
                          "oral ruxolitinib in a 30 kg child", "serum IL-6 and CRP", "baricitinib in JDM children",
                          "whole-blood pSTAT1 (compiles the CD4 T-cell network)",
                          "interferon score under baricitinib", "figures and report")
"""The progress steps of :func:`run_demo`, in order (one ``progress`` call each)."""

SECTIONS = ("DPM: secretion ELISA", "DPM: gene panel", "DPM: time courses", "DPM: scratch assay",
            "DPM: gel contraction and cell size",
            "DPM: fitted and predicted",
            "Oral ruxolitinib in a virtual child", "Systemic inflammation: serum IL-6 and CRP",
            "JDM: baricitinib and the interferon pathway",
            "Fibroblast model")
"""The report's section headings after the scenario, in order."""


def run_demo(out: Path, progress: Callable[[str], None] = lambda _: None) -> dict[str, Path]:
    """Run the demo's three chapters and write figures, data and report into ``out``; return the paths."""
    import matplotlib

    matplotlib.use("Agg")

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    times = time_grid_s("48 h", 193)
    frames, network = [], None
    for label, scenario in CONDITIONS:
        progress(label)
        net = prepare_network(scenario)
        if scenario.genotype == dpm.VARIANT and not (scenario.drugs or scenario.antibodies or scenario.cytokines):
            network = net
        frame = run_network(net, times).to_dataframe().reset_index()
        frame.insert(0, "condition", label)
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    progress(STEPS[len(CONDITIONS)])
    scratches = scratch.run_scratches()
    progress(STEPS[len(CONDITIONS) + 1])
    gels = matrix.run_gel_and_size()
    progress(STEPS[len(CONDITIONS) + 2])
    rux = drugs.ruxolitinib_child()
    progress(STEPS[len(CONDITIONS) + 3])
    sera = serum.run_serum()
    progress(STEPS[len(CONDITIONS) + 4])
    children = drugs.jdm_children()
    progress(STEPS[len(CONDITIONS) + 5])
    start = time.perf_counter()
    blood = drugs.whole_blood(children)
    blood_s = time.perf_counter() - start
    progress(STEPS[len(CONDITIONS) + 6])
    scores = drugs.interferon_scores(children)
    progress(STEPS[-1])

    paths = {"parquet": out / "timecourses.parquet", "csv": out / "timecourses.csv",
             "figure": out / "il6_loop.png", "elisa_figure": out / "dpm_il6_elisa.png",
             "panel_figure": out / "dpm_gene_panel.png", "scratch_figure": out / "dpm_scratch.png",
             "scratch": out / "dpm_scratch.csv", "ruxolitinib_figure": out / "child_ruxolitinib.png",
             "jdm_figure": out / "jdm_baricitinib.png", "ruxolitinib_pk": out / "child_ruxolitinib_pk.csv",
             "jdm_pk": out / "jdm_baricitinib_pk.csv", "whole_blood": out / "jdm_whole_blood_pstat1.csv",
             "ifn_score": out / "jdm_interferon_score.csv", "ifn_score_figure": out / "jdm_ifn_score.png",
             "serum": out / "serum_il6_crp.csv", "serum_figure": out / "serum_il6_crp.png",
             "gel_size": out / "dpm_gel_size.csv", "gel_size_figure": out / "dpm_gel_size.png",
             "report": out / "report.html"}
    data.to_parquet(paths["parquet"], index=False)
    data.to_csv(paths["csv"], index=False)
    units = json.dumps({"columns": {"condition": "", "time_h": "h", **{s.id: "nM" for s in network.species}},
                        "attrs": {"network": network.name, "disclaimer": DISCLAIMER}}, indent=1)
    for kind in ("parquet", "csv"):
        paths[f"{kind}_units"] = paths[kind].with_name(paths[kind].name + ".units.json")
        paths[f"{kind}_units"].write_text(units)
    wide = scratches.pivot_table(index=["condition", "time_h"], columns="readout", values="value", sort=False)
    wide.rename(columns=lambda r: f"{r}_pct").reset_index().to_csv(paths["scratch"], index=False)  # % of wound
    rux.to_csv(paths["ruxolitinib_pk"], index=False)
    # one line per child in `jakstat report`: the results reader groups by a "condition" column
    pd.concat([c.table.assign(condition=c.label) for c in children], ignore_index=True).to_csv(paths["jdm_pk"],
                                                                                              index=False)
    blood.rename(columns={"child": "condition"}).to_csv(paths["whole_blood"], index=False)
    scores.rename(columns={"child": "condition"}).to_csv(paths["ifn_score"], index=False)
    gels.pivot_table(index=["condition", "time_h"], columns="readout", values="value", sort=False).rename(
        columns=lambda r: f"{r}_pct").reset_index().to_csv(paths["gel_size"], index=False)  # % of initial / healthy
    sera.pivot_table(index=["arm", "time_h"], columns="readout", values="value", sort=False).rename(
        columns={"IL-6": "IL6_pg_per_mL", "CRP": "CRP_mg_per_L"}).reset_index().rename(
        columns={"arm": "condition"}).to_csv(paths["serum"], index=False)

    table = dpm.readouts(data)
    found = dpm.findings(table)
    figures = {
        "elisa": dpm.write_figure(dpm.elisa_figure(table, found), paths["elisa_figure"],
                                  "bars of IL-6 in the supernatant per condition at 24 h and 48 h",
                                  "IL-6 in the supernatant by ELISA (free + antibody-bound, pg/mL, log scale) at "
                                  "24 h and 48 h after the medium change; bars per treatment, healthy and variant "
                                  "fibroblasts. The dashed line is the published 12-fold (DPM03) from healthy."),
        "panel": dpm.write_figure(dpm.panel_figure(table), paths["panel_figure"],
                                  "bars of the gene panel fold changes at 48 h",
                                  "IL6 and SOCS3 mRNA and the nuclear pSTAT3 and pSTAT4 dimers (wild-type, mixed "
                                  "and variant dimers summed) at 48 h, fold change vs healthy medium-only."),
        "timecourses": dpm.write_figure(dpm.timecourse_figure(data), paths["figure"],
                                        "time courses of IL-6, nuclear pSTAT3 and pSTAT4, IL6 mRNA",
                                        "Over 48 h after the medium change, one line per culture (colour: "
                                        "treatment; solid healthy, dashed STAT4 A635V/wt)."),
        "scratch": dpm.write_figure(scratch.scratch_figure(scratches), paths["scratch_figure"],
                                    "wound closure and wound density over 48 h, healthy, variant, variant + rux",
                                    "Scratch assay (jakstat.experiments): % closure of a 500 um wound (edge at half "
                                    "confluence) and % relative wound density over 48 h after the scratch."),
        "gel_size": dpm.write_figure(matrix.gel_size_figure(gels), paths["gel_size_figure"],
                                     "collagen gel area and cell area over 72 h per culture",
                                     "Collagen gel contraction (% of the initial gel area) and cell area (% of "
                                     "healthy cells at t = 0) over 72 h, one line per culture."),
        "rux": dpm.write_figure(drugs.ruxolitinib_figure(drugs.last_day(rux)), paths["ruxolitinib_figure"],
                                "plasma ruxolitinib and pathway inhibition over day 7",
                                "Total and unbound plasma ruxolitinib (nM, log scale) and the inhibition of the "
                                "IL-6, IFN-alpha/beta and IFN-gamma pathways (% of receptor signalling capacity blocked, "
                                "which exceeds the share of pSTAT lost in a whole-blood assay) over the last day "
                                "of 5 mg BID."),
        "serum": dpm.write_figure(serum.serum_figure(sera), paths["serum_figure"],
                                  "serum IL-6 and CRP over four weeks: untreated, ruxolitinib, tocilizumab",
                                  "Free serum IL-6 (pg/mL) and CRP (mg/L, log scale) over 28 days from the first "
                                  "dose, one line per arm; dashed red: healthy CRP below 3 mg/L."),
        "jdm": dpm.write_figure(drugs.jdm_figure(children, blood), paths["jdm_figure"],
                                "baricitinib plasma, type I IFN pathway inhibition and whole-blood pSTAT1",
                                "Baricitinib in plasma (nM), type I IFN pathway inhibition (% of receptor signalling "
                                "capacity blocked) and the whole-blood "
                                "pSTAT1 inhibition after IFN-alpha 1 nM for 15 min ex vivo (CD4 T cells, %) over "
                                "day 7, one line per child."),
        "ifn_score": dpm.write_figure(drugs.score_figure(scores), paths["ifn_score_figure"],
                                      "interferon score and two ISG fold changes over three weeks of baricitinib",
                                      "The 6-gene interferon score (median fold change vs 29 virtual healthy "
                                      "controls) and the IFI27 and ISG15 fold changes over three weeks of baricitinib "
                                      "once daily, one line per child; dashed red: the published cut-off 2.466."),
    }
    report = demo_report(data, table, found, scratches, rux, children, blood, blood_s, network, figures, scores, sera,
                         gels)
    report.write(paths["report"])
    return paths


def demo_report(data, table, found, scratches, rux, children, blood, blood_s, network, figures, scores,
                sera, gels) -> Report:
    """The demo's report: the three chapters, each with its figures, tables and numbers."""
    rux_day = drugs.last_day(rux)
    quotes = "\n\n".join(dpm.quote(i) for i in ("DPM03", "DPM07", "DPM09", "DPM10"))
    folds = dpm.fold_changes(table).reset_index()
    jdm_summary = pd.concat([drugs.day_summary(drugs.last_day(c.table), c.label) for c in children],
                            ignore_index=True)
    jdm_summary = jdm_summary[jdm_summary["pathway"] == "IFN-alpha/beta"]
    bands = "; ".join(f"{c.label} (band source: {c.band_source})" for c in children)
    peak = blood.groupby("child")["value"].agg(["max", "min"])
    blood_text = "; ".join(f"{k}: {v['min']:.0f}-{v['max']:.0f}% over the day" for k, v in peak.iterrows())
    return (
        Report("jakstat demo: STAT4 gain of function (DPM) and JDM", scenario=SCENARIO)
        .with_note("Only the variant's effect on IL-6 secretion is calibrated (DPM03); many parameters are "
                   "assumed (see the model card). Read the other numbers as the model's predictions, "
                   "to be checked, not as measurements.")
        .with_section(SECTIONS[0], Text(quotes), Text(dpm.elisa_text(found)), figures["elisa"])
        .with_section(SECTIONS[1], figures["panel"],
                      Table(folds, "Fold change vs healthy medium-only at 48 h (dimensionless)"))
        .with_section(SECTIONS[2], figures["timecourses"],
                      Table(table, "ELISA IL-6 (pg/mL) and the gene panel (nM) at 24 h and 48 h"))
        .with_section(SECTIONS[3], Text(scratch.scratch_text(scratches)), figures["scratch"])
        .with_section(SECTIONS[4], Text(matrix.gel_size_text(gels)), figures["gel_size"])
        .with_text(SECTIONS[5], dpm.fitted_and_predicted(found))
        .with_section(SECTIONS[6],
                      Text(f"Ruxolitinib 5 mg twice daily for {drugs.DAYS} days in a virtual 30 kg child; PK "
                           f"model: {rux.attrs['model']}; pediatric scaling: {rux.attrs['pediatric_method']}; "
                           f"whole-blood potency shift {rux.attrs['cell_shift']}. Day 7: total plasma "
                           f"{rux_day['total_plasma_nM'].min():.3g}-{rux_day['total_plasma_nM'].max():.3g} nM, "
                           f"unbound {rux_day['unbound_plasma_nM'].min():.3g}-"
                           f"{rux_day['unbound_plasma_nM'].max():.3g} nM."),
                      figures["rux"], Table(drugs.day_summary(rux_day, "30 kg, ruxolitinib 5 mg BID"),
                                            "Pathway signalling capacity blocked over day 7 (%, h)"))
        .with_section(SECTIONS[7], Text(serum.serum_text(sera)), figures["serum"],
                      Table(sera[sera["time_h"].isin([0.0, 24.0, 168.0, 336.0, 672.0])],
                            "Serum IL-6 (pg/mL) and CRP (mg/L) by arm and time"))
        .with_section(SECTIONS[8],
                      Text(f"Baricitinib once daily at the published pediatric weight-band doses: {bands}. "
                           f"Whole-blood assay (computed in {blood_s:.0f} s including the CD4 T-cell network's "
                           f"compilation): IFN-alpha-induced pSTAT1 inhibited {blood_text}.\n\n"
                           + drugs.ifn_score_text(scores)),
                      figures["jdm"], Table(jdm_summary, "Type I IFN pathway inhibition over day 7 (%, h)"),
                      Table(blood[["child", "hour_of_day", "readout", "value", "plasma_total_nM"]],
                            "Whole-blood pSTAT1 inhibition (%) after IFN-alpha ex vivo, by draw time"),
                      figures["ifn_score"],
                      Table(scores[scores["day"].isin([0.0, 1.0, 3.0, 7.0, 14.0, 21.0])][
                          ["child", "day", "interferon_score", "IFI27_fold", "ISG15_fold", "unbound_plasma_nM"]],
                            "Interferon score (fold) and two genes' fold changes by day of baricitinib"))
        .with_model(SECTIONS[9], network, text="The STAT4 A635V/wt fibroblast network of chapter 1.")
    )


SCENARIO = (
    "Chapter 1: healthy and STAT4 A635V/wt human dermal fibroblasts (1e5 cells in 1 mL), pre-equilibrated, then "
    "fresh medium at t = 0 with nothing, IL-6 10 ng/mL, ruxolitinib 1 uM, anti-IL-6 10 ug/mL or anti-IL-6R "
    "10 ug/mL; supernatant and cells read at 24 h and 48 h; scratch wounds of healthy, variant and "
    "ruxolitinib-treated variant monolayers; collagen gel contraction and cell size of healthy, IL-6-bathed "
    "healthy, variant and ruxolitinib-treated variant cells. Chapter 2: oral ruxolitinib 5 mg BID for 7 days in a "
    "virtual 30 kg child. Chapter 3: serum IL-6 and CRP of an inflamed adult (serum IL-6 65 pg/mL), untreated, on "
    "ruxolitinib 10 mg BID and on tocilizumab 8 mg/kg IV, over four weeks. Chapter 4: juvenile dermatomyositis, baricitinib once daily by weight band for 7 days "
    "in virtual 20 kg and 40 kg children, their blood stimulated with IFN-alpha ex vivo, and their 6-gene "
    "interferon score over three weeks at a constant serum IFN-alpha of 0.23 pg/mL.")
