"""Protocol inputs and tidy tables: one bad field per test, and the pass-through to jakstat.simulate."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import jakstat
from jakstat.errors import InvalidValueError
from jakstat.experiments import signalling
from jakstat.experiments.elisa import SecretionProtocol
from jakstat.experiments.protocol import Conditions, ProtocolInputError, make_protocol
from jakstat.experiments.scratch import ScratchProtocol
from jakstat.experiments.tidy import TIDY_COLUMNS, tidy_table, validate_tidy


def test_valid_protocol_and_defaults():
    p = make_protocol(SecretionProtocol)
    assert p.times_h == (24.0, 48.0, 72.0) and p.readouts == ("IL-6",)
    assert p.culture().n_cells == 1e5 and p.culture().medium_volume_l == pytest.approx(1e-3)
    assert make_protocol(ScratchProtocol).times_h == (0.0, 12.0, 24.0, 48.0)
    q = make_protocol(SecretionProtocol, medium_volume="500 uL", conditions={"genotype": "wt"})
    assert q.culture().medium_volume_l == pytest.approx(5e-4)


@pytest.mark.parametrize("fields, expected", [
    ({"times_h": [-1, 24]}, r"times_h: every time must be a finite number >= 0 h; got -1"),
    ({"times_h": [24, 12]}, r"times_h: times must be strictly increasing"),
    ({"times_h": [24, 24]}, r"times_h: times must be strictly increasing"),
    ({"n_cells": 0}, r"n_cells: must be a finite number > 0, got 0"),
    ({"n_cells": -5}, r"n_cells: must be a finite number > 0"),
    ({"medium_volume": "0 mL"}, r"medium_volume: must be > 0"),
    ({"medium_volume": "1 nM"}, r"medium_volume: .*wrong unit; expected a volume"),
    ({"medium_volume": "1"}, r"medium_volume: '1' has no unit"),
    ({"readouts": ["IL6"]}, r"readouts: unknown secretion readout 'IL6'; known: IL-6"),
    ({"conditions": {"drugs": {"ruxolitinib": "1 h"}}}, r"conditions.drugs.ruxolitinib: .*wrong unit"),
    ({"conditions": {"antibodies": {"anti-IL-6": "10"}}}, r"conditions.antibodies.anti-IL-6: '10' has no unit"),
    ({"conditions": {"cytokines": {"IL-6": "-1 ng/mL"}}}, r"conditions.cytokines.IL-6: concentration must be >= 0"),
    ({"conditions": {"genotype": " "}}, r"conditions.genotype: must not be empty"),
    ({"colour": "red"}, r"colour: Extra inputs are not permitted"),
    ({"pretreatment_h": -2}, r"pretreatment_h: must be a finite number >= 0 h"),
])
def test_bad_protocol_input_names_the_field(fields, expected):
    with pytest.raises(ProtocolInputError, match=expected):
        make_protocol(SecretionProtocol, **fields)


def test_all_problems_reported_at_once():
    with pytest.raises(ProtocolInputError) as info:
        make_protocol(SecretionProtocol, times_h=[-1], n_cells=0)
    assert [where for where, _ in info.value.issues] == ["times_h", "n_cells"]
    assert isinstance(info.value, InvalidValueError) and isinstance(info.value, ValueError)


def test_tidy_table_columns_and_conditions():
    c = Conditions(genotype="STAT4:A635V/wt", drugs={"ruxolitinib": "1 uM"}, antibodies={"anti-IL-6": "10 ug/mL"})
    frame = tidy_table("secretion", "IL-6", [24, 48], [1.0, 2.0], "pg/mL", c)
    assert list(frame.columns) == list(TIDY_COLUMNS)
    row = frame.iloc[0]
    assert (row.genotype, row.drug, row.concentration, row.antibody, row.cytokine) == (
        "STAT4:A635V/wt", "ruxolitinib", "1 uM", "anti-IL-6=10 ug/mL", "none")


@pytest.mark.parametrize("edit, message", [
    (lambda f: f.drop(columns="unit"), "missing columns unit"),
    (lambda f: f.assign(time_h=[-1.0, 2.0]), "time_h"),
    (lambda f: f.assign(value=[np.nan, 1.0]), "value: non-finite"),
    (lambda f: f.assign(drug=["", "none"]), "drug: empty"),
    (lambda f: f.assign(time_h=[1.0, 1.0]), "duplicate rows"),
])
def test_validate_tidy_rejects_one_broken_field(edit, message):
    good = tidy_table("gel", "gel_area", [1.0, 2.0], [90.0, 80.0], "%", Conditions())
    assert validate_tidy(good.copy()).equals(good)
    with pytest.raises(InvalidValueError, match=message):
        validate_tidy(edit(good.copy()))


def _fake_simulate(calls):
    def simulate(cell="fibroblast", genotype="wt", cytokines=None, t_end="48 h", n_points=None, culture=None,
                 preequilibrate=True, rtol=1e-8, atol=1e-12, drugs=None, antibodies=None):
        calls.append({"genotype": genotype, "cytokines": cytokines, "drugs": drugs, "antibodies": antibodies})
        return pd.DataFrame()
    return simulate


def test_conditions_pass_through_as_simulate_keywords(monkeypatch):
    calls = []
    monkeypatch.setattr(jakstat, "simulate", _fake_simulate(calls))
    c = Conditions(genotype="STAT4:A635V/wt", drugs={"ruxolitinib": "1 uM"}, antibodies={"anti-IL-6R": "10 ug/mL"},
                   cytokines={"IL-6": "1 ng/mL"})
    signalling.run_cells(c, make_protocol(SecretionProtocol).culture(), 24.0)
    signalling.run_cells(Conditions(), make_protocol(SecretionProtocol).culture(), 24.0)
    assert calls[0] == {"genotype": "STAT4:A635V/wt", "cytokines": {"IL-6": "1 ng/mL"},
                        "drugs": {"ruxolitinib": "1 uM"}, "antibodies": {"anti-IL-6R": "10 ug/mL"}}
    assert calls[1]["drugs"] is None and calls[1]["antibodies"] is None  # not passed when not given


def test_drugs_on_a_simulate_without_the_keyword_is_a_clear_error():
    import inspect

    if "drugs" in inspect.signature(jakstat.simulate).parameters:
        pytest.skip("jakstat.simulate accepts drugs now")
    with pytest.raises(InvalidValueError, match=r"conditions.drugs: .* no 'drugs' keyword"):
        signalling.run_cells(Conditions(drugs={"ruxolitinib": "1 uM"}), make_protocol(SecretionProtocol).culture(), 24.0)


def test_docs_assays_parameter_table_is_current():
    from pathlib import Path

    from jakstat.experiments.card import parameter_card

    doc = (Path(__file__).resolve().parents[2] / "docs" / "assays.md").read_text()
    assert parameter_card() in doc, "docs/assays.md is stale: paste jakstat.experiments.card.parameter_card()"


def test_pretreatment_shifts_the_assay_start():
    """With 12 h of pre-treatment, assay time t is 12 + t after the medium change."""
    from jakstat.network.culture import Culture

    c = Conditions(cytokines={"IL-6": "10 ng/mL"})
    shifted = signalling.run_cells(c, Culture(), 12.0, pretreatment_h=12.0)
    direct = jakstat.simulate(cytokines={"IL-6": "10 ng/mL"}, t_end="24 h", n_points=97)
    assert shifted["time_h"].values[0] == 0.0 and shifted["time_h"].values[-1] == pytest.approx(12.0)
    for species in ("pSTAT3_dimer_nuc", "IL6_medium"):
        assert np.allclose(shifted[species].values, direct[species].sel(time_h=slice(12.0, 24.0)).values, rtol=1e-9)
    odd = signalling.run_cells(c, Culture(), 12.0, pretreatment_h=12.1)  # start between output times
    assert odd["time_h"].values[0] == 0.0 and np.all(np.diff(odd["time_h"].values) > 0)
