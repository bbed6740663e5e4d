"""`jakstat assay NAME`: normal paths (table + figure) and bad inputs (exit 2, one line naming the field)."""

from __future__ import annotations


import pandas as pd
import pytest
from typer.testing import CliRunner

import jakstat
from jakstat.cli import app
from jakstat.experiments.tidy import TIDY_COLUMNS

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, ["assay", *args])


def test_secretion_csv_and_figure(tmp_path):
    out = tmp_path / "elisa.csv"
    result = _run("secretion", "--cytokine", "IL-6=10ng/mL", "--times", "0,24h", "--cells", "1e5",
                  "--medium", "1mL", "--out", str(out))
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == list(TIDY_COLUMNS)
    assert frame["value"].iloc[0] == pytest.approx(10_000.0)  # 10 ng/mL of exogenous IL-6 at t = 0, in pg/mL
    assert (tmp_path / "elisa.png").stat().st_size > 5_000


def test_scratch_parquet_2d(tmp_path):
    out = tmp_path / "scratch.parquet"
    result = _run("scratch", "--dims", "2", "--readout", "wound_closure", "--out", str(out))
    assert result.exit_code == 0, result.output
    frame = pd.read_parquet(out)
    assert list(frame.time_h) == [0.0, 12.0, 24.0, 48.0] and set(frame.readout) == {"wound_closure"}
    assert (tmp_path / "scratch.png").exists()


@pytest.mark.parametrize("name", ["gel", "size", "gene-panel"])
def test_other_assays_run(tmp_path, name):
    out = tmp_path / f"{name}.csv"
    result = _run(name, "--times", "24", "--pretreatment", "6", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) >= 1


@pytest.mark.parametrize("args, message", [
    (["scratchy"], "unknown assay 'scratchy'; known: gel, gene-panel, ifn-score, scratch, secretion, serum, size"),
    (["secretion", "--times=-1,24"], "times_h: every time must be a finite number >= 0 h"),
    (["secretion", "--times", "24,x"], "--times: cannot read 'x'"),
    (["secretion", "--cells", "0"], "n_cells: must be a finite number > 0"),
    (["secretion", "--readout", "IL6"], "unknown secretion readout 'IL6'; known: IL-6"),
    (["secretion", "--medium", "1nM"], "medium_volume:"),
    (["secretion", "--cytokine", "IL-6"], "expected NAME=CONCENTRATION"),
    (["gel", "--gene", "IL6"], "--gene: not an option of assay 'gel'"),
    (["gel", "--pretreatment=-1"], "pretreatment_h: must be a finite number >= 0 h"),
    (["gene-panel", "--gene", "STAT1"], "unknown gene in this network 'STAT1'; known: IL6, SOCS3"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, args, message):
    result = _run(*args, "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_bad_output_suffix(tmp_path):
    result = _run("gel", "--out", str(tmp_path / "x.xlsx"))
    assert result.exit_code == 2 and "allowed: .csv, .parquet" in result.output


