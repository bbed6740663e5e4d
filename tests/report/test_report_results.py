"""`jakstat report RESULTS_DIR`: a results folder read back generically, and its bad inputs."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from report_helpers import external_resources
from typer.testing import CliRunner

from jakstat.cli import app
from jakstat.errors import InvalidValueError
from jakstat.report.html import Figure, Table
from jakstat.report.results import read_results, results_report

runner = CliRunner()


def _section(report, heading):
    return next(s for s in report.sections if s.heading == heading)


def _table(report, heading) -> pd.DataFrame:
    return next(b for b in _section(report, heading).blocks if isinstance(b, Table)).frame


def _trial(folder):
    """A trial-shaped Parquet dataset (hive partitions by arm): arm A scores 1..5, arm B 11..15."""
    frame = pd.DataFrame({"patient_id": np.arange(10), "arm": ["A"] * 5 + ["B"] * 5,
                          "score": [1.0, 2, 3, 4, 5, 11, 12, 13, 14, 15], "weight_kg": np.linspace(20, 40, 10),
                          "constant": 1.0})
    frame.to_parquet(folder / "trial", partition_cols=["arm"], index=False)
    (folder / "trial.units.json").write_text(json.dumps({"columns": {"score": "1", "weight_kg": "kg"}}))
    return frame


def test_demo_folder_gives_time_courses_with_units_and_the_last_values(demo_out):
    report = results_report(demo_out)
    headings = [s.heading for s in report.sections]
    figures = ["child_ruxolitinib.png", "dpm_gel_size.png", "dpm_gene_panel.png", "dpm_il6_elisa.png", "dpm_scratch.png", "il6_loop.png",
               "jdm_baricitinib.png", "jdm_ifn_score.png", "serum_il6_crp.png"]
    tables = ["child_ruxolitinib_pk.csv", "dpm_gel_size.csv", "dpm_scratch.csv", "jdm_baricitinib_pk.csv", "jdm_interferon_score.csv",
              "jdm_whole_blood_pstat1.csv", "serum_il6_crp.csv", "timecourses.parquet"]
    assert headings == ["Files", *(f"Figure: {f}" for f in figures),
                        *(h for t in tables for h in (f"Time courses: {t}", f"At the last time: {t}"))]
    files = _table(report, "Files")
    assert files["file"].tolist() == tables  # the CSV copy of the time courses is skipped, and said so
    assert "Skipped timecourses.csv: same data as timecourses.parquet" in report.render()
    last = _table(report, "At the last time: timecourses.parquet").set_index("condition")
    data = pd.read_parquet(demo_out / "timecourses.parquet")
    at48 = data[data["time_h"] == 48.0].set_index("condition")
    shown = [c for c in last.columns if c.endswith(" (nM)")]
    assert len(last) == 10 and len(shown) == 6 and "time_h (h)" in last.columns
    for column in shown:
        species = column.removesuffix(" (nM)")
        assert last[column].to_numpy() == pytest.approx(at48.loc[last.index, species].to_numpy())
    assert external_resources(report.render()) == []


def test_trial_dataset_gives_per_arm_distributions(tmp_path):
    _trial(tmp_path)
    report = results_report(tmp_path)
    assert [s.heading for s in report.sections] == ["Files", "Cohort: trial/", "Cohort summary: trial/"]
    assert any(isinstance(b, Figure) for b in _section(report, "Cohort: trial/").blocks)
    summary = _table(report, "Cohort summary: trial/").set_index(["column", "arm"])
    # closed form: the median / quartiles of 1..5 are 3 / 2, 4 (linear interpolation); 11..15: 13 / 12, 14
    assert summary.loc[("score (1)", "A"), ["n", "median", "q25", "q75"]].tolist() == [5, 3.0, 2.0, 4.0]
    assert summary.loc[("score (1)", "B"), ["median", "q25", "q75"]].tolist() == [13.0, 12.0, 14.0]
    assert summary.loc[("weight_kg (kg)", "B"), "median"] == pytest.approx(np.linspace(20, 40, 10)[7])
    assert "constant" not in " ".join(summary.index.get_level_values(0))  # nothing to show
    assert "patient_id" not in " ".join(summary.index.get_level_values(0))
    assert "a cohort of 10 patients in 2 arm(s): A (n = 5), B (n = 5)" in report.render()


def test_time_resolved_cohort_uses_each_patients_last_time(tmp_path):
    rows = [{"patient_id": p, "arm": "X" if p < 3 else "Y", "time_h": t, "c": 10.0 * p + t}
            for p in range(6) for t in (0.0, 12.0, 24.0)]
    pd.DataFrame(rows).to_parquet(tmp_path / "cohort.parquet", index=False)
    summary = _table(results_report(tmp_path), "Cohort summary: cohort.parquet").set_index(["column", "arm"])
    assert summary.loc[("c", "X"), "median"] == 10.0 * 1 + 24.0
    assert summary.loc[("c", "Y"), "n"] == 3


def test_plain_table_is_shown_with_a_summary(tmp_path):
    pd.DataFrame({"drug": ["a", "b"], "ic50_nM": [3.0, 5.0]}).to_csv(tmp_path / "potency.csv", index=False)
    report = results_report(tmp_path, title="potencies")
    assert report.title == "potencies"
    assert _table(report, "Summary: potency.csv").loc["ic50_nM", "mean"] == 4.0


def test_missing_or_empty_folder_is_refused(tmp_path):
    with pytest.raises(InvalidValueError, match="does not exist"):
        read_results(tmp_path / "nope")
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(InvalidValueError, match="no readable results .* it holds: notes.txt"):
        read_results(tmp_path)
    with pytest.raises(InvalidValueError, match="is not a folder"):
        read_results(tmp_path / "notes.txt")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    with pytest.raises(InvalidValueError, match="broken.parquet: could not be read"):
        read_results(tmp_path)


def test_a_broken_file_beside_good_ones_is_reported_not_fatal(tmp_path):
    pd.DataFrame({"time_h": [0.0, 1.0], "x": [1.0, 2.0]}).to_csv(tmp_path / "run.csv", index=False)
    (tmp_path / "broken.parquet").write_bytes(b"not parquet")
    (tmp_path / "fake.png").write_bytes(b"GIF89a")
    results = read_results(tmp_path)
    assert [t.name for t in results.tables] == ["run.csv"]
    assert {name for name, _ in results.skipped} == {"broken.parquet", "fake.png"}


def test_cli_report_writes_the_html(tmp_path):
    _trial(tmp_path)
    result = runner.invoke(app, ["report", str(tmp_path), "-o", str(tmp_path / "r.html")])
    assert result.exit_code == 0, result.output
    text = (tmp_path / "r.html").read_text()
    assert "Cohort: trial/" in text and "not clinical advice" in text and external_resources(text) == []


@pytest.mark.parametrize("setup, message", [
    (lambda p: p / "missing", "does not exist"),
    (lambda p: (p / "a.txt").write_text("x") and p, "no readable results"),
])
def test_cli_report_bad_input_exits_2_with_one_line(tmp_path, setup, message):
    folder = setup(tmp_path)
    result = runner.invoke(app, ["report", str(folder)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1
