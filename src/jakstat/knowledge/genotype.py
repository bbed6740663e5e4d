"""Genotypes: which alleles of the STAT genes a cell or patient carries.

Text form
---------
``GENE:ALLELE/ALLELE``, several genes separated by ``;`` or ``,``; ``wt`` alone means wild type
everywhere. An allele is ``wt`` or a known variant of that gene, in short (``A635V``) or HGVS
(``p.Ala635Val``) form, any case::

    STAT4:A635V/wt                  heterozygous
    STAT4:A635V/A635V               homozygous
    STAT4:wt/wt                     wild type at STAT4
    wt                              wild type at every gene
    STAT4:A635V/wt;STAT3:wt/wt      two genes
    STAT4:p.Ala635Val/wt            HGVS form

Genes are the STATs (STAT1 ... STAT6) and any gene with a variant in ``variant_stat.csv``; a
gene not named is wild type. :meth:`Genotype.to_string` writes the canonical form: genes sorted,
``;``-separated, short allele names, variant alleles before ``wt``; parsing it gives back an
equal :class:`Genotype`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from jakstat.errors import GenotypeError
from jakstat.knowledge.molecules import STAT_NAMES
from jakstat.knowledge.variants import Variant, change_key, variant_genes, variants

EXPECTED_FORM = "GENE:ALLELE/ALLELE, e.g. STAT4:A635V/wt (several genes separated by ';'; 'wt' alone for all wild type)"
"""The expected text form, quoted in every :class:`~jakstat.errors.GenotypeError`."""
WILD_TYPE = "wt"


@dataclass(frozen=True)
class Allele:
    """One copy of a gene.

    Attributes
    ----------
    gene : str
        Gene symbol, e.g. ``"STAT4"``.
    variant : Variant or None
        The variant this copy carries; None for wild type.
    """

    gene: str
    variant: Variant | None = None

    def __post_init__(self) -> None:
        if self.variant is not None and self.variant.gene.upper() != self.gene.upper():
            raise GenotypeError(f"allele of {self.gene} cannot carry the {self.variant.name} variant")

    @property
    def is_wild_type(self) -> bool:
        """True for a wild-type copy."""
        return self.variant is None

    @property
    def label(self) -> str:
        """``"wt"`` or the short protein change (``"A635V"``)."""
        return WILD_TYPE if self.variant is None else self.variant.protein_change_short


def _sort_key(allele: Allele) -> tuple[str, bool, str]:
    return (allele.gene, allele.is_wild_type, allele.label)


@dataclass(frozen=True)
class Genotype:
    """Alleles of the genes a genotype names: exactly two per named gene.

    Attributes
    ----------
    alleles : tuple of Allele
        Sorted on construction: by gene, then variant alleles before ``wt``. Genes not named
        are wild type. ``Genotype(())`` is wild type everywhere.
    """

    alleles: tuple[Allele, ...] = ()

    def __post_init__(self) -> None:
        alleles = tuple(sorted(self.alleles, key=_sort_key))
        for gene in {a.gene for a in alleles}:
            count = sum(a.gene == gene for a in alleles)
            if count != 2:
                raise GenotypeError(f"a genotype has exactly two alleles of each gene; {gene} has {count}")
        object.__setattr__(self, "alleles", alleles)

    @classmethod
    def wild_type(cls) -> Genotype:
        """Return the all-wild-type genotype (text form ``"wt"``)."""
        return cls(())

    @property
    def genes(self) -> tuple[str, ...]:
        """The genes named, sorted."""
        return tuple(dict.fromkeys(a.gene for a in self.alleles))

    @property
    def is_wild_type(self) -> bool:
        """True when no allele carries a variant."""
        return all(a.is_wild_type for a in self.alleles)

    def variant_alleles(self) -> tuple[Allele, ...]:
        """Return the alleles that carry a variant (a homozygous variant appears twice)."""
        return tuple(a for a in self.alleles if not a.is_wild_type)

    def alleles_of(self, gene: str) -> tuple[Allele, Allele]:
        """Return the two alleles of ``gene`` (two wild-type copies when the gene is not named)."""
        found = tuple(a for a in self.alleles if a.gene == gene.upper())
        if not found:
            return (Allele(gene.upper()), Allele(gene.upper()))
        return (found[0], found[1])

    def dose(self, variant: Variant | str) -> int:
        """Return how many copies (0, 1 or 2) carry ``variant`` (a Variant or ``"STAT4_A635V"``)."""
        name = variant.name if isinstance(variant, Variant) else variant
        return sum(a.variant is not None and a.variant.name.upper() == name.upper() for a in self.alleles)

    def zygosity(self, gene: str) -> str:
        """Return ``"wild type"``, ``"heterozygous"``, ``"homozygous"`` or ``"compound heterozygous"``."""
        first, second = self.alleles_of(gene)
        if first.is_wild_type and second.is_wild_type:
            return "wild type"
        if first.is_wild_type or second.is_wild_type:
            return "heterozygous"
        return "homozygous" if first.variant == second.variant else "compound heterozygous"

    def to_string(self) -> str:
        """Return the canonical text form (``"STAT4:A635V/wt"``; ``"wt"`` when no gene is named)."""
        if not self.alleles:
            return WILD_TYPE
        parts = []
        for gene in self.genes:
            first, second = self.alleles_of(gene)
            parts.append(f"{gene}:{first.label}/{second.label}")
        return ";".join(parts)

    def __str__(self) -> str:
        return self.to_string()


def known_genes() -> tuple[str, ...]:
    """Return the genes a genotype may name: the STATs and every gene with a known variant."""
    return tuple(sorted(set(STAT_NAMES) | set(variant_genes())))


def _fail(text: str, problem: str) -> GenotypeError:
    return GenotypeError(f"bad genotype {text!r}: {problem}; expected {EXPECTED_FORM}")


def _parse_allele(text: str, part: str, gene: str, allele: str) -> Allele:
    if allele.strip().lower() == WILD_TYPE:
        return Allele(gene)
    key = change_key(allele)
    for variant in variants():
        if variant.gene.upper() == gene and variant.protein_change_short == key:
            return Allele(gene, variant)
    known = sorted(v.protein_change_short for v in variants() if v.gene.upper() == gene)
    hgvs = sorted(v.protein_change_hgvs for v in variants() if v.gene.upper() == gene)
    listed = ", ".join([WILD_TYPE, *known])
    if hgvs:
        listed += f" (or HGVS: {', '.join(hgvs)})"
    raise _fail(text, f"unknown {gene} allele {allele.strip()!r} in {part!r}; known {gene} alleles: {listed}")


def parse_genotype(text: str) -> Genotype:
    """Parse a genotype string.

    Parameters
    ----------
    text : str
        ``GENE:ALLELE/ALLELE`` parts separated by ``;`` or ``,``, or ``"wt"`` (see the module
        docstring).

    Returns
    -------
    Genotype

    Raises
    ------
    jakstat.errors.GenotypeError
        The message quotes the string, names the wrong part and shows the expected form; for an
        unknown gene or allele it lists the known ones.

    Examples
    --------
    >>> parse_genotype("STAT4:p.Ala635Val/wt").to_string()
    'STAT4:A635V/wt'
    >>> parse_genotype("wt").is_wild_type
    True
    """
    if not isinstance(text, str):
        raise GenotypeError(
            f"a genotype must be a string, got {type(text).__name__} {text!r}; expected {EXPECTED_FORM}"
        )
    if not text.strip():
        raise _fail(text, "it is empty")
    if text.strip().lower() == WILD_TYPE:
        return Genotype.wild_type()
    alleles: list[Allele] = []
    seen: set[str] = set()
    for part in re.split(r"[;,]", text):
        part = part.strip()
        if not part:
            raise _fail(text, "it has an empty part between separators")
        if part.lower() == WILD_TYPE:
            raise _fail(text, "'wt' alone stands for the whole genotype and cannot be combined with genes")
        if part.count(":") != 1:
            problem = "no ':' between gene and alleles" if ":" not in part else "more than one ':'"
            raise _fail(text, f"part {part!r} has {problem}")
        gene, pair = (s.strip() for s in part.split(":"))
        gene = gene.upper()
        if gene not in known_genes():
            raise _fail(text, f"unknown gene {gene!r} in {part!r}; known genes: {', '.join(known_genes())}")
        if gene in seen:
            raise _fail(text, f"gene {gene} is given twice")
        seen.add(gene)
        copies = pair.split("/")
        if len(copies) != 2:
            raise _fail(text, f"part {part!r} has {len(copies)} allele(s); give exactly two separated by '/'")
        if not all(c.strip() for c in copies):
            raise _fail(text, f"part {part!r} has an empty allele; write 'wt' for a wild-type copy")
        alleles.extend(_parse_allele(text, part, gene, copy) for copy in copies)
    return Genotype(tuple(alleles))
