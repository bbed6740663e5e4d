"""``jakstat.assay`` and ``jakstat.trial``: one call each, pandas back, bad input named."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jakstat
from jakstat.errors import UnknownNameError
from jakstat.studies.design import ConfigError

TRIAL = {
    "name": "api-check", "seed": 7, "sample_size": 12, "chunk_size": 3,
    "population": {"disease": "JDM", "age_years": [2, 18]},
    "arms": [{"name": "rux", "drug": "ruxolitinib", "regimen": "BID", "duration_days": 2,
              "bands": [{"upto_kg": 25, "dose": "2.5 mg"}, {"dose": "5 mg"}], "round_to_strengths": False},
             {"name": "placebo", "drug": "placebo", "duration_days": 2}],
    "endpoints": [{"kind": "exposure"}, {"kind": "inhibition", "cytokine": "IFN-alpha/beta"}],
}


def test_assay_returns_the_tidy_table_and_the_variant_secretes_more():
    table = jakstat.assay("secretion", conditions={"genotype": "STAT4:A635V/wt"}, times_h=[48.0])
    healthy = jakstat.assay("secretion", times_h=[48.0])
    assert isinstance(table, pd.DataFrame)
    assert {"assay", "readout", "time_h", "value", "unit", "genotype"} <= set(table.columns)
    assert table["value"].iloc[0] > 3 * healthy["value"].iloc[0]  # DPM02: at least 3-fold (direction mandatory)


def test_assay_unknown_name_lists_the_assays():
    with pytest.raises(UnknownNameError, match="unknown assay 'elisa'; known: .*secretion"):
        jakstat.assay("elisa")


def test_trial_runs_a_dict_design_and_returns_one_row_per_patient(tmp_path):
    frame = jakstat.trial(TRIAL, tmp_path / "out")
    assert len(frame) == 12 and set(frame["arm"]) == {"rux", "placebo"}
    placebo = frame[frame["arm"] == "placebo"]
    assert np.all(placebo["cmax_nM"] == 0) and np.all(frame.loc[frame["arm"] == "rux", "cmax_nM"] > 0)


def test_trial_bad_design_names_the_field(tmp_path):
    bad = {**TRIAL, "sample_size": -1}
    with pytest.raises(ConfigError, match="sample_size"):
        jakstat.trial(bad, tmp_path / "out")
