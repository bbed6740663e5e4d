"""The enzyme-to-cell shift factor: fitted per drug on named rows of ``drug_cellular_potency.csv``.

The cellular apparent Ki of drug d on kinase j is ``s_d x Ki(d, j)``: one factor per drug (the issue
allows "one calibrated factor per drug (or per matrix), fitted on a named subset"). It lumps
intracellular ATP against the ATP of the drug's enzyme panel, receptor/JAK stoichiometry and assay
differences; each drug's enzyme IC50s come from a different panel (different ATP, stated or not), so
one factor for all drugs cannot be right (the pooled leave-one-drug-out check in the record measures
how wrong). No per-drug code path: the factor is data in the stored record. Predicted IC50 of a
cellular row (total concentration, nM):

$$ IC_{50}^{pred} = C_{u,50}(s_d) / f_u, $$

with $C_{u,50}$ the unbound concentration that halves signalling of a receptor with the row's JAKs
(:func:`jakstat.pharmacology.inhibition.unbound_ic50`) and $f_u$ the plasma unbound fraction for
whole blood (1, Assumed, for PBMC and primary culture). $C_{u,50}(s) = s\\,C_{u,50}(1)$, so the log
least-squares fit has the closed form $\\log s_d = \\overline{\\log(obs/pred_1)}$ over the drug's fit rows;
scipy's ``least_squares`` is used so that other residuals can be added.

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

The stored result (``_cell_shift_record.py``: name, rows used, result, date, written by
:func:`write_calibration`; a Python literal so that it ships with the package) is what the model uses.
"""

from __future__ import annotations

import functools
import math
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
CALIBRATION_NAME = "whole_blood_cell_shift_v2"
FIT_SUBSET = ("the first IL-6-stimulated whole-blood pSTAT3 row with an exact (=) value of each drug in "
              "drug_cellular_potency.csv (table order); one factor per drug, drugs without such a row take the "
              "pooled factor fitted on all of these rows")
FIT_CYTOKINE = "IL-6"
FIT_READOUT = "pSTAT3"
FOLD_LIMIT = 3.0
ROLES = ("fit", "validation", "out of scope")


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
        out.append(CellularRow(_rows.row_key(CELLULAR_TABLE, row), row["drug"], row["cytokine"], row["readout"],
                               receptors, value, row["qualifier"], matrix, role, reason))
    return tuple(out)


def predicted_ic50(row: CellularRow, shift: float) -> tuple[float, ...]:
    """Predicted total IC50 (nM) of each receptor of ``row`` at shift factor ``shift``."""
    from jakstat.pharmacology.inhibition import unbound_ic50
    from jakstat.pharmacology.pk_parameters import fraction_unbound

    fu = 1.0 if row.matrix in ("primary culture", "PBMC") else fraction_unbound(row.drug).value
    return tuple(unbound_ic50(row.drug, jaks, shift) / fu for jaks in row.receptors)


def fit_shift(rows: tuple[CellularRow, ...] | None = None, drug: str | None = None,
              exclude: str | None = None) -> float:
    """Least-squares (log scale) shift factor on the ``fit`` rows.

    ``drug``: only that drug's fit rows (its own factor); None: all fit rows (the pooled factor).
    ``exclude``: leave that drug's fit rows out (leave-one-drug-out check of the pooled factor).
    """
    rows = cellular_rows() if rows is None else rows
    fit = [r for r in rows if r.role == "fit" and (drug is None or r.drug == drug) and r.drug != exclude]
    if not fit:
        raise ValueError(f"no fit rows in {CELLULAR_TABLE}.csv" + (f" for {drug}" if drug else ""))

    def residuals(log_s: np.ndarray) -> np.ndarray:
        s = float(np.exp(log_s[0]))
        return np.array([math.log(p / r.observed_nm) for r in fit for p in predicted_ic50(r, s)])

    result = least_squares(residuals, x0=np.array([0.0]), method="lm", xtol=1e-14, ftol=1e-14)
    return float(np.exp(result.x[0]))


def fold_error(predicted: float, observed: float) -> float:
    """max(pred/obs, obs/pred)."""
    return max(predicted / observed, observed / predicted)


def assess(row: CellularRow, shift: float) -> dict[str, object]:
    """Prediction vs observation for one in-scope row: fold error (exact rows) or bound check (censored)."""
    predicted = predicted_ic50(row, shift)
    result: dict[str, object] = {"key": row.key, "drug": row.drug, "cytokine": row.cytokine, "readout": row.readout,
                                 "matrix": row.matrix, "role": row.role, "shift": round(shift, 6),
                                 "observed_nM": f"{row.qualifier if row.qualifier != '=' else ''}{row.observed_nm:g}",
                                 "predicted_nM": [round(p, 4) for p in predicted]}
    if row.qualifier in ("=", "~"):
        fold = max(fold_error(p, row.observed_nm) for p in predicted)
        direction = ("" if fold < 1.001 else "model too potent" if max(predicted) < row.observed_nm
                     else "model too weak")
        result.update(fold_error=round(fold, 4), within_3_fold=bool(fold <= FOLD_LIMIT), direction=direction)
    elif row.qualifier == "<":
        result.update(fold_error=None, within_3_fold=bool(all(p <= FOLD_LIMIT * row.observed_nm for p in predicted)),
                      direction="bound")
    else:
        result.update(fold_error=None, within_3_fold=bool(all(p >= row.observed_nm / FOLD_LIMIT for p in predicted)),
                      direction="bound")
    return result


def calibrate(date: str) -> dict[str, object]:
    """Fit the per-drug and pooled factors and assess every row; the record stored in ``_cell_shift_record.py``."""
    rows = cellular_rows()
    fit_drugs = list(dict.fromkeys(r.drug for r in rows if r.role == "fit"))
    shifts = {d: fit_shift(rows, drug=d) for d in fit_drugs}
    pooled = fit_shift(rows)
    in_scope = [r for r in rows if r.role != "out of scope"]
    assessment = [assess(r, shifts.get(r.drug, pooled)) for r in in_scope]
    cross = []
    for drug in fit_drugs:
        others = fit_shift(rows, exclude=drug)
        for r in rows:
            if r.role == "fit" and r.drug == drug:
                a = assess(r, others)
                cross.append({"drug": drug, "key": r.key, "pooled_shift_without_drug": round(others, 6),
                              "own_shift": round(shifts[drug], 6), "observed_nM": a["observed_nM"],
                              "predicted_nM": a["predicted_nM"], "fold_error": a["fold_error"],
                              "within_3_fold": a["within_3_fold"]})
    validation = [a for a in assessment if a["role"] == "validation"]
    return {
        "name": CALIBRATION_NAME, "date": date, "matrix": "whole blood",
        "method": ("scipy.optimize.least_squares on log(predicted/observed) total IC50: one factor per drug on its "
                   "fit rows, and one pooled factor on all fit rows for drugs without a fit row"),
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


def write_calibration(date: str, path: Path = CALIBRATION_FILE) -> dict[str, object]:
    """Run :func:`calibrate` and store the record as a Python literal at ``path``."""
    import pprint

    record = calibrate(date)
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
    if drug is not None and drug in shifts:
        rows = [k for k in fit_rows if k.startswith(f"{drug}/")]
        return float(shifts[drug]), Calibration(
            str(record["name"]), targets=f"{CELLULAR_TABLE}.csv rows {'; '.join(rows)} (factor of {drug}, "
                                         f"fitted {record['date']})")
    return float(record["pooled_shift"]), Calibration(  # type: ignore[arg-type]
        str(record["name"]), targets=f"{CELLULAR_TABLE}.csv rows {'; '.join(fit_rows)} (pooled factor: "
                                     f"{drug or 'this drug'} has no fit row; fitted {record['date']})")
