r"""The enzyme-to-cell shift factor: fitted per drug on named rows of ``drug_cellular_potency.csv``.

The cellular apparent Ki of drug d on kinase j is ``s_d x Ki(d, j)``: one factor per drug (the issue
allows "one calibrated factor per drug (or per matrix), fitted on a named subset"). It lumps
intracellular ATP against the ATP of the drug's enzyme panel, receptor/JAK stoichiometry and assay
differences; each drug's enzyme IC50s come from a different panel (different ATP, stated or not), so
one factor for all drugs cannot be right (the pooled leave-one-drug-out check in the record measures
how wrong). No per-drug code path: the factor is data in the stored record.

**What is predicted is the assay's readout.** A published whole-blood IC50 is the concentration that
halves a pSTAT signal, and the model's pSTAT is not linear in the signalling capacity $c$ (the
product of the free fractions of the receptor's JAKs): in the model's whole-blood assay
(:mod:`jakstat.pharmacology.whole_blood`, 1 nM cytokine for 15 min) IL-6-induced pSTAT3 in CD4 T cells
is halved only at $c \approx 0.29$. The network depends on the drug only through $c$, so that
capacity $c_{50}$ is a property of (cytokine, cell, STAT, protocol), computed once by simulation
(:func:`readout_capacities`) and stored in the record. Predicted IC50 of a cellular row (total
concentration, nM):

$$ IC_{50}^{pred} = C_u(c_{50}; s_d) / f_u, \qquad \prod_{j \in \text{receptor}} \frac{s_d K_{i,j}}{s_d K_{i,j} + C_u} = c_{50}, $$

with $f_u$ the plasma unbound fraction for whole blood (1, Assumed, for PBMC and primary culture).
A row whose stimulus is not a cytokine with a receptor on a modelled blood cell, or whose readout is
not a pSTAT (e.g. "cellular activity" of an unnamed JAK1/JAK2-dependent cytokine), has no modelled
readout: it is predicted at $c_{50} = 0.5$ (half of the receptor's signalling) and the assessment says
so. $C_u(c; s) = s\,C_u(c; 1)$, so the log least-squares fit has the closed form
$\log s_d = \overline{\log(obs/pred_1)}$ over the drug's fit rows; scipy's ``least_squares`` is used so
that other residuals can be added.

Rows (:func:`cellular_rows`), each with a role:

- **out of scope** (kept, with the reason): antibodies (no JAK enzyme potency), rows that are not an
  IC50 in nM (selectivity ratios), non-human cells, the constitutively active JAK2 V617F, and
  colony-formation or proliferation readouts (days of culture, not a pSTAT IC50 after minutes of
  stimulation, which is what the model predicts).
- **fit** (:data:`FIT_SUBSET`): the first IL-6-stimulated whole-blood pSTAT3 row with an exact value
  (``=``) of each drug in table order (ruxolitinib 281 nM, Quintas-Cardama 2010; tofacitinib 119 nM and
  upadacitinib 60.7 nM, Mohamed 2020 ex vivo). IL-6 is the one stimulus measured for all three.
- **validation**: every other in-scope row (whole blood, PBMC or an unstated matrix, treated as whole
  blood), predicted with the drug's factor; drugs without a fit row (baricitinib) use the pooled
  factor (one factor fitted on all fit rows). Censored rows (``<``, ``>``) are checked as bounds.

The stored result (``_cell_shift_record.py``: name, rows used, readout capacities, result, date,
written by :func:`write_calibration`; a Python literal so that it ships with the package) is what the
model uses.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import least_squares

from jakstat.knowledge import JAK_NAMES
from jakstat.knowledge.molecules import jak_tokens
from jakstat.network.provenance import Calibration
from jakstat.pharmacology import _rows

CELLULAR_TABLE = "drug_cellular_potency"
CALIBRATION_FILE = Path(__file__).with_name("_cell_shift_record.py")
CALIBRATION_NAME = "whole_blood_cell_shift_v3"
FIT_SUBSET = ("the first IL-6-stimulated whole-blood pSTAT3 row with an exact (=) value of each drug in "
              "drug_cellular_potency.csv (table order); one factor per drug, drugs without such a row take the "
              "pooled factor fitted on all of these rows")
FIT_CYTOKINE = "IL-6"
FIT_READOUT = "pSTAT3"
FOLD_LIMIT = 3.0
ROLES = ("fit", "validation", "out of scope")
READOUT_CELLS = ("cd4_t_cell", "monocyte")
"""Blood leukocytes with a generated network, in the order a row's stimulus is looked up (the tables do not
say which leukocytes the published assays gated on). A cytokine neither expresses (TPO) is stimulated on its
pathway network alone (:data:`jakstat.pharmacology.whole_blood.PATHWAY_ONLY`)."""
_PSTAT = re.compile(r"pSTAT(\d[AB]?)")
SENSITIVITY_PROTOCOLS = ((0.1, 15.0), (1.0, 15.0), (10.0, 15.0), (1.0, 30.0))
"""(cytokine nM, minutes) of the protocol sensitivity stored with the record: the rows do not give theirs."""
ASSUMPTIONS = (
    "Stimulation protocol: the whole-blood rows do not state the cytokine concentration or the stimulation time; "
    "the model's default assay (1 nM cytokine for 15 min) is assumed. The factors depend on it (the record's "
    "protocol_sensitivity lists them at 0.1 and 10 nM and at 30 min).",
    "Rows that name no cytokine or readout (the tofacitinib label's 'JAK combinations', 'cellular activity') are "
    "predicted at the capacity that halves the calibration readout (IL-6/pSTAT3 in CD4 T cells), the readout the "
    "factor was fitted on.",
    "Mohamed 2020 reports EC50s of an Emax exposure-response model; they are read as 50%-inhibition IC50s "
    "(Emax = 100% assumed).",
    "Readouts are simulated on the stimulated cytokine's pathway network with the generic pathway constants (the "
    "tables hold no per-cell receptor or STAT numbers); the cell named in a readout key (CD4 T cells, then "
    "monocytes, else 'pathway') only records which modelled blood cell carries the receptor. The rows do not say "
    "which leukocytes were gated.",
)
"""What the calibration assumes, each with the reason (stored in the record and printed in the docs)."""


@dataclass(frozen=True)
class Readout:
    """The model's version of a row's readout.

    Attributes
    ----------
    cytokine : str
        Canonical cytokine name (the ex-vivo stimulus).
    cell : str
        Generated cell network whose receptor set includes the cytokine, or ``"pathway"`` (the cytokine's
        pathway network alone, for a cytokine no modelled blood cell expresses).
    stat : str
        The STAT read out in phosphorylated form (e.g. ``STAT3``, ``STAT5A``).
    """

    cytokine: str
    cell: str
    stat: str

    @property
    def key(self) -> str:
        """``cytokine/cell/pSTAT``: the key of its capacity in the stored record."""
        return f"{self.cytokine}/{self.cell}/p{self.stat}"


FALLBACK_READOUT = Readout("IL-6", "cd4_t_cell", "STAT3")
"""Readout assumed for rows that name none: the calibration readout (see :data:`ASSUMPTIONS`)."""


@dataclass(frozen=True)
class CellularRow:
    """A row of ``drug_cellular_potency.csv`` with its role in the calibration.

    Attributes
    ----------
    key : str
        The row key (drug/cytokine/readout/cell_type/source).
    drug : str
        Lower-case INN.
    cytokine, readout : str
        The stimulus and the readout as printed.
    receptors : tuple of tuple of str
        JAK sets of the receptor(s) the row's stimulus signals through (from ``jak_pair``).
    observed_nm : float
        The printed IC50 (total concentration, nM; a bound when censored; NaN when not in nM).
    qualifier : str
        ``=``, ``<``, ``>`` or ``~``.
    matrix : str
        ``whole blood``, ``PBMC``, ``unspecified``, ``primary culture`` or ``other``.
    role : str
        ``fit``, ``validation`` or ``out of scope``.
    reason : str
        Why the row is out of scope (empty otherwise).
    readouts : tuple of Readout or None
        The modelled readout of each receptor (None: not a pSTAT of a cytokine with a receptor on a
        modelled blood cell; predicted with :data:`FALLBACK_READOUT`).
    """

    key: str
    drug: str
    cytokine: str
    readout: str
    receptors: tuple[tuple[str, ...], ...]
    observed_nm: float
    qualifier: str
    matrix: str
    role: str
    reason: str = ""
    readouts: tuple[Readout | None, ...] = ()


def _matrix(text: str) -> str:
    text = text.lower()
    if "whole blood" in text:
        return "whole blood"
    if "pbmc" in text or "peripheral blood mononuclear" in text:
        return "PBMC"
    if "not specified" in text or "not stated" in text:
        return "unspecified"
    if "primary culture" in text:
        return "primary culture"
    return "other"


def _out_of_scope(row: dict, matrix: str) -> str:
    """Why a row is not something the model predicts (empty: in scope)."""
    from jakstat.knowledge import get_drug
    from jakstat.pharmacology.inhibition import enzyme_potencies

    readout = str(row["readout"]).lower()
    if get_drug(row["drug"]).kind == "biologic" or not enzyme_potencies(row["drug"]):
        return "an antibody: no JAK enzyme potency (the row is an in-vivo PD IC50, not a pSTAT assay)"
    if row["unit"] != "nM":
        return f"not an IC50 in nM (unit {row['unit']}: a selectivity ratio)"
    if row["species"] != "human":
        return f"non-human cells ({row['species'] or 'species not stated'})"
    if "V617F" in row["jak_pair"]:
        return "constitutively active JAK2 V617F without a cytokine stimulus"
    if "colony" in readout or "proliferation" in readout:
        return (f"readout is {row['readout']} over days of culture, not a pSTAT IC50 (the model predicts pSTAT "
                "after minutes of cytokine stimulation)")
    if matrix in ("primary culture", "other"):
        return f"matrix {row['matrix']!r} is not whole blood, PBMC or unstated"
    return ""


def _is_fit_candidate(row: dict, matrix: str) -> bool:
    return (row["cytokine"] == FIT_CYTOKINE and FIT_READOUT in row["readout"] and matrix == "whole blood"
            and row["qualifier"] == "=")


def row_readouts(cytokine_text: str, readout_text: str, n_receptors: int) -> tuple[Readout | None, ...]:
    """The modelled readout of each receptor of a row (None where the row names none).

    Parameters
    ----------
    cytokine_text : str
        The row's stimulus: one cytokine, or one per receptor (``IL-6 and IL-23``, ``;``-separated).
    readout_text : str
        The row's readout; it must name a pSTAT. ``pSTAT5`` picks the cytokine's first main or secondary
        STAT of that number, a bare ``pSTAT`` its first main STAT.
    n_receptors : int
        Receptors of the row (from its ``jak_pair``).

    Returns
    -------
    tuple
        One :class:`Readout` (cell: the first of :data:`READOUT_CELLS` that expresses the cytokine, else
        ``"pathway"``) or None per receptor.
    """
    from jakstat.errors import UnknownNameError
    from jakstat.knowledge import get_cytokine
    from jakstat.network.cells import expressed_cytokines
    from jakstat.pharmacology.whole_blood import PATHWAY_ONLY

    none: tuple[Readout | None, ...] = (None,) * n_receptors
    if "pstat" not in readout_text.lower():
        return none
    names = [n.strip() for n in re.split(r"\band\b|;", cytokine_text) if n.strip()]
    if len(names) != n_receptors:
        return none
    number = _PSTAT.search(readout_text)
    out: list[Readout | None] = []
    for name in names:
        try:
            cytokine = get_cytokine(name)
        except UnknownNameError:
            out.append(None)
            continue
        cell = next((c for c in READOUT_CELLS if cytokine.name in expressed_cytokines(c)), PATHWAY_ONLY)
        candidates = (*cytokine.main_stats, *cytokine.secondary_stats) if number else cytokine.main_stats
        stats = [st for st in candidates if number is None or st.startswith(f"STAT{number.group(1)}")]
        out.append(Readout(cytokine.name, cell, stats[0]) if stats else None)
    return tuple(out)


def cellular_rows() -> tuple[CellularRow, ...]:
    """Every row of the table with its role (fit, validation or out of scope, with the reason)."""
    from jakstat.data import load_table

    out: list[CellularRow] = []
    fitted: set[str] = set()
    for row in load_table(CELLULAR_TABLE).to_dict(orient="records"):
        matrix = _matrix(row["matrix"])
        reason = _out_of_scope(row, matrix)
        receptors = tuple(tuple(j for j in jak_tokens(part) if j in JAK_NAMES) for part in row["jak_pair"].split(";"))
        value = _rows.parse_value(row["ic50_value"])[0] if row["unit"] == "nM" else float("nan")
        if reason:
            role = "out of scope"
        elif _is_fit_candidate(row, matrix) and row["drug"] not in fitted:
            role = "fit"
            fitted.add(row["drug"])
        else:
            role = "validation"
        readouts = row_readouts(row["cytokine"], row["readout"], len(receptors)) if not reason else ()
        out.append(CellularRow(_rows.row_key(CELLULAR_TABLE, row), row["drug"], row["cytokine"], row["readout"],
                               receptors, value, row["qualifier"], matrix, role, reason, readouts))
    return tuple(out)


def _protocol(stimulus_nm: float | None = None, stimulation_min: float | None = None):
    from jakstat.pharmacology.whole_blood import WholeBloodProtocol

    default = WholeBloodProtocol()
    return WholeBloodProtocol(stimulation_min=default.stimulation_min if stimulation_min is None else stimulation_min,
                              stimulus_nm=default.stimulus_nm if stimulus_nm is None else stimulus_nm)


def protocol_record(protocol=None) -> dict[str, object]:
    """The protocol the capacities are computed under, as stored in the record (cytokine nM, minutes, cells)."""
    protocol = _protocol() if protocol is None else protocol
    return {"stimulus_nM": protocol.stimulus_nm, "stimulation_min": protocol.stimulation_min,
            "network": protocol.network, "cells": list(READOUT_CELLS)}


def readout_capacities(rows: tuple[CellularRow, ...] | None = None, protocol=None) -> dict[str, float]:
    """Signalling capacity (dimensionless, 0-1) halving each modelled readout, by simulation.

    Every readout of the in-scope rows plus :data:`FALLBACK_READOUT`; keys are :attr:`Readout.key`,
    values from :func:`jakstat.pharmacology.whole_blood.capacity_at_half_signal` under ``protocol``
    (default :class:`~jakstat.pharmacology.whole_blood.WholeBloodProtocol`). Each new pathway network
    compiles once per process (about a minute); a capacity then takes about a second.
    """
    from jakstat.pharmacology.whole_blood import capacity_at_half_signal

    rows = cellular_rows() if rows is None else rows
    protocol = _protocol() if protocol is None else protocol
    wanted = {r.key: r for row in rows for r in row.readouts if r is not None}
    wanted[FALLBACK_READOUT.key] = FALLBACK_READOUT
    return {key: capacity_at_half_signal(r.cytokine, r.cell, protocol, stat=r.stat)
            for key, r in sorted(wanted.items())}


def stored_capacities() -> dict[str, float]:
    """Readout capacities of the stored record; empty when none is stored or it was computed under another protocol."""
    record = stored_record()
    if not record or record.get("protocol") != protocol_record():
        return {}
    return dict(record.get("readout_capacities", {}))


def row_capacities(row: CellularRow, capacities: dict[str, float] | None = None) -> tuple[float, ...]:
    """Capacity (dimensionless, 0-1) at which each receptor of ``row`` is predicted.

    Parameters
    ----------
    row : CellularRow
        An in-scope row.
    capacities : dict, optional
        :attr:`Readout.key` -> capacity (default :func:`stored_capacities`). A receptor without a modelled
        readout takes :data:`FALLBACK_READOUT`'s.

    Raises
    ------
    jakstat.errors.UnknownNameError
        A needed readout has no capacity (the message lists the known ones).
    """
    from jakstat.errors import UnknownNameError

    capacities = stored_capacities() if capacities is None else capacities
    readouts = row.readouts or (None,) * len(row.receptors)
    out = []
    for readout in readouts:
        key = (readout or FALLBACK_READOUT).key
        if key not in capacities:
            raise UnknownNameError("readout capacity (compute it with readout_capacities())", key, sorted(capacities))
        out.append(float(capacities[key]))
    return tuple(out)


def predicted_ic50(row: CellularRow, shift: float, capacities: dict[str, float] | None = None) -> tuple[float, ...]:
    """Predicted total IC50 (nM) of each receptor of ``row`` at shift factor ``shift``.

    The total concentration at which the receptor keeps the capacity that halves its modelled readout
    (:func:`row_capacities`; 0.5 where the row has none).
    """
    from jakstat.pharmacology.inhibition import unbound_ic50
    from jakstat.pharmacology.pk_parameters import fraction_unbound

    fu = 1.0 if row.matrix in ("primary culture", "PBMC") else fraction_unbound(row.drug).value
    return tuple(unbound_ic50(row.drug, jaks, shift, c) / fu
                 for jaks, c in zip(row.receptors, row_capacities(row, capacities)))


def fit_shift(rows: tuple[CellularRow, ...] | None = None, drug: str | None = None,
              exclude: str | None = None, capacities: dict[str, float] | None = None) -> float:
    """Least-squares (log scale) shift factor on the ``fit`` rows.

    ``drug``: only that drug's fit rows (its own factor); None: all fit rows (the pooled factor).
    ``exclude``: leave that drug's fit rows out (leave-one-drug-out check of the pooled factor).
    ``capacities``: readout capacities (default: the stored ones).
    """
    rows = cellular_rows() if rows is None else rows
    fit = [r for r in rows if r.role == "fit" and (drug is None or r.drug == drug) and r.drug != exclude]
    if not fit:
        raise ValueError(f"no fit rows in {CELLULAR_TABLE}.csv" + (f" for {drug}" if drug else ""))

    def residuals(log_s: np.ndarray) -> np.ndarray:
        s = float(np.exp(log_s[0]))
        return np.array([math.log(p / r.observed_nm) for r in fit for p in predicted_ic50(r, s, capacities)])

    result = least_squares(residuals, x0=np.array([0.0]), method="lm", xtol=1e-14, ftol=1e-14)
    return float(np.exp(result.x[0]))


def fold_error(predicted: float, observed: float) -> float:
    """max(pred/obs, obs/pred)."""
    return max(predicted / observed, observed / predicted)


def assess(row: CellularRow, shift: float, capacities: dict[str, float] | None = None) -> dict[str, object]:
    """Prediction vs observation for one in-scope row: fold error (exact rows) or bound check (censored)."""
    predicted = predicted_ic50(row, shift, capacities)
    readouts = row.readouts or (None,) * len(row.receptors)
    result: dict[str, object] = {"key": row.key, "drug": row.drug, "cytokine": row.cytokine, "readout": row.readout,
                                 "matrix": row.matrix, "role": row.role, "shift": round(shift, 6),
                                 "model_readout": [r.key if r else f"none named: {FALLBACK_READOUT.key} assumed"
                                                   for r in readouts],
                                 "capacity": [round(c, 6) for c in row_capacities(row, capacities)],
                                 "observed_nM": f"{row.qualifier if row.qualifier != '=' else ''}{row.observed_nm:g}",
                                 "predicted_nM": [round(p, 4) for p in predicted]}
    if row.qualifier in ("=", "~"):
        fold = max(fold_error(p, row.observed_nm) for p in predicted)
        direction = ("" if fold < 1.001 else "model too potent" if max(predicted) < row.observed_nm
                     else "model too weak")
        result.update(fold_error=round(fold, 4), within_3_fold=bool(fold <= FOLD_LIMIT), direction=direction)
    elif row.qualifier == "<":
        above = [p for p in predicted if p > row.observed_nm]
        result.update(fold_error=None, within_3_fold=bool(all(p <= FOLD_LIMIT * row.observed_nm for p in predicted)),
                      direction="bound" + (f" (above it by {max(above) / row.observed_nm:.2f}x, within the 3-fold "
                                           "allowance)" if above else ""))
    else:
        result.update(fold_error=None, within_3_fold=bool(all(p >= row.observed_nm / FOLD_LIMIT for p in predicted)),
                      direction="bound")
    return result


def calibrate(date: str, capacities: dict[str, float] | None = None, protocol=None) -> dict[str, object]:
    """Fit the per-drug and pooled factors and assess every row; the record stored in ``_cell_shift_record.py``.

    Parameters
    ----------
    date : str
        Stored as the calibration date.
    capacities : dict, optional
        Readout capacities (:func:`readout_capacities`) computed under ``protocol``; default: the stored
        ones when they were computed under this protocol and cover every readout, else simulated.
    protocol : WholeBloodProtocol, optional
        The assay protocol of the readouts (default: the assay's default, 1 nM for 15 min).
    """
    rows = cellular_rows()
    protocol = _protocol() if protocol is None else protocol
    if capacities is None:
        needed = {r.key for row in rows for r in row.readouts if r is not None} | {FALLBACK_READOUT.key}
        stored = stored_capacities() if protocol_record(protocol) == protocol_record() else {}
        capacities = stored if needed <= set(stored) else readout_capacities(rows, protocol)
    fit_drugs = list(dict.fromkeys(r.drug for r in rows if r.role == "fit"))
    shifts = {d: fit_shift(rows, drug=d, capacities=capacities) for d in fit_drugs}
    pooled = fit_shift(rows, capacities=capacities)
    in_scope = [r for r in rows if r.role != "out of scope"]
    assessment = [assess(r, shifts.get(r.drug, pooled), capacities) for r in in_scope]
    cross = []
    for drug in fit_drugs:
        others = fit_shift(rows, exclude=drug, capacities=capacities)
        for r in rows:
            if r.role == "fit" and r.drug == drug:
                a = assess(r, others, capacities)
                cross.append({"drug": drug, "key": r.key, "pooled_shift_without_drug": round(others, 6),
                              "own_shift": round(shifts[drug], 6), "observed_nM": a["observed_nM"],
                              "predicted_nM": a["predicted_nM"], "fold_error": a["fold_error"],
                              "within_3_fold": a["within_3_fold"]})
    validation = [a for a in assessment if a["role"] == "validation"]
    return {
        "name": CALIBRATION_NAME, "date": date, "matrix": "whole blood",
        "method": ("scipy.optimize.least_squares on log(predicted/observed) total IC50: one factor per drug on its "
                   "fit rows, and one pooled factor on all fit rows for drugs without a fit row; predicted = the "
                   "total blood concentration at which the receptor keeps the signalling capacity that halves the "
                   "model's pSTAT readout in its whole-blood assay"),
        "protocol": protocol_record(protocol),
        "assumptions": list(ASSUMPTIONS),
        "readout_capacities": {k: float(v) for k, v in sorted(capacities.items())},
        "fit_subset": FIT_SUBSET,
        "fit_rows": [r.key for r in rows if r.role == "fit"],
        "validation_rows": [r.key for r in rows if r.role == "validation"],
        "shifts": shifts,
        "pooled_shift": pooled,
        "summary": {"validation_rows": len(validation),
                    "validation_within_3_fold": sum(bool(a["within_3_fold"]) for a in validation),
                    "out_of_scope_rows": sum(r.role == "out of scope" for r in rows)},
        "assessment": assessment,
        "out_of_scope": [{"key": r.key, "drug": r.drug, "readout": r.readout, "matrix": r.matrix,
                          "observed": f"{r.qualifier if r.qualifier != '=' else ''}{r.observed_nm:g}"
                          if r.observed_nm == r.observed_nm else "", "reason": r.reason}
                         for r in rows if r.role == "out of scope"],
        "pooled_cross_check": cross,
        "rows": [{k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in asdict(r).items()}
                 for r in rows],
    }


def protocol_sensitivity(protocols: tuple[tuple[float, float], ...] = SENSITIVITY_PROTOCOLS,
                         default_capacities: dict[str, float] | None = None) -> list[dict[str, object]]:
    """The calibration redone under other stimulation protocols: IL-6 capacity, factors and held-out count.

    ``protocols``: (cytokine nM, minutes) pairs. Each needs the readout capacities under that protocol
    (simulated; about a second each once the pathway networks are compiled); ``default_capacities``,
    when given, are used for the default protocol instead of simulating them again.
    """
    out = []
    for stimulus, minutes in protocols:
        protocol = _protocol(stimulus, minutes)
        same = default_capacities is not None and protocol_record(protocol) == protocol_record()
        capacities = default_capacities if same else readout_capacities(protocol=protocol)
        record = calibrate("sensitivity", capacities, protocol)
        out.append({"stimulus_nM": stimulus, "stimulation_min": minutes,
                    "capacity_IL-6": round(record["readout_capacities"][FALLBACK_READOUT.key], 6),
                    "shifts": {d: round(v, 6) for d, v in record["shifts"].items()},
                    "pooled_shift": round(record["pooled_shift"], 6),
                    "validation_within_3_fold": record["summary"]["validation_within_3_fold"],
                    "validation_rows": record["summary"]["validation_rows"]})
    return out


def write_calibration(date: str, path: Path = CALIBRATION_FILE) -> dict[str, object]:
    """Simulate the readout capacities afresh, calibrate, add the protocol sensitivity, store the record at ``path``."""
    import pprint

    capacities = readout_capacities()
    record = calibrate(date, capacities)
    record["protocol_sensitivity"] = protocol_sensitivity(default_capacities=capacities)
    text = ('"""Stored enzyme-to-cell calibration record: generated by '
            "jakstat.pharmacology.calibration.write_calibration; do not edit by hand.\"\"\"\n\n"
            f"RECORD = {pprint.pformat(record, width=110, sort_dicts=False)}\n")
    path.write_text(text, encoding="utf-8")
    stored_record.cache_clear()
    return record


@functools.lru_cache(maxsize=1)
def stored_record() -> dict[str, object] | None:
    """The stored calibration record, or None when none has been written."""
    if not CALIBRATION_FILE.is_file():
        return None
    namespace: dict[str, object] = {}
    exec(compile(CALIBRATION_FILE.read_text(encoding="utf-8"), str(CALIBRATION_FILE), "exec"), namespace)
    return namespace["RECORD"]  # type: ignore[return-value]


def stored_shift(drug: str | None = None) -> tuple[float, Calibration] | None:
    """``(shift, Calibration provenance)`` of ``drug`` from the stored record, or None when none is stored.

    A drug with its own fit row gets its own factor; any other drug (or ``drug=None``) the pooled factor.
    """
    record = stored_record()
    if record is None:
        return None
    shifts: dict[str, float] = record["shifts"]  # type: ignore[assignment]
    fit_rows: list[str] = record["fit_rows"]  # type: ignore[assignment]
    protocol = record.get("protocol", {})
    assumed = (f"; readout protocol assumed: {protocol.get('stimulus_nM')} nM cytokine for "
               f"{protocol.get('stimulation_min')} min, not given by the rows (see the record's protocol_sensitivity)")
    if drug is not None and drug in shifts:
        rows = [k for k in fit_rows if k.startswith(f"{drug}/")]
        return float(shifts[drug]), Calibration(
            str(record["name"]), targets=f"{CELLULAR_TABLE}.csv rows {'; '.join(rows)} (factor of {drug}, "
                                         f"fitted {record['date']}{assumed})")
    return float(record["pooled_shift"]), Calibration(  # type: ignore[arg-type]
        str(record["name"]), targets=f"{CELLULAR_TABLE}.csv rows {'; '.join(fit_rows)} (pooled factor: "
                                     f"{drug or 'this drug'} has no fit row; fitted {record['date']}{assumed})")
