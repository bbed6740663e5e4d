"""The interferon-score rows of target_jdm_ifn.csv that a signalling/PK model can speak to.

Handled here: JDM01/JDM02 (the score's genes and arithmetic; the threshold is the calibration target
of ``f_ifn_bioactivity``, so it is not checked as a prediction), JDM04 (tofacitinib brings a child's
score below the threshold), JDM10 (the Ding 2021 dose rule, used as input), JDM14/JDM16 (pSTAT1 falls
under ruxolitinib / tofacitinib), JDM15/JDM22 (baricitinib lowers the score). Each drug test prints
the size of the effect (pytest -s); docs/assays.md records the numbers. The other rows are clinical
scores or other assays, declared not modelled in :data:`NOT_MODELLED` with the reason (and in
docs/assays.md); :func:`test_every_row_is_handled_or_declared` fails on a new row.

Patients: serum IFN-alpha :data:`ACTIVE_JDM_SERUM_IFN_PG_ML` (assumed, see there); body weights of
the case reports are not published, so each child's weight is an assumed typical weight for the
age given in the row (stated per test); doses follow JDM10 (ruxolitinib/tofacitinib) and the
published pediatric baricitinib bands (pk_small_molecules.csv, Decker 2024).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from jakstat.data import load_table, table_row
from jakstat.experiments.ifn_course import ACTIVE_JDM_SERUM_IFN_PG_ML, jdm_jaki_dose, score_course
from jakstat.experiments.ifn_score_assay import published_cutoff
from jakstat.experiments.interferon_score import (
    PUBLISHED_N_CONTROLS,
    interferon_score,
    patient_expression,
    serum_level,
    virtual_controls,
)
from jakstat.network.isg_blood import SCORE_GENES

pytestmark = pytest.mark.validation

HANDLED = ("JDM01", "JDM02", "JDM04", "JDM10", "JDM14", "JDM15", "JDM16", "JDM22")
NOT_MODELLED = {
    "JDM03": "a different assay (synthetic-control standard curves, geometric mean, its own cut-off 0.7); only the Rice score is modelled",
    "JDM05": "28-gene NanoString score: the model has the six Rice ISGs only",
    "JDM06": "CMAS (muscle strength): no muscle model",
    "JDM07": "skin-DAS: no skin model",
    "JDM08": "PRINTO clinical response rates: no disease-activity model",
    "JDM09": "corticosteroid dose: clinical decision, not modelled",
    "JDM11": "rash response rates: no skin model",
    "JDM12": "clinical response, ILD, calcinosis: no tissue models",
    "JDM13": "improvement rates across a literature review: uncontrolled clinical outcome, not modelled",
    "JDM17": "no value in the row (not found in searchable sources)",
    "JDM18": "diary symptom score: no disease-activity model",
    "JDM19": "steroid dose: clinical decision, not modelled",
    "JDM20": "responder rates (diary and steroid criteria): no disease-activity model",
    "JDM21": "dose range during escalation (2-11 mg/day) without weights or scores to compare with",
    "JDM23": "row unverified (from memory, not seen); the pediatric baricitinib bands used are Decker 2024's",
    "JDM24": "epidemiology (context only)",
}
THREE_MONTHS_D = 90.0


@lru_cache(maxsize=None)
def controls():
    return virtual_controls(PUBLISHED_N_CONTROLS, 2017)


def typical_score(serum_pg_ml: float) -> float:
    return float(interferon_score(patient_expression(serum_pg_ml), controls()[list(SCORE_GENES)]).iloc[0])


@lru_cache(maxsize=None)
def course(drug, dose, regimen, weight, days, cell="monocyte"):
    return score_course(ACTIVE_JDM_SERUM_IFN_PG_ML, days, drug=drug, dose=dose, regimen=regimen, weight=weight,
                        cell=cell, points_per_day=24).frame


def last_day(frame):
    return frame[frame["time_h"] >= frame["time_h"].iloc[-1] - 24.0]


def test_every_row_is_handled_or_declared():
    ids = set(load_table("target_jdm_ifn")["finding_id"])
    assert not set(HANDLED) & set(NOT_MODELLED)
    assert ids == set(HANDLED) | set(NOT_MODELLED), sorted(ids ^ (set(HANDLED) | set(NOT_MODELLED)))
    doc = (Path(__file__).resolve().parents[2] / "docs" / "assays.md").read_text()
    missing = [i for i in sorted(ids) if i not in doc]
    assert not missing, f"docs/assays.md does not mention {missing}"


def test_jdm01_genes_and_control_count_are_the_published_ones():
    row = table_row("target_jdm_ifn", finding_id="JDM01")
    named = re.findall(r"\b(IFI27|IFI44L|IFIT1|ISG15|RSAD2|SIGLEC1|[A-Z][A-Z0-9]{3,})\b", row["measure"].split(":", 1)[1])
    assert tuple(named[:6]) == SCORE_GENES
    assert int(row["n"].split()[0]) == PUBLISHED_N_CONTROLS
    assert "median fold change" in row["measure"] and "median of 29 healthy controls" in row["measure"]


def test_jdm01_jdm02_arithmetic_on_published_style_inputs():
    # 29 controls and one patient as qPCR relative quantities (2^-ddCt vs a control calibrator):
    # the score is the median over genes of patient / control median, the cut-off mean + 2 SD of controls
    rng = np.random.default_rng(29)
    dct = rng.normal(0.0, 0.5, (29, 6))
    rq = 2.0 ** -(dct - dct[24])
    patient = rq[0] * np.array([40.0, 25.0, 8.0, 5.0, 12.0, 3.0])
    import pandas as pd

    frame = pd.DataFrame(rq, columns=list(SCORE_GENES))
    med = np.median(rq, axis=0)
    expected_score = np.median(patient / med)  # median of six = mean of the 3rd and 4th
    got = interferon_score(pd.DataFrame([patient], columns=list(SCORE_GENES)), frame).iloc[0]
    assert got == pytest.approx(expected_score)
    own = np.median(rq / med, axis=1)
    from jakstat.experiments.interferon_score import control_scores, positivity_threshold

    assert positivity_threshold(control_scores(frame)) == pytest.approx(own.mean() + 2 * own.std(ddof=1))
    assert published_cutoff() == 2.466


def test_score_rises_with_serum_ifn_from_healthy_to_disease_levels():
    healthy = serum_level("healthy")[0]
    dm_median, _, dm_q3, _ = serum_level("dermatomyositis")
    scores = [typical_score(x) for x in (healthy, dm_median, dm_q3)]
    print("scores at the healthy median, DM median, DM upper quartile:", np.round(scores, 2))
    assert np.all(np.diff(scores) > 0)
    assert scores[0] < published_cutoff()


def test_jdm_level_ifn_gives_positive_score():
    # the upper quarter of dermatomyositis serum IFN-alpha (ifn_score_inputs.csv): positive
    assert ACTIVE_JDM_SERUM_IFN_PG_ML == serum_level("dermatomyositis")[2]
    assert typical_score(ACTIVE_JDM_SERUM_IFN_PG_ML) > published_cutoff()


@pytest.mark.xfail(strict=True, reason="not met: the model's score crosses 2.466 at 0.16 pg/mL serum IFN-alpha; "
                   "at the dermatomyositis median (0.07 pg/mL) it is 1.1 (and 1.6 at the active-disease cut-off "
                   "0.11 pg/mL). The ISGF3 heterodimer makes the ISG response about quadratic in IFN, so a "
                   "bioactivity factor that keeps most healthy controls negative (JDM02) leaves the DM median "
                   "negative too")
def test_dermatomyositis_median_serum_ifn_gives_positive_score():
    assert typical_score(serum_level("dermatomyositis")[0]) > published_cutoff()


def test_jdm10_dose_rule_as_input():
    assert jdm_jaki_dose(20.0) == ("2.5 mg", "BID")
    assert jdm_jaki_dose(24.99) == ("2.5 mg", "BID")
    assert jdm_jaki_dose(25.0) == ("5 mg", "BID")
    assert jdm_jaki_dose(60.0) == ("5 mg", "BID")


@pytest.fixture(scope="module")
def jdm04_course():
    # 30 kg child (assumed; the case report gives no weight), tofacitinib at the JDM10 dose (5 mg BID)
    dose, regimen = jdm_jaki_dose(30.0)
    frame = course("tofacitinib", dose, regimen, "30 kg", 14.0)
    before = frame["interferon_score"].iloc[0]
    week1 = frame[(frame.time_h >= 6 * 24) & (frame.time_h <= 7 * 24)]["interferon_score"]
    week2 = last_day(frame)["interferon_score"]
    print(f"JDM04: score {before:.2f} before, {week2.min():.2f}-{week2.max():.2f} over day 14 "
          f"(tofacitinib {dose} {regimen}, 30 kg)")
    return before, week1, week2


@pytest.mark.slow
def test_jdm04_tofacitinib_child_score_falls_to_the_threshold_within_three_months(jdm04_course):
    before, week1, week2 = jdm04_course
    assert before > published_cutoff()
    assert week2.min() < published_cutoff()  # below the cut-off at the daily minimum
    assert week2.max() < 0.7 * before
    # periodic by the first week (mRNA half-lives <= 12 h), so day 90 is the same as day 14
    assert week2.max() == pytest.approx(week1.max(), rel=0.01)


@pytest.mark.slow
def test_jdm04_tofacitinib_child_score_below_threshold_all_day(jdm04_course):
    _, _, week2 = jdm04_course
    assert week2.max() < published_cutoff()


def _direction(drug, dose, regimen, weight, cell="monocyte", days=3.0):
    frame = course(drug, dose, regimen, weight, days, cell)
    day = last_day(frame)
    return (day["interferon_score"].mean() / frame["interferon_score"].iloc[0],
            day["pSTAT1_nmol"].mean() / frame["pSTAT1_nmol"].iloc[0])


@pytest.mark.slow
def test_jdm14_ruxolitinib_lowers_pstat1_in_t_cells():
    # 13-year-old: 45 kg assumed; JDM10 dose 5 mg BID
    score, pstat1 = _direction("ruxolitinib", *jdm_jaki_dose(45.0), "45 kg", cell="cd4_t_cell")
    print(f"JDM14: ruxolitinib 5 mg BID, 45 kg, day 3: pSTAT1 {100 * pstat1:.0f}% and score {100 * score:.0f}% "
          "of pre-treatment (CD4 T cells)")
    assert pstat1 < 1.0 and score < 1.0


@pytest.mark.slow
@pytest.mark.parametrize("cell", ["cd4_t_cell", "monocyte"])
def test_jdm16_tofacitinib_lowers_score_and_pstat1_in_t_cells_and_monocytes(cell):
    # 12 and 15 years: 40 kg assumed; JDM10 dose 5 mg BID
    score, pstat1 = _direction("tofacitinib", *jdm_jaki_dose(40.0), "40 kg", cell=cell)
    print(f"JDM16 ({cell}): tofacitinib 5 mg BID, 40 kg, day 3: score {100 * score:.0f}%, pSTAT1 "
          f"{100 * pstat1:.0f}% of pre-treatment")
    assert score < 1.0 and pstat1 < 1.0


@pytest.mark.slow
@pytest.mark.parametrize("finding, weight_kg", [("JDM15", 35.0), ("JDM22", 20.0)])
def test_baricitinib_lowers_ifn_biomarkers(finding, weight_kg):
    # JDM15: 11-year-old, 35 kg assumed; JDM22: CANDLE/SAVI children, 20 kg assumed; published bands
    from jakstat.studies import published_bands

    band = next(b for b in published_bands("baricitinib") if b.low_kg <= weight_kg < b.high_kg)
    score, pstat1 = _direction("baricitinib", f"{band.mg:g} mg", band.regimen, f"{weight_kg:g} kg")
    print(f"{finding}: baricitinib {band.mg:g} mg {band.regimen}, {weight_kg:g} kg, day 3: score "
          f"{100 * score:.0f}% of pre-treatment")
    assert score < 1.0
