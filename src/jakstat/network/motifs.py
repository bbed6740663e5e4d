"""Reaction motifs: turn a reaction equation and rate-constant ids into a :class:`Reaction`.

Equations are written ``"A + 2 B <-> C"`` (reversible) or ``"A -> B + C"``; an empty side is a
source (``"-> mRNA"``) or a sink (``"SOCS3 ->"``). The mass-action rate is extensive: it is
multiplied by the volume of the compartment where the reaction happens, so that it is in
amount/time whatever compartments the species live in.
"""

from __future__ import annotations

import re

import sympy

from jakstat.errors import NetworkError
from jakstat.network.model import Reaction

_TERM = re.compile(r"^\s*(?:(\d+)\s*\*?\s*)?([A-Za-z_][A-Za-z0-9_]*)\s*$")
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FUNCTIONS = {"exp", "log", "sqrt", "Max", "Min", "Piecewise"}


def parse_equation(equation: str) -> tuple[tuple[tuple[str, int], ...], tuple[tuple[str, int], ...], bool]:
    """Split ``"A + 2 B <-> C"`` into reactants, products and reversibility."""
    if "<->" in equation:
        left, right = equation.split("<->", 1)
        reversible = True
    elif "->" in equation:
        left, right = equation.split("->", 1)
        reversible = False
    else:
        raise NetworkError(f"reaction equation {equation!r} has no '->' or '<->'")
    return _side(left, equation), _side(right, equation), reversible


def _side(text: str, equation: str) -> tuple[tuple[str, int], ...]:
    text = text.strip()
    if not text:
        return ()
    counts: dict[str, int] = {}
    for term in text.split("+"):
        match = _TERM.match(term)
        if not match:
            raise NetworkError(f"cannot read {term.strip()!r} in reaction equation {equation!r}")
        n, sid = match.groups()
        counts[sid] = counts.get(sid, 0) + int(n or 1)
    return tuple(counts.items())


def _product(side: tuple[tuple[str, int], ...]) -> sympy.Expr:
    expr = sympy.Integer(1)
    for sid, n in side:
        expr = expr * sympy.Symbol(sid) ** n
    return expr


def mass_action(ident: str, equation: str, kf: str, kr: str | None = None, *, compartment: str,
                description: str = "") -> Reaction:
    """A mass-action reaction ``kf * prod(reactants) * V`` (minus ``kr * prod(products) * V``).

    Parameters
    ----------
    ident : str
        Reaction id.
    equation : str
        ``"A + B <-> C"``; a reversible equation needs ``kr``.
    kf, kr : str
        Ids of the forward and reverse rate constants (units conc^(1-order)/time).
    compartment : str
        Id of the compartment whose volume ``V`` makes the rate extensive.
    """
    reactants, products, reversible = parse_equation(equation)
    if reversible and kr is None:
        raise NetworkError(f"reaction {ident!r}: {equation!r} is reversible but has no reverse rate constant")
    if not reversible and kr is not None:
        raise NetworkError(f"reaction {ident!r}: {equation!r} is irreversible but has a reverse rate constant {kr!r}")
    volume = sympy.Symbol(compartment)
    rate = sympy.Symbol(kf) * _product(reactants) * volume
    if kr is not None:
        rate = rate - sympy.Symbol(kr) * _product(products) * volume
    return Reaction(ident, reactants, products, rate, description=description, reversible=reversible)


def rate_law(ident: str, equation: str, rate: str, *, description: str = "") -> Reaction:
    """A reaction with a general rate law (a formula over model ids, in amount/time).

    Symbols in the formula that appear in the equation are reactants/products; any other
    species the formula reads becomes a modifier when the network is built.
    """
    reactants, products, reversible = parse_equation(equation)
    names = set(_IDENT.findall(rate)) - _FUNCTIONS
    local = {name: sympy.Symbol(name) for name in names}
    try:
        expr = sympy.parse_expr(rate, local_dict=local, evaluate=True)
    except Exception as exc:
        raise NetworkError(f"reaction {ident!r}: cannot read rate law {rate!r}: {exc}") from None
    return Reaction(ident, reactants, products, expr, description=description, reversible=reversible)
