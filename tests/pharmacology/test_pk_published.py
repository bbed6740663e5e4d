"""PK models against published values; parameter provenance; children, renal function, variability."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jakstat.network.provenance import Assumed, Derived, TableSource
from jakstat.pharmacology import (
    MODEL_CHOICES,
    individualize,
    patient_parameters,
    pk_drugs,
    pk_parameters,
    sample_individuals,
    steady_state_exposure,
    terminal_half_life,
)
from jakstat.pharmacology.validation import PK_TARGETS, compare, validation_markdown
from jakstat.pharmacology.variability import omega

DOC = Path(__file__).resolve().parents[2] / "docs" / "pharmacology_validation.md"
ASSERTED = [t for t in PK_TARGETS if not t.not_asserted and t.row()["verified"] == "yes"]


@pytest.mark.validation
@pytest.mark.parametrize("target", ASSERTED, ids=lambda t: f"{t.drug}-{t.metric}-{t.scenario}")
def test_standard_adult_dose_within_20_percent_of_published(target):
    result = compare(target)
    assert result["asserted"]
    assert result["within_20pct"], result


def test_every_modelled_drug_has_a_verified_comparison():
    covered = {t.drug for t in ASSERTED}
    assert covered >= {"ruxolitinib", "baricitinib", "tofacitinib", "upadacitinib"}
    assert set(pk_drugs()) - covered == {"abrocitinib"}  # no published t1/2, Cmax or AUC in the tables


@pytest.mark.validation
def test_validation_doc_is_generated_from_the_code():
    assert DOC.read_text(encoding="utf-8") == validation_markdown(), (
        "docs/pharmacology_validation.md is stale: run "
        "python -c \"from jakstat.pharmacology.validation import write_validation_doc as w; "
        "w('docs/pharmacology_validation.md')\"")


@pytest.mark.parametrize("drug", list(MODEL_CHOICES))
def test_clearance_and_volume_come_from_the_chosen_rows(drug):
    params = pk_parameters(drug)
    for value in (params.central_volume, params.clearance or params.renal_clearance):
        assert isinstance(value.provenance, (TableSource, Derived))
        if isinstance(value.provenance, TableSource):
            assert value.provenance.table == "pk_small_molecules"
            assert MODEL_CHOICES[drug].source in value.provenance.key
    assert params.molecular_weight.provenance.table == "drug_properties"
    assert params.molecular_weight.provenance.verified
    for name, value in params.values().items():
        assert value.provenance.describe(), name


def test_derived_and_assumed_values_say_how():
    rux = pk_parameters("ruxolitinib")
    assert isinstance(rux.ka.provenance, Derived) and "Tmax equals 0.5 h" in rux.ka.provenance.how
    assert rux.clearance.value == pytest.approx((17.7 + 22.1) / 2) and "mean of 2" in rux.clearance.provenance.how
    assert rux.fu.value == pytest.approx(0.03)
    upa = pk_parameters("upadacitinib")
    assert upa.ka.value == pytest.approx(12.5) and "MAT" in upa.ka.provenance.how
    assert isinstance(pk_parameters("tofacitinib").lag.provenance, Assumed)
    abro = pk_parameters("abrocitinib")
    assert abro.bioavailability.value == pytest.approx(0.5977) and abro.lag.value == pytest.approx(0.183)
    assert abro.first_order_cap_mg.value == 121 and abro.zero_order_rate_mg_h.value == pytest.approx(75.3)
    assert isinstance(abro.fu.provenance, Assumed)


def test_baricitinib_children_follow_decker_2024_with_egfr():
    params = pk_parameters("baricitinib")
    assert params.reference_weight.value == 74 and params.reference_egfr.value == 93
    assert (params.cl_exponent.value, params.v_exponent.value) == (0.75, 1.0)
    assert isinstance(params.cl_exponent.provenance, TableSource)  # published, not assumed
    child = individualize(params, 20.0, egfr=93.0)
    assert child.nonrenal_clearance.value == pytest.approx(3.36 * (20 / 74) ** 0.75)
    assert child.renal_clearance.value == pytest.approx(6.34 * (20 / 74) ** 0.75)
    assert child.central_volume.value == pytest.approx(92.6 * 20 / 74)
    half_renal = individualize(params, 74.0, egfr=46.5)
    assert half_renal.renal_clearance.value == pytest.approx(6.34 / 2)
    assert half_renal.nonrenal_clearance.value == pytest.approx(3.36)
    low = steady_state_exposure("baricitinib", "4 mg", "QD", egfr=46.5)
    normal = steady_state_exposure("baricitinib", "4 mg", "QD")
    assert low["auc_tau_nMh"] / normal["auc_tau_nMh"] == pytest.approx((6.34 + 3.36) / (6.34 / 2 + 3.36), rel=1e-3)


def test_other_drugs_scale_allometrically_and_ignore_egfr():
    params = pk_parameters("tofacitinib")
    assert isinstance(params.cl_exponent.provenance, Assumed)
    child = individualize(params, 35.0, egfr=60.0)
    assert child.clearance.value == pytest.approx(20.4 * 0.5 ** 0.75)
    assert child.central_volume.value == pytest.approx(55.0)
    assert any("no renal covariate" in n for n in child.notes)
    assert terminal_half_life(child) == pytest.approx(terminal_half_life(params) * 0.5 ** 0.25)
    assert "allometric" in patient_parameters("tofacitinib", "35 kg").pediatric_method


def test_between_subject_variability_is_lognormal_with_reported_cv():
    params = pk_parameters("ruxolitinib")  # CL/F CV 39%, Vss/F CV 29% (label rows)
    people = sample_individuals(params, 4000, seed=3)
    cl = np.array([p.clearance.value for p in people])
    assert np.std(np.log(cl)) == pytest.approx(omega(0.39), rel=0.05)
    assert np.exp(np.mean(np.log(cl))) == pytest.approx(params.clearance.value, rel=0.03)
    assert [p.clearance.value for p in sample_individuals(params, 3, seed=3)] == [p.clearance.value for p in people[:3]]
    assert all(p.ka.value == params.ka.value for p in people[:5])  # no CV reported for ka


def test_ruxolitinib_children_with_gvhd_against_the_published_study():
    """NCT05121142 (13 children 0-18 y): mean CL/F 7.76 L/h, t1/2 2.32 h; weights not reported.

    The allometric model must put the weight that reproduces the mean clearance inside the plausible range of a
    0-18 y cohort's mean weight, and its half-life at that weight within 25% of the published mean (measured:
    19.9 kg, 1.83 h, -21%). The <2 y clearance (12.1 L/h) is not reproduced and the test records that."""
    from jakstat.pharmacology.validation import pediatric_study_rows

    rows = {(r["population"].split(" (")[0], r["parameter"]): r for r in pediatric_study_rows()}
    overall = rows[("pediatric GVHD 0-18 y", "CL/F")]
    assert overall["published"] == 7.76 and overall["verified"] == "yes"
    assert 12.0 < overall["matching_weight_kg"] < 40.0
    t_half = rows[("pediatric GVHD 0-18 y", "t_half")]
    assert t_half["model"][20.0] == pytest.approx(t_half["published"], rel=0.25)
    infants = rows[("pediatric GVHD <2 y", "CL/F")]
    assert infants["model"][10.0] < infants["published"] / 2  # allometry: the smallest clear least (known miss)


def test_baricitinib_children_exposure_against_decker_2024_table_3():
    """Published steady-state Cmax/AUCtau per JIA group vs the model at the group's mean weight and eGFR.

    Groups of >= 20 patients within 20% (measured: Cmax +3% to +15%, AUC +14% to +15%); the two small groups
    (n = 6 and 8) are shown, not asserted (measured AUC +42% and +64%)."""
    from jakstat.pharmacology.validation import pediatric_exposure_rows

    rows = [r for r in pediatric_exposure_rows() if r["drug"] == "baricitinib"]
    assert {r["group"].split(" (")[0] for r in rows} == {
        "pediatric JIA 2-<6 y", "pediatric JIA 6-<9 y", "pediatric JIA 9-<12 y", "pediatric JIA 12-<18 y",
        "pediatric JIA >=30 kg"}
    asserted = [r for r in rows if r["asserted"]]
    assert len(asserted) == 6 and all(r["n"] >= 20 for r in asserted)
    for r in asserted:
        assert r["predicted"] == pytest.approx(r["published"], rel=0.20), (r["group"], r["parameter"])
    small = [r for r in rows if not r["asserted"]]
    assert len(small) == 4 and all(r["predicted"] > r["published"] for r in small)  # the model over-predicts there


def test_tofacitinib_children_against_the_pcjia_phase_1_study_are_found_and_over_exposed():
    """The three cohorts (n = 8, 9, 9) at their median doses, 2.5 and 3 mg as oral solution (whole 5 mg tablets
    cannot give them); the model over-exposes every cohort (recorded: AUCtau 1.9x, 2.0x, 3.1x)."""
    from jakstat.pharmacology.validation import pediatric_exposure_rows

    rows = [r for r in pediatric_exposure_rows() if r["drug"] == "tofacitinib" and r["parameter"] == "AUCtau_ss"]
    assert [r["n"] for r in rows] == [8, 9, 9]
    assert [r["scenario"].split(",")[0] for r in rows] == ["5.0 mg BID (tablet)", "2.5 mg BID (solution)",
                                                             "3.0 mg BID (solution)"]
    assert not any(r["asserted"] for r in rows)  # weights are not reported (CDC medians assumed)
    assert all(1.5 < r["predicted"] / r["published"] < 4.0 for r in rows)


@pytest.mark.xfail(strict=True, reason="allometric scaling of the adult tofacitinib popPK (no pediatric model in the "
                   "tables) over-exposes children: AUCtau 1.9x (12-<18 y), 2.0x (6-<12 y), 3.1x (2-<6 y) the pcJIA "
                   "phase 1 geometric means at CDC median weights; the cohorts' apparent clearances (21-32 L/h) are "
                   "at or above the adult model's 20.4 L/h")
def test_tofacitinib_children_exposure_within_20_percent_of_the_pcjia_phase_1_study():
    from jakstat.pharmacology.validation import pediatric_exposure_rows

    for r in pediatric_exposure_rows():
        if r["drug"] == "tofacitinib":
            assert r["predicted"] == pytest.approx(r["published"], rel=0.20), (r["group"], r["parameter"])


def test_a_dose_the_tablets_cannot_give_is_noted():
    from jakstat.pharmacology.regimens import Regimen, dose_schedule

    tablet = dose_schedule("tofacitinib", Regimen("BID", "2.5 mg"), 25.0, 0.5)[0]
    assert tablet.mg == 5.0 and tablet.requested_mg == 2.5 and "rounded to 5 mg" in tablet.note
    solution = dose_schedule("tofacitinib", Regimen("BID", "2.5 mg", formulation="solution"), 25.0, 0.5)[0]
    assert solution.mg == pytest.approx(2.5) and solution.note == ""
