"""Genotypes as parameter edits: allele pools split by dose, edits from variant_effects.csv and the calibration."""

from __future__ import annotations

import pytest

from jakstat.data.calibration_records import calibration_record
from jakstat.network.builders import build_cell_network
from jakstat.network.provenance import Calibration

TOTAL_STAT4_NM = 1000.0  # the network's STAT4 total (YAML initial of STAT4_cyt)


def _initial(net, sid):
    return next(s.initial for s in net.species if s.id == sid)


@pytest.mark.parametrize("genotype, variant_fraction", [
    ("wt", 0.0), ("STAT4:wt/wt", 0.0), ("STAT4:A635V/wt", 0.5), ("STAT4:A635V/A635V", 1.0),
    ("STAT4:p.His623Tyr/wt", 0.5), ("STAT4:A650D/H623Y", 1.0),
])
def test_allele_dose_splits_the_stat4_pool(genotype, variant_fraction):
    net = build_cell_network("fibroblast", genotype=genotype)
    assert _initial(net, "STAT4v_cyt") == pytest.approx(TOTAL_STAT4_NM * variant_fraction)
    assert _initial(net, "STAT4_cyt") + _initial(net, "STAT4v_cyt") == pytest.approx(TOTAL_STAT4_NM)


def test_the_variant_edit_comes_from_the_stored_calibration():
    record = calibration_record("stat4_gof_fibroblast")
    wild = build_cell_network("fibroblast")["f_dephos_STAT4v"]
    variant = build_cell_network("fibroblast", genotype="STAT4:A635V/wt")["f_dephos_STAT4v"]
    assert wild.value == 1.0
    assert variant.value == record["parameters"]["f_dephos_STAT4v"]["value"] < 1.0
    assert isinstance(variant.provenance, Calibration) and variant.provenance.name == "stat4_gof_fibroblast"
    assert "DPM03" in variant.provenance.targets


def test_calibrated_network_parameters_are_the_record_values():
    record = calibration_record("stat4_gof_fibroblast")
    net = build_cell_network("fibroblast")
    assert net["k_IL6_tx_basal"].value == record["parameters"]["k_IL6_tx_basal"]["value"]
    assert isinstance(net["k_IL6_tx_basal"].provenance, Calibration)
    for pid, held in record["held_fixed"].items():  # held fixed in the fit: the network's own assumed value
        assert net[pid].value == held["value"] and not isinstance(net[pid].provenance, Calibration)
    assert not set(record["targets_fitted"]) & set(record["targets_held_out"])
