"""Reading numbers out of the pharmacology tables (private helpers).

The tables keep values as printed (``"0.50"``, ``"2-4"``, ``"<0.60"``, ``"5;10;15"``) and put some
numbers in free text (``notes``: ``"absorption lag 0.147 h"``). These helpers turn such cells into
floats and a :class:`~jakstat.network.provenance.TableSource` naming the row, so that every number
the pharmacology layer uses can be traced to its cell.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from jakstat.data import load_table, verified_flag
from jakstat.network.provenance import TableSource

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_RANGE = re.compile(rf"^\s*({_NUMBER})\s*-\s*({_NUMBER})\s*$")
_BOUND = re.compile(rf"^\s*([<>~=])\s*({_NUMBER})\s*$")
_PLAIN = re.compile(rf"^\s*({_NUMBER})\s*$")
_CV = re.compile(rf"(?:\bCV|\bBSV|\bIIV)\D{{0,12}}?({_NUMBER})\s*%", re.IGNORECASE)


def parse_value(text: str) -> tuple[float, str]:
    """Read a printed value: a number, a range ``a-b`` (midpoint) or a bound ``<a``/``>a`` (the bound).

    Parameters
    ----------
    text : str
        The cell as printed.

    Returns
    -------
    (float, str)
        The number and a note saying how it was read (empty for a plain number).

    Raises
    ------
    ValueError
        If the cell is not a number, a range or a bound.

    Examples
    --------
    >>> parse_value("2-4")
    (3.0, 'midpoint of the printed range 2-4')
    >>> parse_value("<0.60")[0]
    0.6
    """
    match = _PLAIN.match(text)
    if match:
        return float(match.group(1)), ""
    match = _RANGE.match(text)
    if match:
        low, high = float(match.group(1)), float(match.group(2))
        return (low + high) / 2.0, f"midpoint of the printed range {text.strip()}"
    match = _BOUND.match(text)
    if match:
        sign, number = match.groups()
        note = "" if sign in "=~" else f"printed as a bound ({text.strip()}); the bound is used"
        return float(number), note
    raise ValueError(f"cannot read {text!r} as a number, a range a-b or a bound <a / >a")


def parse_range(text: str) -> tuple[float, float]:
    """Return ``(low, high)`` of a printed value (equal for a plain number)."""
    match = _RANGE.match(text)
    if match:
        return float(match.group(1)), float(match.group(2))
    value, _ = parse_value(text)
    return value, value


def parse_cv(text: str) -> float | None:
    """Between-subject CV as a fraction from a ``variability`` cell (``"BSV 39.5% CV"`` -> 0.395).

    Confidence intervals (``"95% CI 18.6-21.8"``) and ranges are not variabilities: None.
    """
    match = _CV.search(text or "")
    return float(match.group(1)) / 100.0 if match else None


def number_in_text(text: str, pattern: str) -> float | None:
    """The number captured by ``pattern`` (one group) in free text, or None."""
    match = re.search(pattern, text or "", re.IGNORECASE)
    return float(match.group(1)) if match else None


def row_key(table: str, row: pd.Series | dict) -> str:
    """The identifying key of a row (the table's KEY columns joined by ``/``)."""
    from jakstat.data.schema import ROW_MODELS

    return "/".join(str(row[c]) for c in ROW_MODELS[table].KEY)


def source_of(table: str, row: pd.Series | dict, note: str = "") -> TableSource:
    """A :class:`TableSource` for one row of a packaged table."""
    return TableSource(table=table, key=row_key(table, row), source=str(row["source"]),
                       verified=verified_flag(str(row["verified"])), note=note)


def drug_rows(table: str, drug: str) -> pd.DataFrame:
    """The rows of ``table`` for ``drug`` (table order)."""
    frame = load_table(table)
    return frame[frame["drug"] == drug]


def prefer_verified(rows: Iterable[dict]) -> list[dict]:
    """Rows ordered verified first, table order otherwise (a stable sort)."""
    return sorted(rows, key=lambda r: 0 if verified_flag(str(r["verified"])) else 1)
