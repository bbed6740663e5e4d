"""Cytokine pathways generated from the receptor table: one motif applied to every row.

For each cytokine of ``pathway_cytokine_receptors.csv`` the builder writes the same reactions,
filled in from the table (which JAKs the receptor uses, which STATs it phosphorylates):

- the ligand in the medium binds its receptor complex (chains lumped, JAKs pre-associated);
- the ligand-bound complex is activated by JAK trans-phosphorylation at a rate scaled by the
  product of the free fractions of the receptor's JAKs (``free_JAK1`` ... : 1 without drug), so a
  receptor signals only when each of its JAKs is free of inhibitor;
- the active complex is deactivated (SHP2-type phosphatase, lumped) or internalised (ligand
  degraded, receptor recycled);
- the active complex binds and phosphorylates each STAT the table lists: main STATs at the full
  rate, secondary STATs at a tenth of it (assumed);
- every STAT is a shared pool: pSTAT homodimerises, the dimer enters the nucleus, is
  dephosphorylated there and the STAT returns to the cytoplasm;
- a STAT named in ``allele_pools`` has two pools side by side, the wild-type protein (``STAT1_cyt``
  ...) and the variant protein (``STAT1v_cyt`` ..., empty until a genotype fills it): each allele's
  protein has its own receptor-bound, phosphorylated, dimer and nuclear species, the two alleles
  form mixed dimers (``pSTAT1_pSTAT1v_dimer_nuc``), and the variant's nuclear dephosphorylation is
  scaled by ``f_dephos_STAT1v`` (1: wild-type behaviour; a genotype's edits set it,
  :mod:`jakstat.network.variant_effects`). Mixed dimers form at twice the homodimer rate constant
  (the two ways of pairing distinct monomers), so that kinetically identical alleles behave exactly
  as one pool. The definition's ``allele_pools`` section names the two pools of each such STAT, as
  the fibroblast definition does for STAT4.

Nothing in this module names a cytokine: the table is the only place where pathways differ.
Kinetic constants are the generic JAK-STAT constants of Yamada 2003 (BIOMD0000000093, IFN-gamma /
STAT1), used for every pathway for want of pathway-specific values; each says so in its note.
The output is a network definition (the YAML schema of :mod:`jakstat.network.definition`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from itertools import combinations_with_replacement
from typing import Any

from jakstat.data import table_row
from jakstat.errors import UnknownNameError
from jakstat.knowledge import Cytokine, get_cytokine, jaks

YAMADA = {"table": "kinetics_ifn_jak_stat", "row": {"model": "Yamada2003_IFNgamma_JAK_STAT1_SOCS1 (BIOMD0000000093)"}}
GENERIC_NOTE = "generic JAK-STAT constant of Yamada 2003 (IFN-gamma/STAT1) used for every pathway; no pathway-specific value in the tables"
SECONDARY_FACTOR_REASON = (
    "secondary STATs of a receptor (table column secondary_stats) are phosphorylated less than its main STATs; "
    "a factor of 0.1 is a placeholder until calibrated against kinetics/target tables"
)


def species_token(name: str) -> str:
    """An SBML-safe token for a cytokine or STAT name (``'IFN-alpha/beta'`` -> ``'IFNalpha_beta'``)."""
    return re.sub(r"[^A-Za-z0-9]+", "_", name.replace("-", "")).strip("_")


VARIANT_SUFFIX = "v"
"""Appended to a STAT's token for the variant allele's protein (``STAT1`` -> ``STAT1v``)."""


def allele_tokens(stat: str, allele_pools: Collection[str] = ()) -> tuple[str, ...]:
    """Species tokens of the proteins of ``stat``: ``('STAT1',)``, or ``('STAT1', 'STAT1v')`` with an allele pool."""
    token = species_token(stat)
    return (token, token + VARIANT_SUFFIX) if stat in allele_pools else (token,)


def dimer_id(first: str, second: str, where: str) -> str:
    """Id of the pSTAT dimer of two allele tokens in ``where`` (``pSTAT1_dimer_nuc``, ``pSTAT1_pSTAT1v_dimer_nuc``)."""
    return f"p{first}_dimer_{where}" if first == second else f"p{first}_p{second}_dimer_{where}"


def pathway_stats(cytokines: Iterable[str]) -> tuple[str, ...]:
    """The STATs (sorted) that the pathways of ``cytokines`` phosphorylate, main and secondary."""
    records = [get_cytokine(c) for c in cytokines]
    return tuple(sorted({s for c in records for s in (*c.main_stats, *c.secondary_stats)}))


def _yamada(parameter: str, note: str = GENERIC_NOTE) -> dict[str, Any]:
    return {"from": "yamada", "row": {"parameter": parameter}, "note": note}


def _nuclear_dephosphorylation_rate() -> float:
    """Low-substrate rate of Yamada's nuclear phosphatase PPN: kf * PPN / (kb + kcat) * kcat, 1/s."""
    def v(p: str) -> float:
        return float(table_row("kinetics_ifn_jak_stat", parameter=p, **{"model": YAMADA["row"]["model"]})["value"])
    return v("v18 kf") * v("PPN init") * v("v19 kf") / (v("v18 kb") + v("v19 kf"))


def pathway_definition(cytokines: Iterable[str], *, name: str = "cytokine_pathways",
                       receptor_nM: float = 10.0, stat_nM: float = 1000.0,
                       allele_pools: Iterable[str] = ()) -> dict[str, Any]:
    """A network definition with the pathways of ``cytokines`` sharing JAK-free fractions and STAT pools.

    Parameters
    ----------
    cytokines : iterable of str
        Cytokine names (knowledge-base names or aliases).
    receptor_nM, stat_nM : float
        Initial receptor and STAT concentrations, nM (Yamada 2003 values by default; assumed to
        hold for every receptor and STAT of the cell until cell-type tables give better ones).
    allele_pools : iterable of str
        STATs (``"STAT1"`` ...) that get a variant pool beside the wild-type one (empty, so the
        network behaves as without it until a genotype moves protein into it).

    Raises
    ------
    UnknownNameError
        For an allele-pool STAT that none of the pathways phosphorylates (the message lists those that do).
    """
    records: list[Cytokine] = []
    for c in cytokines:
        record = get_cytokine(c)
        if record not in records:
            records.append(record)
    stats_used = sorted({s for c in records for s in (*c.main_stats, *c.secondary_stats)})
    pools = tuple(dict.fromkeys(allele_pools))
    for stat in pools:
        if stat not in stats_used:
            raise UnknownNameError("STAT of these pathways (for an allele pool)", stat, stats_used)
    species: dict[str, Any] = {}
    parameters: dict[str, Any] = {
        "kon": _yamada("v2 kf"), "koff": _yamada("v2 kb"), "k_act": _yamada("v4 kf"),
        "k_deact": _yamada("v10 kf", GENERIC_NOTE + "; SHP2 catalytic rate used as a lumped first-order deactivation"),
        "kf_stat": _yamada("v5 kf"), "kr_stat": _yamada("v5 kb"), "k_phos": _yamada("v6 kf"),
        "kf_dimer": _yamada("v8 kf"), "kr_dimer": _yamada("v8 kb"), "k_import": _yamada("v16 kf"),
        "k_export": _yamada("v23 kf"),
        "k_dephos_nuc": {"value": _nuclear_dephosphorylation_rate(), "unit": "1/s",
                         "about": "nuclear pSTAT dephosphorylation, first order at low substrate",
                         "assumed": "derived from Yamada 2003 v18 kf, v18 kb, v19 kf and PPN init (kf*PPN*kcat/(kb+kcat)); lumping the phosphatase assumes it is far from saturation"},
        "k_int": {"value": 5.0e-4, "unit": "1/s", "about": "internalisation of active complexes (ligand degraded, receptor recycled)",
                  "assumed": "half-time ~23 min, the order of receptor-mediated cytokine endocytosis; the same value as the IL-6 module"},
        "f_secondary": {"value": 0.1, "unit": "dimensionless", "assumed": SECONDARY_FACTOR_REASON},
    }
    for jak in (j.name for j in jaks()):
        parameters[f"free_{jak}"] = {"value": 1.0, "unit": "dimensionless", "about": f"fraction of {jak} free of inhibitor",
                                     "input": f"drug occupancy of {jak} (1 = no drug)"}
    reactions: list[dict[str, Any]] = []
    for c in records:
        tok = species_token(c.name)
        lig, rec, bound, act = f"{tok}_medium", f"R_{tok}", f"{tok}_R_{tok}", f"{tok}_R_{tok}_act"
        species[lig] = {"in": "medium", "name": f"{c.name} in the medium", "composition": {f"L_{tok}": 1},
                        "initial": {"value": 0.0, "unit": "nM", "input": f"--cytokine {c.name}"}}
        species[rec] = {"in": "cytoplasm", "name": f"{c.name} receptor ({' + '.join(c.receptor.chains)})",
                        "composition": {rec: 1},
                        "initial": {"value": receptor_nM, "unit": "nM",
                                    "assumed": "Yamada 2003 IFN-gamma receptor initial value (10 nM) used for every receptor; no per-cell receptor numbers in cell_types.csv"}}
        species[bound] = {"in": "cytoplasm", "composition": {f"L_{tok}": 1, rec: 1}}
        species[act] = {"in": "cytoplasm", "composition": {f"L_{tok}": 1, rec: 1}}
        free = " * ".join(f"free_{j}" for j in c.receptor.jaks)
        reactions += [
            {"id": f"{tok}_binding", "eq": f"{lig} + {rec} <-> {bound}", "kf": "kon", "kr": "koff", "in": "cytoplasm"},
            {"id": f"{tok}_activation", "eq": f"{bound} -> {act}", "rate": f"k_act * {free} * {bound} * cytoplasm",
             "about": f"JAK trans-phosphorylation; needs {', '.join(c.receptor.jaks)} free"},
            {"id": f"{tok}_deactivation", "eq": f"{act} -> {bound}", "kf": "k_deact", "in": "cytoplasm"},
            {"id": f"{tok}_internalisation", "eq": f"{act} -> {rec}", "kf": "k_int", "in": "cytoplasm"},
        ]
        for stat in (*c.main_stats, *c.secondary_stats):
            scale = "" if stat in c.main_stats else "f_secondary * "
            for st in allele_tokens(stat, pools):
                inter = f"{act}_{st}"
                species[inter] = {"in": "cytoplasm", "composition": {f"L_{tok}": 1, rec: 1, allele_monomer(stat, st): 1}}
                reactions += [
                    {"id": f"{tok}_binds_{st}", "eq": f"{act} + {st}_cyt <-> {inter}", "kf": "kf_stat", "kr": "kr_stat", "in": "cytoplasm"},
                    {"id": f"{tok}_phosphorylates_{st}", "eq": f"{inter} -> {act} + p{st}_cyt",
                     "rate": f"{scale}k_phos * {inter} * cytoplasm"},
                ]
    for stat in stats_used:
        alleles = allele_tokens(stat, pools)
        for st in alleles:
            mono = {allele_monomer(stat, st): 1}
            if st == species_token(stat):
                initial = {"value": stat_nM, "unit": "nM",
                           "assumed": "Yamada 2003 cytoplasmic STAT1 (1000 nM) used for every STAT; no per-cell STAT numbers in cell_types.csv"}
                species[f"{st}_cyt"] = {"in": "cytoplasm", "composition": mono, "initial": initial}
            else:
                species[f"{st}_cyt"] = {"in": "cytoplasm", "name": f"variant {stat} (cytoplasm)", "composition": mono,
                                        "initial": {"value": 0.0, "unit": "nM",
                                                    "input": f"{stat} total x variant allele fraction of the genotype (0 for wild type)"}}
                parameters[f"f_dephos_{st}"] = {
                    "value": 1.0, "unit": "dimensionless",
                    "about": f"nuclear dephosphorylation of variant {stat} relative to wild type",
                    "input": "the variant's effect, set by the genotype (jakstat.network.variant_effects; 1 = wild-type behaviour)"}
            species[f"p{st}_cyt"] = {"in": "cytoplasm", "composition": mono}
        for first, second in combinations_with_replacement(alleles, 2):
            composition: dict[str, int] = {}
            for st in (first, second):
                composition[allele_monomer(stat, st)] = composition.get(allele_monomer(stat, st), 0) + 1
            cyt, nuc = dimer_id(first, second, "cyt"), dimer_id(first, second, "nuc")
            homodimer = dimer_id(alleles[0], alleles[0], "nuc")
            species[cyt] = {"in": "cytoplasm", "composition": composition}
            species[nuc] = {"in": "nucleus", "composition": composition}
            if nuc != homodimer:
                species[cyt]["allele_form_of"] = dimer_id(alleles[0], alleles[0], "cyt")
                species[nuc]["allele_form_of"] = homodimer
            label = cyt[:-len("_dimer_cyt")]
            if first == second:
                reactions += [
                    {"id": f"{label}_dimerisation_cyt", "eq": f"2 p{first}_cyt <-> {cyt}", "kf": "kf_dimer", "kr": "kr_dimer", "in": "cytoplasm"},
                    {"id": f"{label}_dimer_import", "eq": f"{cyt} -> {nuc}", "kf": "k_import", "in": "cytoplasm"},
                    {"id": f"{label}_dimer_dissociation_nuc", "eq": f"{nuc} <-> 2 p{first}_nuc", "kf": "kr_dimer", "kr": "kf_dimer", "in": "nucleus"},
                ]
            else:
                mixed = "mixed dimer of the two alleles' proteins: homodimer constants, association x2 (two ways to pair distinct monomers)"
                reactions += [
                    {"id": f"{label}_dimerisation_cyt", "eq": f"p{first}_cyt + p{second}_cyt <-> {cyt}",
                     "rate": f"(2 * kf_dimer * p{first}_cyt * p{second}_cyt - kr_dimer * {cyt}) * cytoplasm", "about": mixed},
                    {"id": f"{label}_dimer_import", "eq": f"{cyt} -> {nuc}", "kf": "k_import", "in": "cytoplasm"},
                    {"id": f"{label}_dimer_dissociation_nuc", "eq": f"{nuc} <-> p{first}_nuc + p{second}_nuc",
                     "rate": f"(kr_dimer * {nuc} - 2 * kf_dimer * p{first}_nuc * p{second}_nuc) * nucleus", "about": mixed},
                ]
        for st in alleles:
            species[f"p{st}_nuc"] = {"in": "nucleus", "composition": {allele_monomer(stat, st): 1}}
            species[f"{st}_nuc"] = {"in": "nucleus", "composition": {allele_monomer(stat, st): 1}}
        for st in alleles:
            if st == species_token(stat):
                dephos = {"id": f"p{st}_dephosphorylation_nuc", "eq": f"p{st}_nuc -> {st}_nuc", "kf": "k_dephos_nuc", "in": "nucleus"}
            else:
                dephos = {"id": f"p{st}_dephosphorylation_nuc", "eq": f"p{st}_nuc -> {st}_nuc",
                          "rate": f"f_dephos_{st} * k_dephos_nuc * p{st}_nuc * nucleus",
                          "about": f"variant {stat}: nuclear dephosphorylation scaled by the genotype's edit"}
            reactions += [dephos, {"id": f"{st}_export", "eq": f"{st}_nuc -> {st}_cyt", "kf": "k_export", "in": "nucleus"}]
    return {
        "name": name,
        "description": "cytokine pathways generated from pathway_cytokine_receptors.csv: " + ", ".join(c.name for c in records),
        "sources": {"yamada": YAMADA},
        "compartments": {
            "medium": {"value": 1.0e-3, "unit": "L", "input": "culture.medium_volume (default 1 mL)"},
            "cytoplasm": {"value": 2.0e-7, "unit": "L", "input": "culture.n_cells (default 1e5) x 2 pL"},
            "nucleus": {"value": 5.0e-8, "unit": "L", "input": "culture.n_cells (default 1e5) x 0.5 pL"},
        },
        "species": species,
        "parameters": parameters,
        "reactions": reactions,
        "allele_pools": {stat: {"wild_type": f"{species_token(stat)}_cyt", "variant": f"{species_token(stat)}{VARIANT_SUFFIX}_cyt"}
                         for stat in pools},
    }


def allele_monomer(stat: str, token: str) -> str:
    """Composition name of one allele's protein: ``STAT1`` (wild type) or ``STAT1v`` (variant)."""
    return stat if token == species_token(stat) else f"{stat}{VARIANT_SUFFIX}"
