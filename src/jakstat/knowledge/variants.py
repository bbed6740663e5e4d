"""STAT variants of ``variant_stat.csv``.

A row names a specific protein change in HGVS form with its one-letter short form in
parentheses (``"p.Ala635Val (A635V)"``); when the short form is absent it is derived from the
three-letter form. Rows that describe a set or class of variants (``"three heterozygous
missense variants (set)"``, ``">105 GoF mutations ..."``, ``"STAT3-GOF syndrome (class)"``)
name no single protein change and are not variants here (they stay in the table).

A change is looked up by its short form (``"A635V"``) or its HGVS form (``"p.Ala635Val"``, the
``p.`` optional), case-insensitively.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from jakstat.data import load_table, verified_flag
from jakstat.errors import TableError, UnknownNameError

AMINO_ACIDS = {
    "Ala": "A", "Arg": "R", "Asn": "N", "Asp": "D", "Cys": "C", "Gln": "Q", "Glu": "E",
    "Gly": "G", "His": "H", "Ile": "I", "Leu": "L", "Lys": "K", "Met": "M", "Phe": "F",
    "Pro": "P", "Ser": "S", "Thr": "T", "Trp": "W", "Tyr": "Y", "Val": "V", "Ter": "*",
}
"""Three-letter -> one-letter amino-acid codes (``Ter`` -> ``*``)."""
_ONE_TO_THREE = {one: three for three, one in AMINO_ACIDS.items()}

_THREE = "|".join(AMINO_ACIDS)
_HGVS = re.compile(rf"^(?:p\.)?({_THREE})(\d+)({_THREE}|del|dup)$", re.IGNORECASE)
_SHORT = re.compile(r"^([ACDEFGHIKLMNPQRSTVWY*])(\d+)([ACDEFGHIKLMNPQRSTVWY*]|del|dup)$", re.IGNORECASE)
_CELL = re.compile(r"^(p\.\S+)\s*(?:\((\S+)\))?$")


def _three(code: str) -> str:
    return next(t for t in AMINO_ACIDS if t.lower() == code.lower())


def hgvs_to_short(change: str) -> str:
    """Return the one-letter form of an HGVS protein change.

    Examples
    --------
    >>> hgvs_to_short("p.Ala635Val")
    'A635V'
    >>> hgvs_to_short("p.Glu616del")
    'E616del'
    """
    match = _HGVS.match(change.strip())
    if match is None:
        raise ValueError(f"{change!r} is not an HGVS protein substitution/deletion like p.Ala635Val")
    ref, position, alt = match.groups()
    alt_short = alt.lower() if alt.lower() in ("del", "dup") else AMINO_ACIDS[_three(alt)]
    return f"{AMINO_ACIDS[_three(ref)]}{position}{alt_short}"


def short_to_hgvs(change: str) -> str:
    """Return the HGVS (three-letter) form of a one-letter protein change.

    Examples
    --------
    >>> short_to_hgvs("A635V")
    'p.Ala635Val'
    """
    match = _SHORT.match(change.strip())
    if match is None:
        raise ValueError(f"{change!r} is not a one-letter protein change like A635V")
    ref, position, alt = match.groups()
    alt_long = alt.lower() if alt.lower() in ("del", "dup") else _ONE_TO_THREE[alt.upper()]
    return f"p.{_ONE_TO_THREE[ref.upper()]}{position}{alt_long}"


def change_key(change: str) -> str | None:
    """Return the canonical short form of a change given in either form, or None if neither.

    Examples
    --------
    >>> change_key("p.ala635val"), change_key("a635v"), change_key("635")
    ('A635V', 'A635V', None)
    """
    text = change.strip()
    if _HGVS.match(text):
        return hgvs_to_short(text)
    match = _SHORT.match(text)
    if match:
        ref, position, alt = match.groups()
        alt = alt.lower() if alt.lower() in ("del", "dup") else alt.upper()
        return f"{ref.upper()}{position}{alt}"
    return None


@dataclass(frozen=True)
class Variant:
    """A specific STAT protein change.

    Attributes
    ----------
    gene : str
        ``"STAT4"``.
    protein_change_short : str
        One-letter form, ``"A635V"``.
    protein_change_hgvs : str
        HGVS form, ``"p.Ala635Val"``.
    functional_class : str
        ``"gain of function"``.
    disease : str
        The table's text.
    source : str
        The row's ``source``.
    verified : bool
        The row's ``verified`` flag (the STAT4 protein changes are ``False``: seen only in a
        secondary report).
    cdna, transcript, domain, zygosity_inheritance : str
        The table's text (may be empty).
    """

    gene: str
    protein_change_short: str
    protein_change_hgvs: str
    functional_class: str
    disease: str
    source: str
    verified: bool
    cdna: str = ""
    transcript: str = ""
    domain: str = ""
    zygosity_inheritance: str = ""

    @property
    def name(self) -> str:
        """Identifier ``GENE_SHORT``, e.g. ``"STAT4_A635V"``."""
        return f"{self.gene}_{self.protein_change_short}"


def _variant_from_row(row: dict[str, str], number: int) -> Variant | None:
    match = _CELL.match(row["variant_protein"].strip())
    if match is None:
        return None  # a set or class of variants
    hgvs, short = match.groups()
    try:
        derived = hgvs_to_short(hgvs)
    except ValueError as exc:
        raise TableError("variant_stat.csv", number, "variant_protein", row["variant_protein"], str(exc)) from None
    if short is not None and change_key(short) != derived:
        raise TableError(
            "variant_stat.csv", number, "variant_protein", row["variant_protein"],
            f"the short form {short!r} does not match {hgvs!r} (expected {derived!r})",
        )
    return Variant(
        gene=row["gene"], protein_change_short=derived, protein_change_hgvs=hgvs,
        functional_class=row["functional_class"], disease=row["disease"], source=row["source"],
        verified=verified_flag(row["verified"]), cdna=row["variant_cdna"],
        transcript=row["transcript"], domain=row["domain"],
        zygosity_inheritance=row["zygosity_inheritance"],
    )


@functools.lru_cache(maxsize=1)
def _variants_by_gene() -> dict[str, dict[str, Variant]]:
    result: dict[str, dict[str, Variant]] = {}
    rows = load_table("variant_stat").to_dict(orient="records")
    for number, row in enumerate(rows, start=1):
        variant = _variant_from_row(row, number)
        if variant is not None:
            result.setdefault(variant.gene.upper(), {})[variant.protein_change_short] = variant
    return result


def variants() -> tuple[Variant, ...]:
    """Return the specific variants of ``variant_stat.csv``, in table order."""
    return tuple(v for by_change in _variants_by_gene().values() for v in by_change.values())


def variant_genes() -> tuple[str, ...]:
    """Return the genes that have at least one specific variant, sorted."""
    return tuple(sorted(_variants_by_gene()))


def get_variant(gene: str, change: str | None = None) -> Variant:
    """Return a variant by gene and protein change.

    Parameters
    ----------
    gene : str
        Gene symbol (any case), e.g. ``"STAT4"``; or, with ``change`` omitted, the whole name
        ``"STAT4:A635V"``, ``"STAT4_A635V"`` or ``"STAT4 p.Ala635Val"``.
    change : str, optional
        ``"A635V"`` or ``"p.Ala635Val"`` (any case).

    Returns
    -------
    Variant

    Raises
    ------
    jakstat.errors.UnknownNameError
        For an unknown gene (``unknown variant gene 'STAT9'; known: STAT1, STAT3, STAT4``) or
        change (``unknown STAT4 variant 'A999V'; known: A635V, A650D, H623Y``).

    Examples
    --------
    >>> get_variant("stat4", "p.Ala635Val").protein_change_short
    'A635V'
    """
    if change is None:
        parts = re.split(r"[:_\s]+", gene.strip(), maxsplit=1)
        if len(parts) != 2:
            raise UnknownNameError("variant", gene, (v.name for v in variants()))
        gene, change = parts
    by_change = _variants_by_gene().get(gene.strip().upper())
    if by_change is None:
        raise UnknownNameError("variant gene", gene, _variants_by_gene())
    key = change_key(change)
    variant = by_change.get(key) if key is not None else None
    if variant is None:
        raise UnknownNameError(f"{gene.strip().upper()} variant", change, by_change)
    return variant
