"""Virtual populations: reproducible per patient, and consistent with the CDC 2000 reference."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from jakstat.data import table_path
from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.studies import growth
from jakstat.studies.population import SCHWARTZ_K, PopulationSpec, sample_population


def _csv_lms(measure: str, sex: str, age_months: float) -> tuple[float, float, float]:
    """The table row read with the csv module (not through jakstat.studies.growth)."""
    with open(table_path("growth_cdc2000_lms"), newline="") as handle:
        for row in csv.DictReader(handle):
            if row["measure"] == measure and row["sex"] == sex and float(row["age_months"]) == age_months:
                return float(row["L"]), float(row["M"]), float(row["S"])
    raise AssertionError("row not found")


def test_same_seed_same_patients_and_patient_independent_of_chunking() -> None:
    spec = PopulationSpec("DPM", (3.0, 16.0), 0.6)
    whole = sample_population(spec, np.arange(300), seed=11)
    parts = [sample_population(spec, ids, seed=11) for ids in (np.arange(0, 7), np.arange(7, 150), np.arange(150, 300))]
    for part in parts:
        ids = part["patient_id"].to_numpy()
        np.testing.assert_array_equal(part.drop(columns="patient_id").to_numpy(),
                                      whole.iloc[ids].drop(columns="patient_id").to_numpy())
        np.testing.assert_array_equal(part.attrs["pk_z"], whole.attrs["pk_z"][ids])
    scattered = sample_population(spec, np.array([299, 4, 150]), seed=11)
    np.testing.assert_array_equal(scattered["weight_kg"], whole["weight_kg"].to_numpy()[[299, 4, 150]])
    other = sample_population(spec, np.arange(300), seed=12)
    assert not np.allclose(other["weight_kg"], whole["weight_kg"])


def test_published_cdc_medians_at_24_months() -> None:
    # CDC 2000 wtage.csv / statage.csv, boys, Agemos 24: M = 12.6707633 kg, 86.45220101 cm
    assert growth.measurement("weight", "male", 24.0, 0.0)[0] == pytest.approx(12.6707633, rel=1e-9)
    assert growth.measurement("height", "male", 24.0, 0.0)[0] == pytest.approx(86.45220101, rel=1e-9)


@pytest.mark.parametrize("sex, months", [("male", 119.5), ("female", 119.5), ("female", 60.5), ("male", 180.5)])
def test_sampled_median_weight_and_height_match_the_lms_m_value(sex: str, months: float) -> None:
    spec = PopulationSpec("healthy", (months / 12.0, months / 12.0 + 1e-6), 1.0 if sex == "female" else 0.0)
    patients = sample_population(spec, np.arange(4000), seed=5)
    for measure, column in (("weight", "weight_kg"), ("height", "height_cm")):
        _, m, s = _csv_lms(measure, sex, months)
        # the median of an LMS variable is M; sampling error of a median of 4000 is ~1.25 sigma/sqrt(n)
        assert np.median(patients[column]) == pytest.approx(m, rel=3 * 1.25 * s / np.sqrt(4000) + 1e-4)


def test_lms_z_round_trip_and_spread() -> None:
    L, M, S = _csv_lms("weight", "female", 119.5)
    x = growth.value_at_z(L, M, S, np.array([-2.0, 0.0, 1.5]))
    np.testing.assert_allclose(growth.z_of_value(L, M, S, x), [-2.0, 0.0, 1.5], atol=1e-12)
    assert x[0] < M < x[2]
    spec = PopulationSpec("healthy", (119.5 / 12, 119.5 / 12 + 1e-6), 1.0)
    z = growth.z_of_value(L, M, S, sample_population(spec, np.arange(4000), seed=2)["weight_kg"].to_numpy())
    assert np.std(z) == pytest.approx(1.0, abs=0.06)  # truncation at 2.5 trims the SD by ~3%


def test_bedside_schwartz_and_labels() -> None:
    patients = sample_population(PopulationSpec("DPM", (2.0, 18.0)), np.arange(500), seed=3)
    np.testing.assert_allclose(patients["egfr"], SCHWARTZ_K * patients["height_cm"] / patients["creatinine_mg_dl"])
    assert 80 < patients["egfr"].median() < 150  # healthy-child GFR range by design of the creatinine model
    assert set(patients["genotype"]) == {"STAT4:A635V/wt"} and not patients["interferon_signature"].any()
    jdm = sample_population(PopulationSpec("JDM"), np.arange(5), seed=3)
    assert jdm["interferon_signature"].all() and set(jdm["genotype"]) == {"wt"}
    assert patients["age_y"].between(2, 18).all() and patients["weight_kg"].between(3, 150).all()


def test_bad_population_specs_name_the_field() -> None:
    with pytest.raises(UnknownNameError, match="disease 'SLE'; known: DPM, JDM, healthy"):
        PopulationSpec("SLE")
    with pytest.raises(InvalidValueError, match="age_years"):
        PopulationSpec("JDM", (1.0, 5.0))
    with pytest.raises(InvalidValueError, match="female_fraction"):
        PopulationSpec("JDM", female_fraction=1.5)
    with pytest.raises(InvalidValueError, match="CDC 2000 reference covers 2-20 y"):
        growth.lms_at("weight", "male", np.array([12.0]))
