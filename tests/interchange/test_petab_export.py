"""PEtab export: the written problem reads back through jakstat's own PEtab import to the same
trajectories as `jakstat.simulate`, and the `petab` library lints it clean."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jakstat
from jakstat.api import run_network
from jakstat.compile.petab_problem import load_petab, petab_condition_ids
from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.petab_api import export_petab

IL6 = {"IL-6": "10 ng/mL"}
OBSERVED = ["pSTAT3_dimer_nuc", "SOCS3", "IL6_medium"]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("petab")
    return export_petab(folder, cytokines=IL6, observables=OBSERVED, t_end="6 h", n_points=7)


def _tables(yaml_path, kind):
    return pd.read_csv(next(yaml_path.parent.glob(f"{kind}_*.tsv")), sep="\t")


@pytest.mark.parametrize("condition, cytokines", [("stimulated", IL6), ("medium_only", {})])
def test_round_trip_through_the_petab_import_matches_simulate(exported, condition, cytokines):
    net = load_petab(exported.parent, condition)
    times = np.linspace(0.0, 6 * 3600.0, 7)  # the exported model is in seconds
    via_petab = run_network(net, times)
    direct = jakstat.simulate(cytokines=cytokines, t_end="6 h", n_points=7)
    for sid in OBSERVED + ["STAT3_cyt", "IL6_mRNA_cyt"]:
        assert via_petab[sid].to_numpy() == pytest.approx(direct[sid].to_numpy(), rel=1e-6, abs=1e-9), sid
    # the conditions really differ: IL-6 more than doubles nuclear pSTAT3 at 4 h (as in the demo test)
    if condition == "stimulated":
        rest = jakstat.simulate(t_end="6 h", n_points=7)["pSTAT3_dimer_nuc"].to_numpy()
        assert via_petab["pSTAT3_dimer_nuc"].to_numpy()[4] > 2 * rest[4]


def test_tables_hold_conditions_synthetic_measurements_and_parameters(exported):
    assert petab_condition_ids(exported.parent) == ["medium_only", "stimulated"]
    conditions = _tables(exported, "conditions").set_index("conditionId")
    assert conditions.loc["stimulated", "IL6_medium"] == pytest.approx(10 / 21, rel=1e-12)  # 10 ng/mL, 21 kDa
    assert conditions.loc["medium_only", "IL6_medium"] == 0.0
    measurements = _tables(exported, "measurements")
    assert len(measurements) == 2 * 3 * 7 and set(measurements["datasetId"]) == {"jakstat_nominal"}
    at6 = measurements[(measurements["time"] == 21600.0) & (measurements["simulationConditionId"] == "stimulated")]
    direct = jakstat.simulate(cytokines=IL6, t_end="6 h", n_points=7)
    for _, row in at6.iterrows():
        assert row["measurement"] == pytest.approx(float(direct[row["observableId"][4:]][-1]), rel=1e-6)
    parameters = _tables(exported, "parameters").set_index("parameterId")
    assert parameters.loc["kf0", ["nominalValue", "estimate", "parameterScale"]].tolist() == [0.1, 0, "log10"]
    assert parameters.loc["kf0", "jakstat_provenance"].startswith("kinetics_il6_jak_stat.csv")
    estimated = parameters[parameters["estimate"] == 1]
    assert estimated["jakstat_provenance"].str.startswith(("assumed", "calibrated")).all()
    assert estimated["jakstat_provenance"].str.startswith("calibrated").any()  # k_IL6_tx_basal
    assert {f"sd_obs_{s}" for s in OBSERVED} <= set(estimated.index)
    net = jakstat.prepare_network(jakstat.Scenario(cytokines=(("IL-6", "10 ng/mL"),)))
    assumed = {p.id for p in net.parameters if p.provenance.kind == "assumed" and p.value > 0}
    assert assumed and assumed <= set(estimated.index)


def test_petab_library_lints_it_clean(exported):
    petab = pytest.importorskip("petab.v1", reason="the petab package is a test extra: pip install -e '.[test]'")
    problem = petab.Problem.from_yaml(str(exported))
    assert petab.lint_problem(problem) is False  # False: no errors found


def test_user_measurements_replace_the_synthetic_ones(tmp_path):
    data = tmp_path / "data.csv"
    pd.DataFrame({"condition": ["stimulated", "medium_only"], "species": ["pSTAT3_dimer_nuc", "SOCS3"],
                  "time_h": [1.0, 2.5], "value_nM": [500.0, 40.0]}).to_csv(data, index=False)
    yaml_path = export_petab(tmp_path / "p", cytokines=IL6, observables=["pSTAT3_dimer_nuc"], measurements=data)
    measurements = _tables(yaml_path, "measurements")
    assert measurements["time"].tolist() == [3600.0, 9000.0] and measurements["measurement"].tolist() == [500.0, 40.0]
    observables = _tables(yaml_path, "observables")
    assert observables["observableId"].tolist() == ["obs_pSTAT3_dimer_nuc", "obs_SOCS3"]  # SOCS3 added: measured
    parameters = _tables(yaml_path, "parameters").set_index("parameterId")
    assert parameters.loc["sd_obs_pSTAT3_dimer_nuc", "nominalValue"] == pytest.approx(50.0)  # 10 % of the largest


@pytest.mark.parametrize("columns, message", [
    ({"condition": ["stimulated"], "species": ["pSTAT3_dimer_nuc"], "time_h": [1.0]}, "missing columns"),
    ({"condition": ["treated"], "species": ["SOCS3"], "time_h": [1.0], "value_nM": [1.0]}, r"unknown condition \(in data.csv\) 'treated'; known: medium_only, stimulated"),
    ({"condition": ["stimulated"], "species": ["SOCS9"], "time_h": [1.0], "value_nM": [1.0]}, r"unknown species \(in data.csv\) 'SOCS9'"),
    ({"condition": ["stimulated"], "species": ["SOCS3"], "time_h": [-1.0], "value_nM": [1.0]}, "row 1, column 'time_h'"),
])
def test_bad_measurement_tables_are_named(tmp_path, columns, message):
    data = tmp_path / "data.csv"
    pd.DataFrame(columns).to_csv(data, index=False)
    with pytest.raises((InvalidValueError, UnknownNameError), match=message):
        export_petab(tmp_path / "p", cytokines=IL6, measurements=data)


def test_unknown_observable_lists_the_species(tmp_path):
    with pytest.raises(UnknownNameError, match="unknown species of network il6_fibroblast .* known: .*SOCS3"):
        export_petab(tmp_path, observables=["pSTAT9"])
