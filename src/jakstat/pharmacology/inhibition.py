"""From unbound drug concentration to JAK occupancy and cytokine-pathway inhibition.

One motif for every drug and cytokine (no per-drug code path):

1. Potency of drug d on kinase j: one row of ``drug_enzyme_potency.csv`` chosen by
   :func:`enzyme_potencies` (verified rows first, then the source panel covering most JAKs, then
   table order). Censored values (``>400``) use the bound.
2. Ki: Cheng-Prusoff $K_i = IC_{50} / (1 + [ATP]/K_{m,ATP})$ where the row states the assay ATP
   and a $K_{m,ATP}$ for that kinase is known (:data:`KM_ATP_NM`); otherwise the IC50 is used as
   the apparent Ki and the provenance says why. The packaged tables hold no $K_{m,ATP}$, so today
   every Ki is an apparent Ki.
3. Cellular potency: $K_{app} = K_i \\times s_d$ with the drug's enzyme-to-cell shift factor $s_d$
   (:func:`cell_shift`: the stored whole-blood calibration, per drug or pooled, else 1, Assumed).
4. Reversible, competitive occupancy of each JAK: $\\theta_j = C_u / (C_u + K_{app,j})$.
5. A receptor signals only when each of its JAKs is free:
   $I = 1 - \\prod_{j \\in \\text{receptor JAKs}} (1 - \\theta_j)$, with the JAKs of
   ``get_cytokine(c).receptor.jaks`` (each distinct JAK once; a JAK without a potency row is not
   inhibited).

Concentrations in nM (unbound plasma concentration, i.e. fu x total).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import numpy as np

from jakstat.knowledge import JAK_NAMES, cytokines, get_cytokine, get_drug
from jakstat.knowledge.molecules import jak_tokens
from jakstat.network.provenance import Assumed, Provenance
from jakstat.pharmacology import _rows

ENZYME_TABLE = "drug_enzyme_potency"

KM_ATP_NM: dict[str, tuple[float, Provenance]] = {}
"""Km for ATP of each JAK (nM) with provenance; empty: no packaged table gives one yet."""

_ATP = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(mM|uM|µM|nM)\b")
_ATP_FACTOR = {"mM": 1e6, "uM": 1e3, "µM": 1e3, "nM": 1.0}


@dataclass(frozen=True)
class JakPotency:
    """Potency of one drug on one JAK.

    Attributes
    ----------
    drug, jak : str
        Lower-case INN; ``JAK1``, ``JAK2``, ``JAK3`` or ``TYK2``.
    ic50_nm : float
        The table value, nM (a bound for censored values).
    ki_nm : float
        Ki (or apparent Ki), nM.
    provenance : Provenance
        The table row, with a note on censoring and on how Ki was obtained.
    """

    drug: str
    jak: str
    ic50_nm: float
    ki_nm: float
    provenance: Provenance


def cheng_prusoff(ic50_nm: float, atp_nm: float, km_atp_nm: float) -> float:
    """Ki of an ATP-competitive inhibitor: $IC_{50} / (1 + [ATP]/K_{m,ATP})$ (all nM)."""
    return ic50_nm / (1.0 + atp_nm / km_atp_nm)


def _atp_nm(text: str) -> float | None:
    match = _ATP.match(text or "")
    return float(match.group(1)) * _ATP_FACTOR[match.group(2)] if match else None


@functools.lru_cache(maxsize=None)
def enzyme_potencies(drug: str) -> dict[str, JakPotency]:
    """Potency of ``drug`` on each JAK that ``drug_enzyme_potency.csv`` has a nM row for.

    Parameters
    ----------
    drug : str
        INN or brand name.

    Returns
    -------
    dict
        JAK name -> :class:`JakPotency` (JAKs without a row are absent: not inhibited).
    """
    name = get_drug(drug).name
    rows = [r for r in _rows.drug_rows(ENZYME_TABLE, name).to_dict(orient="records")
            if r["unit"] in ("nM", "nM (Ki)") and "fold" not in r["kinase"]]
    jaks_of = {id(r): [j for j in jak_tokens(r["kinase"]) if j in JAK_NAMES] for r in rows}
    rows = [r for r in rows if len(jaks_of[id(r)]) == 1]
    panel = {s: len({jaks_of[id(r)][0] for r in rows if r["source"] == s}) for s in {r["source"] for r in rows}}
    out: dict[str, JakPotency] = {}
    for jak in JAK_NAMES:
        candidates = [(i, r) for i, r in enumerate(rows) if jaks_of[id(r)][0] == jak]
        if not candidates:
            continue
        _, row = min(candidates, key=lambda item: (item[1]["verified"] != "yes", -panel[item[1]["source"]], item[0]))
        ic50, note = _rows.parse_value(row["ic50_value"])
        notes = [note] if note else []
        if row["unit"] == "nM (Ki)":
            ki = ic50
            notes.append("the row is a Ki")
        else:
            atp = _atp_nm(row["atp_concentration"])
            if atp is not None and jak in KM_ATP_NM:
                ki = cheng_prusoff(ic50, atp, KM_ATP_NM[jak][0])
                notes.append(f"Ki by Cheng-Prusoff with ATP {row['atp_concentration']} and "
                             f"Km,ATP {KM_ATP_NM[jak][0]:g} nM ({KM_ATP_NM[jak][1].describe()})")
            elif atp is not None:
                ki = ic50
                notes.append(f"assay ATP {row['atp_concentration']} is stated but no Km,ATP for {jak} is in the "
                             "tables: IC50 used as the apparent Ki")
            else:
                ki = ic50
                notes.append("assay ATP not stated: IC50 used as the apparent Ki")
        out[jak] = JakPotency(name, jak, ic50, ki, _rows.source_of(ENZYME_TABLE, row, "; ".join(notes)))
    return out


def cell_shift(drug: str) -> tuple[float, Provenance]:
    """Enzyme-to-cell shift factor of ``drug`` (dimensionless) and its provenance.

    The stored whole-blood calibration (:mod:`jakstat.pharmacology.calibration`) when present: the
    drug's own factor when the calibration has a fit row for it, else the pooled factor; with no
    stored calibration 1 (Assumed).
    """
    from jakstat.pharmacology.calibration import stored_shift

    stored = stored_shift(get_drug(drug).name)
    if stored is not None:
        return stored
    return 1.0, Assumed("no enzyme-to-cell calibration stored: cellular Ki = enzyme Ki (shift factor 1)")


def occupancy(c_unbound_nm: np.ndarray | float, k_app_nm: float) -> np.ndarray:
    """Fractional occupancy $C_u / (C_u + K_{app})$ of a reversible competitive inhibitor."""
    c = np.asarray(c_unbound_nm, dtype=float)
    return c / (c + k_app_nm)


def jak_occupancy(drug: str, c_unbound_nm: np.ndarray | float, shift: float | None = None) -> dict[str, np.ndarray]:
    """Occupancy of each JAK (JAK1, JAK2, JAK3, TYK2) at unbound concentrations (nM)."""
    s = cell_shift(drug)[0] if shift is None else shift
    potencies = enzyme_potencies(drug)
    c = np.asarray(c_unbound_nm, dtype=float)
    return {jak: occupancy(c, potencies[jak].ki_nm * s) if jak in potencies else np.zeros_like(c)
            for jak in JAK_NAMES}


def pathway_inhibition(drug: str, cytokine: str, c_unbound_nm: np.ndarray | float,
                       shift: float | None = None) -> np.ndarray:
    """Fraction of ``cytokine`` signalling blocked: $1 - \\prod_j (1 - \\theta_j)$ over its receptor's JAKs.

    Parameters
    ----------
    drug : str
        INN or brand name.
    cytokine : str
        Any name :func:`jakstat.knowledge.get_cytokine` accepts.
    c_unbound_nm : array or float
        Unbound concentration, nM.
    shift : float, optional
        Enzyme-to-cell shift factor (default :func:`cell_shift`).

    Returns
    -------
    ndarray
        Inhibition, 0-1, same shape as ``c_unbound_nm``.
    """
    occ = jak_occupancy(drug, c_unbound_nm, shift)
    free = np.ones_like(np.asarray(c_unbound_nm, dtype=float))
    for jak in get_cytokine(cytokine).receptor.jaks:
        free = free * (1.0 - occ[jak])
    return 1.0 - free


def inhibition_columns(drug: str, c_unbound_nm: np.ndarray) -> dict[str, np.ndarray]:
    """``inhibition_<cytokine>`` -> inhibition for every cytokine of the receptor table (table order)."""
    occ = jak_occupancy(drug, c_unbound_nm)
    out = {}
    for cytokine in cytokines():
        free = np.ones_like(np.asarray(c_unbound_nm, dtype=float))
        for jak in cytokine.receptor.jaks:
            free = free * (1.0 - occ[jak])
        out[f"inhibition_{cytokine.name}"] = 1.0 - free
    return out


def unbound_ic50(drug: str, cytokine_jaks: tuple[str, ...], shift: float = 1.0, capacity: float = 0.5) -> float:
    """Unbound concentration (nM) at which a receptor with JAKs ``cytokine_jaks`` keeps ``capacity`` of its signalling.

    ``capacity`` is the product of the free fractions of the receptor's JAKs: 0.5 (default) is the
    closed-form 50% pathway inhibition; the whole-blood calibration passes the capacity that halves
    the assay's pSTAT readout (:func:`jakstat.pharmacology.whole_blood.capacity_at_half_signal`).
    Solved by bisection on the log scale; ``inf`` when the drug inhibits none of the JAKs.
    """
    if not 0.0 < capacity < 1.0:
        from jakstat.errors import InvalidValueError

        raise InvalidValueError(f"capacity: must be between 0 and 1 (exclusive), got {capacity!r}")
    potencies = enzyme_potencies(drug)
    ks = [potencies[j].ki_nm * shift for j in cytokine_jaks if j in potencies]
    if not ks:
        return float("inf")

    def free(c: float) -> float:
        return float(np.prod([k / (k + c) for k in ks]))

    lo, hi = -12.0, 12.0
    for _ in range(200):
        mid = (lo + hi) / 2.0
        if free(10.0 ** mid) > capacity:
            lo = mid
        else:
            hi = mid
    return float(10.0 ** ((lo + hi) / 2.0))
