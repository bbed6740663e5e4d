"""`jakstat simulate --config` and `jakstat assay NAME --config`: the examples run, typed flags override the file,
and bad configs exit 2 with one line naming the field path, the bad value and what is allowed. Also
`jakstat.units.parse_quantity` on units it cannot read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from jakstat.cli import app
from jakstat.errors import UnitError
from jakstat.units import parse_quantity

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _invoke(*args):
    return runner.invoke(app, list(args), terminal_width=250)


def _one_line(result) -> str:
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    return " ".join(result.output.split())


def _config(tmp_path, data: dict) -> str:
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data))
    return str(path)


def test_every_config_example_is_tested():
    names = sorted(p.name for p in EXAMPLES.glob("*.yaml") if not p.name.startswith("trial_"))
    assert names == ["assay_secretion_stat4.yaml", "simulate_oral_ruxolitinib_child.yaml",
                     "simulate_stat4_ruxolitinib.yaml"]


def test_simulate_example_matches_the_same_flags(tmp_path):
    """The config run equals the run with the same inputs as Python arguments; --t-end overrides the file."""
    import jakstat

    out = tmp_path / "rux.csv"
    result = _invoke("simulate", "--config", str(EXAMPLES / "simulate_stat4_ruxolitinib.yaml"), "--t-end", "6h",
                     "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table["time_h"].iloc[-1] == pytest.approx(6.0) and len(table) == 25  # t_end from the flag, n_points from the file
    ds = jakstat.simulate(cell="fibroblast", genotype="STAT4:A635V/wt", cytokines={"IL-6": "10 ng/mL"},
                          drugs={"ruxolitinib": "100 nM"}, t_end="6 h", n_points=25)
    for column in ("pSTAT3_dimer_nuc", "pSTAT4v_dimer_nuc", "IL6_medium"):
        assert table[column].tolist() == pytest.approx(ds[column].values.tolist(), rel=1e-9)
    assert table["IL6_medium"].iloc[0] == pytest.approx(10 / 21, rel=1e-9)  # 10 ng/mL of 21 kDa IL-6, nM


@pytest.mark.slow
def test_simulate_oral_example_runs(tmp_path):
    out = tmp_path / "child.csv"
    result = _invoke("simulate", "--config", str(EXAMPLES / "simulate_oral_ruxolitinib_child.yaml"), "--out", str(out))
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out)
    assert table["time_h"].iloc[-1] == pytest.approx(48.0) and len(table) == 49  # oral.days = 2


def test_assay_example_runs_and_flags_override_it(tmp_path):
    example = str(EXAMPLES / "assay_secretion_stat4.yaml")
    first, second = tmp_path / "variant.csv", tmp_path / "wt.csv"
    assert _invoke("assay", "secretion", "--config", example, "--out", str(first)).exit_code == 0
    result = _invoke("assay", "secretion", "--config", example, "--genotype", "wt", "--times", "24", "--out", str(second))
    assert result.exit_code == 0, result.output
    variant, wild = pd.read_csv(first), pd.read_csv(second)
    assert variant["time_h"].tolist() == [24.0, 48.0] and wild["time_h"].tolist() == [24.0]
    assert set(variant["genotype"]) == {"STAT4:A635V/wt"} and set(wild["genotype"]) == {"wt"}
    assert set(wild["drug"]) == {"ruxolitinib"}  # the file's drug stays: only the genotype was overridden


@pytest.mark.parametrize("data, message", [
    ({"cel": "fibroblast"}, "cel: unknown field 'cel'; allowed: cell, genotype, cytokines, drugs, antibodies, t_end"),
    ({"culture": {"cells": 10}}, "culture.cells: unknown field 'cells'; allowed: n_cells, medium_volume"),
    ({"t_end": "6 nM"}, "t_end: 6.0 nM has the wrong unit; expected a time (s, min, h)"),
    ({"t_end": "6 apples"}, "t_end: cannot read unit 'apples' in '6 apples'; expected a time (s, min, h)"),
    ({"culture": {"medium_volume": "1 kg"}}, "culture.medium_volume: 1.0 kg has the wrong unit; expected a volume"),
    ({"drugs": {"ruxolitinib": "-1 uM"}}, "drugs.ruxolitinib: concentration must be >= 0, got '-1 uM'"),
    ({"oral": {"drug": "ruxolitinib", "dose": "-5 mg"}}, "oral.dose: must be > 0, got -5 mg"),
    ({"cytokines": {"IL-66": "1 nM"}}, "cytokines.IL-66: unknown cytokine 'IL-66'; known: EPO,"),
    ({"drugs": {"ruxolitnib": "1 uM"}}, "drugs.ruxolitnib: unknown drug 'ruxolitnib'; known: abrocitinib,"),
    ({"oral": {"drug": "ruxolitinib", "dose": "5 mg"}, "t_end": "2 h"}, "t_end: not used with oral dosing"),
    ({"cell": "neuron"}, "cell: unknown cell type 'neuron'; known: cd4_t_cell, fibroblast"),
    (["not", "a", "mapping"], "(top level): a mapping of fields is expected; got list"),
])
def test_bad_simulate_config_names_the_field(tmp_path, data, message):
    path = _config(tmp_path, data)
    text = _one_line(_invoke("simulate", "--config", path, "--out", str(tmp_path / "x.csv")))
    assert text.startswith(f"error: {path}: ") and message in text


@pytest.mark.parametrize("data, message", [
    ({"time_h": [24]}, "time_h: unknown field 'time_h'; allowed: times_h, n_cells, medium_volume, readouts"),
    ({"medium_volume": "1 nM"}, "medium_volume: 1.0 nM has the wrong unit; expected a volume (L, mL)"),
    ({"conditions": {"drugs": {"ruxolitinib": "-1 uM"}}}, "conditions.drugs.ruxolitinib: concentration must be >= 0"),
    ({"conditions": {"cytokines": {"IL-66": "1 nM"}}}, "conditions.cytokines.IL-66: unknown cytokine 'IL-66'; known:"),
    ({"conditions": {"drugs": {"ruxolitnib": "1 uM"}}}, "conditions.drugs.ruxolitnib: unknown drug 'ruxolitnib'"),
    ({"readouts": ["IL-8"]}, "readouts: unknown secretion readout 'IL-8'; known: IL-6"),
    ({"assay": "scratch"}, "assay: the config is for assay 'scratch', the command runs 'secretion'"),
])
def test_bad_assay_config_names_the_field(tmp_path, data, message):
    path = _config(tmp_path, data)
    text = _one_line(_invoke("assay", "secretion", "--config", path, "--out", str(tmp_path / "x.csv")))
    assert text.startswith(f"error: {path}: ") and message in text


def test_config_flags_that_cannot_combine_and_missing_files(tmp_path):
    path = _config(tmp_path, {"cell": "fibroblast"})
    text = _one_line(_invoke("simulate", "--config", path, "--sbml", "model.xml", "--out", str(tmp_path / "x.csv")))
    assert "--config describes a cell simulation; --sbml cannot be combined with it" in text
    text = _one_line(_invoke("simulate", "--config", "nope.yaml", "--out", str(tmp_path / "x.csv")))
    assert "simulate config 'nope.yaml' does not exist" in text
    flag = _one_line(_invoke("simulate", "--config", path, "--cytokine", "IL-66=1nM", "--out", str(tmp_path / "x.csv")))
    assert "cytokines.IL-66: unknown cytokine 'IL-66'" in flag  # a typed flag is validated with the file


def test_simulate_t_end_in_apples_names_the_field_and_the_kind_of_unit(tmp_path):
    text = _one_line(_invoke("simulate", "--t-end", "6 apples", "--out", str(tmp_path / "x.csv")))
    assert text == "error: t_end: cannot read unit 'apples' in '6 apples'; expected a time (s, min, h)"


@pytest.mark.parametrize("text, kind, message", [
    ("6 apples", "time", "dose: cannot read unit 'apples' in '6 apples'; expected a time (s, min, h)"),
    ("6 apples", None, "dose: cannot read unit 'apples' in '6 apples'; expected a number with a unit"),
    ("apples", "volume", "dose: cannot read 'apples' as a number with a unit; expected a volume (L, mL)"),
    ("5 kg", ("concentration", "mass concentration"), "dose: 5.0 kg has the wrong unit; expected a concentration (nM, pM, uM)"),
    ("5", "time", "dose: '5' has no unit; give one, e.g. '5 s'"),
])
def test_parse_quantity_errors(text, kind, message):
    with pytest.raises(UnitError) as info:
        parse_quantity(text, "dose", kind)
    assert message in str(info.value)


def test_parse_quantity_reads_units():
    assert parse_quantity("30min", "time", "time").to("s").magnitude == pytest.approx(1800.0)
    assert parse_quantity("10 ng/mL", "c").to("ng/mL").magnitude == pytest.approx(10.0)
