"""Cell networks generated from the tables: receptors a cell expresses -> pathways -> genes.

``data/networks/cell_types.yaml`` gives, per modelled cell type, the keywords that mark it in the
``expressing_cell_types`` column of ``pathway_cytokine_receptors.csv``; everything else follows
from the tables (:mod:`jakstat.network.pathways`, :mod:`jakstat.network.genes`).
"""

from __future__ import annotations

import copy
import re
from functools import lru_cache
from importlib import resources

import yaml

from jakstat.errors import UnknownNameError
from jakstat.knowledge import cytokines, get_cell_type
from jakstat.network.definition import network_from_definition
from jakstat.network.genes import add_gene_expression
from jakstat.network.model import Network
from jakstat.network.pathways import pathway_definition, pathway_stats


@lru_cache(maxsize=None)
def _cell_table() -> dict:
    return yaml.safe_load((resources.files("jakstat.data") / "networks" / "cell_types.yaml").read_text())


def expressed_cytokines(cell: str) -> tuple[str, ...]:
    """Cytokines whose receptors ``cell`` expresses, per the receptor table's expressing_cell_types text.

    A keyword matches as a whole word (plural allowed) and not after "not " ("B cells (not T cells)"
    is no T cell).
    """
    name = get_cell_type(cell).name
    table = _cell_table()
    if name not in table:
        raise UnknownNameError("cell type with receptor keywords", cell, table)
    patterns = [re.compile(rf"(?<!not )\b{re.escape(k)}s?\b", re.IGNORECASE) for k in table[name]["keywords"]]
    return tuple(c.name for c in cytokines() if any(p.search(c.expressing_cell_types) for p in patterns))


@lru_cache(maxsize=None)
def _generated_definition(name: str, allele_pools: tuple[str, ...]) -> dict:
    definition = add_gene_expression(pathway_definition(expressed_cytokines(name), name=f"{name}_pathways",
                                                        allele_pools=allele_pools))
    definition["description"] = f"{name}: " + definition["description"]
    return definition


def generated_cell_definition(cell: str, allele_pools: tuple[str, ...] = ()) -> dict:
    """The generated network definition of ``cell`` (a copy), with variant pools for the STATs in ``allele_pools``."""
    return copy.deepcopy(_generated_definition(get_cell_type(cell).name, tuple(allele_pools)))


def generated_cell_stats(cell: str) -> tuple[str, ...]:
    """The STATs of ``cell``'s generated network (those its receptors phosphorylate)."""
    return pathway_stats(expressed_cytokines(cell))


@lru_cache(maxsize=None)
def generated_cell_network(cell: str, allele_pools: tuple[str, ...] = ()) -> Network:
    """The generated network of ``cell``: its receptors' pathways, shared STAT pools, target genes.

    ``allele_pools``: STATs that carry a wild-type and a variant pool side by side (the variant pool
    empty; :func:`jakstat.network.variant_effects.with_genotype` fills it from a genotype).
    """
    return network_from_definition(_generated_definition(get_cell_type(cell).name, tuple(allele_pools)))
