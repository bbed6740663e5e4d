"""Healthy dermal fibroblasts given IL-6 at t = 0: nuclear pSTAT3 and SOCS3 over 24 h, with and without IL-6.

Run:  python docs/examples/fibroblast_il6.py [OUT_DIR]
Writes OUT_DIR/fibroblast_il6.png and OUT_DIR/fibroblast_il6.csv (concentrations in nM, time in h).
jakstat is a research tool; its output is not clinical advice.
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

import jakstat  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

runs = {
    "medium only": jakstat.simulate(cell="fibroblast", t_end="24 h"),
    "IL-6 10 ng/mL": jakstat.simulate(cell="fibroblast", cytokines={"IL-6": "10 ng/mL"}, t_end="24 h"),
}

fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
for label, ds in runs.items():
    ds["pSTAT3_dimer_nuc"].plot(ax=left, label=label)  # xarray: time_h on the x axis
    ds["SOCS3"].plot(ax=right, label=label)
left.set(title="nuclear pSTAT3 dimer", ylabel="nM")
right.set(title="SOCS3 protein", ylabel="nM")
left.legend()
fig.savefig(out / "fibroblast_il6.png", dpi=100)

table = runs["IL-6 10 ng/mL"][["pSTAT3_dimer_nuc", "SOCS3", "IL6_medium"]].to_dataframe()
table.to_csv(out / "fibroblast_il6.csv")

stimulated = runs["IL-6 10 ng/mL"]["pSTAT3_dimer_nuc"]
peak = stimulated.idxmax("time_h")
print(f"peak nuclear pSTAT3 dimer with IL-6: {float(stimulated.max()):.4g} nM at {float(peak):.2f} h")
print(f"at 4 h: {float(stimulated.sel(time_h=4.0)):.4g} nM with IL-6, "
      f"{float(runs['medium only']['pSTAT3_dimer_nuc'].sel(time_h=4.0)):.4g} nM without")
print(f"wrote {out / 'fibroblast_il6.png'} and {out / 'fibroblast_il6.csv'}")
