"""Pharmacology: small-molecule JAK inhibitor PK, regimens, and inhibition of cytokine pathways.

Layers (each a module; lower ones never import higher ones):

- :mod:`~jakstat.pharmacology.pk_parameters`: a drug's PK parameter set from ``pk_small_molecules.csv``
  (every number with its provenance); :mod:`~jakstat.pharmacology.absorption` (XR), and
  :mod:`~jakstat.pharmacology.variability` (between-subject variability).
- :mod:`~jakstat.pharmacology.pk_model`: the PK model as a jakstat :class:`~jakstat.network.model.Network`;
  weight and renal scaling.
- :mod:`~jakstat.pharmacology.regimens`: QD/BID/TID/XR, mg or mg/kg, rounding to product strengths,
  loading, missed and late doses, stopping -> engine events.
- :mod:`~jakstat.pharmacology.inhibition`: unbound concentration -> JAK occupancy -> pathway inhibition;
  :mod:`~jakstat.pharmacology.calibration`: the enzyme-to-cell shift factor.
- :mod:`~jakstat.pharmacology.pk_api`: :func:`pk_table` and exposure summaries;
  :mod:`~jakstat.pharmacology.validation`: comparison with published numbers.
- Antibodies: :mod:`~jakstat.pharmacology.biologic_parameters` (``biologic_pk_binding.csv``),
  :mod:`~jakstat.pharmacology.biologics` (PK network, IV/SC regimens, target blocked -> pathways),
  :mod:`~jakstat.pharmacology.biologic_validation` (``docs/biologics_validation.md``);
  :mod:`~jakstat.pharmacology.exposure`: one table for any drug (``jakstat pk``).
- :mod:`~jakstat.pharmacology.whole_blood`: the ex-vivo whole-blood pSTAT assay (batched engine);
  :mod:`~jakstat.pharmacology.coupled`: a cell network under a drug's oral PK.
"""

from jakstat.pharmacology.analytic import bateman, bateman_steady_state, terminal_half_life
from jakstat.pharmacology.biologic_parameters import BiologicParameters, biologic_drugs, biologic_parameters
from jakstat.pharmacology.biologics import (
    BiologicRegimen,
    biologic_inhibition,
    biologic_table,
    blocked_cytokines,
    target_blocked,
)
from jakstat.pharmacology.exposure import exposure_table
from jakstat.pharmacology.inhibition import (
    cell_shift,
    enzyme_potencies,
    inhibition_columns,
    jak_occupancy,
    pathway_inhibition,
    unbound_ic50,
)
from jakstat.pharmacology.pk_api import (
    auc,
    cmax,
    patient_parameters,
    pk_table,
    simulate_regimen,
    single_dose_exposure,
    steady_state_exposure,
    time_above,
)
from jakstat.pharmacology.pk_model import individualize, pk_network, simulate_pk
from jakstat.pharmacology.pk_parameters import MODEL_CHOICES, PkParameters, PkValue, pk_drugs, pk_parameters
from jakstat.pharmacology.regimens import Dose, Regimen, dose_events, dose_schedule, parse_dose, parse_weight
from jakstat.pharmacology.variability import sample_individuals
from jakstat.pharmacology.whole_blood import WholeBloodProtocol, ex_vivo_ic50, whole_blood_pstat

__all__ = [
    "MODEL_CHOICES",
    "BiologicParameters",
    "BiologicRegimen",
    "biologic_drugs",
    "biologic_inhibition",
    "biologic_parameters",
    "biologic_table",
    "blocked_cytokines",
    "exposure_table",
    "target_blocked",
    "Dose",
    "PkParameters",
    "PkValue",
    "Regimen",
    "auc",
    "bateman",
    "bateman_steady_state",
    "cell_shift",
    "cmax",
    "dose_events",
    "dose_schedule",
    "enzyme_potencies",
    "individualize",
    "inhibition_columns",
    "jak_occupancy",
    "parse_dose",
    "parse_weight",
    "pathway_inhibition",
    "patient_parameters",
    "pk_drugs",
    "pk_network",
    "pk_parameters",
    "pk_table",
    "sample_individuals",
    "simulate_pk",
    "simulate_regimen",
    "single_dose_exposure",
    "steady_state_exposure",
    "terminal_half_life",
    "time_above",
    "unbound_ic50",
    "WholeBloodProtocol",
    "ex_vivo_ic50",
    "whole_blood_pstat",
]
