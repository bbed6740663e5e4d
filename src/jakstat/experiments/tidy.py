"""The tidy result of an assay: one row per readout and time, one column per condition.

Columns (in this order): ``assay, readout, time_h, value, unit`` and the condition columns
``genotype, drug, concentration, antibody, cytokine``. A condition that is absent is ``"none"``,
so that tables of several runs concatenate and group without missing values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from jakstat.errors import InvalidValueError

if TYPE_CHECKING:  # pragma: no cover
    from jakstat.experiments.protocol import Conditions

MEASURE_COLUMNS = ("assay", "readout", "time_h", "value", "unit")
"""The measurement columns of a tidy table."""
CONDITION_COLUMNS = ("genotype", "drug", "concentration", "antibody", "cytokine")
"""The condition columns of a tidy table (one per condition kind)."""
TIDY_COLUMNS = MEASURE_COLUMNS + CONDITION_COLUMNS
"""All columns of a tidy table, in order."""
NONE = "none"
"""Value of a condition column when the condition is absent."""


def condition_columns(conditions: Conditions) -> dict[str, str]:
    """The condition columns' values for one set of conditions.

    Several drugs (or antibodies, cytokines) are joined with ``" + "``; the drug column holds the
    names and the concentration column the drugs' concentrations in the same order; antibody and
    cytokine columns hold ``NAME=CONC``.
    """
    def joined(items: Sequence[str]) -> str:
        return " + ".join(items) if items else NONE

    return {
        "genotype": conditions.genotype,
        "drug": joined(list(conditions.drugs)),
        "concentration": joined(list(conditions.drugs.values())),
        "antibody": joined([f"{k}={v}" for k, v in conditions.antibodies.items()]),
        "cytokine": joined([f"{k}={v}" for k, v in conditions.cytokines.items()]),
    }


def tidy_table(assay: str, readout: str, time_h: Sequence[float] | np.ndarray, value: Sequence[float] | np.ndarray,
               unit: str, conditions: Conditions) -> pd.DataFrame:
    """Build the tidy rows of one readout over time, validated.

    Parameters
    ----------
    assay, readout : str
        Assay name (``"secretion"``) and readout name (``"IL-6"``).
    time_h : array of float
        Times, h.
    value : array of float
        The readout at each time, in ``unit``.
    unit : str
        Unit of ``value`` (``"pg/mL"``, ``"%"``, ``"fold"``).
    conditions : Conditions
        The run's conditions (genotype, drugs, antibodies, cytokines).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIDY_COLUMNS`, one row per time.
    """
    time_h = np.asarray(time_h, dtype=float)
    value = np.asarray(value, dtype=float)
    if time_h.shape != value.shape or time_h.ndim != 1:
        raise InvalidValueError(f"tidy table {assay}/{readout}: time_h and value must be 1-D of equal length, "
                                f"got shapes {time_h.shape} and {value.shape}")
    frame = pd.DataFrame({"assay": assay, "readout": readout, "time_h": time_h, "value": value, "unit": unit,
                          **condition_columns(conditions)}, columns=list(TIDY_COLUMNS))
    return validate_tidy(frame)


def concat_tidy(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate tidy tables (validated)."""
    return validate_tidy(pd.concat(list(frames), ignore_index=True))


def validate_tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Check that ``frame`` is a tidy assay table; return it with columns in :data:`TIDY_COLUMNS` order.

    Raises :class:`jakstat.errors.InvalidValueError` listing every problem: a missing column,
    a negative or non-finite time, a non-finite value, an empty assay/readout/unit or condition,
    or two rows for the same readout, time and conditions.
    """
    problems = []
    missing = [c for c in TIDY_COLUMNS if c not in frame.columns]
    if missing:
        raise InvalidValueError(f"tidy table: missing columns {', '.join(missing)}; required: {', '.join(TIDY_COLUMNS)}")
    time = pd.to_numeric(frame["time_h"], errors="coerce").to_numpy(dtype=float)
    value = pd.to_numeric(frame["value"], errors="coerce").to_numpy(dtype=float)
    if not np.all(np.isfinite(time)) or np.any(time < 0):
        problems.append("time_h: every time must be a finite number >= 0 h")
    if not np.all(np.isfinite(value)):
        bad = frame.loc[~np.isfinite(value), ["readout", "time_h"]].head(3).to_dict("records")
        problems.append(f"value: non-finite values at {bad}")
    for column in ("assay", "readout", "unit", *CONDITION_COLUMNS):
        text = frame[column].astype(str).str.strip()
        if (text == "").any() or frame[column].isna().any():
            problems.append(f"{column}: empty entries (use '{NONE}' for an absent condition)")
    key = ["assay", "readout", "time_h", *CONDITION_COLUMNS]
    if frame.duplicated(subset=key).any():
        problems.append("duplicate rows for the same assay, readout, time and conditions")
    if problems:
        raise InvalidValueError("tidy table: " + "; ".join(problems))
    return frame.loc[:, list(TIDY_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class AssayResult:
    """What an assay protocol returns: the tidy table and a way to draw its figure.

    Attributes
    ----------
    table : pandas.DataFrame
        Tidy table (:func:`validate_tidy`).
    draw : callable
        ``draw(figure)`` draws the assay's figure onto a matplotlib figure.
    data : dict
        Extra arrays behind the figure (e.g. the scratch density field), for users and tests.
    """

    table: pd.DataFrame
    draw: Callable[[object], None]
    data: dict = field(default_factory=dict)

    def save_figure(self, path: str | Path, dpi: int = 120) -> Path:
        """Draw the figure and write it as PNG to ``path``; return the path."""
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        fig = plt.figure(figsize=(10, 4), constrained_layout=True)
        try:
            self.draw(fig)
            fig.savefig(path, dpi=dpi)
        finally:
            plt.close(fig)
        return path


__all__ = ["AssayResult", "CONDITION_COLUMNS", "MEASURE_COLUMNS", "NONE", "TIDY_COLUMNS", "concat_tidy",
           "condition_columns", "tidy_table", "validate_tidy"]
