"""Name lookup shared by the knowledge records: case-insensitive, alias-aware.

A name is normalised before comparison: Greek letters are spelled out (``"IFN-γ"`` ->
``"ifn-gamma"``), case is folded, and spaces, hyphens, underscores and dots are dropped, so
``"IL-6"``, ``"il6"`` and ``"IL 6"`` are the same key. Two records may not share a key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

from jakstat.errors import UnknownNameError

T = TypeVar("T")

_GREEK = {"α": "alpha", "β": "beta", "γ": "gamma", "λ": "lambda", "κ": "kappa"}
_DROP = re.compile(r"[\s\-_.]+")


def normalise(name: str) -> str:
    """Return the lookup key of a name.

    Parameters
    ----------
    name : str
        A canonical name or an alias.

    Returns
    -------
    str
        Case-folded, Greek letters (either case) spelled out, without spaces, ``-``, ``_`` or ``.``.

    Examples
    --------
    >>> normalise("IFN-γ")
    'ifngamma'
    >>> normalise("IL-6") == normalise("il6")
    True
    """
    text = name.strip().casefold()
    for letter, word in _GREEK.items():
        text = text.replace(letter, word)
    return _DROP.sub("", text)


class Registry(Generic[T]):
    """Records of one kind, found by canonical name or alias.

    Parameters
    ----------
    kind : str
        Word used in error messages (``"cytokine"``).
    records : iterable
        The records, in their canonical order.
    names : callable
        Record -> its canonical name followed by its aliases.

    Raises
    ------
    ValueError
        If two records share a lookup key (a curation error in the packaged tables).
    """

    def __init__(self, kind: str, records: Iterable[T], names: Callable[[T], Iterable[str]]):
        self.kind = kind
        self.records: tuple[T, ...] = tuple(records)
        self.canonical: tuple[str, ...] = ()
        self._by_key: dict[str, T] = {}
        canonical = []
        for record in self.records:
            record_names = list(names(record))
            canonical.append(record_names[0])
            for name in record_names:
                key = normalise(name)
                other = self._by_key.get(key)
                if other is not None and other is not record:
                    raise ValueError(f"{kind} name {name!r} is ambiguous: it names two records")
                self._by_key[key] = record
        self.canonical = tuple(canonical)

    def get(self, name: str) -> T:
        """Return the record named ``name`` (canonical or alias, any case).

        Raises
        ------
        jakstat.errors.UnknownNameError
            If no record has that name; the message lists the canonical names.
        """
        record = self._by_key.get(normalise(name)) if isinstance(name, str) else None
        if record is None:
            raise UnknownNameError(self.kind, name, self.canonical)
        return record

    def find(self, name: str) -> T | None:
        """Return the record named ``name``, or None."""
        return self._by_key.get(normalise(name))
