"""Whole-blood pSTAT assay: blood drawn after a dose, stimulated ex vivo, pSTAT by flow cytometry.

Protocol (:class:`WholeBloodProtocol`, every field an input of the assay):

1. Blood is drawn at ``draw_times_h`` after the first dose; its drug concentration is the plasma
   concentration of the PK model (:mod:`~jakstat.pharmacology.pk_model` or
   :mod:`~jakstat.pharmacology.biologics`).
2. Each cell type's generated network (:mod:`jakstat.network.cells`) is pre-equilibrated without
   cytokine, then stimulated at t = 0 with ``stimulus`` of one cytokine for ``stimulation_min``.
3. Drug effect: small molecules set the ``free_JAKn`` parameters to $1 - \\theta_n$ with the occupancy
   $\\theta_n = f_u C / (f_u C + s K_{i,n})$ at the whole-blood-shifted potency (the calibrated shift
   ``s`` of :func:`~jakstat.pharmacology.inhibition.cell_shift`); antibodies block the fraction
   $B = C/(C + K)$ of their target (receptor: the receptor species; ligand: the added cytokine).
4. Readout: the phosphorylated STAT (the cytokine's first main STAT in the receptor table, or
   ``stat=``): the amount of every species holding that STAT in phosphorylated form (``pSTATn``
   monomers and dimers in cytoplasm and nucleus, ISGF3), each STAT counted once per molecule;
   value = % inhibition relative to the same stimulation without drug.

Every condition is one member of one batched run (:func:`jakstat.engine.batch.simulate_batch`, per-member
parameters and initial states). The network integrated is the cell's generated network restricted to
the pathways of the stimulated cytokines (``network="stimulated"``, the default: the other receptors
get no ligand ex vivo, so their pathways are idle; it compiles in about a minute instead of several)
or the whole generated network (``network="full"``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.knowledge import JAK_NAMES, get_cytokine, get_drug
from jakstat.network.pathways import species_token

ASSAY = "whole_blood_pstat"
NETWORK_CHOICES = ("stimulated", "full")


@dataclass(frozen=True)
class WholeBloodProtocol:
    """Ex-vivo stimulation: ``stimulus`` (nM of cytokine in the blood) for ``stimulation_min`` minutes."""

    stimulation_min: float = 15.0
    stimulus_nm: float = 1.0
    network: str = "stimulated"

    def __post_init__(self) -> None:
        if not self.stimulation_min > 0:
            raise InvalidValueError(f"stimulation_min: must be > 0 min, got {self.stimulation_min!r}")
        if not self.stimulus_nm > 0:
            raise InvalidValueError(f"stimulus_nm: must be > 0 nM, got {self.stimulus_nm!r}")
        if self.network not in NETWORK_CHOICES:
            raise UnknownNameError("whole-blood network choice", self.network, NETWORK_CHOICES)


@dataclass(frozen=True)
class _Assay:
    """A compiled cell network ready for stimulation (private)."""

    model: object
    solver: object
    y0: np.ndarray
    p0: np.ndarray
    ligand_index: dict[str, int]
    receptor_index: dict[str, int]
    free_index: dict[str, int]
    volumes: np.ndarray


PATHWAY_ONLY = "pathway"
"""``cell`` value of :func:`stimulate` for the stimulated pathway network alone, without a cell's receptor set:
for a cytokine no modelled blood cell expresses (e.g. TPO); only with ``network="stimulated"``."""


def _check_cytokines(cell: str, names: Sequence[str]) -> tuple[str, ...]:
    from jakstat.network.cells import expressed_cytokines

    known = None if cell == PATHWAY_ONLY else expressed_cytokines(cell)
    out = []
    for name in names:
        canonical = get_cytokine(name).name  # unknown names -> UnknownNameError listing all cytokines
        if known is not None and canonical not in known:
            raise UnknownNameError(f"cytokine with a receptor on {cell}", name, known)
        out.append(canonical)
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=8)
def _assay(cell: str, cytokines: tuple[str, ...], network: str) -> _Assay:
    from jakstat.compile.codegen import compile_network
    from jakstat.engine.batch import BatchSolver
    from jakstat.engine.steady_state import steady_state
    from jakstat.network.builders import build_cell_network
    from jakstat.network.culture import Culture, with_culture
    from jakstat.network.definition import network_from_definition
    from jakstat.network.genes import add_gene_expression
    from jakstat.network.pathways import pathway_definition

    if network == "full":
        net = build_cell_network(cell)
    else:
        definition = add_gene_expression(pathway_definition(cytokines, name="stimulated_" + "_".join(species_token(c) for c in cytokines)))
        net = with_culture(network_from_definition(definition), Culture())
    model = compile_network(net)
    y0 = np.array(steady_state(model), dtype=float)
    ids = list(model.species_ids)
    for i, sid in enumerate(ids):
        if net[sid].compartment == "medium":
            y0[i] = 0.0  # fresh stimulation: no cytokine in the medium
    volumes = np.array([net.compartment_of(s).size for s in ids])
    params = list(model.parameter_ids)
    return _Assay(model, BatchSolver(model), y0, np.asarray(model.p0, dtype=float),
                  {c: ids.index(f"{species_token(c)}_medium") for c in cytokines},
                  {c: ids.index(f"R_{species_token(c)}") for c in cytokines},
                  {j: params.index(f"free_{j}") for j in JAK_NAMES if f"free_{j}" in params}, volumes)


def phospho_weights(model, stat: str, volumes: np.ndarray) -> np.ndarray:
    """Weights turning a state (nM) into the phosphorylated amount of ``stat`` (nmol)."""
    st = species_token(stat)
    net = model.network
    w = np.zeros(len(model.species_ids))
    for i, sid in enumerate(model.species_ids):
        count = dict(net[sid].composition).get(stat, 0)
        if count and sid not in (f"{st}_cyt", f"{st}_nuc") and "_act_" not in sid:
            w[i] = count * volumes[i]
    return w


def _drug_state(drug: str, c_total_nm: float) -> tuple[dict[str, float], float, str]:
    """(free fraction of each JAK, fraction of the biologic's target blocked, what the target is)."""
    record = get_drug(drug)
    if record.kind == "biologic":
        from jakstat.pharmacology.biologic_parameters import biologic_parameters
        from jakstat.pharmacology.biologics import target_blocked

        return {}, float(target_blocked(biologic_parameters(record.name), c_total_nm)), "biologic"
    from jakstat.pharmacology.inhibition import cell_shift, jak_occupancy
    from jakstat.pharmacology.pk_parameters import fraction_unbound

    fu = fraction_unbound(record.name).value
    occ = jak_occupancy(record.name, fu * c_total_nm, cell_shift(record.name)[0])
    return {j: 1.0 - float(occ[j]) for j in JAK_NAMES}, 0.0, "small molecule"


def stimulate(drug: str | None, cell: str, cytokines: Sequence[str], blood_nm: Sequence[float],
              protocol: WholeBloodProtocol = WholeBloodProtocol(), *, stat: str | None = None,
              free_override: Sequence[float] | None = None) -> np.ndarray:
    """% inhibition of pSTAT for every (cytokine, blood concentration): array (n_cytokines, n_conc).

    ``blood_nm`` is the total drug concentration in the drawn blood (nM). ``free_override`` (for
    checks): the product of free JAK fractions per condition, given directly (no drug).
    """
    names = _check_cytokines(cell, cytokines)
    if cell == PATHWAY_ONLY and protocol.network != "stimulated":
        raise InvalidValueError(f"cell: {PATHWAY_ONLY!r} needs network='stimulated' (a full network is a cell's); "
                                f"got network={protocol.network!r}")
    assay = _assay(cell if cell == PATHWAY_ONLY else get_cell_name(cell), names, protocol.network)
    conc = np.asarray(blood_nm, dtype=float)
    n = conc.size if free_override is None else len(free_override)
    rows_p, rows_y = [], []
    for name in names:
        jaks = get_cytokine(name).receptor.jaks
        for k in range(n + 1):  # member 0 of each cytokine: the no-drug reference
            p, y = assay.p0.copy(), assay.y0.copy()
            y[assay.ligand_index[name]] = protocol.stimulus_nm
            if k > 0 and free_override is not None:
                p[assay.free_index[jaks[0]]] = free_override[k - 1]
            elif k > 0 and drug is not None:
                free, blocked, kind = _drug_state(drug, conc[k - 1])
                for jak, f in free.items():
                    if jak in assay.free_index:
                        p[assay.free_index[jak]] = f
                if kind == "biologic":
                    from jakstat.pharmacology.biologics import target_mode

                    mode = target_mode(drug, name)
                    if mode is not None:
                        index = assay.ligand_index[name] if mode == "ligand" else assay.receptor_index[name]
                        y[index] *= 1.0 - blocked
            rows_p.append(p)
            rows_y.append(y)
    from jakstat.engine.batch import simulate_batch

    result = simulate_batch(assay.solver, np.array([0.0, protocol.stimulation_min * 60.0]), np.array(rows_p),
                            np.array(rows_y), rtol=1e-8, atol=1e-12)
    if result.n_failed:
        raise RuntimeError("; ".join(m for m in result.messages if m))
    out = np.empty((len(names), n))
    for c, name in enumerate(names):
        w = phospho_weights(assay.model, stat or get_cytokine(name).main_stats[0], assay.volumes)
        block = result.states[c * (n + 1):(c + 1) * (n + 1), -1, :] @ w
        out[c] = 100.0 * (1.0 - block[1:] / block[0])
    return out


def get_cell_name(cell: str) -> str:
    from jakstat.network.builders import CELL_NETWORKS
    from jakstat.knowledge import get_cell_type

    record = get_cell_type(cell)
    if record.name not in CELL_NETWORKS or record.name == "fibroblast":
        generated = [c for c in CELL_NETWORKS if c not in ("fibroblast", "fibroblast-generated")]
        raise UnknownNameError("cell type with a generated network", cell, generated)
    return record.name


def plasma_concentration(drug: str, dose: str, regimen: str, weight: str, times_h: np.ndarray) -> np.ndarray:
    """Total plasma concentration (nM) at ``times_h`` (h after the first dose) for any drug with a PK model."""
    record = get_drug(drug)
    days = float(np.max(times_h)) / 24.0 + 1e-6
    if record.kind == "biologic":
        from jakstat.pharmacology.biologic_parameters import biologic_parameters, scaled
        from jakstat.pharmacology.biologics import BiologicRegimen, biologic_events, simulate_biologic
        from jakstat.pharmacology.regimens import parse_weight

        kg = parse_weight(weight)
        params = scaled(biologic_parameters(record.name), kg)
        events, _ = biologic_events(params, BiologicRegimen(regimen, dose), kg, days)
        return simulate_biologic(params, events, times_h)
    from jakstat.pharmacology.pk_api import patient_parameters
    from jakstat.pharmacology.pk_model import simulate_pk
    from jakstat.pharmacology.regimens import Regimen, dose_events, dose_schedule, parse_weight

    params = patient_parameters(record.name, weight)
    doses = dose_schedule(params.drug, Regimen(regimen, dose), parse_weight(weight), days)
    return simulate_pk(params, dose_events(doses, params), times_h)


def whole_blood_pstat(drug: str, dose: str, regimen: str = "BID", weight: str = "70 kg",
                      draw_times_h: Sequence[float] = (0.0, 1.0, 2.0, 4.0, 8.0, 12.0),
                      cytokine: str | Sequence[str] = "IL-6", cell_types: Sequence[str] = ("cd4_t_cell",),
                      protocol: WholeBloodProtocol = WholeBloodProtocol(), *, stat: str | None = None) -> pd.DataFrame:
    """% inhibition of cytokine-induced pSTAT in blood drawn after dosing, per cell type and cytokine.

    Parameters
    ----------
    drug, dose, regimen, weight
        As for ``jakstat pk`` (small molecules QD/BID/TID/XR; antibodies QW/Q2W/Q4W/BIW).
    draw_times_h : sequence of float
        Blood draws, h after the first dose (>= 0).
    cytokine : str or sequence of str
        Ex-vivo stimulus (each must have a receptor on every cell type).
    cell_types : sequence of str
        Cells with a generated network (cd4_t_cell, monocyte, hepatocyte).
    protocol : WholeBloodProtocol
        Stimulation time (15 min), stimulus concentration (1 nM), network choice.
    stat : str, optional
        The STAT read out (default: the cytokine's first main STAT).

    Returns
    -------
    pandas.DataFrame
        One row per draw time x cell type x cytokine: ``assay``, ``readout`` (e.g. ``pSTAT3``),
        ``time_h``, ``value`` (% inhibition), ``unit`` (``%``), ``drug``, ``dose``, ``cytokine``,
        ``cell_type``, ``plasma_total_nM``.
    """
    times = np.asarray(draw_times_h, dtype=float)
    if times.ndim != 1 or times.size == 0 or not np.all(np.isfinite(times)) or np.any(times < 0):
        raise InvalidValueError(f"draw_times_h: give one or more times >= 0 h after the first dose; got {list(times)}")
    names = [cytokine] if isinstance(cytokine, str) else list(cytokine)
    cells = [get_cell_name(c) for c in cell_types]
    order = np.argsort(times)
    conc = np.empty_like(times)
    conc[order] = plasma_concentration(drug, dose, regimen, weight, times[order])
    conc = np.where(np.abs(conc) < 1e-12, 0.0, conc)
    name = get_drug(drug).name
    rows = []
    for cell in cells:
        values = stimulate(name, cell, names, conc, protocol, stat=stat)
        for c, cyt in enumerate(_check_cytokines(cell, names)):
            readout = f"p{stat or get_cytokine(cyt).main_stats[0]}"
            for i, t in enumerate(times):
                rows.append({"assay": ASSAY, "readout": readout, "time_h": float(t), "value": float(values[c, i]),
                             "unit": "%", "drug": name, "dose": str(dose), "cytokine": cyt, "cell_type": cell,
                             "plasma_total_nM": float(conc[i])})
    frame = pd.DataFrame(rows)
    frame.attrs.update({"protocol": {"stimulation_min": protocol.stimulation_min, "stimulus_nM": protocol.stimulus_nm,
                                     "network": protocol.network},
                        "value": "% inhibition of pSTAT vs the same stimulation without drug", "regimen": regimen,
                        "weight": weight})
    return frame


def ex_vivo_ic50(drug: str, cytokine: str, cell: str = "cd4_t_cell",
                 protocol: WholeBloodProtocol = WholeBloodProtocol(), *, stat: str | None = None) -> float:
    """Blood (total) concentration, nM, giving 50% pSTAT inhibition in the assay (two batched scans, log-linear)."""
    lo, hi = -4.0, 6.0
    for points in (41, 41):
        grid = np.logspace(lo, hi, points)
        inh = stimulate(drug, cell, [cytokine], grid, protocol, stat=stat)[0]
        above = np.nonzero(inh >= 50.0)[0]
        if above.size == 0 or above[0] == 0:
            raise InvalidValueError(f"{drug} does not cross 50% inhibition of {cytokine} between "
                                    f"{10 ** lo:g} and {10 ** hi:g} nM")
        k = above[0]
        lo, hi = np.log10(grid[k - 1]), np.log10(grid[k])
        x0, x1, y0, y1 = lo, hi, inh[k - 1], inh[k]
    return float(10 ** (x0 + (50.0 - y0) * (x1 - x0) / (y1 - y0)))


def capacity_at_half_signal(cytokine: str, cell: str = "cd4_t_cell",
                            protocol: WholeBloodProtocol = WholeBloodProtocol(), *, stat: str | None = None) -> float:
    """The product of free JAK fractions (signalling capacity) at which the readout is halved (no drug)."""
    lo, hi = 0.0, 1.0
    for points in (41, 41):
        grid = np.linspace(lo, hi, points)
        inh = stimulate(None, cell, [cytokine], [], protocol, stat=stat, free_override=list(grid))[0]
        below = np.nonzero(inh <= 50.0)[0]
        k = below[0]
        lo, hi = grid[k - 1], grid[k]
        x0, x1, y0, y1 = lo, hi, inh[k - 1], inh[k]
    return float(x0 + (50.0 - y0) * (x1 - x0) / (y1 - y0))
