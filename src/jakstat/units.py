"""Units: one pint registry for the whole package, and the model's canonical unit system.

The numeric model is written in a coherent unit system: amount in nmol, volume in L, time in s,
so concentrations are in nM (nmol/L) and every rate law evaluates to nmol/s. Every parameter is
stored with the unit its source printed and converted to this system when a network is compiled.
"""

from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache

import pint

from jakstat.errors import UnitError

ureg = pint.UnitRegistry()
Quantity = ureg.Quantity

#: Canonical units of the numeric model, by pint base dimension.
CANONICAL_BASE = {"[substance]": "nmol", "[length]": "L", "[time]": "s", "[mass]": "g"}
#: Canonical unit of each kind of model quantity.
CONCENTRATION_UNIT = "nM"
AMOUNT_UNIT = "nmol"
VOLUME_UNIT = "L"
TIME_UNIT = "s"

#: Kinds of quantity an input may be, with the units a message suggests for each.
KIND_EXAMPLES = {
    "concentration": "nM, pM, uM",
    "mass concentration": "ng/mL, pg/mL",
    "amount": "nmol, pmol",
    "volume": "L, mL",
    "time": "s, min, h",
    "mass": "mg, ug",
    "amount per time": "nmol/s",
}


@lru_cache(maxsize=4096)
def parse_unit(unit: str) -> pint.Unit:
    """Parse a unit string (``'nM^-1 s^-1'``, ``'1/min'``, ``'dimensionless'``) into a pint unit.

    Raises :class:`UnitError` naming the string when pint cannot read it.
    """
    text = unit.strip()
    if text in ("", "1", "dimensionless"):
        return ureg.dimensionless
    try:
        return ureg.Unit(text)
    except Exception as exc:  # pint raises several unrelated types
        raise UnitError(f"cannot read unit {unit!r}: {exc}") from None


def canonical_unit(unit: str) -> pint.Unit:
    """The canonical unit (nmol, L, s, g) with the same dimension as ``unit``.

    A length dimension must come in whole volumes (``[length]**3k``); anything else, or a
    dimension outside amount, volume, time and mass, raises :class:`UnitError`.
    """
    dims = Quantity(1, parse_unit(unit)).dimensionality
    result = ureg.dimensionless
    for dim, power in dims.items():
        if dim not in CANONICAL_BASE:
            raise UnitError(f"unit {unit!r} has dimension {dim}, which the model does not use")
        p = Fraction(power).limit_denominator(12)
        if dim == "[length]":
            if p % 3 != 0:
                raise UnitError(f"unit {unit!r} has length to the power {p}; only volumes are allowed")
            p = p / 3
        result = result * ureg.Unit(CANONICAL_BASE[dim]) ** float(p)
    return result


def to_canonical(value: float, unit: str) -> float:
    """Convert ``value`` in ``unit`` to the magnitude in the canonical unit system."""
    return float(Quantity(value, parse_unit(unit)).to(canonical_unit(unit)).magnitude)


def canonical_exponents(unit: str) -> dict[str, float]:
    """Exponents of nmol, L, s and g in the canonical form of ``unit`` (for SBML unit definitions)."""
    dims = Quantity(1, parse_unit(unit)).dimensionality
    out: dict[str, float] = {}
    for dim, power in dims.items():
        out[CANONICAL_BASE[dim]] = float(power) / (3.0 if dim == "[length]" else 1.0)
    return out


def check_dimension(quantity: pint.Quantity, kinds: str | tuple[str, ...], field: str) -> str:
    """Return which of ``kinds`` the quantity is; raise :class:`UnitError` if it is none of them.

    ``field`` names the input that carried the quantity, for the message, which lists the units
    that would have been accepted.
    """
    kinds = (kinds,) if isinstance(kinds, str) else kinds
    for kind in kinds:
        example = KIND_EXAMPLES[kind].split(",")[0]
        if quantity.dimensionality == Quantity(1, example).dimensionality:
            return kind
    allowed = "; ".join(f"a {k} ({KIND_EXAMPLES[k]})" for k in kinds)
    raise UnitError(f"{field}: {quantity:~P} has the wrong unit; expected {allowed}")


_QUANTITY_RE = re.compile(r"^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)\s*(.*?)\s*$")


def parse_quantity(text: str, field: str, kind: str | tuple[str, ...] | None = None) -> pint.Quantity:
    """Parse ``'10ng/mL'``, ``'48h'``, ``'0.5 nM'`` into a pint quantity.

    Parameters
    ----------
    text : str
        A number followed by a unit. A bare number (no unit) is an error: the model never guesses units.
    field : str
        The input that carried the text (``"t_end"``, ``"cytokines.IL-6"``), named in every error.
    kind : str or tuple of str, optional
        Kinds of quantity allowed (keys of :data:`KIND_EXAMPLES`, e.g. ``"time"``); when given, a
        quantity of another dimension is an error too, and every message says what was expected.

    Raises
    ------
    UnitError
        Naming ``field``, the bad text and the kind of unit allowed, e.g.
        ``t_end: cannot read unit 'apples' in '6 apples'; expected a time (s, min, h)``.
    """
    kinds = (kind,) if isinstance(kind, str) else tuple(kind or ())
    unknown = [k for k in kinds if k not in KIND_EXAMPLES]
    if unknown:
        raise UnitError(f"kind {unknown[0]!r} is not a kind of quantity; allowed: {', '.join(KIND_EXAMPLES)}")
    expected = ("; expected " + " or ".join(f"a {k} ({KIND_EXAMPLES[k]})" for k in kinds) if kinds
                else "; expected a number with a unit, e.g. '10 ng/mL' or '48 h'")
    match = _QUANTITY_RE.match(str(text))
    if not match:
        raise UnitError(f"{field}: cannot read {text!r} as a number with a unit{expected}")
    number, unit = match.groups()
    if not unit:
        example = KIND_EXAMPLES[kinds[0]].split(",")[0] if kinds else "ng/mL"
        raise UnitError(f"{field}: {text!r} has no unit; give one, e.g. '{number} {example}'"
                        + ("" if kinds else f" or '{number} h'"))
    try:
        quantity = Quantity(float(number), parse_unit(unit))
    except UnitError:
        raise UnitError(f"{field}: cannot read unit {unit!r} in {str(text)!r}{expected}") from None
    if kinds:
        check_dimension(quantity, kinds, field)
    return quantity
