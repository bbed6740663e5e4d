"""``jakstat trial CONFIG.yaml --out DIR [--resume] [--scheduler ADDRESS]``: run a virtual trial.

A thin layer over :func:`jakstat.studies.run_trial`; registered in :mod:`jakstat.cli`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer


def trial(
    config: Path = typer.Argument(..., help="Trial design (YAML; see examples/trial_*.yaml)."),
    out_dir: Path = typer.Option(..., "--out", help="Output folder: a Parquet dataset partitioned by arm and chunk."),
    resume: bool = typer.Option(False, "--resume", help="Continue a killed or stopped run in --out (same config)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="dask.distributed scheduler address (default: run in this process)."),
    threads: Optional[int] = typer.Option(None, "--threads", help="Engine threads for local runs (default: all cores)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Simulate a virtual trial: patients in chunks through the batched engine, endpoints per patient.

    Example: jakstat trial examples/trial_jdm_baricitinib.yaml --out results/jdm
    """
    from rich.table import Table

    from jakstat.cli import _fail, out
    from jakstat.studies import load_config, read_results, run_trial, summary

    try:
        design = load_config(config)
        report = run_trial(design, out_dir, resume=resume, scheduler=scheduler, progress=not quiet, n_threads=threads)
        table = summary(read_results(out_dir))
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    view = Table(title=f"{design.name}: median [5th-95th percentile] per arm")
    view.add_column("", no_wrap=True)
    for arm in table["arm"]:
        view.add_column(str(arm))
    for column in table.columns[1:]:
        view.add_row(column, *(str(v) for v in table[column]))
    out.print(view)
    out.print(f"wrote {out_dir} ({report.patients} patients in {report.computed} chunks now, {report.skipped} "
              "chunks already complete); read it with pandas.read_parquet(DIR)")
