"""Assemble the network of a cell type in culture, for a genotype, from the packaged definitions.

The dermal fibroblast runs the detailed IL-6 classic/trans module with its autocrine loop
(``data/networks/il6_fibroblast.yaml``, Singh 2006 structure). The other modelled cell types
(CD4 T cell, monocyte, hepatocyte) run the networks generated from the receptor and gene tables
(:mod:`jakstat.network.cells`); ``cell="fibroblast-generated"`` gives the generated fibroblast.
Genotypes act on both kinds the same way (:mod:`jakstat.network.variant_effects`): the fibroblast
definition declares its STAT4 allele pools, a generated network gets pools for the STATs a genotype names.
"""

from __future__ import annotations

from collections.abc import Mapping

import pint

from jakstat.data import table_row
from jakstat.errors import GenotypeError, InvalidValueError, UnknownNameError
from jakstat.knowledge import Genotype, get_cell_type, get_cytokine, parse_genotype
from jakstat.network.cells import (expressed_cytokines, generated_cell_definition, generated_cell_network,
                                   generated_cell_stats)
from jakstat.network.culture import Culture, with_culture
from jakstat.network.pathways import species_token
from jakstat.network.definition import definition_section, load_definition
from jakstat.network.model import Network
from jakstat.network.variant_effects import modelled_variants, with_genotype
from jakstat.units import Quantity, check_dimension, parse_quantity

#: Cell type -> packaged network definition, or ``GENERATED`` for a network built from the tables.
GENERATED = "generated from the tables"
CELL_NETWORKS = {"fibroblast": "il6_fibroblast", "fibroblast-generated": GENERATED, "cd4_t_cell": GENERATED,
                 "monocyte": GENERATED, "hepatocyte": GENERATED}


def _cell_key(cell: str) -> str:
    if cell.strip().lower() == "fibroblast-generated":
        return "fibroblast-generated"
    record = get_cell_type(cell)  # UnknownNameError lists the known cell types
    if record.name not in CELL_NETWORKS:
        raise UnknownNameError(f"cell type with a network (cell {record.name!r} has none yet)", cell, CELL_NETWORKS)
    return record.name


def _base_network(key: str) -> Network:
    if CELL_NETWORKS[key] == GENERATED:
        return generated_cell_network(key.replace("-generated", ""))
    return load_definition(CELL_NETWORKS[key])


#: The ``network`` value of ``variant_effects.csv`` rows that apply to every generated network.
GENERATED_EFFECTS = "generated"


def _generated_with_genotype(key: str, geno: Genotype) -> Network:
    """A generated network with allele pools for the STATs ``geno`` names (so ``STAT1:wt/wt``,
    ``STAT1:R274Q/wt`` and ``STAT1:R274Q/R274Q`` share one structure) and the genotype applied."""
    cell = key.replace("-generated", "")
    stats = generated_cell_stats(cell)
    for allele in geno.variant_alleles():
        if allele.gene not in stats:
            known = ", ".join(modelled_variants(GENERATED_EFFECTS)) or "none"
            raise GenotypeError(f"genotype {geno.to_string()!r}: the {key} network has no {allele.gene} "
                                f"(its STATs: {', '.join(stats)}); variants modelled in generated networks: {known}")
    pools = tuple(g for g in geno.genes if g in stats)
    if not pools:
        return generated_cell_network(cell)
    definition = generated_cell_definition(cell, pools)
    net = generated_cell_network(cell, pools)
    return with_genotype(net, geno, GENERATED_EFFECTS, definition["allele_pools"]) if not geno.is_wild_type else net


def _ligands(cell: str) -> dict[str, dict]:
    key = _cell_key(cell)
    if CELL_NETWORKS[key] != GENERATED:
        return definition_section(CELL_NETWORKS[key], "ligands")
    return {c: {"species": f"{species_token(get_cytokine(c).name)}_medium", "molecular_weight": get_cytokine(c).name}
            for c in expressed_cytokines(key.replace("-generated", ""))}


def build_cell_network(cell: str = "fibroblast", genotype: str | Genotype = "wt",
                       culture: Culture = Culture()) -> Network:
    """The network of ``cell`` in ``culture`` for ``genotype``, before any stimulus.

    Raises
    ------
    UnknownNameError
        For an unknown cell type or one without a network (the message lists those with one).
    GenotypeError
        For a genotype string that does not parse, or a variant whose effects the cell's network does
        not model (the message lists the modelled variants / the cells that model variants).

    Notes
    -----
    A generated network (every cell but ``"fibroblast"``) carries wild-type and variant pools of
    each STAT the genotype names (``STAT1:wt/wt`` included), so all genotypes of one gene share one
    structure; ``"wt"`` gives the network without variant pools. The edits of a variant in a
    generated network are the ``variant_effects.csv`` rows with ``network = generated``.
    """
    key = _cell_key(cell)
    geno = parse_genotype(genotype) if isinstance(genotype, str) else genotype
    definition = CELL_NETWORKS[key]
    if definition == GENERATED:
        return with_culture(_generated_with_genotype(key, geno), culture)
    net = _base_network(key)
    if not geno.is_wild_type:
        pools = definition_section(definition, "allele_pools")
        if not pools:
            with_variants = [c for c, d in CELL_NETWORKS.items() if d == GENERATED or definition_section(d, "allele_pools")]
            raise GenotypeError(f"genotype {geno.to_string()!r}: the {key} network models no variants; "
                                f"cell types that do: {', '.join(with_variants)}")
        net = with_genotype(net, geno, definition, pools)
    return with_culture(net, culture)


def ligand_names(cell: str = "fibroblast") -> tuple[str, ...]:
    """Names accepted by ``--cytokine`` for this cell's network."""
    return tuple(_ligands(cell))


def _ligand_entry(cell: str, name: str) -> tuple[str, dict]:
    ligands = _ligands(cell)
    wanted = _norm(name)
    for key, spec in ligands.items():
        if wanted in {_norm(key), *(_norm(a) for a in spec.get("aliases", []))}:
            return key, spec
    try:
        canonical = get_cytokine(name).name
    except UnknownNameError as exc:
        raise UnknownNameError("cytokine", name, list(exc.known) + list(ligands)) from None
    for key, spec in ligands.items():
        if _norm(key) == _norm(canonical):
            return key, spec
    raise UnknownNameError(f"cytokine for the {cell} network (cytokine {canonical!r} has no receptor in it yet)",
                           name, ligands)


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def concentration_nm(field: str, amount: str | pint.Quantity, molecule: str) -> float:
    """``amount`` (molar, or a mass concentration converted with ``molecule``'s mass in
    molecular_weights.csv) in nM; errors name ``field``."""
    quantity = parse_quantity(amount, field) if isinstance(amount, str) else amount
    if not isinstance(quantity, Quantity):
        raise InvalidValueError(f"{field}: expected a concentration with a unit, got {amount!r}")
    kind = check_dimension(quantity, ("concentration", "mass concentration"), field)
    if quantity.magnitude < 0:
        raise InvalidValueError(f"{field}: concentration must be >= 0, got {quantity:~P}")
    if kind != "mass concentration":
        return float(quantity.to("nM").magnitude)
    try:
        mw = table_row("molecular_weights", molecule=molecule)
    except Exception:  # noqa: BLE001 - any look-up failure means no weight
        raise InvalidValueError(
            f"{field}: no molecular weight for {molecule} in molecular_weights.csv, so {quantity:~P} cannot be "
            "converted; give a molar concentration (nM, pM)") from None
    grams_per_mol = Quantity(float(mw["value"]), mw["unit"]).to("Da").magnitude  # 1 Da = 1 g/mol
    return float(quantity.to("g/L").magnitude / grams_per_mol * 1e9)


def ligand_concentration_nm(cell: str, name: str, amount: str | pint.Quantity) -> tuple[str, str, float]:
    """Resolve one ``NAME=CONC`` input to (ligand name, species id, concentration in nM).

    ``amount`` is a molar (``'0.5 nM'``) or mass concentration (``'10 ng/mL'``); a mass
    concentration is converted with the ligand's molecular weight (molecular_weights.csv).
    """
    key, spec = _ligand_entry(cell, name)
    return key, spec["species"], concentration_nm(f"cytokine {key}", amount, spec["molecular_weight"])


def antibody_names(cell: str = "fibroblast") -> tuple[str, ...]:
    """Names accepted by ``antibodies=`` / ``--antibody`` for this cell's network (empty if none)."""
    key = _cell_key(cell)
    return tuple(definition_section(CELL_NETWORKS[key], "antibodies")) if CELL_NETWORKS[key] != GENERATED else ()


def antibody_concentration_nm(cell: str, name: str, amount: str | pint.Quantity) -> tuple[str, str, float]:
    """Resolve one antibody input to (antibody name, species id, binding-site concentration in nM).

    ``amount`` is a molar concentration of antibody molecules (nM) or a mass concentration (``'10 ug/mL'``),
    converted with the IgG mass of molecular_weights.csv; each molecule carries ``sites_per_molecule``
    binding sites (2 for an IgG).
    """
    key = _cell_key(cell)
    entries = definition_section(CELL_NETWORKS[key], "antibodies") if CELL_NETWORKS[key] != GENERATED else {}
    wanted = _norm(name)
    match = [(k, v) for k, v in entries.items() if wanted in {_norm(k), *(_norm(a) for a in v.get("aliases", []))}]
    if not match:
        raise UnknownNameError(f"antibody for the {key} network", name, entries)
    label, spec = match[0]
    nm = concentration_nm(f"antibody {label}", amount, spec["molecular_weight"])
    return label, spec["species"], nm * float(spec.get("sites_per_molecule", 1))


def resolve_ligands(cell: str, cytokines: Mapping[str, str | pint.Quantity] | None) -> dict[str, float]:
    """Species id -> concentration (nM) for all ``--cytokine`` inputs."""
    out: dict[str, float] = {}
    for name, amount in (cytokines or {}).items():
        _, species, nm = ligand_concentration_nm(cell, name, amount)
        out[species] = nm
    return out
