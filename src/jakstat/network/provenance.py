"""Where a number in the model comes from.

Every parameter, initial concentration and compartment size carries exactly one provenance:

- :class:`TableSource`: a row of a packaged literature table (file, row key, the row's source).
- :class:`Calibration`: a named, stored calibration against named data.
- :class:`Assumed`: an explicit assumption, with the reason it was made (required, non-empty).
- :class:`Input`: a condition the user sets (a dose, a cell number, a medium volume).
- :class:`Derived`: computed by the model from values that have provenance (a steady state).

A parameter without provenance cannot be constructed (:class:`jakstat.errors.ProvenanceError`).
"""

from __future__ import annotations

from dataclasses import dataclass

from jakstat.errors import ProvenanceError


@dataclass(frozen=True)
class TableSource:
    """A value read from a row of a packaged table.

    Attributes
    ----------
    table : str
        Table file stem, e.g. ``"kinetics_il6_jak_stat"``.
    key : str
        The row's identifying key, e.g. ``"Singh2006_IL6/kf0"``.
    source : str
        The literature reference of the row (the table's ``source`` column).
    verified : bool
        The table's ``verified`` column: whether the value was seen in its source.
    note : str
        How the value was used, when not verbatim (e.g. "used for the soluble receptor too").
    """

    table: str
    key: str
    source: str
    verified: bool
    note: str = ""

    kind = "table"

    def __post_init__(self) -> None:
        if not self.table or not self.key or not self.source.strip():
            raise ProvenanceError(f"table provenance needs table, key and source; got {self!r}")

    def describe(self) -> str:
        text = f"{self.table}.csv [{self.key}]: {self.source}"
        if not self.verified:
            text += " (verified=no)"
        if self.note:
            text += f"; {self.note}"
        return text


@dataclass(frozen=True)
class Calibration:
    """A value fitted by a named calibration (stored with its targets, result and date)."""

    name: str
    targets: str = ""

    kind = "calibrated"

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ProvenanceError("a calibration provenance needs the calibration's name")

    def describe(self) -> str:
        return f"calibrated: {self.name}" + (f" against {self.targets}" if self.targets else "")


@dataclass(frozen=True)
class Assumed:
    """An assumption, made explicit. ``reason`` says why this value and why no source."""

    reason: str

    kind = "assumed"

    def __post_init__(self) -> None:
        if not self.reason or len(self.reason.strip()) < 10:
            raise ProvenanceError(
                f"an 'assumed' provenance needs a reason of at least 10 characters; got {self.reason!r}"
            )

    def describe(self) -> str:
        return f"assumed: {self.reason}"


@dataclass(frozen=True)
class Input:
    """A condition set by the user or by a protocol (``field`` names the input)."""

    field: str

    kind = "input"

    def __post_init__(self) -> None:
        if not self.field.strip():
            raise ProvenanceError("an input provenance needs the input field's name")

    def describe(self) -> str:
        return f"input: {self.field}"


@dataclass(frozen=True)
class Derived:
    """A value computed by the model from other values that have provenance (e.g. a steady state)."""

    how: str

    kind = "derived"

    def __post_init__(self) -> None:
        if not self.how.strip():
            raise ProvenanceError("a derived provenance must say how the value was computed")

    def describe(self) -> str:
        return f"derived: {self.how}"


Provenance = TableSource | Calibration | Assumed | Input | Derived
PROVENANCE_TYPES = (TableSource, Calibration, Assumed, Input, Derived)


def require_provenance(owner: str, provenance: object) -> None:
    """Raise :class:`ProvenanceError` naming ``owner`` unless ``provenance`` is a provenance record."""
    if not isinstance(provenance, PROVENANCE_TYPES):
        raise ProvenanceError(
            f"{owner} has no provenance (got {provenance!r}); give a TableSource, Calibration, "
            "Assumed(reason) or Input(field)"
        )
