"""The demo: healthy dermal fibroblasts with and without IL-6, and the autocrine loop cut.

Writes into the output folder a figure (PNG), the time courses (Parquet + CSV) and a
self-contained HTML report. Later issues add the variant, drug and cohort chapters.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from jakstat.api import DISCLAIMER, Scenario, prepare_network, run_network, time_grid_s
from jakstat.network.edit import with_parameter
from jakstat.network.provenance import Input
from jakstat.report.html import Figure, Report, embed_figure

IL6_PG_PER_ML_PER_NM = 21_000.0  # 21 kDa (molecular_weights.csv): 1 nM = 21 ng/mL = 21000 pg/mL

CONDITIONS = (
    ("medium only", Scenario(cytokines=()), False),
    ("IL-6 10 ng/mL", Scenario(cytokines=(("IL-6", "10 ng/mL"),)), False),
    ("IL-6 10 ng/mL + sIL-6R 100 ng/mL", Scenario(cytokines=(("IL-6", "10 ng/mL"), ("sIL-6R", "100 ng/mL"))), False),
    ("medium only, secretion cut", Scenario(cytokines=()), True),
)


def run_demo(out: Path, progress: Callable[[str], None] = lambda _: None) -> dict[str, Path]:
    """Run the demo scenarios and write figure, data and report into ``out``; return the paths."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out.mkdir(parents=True, exist_ok=True)
    times = time_grid_s("48 h", 193)
    frames, network = [], None
    for label, scenario, cut in CONDITIONS:
        progress(label)
        net = prepare_network(scenario)
        if cut:
            net = with_parameter(net, "k_IL6_secretion", 0.0, Input("demo: secretion-to-medium coupling cut"))
        network = network or net
        ds = run_network(net, times)
        frame = ds.to_dataframe().reset_index()
        frame.insert(0, "condition", label)
        frames.append(frame)
    data = pd.concat(frames, ignore_index=True)
    paths = {"parquet": out / "timecourses.parquet", "csv": out / "timecourses.csv",
             "figure": out / "il6_loop.png", "report": out / "report.html"}
    data.to_parquet(paths["parquet"], index=False)
    data.to_csv(paths["csv"], index=False)
    units = json.dumps({"columns": {"condition": "", "time_h": "h", **{s.id: "nM" for s in network.species}},
                        "attrs": {"network": network.name, "disclaimer": DISCLAIMER}}, indent=1)
    for kind in ("parquet", "csv"):
        paths[f"{kind}_units"] = paths[kind].with_name(paths[kind].name + ".units.json")
        paths[f"{kind}_units"].write_text(units)

    fig, axes = plt.subplots(1, 3, figsize=(14, 4), constrained_layout=True)
    for label, group in data.groupby("condition", sort=False):
        axes[0].plot(group["time_h"], group["pSTAT3_dimer_nuc"], label=label)
        axes[1].plot(group["time_h"], group["SOCS3"], label=label)
        axes[2].plot(group["time_h"], group["IL6_medium"] * IL6_PG_PER_ML_PER_NM, label=label)
    axes[0].set(title="nuclear pSTAT3 dimer", xlabel="time (h)", ylabel="nM")
    axes[1].set(title="SOCS3 protein", xlabel="time (h)", ylabel="nM")
    axes[2].set(title="IL-6 in the medium", xlabel="time (h)", ylabel="pg/mL", yscale="log")
    axes[0].legend(fontsize=8)
    fig.suptitle("Healthy dermal fibroblasts (1e5 cells, 1 mL), medium change at t = 0")
    fig.savefig(paths["figure"], dpi=120)
    figure = embed_figure(fig, "png", alt="time courses of nuclear pSTAT3, SOCS3 and medium IL-6",
                          caption="Nuclear pSTAT3 dimer and SOCS3 protein (nM) and IL-6 in the medium (pg/mL, "
                                  "log scale) over 48 h, one line per condition.")
    plt.close(fig)

    summary = (data[data["time_h"].isin([24.0, 48.0])]
               .assign(IL6_medium_pg_per_mL=lambda d: d["IL6_medium"] * IL6_PG_PER_ML_PER_NM)
               [["condition", "time_h", "IL6_medium_pg_per_mL", "pSTAT3_dimer_nuc", "SOCS3"]])
    demo_report(summary, network, figure).write(paths["report"])
    return paths


def demo_report(summary: pd.DataFrame, network, figure: Figure) -> Report:
    """The demo's report: scenario, the time-course figure, readouts at 24 h and 48 h, the model."""
    return (Report("jakstat demo: the IL-6 loop in dermal fibroblasts", scenario=SCENARIO)
            .with_note("The IL-6 module is not yet calibrated: several parameters are assumed (see the model "
                       "card); read the curves as the model's behaviour, not as predictions.")
            .with_section("Time courses", figure)
            .with_table("Readouts at 24 h and 48 h", summary,
                        caption="IL-6 in the medium (pg/mL), nuclear pSTAT3 dimer and SOCS3 (nM)")
            .with_model("Model", network))


SCENARIO = ("Healthy human dermal fibroblasts (1e5 cells in 1 mL), pre-equilibrated in conditioned medium, then "
            "fresh medium at t = 0 with or without IL-6 (and soluble IL-6R for trans signalling). The last condition "
            "cuts the secretion of IL-6 into the medium, opening the autocrine loop.")
