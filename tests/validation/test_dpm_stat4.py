"""STAT4 gain of function in dermal fibroblasts against the published findings (target_dpm_stat4.csv).

Fitted by the calibration ``stat4_gof_fibroblast``: DPM03 only. The other checks are predictions of
held-out findings, each asserted with the row's own ``tolerance_for_model`` (directions: the published
magnitudes are not available); the numbers are printed (pytest -s). Readouts follow the lab protocol:
cells rested, fresh medium (with the additions) at t = 0, supernatant and cells read at 48 h; 1e5
cells in 1 mL.
"""

from __future__ import annotations

import numpy as np
import pytest

import jakstat
from jakstat.data import table_row

pytestmark = pytest.mark.validation
VARIANT = "STAT4:A635V/wt"
IL6_PG_PER_ML_PER_NM = 21_000.0
RUX = {"ruxolitinib": "1 uM"}  # JAK1/JAK2-saturating in culture (DPM08: the concentration used is not published)


@pytest.fixture(scope="module")
def runs():
    conditions = {
        "healthy": dict(genotype="wt"),
        "variant": dict(genotype=VARIANT),
        "healthy + IL-6": dict(genotype="wt", cytokines={"IL-6": "10 ng/mL"}),
        "variant + ruxolitinib": dict(genotype=VARIANT, drugs=RUX),
        "variant + anti-IL-6": dict(genotype=VARIANT, antibodies={"anti-IL-6": "10 ug/mL"}),
        "variant + anti-IL-6R": dict(genotype=VARIANT, antibodies={"anti-IL-6R": "10 ug/mL"}),
    }
    return {k: jakstat.simulate(cell="fibroblast", t_end="48 h", **v).isel(time_h=-1) for k, v in conditions.items()}


def _il6_pg_ml(ds):
    return float(ds["IL6_medium"] + ds["anti_IL6_IL6_medium"]) * IL6_PG_PER_ML_PER_NM  # ELISA: free + antibody-bound


def test_dpm03_variant_fibroblasts_secrete_about_12_times_the_il6_of_healthy_ones(runs):
    row = table_row("target_dpm_stat4", finding_id="DPM03")
    fold = _il6_pg_ml(runs["variant"]) / _il6_pg_ml(runs["healthy"])
    assert float(row["value"]) == 12
    assert 8.0 <= fold <= 18.0, f"variant/healthy IL-6 at 48 h = {fold:.3g} (published 12; accepted 8-18)"


def test_dpm09_il6_moves_healthy_fibroblasts_toward_the_variant_state(runs):
    healthy, treated, variant = runs["healthy"], runs["healthy + IL-6"], runs["variant"]
    for readout in ("pSTAT3_dimer_nuc", "IL6_mRNA_cyt", "SOCS3_mRNA_cyt"):
        before = abs(np.log(float(healthy[readout]) / float(variant[readout])))
        after = abs(np.log(float(treated[readout]) / float(variant[readout])))
        print(f"DPM09 {readout}: log distance to the variant {before:.3g} -> {after:.3g} with IL-6")
        assert after < 0.8 * before, f"{readout}: log distance to the variant {before:.3g} -> {after:.3g}"


def test_dpm10_il6_blockade_lowers_the_variant_loop_much_less_than_jak_inhibition(runs):
    base = float(runs["variant"]["IL6_mRNA_cyt"])
    cut = {k: 1.0 - float(runs[f"variant + {k}"]["IL6_mRNA_cyt"]) / base for k in ("anti-IL-6", "anti-IL-6R", "ruxolitinib")}
    message = ", ".join(f"{k} lowers IL6 mRNA by {100 * v:.0f}%" for k, v in cut.items())
    print(message)
    # row DPM10: "IL-6 neutralisation must rescue less than JAK inhibition"
    assert cut["ruxolitinib"] > 0.5, message
    assert cut["anti-IL-6"] < cut["ruxolitinib"] - 0.1, message
    assert cut["anti-IL-6R"] < cut["ruxolitinib"] - 0.1, message


def test_dpm07_ruxolitinib_lowers_il6_secretion_of_variant_fibroblasts(runs):
    treated, untreated, healthy = (_il6_pg_ml(runs[k]) for k in ("variant + ruxolitinib", "variant", "healthy"))
    print(f"DPM07 IL-6 at 48 h: healthy {healthy:.3g}, variant {untreated:.3g}, variant + ruxolitinib {treated:.3g} pg/mL")
    # row DPM07: "rux at a JAK1/2-saturating concentration must reduce IL-6 secretion"
    assert treated < 0.75 * untreated
