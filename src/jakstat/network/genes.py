"""Target genes from ``gene_targets.csv``: transcription factors, transcription, and SOCS feedback.

Rules applied to every gene row, never per gene:

- **Transcription factors** are read from the ``driven_by`` text: ``ISGF3`` is the pSTAT1:pSTAT2
  heterodimer with IRF9 taken to be in excess (made, imported and dissociated with the homodimer
  constants); ``GAF`` is the pSTAT1
  homodimer; any other ``STATn`` is the nuclear pSTATn homodimer. A gene with several drivers is
  transcribed by the sum of their nuclear concentrations (alternative promoters, not a complex).
  With allele pools (:func:`jakstat.network.pathways.pathway_definition`) every allele form of a
  driver (species marked ``allele_form_of``: mixed and variant dimers, ISGF3 with a variant STAT1)
  counts like the wild-type form.
- **Transcription** ``-> <gene>_mRNA`` at ``(k_tx_basal + k_tx_max A/(K + A)) V_nucleus`` with
  the SOCS3 constants of Singh 2006 (Vmax, Km) for every gene; the mRNA decays with Singh's
  SOCS3 mRNA rate. A gene without a STAT driver (TNF) is transcribed at its basal rate only.
  ``gene_kinetics`` may give a gene its own basal rate, maximal rate and mRNA decay (with their
  provenance; the interferon-score ISGs take theirs from ``isg_score_genes.csv``,
  :mod:`jakstat.network.isg_blood`).
- **Secreted cytokines**: a gene that encodes a cytokine whose receptor is in the network (IL6,
  IFNG) is translated and secreted into the medium (lumped, an assumed uncalibrated rate), so
  autocrine loops close; secreted cytokines decay slowly in the medium.
- **Feedback proteins** (``sign_of_feedback`` starts with "negative feedback on"): the mRNA is
  translated, the protein decays, and it binds the active complexes of every receptor whose chains
  are named in that text (``gp130``, ``IFNGR``, ``IFNAR``, ``EpoR``, ``IL-2R`` ...), taking them
  out of signalling until it lets go (Singh's SOCS3 constants kf21/kr21).
"""

from __future__ import annotations

import copy
import re
from itertools import product
from typing import Any

from jakstat.errors import UnknownNameError
from jakstat.knowledge import Gene, cytokines, genes, get_cytokine
from jakstat.knowledge.molecules import stat_tokens
from jakstat.network.pathways import allele_monomer, allele_tokens, species_token

SINGH = {"table": "kinetics_il6_jak_stat", "row": {"model": "Singh2006_IL6 (BIOMD0000000151)"}}
SOCS3_NOTE = "Singh 2006 SOCS3 constant used for every target gene (no gene-specific values in the tables)"


def transcription_factors(gene: Gene) -> tuple[str, ...]:
    """Nuclear species ids that drive ``gene`` (``ISGF3_nuc``, ``pSTAT3_dimer_nuc`` ...)."""
    text = gene.driven_by
    drivers: list[str] = []
    if re.search(r"\bISGF3\b", text):
        drivers.append("ISGF3_nuc")
    if re.search(r"\bGAF\b", text):
        drivers.append("pSTAT1_dimer_nuc")
    for stat in stat_tokens(re.sub(r"\bISGF3\b|\bGAF\b", "", text)):
        sid = f"p{species_token(stat)}_dimer_nuc"
        if sid not in drivers:
            drivers.append(sid)
    return tuple(drivers)


def feedback_targets(gene: Gene, receptor_chains: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    """Cytokine tokens whose receptors the gene's protein inhibits (from ``sign_of_feedback``).

    A receptor is a target when one of its chains starts with a name given after "negative
    feedback on" (``gp130`` -> gp130; ``IFNGR`` -> IFNGR1, IFNGR2; ``IL-2R`` -> IL-2Rbeta).
    """
    text = gene.sign_of_feedback
    if not text.lower().startswith("negative feedback on"):
        return ()
    named = {t.lower() for t in re.findall(r"[A-Za-z0-9]+(?:-[0-9]+R)?", text.split(" on ", 1)[1]) if len(t) >= 3}
    return tuple(token for token, chains in receptor_chains.items()
                 if any(chain.lower().startswith(n) for chain in chains for n in named))


def _secreted_ligand(gene: Gene, species: dict[str, Any]) -> str | None:
    """The medium species of the cytokine a gene encodes, if the network has its receptor."""
    try:
        ligand = f"{species_token(get_cytokine(gene.name).name)}_medium"
    except UnknownNameError:
        return None
    return ligand if ligand in species else None


def add_gene_expression(definition: dict[str, Any], gene_names: tuple[str, ...] | None = None,
                        gene_kinetics: dict[str, dict[str, dict[str, Any]]] | None = None) -> dict[str, Any]:
    """A copy of a pathway definition with target genes, ISGF3 and SOCS-type feedback added.

    Genes whose drivers are not in the network (e.g. ISGF3 without STAT1 and STAT2) keep only
    their basal transcription. ``gene_names``: a subset of ``gene_targets.csv`` (default all).
    ``gene_kinetics``: gene -> parameter definitions (with provenance) of its own ``k_tx_basal``,
    ``k_tx_max`` and/or ``k_mRNA_deg``, which replace the shared constants for that gene only
    (named ``k_tx_basal_<GENE>`` ...); genes not named keep the shared constants.
    """
    out = copy.deepcopy(definition)
    species, params, reactions = out["species"], out["parameters"], out["reactions"]
    out.setdefault("sources", {})["singh"] = SINGH
    params.update({
        "k_tx_max": {"from": "singh", "row": {"parameter": "k18a"}, "note": SOCS3_NOTE},
        "K_tx": {"from": "singh", "row": {"parameter": "k18b"}, "note": SOCS3_NOTE},
        "k_tx_basal": {"value": 1.0e-5, "unit": "nM/s", "about": "STAT-independent transcription of every target gene",
                       "assumed": "0.1% of Singh's maximal STAT3-driven SOCS3 transcription: genes are near-silent without pSTAT; to be calibrated per gene"},
        "k_mRNA_deg": {"from": "singh", "row": {"parameter": "k22"}, "note": SOCS3_NOTE},
        "k_translation": {"from": "singh", "row": {"parameter": "k20"}, "note": SOCS3_NOTE},
        "k_protein_deg": {"from": "singh", "row": {"parameter": "k23"}, "note": SOCS3_NOTE},
        "k_secretion": {"value": 1.0e-5, "unit": "1/s", "about": "lumped translation + secretion of a cytokine per mRNA",
                        "assumed": "uncalibrated; 1000x below Singh 2006 translation (k20): with the generic constants the autocrine loops switch the resting hepatocyte to a saturated state at 1e-4/s and not at 1e-5/s; to be calibrated against secretion data (target_dpm_stat4.csv)"},
        "k_decay_medium": {"value": 8.0e-6, "unit": "1/s", "about": "loss of a secreted cytokine in the medium (half-life ~24 h)",
                           "assumed": "the same slow loss as IL-6 in the IL-6 module; cytokines are stable for days in culture medium"},
        "kf_socs": {"from": "singh", "row": {"parameter": "kf21"}, "note": SOCS3_NOTE},
        "kr_socs": {"from": "singh", "row": {"parameter": "kr21"}, "note": SOCS3_NOTE},
    })
    pools = out.get("allele_pools", {})
    if "pSTAT1_cyt" in species and "pSTAT2_cyt" in species:
        # ISGF3: the pSTAT1:pSTAT2 heterodimer with IRF9, which is taken to be in excess (not a species);
        # one per combination of the STAT1 and STAT2 alleles' proteins when a network has allele pools
        for one, two in product(allele_tokens("STAT1", pools), allele_tokens("STAT2", pools)):
            suffix = "".join(f"_{t}" for t, stat in ((one, "STAT1"), (two, "STAT2")) if t != species_token(stat))
            cyt, nuc = f"ISGF3{suffix}_cyt", f"ISGF3{suffix}_nuc"
            composition = {allele_monomer("STAT1", one): 1, allele_monomer("STAT2", two): 1}
            label = " (" + ", ".join(f"variant {t[:-1]}" for t in suffix.split("_")[1:]) + ")" if suffix else ""
            species[cyt] = {"in": "cytoplasm", "name": f"ISGF3 (pSTAT1:pSTAT2:IRF9){label}", "composition": composition}
            species[nuc] = {"in": "nucleus", "name": f"ISGF3 (nucleus){label}", "composition": composition}
            if suffix:
                species[cyt]["allele_form_of"], species[nuc]["allele_form_of"] = "ISGF3_cyt", "ISGF3_nuc"
            reactions += [
                {"id": f"ISGF3{suffix}_formation_cyt", "eq": f"p{one}_cyt + p{two}_cyt <-> {cyt}", "kf": "kf_dimer", "kr": "kr_dimer",
                 "in": "cytoplasm", "about": "heterodimerisation with the homodimer constants; IRF9 assumed in excess"},
                {"id": f"ISGF3{suffix}_import", "eq": f"{cyt} -> {nuc}", "kf": "k_import", "in": "cytoplasm"},
                {"id": f"ISGF3{suffix}_dissociation_nuc", "eq": f"{nuc} <-> p{one}_nuc + p{two}_nuc", "kf": "kr_dimer", "kr": "kf_dimer",
                 "in": "nucleus"},
            ]
    chains_by_token = {species_token(c.name): c.receptor.chains for c in cytokines()}
    receptors = {sid[2:]: chains_by_token[sid[2:]] for sid in species if sid.startswith("R_")}
    chosen = [g for g in genes() if gene_names is None or g.name in gene_names]
    for gene in chosen:
        tok = species_token(gene.name)
        drivers = [d for d in transcription_factors(gene) if d in species]
        # every allele form of a driver (wild-type, mixed and variant dimers) drives the gene alike
        activity = " + ".join(sid for d in drivers for sid in (d, *(s for s, spec in species.items()
                                                                   if spec.get("allele_form_of") == d)))
        species[f"{tok}_mRNA"] = {"in": "cytoplasm", "name": f"{gene.name} mRNA", "composition": {}}
        own = (gene_kinetics or {}).get(gene.name, {})
        unknown = sorted(set(own) - {"k_tx_basal", "k_tx_max", "k_mRNA_deg"})
        if unknown:
            raise UnknownNameError(f"per-gene kinetic parameter of {gene.name}", unknown[0],
                                   ("k_tx_basal", "k_tx_max", "k_mRNA_deg"))
        name = {k: (f"{k}_{tok}" if k in own else k) for k in ("k_tx_basal", "k_tx_max", "k_mRNA_deg")}
        params.update({f"{k}_{tok}": spec for k, spec in own.items()})
        basal, vmax = name["k_tx_basal"], name["k_tx_max"]
        rate = basal if not drivers else f"({basal} + {vmax} * ({activity}) / (K_tx + {activity}))"
        reactions += [
            {"id": f"{tok}_transcription", "eq": f"-> {tok}_mRNA", "rate": f"{rate} * nucleus",
             "about": f"{gene.name}: driven by {', '.join(drivers) or 'no STAT in this network'} ({gene.source})"},
            {"id": f"{tok}_mRNA_decay", "eq": f"{tok}_mRNA ->", "kf": name["k_mRNA_deg"], "in": "cytoplasm"},
        ]
        secreted = _secreted_ligand(gene, species)
        if secreted:
            reactions.append({"id": f"{tok}_secretion", "eq": f"{tok}_mRNA -> {tok}_mRNA + {secreted}",
                              "kf": "k_secretion", "in": "cytoplasm",
                              "about": f"translation and secretion of {gene.name} into the medium (lumped), closing its loop"})
            if f"{secreted}_decay" not in {r["id"] for r in reactions}:
                reactions.append({"id": f"{secreted}_decay", "eq": f"{secreted} ->", "kf": "k_decay_medium", "in": "medium"})
        targets = feedback_targets(gene, receptors)
        if targets:
            species[tok] = {"in": "cytoplasm", "name": f"{gene.name} protein", "composition": {tok: 1}}
            reactions += [
                {"id": f"{tok}_translation", "eq": f"{tok}_mRNA -> {tok}_mRNA + {tok}", "kf": "k_translation", "in": "cytoplasm"},
                {"id": f"{tok}_decay", "eq": f"{tok} ->", "kf": "k_protein_deg", "in": "cytoplasm"},
            ]
            for target in targets:
                act = f"{target}_R_{target}_act"
                complex_id = f"{act}_{tok}"
                species[complex_id] = {"in": "cytoplasm", "composition": {**species[act]["composition"], tok: 1}}
                reactions.append({"id": f"{tok}_inhibits_{target}", "eq": f"{act} + {tok} <-> {complex_id}",
                                  "kf": "kf_socs", "kr": "kr_socs", "in": "cytoplasm"})
    return out
