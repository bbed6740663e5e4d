"""`jakstat simulate` and `jakstat export sbml` with STAT1/STAT3 gain-of-function genotypes on generated networks."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from jakstat.cli import app

runner = CliRunner()
FLAGS = ["--cell", "monocyte", "--genotype", "STAT1:R274Q/wt", "--cytokine", "IFN-gamma=10ng/mL"]
IFNG_NM = 10 / 34.3  # 10 ng/mL of the 34.3 kDa IFN-gamma homodimer (molecular_weights.csv), nM


def test_simulate_a_stat1_gof_monocyte(tmp_path):
    out = tmp_path / "gof.csv"
    result = runner.invoke(app, ["simulate", *FLAGS, "--t-end", "2h", "--points", "5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert {"STAT1v_cyt", "pSTAT1_pSTAT1v_dimer_nuc", "pSTAT1v_dimer_nuc"} <= set(frame.columns)
    assert frame["IFNgamma_medium"].iloc[0] == pytest.approx(IFNG_NM, rel=1e-9)
    assert frame["pSTAT1_pSTAT1v_dimer_nuc"].iloc[-1] > 1.0  # carriers' cells make mixed dimers


def test_export_sbml_of_a_stat1_gof_monocyte(tmp_path):
    import libsbml

    out = tmp_path / "gof.xml"
    result = runner.invoke(app, ["export", "sbml", *FLAGS, "-o", str(out)])
    assert result.exit_code == 0, result.output
    model = libsbml.readSBML(str(out)).getModel()
    assert model.getSpecies("IFNgamma_medium").getInitialConcentration() == pytest.approx(IFNG_NM, rel=1e-12)
    assert model.getParameter("f_dephos_STAT1v").getValue() == pytest.approx(0.1)
    assert model.getSpecies("STAT1v_cyt").getInitialConcentration() > 1.0


@pytest.mark.parametrize("genotype, message", [
    ("STAT1:R999Q/wt", "unknown STAT1 allele 'R999Q' in 'STAT1:R999Q/wt'; known STAT1 alleles: wt, R274Q, T385M"),
    ("STAT1:T385M/wt", "variant STAT1_T385M has no modelled effect in the generated network; "
                       "modelled variants: STAT1_R274Q, STAT3_C426R, STAT3_E616del"),
    ("STAT4:A635V/wt", "modelled variants: STAT1_R274Q, STAT3_C426R, STAT3_E616del"),
])
@pytest.mark.parametrize("command", [["simulate"], ["export", "sbml"]])
def test_a_bad_genotype_exits_2_and_lists_the_known_variants(tmp_path, command, genotype, message):
    target = ["--out", str(tmp_path / "x.csv")] if command == ["simulate"] else ["-o", str(tmp_path / "x.xml")]
    result = runner.invoke(app, [*command, "--cell", "monocyte", "--genotype", genotype, *target])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
