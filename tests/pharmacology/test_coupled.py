"""A generated cell network under a drug's oral PK (jakstat.pharmacology.coupled) and `jakstat simulate --drug`."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from jakstat.api import Scenario, prepare_network
from jakstat.cli import app
from jakstat.compile.codegen import compile_network
from jakstat.errors import InvalidValueError, UnitError, UnknownNameError
from jakstat.network.edit import with_parameter
from jakstat.network.provenance import Input
from jakstat.pharmacology.coupled import drug_coupled_network, simulate_with_drug
from jakstat.pharmacology.inhibition import jak_occupancy
from jakstat.pharmacology.pk_api import pk_table

CELL = "hepatocyte"


@pytest.fixture(scope="module")
def cell_net():
    return prepare_network(Scenario(CELL, cytokines=(("IL-6", "1 nM"),)))


def test_activation_rates_follow_the_occupancy_model(cell_net):
    """Rates of the coupled network = rates of the cell network with free_JAKn set from jak_occupancy."""
    coupled = compile_network(drug_coupled_network(cell_net, "tofacitinib", "5 mg", "BID", "70 kg", days=1))
    plain = cell_net
    c_total = 300.0
    fu = coupled.network["fu_plasma"].value
    for jak, occ in jak_occupancy("tofacitinib", fu * c_total).items():
        if f"free_{jak}" in plain:
            plain = with_parameter(plain, f"free_{jak}", 1.0 - float(occ), Input("test"))
    plain_model = compile_network(plain)
    rng = np.random.default_rng(1)
    y_plain = rng.uniform(0.1, 10.0, len(plain_model.species_ids))
    y = np.zeros(len(coupled.species_ids))
    for i, sid in enumerate(plain_model.species_ids):
        y[coupled.species_index(sid)] = y_plain[i]
    y[coupled.species_index("C_central")] = c_total
    r_coupled = dict(zip([r.id for r in coupled.network.reactions], coupled.rates(0.0, y, coupled.p0)))
    r_plain = dict(zip([r.id for r in plain.reactions], plain_model.rates(0.0, y_plain, plain_model.p0)))
    for rid in ("IL6_activation", "IFNgamma_activation", "IFNalpha_beta_activation"):
        assert r_coupled[rid] == pytest.approx(r_plain[rid], rel=1e-12)


def test_plasma_concentration_is_the_pk_model_and_pstat_follows_it():
    ds = simulate_with_drug(CELL, {"IL-6": "1 nM"}, "ruxolitinib", "15 mg", "BID", "30 kg", days=1, n_points=97)
    reference = pk_table("ruxolitinib", "15 mg", "BID", "30 kg", days=1, points_per_hour=4)
    assert np.allclose(ds.time_h.values, reference.time_h.values)
    assert np.allclose(ds["total_plasma_nM"].values, reference.total_plasma_nM.values, rtol=1e-5, atol=1e-6)
    assert np.allclose(ds["unbound_plasma_nM"].values, reference.unbound_plasma_nM.values, rtol=1e-5, atol=1e-6)
    import jakstat

    no_drug = jakstat.simulate(cell=CELL, cytokines={"IL-6": "1 nM"}, t_end="24 h", n_points=97)
    peak = int(np.argmax(ds["total_plasma_nM"].values))
    assert ds["pSTAT3_dimer_nuc"].values[peak] < no_drug["pSTAT3_dimer_nuc"].values[peak]


@pytest.mark.slow
def test_exported_sbml_of_the_coupled_network_agrees_with_roadrunner(cell_net):
    pytest.importorskip("roadrunner")
    from jakstat.testing import max_relative_error, roadrunner_comparison

    net = drug_coupled_network(cell_net, "baricitinib", "4 mg", "QD", "70 kg", days=1)
    times = np.linspace(0, 24 * 3600, 49) + 1.0
    times[0] = 0.0
    ours, theirs, columns = roadrunner_comparison(net, times)
    assert max_relative_error(ours, theirs, 1e-12) < 1e-4
    k = columns.index("pSTAT3_dimer_nuc")
    assert theirs[-1, k] > 0


@pytest.mark.parametrize("kwargs, error, text", [
    (dict(dose="-15 mg"), InvalidValueError, "dose"),
    (dict(dose="0 mg"), InvalidValueError, "dose"),
    (dict(dose="15 mL"), UnitError, "dose"),
    (dict(drug="ruxolitnib"), UnknownNameError, "ruxolitinib"),
    (dict(drug="tocilizumab"), InvalidValueError, "antibody"),
    (dict(weight="2 kg"), InvalidValueError, "3-150"),
    (dict(weight="151 kg"), InvalidValueError, "3-150"),
    (dict(regimen="q4w"), UnknownNameError, "BID"),
])
def test_bad_input(cell_net, kwargs, error, text):
    args = dict(drug="ruxolitinib", dose="15 mg", regimen="BID", weight="30 kg", days=1)
    args.update(kwargs)
    with pytest.raises(error, match=text):
        drug_coupled_network(cell_net, **args)


def test_cli_simulate_with_a_drug(tmp_path):
    out = tmp_path / "rux.csv"
    result = CliRunner().invoke(app, ["simulate", "--cell", CELL, "--cytokine", "IL-6=1nM", "--drug", "ruxolitinib=15mg",
                                      "--regimen", "BID", "--weight", "30kg", "--days", "0.5", "--points", "13",
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert {"time_h", "total_plasma_nM", "unbound_plasma_nM", "pSTAT3_dimer_nuc", "C_central"} <= set(frame.columns)
    assert len(frame) == 13 and frame["total_plasma_nM"].max() > 0


@pytest.mark.parametrize("args, text", [
    (["--drug", "ruxolitinib=-15mg"], "dose"),
    (["--drug", "ruxolitnib=15mg"], "ruxolitinib"),
    (["--drug", "ruxolitinib=15mg", "--weight", "200kg"], "3-150"),
    (["--drug", "ruxolitinib"], "NAME=DOSE"),
])
def test_cli_simulate_bad_drug_input(tmp_path, args, text):
    result = CliRunner().invoke(app, ["simulate", "--cell", CELL, "--days", "0.5", *args, "--out", str(tmp_path / "x.csv")])
    assert result.exit_code == 2 and text in result.output
