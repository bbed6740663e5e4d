"""Readouts of a dose-response run: what is measured in the cells at the readout time.

A readout is a weighted sum of the state (nM), one weight per species:

- ``pSTATn`` (e.g. ``pSTAT3``): phosphorylated STAT n in the whole cell, molecules per cell, as a
  flow-cytometry or western-blot signal sees it: every species holding phosphorylated STAT n
  (monomers, dimers, heterodimers, receptor- and phosphatase-bound forms, ISGF3), each phosphorylated
  copy counted once; a variant allele's protein (``STAT4v``) counts as STAT n.
- ``nuclear_pSTATn``: the same, in the nucleus only.
- ``species:ID``: the concentration of one species, nM (any species of the network).

Which copies are phosphorylated is read from the species: its composition says how many copies of
STAT n it holds; the unphosphorylated ones are the copies its id names without the ``p`` prefix
(``STAT3_pSTAT3_cyt`` holds one of each; ``Rc_act_STAT3`` one unphosphorylated STAT3; ``ISGF3_nuc``
names none, so both its STATs count as phosphorylated, as in ISGF3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from jakstat.errors import UnknownNameError
from jakstat.network.model import Network

AVOGADRO = 6.02214076e23
"""Avogadro constant, 1/mol (exact, SI 2019)."""
SPECIES_PREFIX = "species:"

_STAT_KEY = re.compile(r"^(STAT\d[AB]?)(v\w*)?$")
_PSTAT_TOKEN = re.compile(r"^p(STAT\d[AB]?)(v\w*)?$")


@dataclass(frozen=True)
class Readout:
    """A readout as weights on the state.

    Attributes
    ----------
    name : str
        ``pSTAT3``, ``nuclear_pSTAT3``, ``species:SOCS3`` ...
    weights : ndarray, shape (n_species,)
        Readout units per nM of each species (in the order of ``net.species``).
    unit : str
        ``molecules/cell`` or ``nM``.
    description : str
    """

    name: str
    weights: np.ndarray
    unit: str
    description: str

    def value(self, states: np.ndarray) -> np.ndarray:
        """The readout of states (nM) whose last axis is the species."""
        return np.asarray(states, dtype=float) @ self.weights


def phospho_copies(net: Network, species_id: str, stat: str) -> int:
    """Phosphorylated copies of ``stat`` (e.g. ``"STAT3"``, variant proteins included) in one species."""
    species = net[species_id]
    held = sum(count for key, count in species.composition
               if (m := _STAT_KEY.match(key)) is not None and m.group(1) == stat)
    if not held:
        return 0
    bare = sum(1 for token in species_id.split("_") if (m := _STAT_KEY.match(token)) is not None and m.group(1) == stat)
    return max(int(held) - bare, 0)


def stats_in(net: Network) -> tuple[str, ...]:
    """The STATs (``STAT1`` ... ``STAT6``) some species of ``net`` holds in phosphorylated form."""
    found = set()
    for species in net.species:
        for key, _ in species.composition:
            m = _STAT_KEY.match(key)
            if m is not None and phospho_copies(net, species.id, m.group(1)):
                found.add(m.group(1))
    return tuple(sorted(found))


def readout_names(net: Network) -> tuple[str, ...]:
    """The named readouts of ``net`` (``pSTATn`` and ``nuclear_pSTATn`` of each STAT it phosphorylates)."""
    names = []
    for stat in stats_in(net):
        names += [f"p{stat}", f"nuclear_p{stat}"]
    return tuple(names)


def make_readout(net: Network, name: str, n_cells: float) -> Readout:
    """The :class:`Readout` called ``name`` for ``net`` whose compartments hold ``n_cells`` cells.

    Raises
    ------
    UnknownNameError
        For a name that is neither a named readout of ``net`` nor ``species:ID`` of one of its species
        (the message lists the named readouts).
    """
    text = name.strip()
    if text.startswith(SPECIES_PREFIX):
        species_id = text[len(SPECIES_PREFIX):].strip()
        if species_id not in net.species_ids:
            raise UnknownNameError(f"species of network {net.name} (readout species:ID)", species_id, net.species_ids)
        weights = np.array([1.0 if s.id == species_id else 0.0 for s in net.species])
        return Readout(f"{SPECIES_PREFIX}{species_id}", weights, "nM", f"concentration of {species_id}")
    known = readout_names(net)
    if text not in known:
        raise UnknownNameError(f"readout of network {net.name} (or species:ID for one species, nM)", text, known)
    nuclear = text.startswith("nuclear_")
    stat = text.removeprefix("nuclear_")[1:]
    weights = np.zeros(len(net.species))
    for i, species in enumerate(net.species):
        if nuclear and species.compartment != "nucleus":
            continue
        copies = phospho_copies(net, species.id, stat)
        if copies:
            volume_l = net.compartment_of(species.id).size
            weights[i] = copies * volume_l * 1e-9 * AVOGADRO / n_cells  # nM x L -> nmol -> molecules, per cell
    where = "in the nucleus" if nuclear else "in the whole cell"
    return Readout(text, weights, "molecules/cell", f"phosphorylated {stat} {where}, molecules per cell")


__all__ = ["AVOGADRO", "Readout", "make_readout", "phospho_copies", "readout_names", "stats_in"]
