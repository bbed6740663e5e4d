"""Every CLI command: its normal path and at least one bad input (exit 2, one line naming the field)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from jakstat.cli import app
from jakstat.network.builders import build_cell_network

runner = CliRunner()


def test_simulate_writes_csv_with_time_and_species_columns(tmp_path):
    out = tmp_path / "il6.csv"
    result = runner.invoke(app, ["simulate", "--cell", "fibroblast", "--cytokine", "IL-6=10ng/mL",
                                 "--t-end", "6h", "--points", "13", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert list(frame.columns[:2]) == ["time_h", "IL6_medium"]
    assert {"pSTAT3_dimer_nuc", "SOCS3", "IL6_mRNA_cyt"} <= set(frame.columns)
    assert frame["time_h"].iloc[-1] == pytest.approx(6.0)
    assert frame["IL6_medium"].iloc[0] == pytest.approx(10 / 21, rel=1e-9)  # 10 ng/mL at 21 kDa, in nM
    units = json.loads((tmp_path / "il6.csv.units.json").read_text())
    assert units["columns"]["time_h"] == "h" and units["columns"]["IL6_medium"] == "nM"


def test_simulate_parquet(tmp_path):
    out = tmp_path / "run.parquet"
    result = runner.invoke(app, ["simulate", "--t-end", "1h", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert len(pd.read_parquet(out)) == 11


@pytest.mark.parametrize("args, message", [
    (["--cytokine", "IL-66=1nM"], "unknown cytokine 'IL-66'; known:"),
    (["--cytokine", "IL-6=5mg"], "has the wrong unit"),
    (["--cytokine", "IL-6"], "expected NAME=CONCENTRATION"),
    (["--cell", "neuron"], "unknown cell type 'neuron'"),
    (["--genotype", "STAT4A635V"], "GENE:ALLELE/ALLELE"),
    (["--t-end", "-2h"], "t_end: must be > 0"),
])
def test_simulate_bad_input_exits_2_with_one_line(tmp_path, args, message):
    result = runner.invoke(app, ["simulate", *args, "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_simulate_rejects_unknown_file_type(tmp_path):
    result = runner.invoke(app, ["simulate", "--out", str(tmp_path / "x.xlsx")])
    assert result.exit_code == 2 and "allowed: .csv, .parquet" in result.output


def test_export_sbml_is_the_simulated_network(tmp_path):
    import libsbml

    out = tmp_path / "m.xml"
    result = runner.invoke(app, ["export", "sbml", "--cell", "fibroblast", "--cytokine", "IL-6=10ng/mL", "-o", str(out)])
    assert result.exit_code == 0, result.output
    model = libsbml.readSBML(str(out)).getModel()
    assert model.getSpecies("IL6_medium").getInitialConcentration() == pytest.approx(10 / 21, rel=1e-12)
    # pre-equilibrated: the resting state is not the definition's zero
    assert model.getSpecies("SOCS3").getInitialConcentration() > 1.0


def test_export_sbml_bad_input(tmp_path):
    result = runner.invoke(app, ["export", "sbml", "--cytokine", "IL-6=-3ng/mL", "-o", str(tmp_path / "m.xml")])
    assert result.exit_code == 2 and "must be >= 0" in result.output


@pytest.mark.parametrize("what, expected", [("cytokines", "IL-6"), ("drugs", "ruxolitinib"),
                                            ("variants", "STAT4:A635V"), ("cells", "fibroblast (network")])
def test_kb_lists(what, expected):
    result = runner.invoke(app, ["kb", what])
    assert result.exit_code == 0, result.output
    assert expected in result.output


def test_kb_unknown_list():
    result = runner.invoke(app, ["kb", "cytokinez"])
    assert result.exit_code != 0


def test_kb_card(tmp_path):
    out = tmp_path / "card.md"
    result = runner.invoke(app, ["kb", "card", "--cell", "fibroblast", "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert "| `kf0` | 0.1 | nM^-1 s^-1 | table |" in text
    assert "total STAT3" in text and "assumed:" in text


def test_kb_card_bad_cell(tmp_path):
    result = runner.invoke(app, ["kb", "card", "--cell", "liver", "-o", str(tmp_path / "c.md")])
    assert result.exit_code == 2 and "unknown cell type 'liver'" in result.output


@pytest.mark.slow
def test_demo_writes_figure_data_and_report(tmp_path):
    result = runner.invoke(app, ["demo", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    data = pd.read_parquet(tmp_path / "out" / "timecourses.parquet")
    assert data["condition"].nunique() == 10
    for name in ("il6_loop.png", "dpm_il6_elisa.png", "dpm_gene_panel.png", "dpm_scratch.png", "child_ruxolitinib.png",
                 "jdm_baricitinib.png"):
        assert (tmp_path / "out" / name).stat().st_size > 10_000, name
    html = (tmp_path / "out" / "report.html").read_text()
    assert "data:image/png;base64," in html and "not clinical advice" in html
    # IL-6 stimulation raises nuclear pSTAT3 of healthy cells above the unstimulated culture at 4 h;
    # ruxolitinib lowers it below
    at4 = data[data["time_h"] == 4.0].set_index("condition")["pSTAT3_dimer_nuc"]
    assert at4["healthy, + IL-6 10 ng/mL"] > 2 * at4["healthy, medium only"] > 2 * at4["healthy, + ruxolitinib 1 uM"]
    assert "wrote report:" in result.output


def test_demo_bad_output_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(app, ["demo", "--out", str(blocker)])
    assert result.exit_code == 2


def test_pk_writes_concentrations_and_pathway_inhibition(tmp_path):
    out = tmp_path / "rux.csv"
    result = runner.invoke(app, ["pk", "--drug", "ruxolitinib", "--dose", "15mg", "--regimen", "BID",
                                 "--weight", "30kg", "--days", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert {"time_h", "total_plasma_nM", "unbound_plasma_nM", "inhibition_IL-6", "inhibition_EPO"} <= set(frame.columns)
    assert frame["time_h"].iloc[-1] == pytest.approx(48.0)
    peak = frame["total_plasma_nM"].idxmax()
    assert frame["unbound_plasma_nM"].iloc[peak] < frame["total_plasma_nM"].iloc[peak]
    assert 0 < frame["inhibition_IL-6"].iloc[peak] < 1


def test_pk_says_when_a_dose_is_rounded_to_tablets(tmp_path):
    # 2.5 mg of tofacitinib cannot be given with 5 and 10 mg tablets: the CLI says it gave 5 mg
    args = ["pk", "--drug", "tofacitinib", "--dose", "2.5mg", "--regimen", "BID", "--weight", "20kg", "--days", "1"]
    tablets = runner.invoke(app, [*args, "--out", str(tmp_path / "t.csv")])
    assert tablets.exit_code == 0, tablets.output
    assert "2.5 mg rounded to 5 mg" in tablets.output
    solution = runner.invoke(app, [*args, "--formulation", "solution", "--out", str(tmp_path / "s.csv")])
    assert solution.exit_code == 0, solution.output
    assert "rounded" not in solution.output
    peak_tablet = pd.read_csv(tmp_path / "t.csv")["total_plasma_nM"].max()
    peak_solution = pd.read_csv(tmp_path / "s.csv")["total_plasma_nM"].max()
    assert peak_tablet / peak_solution == pytest.approx(2.0, rel=0.05)  # the tablet dose is twice the solution dose


@pytest.mark.parametrize("args, message", [
    (["--drug", "ruxolitnib", "--dose", "15mg"], "known:"),
    (["--drug", "ruxolitinib", "--dose", "-5mg"], "dose"),
    (["--drug", "ruxolitinib", "--dose", "15 nM"], "dose"),
    (["--drug", "ruxolitinib", "--dose", "15mg", "--regimen", "QID"], "regimen"),
    (["--drug", "ruxolitinib", "--dose", "15mg", "--weight", "200kg"], "3-150"),
])
def test_pk_bad_input(tmp_path, args, message):
    result = runner.invoke(app, ["pk", *args, "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


def test_simulate_sbml_reproduces_the_cell_network_it_was_exported_from(tmp_path):
    xml, direct, via_sbml = tmp_path / "m.xml", tmp_path / "direct.csv", tmp_path / "sbml.csv"
    flags = ["--cytokine", "IL-6=10ng/mL"]
    assert runner.invoke(app, ["export", "sbml", *flags, "-o", str(xml)]).exit_code == 0
    assert runner.invoke(app, ["simulate", *flags, "--t-end", "6h", "--points", "7", "--out", str(direct)]).exit_code == 0
    result = runner.invoke(app, ["simulate", "--sbml", str(xml), "--t-end", "6h", "--points", "7", "--out", str(via_sbml)])
    assert result.exit_code == 0, result.output
    a, b = pd.read_csv(direct), pd.read_csv(via_sbml)
    assert b["time_h"].tolist() == pytest.approx(a["time_h"].tolist())
    for column in ("IL6_medium", "pSTAT3_dimer_nuc", "SOCS3"):
        assert b[column].tolist() == pytest.approx(a[column].tolist(), rel=1e-5)


def test_import_sbml_summarises_and_reexports(tmp_path):
    xml = tmp_path / "m.xml"
    assert runner.invoke(app, ["export", "sbml", "-o", str(xml)]).exit_code == 0
    result = runner.invoke(app, ["import", "sbml", str(xml), "-o", str(tmp_path / "again.xml")])
    assert result.exit_code == 0, result.output
    net = build_cell_network("fibroblast")
    assert f"{len(net.species)} species, {len(net.reactions)} reactions" in " ".join(result.output.split()) and (tmp_path / "again.xml").exists()


def test_import_sbml_bad_file(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<sbml><model")
    result = runner.invoke(app, ["import", "sbml", str(bad)])
    assert result.exit_code == 2 and "bad.xml" in result.output
