"""Lookups of cytokines, drugs, genes, cell types and variants: canonical names, aliases, errors."""

from __future__ import annotations

import dataclasses
import re

import pytest

from jakstat.data import load_table, table_names
from jakstat.errors import UnknownNameError
from jakstat.knowledge import (
    cell_types,
    cytokines,
    drugs,
    genes,
    get_cell_type,
    get_cytokine,
    get_drug,
    get_gene,
    get_jak,
    get_stat,
    get_variant,
    hgvs_to_short,
    jaks,
    short_to_hgvs,
    stats,
    variants,
)

CANONICAL_CYTOKINES = [
    "IL-6", "IL-6 trans", "IL-11", "OSM", "LIF", "IFN-alpha/beta", "IFN-gamma", "IFN-lambda",
    "IL-2", "IL-4", "IL-7", "IL-9", "IL-15", "IL-21", "IL-10", "IL-12", "IL-23", "IL-27",
    "GM-CSF", "IL-3", "IL-5", "EPO", "TPO", "G-CSF", "GH", "TSLP", "IL-13",
]


def test_cytokines_have_the_documented_canonical_names_in_table_order() -> None:
    assert [c.name for c in cytokines()] == CANONICAL_CYTOKINES
    table = load_table("pathway_cytokine_receptors")
    assert [c.table_name for c in cytokines()] == table["cytokine"].tolist()


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("IL-6", "IL-6"), ("il-6", "IL-6"), ("IL6", "IL-6"), ("IL-6 (classic)", "IL-6"), ("interleukin 6", "IL-6"),
        ("IL-6 (trans-signalling)", "IL-6 trans"), ("il6 trans", "IL-6 trans"), ("IL-6 trans-signaling", "IL-6 trans"),
        ("IFN-γ", "IFN-gamma"), ("ifn gamma", "IFN-gamma"), ("IFN-gamma (type II)", "IFN-gamma"),
        ("IFN-alpha", "IFN-alpha/beta"), ("ifnb", "IFN-alpha/beta"), ("type I interferon", "IFN-alpha/beta"),
        ("IL-29", "IFN-lambda"), ("growth hormone", "GH"), ("gm-csf", "GM-CSF"), ("GMCSF", "GM-CSF"),
        ("erythropoietin", "EPO"), ("oncostatin m", "OSM"), ("IL2", "IL-2"), ("il_12", "IL-12"),
    ],
)
def test_cytokine_aliases_and_case(alias: str, name: str) -> None:
    assert get_cytokine(alias).name == name


def test_every_table_name_and_alias_resolves_to_its_cytokine() -> None:
    for cytokine in cytokines():
        for alias in (cytokine.name, cytokine.table_name, *cytokine.aliases):
            assert get_cytokine(alias) is cytokine
            assert get_cytokine(alias.upper()) is cytokine


def test_unknown_cytokine_message_lists_canonical_names_only() -> None:
    with pytest.raises(UnknownNameError) as info:
        get_cytokine("IL-66")
    expected = "unknown cytokine 'IL-66'; known: " + ", ".join(sorted(CANONICAL_CYTOKINES))
    assert str(info.value) == expected
    assert "IL-6 (classic)" not in str(info.value)
    assert isinstance(info.value, ValueError)


def test_cytokine_jaks_and_stats_exist() -> None:
    jak_names = {j.name for j in jaks()}
    stat_names = {s.name for s in stats()}
    assert jak_names == {"JAK1", "JAK2", "JAK3", "TYK2"}
    assert stat_names == {"STAT1", "STAT2", "STAT3", "STAT4", "STAT5A", "STAT5B", "STAT6"}
    for cytokine in cytokines():
        assert cytokine.receptor.jaks, cytokine.name
        assert set(cytokine.receptor.jaks) | set(cytokine.receptor.minor_jaks) <= jak_names
        assert cytokine.main_stats, cytokine.name
        assert set(cytokine.stats) <= stat_names
        assert not set(cytokine.main_stats) & set(cytokine.secondary_stats)


@pytest.mark.parametrize(
    ("name", "main", "secondary"),
    [
        ("IL-6", ("STAT3",), ("STAT1",)),
        ("IFN-alpha/beta", ("STAT1", "STAT2"), ("STAT3", "STAT4", "STAT5A", "STAT5B", "STAT6")),
        ("IFN-gamma", ("STAT1",), ("STAT3",)),
        ("IL-12", ("STAT4",), ("STAT1", "STAT3", "STAT5A", "STAT5B")),
        ("IL-2", ("STAT5A", "STAT5B"), ("STAT3", "STAT1")),
        ("GH", ("STAT5B",), ("STAT5A", "STAT3", "STAT1")),
        ("IL-4", ("STAT6",), ("STAT5A", "STAT5B", "STAT3")),
    ],
)
def test_cytokine_stats_parsed_from_table(name: str, main: tuple[str, ...], secondary: tuple[str, ...]) -> None:
    cytokine = get_cytokine(name)
    assert cytokine.main_stats == main
    assert cytokine.secondary_stats == secondary


def test_jak_and_stat_lookup() -> None:
    assert get_jak("tyk2").name == "TYK2"
    assert get_stat("stat5a").name == "STAT5A"
    with pytest.raises(UnknownNameError, match=r"^unknown STAT 'STAT9'; known: STAT1, STAT2, STAT3"):
        get_stat("STAT9")


def test_drugs_cover_the_pharmacology_tables() -> None:
    small = set(load_table("drug_enzyme_potency")["drug"]) | set(load_table("pk_small_molecules")["drug"])
    biologic = set(load_table("biologic_pk_binding")["drug"])
    assert {d.name for d in drugs() if d.kind == "small molecule"} == small
    assert {d.name for d in drugs() if d.kind == "biologic"} == biologic
    assert "ruxolitinib" in small and "tocilizumab" in biologic
    for drug in drugs():
        assert drug.name == drug.name.lower()
        assert drug.source.strip() and drug.targets


def test_drug_lookup_and_targets() -> None:
    assert get_drug("Ruxolitinib").name == "ruxolitinib"
    assert get_drug("JAKAFI").name == "ruxolitinib"
    assert get_drug("deucravacitinib").targets == ("TYK2",)
    assert get_drug("baricitinib").targets == ("JAK1", "JAK2", "JAK3", "TYK2")
    assert get_drug("anifrolumab").kind == "biologic"
    assert get_drug("anifrolumab").targets == ("IFNAR1",)


def test_unknown_drug_lists_known_drugs() -> None:
    with pytest.raises(UnknownNameError) as info:
        get_drug("ruxolitnib")
    message = str(info.value)
    assert message.startswith("unknown drug 'ruxolitnib'; known: abrocitinib, anifrolumab, baricitinib")
    assert "tofacitinib" in message and "Jakafi" not in message


def test_cell_types() -> None:
    assert [c.name for c in cell_types()] == ["fibroblast", "cd4_t_cell", "monocyte", "hepatocyte"]
    assert get_cell_type("dermal fibroblast").name == "fibroblast"
    assert get_cell_type("Human Dermal Fibroblast").name == "fibroblast"
    assert get_cell_type("CD4 T cell").name == "cd4_t_cell"
    assert get_cell_type("CD4+ T cell").name == "cd4_t_cell"
    assert get_cell_type("HEPATOCYTE").name == "hepatocyte"


def test_cell_type_sources_point_at_packaged_tables() -> None:
    for cell in cell_types():
        cited = set(re.findall(r"(\w+)\.csv", cell.source))
        assert cited, cell.name
        assert cited <= set(table_names()), cell.name


def test_unknown_cell_type_lists_known() -> None:
    with pytest.raises(UnknownNameError) as info:
        get_cell_type("neuron")
    assert str(info.value) == "unknown cell type 'neuron'; known: cd4_t_cell, fibroblast, hepatocyte, monocyte"


def test_genes_expand_multi_gene_rows() -> None:
    names = [g.name for g in genes()]
    assert len(names) == len(set(names))
    for name in ("IFI27", "IFI44L", "IFIT1", "ISG15", "RSAD2", "SIGLEC1"):
        gene = get_gene(name)
        assert gene.role_in_model == "6-gene interferon score readout"
        assert gene.driving_stats == ("STAT1", "STAT2")
    assert get_gene("cis").name == "CISH"
    assert get_gene("socs3").driving_stats == ("STAT3",)
    assert get_gene("SOCS3").verified is True
    assert get_gene("IFNG").verified is False
    with pytest.raises(UnknownNameError, match=r"^unknown gene 'SOCS9'; known: CISH, CRP, "):
        get_gene("SOCS9")


def test_gene_driving_stats_exist() -> None:
    stat_names = {s.name for s in stats()}
    for gene in genes():
        assert set(gene.driving_stats) <= stat_names


def test_variants_parsed_from_table() -> None:
    assert [v.name for v in variants()] == [
        "STAT4_H623Y", "STAT4_A635V", "STAT4_A650D", "STAT1_R274Q", "STAT1_T385M", "STAT3_E616del", "STAT3_C426R",
    ]
    table = load_table("variant_stat")
    for variant in variants():
        cell = f"{variant.protein_change_hgvs} ({variant.protein_change_short})"
        row = table[(table["gene"] == variant.gene) & (table["variant_protein"] == cell)]
        assert len(row) == 1
        assert variant.verified == (row["verified"].iloc[0] == "yes")
        assert variant.source == row["source"].iloc[0]


@pytest.mark.parametrize("change", ["A635V", "a635v", "p.Ala635Val", "p.ala635val", "Ala635Val"])
def test_variant_lookup_forms(change: str) -> None:
    variant = get_variant("STAT4", change)
    assert (variant.protein_change_short, variant.protein_change_hgvs) == ("A635V", "p.Ala635Val")
    assert variant.functional_class == "gain of function"
    assert variant.verified is False


def test_variant_lookup_by_full_name() -> None:
    assert get_variant("STAT4_A635V").protein_change_short == "A635V"
    assert get_variant("stat3:p.Glu616del").protein_change_short == "E616del"


def test_unknown_variant_messages() -> None:
    with pytest.raises(UnknownNameError) as info:
        get_variant("STAT4", "A999V")
    assert str(info.value) == "unknown STAT4 variant 'A999V'; known: A635V, A650D, H623Y"
    with pytest.raises(UnknownNameError) as info:
        get_variant("STAT9", "A635V")
    assert str(info.value) == "unknown variant gene 'STAT9'; known: STAT1, STAT3, STAT4"


@pytest.mark.parametrize(
    ("hgvs", "short"), [("p.Ala635Val", "A635V"), ("p.His623Tyr", "H623Y"), ("p.Glu616del", "E616del")]
)
def test_hgvs_short_conversion(hgvs: str, short: str) -> None:
    assert hgvs_to_short(hgvs) == short
    assert short_to_hgvs(short) == hgvs


def test_records_carry_sources_and_are_frozen() -> None:
    records = [*cytokines(), *drugs(), *genes(), *variants(), *cell_types()]
    assert all(r.source.strip() for r in records)
    with pytest.raises(dataclasses.FrozenInstanceError):
        cytokines()[0].name = "IL-7"  # type: ignore[misc]
