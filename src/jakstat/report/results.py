"""A report of a results folder: what ``jakstat demo``/``simulate`` (and trials) wrote, read back generically.

A results folder holds tables and, optionally, figures:

- ``*.parquet`` and ``*.csv`` files, each optionally with a ``FILE.units.json`` sidecar
  (``{"columns": {column: unit}, "attrs": {...}}``, as ``jakstat simulate`` writes); a CSV with
  the same stem as a Parquet file is taken to be a copy of it and skipped;
- Parquet *datasets*: sub-folders of ``*.parquet`` parts (hive partitions such as ``arm=A/``
  become columns), units in ``FOLDER.units.json`` beside the folder or ``units.json`` inside it;
- ``*.png`` figures, embedded as they are.

Each table is shown by what its columns say it is:

- a column ``arm`` -> a cohort: per-arm distributions (box plots) of its numeric columns and a
  per-arm summary table (n, median, quartiles); with a time column, the last time point of each
  row's patient is used;
- a time column (``time_h`` or ``time``) -> time courses, one line per ``condition`` when there is
  one, and a table of the values at the last time;
- anything else -> its first rows and a numeric summary.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from jakstat.errors import InvalidValueError
from jakstat.report.html import Report, png_figure

TIME_COLUMNS = ("time_h", "time")
ID_COLUMNS = ("patient_id", "subject_id", "seed", "replicate", "chunk")
MAX_PANELS = 12
MAX_LINES_PANELS = 6


@dataclass(frozen=True, eq=False)
class ResultTable:
    """One table of a results folder: its name (file or folder name), path, data and column units."""

    name: str
    path: Path
    frame: pd.DataFrame
    units: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, eq=False)
class ResultsFolder:
    """What could be read from a results folder, and what could not (with the reason)."""

    path: Path
    tables: tuple[ResultTable, ...]
    figures: tuple[Path, ...]
    skipped: tuple[tuple[str, str], ...]


def _units(*candidates: Path) -> dict[str, str]:
    for path in candidates:
        if path.is_file():
            try:
                spec = json.loads(path.read_text())
            except (OSError, ValueError):
                continue
            columns = spec.get("columns", spec) if isinstance(spec, dict) else {}
            return {str(k): str(v) for k, v in columns.items() if isinstance(v, str)}
    return {}


def read_results(folder: str | Path) -> ResultsFolder:
    """Read every table and figure of ``folder`` (see the module docstring).

    Raises
    ------
    InvalidValueError
        The folder does not exist, is not a folder, or holds nothing readable (the message lists what it holds).
    """
    path = Path(folder)
    if not path.exists():
        raise InvalidValueError(f"RESULTS_DIR {str(path)!r} does not exist")
    if not path.is_dir():
        raise InvalidValueError(f"RESULTS_DIR {str(path)!r} is not a folder (give the folder that demo/simulate/"
                                "trial wrote into)")
    tables, skipped = [], []
    entries = sorted(path.iterdir())
    parquet_stems = {p.stem for p in entries if p.is_file() and p.suffix == ".parquet"}
    for entry in entries:
        try:
            if entry.is_file() and entry.suffix == ".parquet":
                frame = pd.read_parquet(entry)
                tables.append(ResultTable(entry.name, entry, frame, _units(entry.with_name(entry.name + ".units.json"))))
            elif entry.is_file() and entry.suffix == ".csv":
                if entry.stem in parquet_stems:
                    skipped.append((entry.name, f"same data as {entry.stem}.parquet"))
                    continue
                frame = pd.read_csv(entry)
                tables.append(ResultTable(entry.name, entry, frame, _units(entry.with_name(entry.name + ".units.json"))))
            elif entry.is_dir() and any(entry.rglob("*.parquet")):
                frame = pd.read_parquet(entry)
                tables.append(ResultTable(entry.name + "/", entry, frame,
                                          _units(entry.with_name(entry.name + ".units.json"), entry / "units.json")))
        except Exception as exc:  # noqa: BLE001 - a broken file is reported, the others still shown
            skipped.append((entry.name, f"could not be read: {type(exc).__name__}: {exc}".splitlines()[0]))
    figures = []
    for entry in entries:
        if entry.is_file() and entry.suffix == ".png":
            if entry.read_bytes()[:4] == b"\x89PNG":
                figures.append(entry)
            else:
                skipped.append((entry.name, "not a PNG image"))
    skipped += [(t.name, "no rows") for t in tables if t.frame.empty]
    tables = [t for t in tables if not t.frame.empty]
    if not tables and not figures:
        held = ", ".join(p.name for p in entries[:20]) or "nothing"
        reasons = "; ".join(f"{n}: {r}" for n, r in skipped)
        raise InvalidValueError(f"RESULTS_DIR {str(path)!r}: no readable results (.parquet, .csv, Parquet dataset "
                                f"folder or .png); it holds: {held}" + (f" ({reasons})" if reasons else ""))
    return ResultsFolder(path, tuple(tables), tuple(figures), tuple(skipped))


def _label(column: str, units: dict[str, str]) -> str:
    unit = units.get(column, "")
    return f"{column} ({unit})" if unit and unit != "dimensionless" else column


def _numeric_columns(frame: pd.DataFrame, exclude: tuple[str, ...]) -> list[str]:
    columns = []
    for column in frame.columns:
        if column in exclude or column in ID_COLUMNS or not pd.api.types.is_numeric_dtype(frame[column]):
            continue
        if pd.api.types.is_bool_dtype(frame[column]):
            continue
        columns.append(column)
    return columns


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _grid(n: int, width: float = 4.2, height: float = 3.0):
    plt = _plt()
    cols = min(n, 3)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(width * cols, height * rows), constrained_layout=True, squeeze=False)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    return plt, fig, list(axes.flat[:n])


def _cohort_section(report: Report, table: ResultTable) -> Report:
    frame = table.frame.copy()
    frame["arm"] = frame["arm"].astype(str)
    time = next((c for c in TIME_COLUMNS if c in frame.columns), None)
    note = ""
    if time is not None and frame[time].nunique() > 1:
        key = "patient_id" if "patient_id" in frame.columns else None
        frame = (frame.sort_values(time).groupby(key, sort=False).tail(1) if key
                 else frame[frame[time] == frame[time].max()])
        note = f" Values at each patient's last {time} ({frame[time].max():g} {table.units.get(time, '')})."
    columns = [c for c in _numeric_columns(frame, (time or "",)) if frame[c].nunique(dropna=True) > 1]
    shown = columns[:MAX_PANELS]
    arms = sorted(frame["arm"].unique())
    n = frame.groupby("arm")["patient_id"].nunique() if "patient_id" in frame.columns else frame.groupby("arm").size()
    text = (f"{table.name}: a cohort of {int(n.sum())} " + ("patients" if "patient_id" in frame.columns else "rows")
            + f" in {len(arms)} arm(s): " + ", ".join(f"{a} (n = {int(n[a])})" for a in arms) + "." + note)
    if len(columns) > len(shown):
        text += f" Showing the first {len(shown)} of {len(columns)} varying numeric columns."
    if not shown:
        return report.with_table(f"Cohort: {table.name}", frame.head(50), text=text + " No numeric column varies.")
    plt, fig, axes = _grid(len(shown))
    for ax, column in zip(axes, shown):
        groups = [frame.loc[frame["arm"] == a, column].dropna().to_numpy() for a in arms]
        ax.boxplot(groups, showfliers=True)
        ax.set_xticks(range(1, len(arms) + 1), arms, rotation=20 if len(arms) > 3 else 0)
        ax.set(title=column, ylabel=table.units.get(column, ""))
    fig.suptitle(f"{table.name}: distributions per arm")
    report = report.with_figure(f"Cohort: {table.name}", fig, text=text,
                                caption="Box plots per arm (median, quartiles, whiskers at 1.5 IQR, outliers).")
    plt.close(fig)
    q = frame.groupby("arm")[shown].quantile([0.25, 0.5, 0.75]).unstack()
    rows = []
    for column in shown:
        for arm in arms:
            rows.append({"column": _label(column, table.units), "arm": arm, "n": int(frame.loc[frame["arm"] == arm,
                         column].notna().sum()), "median": q.loc[arm, (column, 0.5)],
                         "q25": q.loc[arm, (column, 0.25)], "q75": q.loc[arm, (column, 0.75)]})
    return report.with_table(f"Cohort summary: {table.name}", pd.DataFrame(rows),
                             caption="per arm: number of values, median and quartiles")


def _pick_lines(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """The columns that change most over time, relative to their size (all of them when there are few)."""
    if len(columns) <= MAX_LINES_PANELS:
        return columns
    values = frame[columns].to_numpy(dtype=float)
    span = np.nanmax(values, axis=0) - np.nanmin(values, axis=0)
    scale = np.maximum(np.nanmax(np.abs(values), axis=0), 1e-300)
    order = np.argsort(-(span / scale), kind="stable")
    return [columns[i] for i in order[:MAX_LINES_PANELS]]


def _timecourse_section(report: Report, table: ResultTable, time: str) -> Report:
    frame = table.frame
    group = "condition" if "condition" in frame.columns else None
    columns = [c for c in _numeric_columns(frame, (time,)) if c != group]
    shown = _pick_lines(frame, columns)
    text = f"{table.name}: {frame[time].nunique()} time points, {len(columns)} numeric columns"
    text += f", {frame[group].nunique()} conditions." if group else "."
    if len(columns) > len(shown):
        text += (f" Showing the {len(shown)} columns that change most relative to their size: "
                 + ", ".join(shown) + ".")
    if not shown:
        return report.with_table(f"Table: {table.name}", frame.head(50), text=text)
    plt, fig, axes = _grid(len(shown))
    groups = list(frame.groupby(group, sort=False)) if group else [(None, frame)]
    for ax, column in zip(axes, shown):
        for label, part in groups:
            ax.plot(part[time], part[column], label=label)
        ax.set(title=column, xlabel=_label(time, table.units), ylabel=table.units.get(column, ""))
    if group:
        axes[0].legend(fontsize=7)
    fig.suptitle(f"{table.name}: time courses")
    report = report.with_figure(f"Time courses: {table.name}", fig, text=text)
    plt.close(fig)
    last = frame[frame[time] == frame[time].max()]
    summary = last[[*([group] if group else []), time, *shown]].rename(columns=lambda c: _label(c, table.units))
    return report.with_table(f"At the last time: {table.name}", summary)


def _generic_section(report: Report, table: ResultTable) -> Report:
    frame = table.frame
    numeric = _numeric_columns(frame, ())
    text = f"{table.name}: {len(frame)} rows, {len(frame.columns)} columns."
    report = report.with_table(f"Table: {table.name}", frame.head(50).rename(columns=lambda c: _label(c, table.units)),
                               text=text)
    if numeric:
        report = report.with_table(f"Summary: {table.name}", frame[numeric].describe().T, index=True)
    return report


def results_report(folder: str | Path, title: str | None = None) -> Report:
    """The report of a results folder (see the module docstring)."""
    results = read_results(folder)
    report = Report(title or f"jakstat results: {results.path.name or results.path}",
                    scenario=f"Results read from the folder {results.path}: {len(results.tables)} table(s), "
                             f"{len(results.figures)} figure file(s).")
    files = pd.DataFrame([{"file": t.name, "rows": len(t.frame), "columns": len(t.frame.columns),
                           "units known for": f"{sum(c in t.units for c in t.frame.columns)} columns"}
                          for t in results.tables] or [{"file": "(none)"}])
    report = report.with_table("Files", files, text=(" ".join(f"Skipped {n}: {r}." for n, r in results.skipped)))
    for path in results.figures:
        report = report.with_figure(f"Figure: {path.name}", png_figure(path.read_bytes(), alt=path.name,
                                                                       caption=f"{path.name}, as written"))
    for table in results.tables:
        time = next((c for c in TIME_COLUMNS if c in table.frame.columns), None)
        if "arm" in table.frame.columns:
            report = _cohort_section(report, table)
        elif time is not None:
            report = _timecourse_section(report, table, time)
        else:
            report = _generic_section(report, table)
    return report
