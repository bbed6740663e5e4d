"""`jakstat assay ifn-score`: normal path (tidy table + figure) and bad inputs (exit 2, one line)."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from jakstat.cli import app
from jakstat.experiments.tidy import TIDY_COLUMNS

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, ["assay", "ifn-score", *args])


def test_baricitinib_child_table_and_figure(tmp_path):
    out = tmp_path / "ifn.csv"
    result = _run("--drug", "baricitinib=4mg", "--regimen", "QD", "--weight", "30kg", "--ifn", "0.23pg/mL",
                  "--times", "0,72", "--out", str(out))
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns) == list(TIDY_COLUMNS)
    score = frame[frame.readout == "interferon_score"].set_index("time_h")["value"]
    assert score[0.0] > 2.466 and score[72.0] < score[0.0]  # positive before, lower on baricitinib
    assert set(frame.drug) == {"baricitinib"} and frame.concentration.iloc[0] == "4mg QD oral, 30kg"
    assert {f"{g} fold change" for g in ("IFI27", "SIGLEC1")} <= set(frame.readout)
    assert (tmp_path / "ifn.png").stat().st_size > 5_000


def test_untreated_healthy_level_is_negative(tmp_path):
    out = tmp_path / "ifn.csv"
    result = _run("--ifn", "0.02pg/mL", "--times", "0", "--readout", "positive", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert pd.read_csv(out)["value"].tolist() == [0.0]


@pytest.mark.parametrize("args, words", [
    (("--ifn", "-1pg/mL"), "serum_ifn"),
    (("--ifn", "3kg"), "serum_ifn"),
    (("--drug", "baricitnib=4mg"), "baricitnib"),
    (("--drug", "baricitinib=4mg", "--regimen", "QQ"), "regimen"),
    (("--drug", "baricitinib=4mg", "--weight", "500kg"), "weight"),
    (("--cell", "fibroblast"), "cell"),
    (("--dims", "2"), "--dims"),
    (("--cells", "1e5"), "n_cells"),
    (("--genotype", "STAT4:A635V/wt"), "conditions"),
])
def test_bad_input_one_line(tmp_path, args, words):
    result = _run(*args, "--out", str(tmp_path / "x.csv"))
    assert result.exit_code == 2
    assert words in result.output and "Traceback" not in result.output
