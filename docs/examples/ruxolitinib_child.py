"""Oral ruxolitinib in a 30 kg child: plasma concentration and inhibition of IL-6 and IFN-gamma signalling.

Run:  python docs/examples/ruxolitinib_child.py [OUT_DIR]
Writes OUT_DIR/ruxolitinib_child.png and prints the day-7 exposure and pathway inhibition.
The dose (5 mg twice daily) is an example input, not a dosing recommendation: jakstat is a research
tool; its output is not clinical advice. The pediatric PK is the adult model scaled allometrically
(see the table's ``attrs['pediatric_method']``).
"""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from jakstat.pharmacology import pk_table  # noqa: E402

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

table = pk_table("ruxolitinib", "5 mg", "BID", weight="30 kg", days=7)  # pandas.DataFrame, nM and fractions
day7 = table[table["time_h"] >= 144.0]

fig, (pk, pd_) = plt.subplots(1, 2, figsize=(10, 4), constrained_layout=True)
pk.plot(table["time_h"], table["total_plasma_nM"], label="total")
pk.plot(table["time_h"], table["unbound_plasma_nM"], label="unbound")
pk.set(title="ruxolitinib 5 mg BID, 30 kg", xlabel="time (h)", ylabel="plasma (nM)", yscale="log")
pk.legend()
for pathway in ("IL-6", "IFN-gamma", "EPO"):
    pd_.plot(table["time_h"], table[f"inhibition_{pathway}"], label=pathway)
pd_.set(title="pathway inhibition", xlabel="time (h)", ylabel="fraction of signalling blocked", ylim=(0, 1))
pd_.legend()
fig.savefig(out / "ruxolitinib_child.png", dpi=100)

print(f"day 7: Cmax {day7['total_plasma_nM'].max():.4g} nM, trough {day7['total_plasma_nM'].iloc[-1]:.4g} nM (total)")
for pathway in ("IL-6", "IFN-gamma", "EPO"):
    column = day7[f"inhibition_{pathway}"]
    print(f"day 7 {pathway} inhibition: mean {column.mean():.3f}, peak {column.max():.3f}, trough {column.iloc[-1]:.3f}")
print(f"pediatric PK: {table.attrs['pediatric_method']}")
print(f"wrote {out / 'ruxolitinib_child.png'}")
