"""Tocilizumab arms: the batched runner agrees with the pharmacology module's own single-patient simulation,
a ruxolitinib-vs-tocilizumab trial runs, tocilizumab blocks IL-6 more than ruxolitinib at the label doses,
and bad antibody doses are refused naming the field."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from jakstat.pharmacology.biologic_parameters import biologic_parameters, scaled
from jakstat.pharmacology.biologics import BiologicRegimen, biologic_events, simulate_biologic
from jakstat.studies import load_config, parse_config, read_results, run_trial
from jakstat.studies.biologic_arms import biologic_arm
from jakstat.studies.population import sample_population
from jakstat.studies.runner import output_times_h, simulate_chunk

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
TOC_ARM = {"name": "toc", "drug": "tocilizumab", "regimen": "Q2W", "duration_days": 42,
           "bands": [{"upto_kg": 30, "dose": "12 mg/kg"}, {"dose": "8 mg/kg"}]}
RUX_ARM = {"name": "rux", "drug": "ruxolitinib", "regimen": "BID", "duration_days": 3, "round_to_strengths": False,
           "bands": [{"upto_kg": 25, "dose": "2.5 mg"}, {"dose": "5 mg"}]}
DESIGN = {"name": "rux-vs-toc", "seed": 11, "sample_size": 10, "chunk_size": 3,
          "population": {"disease": "DPM", "age_years": [2, 18]},
          "arms": [RUX_ARM, TOC_ARM],
          "endpoints": [{"kind": "exposure"}, {"kind": "inhibition", "cytokine": "IL-6", "thresholds": [0.5]},
                        {"kind": "inhibition", "cytokine": "IL-12"}]}
# Table CVs of the Frey 2010 rows (biologic_pk_binding.csv), written out here rather than read through the module
TOC_CV = {"central_volume": 0.37, "clearance": 0.39, "peripheral_volume": 0.66, "vmax": 0.54}


def _reference_patient(weight_kg: float, z: np.ndarray, dose_text: str):
    """The patient built by hand: pharmacology's weight scaling, log-normal BSV in name order, its own events."""
    params = scaled(biologic_parameters("tocilizumab"), weight_kg)
    changes = {}
    for k, name in enumerate(sorted(TOC_CV)):
        value = getattr(params, name)
        changes[name] = replace(value, value=value.value * math.exp(math.sqrt(math.log1p(TOC_CV[name] ** 2)) * z[k]))
    return replace(params, **changes)


def test_tocilizumab_arm_concentrations_match_the_single_patient_simulation() -> None:
    cfg = parse_config({**DESIGN, "arms": [TOC_ARM], "sample_size": 4, "chunk_size": 4})
    arm = cfg.arms[0]
    patients = sample_population(cfg.population.spec(), np.arange(4), cfg.seed)
    times_h = output_times_h(arm, cfg.points_per_hour)
    total, unbound, extra = biologic_arm(cfg, arm, patients, times_h, 1)
    assert (extra["status"] == 0).all()
    np.testing.assert_array_equal(total, unbound)
    for i, (weight, z) in enumerate(zip(patients["weight_kg"], patients.attrs["pk_z"])):
        dose = "12 mg/kg" if weight < 30 else "8 mg/kg"
        params = _reference_patient(float(weight), z, dose)
        events, doses = biologic_events(params, BiologicRegimen("Q2W", dose), float(weight), 42)
        assert len(doses) == 3 and extra["dose_mg"][i] == pytest.approx(doses[0]["mg"], rel=1e-12)
        reference = simulate_biologic(params, events, times_h)
        np.testing.assert_allclose(total[i], reference, rtol=1e-5)
        assert extra["cl_L_h"][i] == pytest.approx(params.clearance.value, rel=1e-12)


def test_two_arm_trial_has_both_arms_and_every_patient_once(tmp_path: Path) -> None:
    run_trial(DESIGN, tmp_path / "out", n_threads=1)
    frame = read_results(tmp_path / "out")
    assert frame["patient_id"].tolist() == list(range(10))
    assert set(frame["arm"]) == {"rux", "toc"} and (frame["status"] == 0).all()
    toc = frame[frame["arm"] == "toc"]
    assert (toc["drug"] == "tocilizumab").all() and (toc["regimen"] == "Q2W").all()
    # 12 / 8 mg/kg by band (label sJIA row), within the 800 mg cap for these children
    expected = np.where(toc["weight_kg"] < 30, 12.0, 8.0) * toc["weight_kg"]
    np.testing.assert_allclose(toc["dose_mg"], np.minimum(expected, 800.0), rtol=1e-12)
    assert (toc["mean_inhibition_IL-12"] == 0).all()  # tocilizumab does not touch the IL-12 receptor
    assert (toc["cmin_nM"] > 0).all() and (toc["cmax_nM"] > toc["cmin_nM"]).all()
    # inhibition is the blocked fraction C/(C+Kd) (closed form): bounded by its values at Cmin and Cmax
    kd = biologic_parameters("tocilizumab").potency.value
    low, high = toc["cmin_nM"] / (toc["cmin_nM"] + kd), toc["cmax_nM"] / (toc["cmax_nM"] + kd)
    for column in ("trough_inhibition_IL-6", "mean_inhibition_IL-6"):
        assert (toc[column] >= low - 1e-12).all() and (toc[column] <= high + 1e-12).all()


def test_tocilizumab_blocks_il6_more_than_ruxolitinib_at_label_doses() -> None:
    cfg = parse_config(DESIGN)
    rux, toc = simulate_chunk(cfg, 0, 0, 1), simulate_chunk(cfg, 1, 0, 1)
    assert toc["mean_inhibition_IL-6"].min() > 0.9
    assert toc["mean_inhibition_IL-6"].min() > rux["mean_inhibition_IL-6"].max()
    assert toc["trough_inhibition_IL-6"].min() > rux["trough_inhibition_IL-6"].max()
    assert (rux["mean_inhibition_IL-12"] > 0).all()


@pytest.mark.parametrize("change, message", [
    ({"dose": "-8 mg/kg", "bands": None}, "arms[1].dose: must be > 0 mg"),
    ({"dose": "400 mg", "bands": None}, "arms[1].dose: tocilizumab IV is dosed per body weight"),
    ({"bands": [{"upto_kg": 30, "dose": "12 mg/kg"}, {"dose": "400 mg"}]},
     "arms[1].bands: bands[1].dose '400 mg': tocilizumab IV is dosed per body weight"),
    ({"regimen": "Q3W"}, "arms[1].regimen: 'Q3W' is not allowed for tocilizumab; allowed: QW, Q2W, Q4W, BIW"),
    ({"regimen": "BID"}, "arms[1].regimen: 'BID' is not allowed for tocilizumab"),
])
def test_bad_tocilizumab_doses_name_the_field(change, message) -> None:
    arm = {k: v for k, v in {**TOC_ARM, **change}.items() if v is not None}
    with pytest.raises(Exception) as caught:
        parse_config({**DESIGN, "arms": [RUX_ARM, arm]})
    assert message in str(caught.value)


def test_tocilizumab_without_regimen_is_refused_not_run_daily() -> None:
    arm = {k: v for k, v in TOC_ARM.items() if k != "regimen"}
    with pytest.raises(Exception, match=r"arms\[1\]: regimen: 'QD' is not allowed for tocilizumab"):
        parse_config({**DESIGN, "arms": [RUX_ARM, arm]})


def test_dpm_examples_load() -> None:
    both = load_config(EXAMPLES / "trial_dpm_ruxolitinib_vs_tocilizumab.yaml")
    assert [a.drug for a in both.arms] == ["ruxolitinib", "tocilizumab"]
    assert both.arms[1].interval_h == 336.0
    assert load_config(EXAMPLES / "trial_dpm_ruxolitinib.yaml").arms[0].drug == "ruxolitinib"
