"""Checks run whenever a :class:`~jakstat.network.model.Network` is built.

All problems are collected and reported together, one line each, naming the part at fault.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pint
import sympy

from jakstat.errors import NetworkError, UnitError
from jakstat.units import Quantity, parse_unit, ureg

if TYPE_CHECKING:
    from jakstat.network.model import Network

AMOUNT_PER_TIME = Quantity(1, "nmol/s").dimensionality
CONCENTRATION = Quantity(1, "nM").dimensionality
VOLUME = Quantity(1, "L").dimensionality


def symbol_units(net: "Network") -> dict[str, pint.Unit]:
    """The unit of every symbol a rate law may use: species, parameters, compartments, ``time``."""
    units: dict[str, pint.Unit] = {"time": ureg.second}
    for c in net.compartments:
        units[c.id] = parse_unit(c.unit)
    for s in net.species:
        units[s.id] = parse_unit(s.unit)
    for p in net.parameters:
        units[p.id] = parse_unit(p.unit)
    return units


def unit_of(expr: sympy.Expr, units: dict[str, pint.Unit]) -> pint.Unit:
    """The unit of a sympy expression whose symbols have the given units.

    Sums must add like units; powers with a symbolic exponent need a dimensionless base;
    functions (exp, log, ...) need dimensionless arguments. Raises :class:`UnitError`.
    """
    if expr.is_Number:
        return ureg.dimensionless
    if expr.is_Symbol:
        if expr.name not in units:
            raise UnitError(f"unknown symbol {expr.name!r}")
        return units[expr.name]
    if expr.is_Add:
        terms = [unit_of(a, units) for a in expr.args]
        first = Quantity(1, terms[0])
        for t in terms[1:]:
            if Quantity(1, t).dimensionality != first.dimensionality:
                raise UnitError(f"adds {first.units:~P} to {t:~P} in {expr}")
        return terms[0]
    if expr.is_Mul:
        result = ureg.dimensionless
        for a in expr.args:
            result = result * unit_of(a, units)
        return result
    if expr.is_Pow:
        base, exponent = expr.args
        base_unit = unit_of(base, units)
        if exponent.is_Number:
            return base_unit ** float(exponent)
        if Quantity(1, base_unit).dimensionality:
            raise UnitError(f"{base} has unit {base_unit:~P} but is raised to a symbolic power in {expr}")
        if Quantity(1, unit_of(exponent, units)).dimensionality:
            raise UnitError(f"exponent {exponent} is not dimensionless in {expr}")
        return ureg.dimensionless
    if isinstance(expr, (sympy.Piecewise,)):
        return unit_of(expr.args[0][0], units)
    if isinstance(expr, (sympy.Max, sympy.Min)):
        return unit_of(sympy.Add(*expr.args), units)
    if isinstance(expr, sympy.Function):
        for a in expr.args:
            if Quantity(1, unit_of(a, units)).dimensionality:
                raise UnitError(f"argument {a} of {expr.func.__name__} is not dimensionless")
        return ureg.dimensionless
    raise UnitError(f"cannot work out the unit of {expr} ({type(expr).__name__})")


def validate_network(net: "Network") -> None:
    """Raise :class:`NetworkError` listing every problem found in ``net``."""
    problems: list[str] = []
    seen: dict[str, str] = {}
    for kind, group in (("compartment", net.compartments), ("species", net.species),
                        ("parameter", net.parameters), ("reaction", net.reactions), ("event", net.events)):
        for item in group:
            if item.id in seen:
                problems.append(f"id {item.id!r} is used by a {seen[item.id]} and a {kind}")
            seen[item.id] = kind
    compartments = {c.id for c in net.compartments}
    species = {s.id: s for s in net.species}
    parameters = {p.id: p for p in net.parameters}
    for c in net.compartments:
        if Quantity(1, parse_unit(c.unit)).dimensionality != VOLUME:
            problems.append(f"compartment {c.id!r}: unit {c.unit!r} is not a volume")
    for s in net.species:
        if s.compartment not in compartments:
            problems.append(f"species {s.id!r}: unknown compartment {s.compartment!r}; known: {sorted(compartments)}")
        if Quantity(1, parse_unit(s.unit)).dimensionality != CONCENTRATION:
            problems.append(f"species {s.id!r}: unit {s.unit!r} is not a concentration")
    if problems:
        raise NetworkError(f"network {net.name!r} is invalid:\n  " + "\n  ".join(problems))
    units = symbol_units(net)
    for r in net.reactions:
        for sid, _ in r.reactants + r.products:
            if sid not in species:
                problems.append(f"reaction {r.id!r}: unknown species {sid!r}")
        unknown = sorted(s.name for s in r.rate.free_symbols if s.name not in units)
        if unknown:
            problems.append(f"reaction {r.id!r}: rate law uses unknown ids {unknown}")
            continue
        if not net.check_units:
            continue
        try:
            unit = unit_of(r.rate, units)
        except UnitError as exc:
            problems.append(f"reaction {r.id!r}: {exc}")
            continue
        if Quantity(1, unit).dimensionality != AMOUNT_PER_TIME:
            problems.append(
                f"reaction {r.id!r}: rate law {r.rate} has unit {unit:~P}, not amount/time (e.g. nmol/s); "
                "multiply a concentration rate by the compartment volume"
            )
    for e in net.events:
        for a in e.assignments:
            if a.target in species:
                expected = CONCENTRATION
            elif a.target in parameters:
                expected = Quantity(1, parse_unit(parameters[a.target].unit)).dimensionality
            else:
                problems.append(f"event {e.id!r}: target {a.target!r} is not a species or parameter")
                continue
            if Quantity(1, parse_unit(a.unit)).dimensionality != expected:
                problems.append(f"event {e.id!r}: value for {a.target!r} in {a.unit!r} has the wrong dimension")
        if Quantity(1, parse_unit(e.time_unit)).dimensionality != Quantity(1, "s").dimensionality:
            problems.append(f"event {e.id!r}: time unit {e.time_unit!r} is not a time")
    if problems:
        raise NetworkError(f"network {net.name!r} is invalid:\n  " + "\n  ".join(problems))
