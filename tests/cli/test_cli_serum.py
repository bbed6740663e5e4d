"""`jakstat assay serum`: normal path (table + figure) and bad input (exit 2, one line naming the problem)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from jakstat.cli import app
from jakstat.experiments.tidy import TIDY_COLUMNS

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, ["assay", "serum", *args])


def test_serum_with_a_jak_inhibitor_writes_table_and_figure(tmp_path):
    out = tmp_path / "crp.csv"
    result = _run("--cytokine", "IL-6=65.16pg/mL", "--drug", "baricitinib=4mg", "--regimen", "QD",
                  "--times", "0,72,168", "--weight", "70kg", "--out", str(out))
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == list(TIDY_COLUMNS)
    crp = frame[frame.readout == "CRP"]
    assert list(crp.time_h) == [0.0, 72.0, 168.0] and set(crp.unit) == {"mg/L"}
    assert crp.value.iloc[0] == pytest.approx(51.67, rel=1e-3) and crp.value.iloc[-1] < crp.value.iloc[0]
    assert set(frame.drug) == {"baricitinib"} and set(frame.concentration) == {"4mg QD"}
    assert (tmp_path / "crp.png").stat().st_size > 5_000


@pytest.mark.parametrize("args, message", [
    (["--drug", "tocilizumab=8mg/kg"], "tocilizumab is a biologic; give it as --antibody"),
    (["--antibody", "tocilizumab=8mg/kg", "--antibody-regimen", "QD"], "unknown antibody regimen 'QD'"),
    (["--cells", "1e5"], "n_cells: not an option of the serum assay"),
    (["--times=-1,24"], "times_h: every time must be a finite number >= 0 h"),
    (["--readout", "ESR"], "unknown serum readout 'ESR'"),
    (["--cytokine", "IL-6=-5pg/mL"], "concentration must be >= 0"),
    (["--weight", "2kg"], "weight"),
])
def test_bad_serum_input_exits_2_with_one_line(tmp_path, args, message):
    result = _run(*args, "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2, result.output
    lines = [line for line in result.output.strip().splitlines() if line.strip()]
    assert len(lines) == 1 and message in lines[0], result.output
    assert not (tmp_path / "x.csv").exists()
