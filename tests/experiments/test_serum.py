"""The systemic serum IL-6 / CRP model and its assay: closed forms, mass balance, protocol errors.

References are independent of the code under test: CRP clearance is first order with the table's
half-life (closed form), the IL-6 production that holds a baseline equals the clearance fluxes at
that steady state, and with IL-6R fully blocked serum IL-6 settles at production / IL-6R-independent
clearance.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from jakstat.data import table_row
from jakstat.data.calibration_records import calibration_record
from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.experiments import make_protocol, run_assay
from jakstat.experiments.protocol import ProtocolInputError
from jakstat.experiments.serum import SerumProtocol
from jakstat.experiments import serum_model as sm
from jakstat.experiments.tidy import TIDY_COLUMNS
from jakstat.network.edit import with_parameter
from jakstat.network.provenance import Assumed

RA_IL6 = 65.16


@pytest.fixture(scope="module")
def ra():
    return sm.baseline_network(RA_IL6)


def test_crp_elimination_rate_is_the_tables_half_life():
    row = table_row("serum_crp_targets", finding_id="CRP_HALF_LIFE")
    net = sm.serum_network()
    assert row["unit"] == "h" and row["verified"] == "yes"
    assert net["k_CRP_el"].value == pytest.approx(math.log(2) / (float(row["value"]) * 3600.0), rel=1e-12)
    assert "serum_crp_targets" in net["k_CRP_el"].provenance.describe()


def test_crp_decays_first_order_with_a_19_h_half_life_when_production_stops(ra):
    stopped = with_parameter(ra, "k_CRP_secretion", 0.0, Assumed("test: no CRP made"))
    times = np.array([0.0, 6.0, 19.0, 38.0, 72.0])
    crp = sm.run_serum(stopped, times)["crp_mg_l"].values
    np.testing.assert_allclose(crp, crp[0] * np.exp(-math.log(2) * times / 19.0), rtol=1e-5)


def test_baseline_is_a_steady_state_at_the_given_il6(ra):
    ds = sm.run_serum(ra, np.array([0.0, 24.0, 96.0]))
    np.testing.assert_allclose(ds["il6_pg_ml"].values, RA_IL6, rtol=1e-6)
    np.testing.assert_allclose(ds["crp_mg_l"].values, ds["crp_mg_l"].values[0], rtol=1e-6)


def test_il6_production_balances_the_two_clearance_routes(ra):
    y = {s.id: s.initial for s in ra.species}
    v_plasma, v_cyt = ra["plasma"].size, ra["cytoplasm"].size
    other = ra["k_IL6_other"].value * y["IL6_plasma"] * v_plasma
    receptor = ra["k_int"].value * (y["Rc_act"] + y["Rc"]) * v_cyt  # active and constitutive internalisation
    assert ra["k_IL6_prod"].value * v_plasma == pytest.approx(other + receptor, rel=1e-6)
    assert receptor > 0 and other > 0


def test_full_il6r_blockade_leaves_production_over_independent_clearance(ra):
    blocked = with_parameter(ra, "free_IL6R", 0.0, Assumed("test: every IL-6R blocked"))
    il6_nm = sm.run_serum(blocked, np.array([0.0, 48.0]))["IL6_plasma"].values[-1]
    assert il6_nm == pytest.approx(ra["k_IL6_prod"].value / ra["k_IL6_other"].value, rel=1e-5)


def test_stored_calibration_reproduces_its_fitted_targets():
    record = calibration_record(sm.CALIBRATION)
    assert set(record["parameters"]) == set(sm.CALIBRATED)
    assert sm.steady_crp_mg_l(sm.HEALTHY_IL6_PG_ML) == pytest.approx(0.8, rel=1e-4)
    assert sm.steady_crp_mg_l(RA_IL6) == pytest.approx(51.67, rel=1e-4)
    net = sm.serum_network()
    for pid in sm.CALIBRATED:
        assert net[pid].provenance.describe().startswith("calibrated")


def test_il6_for_crp_inverts_the_steady_state():
    il6 = sm.il6_for_crp(10.0)
    assert 5.186 < il6 < RA_IL6
    assert sm.steady_crp_mg_l(il6) == pytest.approx(10.0, rel=1e-4)


def test_serum_assay_table_and_figure(tmp_path):
    result = run_assay("serum", times_h=[0, 24, 168], conditions={"cytokines": {"IL-6": "65.16 pg/mL"},
                                                                  "antibodies": {"tocilizumab": "8 mg/kg"}})
    table = result.table
    assert list(table.columns) == list(TIDY_COLUMNS)
    assert set(table.readout) == {"IL-6", "CRP"} and set(table.unit) == {"pg/mL", "mg/L"}
    crp = table[table.readout == "CRP"].value.to_numpy()
    assert crp[0] == pytest.approx(51.67, rel=1e-4) and crp[-1] < crp[0]
    assert table.antibody.iloc[0] == "tocilizumab=8 mg/kg Q4W IV" and table.drug.iloc[0] == "none"
    assert result.save_figure(tmp_path / "serum.png").stat().st_size > 5_000


def test_serum_assay_defaults_to_a_healthy_untreated_adult():
    result = run_assay("serum", times_h=[0, 24], readouts=["CRP"])
    assert list(result.table.readout) == ["CRP", "CRP"]
    np.testing.assert_allclose(result.table.value, 0.8, rtol=1e-4)


@pytest.mark.parametrize("fields, where", [
    ({"times_h": [-1, 24]}, "times_h"),
    ({"readouts": ["ESR"]}, "readout"),
    ({"conditions": {"drugs": {"tocilizumab": "8 mg/kg"}}}, "biologic"),
    ({"conditions": {"antibodies": {"baricitinib": "4 mg"}}}, "small molecule"),
    ({"conditions": {"drugs": {"baricitinib": "4 mg"}, "antibodies": {"tocilizumab": "8 mg/kg"}}}, "at most one"),
    ({"conditions": {"drugs": {"baricitinib": "4 mM"}}}, "conditions.drugs.baricitinib"),
    ({"conditions": {"drugs": {"baricitnib": "4 mg"}}}, "baricitinib"),
    ({"conditions": {"genotype": "STAT4:A635V/wt"}}, "no variants"),
    ({"conditions": {"cytokines": {"IFN-gamma": "1 pg/mL"}}}, "IL-6"),
    ({"conditions": {"cytokines": {"IL-6": "0 pg/mL"}}}, "IL-6"),
    ({"n_cells": 1e5}, "n_cells"),
    ({"regimen": "Q7D"}, "regimen"),
    ({"antibody_regimen": "QD"}, "antibody regimen"),
    ({"weight": "700 kg"}, "weight"),
])
def test_bad_serum_protocol_input_names_the_problem(fields, where):
    with pytest.raises((ProtocolInputError, UnknownNameError, InvalidValueError)) as info:
        make_protocol(SerumProtocol, **fields)
    assert where in str(info.value)


def test_an_antibody_that_does_not_bind_il6r_is_refused():
    with pytest.raises(InvalidValueError, match="does not bind IL-6R"):
        run_assay("serum", times_h=[0, 24], conditions={"antibodies": {"anifrolumab": "300 mg"}})


def test_serum_model_card_is_current():
    from pathlib import Path

    from jakstat.report.model_card import model_card

    committed = (Path(__file__).resolve().parents[2] / "docs" / "model_card_serum.md").read_text()
    assert committed == model_card(sm.serum_network()), (
        "docs/model_card_serum.md is stale: regenerate it with jakstat.report.model_card.model_card(serum_network())")
