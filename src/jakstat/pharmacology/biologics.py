"""Biologics: antibody PK (IV infusion or SC), binding to the target, and the cytokine pathways blocked.

The PK model is a jakstat network (compiled, integrated and exported like every other):

=========================== =========================== =============================================
reaction                    equation                    rate (nmol/h)
=========================== =========================== =============================================
``infusion``                ``-> C_central``            ``R_in`` (switched on/off by dose events)
``sc_absorption``           ``A_sc -> C_central``       ``ka_sc * A_sc * V_sc`` (SC depot of 1 L)
``elimination``             ``C_central ->``            ``CL * C_central``
``target_mediated_elim...`` ``C_central ->``            ``Vmax * C_central / (Km + C_central)``
``distribution``            ``C_central -> C_periph..`` ``Q * C_central`` (and back: ``Q * C_peripheral``)
=========================== =========================== =============================================

Binding (one motif for every antibody, from the table's ``target`` cell, no per-drug code):

- the antibody's target is a receptor chain (``IL-6R``, ``IFNAR1``) or a cytokine (``IFN-gamma``);
- fraction of the target blocked $B = C / (C + K)$ with $C$ the plasma concentration (nM; IgG is
  not protein bound) and $K$ the potency row (Kd, Kss or in-vivo IC50; :mod:`.biologic_parameters`);
- a cytokine's signalling is inhibited by $B$ when its receptor has the target chain
  (``IL-6Ralpha`` and soluble ``sIL-6Ralpha`` match ``IL-6R``: IL-6 classic and trans) or when
  the cytokine is the target (ligand neutralised).

Regimens: ``QW``, ``Q2W``, ``Q4W`` (every 1, 2, 4 weeks) and ``BIW`` (twice weekly, every 84 h,
emapalumab's label); doses in mg or mg/kg (capped at the label's maximum per infusion where the
table gives one; antibodies are dosed as calculated, not rounded to vial sizes).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pint

from jakstat.compile.codegen import compile_network
from jakstat.engine.integrate import SolverOptions, integrate
from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.knowledge import cytokines, get_cytokine
from jakstat.network.model import Compartment, Event, EventAssignment, Network, Parameter, Species
from jakstat.network.motifs import mass_action, rate_law
from jakstat.network.provenance import Assumed, Input
from jakstat.pharmacology.biologic_parameters import BiologicParameters, biologic_parameters, scaled
from jakstat.pharmacology.regimens import parse_dose, parse_weight

BIOLOGIC_INTERVALS_H: dict[str, float] = {"QW": 168.0, "Q2W": 336.0, "Q4W": 672.0, "BIW": 84.0}
"""Dosing interval of each biologic regimen, h."""
ROUTES = ("IV", "SC")
CENTRAL, PERIPHERAL, DEPOT = "central", "peripheral", "sc_depot"
SC_SPECIES = "A_sc"
DEPOT_VOLUME_L = 1.0
TIME, TOTAL, UNBOUND, BLOCKED = "time_h", "total_plasma_nM", "unbound_plasma_nM", "target_blocked"


@dataclass(frozen=True)
class BiologicRegimen:
    """An antibody regimen: ``frequency`` (QW, Q2W, Q4W, BIW), ``dose`` per administration, ``route``."""

    frequency: str
    dose: str | pint.Quantity
    route: str = "IV"
    loading_dose: str | pint.Quantity | None = None
    stop_day: float | None = None

    def __post_init__(self) -> None:
        frequency = str(self.frequency).upper()
        if frequency not in BIOLOGIC_INTERVALS_H:
            raise UnknownNameError("biologic regimen", self.frequency, BIOLOGIC_INTERVALS_H)
        object.__setattr__(self, "frequency", frequency)
        route = str(self.route).upper()
        if route not in ROUTES:
            raise UnknownNameError("route", self.route, ROUTES)
        object.__setattr__(self, "route", route)
        parse_dose(self.dose, "dose")
        if self.loading_dose is not None:
            parse_dose(self.loading_dose, "loading_dose")
        if self.stop_day is not None and not self.stop_day > 0:
            raise InvalidValueError(f"stop_day: must be > 0, got {self.stop_day!r}")

    @property
    def interval_h(self) -> float:
        return BIOLOGIC_INTERVALS_H[self.frequency]


def biologic_network(params: BiologicParameters, events: Sequence[Event] = (), *,
                     ifng_pg_ml: float | None = None) -> Network:
    """The antibody's PK model as a :class:`Network` (species ``C_central``, ``C_peripheral``, ``A_sc``; nM)."""
    start = Input("no antibody in the body before the first dose")
    p = params
    compartments = [
        Compartment(CENTRAL, p.central_volume.value, "L", p.central_volume.provenance, name="central (plasma)"),
        Compartment(PERIPHERAL, p.peripheral_volume.value, "L", p.peripheral_volume.provenance, name="peripheral"),
        Compartment(DEPOT, DEPOT_VOLUME_L, "L", Assumed("SC dosing depot of 1 L: its volume cancels"), name="SC depot"),
    ]
    species = [Species("C_central", CENTRAL, 0.0, start, name=f"{p.drug}, plasma"),
               Species("C_peripheral", PERIPHERAL, 0.0, start, name=f"{p.drug}, peripheral"),
               Species(SC_SPECIES, DEPOT, 0.0, start, name=f"{p.drug} in the SC depot (nmol per 1 L)")]
    clearance = p.clearance.value
    cl_note = p.clearance.provenance
    if ifng_pg_ml is not None and p.nonlinear_clearance is not None:
        from jakstat.network.provenance import Derived

        extra = p.nonlinear_clearance.value * (ifng_pg_ml / 1e6) ** 0.542
        clearance += extra
        cl_note = Derived(f"CLL {p.clearance.value:.4g} + CLNL {p.nonlinear_clearance.value:.4g} x "
                          f"(IFNg {ifng_pg_ml:g}/1e6 pg/mL)^0.542 L/h (exponent from the CLNL row's context; "
                          f"{p.nonlinear_clearance.provenance.describe()})")
    parameters = [
        Parameter("R_in", 0.0, "nmol/h", Input("infusion rate, set by dose events"), "IV infusion rate"),
        Parameter("CL", clearance, "L/h", cl_note, "linear clearance"),
        Parameter("Q", p.intercompartmental_clearance.value, "L/h", p.intercompartmental_clearance.provenance,
                  "intercompartmental clearance"),
        Parameter("ka_sc", p.sc_ka.value if p.sc_ka else 0.0, "1/h",
                  p.sc_ka.provenance if p.sc_ka else Assumed("no SC route"), "SC absorption rate"),
    ]
    reactions = [
        rate_law("infusion", "-> C_central", "R_in", description="zero-order IV infusion"),
        mass_action("sc_absorption", f"{SC_SPECIES} -> C_central", "ka_sc", compartment=DEPOT,
                    description="first-order SC absorption"),
        rate_law("elimination", "C_central ->", "CL * C_central", description="linear elimination"),
        rate_law("distribution", "C_central -> C_peripheral", "Q * C_central"),
        rate_law("redistribution", "C_peripheral -> C_central", "Q * C_peripheral"),
    ]
    if p.vmax is not None and p.km is not None:
        parameters += [Parameter("Vmax", p.vmax.value, "nmol/h", p.vmax.provenance, "target-mediated capacity"),
                       Parameter("Km", p.km.value, "nM", p.km.provenance, "Michaelis-Menten constant")]
        reactions.append(rate_law("target_mediated_elimination", "C_central ->", "Vmax * C_central / (Km + C_central)",
                                  description="Michaelis-Menten (target-mediated) elimination"))
    return Network(name=f"pk_{p.drug}", compartments=tuple(compartments), species=tuple(species),
                   parameters=tuple(parameters), reactions=tuple(reactions), events=tuple(events),
                   description=f"{p.drug} PK ({p.source}, {p.population}; {p.choice_reason})")


def biologic_dose_mg(params: BiologicParameters, dose: str | pint.Quantity, weight_kg: float,
                     field_name: str = "dose") -> tuple[float, str]:
    """mg given for ``dose`` (mg or mg/kg) at ``weight_kg``, capped at the table's maximum per infusion."""
    value, per_kg = parse_dose(dose, field_name)
    mg = value * weight_kg if per_kg else value
    if params.max_dose_mg is not None and mg > params.max_dose_mg.value:
        return params.max_dose_mg.value, (f"{mg:g} mg capped at {params.max_dose_mg.value:g} mg per infusion "
                                          f"({params.max_dose_mg.provenance.describe()})")
    return mg, ""


def biologic_events(params: BiologicParameters, regimen: BiologicRegimen, weight_kg: float,
                    days: float) -> tuple[tuple[Event, ...], list[dict]]:
    """Dose events within ``days`` and a list describing the doses (time_h, mg, note)."""
    if regimen.route == "SC" and params.sc_bioavailability is None:
        raise InvalidValueError(f"route: 'SC' needs a subcutaneous bioavailability for {params.drug} in "
                                "biologic_pk_binding.csv; it has none (use IV)")
    n = int(math.ceil(days * 24.0 / regimen.interval_h - 1e-9))
    events: list[Event] = []
    doses: list[dict] = []
    mw = params.molecular_weight.value
    for k in range(n):
        t = k * regimen.interval_h
        if regimen.stop_day is not None and t >= regimen.stop_day * 24.0 - 1e-9:
            break
        text = regimen.loading_dose if (k == 0 and regimen.loading_dose is not None) else regimen.dose
        mg, note = biologic_dose_mg(params, text, weight_kg)
        nmol = mg * 1e6 / mw
        doses.append({"time_h": t, "mg": mg, "route": regimen.route, "note": note})
        if regimen.route == "IV":
            duration = params.infusion_h.value
            rate = nmol / duration
            events += [Event(f"dose{k}_on", t, "h", (EventAssignment("R_in", rate, "nmol/h", "add"),),
                             description=f"{mg:g} mg IV infusion starts"),
                       Event(f"dose{k}_off", t + duration, "h", (EventAssignment("R_in", -rate, "nmol/h", "add"),),
                             description="infusion ends")]
        else:
            amount = nmol * params.sc_bioavailability.value / DEPOT_VOLUME_L  # type: ignore[union-attr]
            events.append(Event(f"dose{k}", t, "h", (EventAssignment(SC_SPECIES, amount, "nM", "add"),),
                                description=f"{mg:g} mg SC into the depot (x F)"))
    return tuple(events), doses


def _token(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _chain_matches(chain: str, target: str) -> bool:
    c = _token(chain).replace("alpha", "")
    if chain.startswith("s") and len(chain) > 1 and chain[1].isupper():
        c = c[1:]  # soluble form of the chain
    return c == target


def target_mode(drug: str, cytokine: str) -> str | None:
    """``"ligand"`` if ``drug`` neutralises ``cytokine``, ``"receptor"`` if it binds a chain of its receptor, else None."""
    targets = {_token(re.split(r"[\s(]", t.strip())[0]) for t in biologic_parameters(drug).targets}
    c = get_cytokine(cytokine)
    if _token(c.name) in targets:
        return "ligand"
    if any(_chain_matches(ch, t) for ch in c.receptor.chains for t in targets):
        return "receptor"
    return None


def blocked_cytokines(drug: str) -> tuple[str, ...]:
    """Cytokines whose signalling ``drug`` blocks (receptor chain or ligand named by its ``target`` cells)."""
    return tuple(c.name for c in cytokines() if target_mode(drug, c.name) is not None)


def target_blocked(params: BiologicParameters, c_nm: np.ndarray | float) -> np.ndarray:
    """Fraction of the target bound (receptor) or neutralised (ligand): $C/(C + K)$, ``C`` in nM."""
    c = np.asarray(c_nm, dtype=float)
    return c / (c + params.potency.value)


def biologic_inhibition(drug: str, cytokine: str, c_nm: np.ndarray | float) -> np.ndarray:
    """Fraction of ``cytokine`` signalling blocked by the antibody at plasma concentration ``c_nm`` (nM)."""
    name = get_cytokine(cytokine).name
    blocked = target_blocked(biologic_parameters(drug), c_nm)
    return blocked if name in blocked_cytokines(drug) else np.zeros_like(blocked)


def simulate_biologic(params: BiologicParameters, events: Sequence[Event], times_h: np.ndarray, *,
                      ifng_pg_ml: float | None = None, options: SolverOptions | None = None) -> np.ndarray:
    """Plasma concentration (nM) at ``times_h`` through the engine."""
    model = compile_network(biologic_network(params, events, ifng_pg_ml=ifng_pg_ml))
    options = options or SolverOptions(rtol=1e-8, atol=1e-10)
    states = integrate(model, np.asarray(times_h, dtype=float) * 3600.0, options=options)
    return states[:, model.species_index("C_central")]


def biologic_table(drug: str, dose: str | pint.Quantity, regimen: str = "Q4W", weight: str | pint.Quantity = "70 kg",
                   days: float = 28, *, route: str = "IV", population: str = "adult", points_per_hour: int = 1,
                   loading_dose: str | pint.Quantity | None = None, stop_day: float | None = None,
                   ifng_pg_ml: float | None = None, options: SolverOptions | None = None) -> pd.DataFrame:
    """Plasma concentration, target blocked and cytokine-pathway inhibition of an antibody over time.

    Parameters
    ----------
    drug : str
        tocilizumab, anifrolumab or emapalumab (or a brand name).
    dose : str or pint.Quantity
        Per administration, ``"8 mg/kg"`` or ``"300 mg"``.
    regimen : {"QW", "Q2W", "Q4W", "BIW"}
        Dosing interval.
    weight : str
        Body weight, 3-150 kg (scales mg/kg doses and, for adult models, CL, Q, Vmax and volumes).
    days : float
        Simulated time, days.
    route : {"IV", "SC"}
        IV infusion or SC injection (SC only where the table has an F).
    population : str
        ``"adult"`` or a pediatric population of the table (tocilizumab ``"sJIA"``).
    ifng_pg_ml : float, optional
        Serum IFN-gamma (pg/mL) for emapalumab's target-mediated clearance.

    Returns
    -------
    pandas.DataFrame
        ``time_h``; ``total_plasma_nM`` and ``unbound_plasma_nM`` (equal: IgG is not protein bound);
        ``target_blocked`` (0-1); ``inhibition_<cytokine>`` (0-1) for every cytokine of the receptor
        table; ``attrs`` hold doses, parameters with provenance and notes.
    """
    if not days > 0:
        raise InvalidValueError(f"days: must be > 0, got {days!r}")
    if not (isinstance(points_per_hour, int) and points_per_hour >= 1):
        raise InvalidValueError(f"points_per_hour: must be an integer >= 1, got {points_per_hour!r}")
    weight_kg = parse_weight(weight)
    params = scaled(biologic_parameters(drug, population), weight_kg)
    plan = BiologicRegimen(regimen, dose, route, loading_dose=loading_dose, stop_day=stop_day)
    events, doses = biologic_events(params, plan, weight_kg, days)
    times = np.arange(0, int(round(days * 24 * points_per_hour)) + 1) / points_per_hour
    c = simulate_biologic(params, events, times, ifng_pg_ml=ifng_pg_ml, options=options)
    c = np.where(np.abs(c) < 1e-12, 0.0, c)
    blocked = target_blocked(params, c)
    hit = set(blocked_cytokines(params.drug))
    table = pd.DataFrame({TIME: times, TOTAL: c, UNBOUND: c, BLOCKED: blocked,
                          **{f"inhibition_{k.name}": blocked if k.name in hit else np.zeros_like(c) for k in cytokines()}})
    table.attrs.update({
        "drug": params.drug, "regimen": plan.frequency, "route": plan.route, "weight_kg": weight_kg,
        "population": population, "doses": doses,
        "units": {TIME: "h", TOTAL: "nM", UNBOUND: "nM", BLOCKED: "fraction (0-1)", "inhibition_*": "fraction (0-1)"},
        "parameters": {k: v.describe() for k, v in params.values().items()},
        "model": f"{params.source}: {params.choice_reason}", "blocks": sorted(hit), "notes": list(params.notes),
    })
    return table


def ug_per_ml(params: BiologicParameters, c_nm: np.ndarray | float) -> np.ndarray:
    """nM -> ug/mL with the antibody's molecular weight."""
    return np.asarray(c_nm, dtype=float) * params.molecular_weight.value * 1e-6
