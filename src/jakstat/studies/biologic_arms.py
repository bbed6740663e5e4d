"""Antibody arms (tocilizumab, anifrolumab, emapalumab) on the same chunked runner and batched engine.

Registered with :func:`jakstat.studies.design.register_drug_kind` and
:func:`jakstat.studies.runner.register_arm_runner` when :mod:`jakstat.studies` is imported. An arm::

    {name: toc, drug: tocilizumab, regimen: Q2W, duration_days: 84,
     bands: [{upto_kg: 30, dose: 12 mg/kg}, {dose: 8 mg/kg}]}

- Regimens: ``QW``, ``Q2W``, ``Q4W``, ``BIW`` (:data:`jakstat.pharmacology.biologics.BIOLOGIC_INTERVALS_H`);
  route IV (zero-order infusion over the table's infusion time). SC arms are not offered yet.
- Doses: ``dose`` or ``bands`` as for small molecules; where the label's IV dose (the ``dose_regimen``
  row of ``biologic_pk_binding.csv``) is per kg (tocilizumab, emapalumab) a flat mg dose is refused.
  The given dose is the requested one capped at the label's maximum per infusion (tocilizumab
  800 mg) and at ``max_dose``; antibodies are not rounded to vial sizes (``round_to_strengths`` is ignored).
- Model of patient $i$: the adult popPK model of :func:`jakstat.pharmacology.biologic_parameters`
  (tocilizumab: Frey 2010) scaled to the patient's weight by :func:`~jakstat.pharmacology.biologic_parameters.scaled`
  (CL, Q, Vmax x $(WT/WT_{ref})^{b_{CL}}$, volumes x $(WT/WT_{ref})^{b_V}$), and every value with a
  between-subject CV in the table x $\\exp(\\omega z_{ik})$, $\\omega^2 = \\ln(1 + CV^2)$, $z_{ik}$ the
  patient's k-th PK normal (values in name order; tocilizumab: Vc 37%, CL 39%, Vp 66%, Vmax 54%;
  anifrolumab: CL, Vc; emapalumab: none, so its patients differ by weight only).
  Why the adult model and not the pediatric sJIA one: the sJIA rows are typical values with no weight
  covariate and no CVs (every child would get the same CL), and at 20 kg, 12 mg/kg Q2W they predict a
  trough of 18 ug/mL against the label's 57.5 (SD 23.3) ug/mL, where the weight-scaled adult model
  predicts 49 ug/mL (docs/biologics_validation.md has the sJIA comparison).
- Emapalumab's IFN-gamma-dependent clearance is not added (no IFN-gamma level per patient): linear CL only.

Endpoints: ``total_nM`` = ``unbound_nM`` (IgG is not protein bound); the exposure endpoints apply as
they are; ``cl_L_h`` is the patient's linear clearance (the Michaelis-Menten part is concentration
dependent and not in it); pathway inhibition is the fraction of the target blocked, $C/(C + K)$,
for the cytokines whose receptor chain or ligand is the target
(:func:`jakstat.pharmacology.biologics.biologic_inhibition`: tocilizumab IL-6 classic and trans via
IL-6R), and exactly 0 for the others (the antibody does not touch them).
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

import numpy as np
import pandas as pd

from jakstat.engine.integrate import ScheduledChange
from jakstat.errors import InvalidValueError
from jakstat.pharmacology.biologic_parameters import (BIOLOGIC_TABLE, BiologicParameters, biologic_drugs,
                                                      biologic_parameters, scaled)
from jakstat.pharmacology.biologics import BIOLOGIC_INTERVALS_H, biologic_inhibition, biologic_network
from jakstat.pharmacology.variability import omega
from jakstat.studies.population import PK_DRAWS

POPULATION = "adult"
"""The popPK model used for every patient, weight-scaled (see the module docstring for why)."""
VARIED = {"clearance": "CL", "central_volume": "central", "peripheral_volume": "peripheral",
          "intercompartmental_clearance": "Q", "vmax": "Vmax", "km": "Km"}
"""BiologicParameters field -> parameter (or compartment) id of the PK network."""


@functools.lru_cache(maxsize=None)
def template(drug: str):
    """The compiled PK network of ``drug``'s typical adult (no events), cached per process."""
    from jakstat.compile.codegen import compile_network

    return compile_network(biologic_network(biologic_parameters(drug, POPULATION)))


@functools.lru_cache(maxsize=None)
def solver(drug: str):
    from jakstat.engine.batch import BatchSolver

    return BatchSolver(template(drug))


def varied_parameters(params: BiologicParameters) -> tuple[str, ...]:
    """Fields with a between-subject CV, in the order the patient's PK normals are used (name order)."""
    names = tuple(name for name in sorted(VARIED) if getattr(params, name) is not None
                  and getattr(params, name).cv is not None)
    if len(names) > PK_DRAWS:
        raise InvalidValueError(f"{params.drug}: {len(names)} varied PK parameters, more than {PK_DRAWS}")
    return names


def patient_parameters(drug: str, weight_kg: float, pk_z: np.ndarray | None) -> BiologicParameters:
    """One patient's :class:`BiologicParameters`: weight-scaled adult model x exp(omega z) where the table has a CV."""
    params = scaled(biologic_parameters(drug, POPULATION), float(weight_kg))
    if pk_z is None:
        return params
    typical = biologic_parameters(drug, POPULATION)
    changes = {}
    for k, name in enumerate(varied_parameters(typical)):
        value = getattr(params, name)
        changes[name] = replace(value, value=value.value * float(np.exp(omega(value.cv) * pk_z[k])))
    return replace(params, **changes)


def label_iv_dose_per_kg(drug: str) -> bool:
    """True if the label's IV dose (``dose_regimen`` row) is given in mg/kg."""
    from jakstat.pharmacology import _rows

    rows = _rows.drug_rows(BIOLOGIC_TABLE, drug)
    text = " ".join(str(v) for v in rows.loc[rows["parameter"] == "dose_regimen", "value"])
    return re.search(r"mg/kg\s*IV", text) is not None


def _dose_rule(drug: str):
    per_kg = label_iv_dose_per_kg(drug)

    def rule(value: float, is_per_kg: bool) -> str | None:
        if per_kg and not is_per_kg:
            return (f"{drug} IV is dosed per body weight on its label (biologic_pk_binding.csv dose_regimen); "
                    f"give mg/kg (e.g. '8 mg/kg'), not {value:g} mg")
        return None

    return rule


def patient_doses(arm, weight_kg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Requested and given mg per infusion (bands or mg/kg; capped at ``max_dose`` and the label maximum)."""
    from jakstat.studies.runner import patient_doses as rule_doses

    requested, _ = rule_doses(arm.model_copy(update={"round_to_strengths": False, "max_dose": None}), weight_kg)
    given = requested.copy()
    cap = biologic_parameters(arm.drug, POPULATION).max_dose_mg
    if cap is not None:
        given = np.minimum(given, cap.value)
    if arm.max_dose is not None:
        from jakstat.studies.design import _dose_value

        given = np.minimum(given, _dose_value(arm.max_dose)[0])
    return requested, given


def member_events(drug: str, dose_times_h: np.ndarray, dose_mg: float, infusion_h: float) -> list[ScheduledChange]:
    """IV infusions as engine changes on ``template(drug)``: ``R_in`` += rate at the start, -= at the end (nmol/s)."""
    model = template(drug)
    j = model.parameter_ids.index("R_in")
    rate = dose_mg * 1e6 / biologic_parameters(drug, POPULATION).molecular_weight.value / infusion_h / 3600.0
    changes = []
    for t in dose_times_h.tolist():
        changes.append(ScheduledChange(t * 3600.0, "p", j, rate, "add"))
        changes.append(ScheduledChange((t + infusion_h) * 3600.0, "p", j, -rate, "add"))
    return changes


def parameter_matrix(drug: str, weight_kg: np.ndarray, pk_z: np.ndarray | None) -> tuple[np.ndarray, list[BiologicParameters]]:
    """Per-patient parameter vectors (columns of ``template(drug).parameter_ids``) and the patients' parameters."""
    model = template(drug)
    typical = biologic_parameters(drug, POPULATION)
    weight = np.asarray(weight_kg, dtype=float)
    P = np.tile(model.p0, (weight.size, 1))
    people = [patient_parameters(drug, w, None if pk_z is None else np.asarray(pk_z)[i]) for i, w in enumerate(weight)]
    for field, ident in VARIED.items():
        base = getattr(typical, field)
        if base is None or ident not in model.parameter_ids:
            continue
        j = model.parameter_ids.index(ident)
        P[:, j] *= np.array([getattr(p, field).value for p in people]) / base.value
    return P, people


def biologic_arm(config, arm, patients: pd.DataFrame, times_h: np.ndarray,
                 n_threads: int | None) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    """The arm runner: total and unbound plasma concentration (nM, patients x times) and per-patient columns."""
    from jakstat.engine.batch import simulate_batch
    from jakstat.studies.runner import ATOL_NM, dose_times_h

    drug = arm.drug
    weight = patients["weight_kg"].to_numpy()
    P, people = parameter_matrix(drug, weight, patients.attrs.get("pk_z"))
    requested, given = patient_doses(arm, weight)
    times = dose_times_h(arm)
    infusion = biologic_parameters(drug, POPULATION).infusion_h.value
    shared: dict[float, list] = {}
    events = []
    for mg in given.tolist():
        if mg not in shared:
            shared[mg] = member_events(drug, times, mg, infusion)
        events.append(shared[mg])
    result = simulate_batch(solver(drug), times_h * 3600.0, P, events=events, rtol=config.rtol, atol=ATOL_NM,
                            chunk_size=max(1, len(given)), n_threads=n_threads)
    total = result.species("C_central")
    total = np.where(np.abs(total) < 1e-12, 0.0, total)
    extra = {"dose_requested_mg": requested, "dose_mg": given,
             "cl_L_h": np.array([p.clearance.value for p in people]), "status": result.status.astype(np.int8)}
    return total, total, extra


def arm_inhibition(drug: str, cytokine: str, unbound_nM: np.ndarray) -> np.ndarray:
    """Pathway inhibition of ``cytokine`` by the antibody at plasma concentration ``unbound_nM`` (target blocked)."""
    return biologic_inhibition(drug, cytokine, unbound_nM)


def register() -> None:
    """Register every antibody with a PK model as an arm drug and an arm runner."""
    from jakstat.studies.design import register_drug_kind
    from jakstat.studies.runner import register_arm_runner

    for drug in biologic_drugs():
        register_drug_kind(drug, f"{drug} (antibody, IV; jakstat.studies.biologic_arms)", BIOLOGIC_INTERVALS_H,
                           _dose_rule(drug))
        register_arm_runner(drug, biologic_arm, inhibition=arm_inhibition)
