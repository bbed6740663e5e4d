"""Conservation laws of a network, from the left null space of its stoichiometry.

With extensive rates, the amount ``n_i = V_i y_i`` of species i changes as ``dn/dt = N v``.
Every row vector ``c`` with ``c N = 0`` gives a conserved total ``sum_i c_i V_i y_i``. The null
space is computed exactly (rational arithmetic, sympy), so a law is either there or not.
Independently of the stoichiometry, each species' ``composition`` (how many gp130, JAK1, STAT3
... it contains) states what *should* be conserved; :func:`conserved_monomers` checks which of
those totals the reactions really conserve.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from jakstat.network.model import Network


@dataclass(frozen=True)
class ConservationLaw:
    """``sum(coefficients[s] * V_s * [s])`` is constant (amount, nmol)."""

    coefficients: tuple[tuple[str, int], ...]
    monomer: str = ""

    def describe(self) -> str:
        terms = " + ".join(f"{'' if c == 1 else c}{'' if c == 1 else '*'}{s}" for s, c in self.coefficients)
        return (f"total {self.monomer}: " if self.monomer else "") + terms


def _stoichiometry(net: Network) -> sympy.Matrix:
    index = {sid: i for i, sid in enumerate(net.species_ids)}
    mat = sympy.zeros(len(index), len(net.reactions))
    for j, r in enumerate(net.reactions):
        for sid, n in r.stoichiometry().items():
            if not net[sid].boundary:
                mat[index[sid], j] = n
    return mat


def conservation_laws(net: Network) -> tuple[ConservationLaw, ...]:
    """A basis of the conservation laws, each scaled to coprime integers.

    Totals of monomers that the reactions conserve (total gp130, total STAT3, ...) come first,
    named; null-space vectors that they do not span follow, unnamed.
    """
    stoich = _stoichiometry(net)
    index = {sid: i for i, sid in enumerate(net.species_ids)}
    laws: list[ConservationLaw] = []
    rows: list[sympy.Matrix] = []
    for monomer, counts in monomer_totals(net).items():
        row = sympy.zeros(1, len(index))
        for sid, n in counts.items():
            row[index[sid]] = n
        if all(x == 0 for x in row * stoich) and _adds_rank(rows, row):
            rows.append(row)
            laws.append(ConservationLaw(tuple((sid, counts[sid]) for sid in net.species_ids if sid in counts), monomer))
    for vec in stoich.T.nullspace():
        row = vec.T
        if not _adds_rank(rows, row):
            continue
        rows.append(row)
        denominators = [sympy.fraction(x)[1] for x in vec]
        scale = sympy.ilcm(*denominators) if denominators else 1
        ints = [int(x * scale) for x in vec]
        g = int(np.gcd.reduce([abs(i) for i in ints if i])) or 1
        if all(i <= 0 for i in ints):
            g = -g
        laws.append(ConservationLaw(tuple((sid, i // g) for sid, i in zip(net.species_ids, ints) if i)))
    return tuple(laws)


def _adds_rank(rows: list[sympy.Matrix], row: sympy.Matrix) -> bool:
    if not rows:
        return any(x != 0 for x in row)
    return sympy.Matrix.vstack(*rows, row).rank() > len(rows)


def monomer_totals(net: Network) -> dict[str, dict[str, int]]:
    """For each monomer named in species compositions, how many each species contains."""
    totals: dict[str, dict[str, int]] = {}
    for s in net.species:
        for monomer, count in s.composition:
            totals.setdefault(monomer, {})[s.id] = count
    return totals


def conserved_monomers(net: Network) -> dict[str, bool]:
    """Whether the reactions conserve the total of each monomer (exact check, c N = 0)."""
    stoich = _stoichiometry(net)
    index = {sid: i for i, sid in enumerate(net.species_ids)}
    result = {}
    for monomer, counts in monomer_totals(net).items():
        row = sympy.zeros(1, len(index))
        for sid, n in counts.items():
            row[index[sid]] = n
        result[monomer] = all(x == 0 for x in row * stoich)
    return result


def total_amount(net: Network, monomer: str, concentrations: np.ndarray, volumes: dict[str, float]) -> np.ndarray:
    """Total amount (nmol) of ``monomer`` over time from concentrations (nM), shape (..., n_species)."""
    counts = monomer_totals(net)[monomer]
    weights = np.zeros(len(net.species))
    for i, s in enumerate(net.species):
        weights[i] = counts.get(s.id, 0) * volumes[s.compartment]
    return concentrations @ weights
