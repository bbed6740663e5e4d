"""The CLI as a whole: every command's --help shows an example, bad input exits non-zero with one line
(the traceback only with --debug), and the commands test_cli.py does not cover: export petab, simulate
--petab/--sbml on bad files, kb lists given stray arguments, import sbml of a missing file."""

from __future__ import annotations

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from jakstat.cli import app
from jakstat.errors import UnknownNameError

runner = CliRunner()


def _commands(group, path: tuple[str, ...] = ()):
    for name, command in sorted(group.commands.items()):
        yield (*path, name)
        if hasattr(command, "commands"):  # a group (typer's TyperGroup)
            yield from _commands(command, (*path, name))


COMMANDS = list(_commands(typer.main.get_command(app)))


def test_the_command_tree_is_what_the_readme_documents():
    names = {" ".join(c) for c in COMMANDS}
    assert {"demo", "simulate", "pk", "report", "export sbml", "export petab", "import sbml", "kb cytokines",
            "kb drugs", "kb variants", "kb cells", "kb card"} <= names


@pytest.mark.parametrize("command", [(), *COMMANDS], ids=lambda c: " ".join(c) or "jakstat")
def test_every_help_has_an_example(command):
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "Example: jakstat " in text, f"`jakstat {' '.join(command)} --help` shows no example"


def test_debug_shows_the_traceback_instead_of_one_line(tmp_path):
    plain = runner.invoke(app, ["simulate", "--cell", "neuron", "--out", str(tmp_path / "x.csv")])
    assert plain.exit_code == 2 and len(plain.output.strip().splitlines()) == 1
    assert plain.output.startswith("error: unknown cell type 'neuron'")
    debug = runner.invoke(app, ["--debug", "simulate", "--cell", "neuron", "--out", str(tmp_path / "x.csv")])
    assert debug.exit_code != 0 and isinstance(debug.exception, UnknownNameError)
    assert debug.exc_info[2] is not None  # a traceback to show


def test_export_petab_writes_a_problem_that_simulate_petab_integrates(tmp_path):
    folder = tmp_path / "petab"
    result = runner.invoke(app, ["export", "petab", "--cytokine", "IL-6=10ng/mL", "--observable", "pSTAT3_dimer_nuc",
                                 "--t-end", "6h", "--points", "7", "-o", str(folder)])
    assert result.exit_code == 0, result.output
    assert "il6_fibroblast.yaml" in result.output and len(list(folder.glob("*.tsv"))) == 4
    via_petab, direct = tmp_path / "petab.csv", tmp_path / "direct.csv"
    result = runner.invoke(app, ["simulate", "--petab", str(folder), "--condition", "stimulated", "--t-end", "6h",
                                 "--points", "7", "--out", str(via_petab)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["simulate", "--cytokine", "IL-6=10ng/mL", "--t-end", "6h", "--points", "7",
                               "--out", str(direct)]).exit_code == 0
    a, b = pd.read_csv(direct), pd.read_csv(via_petab)
    for column in ("pSTAT3_dimer_nuc", "SOCS3", "IL6_medium"):
        assert b[column].tolist() == pytest.approx(a[column].tolist(), rel=1e-6)
    measured = pd.read_csv(folder / "measurements_il6_fibroblast.tsv", sep="\t")
    last = measured[(measured["simulationConditionId"] == "stimulated") & (measured["time"] == 21600.0)]
    assert last["measurement"].iloc[0] == pytest.approx(a["pSTAT3_dimer_nuc"].iloc[-1], rel=1e-6)


@pytest.mark.parametrize("args, message", [
    (["--observable", "pSTAT9"], "unknown species of network il6_fibroblast (observable) 'pSTAT9'"),
    (["--cytokine", "IL-66=1nM"], "unknown cytokine 'IL-66'"),
    (["--measurements", "no_such.csv"], "--measurements 'no_such.csv' does not exist"),
    (["--t-end", "6 apples"], "cannot read unit 'apples'"),
])
def test_export_petab_bad_input(tmp_path, args, message):
    result = runner.invoke(app, ["export", "petab", *args, "-o", str(tmp_path / "p")])
    assert result.exit_code == 2, result.output
    assert message in result.output and len(result.output.strip().splitlines()) == 1


def test_simulate_petab_unknown_condition_lists_the_known_ones(tmp_path):
    folder = tmp_path / "petab"
    assert runner.invoke(app, ["export", "petab", "--cytokine", "IL-6=1nM", "--points", "2",
                               "-o", str(folder)]).exit_code == 0
    result = runner.invoke(app, ["simulate", "--petab", str(folder), "--condition", "treated",
                                 "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "'treated'; known: medium_only, stimulated" in result.output


@pytest.mark.parametrize("flag", ["--sbml", "--petab"])
def test_simulate_external_model_missing_file(tmp_path, flag):
    result = runner.invoke(app, ["simulate", flag, str(tmp_path / "none.xml"), "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and "none.xml" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("what", ["cytokines", "drugs", "variants", "cells"])
def test_kb_lists_refuse_stray_arguments(what):
    result = runner.invoke(app, ["kb", what, "IL-6"])
    assert result.exit_code == 2  # click's usage error


def test_import_sbml_missing_file(tmp_path):
    result = runner.invoke(app, ["import", "sbml", str(tmp_path / "absent.xml")])
    assert result.exit_code == 2 and "absent.xml" in result.output
