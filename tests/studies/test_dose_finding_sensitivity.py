"""Dose finding against the published baricitinib weight bands; Sobol indices against a closed form."""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.studies.dose_finding import _profiles, find_band_doses, published_bands
from jakstat.studies.population import PopulationSpec, sample_population
from jakstat.studies.sensitivity import sobol_indices


def test_published_juve_basis_bands_are_read_from_the_table() -> None:
    bands = published_bands("baricitinib")
    assert [(b.mg, b.regimen, b.low_kg, b.high_kg) for b in bands] == [(2.0, "QD", 10.0, 30.0), (4.0, "QD", 30.0, np.inf)]
    assert "Decker 2024" in bands[0].source


@pytest.mark.slow
def test_pk_is_linear_in_dose_through_the_engine() -> None:
    children = sample_population(PopulationSpec("JDM", (3.0, 15.0)), np.arange(40), seed=4)
    t, one, _ = _profiles("baricitinib", "QD", "1 mg/kg", children, 5.0, 8, 1e-9)
    _, two, _ = _profiles("baricitinib", "QD", "2.5 mg/kg", children, 5.0, 8, 1e-9)
    np.testing.assert_allclose(two, 2.5 * one, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_found_baricitinib_bands_are_within_one_tablet_of_juve_basis() -> None:
    table = find_band_doses("baricitinib", "QD", band_edges_kg=(10.0, 20.0, 30.0, 45.0, 150.0), n=1500)
    assert list(table["band"]) == ["10-<20 kg", "20-<30 kg", "30-<45 kg", "45-<150 kg"]
    assert (table["published_mg_per_day"] == [2.0, 2.0, 4.0, 4.0]).all()
    # within one dose step of the smallest tablet (1 mg) of the published band dose
    assert (np.abs(table["found_rounded_mg_per_day"] - table["published_mg_per_day"]) <= 1.0).all(), table
    # the criterion itself: 90% of each band's children reach the adult target on the found (rounded-up) dose
    assert (table["reach_on_found_rounded"] >= 0.9 - 1e-9).all()
    # mg/kg falls with weight (allometric clearance, exponent 0.75)
    assert table["found_mg_per_kg_day"].is_monotonic_decreasing


@pytest.mark.slow
def test_sobol_auc_of_a_one_compartment_drug_depends_on_clearance_only() -> None:
    # steady-state AUC over an interval = dose / CL (closed form): S1(CL) = ST(CL) = 1, V has no effect
    table = sobol_indices("ruxolitinib", "5 mg", "BID", endpoint="auc_tau_nMh", n_base=128, seed=1)
    assert set(table.index) == {"clearance", "central_volume"}
    assert table.loc["clearance", "ST"] == pytest.approx(1.0, abs=0.15)
    assert table.loc["central_volume", "ST"] == pytest.approx(0.0, abs=1e-3)
    assert table.attrs["simulations"] == 128 * 4
    cmax = sobol_indices("ruxolitinib", "5 mg", "BID", endpoint="cmax_nM", n_base=128, seed=1)
    assert cmax.loc["central_volume", "ST"] > 0.3  # the peak depends on the volume
