"""`jakstat dose-response`: the normal path (table, fit, figure) and bad inputs (exit 2, one line)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from jakstat.cli import app
from jakstat.studies.dose_response import TABLE_COLUMNS
from jakstat.studies.logistic import fit_logistic

runner = CliRunner()


def _run(*args):
    return runner.invoke(app, ["dose-response", *args], terminal_width=250)


@pytest.mark.slow
def test_culture_dose_response_writes_table_fit_and_figure(tmp_path):
    out = tmp_path / "rux.csv"
    result = _run("--drug", "ruxolitinib", "--cell", "fibroblast", "--cytokine", "IL-6=10ng/mL", "--conc",
                  "1nM:10uM:9", "--readout", "pSTAT3", "--time", "30min", "--quiet", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert list(table.columns) == list(TABLE_COLUMNS) and len(table) == 10
    assert table["concentration_nM"].iloc[0] == 0.0 and table["inhibition"].iloc[0] == 0.0
    assert table["concentration_nM"].iloc[1:].tolist() == pytest.approx([10 ** (k / 2) for k in range(9)])
    assert set(table["unit"]) == {"molecules/cell"} and set(table["drug"]) == {"ruxolitinib"}
    fit = json.loads((tmp_path / "rux.fit.json").read_text())
    refit = fit_logistic(table["concentration_nM"], table["inhibition"])  # the written table gives the written fit
    assert fit["ic50_nm"] == pytest.approx(refit.ic50_nm, rel=1e-6) and fit["hill"] == pytest.approx(refit.hill,
                                                                                                      rel=1e-6)
    assert f"IC50 {fit['ic50_nm']:.4g} nM" in result.output
    assert (tmp_path / "rux.png").stat().st_size > 10_000


@pytest.mark.slow
def test_whole_blood_flavour_reuses_the_whole_blood_assay(tmp_path):
    """Ruxolitinib on IL-6-induced pSTAT3 in whole blood: the table is the whole-blood assay's % inhibition, and
    the 4PL IC50 agrees with the assay's own 50% crossing (jakstat.pharmacology.whole_blood.ex_vivo_ic50, two
    log-linear scans) and, since calibration v3 fits the factor on this readout (1 nM IL-6 for 15 min, CD4 T cells),
    the published whole-blood IC50 it was fitted on, 281 nM (Quintas-Cardama 2010)."""
    from jakstat.pharmacology.whole_blood import ex_vivo_ic50

    out = tmp_path / "wb.parquet"
    result = _run("--assay", "whole-blood", "--drug", "ruxolitinib", "--cell", "cd4_t_cell", "--cytokine", "IL-6=1nM",
                  "--conc", "3nM:30uM:13", "--readout", "pSTAT3", "--time", "15min", "--quiet", "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(out)
    assert set(table["unit"]) == {"%"} and set(table["concentration_basis"]) == {"total in blood"}
    assert table["inhibition"].tolist() == pytest.approx((table["value"] / 100).tolist())
    fit = json.loads((tmp_path / "wb.fit.json").read_text())
    assert fit["within_range"] and fit["hill"] > 0.5
    assert fit["ic50_nm"] == pytest.approx(ex_vivo_ic50("ruxolitinib", "IL-6"), rel=0.05)
    assert fit["ic50_nm"] == pytest.approx(281.0, rel=0.05)


@pytest.mark.parametrize("args, message", [
    (["--drug", "ruxolitnib"], "unknown drug 'ruxolitnib'; known: abrocitinib, anifrolumab, baricitinib"),
    (["--drug", "ruxolitinib", "--conc", "1nM:10uM"], "--conc: '1nM:10uM' is not a range; give START:STOP:N"),
    (["--drug", "ruxolitinib", "--conc", "10uM:1nM:12"], "--conc: STOP must be above START"),
    (["--drug", "ruxolitinib", "--conc", "1nM:10uM:1"], "--conc: N must be 2-1000 points"),
    (["--drug", "ruxolitinib", "--conc", "-1nM:10uM:12"], "--conc start: concentration must be > 0"),
    (["--drug", "ruxolitinib", "--conc", "1nM,-5nM"], "--conc: concentration must be > 0"),
    (["--drug", "ruxolitinib", "--conc", "1ng/mL:1ug/mL:4"], "expected a concentration (nM, pM, uM)"),
    (["--drug", "ruxolitinib", "--time", "30 apples"], "--time: cannot read unit 'apples' in '30 apples'"),
    (["--drug", "ruxolitinib", "--cytokine", "IL-6=10ng/mL", "--readout", "pSTAT9"],
     "unknown readout of network il6_fibroblast (or species:ID for one species, nM) 'pSTAT9'; known: nuclear_pSTAT3, "
     "nuclear_pSTAT4, pSTAT3, pSTAT4"),
    (["--drug", "tocilizumab", "--cytokine", "IL-6=10ng/mL"], "tocilizumab is a biologic"),
    (["--drug", "ruxolitinib", "--assay", "spleen"], "unknown dose-response assay 'spleen'; known: culture, whole-blood"),
    (["--drug", "ruxolitinib", "--assay", "whole-blood", "--cell", "cd4_t_cell"], "exactly one stimulating cytokine"),
    (["--drug", "ruxolitinib", "--assay", "whole-blood", "--cell", "cd4_t_cell", "--cytokine", "IL-6=1nM",
      "--readout", "nuclear_pSTAT3"], "unknown whole-blood readout 'nuclear_pSTAT3'; known: pSTAT1, pSTAT2, pSTAT3"),
    (["--drug", "ruxolitinib", "--assay", "whole-blood", "--cell", "fibroblast", "--cytokine", "IL-6=1nM"],
     "unknown cell type with a generated network 'fibroblast'"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, args, message):
    result = _run(*args, "--quiet", "--out", str(tmp_path / "d.csv"))
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split()) and len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "d.csv").exists()


def test_the_table_suffix_is_checked_first(tmp_path):
    result = _run("--drug", "ruxolitinib", "--out", str(tmp_path / "d.xlsx"))
    assert result.exit_code == 2 and "allowed: .csv, .parquet" in result.output
