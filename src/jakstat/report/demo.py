"""The demo: healthy dermal fibroblasts with and without IL-6, and the autocrine loop cut.

Writes into the output folder a figure (PNG), the time courses (Parquet + CSV) and a
self-contained HTML report. Later issues add the variant, drug and cohort chapters.
"""

from __future__ import annotations

import base64
import html
import io
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from jakstat.api import DISCLAIMER, Scenario, prepare_network, run_network, time_grid_s
from jakstat.compile.conservation import conservation_laws
from jakstat.network.edit import with_parameter
from jakstat.network.provenance import Input
from jakstat.report.model_card import provenance_counts

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
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    plt.close(fig)

    summary = (data[data["time_h"].isin([24.0, 48.0])]
               .assign(IL6_medium_pg_per_mL=lambda d: d["IL6_medium"] * IL6_PG_PER_ML_PER_NM)
               [["condition", "time_h", "IL6_medium_pg_per_mL", "pSTAT3_dimer_nuc", "SOCS3"]])
    counts = provenance_counts(network)
    image = base64.b64encode(buffer.getvalue()).decode()
    paths["report"].write_text(_html(summary, counts, network, image))
    return paths


def _html(summary: pd.DataFrame, counts, network, image: str) -> str:
    laws = "".join(f"<li>{html.escape(law.describe())}</li>" for law in conservation_laws(network))
    count_rows = "".join(f"<tr><td>{html.escape(k)}</td><td>{v}</td></tr>" for k, v in sorted(counts.items()))
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>jakstat demo report</title>
<style>body{{font-family:sans-serif;max-width:1100px;margin:2em auto;}} table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:right}} .note{{color:#a33}}</style></head>
<body><h1>jakstat demo: the IL-6 loop in dermal fibroblasts</h1>
<p class="note">{html.escape(DISCLAIMER)} The IL-6 module is not yet calibrated: several parameters are
assumed (see the model card); read the curves as the model's behaviour, not as predictions.</p>
<h2>Scenario</h2><p>Healthy human dermal fibroblasts (1e5 cells in 1 mL), pre-equilibrated in conditioned
medium, then fresh medium at t = 0 with or without IL-6 (and soluble IL-6R for trans signalling). The last
condition cuts the secretion of IL-6 into the medium, opening the autocrine loop.</p>
<img alt="time courses of nuclear pSTAT3, SOCS3 and medium IL-6" src="data:image/png;base64,{image}" style="width:100%">
<h2>Readouts at 24 h and 48 h</h2>{summary.to_html(index=False, float_format=lambda x: f"{x:.4g}")}
<h2>Model</h2><p>Network <code>{html.escape(network.name)}</code>: {len(network.species)} species,
{len(network.reactions)} reactions, {len(network.parameters)} parameters.</p>
<table><tr><th>provenance</th><th>numbers</th></tr>{count_rows}</table>
<h3>Conservation laws</h3><ul>{laws}</ul>
</body></html>
"""
