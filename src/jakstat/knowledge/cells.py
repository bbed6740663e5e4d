"""The cell types the model builds networks for (``model_cell_types.csv``).

``cell_types.csv`` holds quantities (serum levels, model abundances), not a list of cell types;
the list is the small packaged table ``model_cell_types.csv`` (name, ``;``-separated aliases,
description, source, evidence, verified). Its ``source`` cells point at the rows of the other
tables that place each cell type in the model; ``verified`` is ``yes`` only where a verified row
names the cell type.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from jakstat.data import load_table, verified_flag
from jakstat.knowledge._lookup import Registry


@dataclass(frozen=True)
class CellType:
    """A cell type of the model.

    Attributes
    ----------
    name : str
        Identifier: ``"fibroblast"``, ``"cd4_t_cell"``, ``"monocyte"``, ``"hepatocyte"``.
    description : str
        What the cell is and why the model has it.
    source : str
        The table rows that support it.
    aliases : tuple of str
        Other accepted names (``"dermal fibroblast"``, ``"CD4 T cell"``).
    verified : bool
        Whether a verified table row names this cell type.
    """

    name: str
    description: str
    source: str
    aliases: tuple[str, ...] = ()
    verified: bool = False


@functools.lru_cache(maxsize=1)
def _registry() -> Registry[CellType]:
    records = [
        CellType(
            name=row["name"],
            description=row["description"],
            source=row["source"],
            aliases=tuple(a.strip() for a in row["aliases"].split(";") if a.strip()),
            verified=verified_flag(row["verified"]),
        )
        for row in load_table("model_cell_types").to_dict(orient="records")
    ]
    return Registry("cell type", records, lambda cell: [cell.name, *cell.aliases])


def cell_types() -> tuple[CellType, ...]:
    """Return the model's cell types, in table order."""
    return _registry().records


def get_cell_type(name: str) -> CellType:
    """Return the cell type named ``name`` (identifier or alias, any case).

    Raises
    ------
    jakstat.errors.UnknownNameError
        ``unknown cell type 'neuron'; known: cd4_t_cell, fibroblast, hepatocyte, monocyte``.

    Examples
    --------
    >>> get_cell_type("CD4 T cell").name
    'cd4_t_cell'
    """
    return _registry().get(name)
