"""JAK occupancy and pathway inhibition: one motif from the tables, selectivity follows the tables."""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.knowledge import JAK_NAMES, cytokines, get_cytokine
from jakstat.network.provenance import Calibration, TableSource
from jakstat.pharmacology import (
    cell_shift,
    enzyme_potencies,
    inhibition_columns,
    jak_occupancy,
    pathway_inhibition,
    pk_table,
    time_above,
    unbound_ic50,
)
from jakstat.pharmacology.calibration import (
    CALIBRATION_NAME,
    calibrate,
    cellular_rows,
    fit_shift,
    predicted_ic50,
    row_capacities,
    stored_record,
)
from jakstat.pharmacology.inhibition import cheng_prusoff

SMALL_MOLECULES = ("ruxolitinib", "baricitinib", "tofacitinib", "upadacitinib", "filgotinib", "abrocitinib",
                   "deucravacitinib")


@pytest.mark.parametrize("drug", SMALL_MOLECULES)
def test_pathway_inhibition_is_one_minus_product_over_receptor_jaks(drug):
    c = np.array([0.0, 1.0, 30.0, 1000.0])
    potencies = enzyme_potencies(drug)
    s = cell_shift(drug)[0]
    columns = inhibition_columns(drug, c)
    assert len(columns) == len(cytokines())
    for cytokine in cytokines():
        free = np.ones_like(c)
        for jak in cytokine.receptor.jaks:
            if jak in potencies:
                free *= 1 - c / (c + s * potencies[jak].ki_nm)
        np.testing.assert_allclose(columns[f"inhibition_{cytokine.name}"], 1 - free, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(pathway_inhibition(drug, cytokine.name, c), 1 - free, rtol=1e-12, atol=1e-15)


def _more_potent(drug: str, jaks_a: tuple[str, ...], jaks_b: tuple[str, ...]) -> bool:
    return unbound_ic50(drug, jaks_a) < unbound_ic50(drug, jaks_b)


def test_tofacitinib_selectivity_follows_the_enzyme_table():
    # The enzyme table (ChemicalBook panel: JAK1 3.2, JAK3 1.6, JAK2 4.1 nM) makes a JAK1/JAK3 receptor more
    # sensitive than a JAK2 one; the model must say the same at every concentration.
    p = enzyme_potencies("tofacitinib")
    assert max(p["JAK1"].ki_nm, p["JAK3"].ki_nm) < p["JAK2"].ki_nm * 2  # what the table says
    c = np.logspace(-1, 3, 9)
    il2 = pathway_inhibition("tofacitinib", "IL-2", c)
    gmcsf = pathway_inhibition("tofacitinib", "GM-CSF", c)
    epo = pathway_inhibition("tofacitinib", "EPO", c)
    assert get_cytokine("IL-2").receptor.jaks == ("JAK1", "JAK3")
    assert get_cytokine("GM-CSF").receptor.jaks == ("JAK2",)
    assert np.all(il2 > gmcsf) and np.all(il2 > epo)


@pytest.mark.parametrize("drug", SMALL_MOLECULES)
def test_pathway_ranking_follows_the_tables_for_every_drug(drug):
    potencies = enzyme_potencies(drug)
    for a, b in (("IL-2", "EPO"), ("IFN-alpha/beta", "GM-CSF"), ("IL-12", "IL-2")):
        jaks_a, jaks_b = get_cytokine(a).receptor.jaks, get_cytokine(b).receptor.jaks
        expected = _more_potent(drug, jaks_a, jaks_b)
        at = 1.0 if not potencies else min(p.ki_nm for p in potencies.values())
        ia, ib = pathway_inhibition(drug, a, at), pathway_inhibition(drug, b, at)
        if ia != ib:
            assert (ia > ib) == expected


def test_jak2_sparing_follows_the_enzyme_ratios():
    # upadacitinib JAK2/JAK1 = 120/43 in the table, ruxolitinib 2.8/3.3: upadacitinib spares EPO (JAK2) more
    def table_ratio(drug):
        p = enzyme_potencies(drug)
        return p["JAK2"].ki_nm / p["JAK1"].ki_nm

    def model_ratio(drug):
        return unbound_ic50(drug, get_cytokine("EPO").receptor.jaks) / unbound_ic50(drug, get_cytokine("IL-6").receptor.jaks)

    assert (model_ratio("upadacitinib") > model_ratio("ruxolitinib")) == (table_ratio("upadacitinib") > table_ratio("ruxolitinib"))


def test_occupancy_limits_and_monotonicity():
    c = np.logspace(-3, 6, 50)
    for occ in jak_occupancy("baricitinib", c).values():
        assert np.all(np.diff(occ) >= 0)
    assert pathway_inhibition("baricitinib", "IL-6", 0.0) == 0.0
    assert pathway_inhibition("baricitinib", "IL-6", 1e9) > 0.999
    assert np.all(pathway_inhibition("deucravacitinib", "IL-2", c) == 0.0)  # only a TYK2 row


def test_potency_choice_and_provenance():
    tofa = enzyme_potencies("tofacitinib")
    assert isinstance(tofa["JAK1"].provenance, TableSource)
    assert tofa["JAK1"].ic50_nm == 3.2 and tofa["JAK1"].provenance.verified  # verified panel beats 112 / 15.1 nM
    bari = enzyme_potencies("baricitinib")["JAK3"]
    assert bari.ic50_nm == 400.0 and "bound" in bari.provenance.note
    upa = enzyme_potencies("upadacitinib")["JAK1"]
    assert "ATP 100 uM" in upa.provenance.note and "apparent Ki" in upa.provenance.note
    assert "Ki" in enzyme_potencies("deucravacitinib")["TYK2"].provenance.note
    assert set(enzyme_potencies("filgotinib")) == set(JAK_NAMES)


def test_cheng_prusoff():
    assert cheng_prusoff(100.0, 1e6, 1e5) == pytest.approx(100.0 / 11.0)
    assert cheng_prusoff(10.0, 0.0, 50.0) == 10.0


def test_stored_calibration_is_reproduced_and_named():
    record = stored_record()
    assert record is not None and record["name"] == CALIBRATION_NAME and record["date"]
    for drug, shift in record["shifts"].items():
        assert shift == pytest.approx(fit_shift(drug=drug), rel=1e-9)
    assert record["pooled_shift"] == pytest.approx(fit_shift(), rel=1e-9)
    fresh = calibrate(str(record["date"]))
    assert fresh["fit_rows"] == record["fit_rows"] and fresh["validation_rows"] == record["validation_rows"]
    assert fresh["assessment"] == record["assessment"] and fresh["out_of_scope"] == record["out_of_scope"]
    shift, provenance = cell_shift("tofacitinib")
    assert isinstance(provenance, Calibration) and shift == record["shifts"]["tofacitinib"]
    assert "tofacitinib/IL-6/" in provenance.describe()
    shift, provenance = cell_shift("baricitinib")  # no fit row: the pooled factor, and the provenance says so
    assert shift == record["pooled_shift"] and "pooled" in provenance.describe()


def test_calibration_fit_rows_are_the_named_subset():
    rows = cellular_rows()
    fit = [r for r in rows if r.role == "fit"]
    assert [r.drug for r in fit] == ["ruxolitinib", "tofacitinib", "upadacitinib"]
    assert all(r.matrix == "whole blood" and r.qualifier == "=" and r.cytokine == "IL-6" and "pSTAT3" in r.readout
               for r in fit)
    assert [r.observed_nm for r in fit] == [281.0, 119.0, 60.7]  # Quintas-Cardama 2010; Mohamed 2020 (x2)
    row = fit[0]
    assert predicted_ic50(row, 10.0)[0] == pytest.approx(10.0 * predicted_ic50(row, 1.0)[0], rel=1e-9)


def test_out_of_scope_rows_are_kept_with_their_reason():
    rows = cellular_rows()
    out = {r.key: r.reason for r in rows if r.role == "out of scope"}
    colony = [k for k in out if "colony formation" in k or "proliferation/erythroid" in k]
    assert len(colony) == 4 and all("not a pSTAT IC50" in out[k] for k in colony)  # EPO colony/proliferation
    assert any(k.startswith("ruxolitinib/none") for k in out)  # Ba/F3 JAK2 V617F, murine
    assert all("selectivity ratio" in out[k] for k in out if k.startswith("upadacitinib/engineered"))
    assert any(k.startswith("emapalumab/") for k in out)
    in_scope = [r for r in rows if r.role != "out of scope"]
    assert all(r.matrix in ("whole blood", "PBMC", "unspecified") for r in in_scope)
    assert len(rows) == len(in_scope) + len(out)  # nothing dropped


def _two_jak_unbound_ic50(k1: float, k2: float, capacity: float = 0.5) -> float:
    """Closed form of k1 k2 / ((k1 + c)(k2 + c)) = capacity: c^2 + (k1 + k2) c + k1 k2 (1 - 1/capacity) = 0."""
    b = k1 + k2
    return (-b + np.sqrt(b * b - 4 * k1 * k2 * (1.0 - 1.0 / capacity))) / 2.0


def test_two_jak_closed_form_at_half_capacity():
    assert _two_jak_unbound_ic50(5.0, 5.0) == pytest.approx(5.0 * (np.sqrt(2.0) - 1.0), rel=1e-12)
    assert unbound_ic50("tofacitinib", ("JAK1", "JAK3")) == pytest.approx(
        _two_jak_unbound_ic50(enzyme_potencies("tofacitinib")["JAK1"].ki_nm, enzyme_potencies("tofacitinib")["JAK3"].ki_nm),
        rel=1e-9)


@pytest.mark.parametrize("drug, observed", [("tofacitinib", 79.1), ("upadacitinib", 125.0)])
def test_il7_whole_blood_ic50_held_out_within_3_fold(drug, observed):
    # Mohamed 2020 (PMC6973126) ex vivo IL-7/pSTAT5 EC50, not used by the fit (which used their IL-6/pSTAT3 rows);
    # prediction in closed form from the JAK1/JAK3 receptor at the stored capacity that halves the model's
    # IL-7 pSTAT5 readout, the drug's factor and the plasma fu
    from jakstat.pharmacology.pk_parameters import fraction_unbound

    assert get_cytokine("IL-7").receptor.jaks == ("JAK1", "JAK3")
    capacity = stored_record()["readout_capacities"]["IL-7/cd4_t_cell/pSTAT5A"]
    assert 0.2 < capacity < 0.5  # pSTAT saturates: half the readout needs more than half the capacity blocked
    p, s = enzyme_potencies(drug), stored_record()["shifts"][drug]
    predicted = s * _two_jak_unbound_ic50(p["JAK1"].ki_nm, p["JAK3"].ki_nm, capacity) / fraction_unbound(drug).value
    row = next(r for r in cellular_rows() if r.drug == drug and r.cytokine == "IL-7")
    assert row.role == "validation" and row.observed_nm == observed
    assert row.readouts[0].key == "IL-7/cd4_t_cell/pSTAT5A"
    assert predicted_ic50(row, s)[0] == pytest.approx(predicted, rel=1e-9)
    assert 1 / 3 < predicted / observed < 3


def test_rows_without_a_named_readout_take_the_calibration_readout():
    from jakstat.errors import UnknownNameError
    from jakstat.pharmacology.calibration import FALLBACK_READOUT, stored_capacities

    capacities = stored_capacities()
    rows = {r.key.split("/")[0] + "/" + r.cytokine: r for r in cellular_rows() if r.role != "out of scope"}
    tpo = rows["ruxolitinib/TPO"]  # pSTAT3 is TPO's secondary STAT; no modelled blood cell expresses its receptor
    assert [r.key for r in tpo.readouts] == ["TPO/pathway/pSTAT3"]
    assert row_capacities(tpo) == (capacities["TPO/pathway/pSTAT3"],) and 0.2 < row_capacities(tpo)[0] < 0.5
    unnamed = [r for r in rows.values() if "not named" in r.cytokine]
    assert len(unnamed) == 3 and all(r.readouts == (None,) for r in unnamed)
    assert all(row_capacities(r) == (capacities[FALLBACK_READOUT.key],) for r in unnamed)
    assert FALLBACK_READOUT.key == "IL-6/cd4_t_cell/pSTAT3"  # the readout the factors were fitted on
    bari = rows["baricitinib/IL-6 and IL-23"]  # two receptors, each with its readout
    assert [r.key for r in bari.readouts] == ["IL-6/cd4_t_cell/pSTAT3", "IL-23/cd4_t_cell/pSTAT3"]
    with pytest.raises(UnknownNameError, match="IL-6/cd4_t_cell/pSTAT3"):
        row_capacities(bari, {})


def test_stored_capacities_are_refused_under_another_protocol(monkeypatch):
    from jakstat.pharmacology import calibration

    record = dict(stored_record())
    assert record["protocol"] == calibration.protocol_record()  # the stored capacities' protocol is the default
    record["protocol"] = {**record["protocol"], "stimulus_nM": 10.0}
    monkeypatch.setattr(calibration, "stored_record", lambda: record)
    assert calibration.stored_capacities() == {}  # so calibrate() would simulate them afresh


def test_record_states_its_assumptions_and_protocol_sensitivity():
    record = stored_record()
    assert any("1 nM cytokine for 15 min" in a for a in record["assumptions"])
    sensitivity = {(x["stimulus_nM"], x["stimulation_min"]): x for x in record["protocol_sensitivity"]}
    default = sensitivity[(1.0, 15.0)]
    assert default["shifts"] == {d: pytest.approx(v, rel=1e-5) for d, v in record["shifts"].items()}
    # a weaker stimulus saturates the readout less: a larger capacity halves it and the factors are larger
    assert sensitivity[(0.1, 15.0)]["capacity_IL-6"] > default["capacity_IL-6"] > sensitivity[(10.0, 15.0)]["capacity_IL-6"]
    assert sensitivity[(0.1, 15.0)]["shifts"]["ruxolitinib"] > record["shifts"]["ruxolitinib"]
    _, provenance = cell_shift("ruxolitinib")
    assert "protocol assumed" in provenance.describe()


def test_validation_summary_counts_the_held_out_rows():
    record = stored_record()
    validation = [a for a in record["assessment"] if a["role"] == "validation"]
    assert record["summary"]["validation_rows"] == len(validation) == 7
    assert record["summary"]["validation_within_3_fold"] == sum(a["within_3_fold"] for a in validation) == 5
    misses = {a["key"].split("/")[0] + "/" + a["key"].split("/")[1] for a in validation if not a["within_3_fold"]}
    assert misses == {"tofacitinib/JAK1", "tofacitinib/JAK2"}  # the JAK2-dependent tofacitinib rows


def test_pk_table_has_one_inhibition_column_per_cytokine():
    table = pk_table("baricitinib", "4 mg", "QD", days=1)
    names = [f"inhibition_{c.name}" for c in cytokines()]
    assert list(table.columns) == ["time_h", "total_plasma_nM", "unbound_plasma_nM", *names]
    np.testing.assert_allclose(table["unbound_plasma_nM"], 0.5 * table["total_plasma_nM"])
    assert table[names].min().min() >= 0.0 and table[names].max().max() <= 1.0
    np.testing.assert_allclose(table["inhibition_IL-6"],
                               pathway_inhibition("baricitinib", "IL-6", table["unbound_plasma_nM"].to_numpy()))


def test_time_above_target_inhibition():
    table = pk_table("baricitinib", "4 mg", "QD", days=3, points_per_hour=12)
    last_day = (table["time_h"] >= 48) & (table["time_h"] <= 72)
    hours = time_above(table, "inhibition_IL-6", 0.5, start_h=48, end_h=72)
    fraction = (table.loc[last_day, "inhibition_IL-6"] >= 0.5).mean()
    assert 0 < hours < 24
    assert hours == pytest.approx(24 * fraction, abs=0.5)
    assert time_above(table, "inhibition_IL-6", 1.01) == 0.0
