"""Receptor complexes: chains and JAKs parsed from ``pathway_cytokine_receptors.csv``.

The table's ``receptor_chains`` and ``jak_per_chain`` cells are curated free text, e.g.
``"IL-6Ralpha (gp80, CD126) + gp130 (CD130) homodimer (hexamer 2:2:2)"`` and
``"IL-6Ralpha: none; gp130: JAK1 (major), JAK2, TYK2"``. The parse is deliberately simple and
keeps the raw text next to the result:

- chains: parentheses dropped; alternatives (``;``, ``or``, ``type I:``) merged; split on ``+``;
  words ``homodimer``/``complex``/``membrane`` dropped; a few synonyms unified
  (``common gamma chain`` -> ``gammac``, ``common beta chain`` -> ``beta c``,
  ``OSMR-beta`` -> ``OSMR``, ``soluble IL-6Ralpha`` -> ``sIL-6Ralpha``).
- JAKs: the ``jak_per_chain`` cell is split on ``;`` into ``chain: JAKs`` segments. A JAK named
  outside parentheses is one the receptor signals through (:attr:`ReceptorComplex.jaks`); a JAK
  named only inside parentheses (``"TYK2 (or JAK2)"``, ``"JAK2 (TYK2 also binds)"``) is an
  alternative or minor binder (:attr:`ReceptorComplex.minor_jaks`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jakstat.knowledge.molecules import jak_tokens

_PARENS = re.compile(r"\([^()]*\)")
_DROP_WORDS = re.compile(r"\b(homodimer|complex|membrane)\b", re.IGNORECASE)
_CHAIN_SYNONYMS = {
    "common gamma chain": "gammac",
    "common beta chain": "beta c",
    "OSMR-beta": "OSMR",
    "soluble IL-6Ralpha": "sIL-6Ralpha",
}


@dataclass(frozen=True)
class ChainJaks:
    """The JAKs of one segment of a ``jak_per_chain`` cell.

    Attributes
    ----------
    chain : str
        The segment's label (a chain name such as ``"gp130"``), or ``""`` when the segment names
        no chain (``"JAK2 on each chain"``).
    jaks : tuple of str
        JAKs named outside parentheses.
    minor_jaks : tuple of str
        JAKs named only inside parentheses (alternatives, minor binders).
    text : str
        The segment as written.
    """

    chain: str
    jaks: tuple[str, ...]
    minor_jaks: tuple[str, ...]
    text: str


@dataclass(frozen=True)
class ReceptorComplex:
    """A cytokine receptor: its chains and the JAKs it signals through.

    Attributes
    ----------
    chains : tuple of str
        Chain names, unique, in the order of the table (alternative complexes merged).
    jaks : tuple of str
        JAKs the receptor signals through (named outside parentheses), canonical order.
    source : str
        The table row's ``source``.
    verified : bool
        The table row's ``verified`` flag.
    minor_jaks : tuple of str
        JAKs named only as alternatives or minor binders.
    jak_per_chain : tuple of ChainJaks
        The per-segment parse of ``jak_per_chain``.
    chains_text : str
        The ``receptor_chains`` cell as written.
    jak_per_chain_text : str
        The ``jak_per_chain`` cell as written.
    """

    chains: tuple[str, ...]
    jaks: tuple[str, ...]
    source: str
    verified: bool = True
    minor_jaks: tuple[str, ...] = ()
    jak_per_chain: tuple[ChainJaks, ...] = ()
    chains_text: str = ""
    jak_per_chain_text: str = ""

    def jaks_of_chain(self, chain: str) -> tuple[str, ...]:
        """Return the JAKs assigned to ``chain`` (case-insensitive; empty if none assigned)."""
        found: list[str] = []
        for segment in self.jak_per_chain:
            if segment.chain.casefold() == chain.casefold():
                found.extend(j for j in segment.jaks if j not in found)
        return tuple(found)


def parse_chains(text: str) -> tuple[str, ...]:
    """Return the chain names of a ``receptor_chains`` cell.

    Examples
    --------
    >>> parse_chains("IL-6Ralpha (gp80, CD126) + gp130 (CD130) homodimer (hexamer 2:2:2)")
    ('IL-6Ralpha', 'gp130')
    >>> parse_chains("type I: IL-4Ralpha + gammac; type II: IL-4Ralpha + IL-13Ralpha1")
    ('IL-4Ralpha', 'gammac', 'IL-13Ralpha1')
    """
    chains: list[str] = []
    stripped = _PARENS.sub(" ", text)
    for alternative in re.split(r";|\bor\b", stripped):
        alternative = re.sub(r"^\s*type\s+[IV]+\s*:", "", alternative)
        for part in alternative.split("+"):
            if ":" in part:  # "IL-6:soluble IL-6Ralpha complex": the ligand is not a chain
                part = part.split(":", 1)[1]
            name = " ".join(_DROP_WORDS.sub(" ", part).split())
            name = _CHAIN_SYNONYMS.get(name, name)
            if name and name not in chains:
                chains.append(name)
    return tuple(chains)


def parse_jak_per_chain(text: str) -> tuple[ChainJaks, ...]:
    """Parse a ``jak_per_chain`` cell into per-chain JAK assignments.

    Examples
    --------
    >>> [(s.chain, s.jaks) for s in parse_jak_per_chain("IFNAR1: TYK2; IFNAR2: JAK1")]
    [('IFNAR1', ('TYK2',)), ('IFNAR2', ('JAK1',))]
    >>> parse_jak_per_chain("IL-13Ralpha1: TYK2 (or JAK2)")[0].minor_jaks
    ('JAK2',)
    """
    segments = []
    for segment in text.split(";"):
        segment = segment.strip()
        if not segment:
            continue
        chain, body = "", segment
        label, colon, rest = segment.partition(":")
        if colon and not jak_tokens(_PARENS.sub(" ", label)):
            chain, body = label.strip(), rest
        major = jak_tokens(_PARENS.sub(" ", body))
        inside = " ".join(_PARENS.findall(body))
        minor = tuple(j for j in jak_tokens(inside) if j not in major)
        segments.append(ChainJaks(chain=chain, jaks=major, minor_jaks=minor, text=segment))
    return tuple(segments)


def receptor_from_row(row: dict[str, str], verified: bool) -> ReceptorComplex:
    """Build a :class:`ReceptorComplex` from a ``pathway_cytokine_receptors.csv`` row.

    Parameters
    ----------
    row : dict
        The table row (text values).
    verified : bool
        The row's ``verified`` flag.

    Returns
    -------
    ReceptorComplex
    """
    segments = parse_jak_per_chain(row["jak_per_chain"])
    jaks = jak_tokens(" ".join(" ".join(s.jaks) for s in segments))
    minor = tuple(j for j in jak_tokens(" ".join(" ".join(s.minor_jaks) for s in segments)) if j not in jaks)
    return ReceptorComplex(
        chains=parse_chains(row["receptor_chains"]),
        jaks=jaks,
        source=row["source"],
        verified=verified,
        minor_jaks=minor,
        jak_per_chain=segments,
        chains_text=row["receptor_chains"],
        jak_per_chain_text=row["jak_per_chain"],
    )
