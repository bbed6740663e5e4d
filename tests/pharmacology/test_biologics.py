"""Antibody PK, binding and pathway blocking (jakstat.pharmacology.biologics) against closed forms and published rows."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.linalg import expm

from jakstat.errors import InvalidValueError, UnitError, UnknownNameError
from jakstat.network.provenance import TableSource
from jakstat.pharmacology.biologic_parameters import biologic_parameters, scaled
from jakstat.pharmacology.biologic_validation import BIOLOGIC_TARGETS, biologic_comparison, biologic_markdown
from jakstat.pharmacology.biologics import (
    BiologicRegimen,
    biologic_dose_mg,
    biologic_inhibition,
    biologic_table,
    blocked_cytokines,
    target_blocked,
)


def test_linear_two_compartment_infusion_matches_matrix_exponential():
    """Emapalumab without IFN-gamma clearance is linear: the engine must equal the exact solution."""
    p = biologic_parameters("emapalumab")
    table = biologic_table("emapalumab", "70 mg", "Q4W", "70 kg", days=20, points_per_hour=1, stop_day=1)
    v1, v2, cl, q = p.central_volume.value, p.peripheral_volume.value, p.clearance.value, p.intercompartmental_clearance.value
    a = np.array([[-(cl + q) / v1, q / v1], [q / v2, -q / v2]])
    t_inf = p.infusion_h.value
    rate = 70e6 / p.molecular_weight.value / t_inf / v1  # nM/h into the central compartment
    b = np.array([rate, 0.0])
    x_end = np.linalg.solve(a, (expm(a * t_inf) - np.eye(2)) @ b)
    for t in (2.0, 24.0, 100.0, 480.0):
        exact = (expm(a * (t - t_inf)) @ x_end)[0]
        got = table.loc[table.time_h == t, "total_plasma_nM"].iloc[0]
        assert got == pytest.approx(exact, rel=1e-6)


@pytest.mark.parametrize("row", [t for t in BIOLOGIC_TARGETS if t.asserted], ids=lambda t: f"{t.drug}-{t.parameter}-{t.dose}")
def test_asserted_published_exposure_within_20_percent(row):
    hits = [r for r in biologic_comparison() if r["drug"] == row.drug and r["parameter"] == row.parameter
            and r["population"] == row.population]
    assert hits and hits[0]["asserted"]
    assert abs(hits[0]["ratio"] - 1.0) <= 0.20, hits[0]


def test_biologic_validation_doc_is_generated_from_the_code():
    from pathlib import Path

    page = Path(__file__).parents[2] / "docs" / "biologics_validation.md"
    assert page.read_text(encoding="utf-8") == biologic_markdown()


def test_tocilizumab_uses_the_verified_frey_rows_not_the_remembered_label_values():
    p = biologic_parameters("tocilizumab")
    assert p.central_volume.value == pytest.approx(3.5)  # not the unverified 3.72 L
    assert isinstance(p.clearance.provenance, TableSource) and p.clearance.provenance.verified
    assert p.clearance.value == pytest.approx(0.3 / 24)  # 0.3 L/day in L/h
    assert p.km.value == pytest.approx(2.7e-3 / 148000 * 1e9)  # 2.7 ug/mL at 148 kDa, nM
    assert p.vmax.value == pytest.approx(7.5e6 / 148000 / 24)  # 7.5 mg/day, nmol/h
    assert p.potency.value == pytest.approx(2.54)  # the primary, verified Kd


def test_anifrolumab_tmdd_reduces_to_michaelis_menten():
    p = biologic_parameters("anifrolumab")
    assert p.vmax.value == pytest.approx(77.4 / 24 * 0.0999 * 2.93)
    assert p.km.value == pytest.approx(0.712)
    assert p.cl_exponent.value == pytest.approx(0.601) and p.reference_weight.value == pytest.approx(69.1)


def test_targets_map_to_the_cytokines_they_block():
    assert blocked_cytokines("tocilizumab") == ("IL-6", "IL-6 trans")
    assert blocked_cytokines("anifrolumab") == ("IFN-alpha/beta",)
    assert blocked_cytokines("emapalumab") == ("IFN-gamma",)


def test_half_of_the_target_is_blocked_at_the_potency():
    for drug in ("tocilizumab", "anifrolumab", "emapalumab"):
        p = biologic_parameters(drug)
        assert float(target_blocked(p, p.potency.value)) == pytest.approx(0.5)
    assert float(biologic_inhibition("tocilizumab", "IL-6", 2.54 * 9)) == pytest.approx(0.9)
    assert float(biologic_inhibition("tocilizumab", "IFN-gamma", 1000.0)) == 0.0


def test_weight_based_dose_and_the_label_cap():
    p = biologic_parameters("tocilizumab")
    assert biologic_dose_mg(p, "8 mg/kg", 50.0) == (400.0, "")
    mg, note = biologic_dose_mg(p, "8 mg/kg", 120.0)
    assert mg == 800.0 and "capped" in note


def test_weight_scaling_of_the_adult_model():
    p = biologic_parameters("anifrolumab")
    heavy = scaled(p, 2 * 69.1)
    assert heavy.clearance.value == pytest.approx(p.clearance.value * 2 ** 0.601)
    assert heavy.central_volume.value == pytest.approx(p.central_volume.value * 2 ** 0.764)


def test_subcutaneous_dose_is_absorbed_slowly_and_scaled_by_f():
    table = biologic_table("tocilizumab", "162 mg", "QW", "70 kg", days=7, route="SC")
    tmax = table.time_h[table.total_plasma_nM.idxmax()]
    assert 24 < tmax < 168
    assert table.attrs["parameters"]["sc_bioavailability"].startswith("0.488")


def test_pediatric_population_uses_the_pediatric_rows():
    p = biologic_parameters("tocilizumab", "sJIA")
    assert p.clearance.value == pytest.approx(7.1e-3) and p.central_volume.value == pytest.approx(0.94)
    assert not p.weight_scaled


@pytest.mark.parametrize("call, error, text", [
    (lambda: BiologicRegimen("BID", "8 mg/kg"), UnknownNameError, "Q4W"),
    (lambda: BiologicRegimen("Q4W", "8 mg/kg", route="oral"), UnknownNameError, "IV"),
    (lambda: BiologicRegimen("Q4W", "-8 mg/kg"), InvalidValueError, "dose"),
    (lambda: BiologicRegimen("Q4W", "0 mg"), InvalidValueError, "dose"),
    (lambda: BiologicRegimen("Q4W", "8 mL"), UnitError, "dose"),
    (lambda: biologic_table("tocilizumab", "8 mg/kg", weight="200 kg"), InvalidValueError, "3-150"),
    (lambda: biologic_table("emapalumab", "1 mg/kg", "BIW", route="SC"), InvalidValueError, "SC"),
    (lambda: biologic_parameters("tocilizumab", "neonate"), UnknownNameError, "sJIA"),
    (lambda: biologic_parameters("sarilumab"), UnknownNameError, "tocilizumab"),
    (lambda: biologic_parameters("tocilizumabb"), UnknownNameError, "tocilizumab"),
])
def test_bad_input(call, error, text):
    with pytest.raises(error, match=text):
        call()


def test_cli_pk_for_an_antibody(tmp_path):
    import pandas as pd
    from typer.testing import CliRunner

    from jakstat.cli import app

    out = tmp_path / "toc.csv"
    result = CliRunner().invoke(app, ["pk", "--drug", "tocilizumab", "--dose", "8mg/kg", "--regimen", "q4w",
                                      "--days", "28", "--points-per-hour", "1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(out)
    assert {"time_h", "total_plasma_nM", "unbound_plasma_nM", "inhibition_IL-6", "inhibition_IL-6 trans"} <= set(frame)
    assert frame["inhibition_IL-6"].iloc[-1] > 0.5 and frame["inhibition_IFN-gamma"].max() == 0.0
    bad = CliRunner().invoke(app, ["pk", "--drug", "tocilizumab", "--dose", "8mg/kg", "--regimen", "tid",
                                   "--out", str(tmp_path / "x.csv")])
    assert bad.exit_code == 2 and "Q4W" in bad.output


def test_nlmixr2lib_rows_have_population_and_source_in_their_own_columns():
    """The rows transcribed from nlmixr2lib once held the variability text in ``population`` (one column off)."""
    from jakstat.data import load_table

    frame = load_table("biologic_pk_binding")
    rows = frame[frame["evidence"].str.contains("nlmixr2lib")]
    assert len(rows) == 30
    for row in rows.to_dict(orient="records"):
        assert row["population"] and not row["population"].startswith(("IIV", "fixed"))
        assert not row["source"].startswith(("Table", "Suppl", "population block", "Supplement"))
        assert "nlmixr2lib" in row["evidence"] and "(" in row["evidence"]  # address (locator)
    frey_cl = rows[(rows["drug"] == "tocilizumab") & (rows["parameter"] == "CL_linear")].iloc[0]
    assert frey_cl["variability"] == "IIV CV 39%" and frey_cl["source"].startswith("Frey N")
    assert biologic_parameters("tocilizumab").clearance.cv == pytest.approx(0.39)


def _mm_two_compartment_troughs(cl, vc, vp, q, vmax, km, dose_nmol, tau_h, n, t_inf_h):
    """Independent scipy implementation: trough (nM) after ``n`` IV infusions, 2-cmt + Michaelis-Menten."""
    from scipy.integrate import solve_ivp

    def rhs(t, y, rate):
        c = y[0] / vc
        return [rate - cl * c - q * c + q * y[1] / vp - vmax * c / (km + c), q * c - q * y[1] / vp]

    y = [0.0, 0.0]
    for _ in range(n):
        y = solve_ivp(rhs, (0.0, t_inf_h), y, args=(dose_nmol / t_inf_h,), rtol=1e-8, atol=1e-6).y[:, -1]
        y = solve_ivp(rhs, (t_inf_h, tau_h), y, args=(0.0,), rtol=1e-8, atol=1e-6).y[:, -1]
    return y[0] / vc


@pytest.mark.slow
def test_tocilizumab_mean_trough_with_the_tables_iiv_matches_the_label_mean():
    """Label Cmin_ss 9.74 ug/mL (8 mg/kg q4w) is a mean; the typical subject gives 5.8. With the IIV of the
    Frey 2010 rows (log-normal, CV as printed) the virtual-population mean is within 20% of the label mean."""
    p = scaled(biologic_parameters("tocilizumab"), 70.0)
    mw = p.molecular_weight.value
    dose = 8 * 70 * 1e6 / mw
    args = (p.clearance.value, p.central_volume.value, p.peripheral_volume.value, p.intercompartmental_clearance.value,
            p.vmax.value, p.km.value)
    typical = _mm_two_compartment_troughs(*args, dose, 672.0, 12, p.infusion_h.value) * mw / 1e6
    engine = next(r for r in biologic_comparison() if r["parameter"] == "Cmin_ss" and r["population"].startswith("adult RA 8"))
    assert typical == pytest.approx(engine["model"], rel=2e-3)  # the engine's typical trough, independently
    cv = {name: getattr(p, name).cv for name in ("clearance", "central_volume", "peripheral_volume", "vmax")}
    assert cv == pytest.approx({"clearance": 0.39, "central_volume": 0.37, "peripheral_volume": 0.66, "vmax": 0.54})
    eta = np.random.default_rng(1).standard_normal((300, 4)) * np.sqrt(np.log(1 + np.array(list(cv.values())) ** 2))
    troughs = [_mm_two_compartment_troughs(args[0] * np.exp(e[0]), args[1] * np.exp(e[1]), args[2] * np.exp(e[2]), args[3],
                                           args[4] * np.exp(e[3]), args[5], dose, 672.0, 12, p.infusion_h.value) * mw / 1e6
               for e in eta]
    assert np.median(troughs) < 9.74 * 0.8  # the typical value is far below the mean ...
    assert np.mean(troughs) == pytest.approx(9.74, rel=0.20)  # ... and the mean matches the label mean
