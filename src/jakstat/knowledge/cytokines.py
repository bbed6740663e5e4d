"""Cytokines: one record per row of ``pathway_cytokine_receptors.csv``.

Canonical names
---------------
Short, conventional abbreviations without the table's parenthetical qualifiers; the table's own
text (``Cytokine.table_name``) is always an alias.

========================== ================== ====================================================
table ``cytokine``         canonical name     further aliases (besides case / hyphen variants)
========================== ================== ====================================================
IL-6 (classic)             IL-6               IL-6 classic, interleukin-6
IL-6 (trans-signalling)    IL-6 trans         IL-6 trans-signalling, IL-6 trans-signaling,
                                              IL-6/sIL-6R
IL-11, IL-2, IL-4, ...     unchanged          interleukin-N
OSM                        OSM                oncostatin M
LIF                        LIF                leukemia/leukaemia inhibitory factor
IFN-alpha/beta (type I)    IFN-alpha/beta     IFN-alpha, IFN-beta, IFNa, IFNb, IFN-α, IFN-β,
                                              type I IFN, type I interferon
IFN-gamma (type II)        IFN-gamma          IFNg, IFN-γ, type II IFN, type II interferon
IFN-lambda (type III)      IFN-lambda         IFNl, IFN-λ, type III IFN, IL-28A, IL-28B, IL-29
GM-CSF                     GM-CSF             CSF2
EPO                        EPO                erythropoietin
TPO                        TPO                thrombopoietin, THPO
G-CSF                      G-CSF              CSF3
growth hormone             GH                 growth hormone, somatotropin
TSLP                       TSLP               thymic stromal lymphopoietin
========================== ================== ====================================================

Lookups ignore case, spaces, hyphens, underscores and dots (``"il6"``, ``"IL 6"``, ``"IL-6"``
are one name) and spell out Greek letters (see :mod:`jakstat.knowledge._lookup`).

STATs: ``main_stats`` and ``secondary_stats`` are parsed with
:func:`jakstat.knowledge.molecules.stat_tokens` (a bare ``STAT5`` is STAT5A + STAT5B); a STAT
listed in both cells (IFN-alpha/beta: STAT1 in ISGF3 and as a homodimer) is kept only as main.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from jakstat.data import load_table, verified_flag
from jakstat.knowledge._lookup import Registry
from jakstat.knowledge.molecules import stat_tokens
from jakstat.knowledge.receptors import ReceptorComplex, receptor_from_row

_NAMES: dict[str, tuple[str, tuple[str, ...]]] = {
    "IL-6 (classic)": ("IL-6", ("IL-6 classic", "interleukin-6")),
    "IL-6 (trans-signalling)": (
        "IL-6 trans", ("IL-6 trans-signalling", "IL-6 trans-signaling", "IL-6/sIL-6R"),
    ),
    "OSM": ("OSM", ("oncostatin M",)),
    "LIF": ("LIF", ("leukemia inhibitory factor", "leukaemia inhibitory factor")),
    "IFN-alpha/beta (type I)": ("IFN-alpha/beta", (
        "IFN-alpha", "IFN-beta", "IFNa", "IFNb", "IFN-α", "IFN-β", "type I IFN", "type I interferon",
    )),
    "IFN-gamma (type II)": ("IFN-gamma", ("IFNg", "IFN-γ", "type II IFN", "type II interferon")),
    "IFN-lambda (type III)": ("IFN-lambda", (
        "IFNl", "IFN-λ", "type III IFN", "type III interferon", "IL-28A", "IL-28B", "IL-29",
    )),
    "GM-CSF": ("GM-CSF", ("CSF2",)),
    "EPO": ("EPO", ("erythropoietin",)),
    "TPO": ("TPO", ("thrombopoietin", "THPO")),
    "G-CSF": ("G-CSF", ("CSF3",)),
    "growth hormone": ("GH", ("somatotropin",)),
    "TSLP": ("TSLP", ("thymic stromal lymphopoietin",)),
}


@dataclass(frozen=True)
class Cytokine:
    """A cytokine, its receptor and the STATs it activates.

    Attributes
    ----------
    name : str
        Canonical name (see the module docstring), e.g. ``"IL-6"``, ``"IL-6 trans"``.
    aliases : tuple of str
        Other accepted names, including the table's ``cytokine`` text.
    receptor : ReceptorComplex
        Chains and JAKs.
    main_stats : tuple of str
        STATs from ``main_stats`` (order of the table).
    secondary_stats : tuple of str
        STATs from ``secondary_stats`` that are not main STATs.
    signalling_mode : str
        The table's text (``"membrane"``, ``"classic: membrane IL-6Ralpha"``, ...).
    source : str
        The row's ``source``.
    verified : bool
        The row's ``verified`` flag.
    table_name : str
        The row's ``cytokine`` cell (the key for :func:`jakstat.data.table_row`).
    expressing_cell_types : str
        The table's text.
    """

    name: str
    aliases: tuple[str, ...]
    receptor: ReceptorComplex
    main_stats: tuple[str, ...]
    secondary_stats: tuple[str, ...]
    signalling_mode: str
    source: str
    verified: bool
    table_name: str = ""
    expressing_cell_types: str = ""

    @property
    def jaks(self) -> tuple[str, ...]:
        """The JAKs of the receptor (shortcut for ``receptor.jaks``)."""
        return self.receptor.jaks

    @property
    def stats(self) -> tuple[str, ...]:
        """Main then secondary STATs."""
        return self.main_stats + self.secondary_stats


def _names_for(table_name: str) -> tuple[str, tuple[str, ...]]:
    if table_name in _NAMES:
        canonical, extra = _NAMES[table_name]
    else:
        canonical = re.sub(r"\s*\(.*\)\s*$", "", table_name).strip() or table_name
        extra = ()
        interleukin = re.fullmatch(r"IL-(\d+)", canonical)
        if interleukin:
            extra = (f"interleukin-{interleukin.group(1)}",)
    aliases = tuple(dict.fromkeys(a for a in (table_name, *extra) if a != canonical))
    return canonical, aliases


def cytokine_from_row(row: dict[str, str]) -> Cytokine:
    """Build a :class:`Cytokine` from a ``pathway_cytokine_receptors.csv`` row."""
    verified = verified_flag(row["verified"])
    name, aliases = _names_for(row["cytokine"])
    main = stat_tokens(row["main_stats"])
    secondary = tuple(s for s in stat_tokens(row["secondary_stats"]) if s not in main)
    return Cytokine(
        name=name,
        aliases=aliases,
        receptor=receptor_from_row(row, verified),
        main_stats=main,
        secondary_stats=secondary,
        signalling_mode=row["signalling_mode"],
        source=row["source"],
        verified=verified,
        table_name=row["cytokine"],
        expressing_cell_types=row["expressing_cell_types"],
    )


@functools.lru_cache(maxsize=1)
def _registry() -> Registry[Cytokine]:
    rows = load_table("pathway_cytokine_receptors").to_dict(orient="records")
    return Registry("cytokine", (cytokine_from_row(r) for r in rows), lambda c: [c.name, *c.aliases])


def cytokines() -> tuple[Cytokine, ...]:
    """Return all cytokines of the receptor table, in table order.

    Returns
    -------
    tuple of Cytokine
        27 records (IL-6, IL-6 trans, IL-11, OSM, ...).
    """
    return _registry().records


def get_cytokine(name: str) -> Cytokine:
    """Return the cytokine named ``name`` (canonical name or alias, any case).

    Parameters
    ----------
    name : str
        E.g. ``"IL-6"``, ``"il6"``, ``"IL-6 (classic)"``, ``"IFN-γ"``.

    Returns
    -------
    Cytokine

    Raises
    ------
    jakstat.errors.UnknownNameError
        ``unknown cytokine 'IL-66'; known: EPO, G-CSF, GH, GM-CSF, ...`` (canonical names).

    Examples
    --------
    >>> get_cytokine("ifn-gamma").receptor.jaks
    ('JAK1', 'JAK2')
    """
    return _registry().get(name)
