"""``jakstat.assay`` and ``jakstat.trial``: the assay and trial layers as one call each, returning pandas.

Thin wrappers: :func:`jakstat.experiments.run_assay` (which also gives the figure) and
:func:`jakstat.studies.run_trial` + :func:`jakstat.studies.read_results`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd


def assay(name: str, **protocol: Any) -> pd.DataFrame:
    """Run assay ``name`` (secretion, scratch, gel, size, gene-panel, serum, ifn-score) and return its tidy table.

    Parameters
    ----------
    name : str
        The assay (``jakstat.experiments.ASSAYS``); an unknown name raises UnknownNameError listing them.
    **protocol
        The protocol's fields, e.g. ``conditions={"genotype": "STAT4:A635V/wt", "drugs": {"ruxolitinib": "1 uM"}}``,
        ``times_h=[24, 48]`` (h), ``n_cells``, ``medium_volume`` ("1 mL").

    Returns
    -------
    pandas.DataFrame
        One row per readout and time: ``assay``, ``readout``, ``time_h`` (h), ``value``, ``unit`` and one column
        per condition. For the figure use :func:`jakstat.experiments.run_assay` (its ``save_figure``).

    Examples
    --------
    >>> jakstat.assay("secretion", conditions={"genotype": "STAT4:A635V/wt"}, times_h=[48])  # doctest: +SKIP
    """
    from jakstat.experiments import run_assay

    return run_assay(name, **protocol).table


def trial(config: str | Path | Mapping[str, Any], out: str | Path, *, resume: bool = False,
          progress: bool = False, n_threads: int | None = None) -> pd.DataFrame:
    """Run (or, with ``resume``, continue) a virtual trial into the Parquet folder ``out``; return its patients.

    Parameters
    ----------
    config : path or mapping
        A YAML design (see examples/trial_*.yaml) or the same content as a dict; errors name the field path.
    out : path
        Output folder (Parquet dataset partitioned by arm and chunk); must be empty unless ``resume``.

    Returns
    -------
    pandas.DataFrame
        One row per patient: covariates, dose, status and endpoints (see :mod:`jakstat.studies.endpoints`).
    """
    from jakstat.studies import load_config, read_results, run_trial
    from jakstat.studies.design import parse_config

    design = parse_config(dict(config), "config") if isinstance(config, Mapping) else load_config(config)
    run_trial(design, out, resume=resume, progress=progress, n_threads=n_threads)
    return read_results(out)


__all__ = ["assay", "trial"]
