"""PK models as jakstat networks: gut depot, central and peripheral compartments.

The model goes through the same compiler, engine (doses are events: hard stops, nothing smoothed)
and SBML export as every other network. Species are concentrations in nM in their compartment;
amounts in nmol are concentration x volume (L). Reactions (extensive rates, nmol/h):

============================ ======================== ==========================================
reaction                     equation                 rate
============================ ======================== ==========================================
``absorption``               ``A_gut -> C_central``   ``ka * A_gut * V_gut`` (mass action)
``absorption_xr``            ``A_gut_xr -> C_central`` ``ka_xr * A_gut_xr * V_gut`` (extended release)
``input_zero_order``         ``-> C_central``         ``R_in`` (set by dose on/off events)
``elimination``              ``C_central ->``         ``CL * C_central``
``renal_/nonrenal_elim...``  ``C_central ->``         ``CLr * C_central``, ``CLnr * C_central``
``distribution``             ``C_central -> C_periph`` ``Q * C_central``
``redistribution``           ``C_periph -> C_central`` ``Q * C_peripheral``
============================ ======================== ==========================================

The gut is a dosing depot of 1 L: a dose of ``n`` nmol is an event adding ``n`` nM to ``A_gut``.

Weight and renal function (:func:`individualize`): clearances x (WT/WTref)^b_CL, volumes x
(WT/WTref)^b_V (exponents and WTref from the model's rows, else 0.75 / 1 / 70 kg), renal clearance
x eGFR/eGFR_ref where the model has a renal clearance (baricitinib, Decker 2024).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from jakstat.compile.codegen import compile_network
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.errors import InvalidValueError
from jakstat.network.model import Compartment, Event, Network, Parameter, Species
from jakstat.network.motifs import mass_action, rate_law
from jakstat.network.provenance import Assumed, Derived, Input
from jakstat.pharmacology.pk_parameters import PkParameters, PkValue

GUT = "gut"
CENTRAL = "central"
PERIPHERAL = "peripheral"
GUT_SPECIES = "A_gut"
XR_GUT_SPECIES = "A_gut_xr"
CENTRAL_SPECIES = "C_central"
PERIPHERAL_SPECIES = "C_peripheral"
ZERO_ORDER_RATE = "R_in"
GUT_VOLUME_L = 1.0

_CLEARANCES = ("clearance", "renal_clearance", "nonrenal_clearance", "intercompartmental_clearance")
_VOLUMES = ("central_volume", "peripheral_volume")


def _scaled(value: PkValue | None, factor: float, how: str) -> PkValue | None:
    if value is None or factor == 1.0:
        return value
    return replace(value, value=value.value * factor,
                   provenance=Derived(f"{value.value:g} {value.unit} x {how}; from {value.provenance.describe()}"))


def individualize(params: PkParameters, weight_kg: float, egfr: float | None = None) -> PkParameters:
    """Scale a typical-subject parameter set to a body weight and renal function.

    Parameters
    ----------
    params : PkParameters
        The drug's model (:func:`~jakstat.pharmacology.pk_parameters.pk_parameters`).
    weight_kg : float
        Body weight, kg.
    egfr : float, optional
        eGFR, mL/min/1.73 m^2; used only where the model has a renal clearance with a reference
        eGFR (otherwise ignored; :attr:`PkParameters.notes` says so).

    Returns
    -------
    PkParameters
        Scaled copy; every changed value has a :class:`Derived` provenance saying how.
    """
    ref = params.reference_weight.value
    ratio = weight_kg / ref
    b_cl, b_v = params.cl_exponent.value, params.v_exponent.value
    changes: dict[str, object] = {}
    for name in _CLEARANCES:
        changes[name] = _scaled(getattr(params, name), ratio ** b_cl,
                                f"(WT/WTref)^{b_cl:g} with WT = {weight_kg:g} kg, WTref = {ref:g} kg")
    for name in _VOLUMES:
        changes[name] = _scaled(getattr(params, name), ratio ** b_v,
                                f"(WT/WTref)^{b_v:g} with WT = {weight_kg:g} kg, WTref = {ref:g} kg")
    notes = list(params.notes)
    if egfr is not None:
        if params.reference_egfr is not None and params.renal_clearance is not None:
            changes["renal_clearance"] = _scaled(
                changes["renal_clearance"], egfr / params.reference_egfr.value,  # type: ignore[arg-type]
                f"eGFR/eGFR_ref with eGFR = {egfr:g}, eGFR_ref = {params.reference_egfr.value:g} mL/min/1.73m2")
        else:
            notes.append(f"eGFR {egfr:g} given but the {params.source} model of {params.drug} has no renal "
                         "covariate in the table: no effect")
    return replace(params, notes=tuple(notes), **changes)  # type: ignore[arg-type]


def pk_network(params: PkParameters, events: Sequence[Event] = (), *, name: str | None = None) -> Network:
    """The PK model of ``params`` as a :class:`~jakstat.network.model.Network` with dose ``events``.

    Parameters
    ----------
    params : PkParameters
        Typical or individualized parameters.
    events : sequence of Event
        Doses (:func:`jakstat.pharmacology.regimens.dose_events`).
    name : str, optional
        Network name (default ``pk_<drug>``).

    Returns
    -------
    Network
        Species ``A_gut`` (gut, nM = nmol in the 1 L depot), ``C_central`` and, for two-compartment
        models, ``C_peripheral`` (nM).
    """
    start = Input("no drug in the body before the first dose")
    compartments = [Compartment(CENTRAL, params.central_volume.value, "L", params.central_volume.provenance,
                                name="central (plasma) compartment, apparent volume")]
    species = [Species(CENTRAL_SPECIES, CENTRAL, 0.0, start, name=f"{params.drug}, total plasma")]
    parameters = [Parameter(ZERO_ORDER_RATE, 0.0, "nmol/h", Input("zero-order input rate, set by dose events"),
                            "rate of zero-order (or extended-release) input into the central compartment")]
    reactions = [rate_law("input_zero_order", f"-> {CENTRAL_SPECIES}", ZERO_ORDER_RATE,
                          description="zero-order input switched on and off by dose events")]
    if params.ka is not None:
        compartments.append(Compartment(GUT, GUT_VOLUME_L, "L", Assumed(
            "dosing depot of 1 L: its volume cancels (amount = concentration x 1 L)"), name="gut depot"))
        species.append(Species(GUT_SPECIES, GUT, 0.0, start, name=f"{params.drug} in the gut (nmol per 1 L)"))
        parameters.append(Parameter("ka", params.ka.value, params.ka.unit, params.ka.provenance, "absorption rate"))
        reactions.append(mass_action("absorption", f"{GUT_SPECIES} -> {CENTRAL_SPECIES}", "ka", compartment=GUT,
                                     description="first-order absorption"))
    if params.xr is not None:
        if params.ka is None:
            compartments.append(Compartment(GUT, GUT_VOLUME_L, "L", Assumed(
                "dosing depot of 1 L: its volume cancels (amount = concentration x 1 L)"), name="gut depot"))
        species.append(Species(XR_GUT_SPECIES, GUT, 0.0, start, name=f"{params.drug} extended release, gut"))
        parameters.append(Parameter("ka_xr", params.xr.ka.value, params.xr.ka.unit, params.xr.ka.provenance,
                                    "absorption rate of the extended-release product"))
        reactions.append(mass_action("absorption_xr", f"{XR_GUT_SPECIES} -> {CENTRAL_SPECIES}", "ka_xr",
                                     compartment=GUT, description="first-order absorption, extended release"))
    if params.clearance is not None:
        parameters.append(Parameter("CL", params.clearance.value, params.clearance.unit,
                                    params.clearance.provenance, "clearance (apparent where /F)"))
        reactions.append(rate_law("elimination", f"{CENTRAL_SPECIES} ->", f"CL * {CENTRAL_SPECIES}",
                                  description="first-order elimination"))
    else:
        for ident, value, what in (("CLr", params.renal_clearance, "renal"),
                                   ("CLnr", params.nonrenal_clearance, "non-renal")):
            if value is None:
                raise InvalidValueError(f"{params.drug}: the model has neither CL nor both CLr and CLnr")
            parameters.append(Parameter(ident, value.value, value.unit, value.provenance, f"{what} clearance"))
            reactions.append(rate_law(f"{what.replace('-', '')}_elimination", f"{CENTRAL_SPECIES} ->",
                                      f"{ident} * {CENTRAL_SPECIES}", description=f"{what} elimination"))
    if params.two_compartment:
        v2, q = params.peripheral_volume, params.intercompartmental_clearance
        if q is None:
            raise InvalidValueError(f"{params.drug}: a peripheral volume without an intercompartmental clearance")
        compartments.append(Compartment(PERIPHERAL, v2.value, "L", v2.provenance, name="peripheral compartment"))
        species.append(Species(PERIPHERAL_SPECIES, PERIPHERAL, 0.0, start, name=f"{params.drug}, peripheral"))
        parameters.append(Parameter("Q", q.value, q.unit, q.provenance, "intercompartmental clearance"))
        reactions.append(rate_law("distribution", f"{CENTRAL_SPECIES} -> {PERIPHERAL_SPECIES}",
                                  f"Q * {CENTRAL_SPECIES}", description="central to peripheral"))
        reactions.append(rate_law("redistribution", f"{PERIPHERAL_SPECIES} -> {CENTRAL_SPECIES}",
                                  f"Q * {PERIPHERAL_SPECIES}", description="peripheral to central"))
    return Network(
        name=name or f"pk_{params.drug}",
        compartments=tuple(compartments), species=tuple(species), parameters=tuple(parameters),
        reactions=tuple(reactions), events=tuple(events),
        description=f"{params.drug} PK ({params.source}; {params.choice_reason})",
    )


def simulate_pk(params: PkParameters, events: Sequence[Event], times_h: np.ndarray, *,
                options: SolverOptions | None = None) -> np.ndarray:
    """Total plasma concentration (nM) at ``times_h`` (h after the first dose), through the engine.

    Parameters
    ----------
    params : PkParameters
        Model parameters.
    events : sequence of Event
        Dose events.
    times_h : array
        Output times, h, non-decreasing, >= 0.
    options : SolverOptions, optional
        Integrator settings (default BDF, rtol 1e-8, atol 1e-10 nM).

    Returns
    -------
    ndarray
        ``C_central``, nM.
    """
    model = compile_network(pk_network(params, events))
    options = options or SolverOptions(rtol=1e-8, atol=1e-10)
    states = integrate(model, np.asarray(times_h, dtype=float) * 3600.0, options=options)
    return states[:, model.species_index(CENTRAL_SPECIES)]
