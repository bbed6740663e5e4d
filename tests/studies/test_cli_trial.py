"""`jakstat trial`: normal path (dataset + summary) and bad input (exit 2, one line naming the field)."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from jakstat.cli import app

runner = CliRunner()

CONFIG = """
name: cli-small
seed: 4
sample_size: 12
chunk_size: 4
population: {disease: DPM, age_years: [6, 14]}
arms:
  - {name: rux, drug: ruxolitinib, regimen: BID, dose: 5 mg, duration_days: 2}
  - {name: placebo, drug: placebo, duration_days: 2}
endpoints:
  - {kind: exposure}
  - {kind: inhibition, cytokine: IL-12, thresholds: [0.3]}
"""


def test_trial_writes_a_parquet_dataset_and_prints_the_summary(tmp_path):
    config = tmp_path / "t.yaml"
    config.write_text(CONFIG)
    out = tmp_path / "out"
    result = runner.invoke(app, ["trial", str(config), "--out", str(out), "--quiet", "--threads", "1"])
    assert result.exit_code == 0, result.output
    assert "cli-small" in result.output and "mean_inhibition_IL-12" in result.output
    frame = pd.read_parquet(out)
    assert sorted(frame["patient_id"]) == list(range(12))
    assert {"arm", "patient_id", "cmax_nM", "time_above_30pct_IL-12_h", "genotype"} <= set(frame.columns)
    assert set(frame["genotype"]) == {"STAT4:A635V/wt"}
    again = runner.invoke(app, ["trial", str(config), "--out", str(out), "--quiet"])
    assert again.exit_code == 2 and "use --resume" in again.output
    resumed = runner.invoke(app, ["trial", str(config), "--out", str(out), "--quiet", "--resume"])
    assert resumed.exit_code == 0 and "4 chunks already complete" in resumed.output.replace("\n", " ")


def test_bad_config_exits_2_naming_the_field(tmp_path):
    config = tmp_path / "bad.yaml"
    config.write_text(CONFIG.replace("dose: 5 mg", "dose: -5 mg"))
    result = runner.invoke(app, ["trial", str(config), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "arms[0].dose: must be > 0 mg" in result.output
    assert "Traceback" not in result.output
    missing = runner.invoke(app, ["trial", str(tmp_path / "nope.yaml"), "--out", str(tmp_path / "o")])
    assert missing.exit_code == 2 and "does not exist" in missing.output
