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
  dephosphorylated there and the STAT returns to the cytoplasm.

Nothing in this module names a cytokine: the table is the only place where pathways differ.
Kinetic constants are the generic JAK-STAT constants of Yamada 2003 (BIOMD0000000093, IFN-gamma /
STAT1), used for every pathway for want of pathway-specific values; each says so in its note.
The output is a network definition (the YAML schema of :mod:`jakstat.network.definition`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from jakstat.data import table_row
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


def _yamada(parameter: str, note: str = GENERIC_NOTE) -> dict[str, Any]:
    return {"from": "yamada", "row": {"parameter": parameter}, "note": note}


def _nuclear_dephosphorylation_rate() -> float:
    """Low-substrate rate of Yamada's nuclear phosphatase PPN: kf * PPN / (kb + kcat) * kcat, 1/s."""
    def v(p: str) -> float:
        return float(table_row("kinetics_ifn_jak_stat", parameter=p, **{"model": YAMADA["row"]["model"]})["value"])
    return v("v18 kf") * v("PPN init") * v("v19 kf") / (v("v18 kb") + v("v19 kf"))


def pathway_definition(cytokines: Iterable[str], *, name: str = "cytokine_pathways",
                       receptor_nM: float = 10.0, stat_nM: float = 1000.0) -> dict[str, Any]:
    """A network definition with the pathways of ``cytokines`` sharing JAK-free fractions and STAT pools.

    Parameters
    ----------
    cytokines : iterable of str
        Cytokine names (knowledge-base names or aliases).
    receptor_nM, stat_nM : float
        Initial receptor and STAT concentrations, nM (Yamada 2003 values by default; assumed to
        hold for every receptor and STAT of the cell until cell-type tables give better ones).
    """
    records: list[Cytokine] = []
    for c in cytokines:
        record = get_cytokine(c)
        if record not in records:
            records.append(record)
    stats_used = sorted({s for c in records for s in (*c.main_stats, *c.secondary_stats)})
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
            st = species_token(stat)
            inter = f"{act}_{st}"
            species[inter] = {"in": "cytoplasm", "composition": {f"L_{tok}": 1, rec: 1, stat: 1}}
            scale = "" if stat in c.main_stats else "f_secondary * "
            reactions += [
                {"id": f"{tok}_binds_{st}", "eq": f"{act} + {st}_cyt <-> {inter}", "kf": "kf_stat", "kr": "kr_stat", "in": "cytoplasm"},
                {"id": f"{tok}_phosphorylates_{st}", "eq": f"{inter} -> {act} + p{st}_cyt",
                 "rate": f"{scale}k_phos * {inter} * cytoplasm"},
            ]
    for stat in stats_used:
        st = species_token(stat)
        species[f"{st}_cyt"] = {"in": "cytoplasm", "composition": {stat: 1},
                                "initial": {"value": stat_nM, "unit": "nM",
                                            "assumed": "Yamada 2003 cytoplasmic STAT1 (1000 nM) used for every STAT; no per-cell STAT numbers in cell_types.csv"}}
        species[f"p{st}_cyt"] = {"in": "cytoplasm", "composition": {stat: 1}}
        species[f"p{st}_dimer_cyt"] = {"in": "cytoplasm", "composition": {stat: 2}}
        species[f"p{st}_dimer_nuc"] = {"in": "nucleus", "composition": {stat: 2}}
        species[f"p{st}_nuc"] = {"in": "nucleus", "composition": {stat: 1}}
        species[f"{st}_nuc"] = {"in": "nucleus", "composition": {stat: 1}}
        reactions += [
            {"id": f"p{st}_dimerisation_cyt", "eq": f"2 p{st}_cyt <-> p{st}_dimer_cyt", "kf": "kf_dimer", "kr": "kr_dimer", "in": "cytoplasm"},
            {"id": f"p{st}_dimer_import", "eq": f"p{st}_dimer_cyt -> p{st}_dimer_nuc", "kf": "k_import", "in": "cytoplasm"},
            {"id": f"p{st}_dimer_dissociation_nuc", "eq": f"p{st}_dimer_nuc <-> 2 p{st}_nuc", "kf": "kr_dimer", "kr": "kf_dimer", "in": "nucleus"},
            {"id": f"p{st}_dephosphorylation_nuc", "eq": f"p{st}_nuc -> {st}_nuc", "kf": "k_dephos_nuc", "in": "nucleus"},
            {"id": f"{st}_export", "eq": f"{st}_nuc -> {st}_cyt", "kf": "k_export", "in": "nucleus"},
        ]
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
    }
