"""Load and validate the packaged literature tables.

Tables are read as text (``dtype=str``, no NA conversion) so that every value is kept exactly as
printed in its source (``"5.186 (95% CI 4.631-5.740)"``, ``">400"``, ``""``). Each row is checked
against the table's row model (:mod:`jakstat.data.schema`); the first problem raises
:class:`jakstat.errors.TableError` naming the file, the 1-based data row (header not counted),
the column and the bad value.

Examples
--------
>>> from jakstat.data import load_table, table_row
>>> load_table("pathway_cytokine_receptors").shape[0]
27
>>> table_row("kinetics_il6_jak_stat", model="Singh2006_IL6 (BIOMD0000000151)", parameter="IL6")["value"]
'0.38'
"""

from __future__ import annotations

import csv
import functools
from pathlib import Path

import pandas as pd
from pydantic import ValidationError

from jakstat.data.schema import ROW_MODELS, Row, columns_of
from jakstat.errors import TableError, UnknownNameError

DATA_DIR = Path(__file__).resolve().parent
"""Folder holding the packaged CSV tables."""

_MAX_LISTED_VALUES = 40


def table_names() -> tuple[str, ...]:
    """Return the names (file stems) of all packaged tables, sorted.

    Returns
    -------
    tuple of str
        E.g. ``("biologic_pk_binding", "cell_types", ...)``.
    """
    return tuple(sorted(ROW_MODELS))


def table_path(name: str) -> Path:
    """Return the path of the packaged table ``name``.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"pathway_cytokine_receptors"``.

    Returns
    -------
    pathlib.Path
        The CSV file.

    Raises
    ------
    jakstat.errors.UnknownNameError
        If no packaged table has that name.
    """
    if name not in ROW_MODELS:
        raise UnknownNameError("table", name, ROW_MODELS)
    return DATA_DIR / f"{name}.csv"


def load_table(name: str) -> pd.DataFrame:
    """Load and validate a packaged table.

    Parameters
    ----------
    name : str
        File stem, e.g. ``"pathway_cytokine_receptors"`` (see :func:`table_names`).

    Returns
    -------
    pandas.DataFrame
        All columns as text, values as printed; a fresh copy on each call (the parsed table is
        cached).

    Raises
    ------
    jakstat.errors.UnknownNameError
        If no packaged table has that name.
    jakstat.errors.TableError
        If a row is malformed.
    """
    return _load_cached(name).copy()


@functools.lru_cache(maxsize=None)
def _load_cached(name: str) -> pd.DataFrame:
    return validate_table_file(table_path(name))


def read_table_file(path: str | Path) -> pd.DataFrame:
    """Read a CSV file as text, without validating it.

    Parameters
    ----------
    path : str or pathlib.Path
        The CSV file (UTF-8, comma-separated, header row).

    Returns
    -------
    pandas.DataFrame
        Every cell as ``str``; empty cells are ``""``.

    Raises
    ------
    jakstat.errors.TableError
        If the file cannot be read or parsed as CSV.
    """
    path = Path(path)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError, csv.Error) as exc:
        raise TableError(path.name, None, None, str(path), f"cannot read the file as CSV: {exc}") from exc


def validate_table_file(path: str | Path) -> pd.DataFrame:
    """Read and validate a CSV with the row model chosen by its file stem.

    Parameters
    ----------
    path : str or pathlib.Path
        A CSV whose stem names a packaged table (e.g. ``tmp/variant_stat.csv``).

    Returns
    -------
    pandas.DataFrame
        The table, every value as printed (text).

    Raises
    ------
    jakstat.errors.UnknownNameError
        If the stem is not the name of a packaged table.
    jakstat.errors.TableError
        On a missing column, or the first malformed row (1-based data row number, column, value).
    """
    path = Path(path)
    model = ROW_MODELS.get(path.stem)
    if model is None:
        raise UnknownNameError("table", path.stem, ROW_MODELS)
    frame = read_table_file(path)
    check_frame(frame, model, path.name)
    return frame


def check_frame(frame: pd.DataFrame, model: type[Row], file: str) -> None:
    """Validate a text table against a row model.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table, every cell a ``str``.
    model : type[Row]
        Row model (see :data:`jakstat.data.schema.ROW_MODELS`).
    file : str
        File name used in error messages.

    Raises
    ------
    jakstat.errors.TableError
        On a missing column, a malformed row or a duplicate key.
    """
    expected = columns_of(model)
    for column in expected:
        if column not in frame.columns:
            raise TableError(
                file, None, column, None,
                f"column {column!r} is missing; expected columns: {', '.join(expected)}",
            )
    seen: dict[tuple[str, ...], int] = {}
    for index, record in enumerate(frame.to_dict(orient="records"), start=1):
        try:
            row = model.model_validate(record)
        except ValidationError as exc:
            error = exc.errors()[0]
            column = str(error["loc"][0]) if error["loc"] else None
            value = record.get(column) if column is not None else None
            raise TableError(file, index, column, value, _reason(error["msg"])) from None
        problems = row.problems()
        if problems:
            column, reason = problems[0]
            raise TableError(file, index, column, record[column], reason)
        if model.KEY:
            key = tuple(record[c] for c in model.KEY)
            if key in seen:
                raise TableError(
                    file, index, model.KEY[0], key[0] if len(key) == 1 else key,
                    f"duplicate key ({', '.join(model.KEY)}); first seen in row {seen[key]}",
                )
            seen[key] = index


def _reason(message: str) -> str:
    return message.removeprefix("Value error, ")


def table_row(name: str, **match: str) -> dict[str, str]:
    """Return the single row of a packaged table whose columns equal the given values.

    Parameters
    ----------
    name : str
        Table name (file stem).
    **match : str
        ``column=value`` pairs; all must hold (exact, case-sensitive text comparison).

    Returns
    -------
    dict
        Column -> value (text) of the matching row.

    Raises
    ------
    jakstat.errors.TableError
        If a column does not exist, or if no row or more than one row matches.

    Examples
    --------
    >>> table_row("pathway_cytokine_receptors", cytokine="EPO")["main_stats"]
    'STAT5'
    """
    frame = _load_cached(name)
    file = f"{name}.csv"
    if not match:
        raise TableError(file, None, None, None, "table_row needs at least one column=value pair")
    selected = pd.Series(True, index=frame.index)
    for column, value in match.items():
        if column not in frame.columns:
            raise TableError(file, None, column, value, f"no such column; columns: {', '.join(frame.columns)}")
        selected &= frame[column] == value
    hits = list(frame.index[selected])
    key = ", ".join(f"{c}={v!r}" for c, v in match.items())
    if len(hits) == 1:
        return {str(c): str(v) for c, v in frame.loc[hits[0]].items()}
    column, value = next(iter(match.items()))
    if not hits:
        reason = f"no row of table {name!r} matches {key}"
        if len(match) == 1:
            known = sorted(set(frame[column]))
            if len(known) <= _MAX_LISTED_VALUES:
                reason += f"; known {column} values: {', '.join(known)}"
        raise TableError(file, None, column, value, reason)
    rows = ", ".join(str(i + 1) for i in hits)
    raise TableError(
        file, None, column, value,
        f"{len(hits)} rows of table {name!r} match {key} (rows {rows}); add columns to the key",
    )
