"""Ruxolitinib after an oral dose: IL-6 pathway inhibition against the published whole-blood IC50.

Published: IL-6 signalling in human whole blood, IC50 281 nM total (Quintas-Cardama 2010 abstract; the same
281 nM is the TPO/pSTAT3 IC50 in Gong 2021). A reversible inhibitor with that IC50 inhibits C/(C + 281 nM) at a
total plasma concentration C. The model's inhibition (three JAKs of gp130, occupancy at fu x C, the drug's
calibrated factor) must follow that curve over the concentration range of a 25 mg dose, not only at the IC50.
"""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.pharmacology import pk_table
from jakstat.pharmacology.inhibition import pathway_inhibition
from jakstat.pharmacology.pk_parameters import fraction_unbound

PUBLISHED_IC50_NM = 281.0
TOLERANCE_POINTS = 10.0  # percentage points of inhibition


def _single_dose(dose: str = "25 mg", weight: str = "70 kg"):
    table = pk_table("ruxolitinib", dose, "QD", weight, days=1)
    return table["time_h"].to_numpy(), table["total_plasma_nM"].to_numpy()


def test_il6_inhibition_after_25_mg_follows_the_published_whole_blood_ic50():
    t, c = _single_dose()
    fu = fraction_unbound("ruxolitinib").value
    model = 100 * pathway_inhibition("ruxolitinib", "IL-6", fu * c)
    published = 100 * c / (c + PUBLISHED_IC50_NM)
    for hour in (1.0, 2.0, 4.0, 8.0, 12.0):
        k = int(np.argmin(np.abs(t - hour)))
        assert model[k] == pytest.approx(published[k], abs=TOLERANCE_POINTS), f"{hour} h, C = {c[k]:.0f} nM"
    assert 60 < model[np.argmin(np.abs(t - 1.0))] < 95  # near the peak most IL-6 signalling is blocked
    assert model[np.argmin(np.abs(t - 12.0))] < 20  # and it is mostly back by 12 h (t1/2 about 3 h)


def test_pediatric_mean_inhibition_matches_the_published_ic50_over_the_interval():
    # 5 mg BID at 25 kg (REACH4 6-<12 y dose): the time-averaged inhibition on day 7 from the model and from
    # the published IC50 applied to the same PK agree; both are near a quarter (short half-life, Cmax ~ 2 x IC50)
    table = pk_table("ruxolitinib", "5 mg", "BID", "25 kg", days=7)
    t, c = table["time_h"].to_numpy(), table["total_plasma_nM"].to_numpy()
    last = t >= 6 * 24
    span = t[last][-1] - t[last][0]
    mean_model = np.trapezoid(table["inhibition_IL-6"].to_numpy()[last], t[last]) / span
    mean_published = np.trapezoid(c[last] / (c[last] + PUBLISHED_IC50_NM), t[last]) / span
    assert mean_model == pytest.approx(mean_published, abs=0.05)
    assert 0.15 < mean_model < 0.40
