"""Blood leukocytes in serum type I IFN: the network behind the interferon score.

The network is the generated type I IFN pathway (:func:`jakstat.network.pathways.pathway_definition`
for ``IFN-alpha/beta``: IFNAR with JAK1 + TYK2, STAT1/STAT2 -> ISGF3 = pSTAT1:pSTAT2 + IRF9) with
every target gene of ``gene_targets.csv`` (:func:`jakstat.network.genes.add_gene_expression`). The six
score ISGs (IFI27, IFI44L, IFIT1, ISG15, RSAD2, SIGLEC1) get their own transcription and mRNA decay
constants from ``isg_score_genes.csv``: per gene, a factor on the shared basal rate ``k_tx_basal``, a
factor on the shared ISGF3-driven maximal rate ``k_tx_max`` and an mRNA half-life; the table is the
only place the six genes differ.

Differences from a culture well:

- **Serum IFN is held constant** (the ligand species is an SBML boundary species): in a patient,
  IFN is produced as fast as it is used, so binding does not deplete it; the clamp is the IFN-alpha
  measured in serum times :data:`BIOACTIVITY_PARAMETER`.
- **Only the IFNAR pathway is stimulated**: the other receptors of blood leukocytes get no ligand in
  this model, so they are left out (as in the whole-blood assay's ``network="stimulated"``). The
  pathway constants are the generated network's, the same for CD4 T cells and monocytes.

``f_ifn_bioactivity`` (the IFNAR-activating ligand concentration at leukocytes per unit of serum
IFN-alpha measured by digital ELISA) lumps what the tables do not hold: the other IFN-alpha subtypes
and IFN-beta/omega, and the type I IFN receptor's higher sensitivity than the generic (IFN-gamma)
binding constants of the generated pathways. It is calibrated (``ifn_score_blood``: the control
population's positivity threshold, JDM02) by :mod:`jakstat.studies.ifn_score_calibration`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from jakstat.data import load_table
from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.knowledge import get_cytokine
from jakstat.network.culture import Culture, with_culture
from jakstat.network.definition import network_from_definition
from jakstat.network.genes import add_gene_expression
from jakstat.network.model import Network
from jakstat.network.pathways import pathway_definition, species_token

IFN = "IFN-alpha/beta"
LIGAND_SPECIES = f"{species_token(IFN)}_medium"
"""The clamped serum type I IFN species (nM)."""
SCORE_GENES = ("IFI27", "IFI44L", "IFIT1", "ISG15", "RSAD2", "SIGLEC1")
"""The six ISGs of the clinical score (Rice 2017; target_jdm_ifn.csv JDM01), in the table's order."""
CALIBRATION = "ifn_score_blood"
BIOACTIVITY_PARAMETER = "f_ifn_bioactivity"
BLOOD_CELLS = ("monocyte", "cd4_t_cell")


@dataclass(frozen=True)
class IsgKinetics:
    """One row of ``isg_score_genes.csv``.

    Attributes
    ----------
    gene : str
    basal_factor, induced_factor : float
        Multipliers of the shared ``k_tx_basal`` (nM/s) and ``k_tx_max`` (nM/s).
    half_life_h : float
        mRNA half-life, h.
    control_sd_ln : float
        Between-control spread of the gene's expression (natural log) at a given IFN level.
    reason, source : str
        Why the values were chosen; where from.
    verified : bool
    """

    gene: str
    basal_factor: float
    induced_factor: float
    half_life_h: float
    control_sd_ln: float
    reason: str
    source: str
    verified: bool


@lru_cache(maxsize=None)
def isg_kinetics() -> tuple[IsgKinetics, ...]:
    """The rows of ``isg_score_genes.csv`` (one per score gene)."""
    rows = load_table("isg_score_genes").to_dict(orient="records")
    out = tuple(IsgKinetics(r["gene"], float(r["basal_tx_factor"]), float(r["induced_tx_factor"]),
                            float(r["mrna_half_life_h"]), float(r["control_sd_ln"]), r["reason"], r["source"],
                            r["verified"] == "yes") for r in rows)
    missing = [g for g in SCORE_GENES if g not in {k.gene for k in out}]
    if missing:
        raise InvalidValueError(f"isg_score_genes.csv: no row for {', '.join(missing)}")
    return out


def gene_kinetics_definitions() -> dict[str, dict[str, dict]]:
    """Per-gene parameter definitions (with provenance) for :func:`add_gene_expression`."""
    out: dict[str, dict[str, dict]] = {}
    for row in isg_kinetics():
        note = f"isg_score_genes.csv row {row.gene} ({row.source}; verified={'yes' if row.verified else 'no'}): {row.reason}"
        out[row.gene] = {
            "k_tx_basal": {"value": 1.0e-5 * row.basal_factor, "unit": "nM/s", "assumed": note,
                           "about": f"{row.gene}: STAT-independent transcription = {row.basal_factor:g} x the shared 1e-5 nM/s"},
            "k_tx_max": {"value": 0.01 * row.induced_factor, "unit": "nM/s", "assumed": note,
                         "about": f"{row.gene}: ISGF3-driven maximal transcription = {row.induced_factor:g} x Singh 2006 k18a (0.01 nM/s)"},
            "k_mRNA_deg": {"value": math.log(2) / (row.half_life_h * 3600.0), "unit": "1/s", "assumed": note,
                           "about": f"{row.gene}: mRNA decay, half-life {row.half_life_h:g} h"},
        }
    return out


def _check_cell(cell: str) -> str:
    from jakstat.knowledge import get_cell_type
    from jakstat.network.cells import expressed_cytokines

    name = get_cell_type(cell).name
    if name not in BLOOD_CELLS:
        raise UnknownNameError("blood leukocyte with a generated network", cell, BLOOD_CELLS)
    if get_cytokine(IFN).name not in expressed_cytokines(name):  # pragma: no cover - both express IFNAR
        raise InvalidValueError(f"cell {name!r} has no type I IFN receptor in pathway_cytokine_receptors.csv")
    return name


@lru_cache(maxsize=4)
def blood_isg_network(cell: str = "monocyte") -> Network:
    """The type I IFN network of a blood leukocyte with the six score ISGs' own kinetics; serum IFN = 0.

    Set the clamped serum IFN with :func:`jakstat.network.edit.with_initial_values` on
    :data:`LIGAND_SPECIES` (nM, the effective concentration: serum IFN-alpha x ``f_ifn_bioactivity``).
    """
    name = _check_cell(cell)
    definition = add_gene_expression(pathway_definition((IFN,), name=f"{name}_blood_isg"),
                                     gene_kinetics=gene_kinetics_definitions())
    ligand = definition["species"][LIGAND_SPECIES]
    ligand["boundary"] = True
    ligand["name"] = "type I IFN at the leukocytes (serum IFN-alpha x f_ifn_bioactivity), held constant"
    ligand["initial"] = {"value": 0.0, "unit": "nM", "input": "serum IFN-alpha x f_ifn_bioactivity"}
    definition["description"] = (f"{name} in blood: type I IFN pathway with serum IFN held constant; score ISGs "
                                 "with per-gene kinetics from isg_score_genes.csv; " + definition["description"])
    return with_culture(network_from_definition(definition), Culture())


def bioactivity() -> tuple[float, str]:
    """``f_ifn_bioactivity`` (dimensionless) from the stored calibration, and its description."""
    from jakstat.data.calibration_records import calibrated_value

    value, _, targets = calibrated_value(CALIBRATION, BIOACTIVITY_PARAMETER)
    return value, f"calibration {CALIBRATION} (fitted to {targets})"


__all__ = ["BIOACTIVITY_PARAMETER", "BLOOD_CELLS", "CALIBRATION", "IFN", "IsgKinetics", "LIGAND_SPECIES",
           "SCORE_GENES", "bioactivity", "blood_isg_network", "gene_kinetics_definitions", "isg_kinetics"]
