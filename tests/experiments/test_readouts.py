"""Secretion ELISA, gel contraction, cell size and gene panel: closed forms, units and directions."""

from __future__ import annotations

import numpy as np
import pytest

import jakstat
from jakstat.errors import UnknownNameError
from jakstat.experiments.elisa import SecretionProtocol, il6_pg_per_ml_per_nm, run_secretion
from jakstat.experiments.gel import A_MIN, K0, GelProtocol, gel_area, run_gel
from jakstat.experiments.gene_panel import GenePanelProtocol, run_gene_panel
from jakstat.experiments.links import PHENOMENOLOGICAL
from jakstat.experiments.protocol import make_protocol
from jakstat.experiments.size import AREA0, TAU, SizeProtocol, cell_area, run_size
from jakstat.experiments import gel, size
from jakstat.network.culture import Culture

IL6 = {"cytokines": {"IL-6": "10 ng/mL"}}


def _values(result, readout):
    return result.table[result.table.readout == readout]["value"].to_numpy()


# --- secretion ELISA -------------------------------------------------------------------------

def test_il6_conversion_is_21000_pg_per_ml_per_nm():
    assert il6_pg_per_ml_per_nm() == pytest.approx(21_000.0)  # 21 kDa: 1 nM = 21 ng/mL


def test_elisa_reads_exogenous_il6_at_time_zero_in_pg_per_ml():
    result = run_secretion(make_protocol(SecretionProtocol, times_h=[0, 24], conditions=IL6))
    assert _values(result, "IL-6")[0] == pytest.approx(10_000.0, rel=1e-9)  # 10 ng/mL given
    assert set(result.table.unit) == {"pg/mL"} and set(result.table.cytokine) == {"IL-6=10 ng/mL"}


@pytest.fixture(scope="module")
def basal():
    return run_secretion(make_protocol(SecretionProtocol))


def test_basal_secretion_accumulates_at_24_48_72(basal):
    values = _values(basal, "IL-6")
    assert list(basal.table.time_h) == [24.0, 48.0, 72.0]
    assert np.all(np.diff(values) > 0) and values[0] > 0


def test_medium_volume_and_cell_number_set_the_culture(basal):
    """Cells per volume is what matters: doubling both leaves the ELISA unchanged (exact scaling);
    twice the medium dilutes by at least half and twice the cells at least double the concentration
    (the autocrine loop is net positive, so it can only amplify the change)."""
    both = run_secretion(make_protocol(SecretionProtocol, n_cells=2e5, medium_volume="2 mL"))
    double_volume = run_secretion(make_protocol(SecretionProtocol, medium_volume="2 mL"))
    double_cells = run_secretion(make_protocol(SecretionProtocol, n_cells=2e5))
    assert np.allclose(_values(both, "IL-6"), _values(basal, "IL-6"), rtol=1e-5)
    ratio_v = _values(double_volume, "IL-6") / _values(basal, "IL-6")
    ratio_c = _values(double_cells, "IL-6") / _values(basal, "IL-6")
    assert np.all((ratio_v > 0.0) & (ratio_v < 0.5)), ratio_v
    assert np.all(ratio_c > 2.0), ratio_c


# --- gel contraction -------------------------------------------------------------------------

def test_gel_area_closed_form_for_constant_signalling():
    t = np.linspace(0, 72, 289)
    for drive in (0.0, 300.0):
        k = K0.value * (1 + gel.CONTRACTION_LINK.emax.value * (0.5 if drive else 0.0))  # occupancy 1/2 at EC50
        exact = 100 * (A_MIN.value + (1 - A_MIN.value) * np.exp(-k * t))
        assert np.allclose(gel_area(t, np.full_like(t, drive)), exact, rtol=1e-12)


def test_gel_contracts_more_with_il6():
    healthy = _values(run_gel(make_protocol(GelProtocol)), "gel_area")
    il6 = _values(run_gel(make_protocol(GelProtocol, conditions=IL6)), "gel_area")
    assert healthy[0] == pytest.approx(100.0) and np.all(np.diff(healthy) < 0)
    assert np.all(il6[1:] < healthy[1:])


# --- cell size -------------------------------------------------------------------------------

def test_cell_area_relaxes_exponentially_after_a_step():
    t = np.linspace(0, 72, 721)
    drive = np.where(t < 1e-9, 0.0, 300.0)  # step at t = 0+ (linear over the first 0.1 h)
    area = cell_area(t, drive)
    target = AREA0.value * (1 + size.SIZE_LINK.emax.value * 0.5)
    exact = target + (AREA0.value - target) * np.exp(-t / TAU.value)
    assert np.max(np.abs(area - exact)) / target < 5e-3  # the step is smeared over one 0.1 h sample
    assert cell_area(t, np.full_like(t, 123.0)) == pytest.approx(np.full_like(t, cell_area(t[:1], [123.0])[0]))


def test_cells_larger_with_il6():
    healthy = _values(run_size(make_protocol(SizeProtocol)), "relative_cell_area")
    il6 = _values(run_size(make_protocol(SizeProtocol, conditions=IL6)), "relative_cell_area")
    assert il6[0] == pytest.approx(healthy[0]) and np.all(il6[1:] > healthy[1:])


def test_gel_and_size_parameters_are_phenomenological():
    for module in (gel, size):
        params = module.link_parameters()
        assert all(p.provenance.kind == "assumed" and p.provenance.reason.startswith(PHENOMENOLOGICAL)
                   for p in params), module.__name__


# --- gene panel ------------------------------------------------------------------------------

def test_gene_panel_fold_is_ratio_of_per_cell_mrna():
    result = run_gene_panel(make_protocol(GenePanelProtocol, times_h=[24], conditions=IL6, genes=["SOCS3", "IL6"]))
    ref = jakstat.simulate(t_end="24 h", n_points=97)
    il6 = jakstat.simulate(cytokines={"IL-6": "10 ng/mL"}, t_end="24 h", n_points=97)
    c = Culture()
    for gene in ("SOCS3", "IL6"):
        m = lambda ds: (ds[f"{gene}_mRNA_nuc"][-1] * c.nucleus_volume_per_cell_l  # noqa: E731
                        + ds[f"{gene}_mRNA_cyt"][-1] * c.cytoplasm_volume_per_cell_l)
        fold = float(m(il6) / m(ref))
        assert _values(result, f"{gene} fold change")[0] == pytest.approx(fold, rel=1e-5)
        assert _values(result, f"{gene} ddCt")[0] == pytest.approx(-np.log2(fold), rel=1e-5)
        assert fold > 1.5  # IL-6 -> STAT3 induces SOCS3 and IL6 (gene_targets.csv)
    assert set(result.table.unit) == {"fold vs wt", "cycles vs wt"}


def test_gene_panel_reference_equal_to_condition_gives_fold_one():
    result = run_gene_panel(make_protocol(GenePanelProtocol, times_h=[12, 24]))
    assert np.allclose(_values(result, "IL6 fold change"), 1.0)
    assert np.allclose(_values(result, "SOCS3 ddCt"), 0.0)


def test_gene_panel_absent_gene_lists_available_genes():
    with pytest.raises(UnknownNameError, match=r"'STAT1'; known: IL6, SOCS3"):
        run_gene_panel(make_protocol(GenePanelProtocol, genes=["IL6", "STAT1"]))


def test_figures_written(tmp_path):
    for result in (run_gene_panel(make_protocol(GenePanelProtocol, conditions=IL6)),
                   run_secretion(make_protocol(SecretionProtocol, times_h=[24])),
                   run_gel(make_protocol(GelProtocol, times_h=[0, 24])),
                   run_size(make_protocol(SizeProtocol, times_h=[0, 24]))):
        path = result.save_figure(tmp_path / f"{result.table.assay[0]}.png")
        assert path.stat().st_size > 5_000
