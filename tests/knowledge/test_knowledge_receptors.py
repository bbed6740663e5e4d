"""Receptor chains and JAKs parsed from the free text of pathway_cytokine_receptors.csv."""

from __future__ import annotations

import pytest

from jakstat.data import load_table
from jakstat.knowledge import cytokines, get_cytokine
from jakstat.knowledge.receptors import parse_chains, parse_jak_per_chain

ROWS = load_table("pathway_cytokine_receptors").to_dict(orient="records")


@pytest.mark.parametrize("row", ROWS, ids=[r["cytokine"] for r in ROWS])
def test_every_receptor_gets_chains_and_at_least_one_jak(row: dict[str, str]) -> None:
    cytokine = get_cytokine(row["cytokine"])
    receptor = cytokine.receptor
    assert receptor.jaks, row["jak_per_chain"]
    assert receptor.chains, row["receptor_chains"]
    assert receptor.jak_per_chain_text == row["jak_per_chain"]
    assert receptor.chains_text == row["receptor_chains"]
    assert receptor.source == row["source"]
    # every JAK parsed appears in the raw text, and no JAK of the raw text is lost
    for jak in (*receptor.jaks, *receptor.minor_jaks):
        assert jak.lower() in row["jak_per_chain"].lower()
    for jak in ("JAK1", "JAK2", "JAK3", "TYK2"):
        if jak.lower() in row["jak_per_chain"].lower():
            assert jak in receptor.jaks or jak in receptor.minor_jaks


def test_receptor_table_has_27_rows() -> None:
    assert len(ROWS) == len(cytokines()) == 27


@pytest.mark.parametrize(
    ("name", "jaks"),
    [
        # pairs named in the design and verified in the table
        ("IL-6", ("JAK1", "JAK2", "TYK2")),
        ("IL-6 trans", ("JAK1", "JAK2", "TYK2")),
        ("IFN-alpha/beta", ("JAK1", "TYK2")),
        ("IFN-gamma", ("JAK1", "JAK2")),
        ("IL-2", ("JAK1", "JAK3")),
        ("IL-15", ("JAK1", "JAK3")),
        ("IL-21", ("JAK1", "JAK3")),
        ("GM-CSF", ("JAK2",)),
        ("EPO", ("JAK2",)),
        ("IL-12", ("JAK2", "TYK2")),
        ("IL-23", ("JAK2", "TYK2")),
        ("IL-10", ("JAK1", "TYK2")),
    ],
)
def test_receptor_jaks(name: str, jaks: tuple[str, ...]) -> None:
    assert get_cytokine(name).receptor.jaks == jaks


def test_per_chain_assignment() -> None:
    ifn = get_cytokine("IFN-alpha/beta").receptor
    assert ifn.jaks_of_chain("IFNAR1") == ("TYK2",)
    assert ifn.jaks_of_chain("ifnar2") == ("JAK1",)
    il6 = get_cytokine("IL-6").receptor
    assert il6.jaks_of_chain("IL-6Ralpha") == ()
    assert il6.jaks_of_chain("gp130") == ("JAK1", "JAK2", "TYK2")


def test_parenthesised_jaks_are_minor() -> None:
    assert get_cytokine("IL-13").receptor.jaks == ("JAK1", "TYK2")
    assert get_cytokine("IL-13").receptor.minor_jaks == ("JAK2",)
    assert get_cytokine("TPO").receptor.jaks == ("JAK2",)
    assert get_cytokine("TPO").receptor.minor_jaks == ("TYK2",)
    lif = parse_jak_per_chain(get_cytokine("LIF").receptor.jak_per_chain_text)
    assert [(s.chain, s.jaks, s.minor_jaks) for s in lif] == [
        ("gp130", ("JAK1", "JAK2", "TYK2"), ()),
        ("LIFR", (), ("JAK1", "JAK2", "TYK2")),
    ]


def test_unlabelled_segment() -> None:
    (segment,) = parse_jak_per_chain("JAK2 on each chain")
    assert (segment.chain, segment.jaks) == ("", ("JAK2",))


@pytest.mark.parametrize(
    ("text", "chains"),
    [
        ("IL-6Ralpha (gp80, CD126) + gp130 (CD130) homodimer (hexamer 2:2:2)", ("IL-6Ralpha", "gp130")),
        ("IL-6:soluble IL-6Ralpha complex + membrane gp130", ("sIL-6Ralpha", "gp130")),
        ("OSMR-beta + gp130 (type II) or LIFR + gp130 (type I)", ("OSMR", "gp130", "LIFR")),
        ("type I: IL-4Ralpha + gammac; type II: IL-4Ralpha + IL-13Ralpha1", ("IL-4Ralpha", "gammac", "IL-13Ralpha1")),
        ("IL-2Ralpha (CD25) + IL-2Rbeta (CD122) + common gamma chain (CD132)", ("IL-2Ralpha", "IL-2Rbeta", "gammac")),
        ("EPOR homodimer", ("EPOR",)),
    ],
)
def test_parse_chains(text: str, chains: tuple[str, ...]) -> None:
    assert parse_chains(text) == chains
