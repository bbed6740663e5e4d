"""Genotype strings: accepted forms, canonical text, and errors that say what is wrong."""

from __future__ import annotations

import pytest

from jakstat.errors import GenotypeError
from jakstat.knowledge import Allele, Genotype, get_variant, parse_genotype

EXPECTED_FORM = "GENE:ALLELE/ALLELE, e.g. STAT4:A635V/wt"


@pytest.mark.parametrize(
    ("text", "canonical", "wild_type", "variant_labels"),
    [
        ("STAT4:A635V/wt", "STAT4:A635V/wt", False, ["A635V"]),
        ("STAT4:wt/A635V", "STAT4:A635V/wt", False, ["A635V"]),
        ("STAT4:A635V/A635V", "STAT4:A635V/A635V", False, ["A635V", "A635V"]),
        ("STAT4:wt/wt", "STAT4:wt/wt", True, []),
        ("wt", "wt", True, []),
        (" WT ", "wt", True, []),
        ("STAT4:A635V/wt;STAT3:wt/wt", "STAT3:wt/wt;STAT4:A635V/wt", False, ["A635V"]),
        ("STAT4:A635V/wt, STAT3:wt/wt", "STAT3:wt/wt;STAT4:A635V/wt", False, ["A635V"]),
        ("STAT4:p.Ala635Val/wt", "STAT4:A635V/wt", False, ["A635V"]),
        ("stat4:a635v/WT", "STAT4:A635V/wt", False, ["A635V"]),
        ("STAT3:E616del/wt", "STAT3:E616del/wt", False, ["E616del"]),
        ("STAT4:H623Y/A635V", "STAT4:A635V/H623Y", False, ["A635V", "H623Y"]),
    ],
)
def test_accepted_forms(text: str, canonical: str, wild_type: bool, variant_labels: list[str]) -> None:
    genotype = parse_genotype(text)
    assert genotype.to_string() == canonical
    assert str(genotype) == canonical
    assert genotype.is_wild_type is wild_type
    assert [a.label for a in genotype.variant_alleles()] == variant_labels
    assert parse_genotype(genotype.to_string()) == genotype  # round trip


def test_heterozygous_structure() -> None:
    genotype = parse_genotype("STAT4:A635V/wt")
    a635v = get_variant("STAT4", "A635V")
    assert genotype.alleles == (Allele("STAT4", a635v), Allele("STAT4"))
    assert genotype.genes == ("STAT4",)
    assert genotype.zygosity("STAT4") == "heterozygous"
    assert genotype.dose(a635v) == 1
    assert genotype.dose("STAT4_A635V") == 1
    assert genotype.dose("STAT4_A650D") == 0
    assert genotype.variant_alleles()[0].variant == a635v


def test_zygosity_and_dose() -> None:
    assert parse_genotype("STAT4:A635V/A635V").zygosity("STAT4") == "homozygous"
    assert parse_genotype("STAT4:A635V/A635V").dose("STAT4_A635V") == 2
    assert parse_genotype("STAT4:A635V/A650D").zygosity("STAT4") == "compound heterozygous"
    assert parse_genotype("STAT4:wt/wt").zygosity("STAT4") == "wild type"
    assert parse_genotype("wt").zygosity("STAT4") == "wild type"
    assert parse_genotype("STAT4:A635V/wt").zygosity("STAT3") == "wild type"


def test_order_does_not_matter() -> None:
    assert parse_genotype("STAT3:wt/wt;STAT4:A635V/wt") == parse_genotype("STAT4:wt/p.Ala635Val,STAT3:wt/wt")
    assert parse_genotype("STAT4:A635V/wt") != parse_genotype("STAT4:A635V/A635V")


def test_wild_type_constructor() -> None:
    assert Genotype.wild_type() == parse_genotype("wt")
    assert Genotype.wild_type().alleles == ()


def test_direct_construction_checks_two_alleles_per_gene() -> None:
    with pytest.raises(GenotypeError, match="exactly two alleles of each gene; STAT4 has 1"):
        Genotype((Allele("STAT4"),))
    with pytest.raises(GenotypeError, match="cannot carry the STAT4_A635V variant"):
        Allele("STAT3", get_variant("STAT4", "A635V"))


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("STAT4A635V/wt", ["'STAT4A635V/wt'", "no ':' between gene and alleles"]),
        ("STAT4:A635V", ["'STAT4:A635V'", "has 1 allele(s)", "exactly two separated by '/'"]),
        ("STAT9:A635V/wt", ["unknown gene 'STAT9'", "known genes: STAT1, STAT2, STAT3, STAT4"]),
        (
            "STAT4:A999V/wt",
            ["unknown STAT4 allele 'A999V'", "known STAT4 alleles: wt, A635V, A650D, H623Y", "p.Ala635Val"],
        ),
        ("STAT4:A635V/wt/wt", ["'STAT4:A635V/wt/wt'", "has 3 allele(s)"]),
        ("", ["bad genotype ''", "empty"]),
        ("   ", ["bad genotype '   '", "empty"]),
        ("STAT4:A635V/wt;STAT4:wt/wt", ["gene STAT4 is given twice"]),
        ("STAT3:A635V/wt", ["unknown STAT3 allele 'A635V'", "known STAT3 alleles: wt, C426R, E616del"]),
        ("STAT4:A635V/", ["has an empty allele", "'wt'"]),
        ("STAT4:A635V/wt;;STAT3:wt/wt", ["empty part between separators"]),
        ("wt;STAT4:A635V/wt", ["'wt' alone stands for the whole genotype"]),
        ("STAT4::A635V/wt", ["more than one ':'"]),
        ("STAT4:p.Ala635Xyz/wt", ["unknown STAT4 allele 'p.Ala635Xyz'"]),
    ],
)
def test_malformed_genotypes(text: str, fragments: list[str]) -> None:
    with pytest.raises(GenotypeError) as info:
        parse_genotype(text)
    message = str(info.value)
    assert message.startswith(f"bad genotype {text!r}: ")
    assert EXPECTED_FORM in message
    for fragment in fragments:
        assert fragment in message
    assert isinstance(info.value, ValueError)


def test_non_string_genotype() -> None:
    with pytest.raises(GenotypeError, match="must be a string, got NoneType"):
        parse_genotype(None)  # type: ignore[arg-type]
