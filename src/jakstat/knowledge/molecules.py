"""JAKs, STATs and STAT target genes.

The four JAKs (JAK1, JAK2, JAK3, TYK2) and seven STATs (STAT1, STAT2, STAT3, STAT4, STAT5A,
STAT5B, STAT6) are fixed families; :func:`jak_tokens` and :func:`stat_tokens` read them from the
free text of the tables. A bare ``STAT5`` (the tables' word when the two paralogues were not
told apart) stands for both STAT5A and STAT5B; ``ISGF3`` stands for STAT1 + STAT2 and ``GAF`` for
STAT1 (homodimer) where a gene's driver is named by its complex.

Target genes come from ``gene_targets.csv``; a row listing several genes (the 6-gene interferon
score ``"IFI27, IFI44L, IFIT1, ISG15, RSAD2, SIGLEC1"``) gives one :class:`Gene` per name, and a
name with a parenthesised symbol (``"CIS (CISH)"``) is named by the symbol, the other name
becoming an alias.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from jakstat.data import load_table, verified_flag
from jakstat.knowledge._lookup import Registry

JAK_NAMES = ("JAK1", "JAK2", "JAK3", "TYK2")
"""The Janus kinases, in canonical order."""
STAT_NAMES = ("STAT1", "STAT2", "STAT3", "STAT4", "STAT5A", "STAT5B", "STAT6")
"""The STATs, in canonical order."""

_JAK_TOKEN = re.compile(r"\b(JAK[123]|TYK2)\b", re.IGNORECASE)
_STAT_TOKEN = re.compile(r"\bSTAT\s?([1-6])([AB])?\b", re.IGNORECASE)
_COMPLEX_STATS = {"ISGF3": ("STAT1", "STAT2"), "GAF": ("STAT1",)}


@dataclass(frozen=True)
class Jak:
    """A Janus kinase.

    Attributes
    ----------
    name : str
        ``"JAK1"``, ``"JAK2"``, ``"JAK3"`` or ``"TYK2"``.
    """

    name: str


@dataclass(frozen=True)
class Stat:
    """A signal transducer and activator of transcription.

    Attributes
    ----------
    name : str
        ``"STAT1"`` ... ``"STAT6"``, with ``"STAT5A"`` and ``"STAT5B"`` apart.
    """

    name: str


@dataclass(frozen=True)
class Gene:
    """A STAT target gene of the model (one name of a ``gene_targets.csv`` row).

    Attributes
    ----------
    name : str
        HGNC-style symbol, e.g. ``"SOCS3"``, ``"CISH"``.
    driven_by : str
        The table's ``driven_by`` text (which pSTAT complex drives it).
    driving_stats : tuple of str
        STATs parsed from ``driven_by`` (complexes expanded: ISGF3 -> STAT1, STAT2).
    sign_of_feedback : str
        The table's text (e.g. ``"negative feedback on gp130/JAK1 ..."``).
    role_in_model : str
        The table's text.
    source : str
        The row's ``source``.
    verified : bool
        The row's ``verified`` flag.
    aliases : tuple of str
        Other names (``"CIS"`` for CISH).
    cell_type_context : str
        The table's text: where the link was described.
    """

    name: str
    driven_by: str
    driving_stats: tuple[str, ...]
    sign_of_feedback: str
    role_in_model: str
    source: str
    verified: bool
    aliases: tuple[str, ...] = ()
    cell_type_context: str = ""


def _ordered(found: set[str], order: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(name for name in order if name in found)


def jak_tokens(text: str) -> tuple[str, ...]:
    """Return the JAKs named in a text, unique, in canonical order.

    Examples
    --------
    >>> jak_tokens("gp130: JAK1 (major), Jak2, TYK2")
    ('JAK1', 'JAK2', 'TYK2')
    """
    return _ordered({m.group(1).upper() for m in _JAK_TOKEN.finditer(text)}, JAK_NAMES)


def stat_tokens(text: str) -> tuple[str, ...]:
    """Return the STATs named in a text, unique, in order of first mention.

    A bare ``STAT5`` gives STAT5A and STAT5B. Complex names are not expanded here (see
    :func:`driving_stats`).

    Examples
    --------
    >>> stat_tokens("STAT5, STAT3")
    ('STAT5A', 'STAT5B', 'STAT3')
    >>> stat_tokens("STAT5A/STAT5B")
    ('STAT5A', 'STAT5B')
    """
    names: list[str] = []
    for match in _STAT_TOKEN.finditer(text):
        number, paralogue = match.group(1), (match.group(2) or "").upper()
        expanded = [f"STAT5{paralogue}"] if number == "5" and paralogue else (
            ["STAT5A", "STAT5B"] if number == "5" else [f"STAT{number}"]
        )
        names.extend(name for name in expanded if name not in names)
    return tuple(names)


def driving_stats(text: str) -> tuple[str, ...]:
    """Return the STATs that drive a gene, from a ``driven_by`` text (complexes expanded).

    Examples
    --------
    >>> driving_stats("ISGF3/ISRE")
    ('STAT1', 'STAT2')
    """
    names = list(stat_tokens(text))
    for complex_name, members in _COMPLEX_STATS.items():
        if re.search(rf"\b{complex_name}\b", text):
            names.extend(member for member in members if member not in names)
    return tuple(names)


def jaks() -> tuple[Jak, ...]:
    """Return the four JAKs (JAK1, JAK2, JAK3, TYK2)."""
    return tuple(Jak(name) for name in JAK_NAMES)


def stats() -> tuple[Stat, ...]:
    """Return the seven STATs (STAT1, STAT2, STAT3, STAT4, STAT5A, STAT5B, STAT6)."""
    return tuple(Stat(name) for name in STAT_NAMES)


@functools.lru_cache(maxsize=1)
def _jak_registry() -> Registry[Jak]:
    return Registry("JAK", jaks(), lambda jak: [jak.name])


@functools.lru_cache(maxsize=1)
def _stat_registry() -> Registry[Stat]:
    return Registry("STAT", stats(), lambda stat: [stat.name])


def get_jak(name: str) -> Jak:
    """Return the JAK named ``name`` (any case); unknown -> :class:`~jakstat.errors.UnknownNameError`."""
    return _jak_registry().get(name)


def get_stat(name: str) -> Stat:
    """Return the STAT named ``name`` (any case); unknown -> :class:`~jakstat.errors.UnknownNameError`."""
    return _stat_registry().get(name)


def _split_gene_names(cell: str) -> list[tuple[str, tuple[str, ...]]]:
    result = []
    for part in cell.split(","):
        part = part.strip()
        match = re.fullmatch(r"(.+?)\s*\((.+)\)", part)
        if match:
            result.append((match.group(2).strip(), (match.group(1).strip(),)))
        else:
            result.append((part, ()))
    return result


@functools.lru_cache(maxsize=1)
def _gene_registry() -> Registry[Gene]:
    records = []
    for row in load_table("gene_targets").to_dict(orient="records"):
        for name, aliases in _split_gene_names(row["gene"]):
            records.append(Gene(
                name=name,
                driven_by=row["driven_by"],
                driving_stats=driving_stats(row["driven_by"]),
                sign_of_feedback=row["sign_of_feedback"],
                role_in_model=row["role_in_model"],
                source=row["source"],
                verified=verified_flag(row["verified"]),
                aliases=aliases,
                cell_type_context=row["cell_type_context"],
            ))
    return Registry("gene", records, lambda gene: [gene.name, *gene.aliases])


def genes() -> tuple[Gene, ...]:
    """Return the STAT target genes of ``gene_targets.csv``, one per gene name, in table order."""
    return _gene_registry().records


def get_gene(name: str) -> Gene:
    """Return the target gene named ``name`` (symbol or alias, any case).

    Raises
    ------
    jakstat.errors.UnknownNameError
        ``unknown gene 'SOCS9'; known: CISH, CRP, ...``.
    """
    return _gene_registry().get(name)
