"""Verbs that return a changed copy of a network (networks are immutable)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from jakstat.network.model import Event, Network
from jakstat.network.provenance import Provenance


def with_parameter(net: Network, parameter_id: str, value: float, provenance: Provenance,
                   unit: str | None = None) -> Network:
    """Copy of ``net`` with one parameter's value (in ``unit``, default its own) and provenance replaced."""
    old = net[parameter_id]
    new = replace(old, value=float(value), unit=unit or old.unit, provenance=provenance)
    return replace(net, parameters=tuple(new if p.id == parameter_id else p for p in net.parameters))


def with_initial_values(net: Network, values: Mapping[str, float], provenance: Provenance,
                        unit: str = "nM") -> Network:
    """Copy of ``net`` with initial concentrations (in ``unit``) of some species replaced."""
    for sid in values:
        net[sid]  # raises UnknownNameError naming the known ids
    species = tuple(replace(s, initial=float(values[s.id]), unit=unit, provenance=provenance)
                    if s.id in values else s for s in net.species)
    return replace(net, species=species)


def with_compartment_sizes(net: Network, sizes: Mapping[str, float], provenance: Mapping[str, Provenance],
                           unit: str = "L") -> Network:
    """Copy of ``net`` with compartment volumes (in ``unit``) replaced, each with its provenance."""
    for cid in sizes:
        net[cid]
    compartments = tuple(replace(c, size=float(sizes[c.id]), unit=unit, provenance=provenance[c.id])
                         if c.id in sizes else c for c in net.compartments)
    return replace(net, compartments=compartments)


def with_events(net: Network, events: Iterable[Event]) -> Network:
    """Copy of ``net`` with events added."""
    return replace(net, events=net.events + tuple(events))


def without_reactions(net: Network, reaction_ids: Iterable[str]) -> Network:
    """Copy of ``net`` without the named reactions (e.g. to cut a feedback loop in an experiment)."""
    drop = set(reaction_ids)
    for rid in drop:
        net[rid]
    return replace(net, reactions=tuple(r for r in net.reactions if r.id not in drop))
