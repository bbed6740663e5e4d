"""Error types of jakstat.

Every error names the field, the bad value and what is allowed, so that a user can fix the
input without reading code. All subclass :class:`JakstatError` and a builtin (mostly
``ValueError``) so that callers can catch either.
"""

from __future__ import annotations

from collections.abc import Iterable


class JakstatError(Exception):
    """Base class of all errors raised on purpose by jakstat."""


class UnknownNameError(JakstatError, ValueError):
    """A name (cytokine, drug, cell type, variant, species, ...) that is not known.

    The message lists the known names: ``unknown cytokine 'IL-66'; known: IL-2, IL-6, ...``.
    """

    def __init__(self, kind: str, name: str, known: Iterable[str]):
        self.kind = kind
        self.name = name
        self.known = sorted(set(known))
        super().__init__(f"unknown {kind} {name!r}; known: {', '.join(self.known)}")


class TableError(JakstatError, ValueError):
    """A packaged or user-supplied table has a malformed row.

    The message names the file, the row (1-based data row, header not counted), the column and
    the bad value.
    """

    def __init__(self, file: str, row: int | None, column: str | None, value: object, reason: str):
        self.file, self.row, self.column, self.value, self.reason = file, row, column, value, reason
        where = file
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: bad value {value!r}: {reason}")


class UnitError(JakstatError, ValueError):
    """A quantity has a unit of the wrong dimension, or a unit that cannot be parsed."""


class InvalidValueError(JakstatError, ValueError):
    """A value outside its allowed range (a negative concentration, a zero cell number, ...)."""


class ProvenanceError(JakstatError, ValueError):
    """A model parameter without provenance (table row, calibration, or 'assumed' with a reason)."""


class GenotypeError(JakstatError, ValueError):
    """A genotype string that does not parse or names an unknown gene or variant."""


class NetworkError(JakstatError, ValueError):
    """A reaction network that is inconsistent (unknown species, unit mismatch, duplicate id)."""


class SBMLError(JakstatError, ValueError):
    """An SBML document that cannot be read or that uses features jakstat cannot represent."""


class SimulationError(JakstatError, RuntimeError):
    """The integrator failed (too many steps, step size underflow, non-finite state)."""
