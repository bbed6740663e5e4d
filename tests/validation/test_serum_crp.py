"""Serum IL-6 and CRP against published numbers (serum_crp_targets.csv), one test per row.

Fitted by the calibration ``crp_healthy_serum`` (exactly, three numbers by three parameters):
CRP_HEALTHY_MEDIAN, RA_IL6_CRP_PAIR, TCZ_TROUGH_1MG_L; their tests only confirm the stored record.
Held out: CRP_HALF_LIFE (as a emergent decay rate after blockade), TCZ_IL6_RISE, TCZ_CRP_NORMAL,
IL6_HEPATIC_UPTAKE, JAKI_CRP_DOWN. Each test states the row's tolerance; parts the model does not meet
are ``xfail(strict=True)`` with the measured number and the reason, so that a model change that meets
them shows up. The patient is an adult of 70 kg with the RA cohort's mean serum IL-6 (65.16 pg/mL,
CRP 51.67 mg/L); numbers are printed (pytest -s).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from jakstat.data import table_row
from jakstat.experiments import serum_model as sm
from jakstat.studies.crp_calibration import tocilizumab_free_fraction

pytestmark = pytest.mark.validation
RA_IL6 = 65.16
HOURS = np.arange(0.0, 28 * 24 + 1.0)


def row(finding_id: str) -> dict:
    return table_row("serum_crp_targets", finding_id=finding_id)


@pytest.fixture(scope="module")
def ra():
    return sm.baseline_network(RA_IL6)


@pytest.fixture(scope="module")
def tocilizumab(ra):
    """8 mg/kg IV, one dose (Q4W), 28 days, hourly."""
    return sm.run_serum(sm.with_antibody(ra, "tocilizumab", "8 mg/kg", "Q4W", "70 kg", 28.0), HOURS)


@pytest.fixture(scope="module")
def baricitinib(ra):
    """4 mg QD by mouth, 14 days."""
    return sm.run_serum(sm.with_jak_inhibitor(ra, "baricitinib", "4 mg", "QD", "70 kg", 14.0), HOURS[: 14 * 24 + 1])


def at(ds, name: str, hour: float) -> float:
    return float(ds[name].sel(time_h=hour).values)


def test_CRP_HEALTHY_MEDIAN_and_RA_IL6_CRP_PAIR_are_the_calibration():
    assert float(row("CRP_HEALTHY_MEDIAN")["value"]) == 0.8
    assert sm.steady_crp_mg_l(sm.HEALTHY_IL6_PG_ML) == pytest.approx(0.8, rel=1e-4)
    assert sm.steady_crp_mg_l(RA_IL6) == pytest.approx(51.67, rel=1e-4)


def test_CRP_HALF_LIFE_emerges_as_the_decay_once_tocilizumab_stops_signalling(tocilizumab):
    """Tolerance: the CRP decay between days 3 and 4 after the dose has a half-life within 2% of 19 h."""
    half_life_h = float(row("CRP_HALF_LIFE")["value"])
    c3, c4 = at(tocilizumab, "crp_mg_l", 72.0), at(tocilizumab, "crp_mg_l", 96.0)
    measured = 24.0 * math.log(2) / math.log(c3 / c4)
    print(f"CRP half-life between day 3 and 4 on tocilizumab: {measured:.2f} h (table {half_life_h:g} h)")
    assert measured == pytest.approx(half_life_h, rel=0.02)


def test_TCZ_CRP_NORMAL_by_day_14(tocilizumab):
    """Tolerance: CRP < 3 mg/L by day 14 after 8 mg/kg IV from the RA baseline."""
    assert "by day 14" in row("TCZ_CRP_NORMAL")["tolerance_for_model"]
    crp = tocilizumab["crp_mg_l"].values
    first_normal_day = HOURS[np.argmax(crp < 3.0)] / 24.0
    print(f"CRP on tocilizumab: day 1 {at(tocilizumab, 'crp_mg_l', 24):.2f}, day 7 {at(tocilizumab, 'crp_mg_l', 168):.3f}, "
          f"day 14 {at(tocilizumab, 'crp_mg_l', 336):.3f} mg/L; first below 3 mg/L on day {first_normal_day:.2f}")
    assert at(tocilizumab, "crp_mg_l", 336.0) < 3.0
    assert first_normal_day < 7.0


@pytest.mark.xfail(strict=True, reason="model CRP at day 28 after one 8 mg/kg dose is 4.2 mg/L: the first-dose "
                   "trough (2.7 mg/L tocilizumab, 18 nM) leaves 12% of IL-6R free and serum IL-6 is raised; "
                   "the row's 'still below 3 mg/L at day 28' is not met")
def test_TCZ_CRP_NORMAL_still_at_the_day_28_trough(tocilizumab):
    crp = at(tocilizumab, "crp_mg_l", 672.0)
    print(f"CRP at day 28 (trough): {crp:.2f} mg/L; tocilizumab {at(tocilizumab, 'C_central', 672.0):.1f} nM")
    assert crp < 3.0


def test_TCZ_IL6_RISE_direction_and_mechanism(tocilizumab, ra):
    """Free serum IL-6 rises on tocilizumab while production is unchanged (blocked consumption)."""
    fold = at(tocilizumab, "il6_pg_ml", 336.0) / RA_IL6
    print(f"free serum IL-6 on tocilizumab: day 14 {at(tocilizumab, 'il6_pg_ml', 336):.1f} pg/mL ({fold:.2f}-fold), "
          f"peak {tocilizumab['il6_pg_ml'].values.max():.1f} pg/mL")
    assert fold > 1.2
    assert ra["k_IL6_prod"].value > 0  # the production (a parameter) is the same with and without the antibody


@pytest.mark.xfail(strict=True, reason="model fold at day 14 is 1.58 (< 2): calibrating TCZ_TROUGH_1MG_L (CRP "
                   "normalised already at 1 mg/L, 73% of IL-6R blocked at Kd 2.54 nM) forces most IL-6 clearance "
                   "to be IL-6R-independent (62%), which caps the rise on full blockade at 1.6-fold")
def test_TCZ_IL6_RISE_at_least_two_fold(tocilizumab):
    assert at(tocilizumab, "il6_pg_ml", 336.0) / RA_IL6 >= 2.0


def test_TCZ_TROUGH_1MG_L_is_the_calibration():
    cal = sm.treated_steady_state(sm.il6_for_crp(37.7), tocilizumab_free_fraction(1.0))
    crp = sm.species_value(cal, sm.CRP_SPECIES) * sm.crp_mg_l_per_nm()
    print(f"CRP at 1 mg/L tocilizumab from an untreated 37.7 mg/L: {crp:.2f} mg/L")
    assert crp <= 10.0 * (1 + 1e-3)


def _clearance_fluxes(net):
    y = {s.id: s.initial for s in net.species}
    other = net["k_IL6_other"].value * y["IL6_plasma"] * net["plasma"].size
    receptor = net["k_int"].value * (y["Rc_act"] + y["Rc"]) * net["cytoplasm"].size
    return y, other, receptor


def test_IL6_HEPATIC_UPTAKE_free_il6_leaves_plasma_within_minutes(ra):
    """Tolerance: apparent free IL-6 half-life in plasma (amount / clearance flux) < 2 h."""
    y, other, receptor = _clearance_fluxes(ra)
    half_life_min = math.log(2) * y["IL6_plasma"] * ra["plasma"].size / (other + receptor) / 60.0
    print(f"apparent free IL-6 half-life {half_life_min:.2f} min; IL-6R-mediated share {receptor / (other + receptor):.2f}")
    assert half_life_min < 120.0


@pytest.mark.xfail(strict=True, reason="IL-6R-mediated share of IL-6 clearance is 0.38 at the RA baseline (< 0.5), "
                   "set by the TCZ_TROUGH_1MG_L calibration (see TCZ_IL6_RISE)")
def test_IL6_HEPATIC_UPTAKE_most_clearance_is_il6r_mediated(ra):
    _, other, receptor = _clearance_fluxes(ra)
    assert receptor > other


def test_JAKI_CRP_DOWN_baricitinib_lowers_crp_less_than_tocilizumab(baricitinib, tocilizumab):
    """Tolerance (direction): CRP on baricitinib 4 mg QD below untreated at day 14, above tocilizumab's."""
    assert row("JAKI_CRP_DOWN")["unit"] == "direction"
    crp = at(baricitinib, "crp_mg_l", 336.0)
    print(f"CRP day 14: baricitinib 4 mg QD {crp:.2f} mg/L ({100 * (1 - crp / 51.67):.0f}% down), "
          f"tocilizumab {at(tocilizumab, 'crp_mg_l', 336.0):.3f} mg/L; IL-6 on baricitinib {at(baricitinib, 'il6_pg_ml', 336):.1f}")
    assert crp < 51.67 * 0.95
    assert crp > at(tocilizumab, "crp_mg_l", 336.0)
