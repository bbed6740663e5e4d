"""Typed, frozen records over the packaged tables: cytokines, receptors, JAKs, STATs, genes,
drugs, variants, cell types, and genotypes.

Every record carries the ``source`` of the table row(s) it was built from (and ``verified``
where the table has it). Lookups (``get_*``) ignore case, spaces and hyphens, accept aliases,
and raise :class:`jakstat.errors.UnknownNameError` listing the canonical names.
"""

from jakstat.knowledge.cells import CellType, cell_types, get_cell_type
from jakstat.knowledge.cytokines import Cytokine, cytokines, get_cytokine
from jakstat.knowledge.drugs import Drug, drugs, get_drug
from jakstat.knowledge.genotype import Allele, Genotype, known_genes, parse_genotype
from jakstat.knowledge.molecules import (
    JAK_NAMES,
    STAT_NAMES,
    Gene,
    Jak,
    Stat,
    genes,
    get_gene,
    get_jak,
    get_stat,
    jaks,
    stats,
)
from jakstat.knowledge.receptors import ChainJaks, ReceptorComplex
from jakstat.knowledge.variants import Variant, get_variant, hgvs_to_short, short_to_hgvs, variants

__all__ = [
    "JAK_NAMES",
    "STAT_NAMES",
    "Allele",
    "CellType",
    "ChainJaks",
    "Cytokine",
    "Drug",
    "Gene",
    "Genotype",
    "Jak",
    "ReceptorComplex",
    "Stat",
    "Variant",
    "cell_types",
    "cytokines",
    "drugs",
    "genes",
    "get_cell_type",
    "get_cytokine",
    "get_drug",
    "get_gene",
    "get_jak",
    "get_stat",
    "get_variant",
    "hgvs_to_short",
    "jaks",
    "known_genes",
    "parse_genotype",
    "short_to_hgvs",
    "stats",
    "variants",
]
