"""Genotypes as parameter edits: a variant is a named set of edits with provenance (``variant_effects.csv``).

Rules, the same for every gene:

- **Allele pools.** A network that models variants of a gene declares, in its definition's
  ``allele_pools`` section, the species holding the wild-type protein and the one holding the
  variant protein (``STAT4: {wild_type: STAT4_cyt, variant: STAT4v_cyt}``). The genotype splits the
  gene's total initial amount between the two by allele dose: wild type 0, heterozygous 1/2,
  homozygous 1 of the protein is variant. Both pools are in the network for every genotype of
  that gene (a wild type carries an empty variant pool), so they share one structure (one compiled
  model, one SBML shape). The fibroblast definition writes its STAT4 pools by hand; the generated
  networks get theirs from the same rule applied to any STAT (:func:`jakstat.network.pathways.pathway_definition`,
  ``allele_pools``), for the STATs a genotype names.
- **Edits.** Each variant allele applies the rows of ``variant_effects.csv`` for that variant and
  network (``il6_fibroblast``, or ``generated`` for every generated network): ``CALIBRATED``
  values come from the named calibration record (data/calibrations/), the provenance of the
  edited parameter becomes that calibration (or the row's assumption).
- A variant without rows for the network, a gene without an allele pool, or two different variants
  of one gene whose edits disagree (one variant pool cannot hold both) are errors that list what is
  modelled.
"""

from __future__ import annotations

from collections.abc import Mapping

from jakstat.data import load_table
from jakstat.data.calibration_records import calibrated_value
from jakstat.errors import GenotypeError
from jakstat.knowledge import Genotype
from jakstat.network.edit import with_initial_values, with_parameter
from jakstat.network.model import Network
from jakstat.network.provenance import Assumed, Calibration, Input, Provenance


def modelled_variants(network: str) -> tuple[str, ...]:
    """Variant names (``STAT4_A635V`` ...) that have parameter edits for ``network``."""
    table = load_table("variant_effects")
    return tuple(sorted(set(table.loc[table["network"] == network, "variant"])))


def variant_edits(variant: str, network: str) -> dict[str, tuple[float, Provenance]]:
    """Parameter id -> (value, provenance) that ``variant`` applies to ``network``."""
    table = load_table("variant_effects")
    rows = table[(table["variant"].str.upper() == variant.upper()) & (table["network"] == network)]
    if rows.empty:
        known = modelled_variants(network)
        raise GenotypeError(f"variant {variant} has no modelled effect in the {network} network; "
                            f"modelled variants: {', '.join(known) or 'none'}")
    edits: dict[str, tuple[float, Provenance]] = {}
    for row in rows.to_dict("records"):
        if row["provenance"] == "calibrated":
            value, _, targets = calibrated_value(row["reason_or_calibration"], row["parameter"])
            provenance: Provenance = Calibration(row["reason_or_calibration"], targets)
        else:
            value, provenance = float(row["value"]), Assumed(row["reason_or_calibration"])
        edits[row["parameter"]] = (value, provenance)
    return edits


def with_genotype(net: Network, genotype: Genotype, network: str,
                  allele_pools: Mapping[str, Mapping[str, str]]) -> Network:
    """``net`` (built from definition ``network``) with the allele pools and edits of ``genotype``."""
    for gene in genotype.genes:
        alleles = genotype.alleles_of(gene)
        variant_alleles = [a for a in alleles if not a.is_wild_type]
        if not variant_alleles:
            continue
        if gene not in allele_pools:
            raise GenotypeError(f"genotype {genotype.to_string()!r}: the {network} network models no variant of {gene}; "
                                f"genes with variant pools: {', '.join(sorted(allele_pools)) or 'none'}")
        edits = [variant_edits(a.variant.name, network) for a in variant_alleles]
        values = [{pid: value for pid, (value, _) in e.items()} for e in edits]
        if any(v != values[0] for v in values[1:]):  # equal values can share one pool whatever their reasons
            raise GenotypeError(f"genotype {genotype.to_string()!r}: two {gene} variants with different effects cannot "
                                "share one variant pool; give one variant (heterozygous or homozygous)")
        pools = allele_pools[gene]
        wild, variant = pools["wild_type"], pools["variant"]
        initial = {s.id: s for s in net.species}
        total = initial[wild].initial + initial[variant].initial
        fraction = len(variant_alleles) / 2.0
        label = f"genotype {genotype.to_string()} ({genotype.zygosity(gene)}): {fraction:g} of {gene} is variant protein"
        net = with_initial_values(net, {wild: total * (1.0 - fraction), variant: total * fraction}, Input(label))
        for pid, (value, provenance) in edits[0].items():
            net = with_parameter(net, pid, value, provenance)
    return net


__all__ = ["modelled_variants", "variant_edits", "with_genotype"]
