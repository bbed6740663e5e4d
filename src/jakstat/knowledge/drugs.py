"""Drugs: small-molecule JAK inhibitors and cytokine-targeting biologics.

Small molecules are the drugs of ``drug_enzyme_potency.csv`` and ``pk_small_molecules.csv``;
biologics those of ``biologic_pk_binding.csv``. Names are lower-case INNs; US/EU brand names
are accepted as aliases. A drug's ``targets`` come from its rows: the JAKs with an enzyme potency
row (small molecules) or the ``target`` cells (biologics).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from jakstat.data import load_table
from jakstat.knowledge._lookup import Registry
from jakstat.knowledge.molecules import JAK_NAMES, jak_tokens

DrugKind = Literal["small molecule", "biologic"]

_SMALL_MOLECULE_TABLES = ("drug_enzyme_potency", "pk_small_molecules")
_BIOLOGIC_TABLES = ("biologic_pk_binding",)
_BRAND_NAMES: dict[str, tuple[str, ...]] = {
    "ruxolitinib": ("Jakafi", "Jakavi"),
    "baricitinib": ("Olumiant",),
    "tofacitinib": ("Xeljanz",),
    "upadacitinib": ("Rinvoq",),
    "filgotinib": ("Jyseleca",),
    "abrocitinib": ("Cibinqo",),
    "deucravacitinib": ("Sotyktu",),
    "tocilizumab": ("Actemra", "RoActemra"),
    "sarilumab": ("Kevzara",),
    "siltuximab": ("Sylvant",),
    "anifrolumab": ("Saphnelo",),
    "emapalumab": ("Gamifant",),
}


@dataclass(frozen=True)
class Drug:
    """A drug of the packaged pharmacology tables.

    Attributes
    ----------
    name : str
        Lower-case INN, e.g. ``"ruxolitinib"``.
    kind : {"small molecule", "biologic"}
        Small-molecule JAK inhibitor or antibody.
    source : str
        The tables the drug's rows come from (each row there has its own literature source).
    targets : tuple of str
        JAKs with an enzyme potency row (small molecules, canonical order), or the ``target``
        cells of its rows (biologics, e.g. ``"IFNAR1"``).
    aliases : tuple of str
        Brand names.
    """

    name: str
    kind: DrugKind
    source: str
    targets: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


def _drug_names(frame: pd.DataFrame) -> list[str]:
    return list(dict.fromkeys(frame["drug"]))


def _build() -> list[Drug]:
    tables = {name: load_table(name) for name in (*_SMALL_MOLECULE_TABLES, *_BIOLOGIC_TABLES)}
    records: list[Drug] = []
    small = list(dict.fromkeys(d for t in _SMALL_MOLECULE_TABLES for d in _drug_names(tables[t])))
    potency = tables["drug_enzyme_potency"]
    for name in small:
        found_in = [f"{t}.csv" for t in _SMALL_MOLECULE_TABLES if name in set(tables[t]["drug"])]
        kinases = " ".join(k for k in potency.loc[potency["drug"] == name, "kinase"] if "fold" not in k)
        targets = tuple(j for j in jak_tokens(kinases) if j in JAK_NAMES)
        records.append(Drug(
            name=name, kind="small molecule", source=f"drug column of {', '.join(found_in)}",
            targets=targets, aliases=_BRAND_NAMES.get(name, ()),
        ))
    biologics = tables["biologic_pk_binding"]
    for name in _drug_names(biologics):
        if name in small:
            raise ValueError(f"drug {name!r} is listed both as a small molecule and as a biologic")
        targets = tuple(dict.fromkeys(biologics.loc[biologics["drug"] == name, "target"]))
        records.append(Drug(
            name=name, kind="biologic", source="drug column of biologic_pk_binding.csv",
            targets=targets, aliases=_BRAND_NAMES.get(name, ()),
        ))
    return records


@functools.lru_cache(maxsize=1)
def _registry() -> Registry[Drug]:
    return Registry("drug", _build(), lambda drug: [drug.name, *drug.aliases])


def drugs() -> tuple[Drug, ...]:
    """Return all drugs: small molecules first (table order), then biologics."""
    return _registry().records


def get_drug(name: str) -> Drug:
    """Return the drug named ``name`` (INN or brand name, any case).

    Raises
    ------
    jakstat.errors.UnknownNameError
        ``unknown drug 'ruxolitnib'; known: abrocitinib, anifrolumab, ...``.

    Examples
    --------
    >>> get_drug("Jakafi").name
    'ruxolitinib'
    """
    return _registry().get(name)
