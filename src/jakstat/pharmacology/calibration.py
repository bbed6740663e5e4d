"""The enzyme-to-cell shift factor: fitted on named rows of ``drug_cellular_potency.csv``.

One factor for all drugs in the whole-blood matrix (no per-drug code path): the cellular apparent
Ki of drug d on kinase j is ``s x Ki(d, j)``, which lumps intracellular ATP, receptor/JAK
stoichiometry and assay differences. Predicted IC50 of a cellular row (total concentration, nM):

$$ IC_{50}^{pred} = C_{u,50}(s) / f_u, $$

with $C_{u,50}$ the unbound concentration that halves signalling of a receptor with the row's JAKs
(:func:`jakstat.pharmacology.inhibition.unbound_ic50`) and $f_u$ the plasma unbound fraction for
whole blood (1, Assumed, for primary culture). $C_{u,50}(s) = s\\,C_{u,50}(1)$, so the log
least-squares fit has the closed form $\\log s = \\overline{\\log(obs/pred_1)}$; scipy's
``least_squares`` is used so that other residuals can be added.

Rows (:func:`cellular_rows`): human, nM, cytokine-driven rows of small molecules with enzyme
potencies. **Fit subset** (:data:`FIT_SUBSET`): the first exact (``=``) whole-blood row of each drug
in table order (ruxolitinib IL-6 281 nM, tofacitinib JAK1/JAK3 56 nM). **Validation**: every other
row, predicted with the fitted factor (unspecified matrices treated as whole blood, primary culture
with fu = 1); censored rows (``<``, ``>``) are checked as bounds. The stored result
(``_cell_shift_record.py``: name, rows used, result, date, written by :func:`write_calibration`; a
Python literal so that it ships with the package) is what the model uses.
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
CALIBRATION_NAME = "whole_blood_cell_shift_v1"
FIT_SUBSET = "first exact (=) whole-blood row of each drug in drug_cellular_potency.csv (table order)"


@dataclass(frozen=True)
class CellularRow:
    """A usable row of ``drug_cellular_potency.csv``.

    Attributes
    ----------
    key : str
        The row key (drug/cytokine/readout/cell_type/source).
    drug : str
        Lower-case INN.
    receptors : tuple of tuple of str
        JAK sets of the receptor(s) the row's stimulus signals through (from ``jak_pair``).
    observed_nm : float
        The printed IC50 (total concentration, nM; a bound when censored).
    qualifier : str
        ``=``, ``<``, ``>`` or ``~``.
    matrix : str
        ``whole blood``, ``unspecified`` or ``primary culture``.
    role : str
        ``fit`` or ``validation``.
    """

    key: str
    drug: str
    receptors: tuple[tuple[str, ...], ...]
    observed_nm: float
    qualifier: str
    matrix: str
    role: str


def _matrix(text: str) -> str | None:
    text = text.lower()
    if "whole blood" in text:
        return "whole blood"
    if "not specified" in text:
        return "unspecified"
    if "primary culture" in text:
        return "primary culture"
    return None


def cellular_rows() -> tuple[CellularRow, ...]:
    """Rows usable for calibration and validation, each marked ``fit`` or ``validation``."""
    from jakstat.data import load_table
    from jakstat.pharmacology.inhibition import enzyme_potencies

    out: list[CellularRow] = []
    fitted: set[str] = set()
    for row in load_table(CELLULAR_TABLE).to_dict(orient="records"):
        matrix = _matrix(row["matrix"])
        if row["unit"] != "nM" or row["species"] != "human" or matrix is None or "V617F" in row["jak_pair"]:
            continue
        try:
            if not enzyme_potencies(row["drug"]):
                continue
        except ValueError:
            continue
        receptors = tuple(tuple(j for j in jak_tokens(part) if j in JAK_NAMES) for part in row["jak_pair"].split(";"))
        value, _ = _rows.parse_value(row["ic50_value"])
        role = "validation"
        if matrix == "whole blood" and row["qualifier"] == "=" and row["drug"] not in fitted:
            role = "fit"
            fitted.add(row["drug"])
        out.append(CellularRow(_rows.row_key(CELLULAR_TABLE, row), row["drug"], receptors, value,
                               row["qualifier"], matrix, role))
    return tuple(out)


def predicted_ic50(row: CellularRow, shift: float) -> tuple[float, ...]:
    """Predicted total IC50 (nM) of each receptor of ``row`` at shift factor ``shift``."""
    from jakstat.pharmacology.inhibition import unbound_ic50
    from jakstat.pharmacology.pk_parameters import fraction_unbound

    fu = 1.0 if row.matrix == "primary culture" else fraction_unbound(row.drug).value
    return tuple(unbound_ic50(row.drug, jaks, shift) / fu for jaks in row.receptors)


def fit_shift(rows: tuple[CellularRow, ...] | None = None) -> float:
    """Least-squares (log scale) shift factor on the ``fit`` rows."""
    rows = cellular_rows() if rows is None else rows
    fit = [r for r in rows if r.role == "fit"]
    if not fit:
        raise ValueError("no fit rows in drug_cellular_potency.csv")

    def residuals(log_s: np.ndarray) -> np.ndarray:
        s = float(np.exp(log_s[0]))
        return np.array([math.log(p / r.observed_nm) for r in fit for p in predicted_ic50(r, s)])

    result = least_squares(residuals, x0=np.array([0.0]), method="lm", xtol=1e-14, ftol=1e-14)
    return float(np.exp(result.x[0]))


def assess(row: CellularRow, shift: float) -> dict[str, object]:
    """Prediction vs observation for one row: fold error (exact rows) or bound check (censored)."""
    predicted = predicted_ic50(row, shift)
    result: dict[str, object] = {"key": row.key, "drug": row.drug, "matrix": row.matrix, "role": row.role,
                                 "observed_nM": f"{row.qualifier if row.qualifier != '=' else ''}{row.observed_nm:g}",
                                 "predicted_nM": [round(p, 4) for p in predicted]}
    if row.qualifier in ("=", "~"):
        fold = max(max(p / row.observed_nm, row.observed_nm / p) for p in predicted)
        result.update(fold_error=round(fold, 4), within_3_fold=bool(fold <= 3.0))
    elif row.qualifier == "<":
        result.update(fold_error=None, within_3_fold=bool(all(p <= 3.0 * row.observed_nm for p in predicted)))
    else:
        result.update(fold_error=None, within_3_fold=bool(all(p >= row.observed_nm / 3.0 for p in predicted)))
    return result


def calibrate(date: str) -> dict[str, object]:
    """Fit the shift factor and assess every row; the record stored in ``_cell_shift_record.py``."""
    rows = cellular_rows()
    shift = fit_shift(rows)
    return {
        "name": CALIBRATION_NAME, "date": date, "matrix": "whole blood",
        "method": "scipy.optimize.least_squares on log(predicted/observed) total IC50, one factor for all drugs",
        "fit_subset": FIT_SUBSET,
        "fit_rows": [r.key for r in rows if r.role == "fit"],
        "validation_rows": [r.key for r in rows if r.role == "validation"],
        "shift": shift,
        "assessment": [assess(r, shift) for r in rows],
        "rows": [asdict(r) for r in rows],
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


def stored_shift() -> tuple[float, Calibration] | None:
    """``(shift, Calibration provenance)`` from the stored record, or None."""
    record = stored_record()
    if record is None:
        return None
    return float(record["shift"]), Calibration(  # type: ignore[arg-type]
        str(record["name"]), targets=f"{CELLULAR_TABLE}.csv rows {'; '.join(record['fit_rows'])} "  # type: ignore[arg-type]
                                     f"(fitted {record['date']})")
