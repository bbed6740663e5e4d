"""The reaction-network language: compartments, species, parameters, reactions, events.

A :class:`Network` is immutable and validated when it is built: ids are unique SBML-style
identifiers, every referenced id exists, every number has provenance, and every rate law has
the unit amount/time (nmol/s in the canonical system; see :mod:`jakstat.units`). Networks are
changed by copy (:mod:`jakstat.network.edit`) and compose by merging (:func:`merge`).

Conventions (the same as SBML Level 3): species are concentrations in their compartment; a
rate law is *extensive* (amount per time), so a mass-action rate carries the volume of the
compartment where the reaction happens, and ``d[X]/dt = sum_j S_Xj v_j / V_X``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

import sympy

from jakstat.errors import NetworkError
from jakstat.network.provenance import Provenance, require_provenance
from jakstat.units import parse_unit

_ID = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
TIME_SYMBOL = sympy.Symbol("time")


def _check_id(kind: str, ident: str) -> None:
    if not isinstance(ident, str) or not _ID.match(ident) or ident == "time":
        raise NetworkError(
            f"{kind} id {ident!r} is not valid: use letters, digits and '_' and start with a letter "
            "('time' is reserved)"
        )


@dataclass(frozen=True)
class Compartment:
    """A well-mixed volume. ``size`` in ``unit`` (a volume unit, e.g. L)."""

    id: str
    size: float
    unit: str
    provenance: Provenance
    name: str = ""

    def __post_init__(self) -> None:
        _check_id("compartment", self.id)
        require_provenance(f"compartment {self.id!r}", self.provenance)
        if not self.size > 0:
            raise NetworkError(f"compartment {self.id!r}: size must be > 0, got {self.size}")


@dataclass(frozen=True)
class Species:
    """A chemical species, as a concentration in its compartment.

    Attributes
    ----------
    initial : float
        Initial concentration in ``unit`` (default nM); >= 0.
    composition : tuple of (monomer, count)
        What the species is made of (e.g. ``(("gp130", 1), ("JAK1", 1))``), used to state and
        check conservation of each monomer independently of the reactions.
    boundary : bool
        Held constant by reactions (SBML boundaryCondition); events may still change it.
    """

    id: str
    compartment: str
    initial: float
    provenance: Provenance
    unit: str = "nM"
    name: str = ""
    composition: tuple[tuple[str, int], ...] = ()
    boundary: bool = False

    def __post_init__(self) -> None:
        _check_id("species", self.id)
        require_provenance(f"initial value of species {self.id!r}", self.provenance)
        if not self.initial >= 0:
            raise NetworkError(f"species {self.id!r}: initial concentration must be >= 0, got {self.initial}")

    @property
    def symbol(self) -> sympy.Symbol:
        return sympy.Symbol(self.id)


@dataclass(frozen=True)
class Parameter:
    """A named constant with its unit and provenance (see :mod:`jakstat.network.provenance`)."""

    id: str
    value: float
    unit: str
    provenance: Provenance
    description: str = ""

    def __post_init__(self) -> None:
        _check_id("parameter", self.id)
        require_provenance(f"parameter {self.id!r}", self.provenance)
        parse_unit(self.unit)
        if not self.value == self.value:  # NaN
            raise NetworkError(f"parameter {self.id!r} has value NaN")

    @property
    def symbol(self) -> sympy.Symbol:
        return sympy.Symbol(self.id)


@dataclass(frozen=True)
class Reaction:
    """A reaction with an extensive rate law (amount per time).

    ``reactants`` and ``products`` are (species id, stoichiometry) pairs; ``rate`` is a sympy
    expression over species, parameter and compartment ids and ``time``.
    ``mass_action`` records (forward, reverse) rate-constant ids and the compartment when the
    rate was made by :func:`jakstat.network.motifs.mass_action`, so code generators may
    specialise it.
    """

    id: str
    reactants: tuple[tuple[str, int], ...]
    products: tuple[tuple[str, int], ...]
    rate: sympy.Expr
    description: str = ""
    reversible: bool = False
    modifiers: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_id("reaction", self.id)
        for sid, n in self.reactants + self.products:
            if not isinstance(n, int) or n <= 0:
                raise NetworkError(f"reaction {self.id!r}: stoichiometry of {sid!r} must be a positive integer")

    def stoichiometry(self) -> dict[str, int]:
        """Net change of each species per reaction event."""
        net: dict[str, int] = {}
        for sid, n in self.reactants:
            net[sid] = net.get(sid, 0) - n
        for sid, n in self.products:
            net[sid] = net.get(sid, 0) + n
        return {k: v for k, v in net.items() if v != 0}


@dataclass(frozen=True)
class EventAssignment:
    """At an event, ``target`` (a species or parameter id) is set to, or increased by, ``value`` in ``unit``."""

    target: str
    value: float
    unit: str
    mode: Literal["set", "add"] = "set"

    def __post_init__(self) -> None:
        if self.mode not in ("set", "add"):
            raise NetworkError(f"event assignment mode must be 'set' or 'add', got {self.mode!r}")
        parse_unit(self.unit)


@dataclass(frozen=True)
class Event:
    """A discontinuity at a known time: a bolus, an infusion switched on or off, a medium change.

    The integrator stops exactly at ``time`` (in ``time_unit``), applies the assignments, and
    restarts; nothing is smoothed.
    """

    id: str
    time: float
    time_unit: str
    assignments: tuple[EventAssignment, ...]
    description: str = ""

    def __post_init__(self) -> None:
        _check_id("event", self.id)
        if not self.time >= 0:
            raise NetworkError(f"event {self.id!r}: time must be >= 0, got {self.time}")
        if not self.assignments:
            raise NetworkError(f"event {self.id!r} changes nothing")


@dataclass(frozen=True)
class Network:
    """An immutable, validated reaction network. See the module docstring for conventions.

    ``check_units=False`` is only for networks imported from files that declare no units (many
    SBML models); rate laws are then not checked for amount/time, and the importer must say so in
    the description. Every network jakstat builds itself is unit-checked.
    """

    name: str
    compartments: tuple[Compartment, ...]
    species: tuple[Species, ...]
    parameters: tuple[Parameter, ...]
    reactions: tuple[Reaction, ...]
    events: tuple[Event, ...] = ()
    description: str = ""
    check_units: bool = True
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        from jakstat.network.validate import validate_network

        validate_network(self)
        index = {x.id: x for group in (self.compartments, self.species, self.parameters, self.reactions, self.events)
                 for x in group}
        object.__setattr__(self, "_index", index)

    # look-ups -----------------------------------------------------------------------------
    def __getitem__(self, ident: str):
        try:
            return self._index[ident]
        except KeyError:
            from jakstat.errors import UnknownNameError

            raise UnknownNameError("model id", ident, self._index) from None

    def __contains__(self, ident: str) -> bool:
        return ident in self._index

    @property
    def species_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.species)

    @property
    def parameter_ids(self) -> tuple[str, ...]:
        return tuple(p.id for p in self.parameters)

    def compartment_of(self, species_id: str) -> Compartment:
        return self[self[species_id].compartment]


def merge(*networks: Network, name: str | None = None) -> Network:
    """Compose networks: the union of their parts.

    Parts with the same id must be identical (a shared STAT pool, a shared compartment);
    otherwise :class:`NetworkError` names the id and the networks that disagree.
    """
    if not networks:
        raise NetworkError("merge needs at least one network")
    parts: dict[str, dict[str, object]] = {k: {} for k in ("compartments", "species", "parameters", "reactions", "events")}
    origin: dict[str, str] = {}
    for net in networks:
        for kind, store in parts.items():
            for item in getattr(net, kind):
                if item.id in store and store[item.id] != item:
                    raise NetworkError(
                        f"cannot merge: {kind[:-1]} {item.id!r} differs between {origin[item.id]!r} and {net.name!r}"
                    )
                store.setdefault(item.id, item)
                origin.setdefault(item.id, net.name)
    return Network(
        name=name or "+".join(n.name for n in networks),
        description="; ".join(n.description for n in networks if n.description),
        check_units=all(n.check_units for n in networks),
        **{k: tuple(v.values()) for k, v in parts.items()},
    )
