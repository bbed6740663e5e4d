"""Row models of the packaged literature tables.

One pydantic model per table (file stem -> model in :data:`ROW_MODELS`). The model's fields are
the table's columns, in the order of the file's header; a column the model code reads, or that
identifies a row, must be non-empty. Every row must name its ``source`` and say whether the value
was ``verified`` (``yes``/``no``; see ``README_biology.md`` and ``README_pharmacology.md``).

Values stay text, exactly as printed in the file (``"5.186 (95% CI 4.631-5.740)"``, ``">400"``).
A column is checked as a number only where every row of the curated file is a number and the
model code reads it as one: ``value`` of the ``kinetics_*`` tables. The potency tables'
``ic50_value`` must be a number, optionally prefixed by its own ``qualifier`` (``>400`` with
``>``).

Each model's ``KEY`` names the columns that identify a row; keys are unique within a table.
"""

from __future__ import annotations

import math
from typing import Annotated, ClassVar, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict

SOURCE = "source"
"""Column with the literature reference of a row (required, non-empty)."""
VERIFIED = "verified"
"""Column saying whether the value was seen in its source (``yes``/``no``)."""
EVIDENCE = "evidence"
"""Column with the address where the value was seen during curation."""

COMPARATORS = ("=", ">", "<", "~")
"""Allowed values of a potency table's ``qualifier`` column."""


def _non_empty(text: str) -> str:
    if not text.strip():
        raise ValueError("must not be empty")
    return text


def _number(text: str) -> str:
    try:
        number = float(text)
    except ValueError:
        raise ValueError("must be a number (as printed, e.g. 0.05 or 1e-3)") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return text


def _number_with_comparator(text: str) -> str:
    body = text[1:] if text[:1] in COMPARATORS else text
    try:
        number = float(body)
    except ValueError:
        raise ValueError("must be a number, optionally prefixed by =, >, < or ~ (e.g. 3.3, >400)") from None
    if not math.isfinite(number):
        raise ValueError("must be a finite number")
    return text


def _lower_case(text: str) -> str:
    _non_empty(text)
    if text != text.lower() or text != text.strip():
        raise ValueError("must be a lower-case INN without surrounding spaces (e.g. ruxolitinib)")
    return text


NonEmpty = Annotated[str, AfterValidator(_non_empty)]
"""Text that must not be empty or blank."""
Number = Annotated[str, AfterValidator(_number)]
"""Text that must parse as a finite float; kept as printed."""
NumberWithComparator = Annotated[str, AfterValidator(_number_with_comparator)]
"""Text that must parse as a finite float after an optional leading comparator."""
DrugName = Annotated[str, AfterValidator(_lower_case)]
"""A drug's INN in lower case."""
YesNo = Literal["yes", "no"]
"""The ``verified`` column."""


class Row(BaseModel):
    """Base of the row models: text values, extra columns allowed, frozen."""

    model_config = ConfigDict(extra="allow", frozen=True, strict=True)

    KEY: ClassVar[tuple[str, ...]] = ()

    def problems(self) -> list[tuple[str, str]]:
        """Cross-column checks; return ``(column, reason)`` pairs (empty when the row is fine)."""
        return []


class CytokineReceptorRow(Row):
    """``pathway_cytokine_receptors.csv``: one cytokine, its receptor, JAKs and STATs."""

    KEY = ("cytokine",)
    cytokine: NonEmpty
    receptor_chains: NonEmpty
    jak_per_chain: NonEmpty
    main_stats: NonEmpty
    secondary_stats: str
    signalling_mode: str
    expressing_cell_types: str
    notes: str
    source: NonEmpty
    evidence: NonEmpty
    verified: YesNo


class KineticsRow(Row):
    """``kinetics_*.csv``: one parameter of a published model, value as printed."""

    KEY = ("model", "parameter")
    model: NonEmpty
    parameter: NonEmpty
    meaning: str
    value: Number
    unit: NonEmpty
    cell_type: str
    fitted_or_measured: str
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo


class _PotencyChecks(Row):
    def problems(self) -> list[tuple[str, str]]:
        value: str = getattr(self, "ic50_value")
        qualifier: str = getattr(self, "qualifier")
        if value[:1] in COMPARATORS and value[:1] != qualifier:
            return [("ic50_value", f"starts with {value[:1]!r} but the qualifier column is {qualifier!r}")]
        return []


class EnzymePotencyRow(_PotencyChecks):
    """``drug_enzyme_potency.csv``: cell-free IC50 of a drug on a kinase."""

    KEY = ("drug", "kinase", "source")
    drug: DrugName
    kinase: NonEmpty
    ic50_value: NumberWithComparator
    qualifier: Literal["=", ">", "<", "~"]
    unit: NonEmpty
    atp_concentration: str
    assay_description: str
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo
    notes: str


class CellularPotencyRow(_PotencyChecks):
    """``drug_cellular_potency.csv``: cellular or whole-blood IC50 of a drug."""

    KEY = ("drug", "cytokine", "readout", "cell_type", "source")
    drug: DrugName
    cytokine: NonEmpty
    jak_pair: str
    readout: str
    cell_type: str
    matrix: str
    species: str
    ic50_value: NumberWithComparator
    qualifier: Literal["=", ">", "<", "~"]
    unit: NonEmpty
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo
    notes: str


class SmallMoleculePkRow(Row):
    """``pk_small_molecules.csv``: one PK parameter of a JAK inhibitor in one population."""

    KEY = ("drug", "population", "parameter", "source")
    drug: DrugName
    population: NonEmpty
    parameter: NonEmpty
    value: NonEmpty
    unit: NonEmpty
    variability: str
    model_context: str
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo
    notes: str


class BiologicRow(Row):
    """``biologic_pk_binding.csv``: binding or PK parameter of a cytokine-targeting antibody."""

    KEY = ("drug", "parameter", "population", "source")
    drug: DrugName
    target: NonEmpty
    parameter: NonEmpty
    value: NonEmpty
    unit: NonEmpty
    population: str
    variability: str
    model_context: str
    source: NonEmpty
    evidence: NonEmpty
    verified: YesNo
    notes: str


class GeneTargetRow(Row):
    """``gene_targets.csv``: STAT target gene(s), their driver and feedback sign."""

    KEY = ("gene",)
    gene: NonEmpty
    driven_by: NonEmpty
    cell_type_context: str
    sign_of_feedback: str
    role_in_model: str
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo


class VariantRow(Row):
    """``variant_stat.csv``: a STAT variant (or a class of variants) and its effect."""

    KEY = ("gene", "variant_protein")
    gene: NonEmpty
    variant_protein: NonEmpty
    variant_cdna: str
    transcript: str
    domain: str
    zygosity_inheritance: str
    functional_class: NonEmpty
    effect_measured: str
    quantitative_effect: str
    disease: str
    n_patients_or_families: str
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo


class CellQuantityRow(Row):
    """``cell_types.csv``: a quantity (abundance, serum level) of a cell type or fluid."""

    KEY = ("cell_type_or_fluid", "quantity", "source")
    cell_type_or_fluid: NonEmpty
    quantity: NonEmpty
    value: NonEmpty
    unit: str
    condition: str
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo


class DpmTargetRow(Row):
    """``target_dpm_stat4.csv``: a published STAT4-GoF / DPM finding the model must reproduce.

    ``verified`` may also be ``secondary`` (seen only in a news report of the study), which
    counts as not verified.
    """

    KEY = ("finding_id",)
    finding_id: NonEmpty
    assay: NonEmpty
    condition: str
    value: NonEmpty
    unit: str
    comparator: str
    time: str
    tolerance_for_model: NonEmpty
    tolerance_rationale: str
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: Literal["yes", "no", "secondary"]


class JdmTargetRow(Row):
    """``target_jdm_ifn.csv``: a published JDM / interferon-score finding."""

    KEY = ("finding_id",)
    finding_id: NonEmpty
    topic: NonEmpty
    drug: str
    population: str
    measure: NonEmpty
    baseline: str
    on_treatment: str
    unit: str
    time: str
    n: str
    tolerance_for_model: NonEmpty
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo


class SerumCrpTargetRow(Row):
    """``serum_crp_targets.csv``: a published serum IL-6 / CRP number the systemic model uses or must reproduce."""

    KEY = ("finding_id",)
    finding_id: NonEmpty
    quantity: NonEmpty
    value: NonEmpty
    unit: str
    condition: str
    tolerance_for_model: NonEmpty
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo


class ModelCellTypeRow(Row):
    """``model_cell_types.csv``: the cell types the model builds networks for."""

    KEY = ("name",)
    name: NonEmpty
    aliases: str
    description: NonEmpty
    source: NonEmpty
    evidence: NonEmpty
    verified: YesNo


class MolecularWeightRow(Row):
    """``molecular_weights.csv``: mass of a molecule, to convert mass to molar concentrations."""

    KEY = ("molecule",)
    molecule: NonEmpty
    value: Number
    unit: NonEmpty
    meaning: str
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo


class DrugPropertyRow(Row):
    """``drug_properties.csv``: a property of a drug product (molecular weight, strengths, formulation data).

    ``value`` is kept as printed; lists of strengths are ``;``-separated (``"5;10;15"``). ``condition``
    says which product, dose or population the value belongs to.
    """

    KEY = ("drug", "property", "condition", "source")
    drug: DrugName
    property: NonEmpty
    value: NonEmpty
    unit: NonEmpty
    condition: str
    source: NonEmpty
    evidence: NonEmpty
    verified: YesNo
    notes: str


class VariantEffectRow(Row):
    """``variant_effects.csv``: one parameter edit a variant makes to a network.

    ``value`` is a number, or ``CALIBRATED`` when the value is the stored result of the calibration
    named in ``reason_or_calibration`` (``data/calibrations/NAME.json``); ``provenance`` says which.
    """

    KEY = ("variant", "network", "parameter")
    variant: NonEmpty
    network: NonEmpty
    parameter: NonEmpty
    value: NonEmpty
    unit: NonEmpty
    provenance: Literal["calibrated", "assumed"]
    reason_or_calibration: NonEmpty
    source: NonEmpty
    verified: YesNo

    def problems(self) -> list[tuple[str, str]]:
        if self.provenance == "calibrated" and self.value != "CALIBRATED":
            return [("value", "a calibrated edit takes its value from the calibration record: write CALIBRATED")]
        if self.provenance == "assumed":
            try:
                float(self.value)
            except ValueError:
                return [("value", "an assumed edit needs a number")]
        return []

class IsgScoreGeneRow(Row):
    """``isg_score_genes.csv``: per-gene kinetics of the six interferon-score ISGs in blood leukocytes.

    Factors multiply the shared target-gene constants (``k_tx_basal``, ``k_tx_max``); the half-life sets
    the gene's own mRNA decay; ``control_sd_ln`` is the between-control spread (natural log) of its
    expression at a given IFN level (biological plus qPCR variability).
    """

    KEY = ("gene",)
    gene: NonEmpty
    basal_tx_factor: Number
    induced_tx_factor: Number
    mrna_half_life_h: Number
    control_sd_ln: Number
    provenance: Literal["assumed", "table"]
    reason: NonEmpty
    source: NonEmpty
    evidence: NonEmpty
    verified: YesNo

    def problems(self) -> list[tuple[str, str]]:
        out = []
        for column in ("basal_tx_factor", "induced_tx_factor", "mrna_half_life_h"):
            if not float(getattr(self, column)) > 0:
                out.append((column, "must be > 0"))
        if float(self.control_sd_ln) < 0:
            out.append(("control_sd_ln", "must be >= 0"))
        return out


class IfnScoreInputRow(Row):
    """``ifn_score_inputs.csv``: measured serum IFN-alpha levels behind the interferon-score populations."""

    KEY = ("quantity", "population")
    quantity: NonEmpty
    value: Number
    unit: NonEmpty
    population: NonEmpty
    n: str
    source: NonEmpty
    locator: str
    evidence: NonEmpty
    verified: YesNo


class GrowthLmsRow(Row):
    """``growth_cdc2000_lms.csv``: CDC 2000 LMS parameters of weight (kg) or stature (cm) for age, 2-20 y.

    A value at z-score ``z`` is $M (1 + L S z)^{1/L}$ ($M e^{S z}$ when $L = 0$).
    """

    KEY = ("measure", "sex", "age_months")
    measure: Literal["weight", "height"]
    sex: Literal["male", "female"]
    age_months: Number
    L: Number
    M: Number
    S: Number
    unit: NonEmpty
    source: NonEmpty
    evidence: NonEmpty
    verified: YesNo


ROW_MODELS: dict[str, type[Row]] = {
    "pathway_cytokine_receptors": CytokineReceptorRow,
    "kinetics_il6_jak_stat": KineticsRow,
    "kinetics_ifn_jak_stat": KineticsRow,
    "kinetics_epo_jak2_stat5_reference": KineticsRow,
    "drug_enzyme_potency": EnzymePotencyRow,
    "drug_cellular_potency": CellularPotencyRow,
    "pk_small_molecules": SmallMoleculePkRow,
    "biologic_pk_binding": BiologicRow,
    "gene_targets": GeneTargetRow,
    "variant_stat": VariantRow,
    "cell_types": CellQuantityRow,
    "target_dpm_stat4": DpmTargetRow,
    "target_jdm_ifn": JdmTargetRow,
    "model_cell_types": ModelCellTypeRow,
    "molecular_weights": MolecularWeightRow,
    "drug_properties": DrugPropertyRow,
    "variant_effects": VariantEffectRow,
    "growth_cdc2000_lms": GrowthLmsRow,
    "serum_crp_targets": SerumCrpTargetRow,
    "isg_score_genes": IsgScoreGeneRow,
    "ifn_score_inputs": IfnScoreInputRow,
}
"""Table name (file stem) -> row model."""

PACKAGE_TABLES = ("model_cell_types", "molecular_weights", "drug_properties", "variant_effects", "growth_cdc2000_lms",
                  "serum_crp_targets", "isg_score_genes", "ifn_score_inputs")
"""Tables made for the package; the others are copies of the curated files, unchanged except where
``data/curated_copies.yaml`` documents a change (checked by tests/data/test_data_tables.py)."""


def columns_of(model: type[Row]) -> tuple[str, ...]:
    """Return the columns a table of ``model`` must have, in header order.

    Parameters
    ----------
    model : type[Row]
        A row model from :data:`ROW_MODELS`.

    Returns
    -------
    tuple of str
        The required column names.
    """
    return tuple(model.model_fields)


def verified_flag(text: str) -> bool:
    """Turn a ``verified`` cell into a bool (``yes`` -> True; ``no``/``secondary`` -> False)."""
    return text == "yes"
