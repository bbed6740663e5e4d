"""A cell network under the oral PK of a JAK inhibitor: one merged network, JAK occupancy in the rate laws.

:func:`drug_coupled_network` merges the drug's PK network (:func:`~jakstat.pharmacology.pk_model.pk_network`,
doses as events) with a cell network and replaces each ``free_JAKn`` parameter of the cell's rate laws
by the free fraction at the current unbound plasma concentration,

$$ \\mathrm{free}_{JAKn}(t) = \\frac{K_n}{K_n + f_u\\,C_{central}(t)}, \\qquad K_n = s\\,K_{i,n}, $$

(reversible, competitive, at equilibrium with plasma: the same occupancy model as
:mod:`~jakstat.pharmacology.inhibition`, with the stored enzyme-to-cell shift ``s``). The expression
is written into the rate laws themselves, so the network stays a plain reaction network: the
compiler, both engines and the SBML export need nothing new (SBML: the kinetic laws read the PK
species ``C_central``). ``K_JAKn`` and ``fu`` become parameters with their provenance. JAKs the drug
has no potency row for keep ``free_JAKn = 1``.

The cell network is the one :func:`jakstat.api.prepare_network` builds (pre-equilibrated without
drug, fresh medium with the given cytokines at t = 0); the first dose is at t = 0.
"""

from __future__ import annotations

from dataclasses import replace

import sympy

from jakstat.errors import InvalidValueError
from jakstat.knowledge import JAK_NAMES, get_drug
from jakstat.network.model import Network, Parameter, merge
from jakstat.network.provenance import Derived
from jakstat.pharmacology.pk_model import CENTRAL_SPECIES

FU_PARAMETER = "fu_plasma"
TOTAL, UNBOUND = "total_plasma_nM", "unbound_plasma_nM"


def free_fraction_expression(jak: str) -> sympy.Expr:
    """$K/(K + f_u C_{central})$ for ``jak`` as a sympy expression over model ids."""
    k = sympy.Symbol(f"K_{jak}")
    return k / (k + sympy.Symbol(FU_PARAMETER) * sympy.Symbol(CENTRAL_SPECIES))


def drug_coupled_network(cell_net: Network, drug: str, dose: str, regimen: str = "BID", weight: str = "70 kg",
                         days: float = 14.0, egfr: float | None = None) -> Network:
    """``cell_net`` merged with the PK of ``drug`` (doses within ``days``), JAK occupancy in its rate laws.

    Parameters
    ----------
    cell_net : Network
        A cell network with ``free_JAKn`` parameters (the generated cell networks).
    drug, dose, regimen, weight, egfr
        As for :func:`jakstat.pharmacology.pk_table` (small molecules only).
    days : float
        Doses are given within this many days from t = 0.

    Raises
    ------
    jakstat.errors.UnknownNameError
        Unknown drug (lists the known), a drug without a PK model, an unknown regimen.
    jakstat.errors.InvalidValueError
        A biologic (not coupled to cell networks yet), a network without ``free_JAKn`` parameters, bad dose
        or weight (outside 3-150 kg).
    """
    from jakstat.pharmacology.inhibition import cell_shift, enzyme_potencies
    from jakstat.pharmacology.pk_api import patient_parameters
    from jakstat.pharmacology.pk_model import pk_network
    from jakstat.pharmacology.regimens import Regimen, dose_events, dose_schedule, parse_weight

    record = get_drug(drug)
    if record.kind == "biologic":
        from jakstat.pharmacology.pk_parameters import pk_drugs

        raise InvalidValueError(f"drug: {record.name} is an antibody; coupling antibodies to cell networks is not "
                                f"modelled yet; small molecules that can be: {', '.join(pk_drugs())}")
    free_ids = [f"free_{j}" for j in JAK_NAMES if f"free_{j}" in cell_net]
    if not free_ids:
        raise InvalidValueError(f"network {cell_net.name!r} has no free_JAKn parameters: a drug cannot act on it "
                                "(use a generated cell network, e.g. --cell cd4_t_cell)")
    if not days > 0:
        raise InvalidValueError(f"days: must be > 0, got {days!r}")
    weight_kg = parse_weight(weight)
    params = patient_parameters(record.name, weight, egfr)
    plan = Regimen(regimen, dose)
    doses = dose_schedule(params.drug, plan, weight_kg, days)
    pk = pk_network(params, dose_events(doses, params))
    shift, shift_source = cell_shift(params.drug)
    potencies = enzyme_potencies(params.drug)
    substitutions: dict[sympy.Symbol, sympy.Expr] = {}
    new_parameters = [Parameter(FU_PARAMETER, params.fu.value, "dimensionless", params.fu.provenance,
                                f"unbound fraction of {params.drug} in plasma")]
    for jak in JAK_NAMES:
        if f"free_{jak}" not in free_ids or jak not in potencies:
            continue
        pot = potencies[jak]
        new_parameters.append(Parameter(
            f"K_{jak}", pot.ki_nm * shift, "nM",
            Derived(f"cellular apparent Ki of {params.drug} on {jak} = Ki {pot.ki_nm:g} nM "
                    f"({pot.provenance.describe()}) x enzyme-to-cell shift {shift:.4g} ({shift_source.describe()})"),
            f"{jak} potency of {params.drug} in cells"))
        substitutions[sympy.Symbol(f"free_{jak}")] = free_fraction_expression(jak)
    replaced = {str(s) for s in substitutions}
    merged = merge(cell_net, pk, name=f"{cell_net.name}+{pk.name}")
    reactions = tuple(replace(r, rate=r.rate.subs(substitutions)) if r.rate.free_symbols & set(substitutions) else r
                      for r in merged.reactions)
    return replace(merged, reactions=reactions,
                   parameters=tuple(p for p in merged.parameters if p.id not in replaced) + tuple(new_parameters),
                   description=merged.description + f"; free_JAKn = K/(K + fu x C_central) for "
                   f"{', '.join(sorted(replaced))} ({params.drug} {plan.dose} {plan.frequency}, {weight_kg:g} kg)")


def check_drug_input(drug: str, dose: str, regimen: str, weight: str) -> None:
    """Raise the errors :func:`drug_coupled_network` would raise for the drug, dose, regimen and weight."""
    from jakstat.pharmacology.pk_parameters import pk_parameters
    from jakstat.pharmacology.regimens import Regimen, parse_weight

    record = get_drug(drug)
    if record.kind != "biologic":
        pk_parameters(record.name)
    Regimen(regimen, dose)
    parse_weight(weight)


def simulate_with_drug(cell: str, cytokines: dict[str, str], drug: str, dose: str, regimen: str = "BID",
                       weight: str = "70 kg", days: float = 14.0, *, n_points: int | None = None,
                       rtol: float = 1e-8, atol: float = 1e-12, egfr: float | None = None, genotype: str = "wt"):
    """:func:`jakstat.simulate` of ``cell`` with ``cytokines`` under the oral PK of ``drug``.

    Returns
    -------
    xarray.Dataset
        The species of the cell and PK networks (nM) plus ``total_plasma_nM`` and ``unbound_plasma_nM``;
        coordinate ``time_h``.
    """
    import xarray as xr

    from jakstat.api import Scenario, prepare_network, run_network, time_grid_s
    from jakstat.engine.integrate import SolverOptions

    if not days > 0:
        raise InvalidValueError(f"days: must be > 0, got {days!r}")
    check_drug_input(drug, dose, regimen, weight)  # before the (slow) pre-equilibration of the cell network
    net = drug_coupled_network(prepare_network(Scenario(cell, genotype, cytokines=tuple(cytokines.items()))),
                               drug, dose, regimen, weight, days, egfr)
    ds = run_network(net, time_grid_s(f"{days * 24} h", n_points), SolverOptions(rtol=rtol, atol=atol),
                     attrs={"cell": cell, "cytokines": ", ".join(f"{k}={v}" for k, v in cytokines.items()) or "none",
                            "drug": f"{drug} {dose} {regimen}", "weight": weight})
    fu = net[FU_PARAMETER].value
    ds[TOTAL] = xr.Variable(("time_h",), ds[CENTRAL_SPECIES].values, attrs={"units": "nM", "long_name": "total plasma"})
    ds[UNBOUND] = xr.Variable(("time_h",), fu * ds[CENTRAL_SPECIES].values,
                              attrs={"units": "nM", "long_name": "unbound plasma (fu x total)"})
    return ds
