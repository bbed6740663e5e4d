"""docs/examples/ run as a user runs them (a fresh interpreter, output into a temporary folder)."""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from scipy.optimize import brentq

import jakstat
from jakstat.network.builders import build_cell_network

EXAMPLES = Path(__file__).resolve().parents[1] / "docs" / "examples"


def _run(name: str, out: Path) -> str:
    env = dict(os.environ, MPLBACKEND="Agg",
               PYTHONPATH=os.pathsep.join([str(Path(jakstat.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, str(EXAMPLES / name), str(out)], capture_output=True, text=True,
                          cwd=out.parent, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_every_example_is_tested():
    assert sorted(p.name for p in EXAMPLES.glob("*.py")) == ["fibroblast_il6.py", "ruxolitinib_child.py",
                                                             "sbml_round_trip.py"]


@pytest.mark.slow
def test_fibroblast_il6(tmp_path):
    text = _run("fibroblast_il6.py", tmp_path / "out")
    assert (tmp_path / "out" / "fibroblast_il6.png").stat().st_size > 10_000
    table = pd.read_csv(tmp_path / "out" / "fibroblast_il6.csv")
    assert table["IL6_medium"].iloc[0] == pytest.approx(10 / 21, rel=1e-9)  # 10 ng/mL at 21 kDa
    with_il6, without = map(float, re.search(r"at 4 h: (\S+) nM with IL-6, (\S+) nM without", text).groups())
    assert with_il6 == pytest.approx(table.loc[table["time_h"] == 4.0, "pSTAT3_dimer_nuc"].iloc[0], rel=1e-3)
    assert with_il6 > 2 * without


@pytest.mark.slow
def test_ruxolitinib_child_trough_matches_the_closed_form(tmp_path):
    text = _run("ruxolitinib_child.py", tmp_path / "out")
    assert (tmp_path / "out" / "ruxolitinib_child.png").stat().st_size > 10_000
    trough = float(re.search(r"trough (\S+) nM \(total\)", text).group(1))
    # one-compartment oral model at steady state (Gibaldi & Perrier), adult label values scaled to 30 kg:
    # CL/F = mean(17.7, 22.1) L/h x (30/70)^0.75, V/F = 72 L x 30/70, 5 mg q12h, MW 306.37 g/mol; ka (not
    # scaled) from the adult Tmax of 0.5 h: ln(ka/k)/(ka - k) = Tmax with the adult k = 19.9/72 per h
    cl, v = 19.9 * (30 / 70) ** 0.75, 72.0 * 30 / 70
    k, tau, dose_nmol = cl / v, 12.0, 5e-3 / 306.37 * 1e9
    k_adult = 19.9 / 72.0
    ka = brentq(lambda a: math.log(a / k_adult) / (a - k_adult) - 0.5, k_adult * 1.01, 1e3)
    expected = dose_nmol * ka / (v * (ka - k)) * (math.exp(-k * tau) / (1 - math.exp(-k * tau))
                                                  - math.exp(-ka * tau) / (1 - math.exp(-ka * tau)))
    assert trough == pytest.approx(expected, rel=2e-3)
    for pathway in ("IL-6", "IFN-gamma", "EPO"):
        mean, peak, low = map(float, re.search(rf"day 7 {pathway} inhibition: mean (\S+), peak (\S+), trough (\S+)",
                                               text).groups())
        assert 0 < low < mean < peak < 1


@pytest.mark.slow
def test_sbml_round_trip(tmp_path):
    text = _run("sbml_round_trip.py", tmp_path / "out")
    net = build_cell_network("fibroblast")
    assert f"{len(net.species)} species, {len(net.reactions)} reactions" in text and (tmp_path / "out" / "il6_fibroblast.xml").is_file()
    assert float(re.search(r"largest relative difference: (\S+)", text).group(1)) <= 1e-6
