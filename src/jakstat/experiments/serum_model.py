"""The systemic serum IL-6 / CRP model: a patient's baseline, drugs and antibodies, one simulation.

The network is ``data/networks/il6_crp_serum.yaml`` (plasma IL-6 -> hepatocyte IL-6R/STAT3 -> CRP ->
plasma CRP). This module turns a clinical scenario into a run of it:

- **Baseline.** The patient's untreated serum IL-6 (free, pg/mL; healthy 5.186 pg/mL, ``cell_types.csv``)
  fixes the IL-6 production rate: the network is brought to steady state with free plasma IL-6 clamped
  at that value, and the production is the clearance flux there (renal + IL-6R-mediated, net of the
  sIL-6R buffer), so the unclamped network starts exactly at its steady state. CRP then follows from
  the model (calibrated once on healthy adults, :mod:`jakstat.studies.crp_calibration`).
- **JAK inhibitor** (oral): the drug's PK network is merged and ``free_JAKn`` become
  $K_n/(K_n + f_u C)$ (:func:`jakstat.pharmacology.coupled.drug_coupled_network`).
- **Anti-IL-6R antibody** (tocilizumab): its PK network is merged (IV doses as events) and ``free_IL6R``
  becomes $K_d/(K_d + C)$ of the antibody's plasma concentration (binding at equilibrium, the occupancy
  rule of :mod:`jakstat.pharmacology.biologics`; IgG is in large excess of the receptor, so binding does
  not deplete it). Blocking IL-6R stops hepatocyte signalling *and* the receptor-mediated consumption of
  IL-6, so free serum IL-6 rises (Nishimoto 2008).

Units: concentrations nM inside the model; readouts IL-6 in pg/mL (21 kDa) and CRP in mg/L (115 kDa,
``molecular_weights.csv``).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import numpy as np
import sympy
import xarray as xr

from jakstat.compile.codegen import CompiledModel, compile_network
from jakstat.data import table_row
from jakstat.engine.integrate import SolverOptions
from jakstat.engine.steady_state import steady_state
from jakstat.errors import InvalidValueError
from jakstat.network.definition import DEFINITION_KEYS, definition_section, network_from_definition
from jakstat.network.edit import with_initial_values, with_parameter
from jakstat.network.model import Network, Parameter, merge
from jakstat.network.provenance import Assumed, Derived
from jakstat.units import Quantity

DEFINITION = "il6_crp_serum"
CALIBRATION = "crp_healthy_serum"
IL6_SPECIES = "IL6_plasma"
CRP_SPECIES = "CRP_plasma"
PRODUCTION = "k_IL6_prod"
FREE_IL6R = "free_IL6R"
ANTIBODY_KD = "Kd_anti_IL6R"
HEALTHY_IL6_PG_ML = 5.186
"""Healthy adult serum IL-6, pg/mL (cell_types.csv, Said 2021 meta-analysis, verified)."""
SOLVER = SolverOptions(method="BDF", rtol=1e-8, atol=1e-14)
STEADY_REL = 1e-12
"""Steady state: every |dy/dt| below 1e-12 of its concentration per second (drift < 1e-6 over 10 days)."""


def _mass_per_nm(molecule: str, unit: str) -> float:
    row = table_row("molecular_weights", molecule=molecule)
    grams_per_mol = Quantity(float(row["value"]), row["unit"]).to("Da").magnitude  # 1 Da = 1 g/mol
    return float(Quantity(grams_per_mol * 1e-9, "g/L").to(unit).magnitude)


def il6_pg_ml_per_nm() -> float:
    """pg/mL of IL-6 per nM (molecular_weights.csv IL-6, 21 kDa)."""
    return _mass_per_nm("IL-6", "pg/mL")


def crp_mg_l_per_nm() -> float:
    """mg/L of CRP per nM of the pentamer (molecular_weights.csv CRP, 115 kDa)."""
    return _mass_per_nm("CRP", "mg/L")


CALIBRATED = ("f_dephos", "k_CRP_secretion", "k_IL6_other")
"""Parameters of the network whose values come from the calibration record ``crp_healthy_serum``."""
_UNITS = {"f_dephos": "dimensionless", "k_CRP_secretion": "1/s", "k_IL6_other": "1/s"}
_PLACEHOLDER = (("f_dephos", 1.0), ("k_CRP_secretion", 1.0), ("k_IL6_other", 1e-3))

Overrides = tuple[tuple[str, float], ...]


def serum_definition(overrides: Overrides = ()) -> dict:
    """The YAML definition as a dict; ``overrides`` ((id, value), ...) replace calibrated values (for calibrating)."""
    definition = {key: definition_section(DEFINITION, key) for key in DEFINITION_KEYS}
    definition = {key: value for key, value in definition.items() if value != {}}
    for pid, value in overrides:
        if pid not in CALIBRATED:
            raise InvalidValueError(f"overrides: {pid!r} is not a calibrated parameter; calibrated: {', '.join(CALIBRATED)}")
        spec = definition["parameters"][pid]
        definition["parameters"][pid] = {"value": float(value), "unit": _UNITS[pid], "about": spec.get("about", ""),
                                         "assumed": f"trial value while calibrating {CALIBRATION}"}
    return definition


@lru_cache(maxsize=8)
def serum_network(overrides: Overrides = ()) -> Network:
    """The systemic network before a baseline is set (no IL-6 production, species at their table values)."""
    return network_from_definition(serum_definition(overrides))


@lru_cache(maxsize=2)
def _compiled(clamped: bool) -> CompiledModel:
    """The network compiled once (calibrated values are passed in the parameter vector, not compiled in)."""
    net = serum_network(_PLACEHOLDER)
    if clamped:
        net = replace(net, species=tuple(replace(s, boundary=True) if s.id == IL6_SPECIES else s for s in net.species))
    return compile_network(net)


def _check_il6(il6_pg_ml: float) -> float:
    value = float(il6_pg_ml)
    if not (np.isfinite(value) and value > 0):
        raise InvalidValueError(f"il6: untreated serum IL-6 must be a finite number > 0 pg/mL, got {il6_pg_ml!r}")
    return value


def untreated_steady_state(il6_pg_ml: float, values: dict[str, float]) -> tuple[np.ndarray, float]:
    """(steady state in nM, IL-6 production in nM/s) with free serum IL-6 at ``il6_pg_ml`` and the calibrated
    ``values`` (``f_dephos``, ``k_CRP_secretion``, ``k_IL6_other`` in 1/s); species in :func:`serum_network` order."""
    target_nm = _check_il6(il6_pg_ml) / il6_pg_ml_per_nm()
    clamped, free = _compiled(True), _compiled(False)
    y0 = clamped.y0.copy()
    y0[clamped.species_index(IL6_SPECIES)] = target_nm
    y_ss = steady_state(clamped, y0=y0, p=clamped.parameter_vector(**values), rel=STEADY_REL)
    p = free.parameter_vector(**values, **{PRODUCTION: 0.0})
    production = -float(free.rhs(0.0, y_ss, p)[free.species_index(IL6_SPECIES)])
    return y_ss, production


def baseline_network(il6_pg_ml: float = HEALTHY_IL6_PG_ML, *, overrides: Overrides = ()) -> Network:
    """The network at the untreated steady state with free serum IL-6 at ``il6_pg_ml`` (pg/mL).

    Returns a network whose initial state is that steady state and whose ``k_IL6_prod`` is the
    IL-6 production that holds it (provenance ``derived``).
    """
    net = serum_network(overrides)
    y_ss, production = untreated_steady_state(il6_pg_ml, {pid: net[pid].value for pid in CALIBRATED})
    why = f"untreated steady state at free serum IL-6 {il6_pg_ml:g} pg/mL (IL-6 clamped there, then released)"
    net = with_parameter(net, PRODUCTION, production,
                         Derived(f"IL-6 clearance flux at {il6_pg_ml:g} pg/mL free serum IL-6 (steady state)"))
    return with_initial_values(net, dict(zip(_compiled(False).species_ids, y_ss)), Derived(why))


def with_jak_inhibitor(net: Network, drug: str, dose: str, regimen: str, weight: str, days: float) -> Network:
    """``net`` under the oral PK of a small-molecule JAK inhibitor (first dose at t = 0)."""
    from jakstat.pharmacology.coupled import drug_coupled_network

    return drug_coupled_network(net, drug, dose, regimen, weight, days)


def _il6r_antibody(drug: str, kd_nm: float | None = None):
    """The antibody's parameters; ``kd_nm`` (nM), if given, replaces the table's Kd (provenance ``assumed``)."""
    from jakstat.pharmacology.biologic_parameters import biologic_parameters
    from jakstat.pharmacology.biologics import target_mode

    params = biologic_parameters(drug)
    if target_mode(params.drug, "IL-6") != "receptor":
        raise InvalidValueError(f"antibody: {params.drug} does not bind IL-6R, so it does not act on serum IL-6 or "
                                "CRP in this model; anti-IL-6R antibodies: tocilizumab")
    if kd_nm is None:
        return params
    try:
        kd = float(kd_nm)
    except (TypeError, ValueError):
        kd = float("nan")
    if not (np.isfinite(kd) and kd > 0):
        raise InvalidValueError(f"kd_nm: the antibody's Kd for IL-6R must be a finite number > 0 nM, got {kd_nm!r}")
    table = params.potency
    why = (f"Kd {kd:g} nM set by the caller (a sensitivity study) instead of the table's {table.value:g} nM "
           f"({table.provenance.describe()})")
    return replace(params, potency=replace(table, value=kd, provenance=Assumed(why)))


def with_antibody_concentration(net: Network, drug: str, concentration_nm: float, *,
                                kd_nm: float | None = None) -> Network:
    """``net`` with an anti-IL-6R antibody held at ``concentration_nm`` (nM) in plasma: ``free_IL6R = Kd/(Kd + C)``.

    ``kd_nm`` (nM): a Kd to use instead of the table's (for sensitivity studies; its provenance says so).
    """
    params = _il6r_antibody(drug, kd_nm)
    if not (np.isfinite(concentration_nm) and concentration_nm >= 0):
        raise InvalidValueError(f"antibody concentration must be >= 0 nM, got {concentration_nm!r}")
    kd = params.potency.value
    return with_parameter(net, FREE_IL6R, kd / (kd + concentration_nm),
                          Derived(f"{params.drug} at {concentration_nm:g} nM, Kd {kd:g} nM ({params.potency.provenance.describe()})"))


def with_antibody(net: Network, drug: str, dose: str, frequency: str = "Q4W", weight: str = "70 kg",
                  days: float = 28.0, *, kd_nm: float | None = None) -> Network:
    """``net`` merged with an anti-IL-6R antibody's PK (IV doses from t = 0); ``free_IL6R`` follows its plasma level.

    ``kd_nm`` (nM): a Kd to use instead of the table's (for sensitivity studies; the ``Kd_anti_IL6R``
    parameter's provenance says so). The PK (including its target-mediated elimination) is the table's either way.
    """
    from jakstat.pharmacology.biologic_parameters import scaled
    from jakstat.pharmacology.biologics import BiologicRegimen, biologic_events, biologic_network
    from jakstat.pharmacology.regimens import parse_weight

    base = _il6r_antibody(drug, kd_nm)
    if not days > 0:
        raise InvalidValueError(f"days: must be > 0, got {days!r}")
    weight_kg = parse_weight(weight)
    params = scaled(base, weight_kg)
    plan = BiologicRegimen(frequency, dose, "IV")
    events, _ = biologic_events(params, plan, weight_kg, days)
    pk = biologic_network(params, events)
    kd = sympy.Symbol(ANTIBODY_KD)
    substitution = {sympy.Symbol(FREE_IL6R): kd / (kd + sympy.Symbol("C_central"))}
    merged = merge(net, pk, name=f"{net.name}+{pk.name}")
    reactions = tuple(replace(r, rate=r.rate.subs(substitution)) if r.rate.free_symbols & set(substitution) else r
                      for r in merged.reactions)
    kd_parameter = Parameter(ANTIBODY_KD, params.potency.value, "nM", params.potency.provenance,
                             f"{params.drug} dissociation constant for IL-6R")
    return replace(merged, reactions=reactions,
                   parameters=tuple(p for p in merged.parameters if p.id != FREE_IL6R) + (kd_parameter,),
                   description=merged.description + f"; free_IL6R = Kd/(Kd + C_central) ({params.drug} {plan.dose} "
                   f"{plan.frequency} IV, {weight_kg:g} kg)")


def run_serum(net: Network, times_h: np.ndarray, options: SolverOptions = SOLVER) -> xr.Dataset:
    """Integrate ``net`` at ``times_h`` (h); add ``il6_pg_ml`` (free serum IL-6) and ``crp_mg_l``."""
    from jakstat.api import run_network

    times_h = np.asarray(times_h, dtype=float)
    ds = run_network(net, times_h * 3600.0, options)
    ds["il6_pg_ml"] = xr.Variable(("time_h",), ds[IL6_SPECIES].values * il6_pg_ml_per_nm(),
                                  attrs={"units": "pg/mL", "long_name": "free serum IL-6"})
    ds["crp_mg_l"] = xr.Variable(("time_h",), ds[CRP_SPECIES].values * crp_mg_l_per_nm(),
                                 attrs={"units": "mg/L", "long_name": "serum CRP"})
    return ds


def steady_crp_mg_l(il6_pg_ml: float, values: dict[str, float] | None = None) -> float:
    """Untreated steady-state CRP (mg/L) of a patient with free serum IL-6 ``il6_pg_ml`` (default: calibrated values)."""
    if values is None:
        net = serum_network()
        values = {pid: net[pid].value for pid in CALIBRATED}
    y_ss, _ = untreated_steady_state(il6_pg_ml, values)
    return float(y_ss[_compiled(False).species_index(CRP_SPECIES)] * crp_mg_l_per_nm())


def treated_steady_state(il6_pg_ml: float, free_il6r: float = 1.0, values: dict[str, float] | None = None, *,
                         free_jak: float = 1.0, start: tuple[np.ndarray, float] | None = None) -> np.ndarray:
    """Steady state (nM) of a patient with untreated free serum IL-6 ``il6_pg_ml`` under a constant treatment
    (IL-6 production unchanged): a fraction ``free_il6r`` of IL-6R left free by an antibody, and/or receptor
    activation scaled by ``free_jak`` (the product of the IL-6 receptor's JAK free fractions, 1 - inhibition).
    ``start``: the untreated (state, production), if already computed."""
    if values is None:
        net = serum_network()
        values = {pid: net[pid].value for pid in CALIBRATED}
    y_ss, production = start if start is not None else untreated_steady_state(il6_pg_ml, values)
    free = _compiled(False)
    p = free.parameter_vector(**values, **{PRODUCTION: production, FREE_IL6R: free_il6r, "free_JAK1": free_jak})
    return steady_state(free, y0=y_ss, p=p, rel=STEADY_REL)


def species_value(y: np.ndarray, species_id: str) -> float:
    """Concentration (nM) of ``species_id`` in a state vector of :func:`serum_network` order."""
    return float(y[_compiled(False).species_index(species_id)])


def il6_for_crp(crp_mg_l: float, values: dict[str, float] | None = None, *, lo: float = 0.1, hi: float = 5000.0) -> float:
    """Untreated serum IL-6 (pg/mL) whose steady-state CRP is ``crp_mg_l`` (bisection on log IL-6)."""
    from scipy.optimize import brentq

    if not (np.isfinite(crp_mg_l) and crp_mg_l > 0):
        raise InvalidValueError(f"crp: must be a finite number > 0 mg/L, got {crp_mg_l!r}")
    return float(np.exp(brentq(lambda x: np.log(steady_crp_mg_l(np.exp(x), values) / crp_mg_l), np.log(lo), np.log(hi),
                               xtol=1e-6)))


__all__ = ["CALIBRATED", "CALIBRATION", "CRP_SPECIES", "DEFINITION", "HEALTHY_IL6_PG_ML", "IL6_SPECIES",
           "baseline_network", "crp_mg_l_per_nm", "il6_for_crp", "il6_pg_ml_per_nm", "run_serum", "serum_definition",
           "serum_network", "species_value", "steady_crp_mg_l", "treated_steady_state", "untreated_steady_state",
           "with_antibody", "with_antibody_concentration", "with_jak_inhibitor"]
