"""Per-patient inputs of the batched engine: PK parameter vectors and dose events.

One compiled PK network per drug (the typical subject, :func:`template`) serves every patient; a
patient differs by its parameter vector and its own dose events, which is what
:func:`jakstat.engine.batch.iter_batch` takes per member.

Parameter vector of patient $i$ (the rules of :func:`jakstat.pharmacology.individualize` and
:func:`jakstat.pharmacology.sample_individuals`, vectorised):

- clearances (CL, CLr, CLnr, Q): typical x $(WT_i/WT_{ref})^{b_{CL}}$, CLr also x $eGFR_i/eGFR_{ref}$;
- volumes: typical x $(WT_i/WT_{ref})^{b_V}$;
- every value with a reported CV: x $\\exp(\\omega z_{ik})$, $\\omega^2 = \\ln(1 + CV^2)$, with
  $z_{ik}$ the patient's k-th PK normal (parameters in name order, as ``sample_individuals``).

Dose events follow :func:`jakstat.pharmacology.regimens.dose_events` (gut bolus at dose time + lag;
zero-order input over D1; extended release; a first-order cap with the excess zero order),
written directly as :class:`~jakstat.engine.integrate.ScheduledChange` (s, nM, nmol/s).
"""

from __future__ import annotations

import functools
import math

import numpy as np

from jakstat.engine.integrate import ScheduledChange
from jakstat.errors import InvalidValueError
from jakstat.pharmacology.pk_model import GUT_SPECIES, XR_GUT_SPECIES, ZERO_ORDER_RATE
from jakstat.pharmacology.pk_parameters import PkParameters, pk_parameters
from jakstat.pharmacology.variability import omega
from jakstat.studies.population import PK_DRAWS

CLEARANCE_IDS = {"CL": "clearance", "CLr": "renal_clearance", "CLnr": "nonrenal_clearance",
                 "Q": "intercompartmental_clearance"}
VOLUME_IDS = {"central": "central_volume", "peripheral": "peripheral_volume"}
RATE_IDS = {"ka": "ka"}


@functools.lru_cache(maxsize=None)
def template(drug: str):
    """The compiled PK network of ``drug``'s typical subject (no events), cached per process."""
    from jakstat.compile.codegen import compile_network
    from jakstat.pharmacology.pk_model import pk_network

    return compile_network(pk_network(pk_parameters(drug)))


@functools.lru_cache(maxsize=None)
def solver(drug: str):
    """The :class:`~jakstat.engine.batch.BatchSolver` of :func:`template` (numba code shared per structure)."""
    from jakstat.engine.batch import BatchSolver

    return BatchSolver(template(drug))


def varied_parameters(params: PkParameters) -> tuple[str, ...]:
    """Names of the values with a between-subject CV, in the order their normals are used."""
    names = tuple(name for name, value in sorted(params.values().items()) if value.cv is not None)
    if len(names) > PK_DRAWS:
        raise InvalidValueError(f"{params.drug}: {len(names)} varied PK parameters, more than the "
                                f"{PK_DRAWS} normals a patient carries")
    return names


def individual_factors(params: PkParameters, weight_kg: np.ndarray, egfr: np.ndarray | None,
                       pk_z: np.ndarray | None) -> dict[str, np.ndarray]:
    """Multiplicative factor on each PkParameters field, per patient (fields not listed: 1)."""
    weight = np.asarray(weight_kg, dtype=float)
    ratio = weight / params.reference_weight.value
    cl_f, v_f = ratio ** params.cl_exponent.value, ratio ** params.v_exponent.value
    factors: dict[str, np.ndarray] = {}
    for name in CLEARANCE_IDS.values():
        if getattr(params, name) is not None:
            factors[name] = cl_f.copy()
    for name in VOLUME_IDS.values():
        if getattr(params, name) is not None:
            factors[name] = v_f.copy()
    if egfr is not None and params.reference_egfr is not None and params.renal_clearance is not None:
        factors["renal_clearance"] = factors["renal_clearance"] * np.asarray(egfr, dtype=float) / params.reference_egfr.value
    if pk_z is not None:
        values = params.values()
        for k, name in enumerate(varied_parameters(params)):
            eta = omega(values[name].cv) * np.asarray(pk_z)[:, k]  # type: ignore[arg-type]
            factors[name] = factors.get(name, np.ones_like(weight)) * np.exp(eta)
    return factors


def parameter_matrix(drug: str, weight_kg: np.ndarray, egfr: np.ndarray | None,
                     pk_z: np.ndarray | None) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Parameter vectors (canonical units, columns of ``template(drug).parameter_ids``) and the factors."""
    params = pk_parameters(drug)
    model = template(drug)
    factors = individual_factors(params, weight_kg, egfr, pk_z)
    P = np.tile(model.p0, (np.asarray(weight_kg).size, 1))
    for ident, name in {**CLEARANCE_IDS, **VOLUME_IDS, **RATE_IDS}.items():
        if ident in model.parameter_ids and name in factors:
            P[:, model.parameter_ids.index(ident)] *= factors[name]
    return P, factors


def member_events(drug: str, dose_times_h: np.ndarray, dose_mg: np.ndarray, extended_release: bool,
                  d1_h: float | None) -> list[ScheduledChange]:
    """One patient's doses as engine changes on ``template(drug)`` (times s, amounts nM, rates nmol/s).

    Parameters
    ----------
    dose_times_h, dose_mg : arrays
        Dose times (h after the first dose) and amounts (mg, as given).
    extended_release : bool
        Doses into the XR depot.
    d1_h : float, optional
        The patient's zero-order duration, h (models with zero-order absorption).
    """
    params = pk_parameters(drug)
    model = template(drug)
    mw, f, lag = params.molecular_weight.value, params.bioavailability.value, params.lag.value
    changes: list[ScheduledChange] = []
    if extended_release:
        if params.xr is None:
            raise InvalidValueError(f"regimen: 'XR' needs extended-release data for {drug}")
        k = model.species_index(XR_GUT_SPECIES)
        rel = params.xr.relative_f.value
        return [ScheduledChange((t + lag) * 3600.0, "y", k, mg * 1e6 / mw * f * rel, "add")
                for t, mg in zip(dose_times_h.tolist(), dose_mg.tolist())]
    if params.zero_order_duration is not None:
        j = model.parameter_ids.index(ZERO_ORDER_RATE)
        d1 = params.zero_order_duration.value if d1_h is None else float(d1_h)
        for t, mg in zip(dose_times_h.tolist(), dose_mg.tolist()):
            rate = mg * 1e6 / mw * f / d1 / 3600.0
            changes.append(ScheduledChange((t + lag) * 3600.0, "p", j, rate, "add"))
            changes.append(ScheduledChange((t + lag + d1) * 3600.0, "p", j, -rate, "add"))
        return changes
    k = model.species_index(GUT_SPECIES)
    cap = params.first_order_cap_mg.value if params.first_order_cap_mg is not None else math.inf
    for t, mg in zip(dose_times_h.tolist(), dose_mg.tolist()):
        first = min(mg, cap)
        if mg > cap:
            j = model.parameter_ids.index(ZERO_ORDER_RATE)
            excess = mg - cap
            duration = excess / params.zero_order_rate_mg_h.value  # type: ignore[union-attr]
            rate = excess * 1e6 / mw * f / duration / 3600.0
            changes.append(ScheduledChange((t + lag) * 3600.0, "p", j, rate, "add"))
            changes.append(ScheduledChange((t + lag + duration) * 3600.0, "p", j, -rate, "add"))
        changes.append(ScheduledChange((t + lag) * 3600.0, "y", k, first * 1e6 / mw * f, "add"))
    return changes
