"""DPM13: ruxolitinib lowers IFNG, IFNA, TNF, IL6 and STAT1 expression in patients' PBMC (direction).

The model's PBMC are its CD4 T-cell and monocyte networks (generated from the tables), equal cell
numbers, in an inflammatory medium for 24 h: T cells with IL-12 0.2 nM and IFN-alpha/beta 100 pg/mL,
monocytes with IL-6 10 ng/mL, IFN-gamma 10 ng/mL and IFN-alpha/beta 100 pg/mL (assumed milieu: the
row gives none). Expression is per-cell mRNA (nucleus + cytoplasm) summed over the two cell types,
with ruxolitinib 1 uM (JAK-saturating in culture, as for DPM07) against none.

- IFNG, IL6, STAT1: STAT targets in gene_targets.csv, asserted lower (fold < 0.75).
- TNF: gene_targets.csv gives NF-kB as its driver and no STAT input the generator can use, so the model
  cannot lower it: a strict xfail that says so.
- IFNA: no IFNA gene in gene_targets.csv (type I IFN is an input of the model, not a product): not
  modelled.
"""

from __future__ import annotations

import pytest

import jakstat
from jakstat.data import table_row

pytestmark = pytest.mark.validation
MILIEU = {"cd4_t_cell": {"IL-12": "0.2 nM", "IFN-alpha/beta": "100 pg/mL"},
          "monocyte": {"IL-6": "10 ng/mL", "IFN-gamma": "10 ng/mL", "IFN-alpha/beta": "100 pg/mL"}}
RUX = {"ruxolitinib": "1 uM"}


def _mrna(ds, gene: str) -> float:
    return sum(float(ds[s]) for s in (f"{gene}_mRNA", f"{gene}_mRNA_nuc") if s in ds)


@pytest.fixture(scope="module")
def folds() -> dict[str, float]:
    totals = {"off": {}, "on": {}}
    for cell, cytokines in MILIEU.items():
        for arm, drugs in (("off", None), ("on", RUX)):
            ds = jakstat.simulate(cell=cell, cytokines=cytokines, drugs=drugs, t_end="24 h").isel(time_h=-1)
            for gene in ("IFNG", "TNF", "IL6", "STAT1"):
                totals[arm][gene] = totals[arm].get(gene, 0.0) + _mrna(ds, gene)
    return {gene: totals["on"][gene] / totals["off"][gene] for gene in totals["off"]}


def test_the_row_is_a_decrease_of_these_genes():
    row = table_row("target_dpm_stat4", finding_id="DPM13")
    assert "IFNG, IFNA, TNF, IL6, STAT1" in row["condition"] and row["value"] == "decreased"


@pytest.mark.parametrize("gene", ["IFNG", "IL6", "STAT1"])
def test_ruxolitinib_lowers_the_stat_driven_genes_of_pbmc(folds, gene):
    print(f"DPM13 {gene}: ruxolitinib / untreated = {folds[gene]:.3g}")
    assert folds[gene] < 0.75, f"{gene}: fold {folds[gene]:.3g} with ruxolitinib 1 uM (decrease required)"


@pytest.mark.xfail(strict=True, reason="TNF has no STAT input in gene_targets.csv (NF-kB primarily), so no JAK "
                                       "inhibitor can lower it in this model")
def test_ruxolitinib_lowers_tnf(folds):
    assert folds["TNF"] < 0.75, f"TNF: fold {folds['TNF']:.3g}"
