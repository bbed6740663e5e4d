"""Gene panel: qPCR-like fold changes of the network's genes against a reference condition.

qPCR normalises a gene to a housekeeping gene in the same sample, i.e. it measures mRNA per cell;
the $2^{-\\Delta\\Delta C_t}$ fold change is then the ratio of the per-cell mRNA of the gene in the
condition to that in the reference condition at the same time:

$$ \\text{fold} = \\frac{m(\\text{condition}, t)}{m(\\text{reference}, t)}, \\qquad
   m = c_{nuc} V_{nuc} + c_{cyt} V_{cyt}, \\qquad \\Delta\\Delta C_t = -\\log_2 \\text{fold}, $$

with $c$ the simulated mRNA concentrations (nM) of species ``GENE_mRNA_nuc`` and ``GENE_mRNA_cyt``
and $V$ the per-cell nucleus and cytoplasm volumes of the culture (perfect amplification
efficiency assumed, as in the $2^{-\\Delta\\Delta C_t}$ method; Livak & Schmittgen 2001, Methods
25:402-408). A gene asked for but absent from the network is an error listing the genes that are
there, never a made-up value.
"""

from __future__ import annotations

import re
from typing import ClassVar

import numpy as np
import xarray as xr
from pydantic import Field, field_validator

from jakstat.errors import UnknownNameError
from jakstat.experiments.protocol import Conditions, Protocol
from jakstat.experiments.signalling import run_cells
from jakstat.experiments.tidy import AssayResult, concat_tidy, tidy_table
from jakstat.network.culture import Culture

_MRNA = re.compile(r"^(?P<gene>[A-Za-z0-9]+)_mRNA_(?P<where>nuc|cyt)$")


def available_genes(ds: xr.Dataset) -> tuple[str, ...]:
    """Genes with an mRNA species (``GENE_mRNA_nuc`` or ``GENE_mRNA_cyt``) in a simulation result."""
    genes = []
    for name in ds.data_vars:
        match = _MRNA.match(str(name))
        if match and match["gene"] not in genes:
            genes.append(match["gene"])
    return tuple(genes)


def mrna_per_cell(ds: xr.Dataset, gene: str, culture: Culture) -> np.ndarray:
    """mRNA of ``gene`` per cell over time, nmol (nuclear + cytoplasmic)."""
    total = np.zeros(ds.sizes["time_h"])
    for where, volume in (("nuc", culture.nucleus_volume_per_cell_l), ("cyt", culture.cytoplasm_volume_per_cell_l)):
        name = f"{gene}_mRNA_{where}"
        if name in ds.data_vars:
            total = total + np.asarray(ds[name].values, dtype=float) * volume
    return total


class GenePanelProtocol(Protocol):
    """qPCR panel (times default 24 h).

    Attributes
    ----------
    genes : tuple of str
        Gene symbols (``"IL6"``, ``"SOCS3"``); empty: every gene the network has.
    reference : Conditions
        The reference condition of the fold changes (default: wild type, nothing added).
    """

    ASSAY: ClassVar[str] = "gene-panel"
    KNOWN_READOUTS: ClassVar[tuple[str, ...]] = ("fold_change", "ddCt")
    DEFAULT_TIMES_H: ClassVar[tuple[float, ...]] = (24.0,)

    genes: tuple[str, ...] = ()
    reference: Conditions = Field(default_factory=Conditions)

    @field_validator("genes")
    @classmethod
    def _genes(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        genes = tuple(g.strip().upper() for g in value)
        if any(not g for g in genes):
            raise ValueError("gene names must not be empty")
        return genes


def run_gene_panel(protocol: GenePanelProtocol) -> AssayResult:
    """Run the gene panel: fold change (and/or ddCt) of each gene vs the reference condition.

    Raises
    ------
    jakstat.errors.UnknownNameError
        A gene asked for that the network does not have; the message lists those it has.
    """
    culture = protocol.culture()
    t_end = max(protocol.times_h[-1], 1.0)
    pre = protocol.pretreatment_h
    ds = run_cells(protocol.conditions, culture, t_end, pretreatment_h=pre)
    ref = ds if protocol.reference == protocol.conditions else run_cells(protocol.reference, culture, t_end,
                                                                         pretreatment_h=pre)
    available = available_genes(ds)
    genes = protocol.genes or available
    for gene in genes:
        if gene not in available:
            raise UnknownNameError("gene in this network", gene, available)
    time_h = np.asarray(ds["time_h"].values, dtype=float)
    folds = {g: mrna_per_cell(ds, g, culture) / mrna_per_cell(ref, g, culture) for g in genes}
    at = {g: np.interp(protocol.times_h, time_h, f) for g, f in folds.items()}
    reference = protocol.reference.label()
    frames = []
    for gene in genes:
        if "fold_change" in protocol.readouts:
            frames.append(tidy_table("gene-panel", f"{gene} fold change", protocol.times_h, at[gene],
                                     f"fold vs {reference}", protocol.conditions))
        if "ddCt" in protocol.readouts:
            frames.append(tidy_table("gene-panel", f"{gene} ddCt", protocol.times_h, 0.0 - np.log2(at[gene]),
                                     f"cycles vs {reference}", protocol.conditions))
    table = concat_tidy(frames)

    def draw(fig) -> None:
        ax = fig.subplots()
        width = 0.8 / max(len(protocol.times_h), 1)
        for k, t in enumerate(protocol.times_h):
            ax.bar(np.arange(len(genes)) + k * width, [at[g][k] for g in genes], width=width, label=f"{t:g} h")
        ax.axhline(1.0, color="0.3", lw=0.8)
        ax.set_yscale("log")
        ax.set_xticks(np.arange(len(genes)) + width * (len(protocol.times_h) - 1) / 2, genes)
        ax.set(ylabel=f"fold change vs {reference}", title=f"gene panel: {protocol.conditions.label()}")
        ax.legend(fontsize=8)

    return AssayResult(table, draw, {"time_h": time_h, "folds": folds, "genes": genes})


__all__ = ["GenePanelProtocol", "available_genes", "mrna_per_cell", "run_gene_panel"]
