"""SBML round trip: export the IL-6 fibroblast network, read it back, and integrate both.

Run:  python docs/examples/sbml_round_trip.py [OUT_DIR]
Writes OUT_DIR/il6_fibroblast.xml (SBML L3V2, nmol/L/s) and prints the largest relative difference
between jakstat's own run and the run of the re-imported SBML; exits 1 if it exceeds 1e-6.
The same file runs in any SBML tool (e.g. libRoadRunner).
"""

import sys
from pathlib import Path

import numpy as np

import jakstat
from jakstat.compile.sbml_export import write_sbml
from jakstat.compile.sbml_import import network_from_sbml
from jakstat.sbml_api import simulate_sbml

out = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
out.mkdir(parents=True, exist_ok=True)

scenario = jakstat.Scenario(cell="fibroblast", cytokines=(("IL-6", "10 ng/mL"),))
net = jakstat.prepare_network(scenario)  # exactly what jakstat.simulate integrates
path = write_sbml(net, out / "il6_fibroblast.xml")

again = network_from_sbml(path)
print(f"{path.name}: {len(again.species)} species, {len(again.reactions)} reactions, "
      f"{len(again.parameters)} parameters read back")

direct = jakstat.simulate(cell="fibroblast", cytokines={"IL-6": "10 ng/mL"}, t_end="12 h", n_points=49)
via_sbml = simulate_sbml(path, t_end="12 h", n_points=49)
worst = 0.0
for species in ("IL6_medium", "pSTAT3_dimer_nuc", "SOCS3", "IL6_mRNA_cyt"):
    a, b = direct[species].to_numpy(), via_sbml[species].to_numpy()
    rel = float(np.max(np.abs(a - b) / np.maximum(np.abs(a), 1e-9)))
    worst = max(worst, rel)
    print(f"{species}: max relative difference {rel:.2e}")
print(f"largest relative difference: {worst:.2e}")
sys.exit(0 if worst <= 1e-6 else 1)
