"""Regimens: schedules, rounding, missed/late/loading doses, stopping, and every bad input of the issue."""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.errors import InvalidValueError, UnitError, UnknownNameError
from jakstat.pharmacology import Regimen, dose_schedule, pk_table
from jakstat.pharmacology.regimens import parse_dose, parse_weight, round_dose, strengths
from jakstat.units import Quantity


@pytest.mark.parametrize(("frequency", "interval"), [("QD", 24.0), ("BID", 12.0), ("TID", 8.0), ("XR", 24.0), ("bid", 12.0)])
def test_schedule_intervals(frequency, interval):
    doses = dose_schedule("tofacitinib", Regimen(frequency, "11 mg" if frequency == "XR" else "5 mg"), 70.0, 2.0)
    times = [d.time_h for d in doses]
    assert times == [interval * i for i in range(int(48 / interval))]
    assert all(d.extended_release == (frequency == "XR") for d in doses)


def test_missed_late_loading_and_stop():
    plan = Regimen("BID", "5 mg", loading_dose="10 mg", missed=(2,), late={3: "3 h"}, stop_day=3)
    doses = dose_schedule("tofacitinib", plan, 70.0, 5.0)
    assert [(d.number, d.time_h, d.mg) for d in doses] == [(0, 0.0, 10.0), (1, 12.0, 5.0), (3, 39.0, 5.0),
                                                           (4, 48.0, 5.0), (5, 60.0, 5.0)]


def test_mg_per_kg_doses_are_rounded_to_product_strengths():
    doses = dose_schedule("tofacitinib", Regimen("BID", "0.13 mg/kg"), 25.0, 1.0)  # 3.25 mg asked
    assert doses[0].requested_mg == pytest.approx(3.25)
    assert doses[0].mg == 5.0  # tablets of 5 and 10 mg: nearest achievable
    solution = dose_schedule("tofacitinib", Regimen("BID", "0.13 mg/kg", formulation="solution"), 25.0, 1.0)
    assert solution[0].mg == pytest.approx(3.2)  # 1 mg/mL in 0.1 mL steps (ties go to the lower dose)
    assert round_dose(45.0, (5.0, 10.0, 15.0, 20.0, 25.0), "mg") == 45.0
    assert round_dose(2.6, (1.0, 2.0), "mg") == 3.0
    assert round_dose(0.2, (50.0, 100.0, 200.0), "mg") == 50.0  # at least one tablet


def test_strengths_come_from_drug_properties():
    assert strengths("ruxolitinib", "tablet", False)[0] == (5.0, 10.0, 15.0, 20.0, 25.0)
    assert strengths("tofacitinib", "tablet", True)[0] == (11.0, 22.0)
    assert strengths("upadacitinib", "solution", False)[:2] == ((1.0,), "mg/mL")
    assert strengths("baricitinib", "tablet", False)[0] == (1.0, 2.0, 4.0)


def test_missed_dose_changes_the_profile_only_after_it():
    full = pk_table("tofacitinib", "5 mg", "BID", days=2)
    missed = pk_table("tofacitinib", "5 mg", "BID", days=2, missed=[2])
    before = full["time_h"] < 24
    np.testing.assert_allclose(missed.loc[before, "total_plasma_nM"], full.loc[before, "total_plasma_nM"], rtol=1e-6)
    window = (full["time_h"] >= 24.25) & (full["time_h"] < 36)
    assert (missed.loc[window, "total_plasma_nM"] < 0.2 * full.loc[window, "total_plasma_nM"]).all()


def test_late_dose_shifts_the_peak_by_the_delay():
    on_time = pk_table("tofacitinib", "5 mg", "BID", days=2, points_per_hour=20)
    late = pk_table("tofacitinib", "5 mg", "BID", days=2, points_per_hour=20, late={2: "3 h"})
    in_window = (on_time["time_h"] >= 24) & (on_time["time_h"] < 30)
    t_peak_on_time = on_time.loc[in_window, "time_h"].iloc[int(np.argmax(on_time.loc[in_window, "total_plasma_nM"]))]
    t_peak_late = late.loc[in_window, "time_h"].iloc[int(np.argmax(late.loc[in_window, "total_plasma_nM"]))]
    assert t_peak_late - t_peak_on_time == pytest.approx(3.0)
    before = on_time["time_h"] < 24
    np.testing.assert_allclose(late.loc[before, "total_plasma_nM"], on_time.loc[before, "total_plasma_nM"], rtol=1e-6)
    assert late.attrs["doses"][2]["time_h"] == 27.0


def test_stopping_washes_out():
    table = pk_table("baricitinib", "4 mg", "QD", days=8, stop_day=3)
    assert [d["time_h"] for d in table.attrs["doses"]] == [0.0, 24.0, 48.0]
    after = table[table["time_h"] >= 48 + 120]
    assert after["total_plasma_nM"].max() < 0.01 * table["total_plasma_nM"].max()


# --- bad input: one mutation per test, the message names the field, the value and what is allowed ------------

def test_zero_dose_is_refused():
    with pytest.raises(InvalidValueError, match=r"dose: must be > 0, got 0 mg"):
        pk_table("baricitinib", "0 mg", "QD", days=1)


def test_negative_dose_is_refused():
    with pytest.raises(InvalidValueError, match=r"dose: must be > 0, got -4 mg"):
        pk_table("baricitinib", "-4 mg", "QD", days=1)


@pytest.mark.parametrize("dose", ["4 mL", "4 nM", "4 h"])
def test_dose_in_a_wrong_unit_is_refused(dose):
    with pytest.raises(UnitError, match=r"dose: .* has the wrong unit; expected a mass \(mg, ug\) or a mass per body weight"):
        pk_table("baricitinib", dose, "QD", days=1)


def test_dose_without_unit_is_refused():
    with pytest.raises(UnitError, match=r"dose: '4' has no unit"):
        parse_dose("4")


def test_unknown_drug_lists_the_known_ones():
    with pytest.raises(UnknownNameError) as info:
        pk_table("ruxolitnib", "20 mg", "BID", days=1)
    message = str(info.value)
    assert message.startswith("unknown drug 'ruxolitnib'; known: ")
    assert "ruxolitinib" in message and "baricitinib" in message and "tofacitinib" in message


def test_drug_without_pk_model_is_named():
    with pytest.raises(UnknownNameError, match=r"drug 'filgotinib' has no CL and V rows .* known: abrocitinib, baricitinib"):
        pk_table("filgotinib", "200 mg", "QD", days=1)


def test_unknown_regimen_lists_the_known_ones():
    with pytest.raises(UnknownNameError, match=r"unknown regimen 'QID'; known: BID, QD, TID, XR"):
        pk_table("tofacitinib", "5 mg", "QID", days=1)


def test_xr_for_a_drug_without_xr_data_is_refused():
    with pytest.raises(InvalidValueError, match=r"regimen: 'XR' needs extended-release data for baricitinib.*"
                                                r"drugs with XR data: tofacitinib, upadacitinib"):
        pk_table("baricitinib", "4 mg", "XR", days=1)


@pytest.mark.parametrize("weight", ["2.9 kg", "151 kg", "0 kg"])
def test_weight_outside_3_to_150_kg_is_refused(weight):
    with pytest.raises(InvalidValueError, match=r"weight: .* kg is outside the allowed range 3-150 kg"):
        pk_table("baricitinib", "2 mg", "QD", weight=weight, days=1)


def test_weight_in_a_wrong_unit_is_refused():
    with pytest.raises(UnitError, match=r"weight: .* is not a body mass"):
        parse_weight("70 L")


def test_weights_at_the_limits_are_accepted():
    assert parse_weight("3 kg") == 3.0
    assert parse_weight(Quantity(150, "kg")) == 150.0
    assert parse_weight("150000 g") == 150.0


def test_bad_late_and_missed_entries():
    with pytest.raises(InvalidValueError, match=r"late\[1\]: delay must be >= 0 h and shorter than the 12 h interval"):
        Regimen("BID", "5 mg", late={1: "13 h"})
    with pytest.raises(UnitError, match=r"late\[1\]"):
        Regimen("BID", "5 mg", late={1: "3 mg"})
    with pytest.raises(InvalidValueError, match=r"missed/late: dose numbers are integers >= 0"):
        Regimen("BID", "5 mg", missed=(-1,))
    with pytest.raises(InvalidValueError, match=r"stop_day: must be > 0"):
        Regimen("BID", "5 mg", stop_day=0)
    with pytest.raises(UnknownNameError, match=r"unknown formulation 'syrup'; known: solution, tablet"):
        Regimen("BID", "5 mg", formulation="syrup")
