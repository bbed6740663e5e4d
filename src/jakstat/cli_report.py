"""``jakstat report RESULTS_DIR``: an HTML report of a results folder (registered in :mod:`jakstat.cli`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

REPORT_EPILOG = ("Example: jakstat demo --out jakstat-out && jakstat report jakstat-out "
                 "-o jakstat-out/results_report.html")


def report(results_dir: Path = typer.Argument(..., help="Folder written by demo, simulate or trial."),
           output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                 help="HTML file (default RESULTS_DIR/results_report.html)."),
           title: Optional[str] = typer.Option(None, "--title", help="Report title.")) -> None:
    """Render a self-contained HTML report (works offline) of the tables and figures in RESULTS_DIR.

    Parquet/CSV time courses (with their .units.json sidecars) become time-course figures; a Parquet dataset with an
    `arm` column becomes per-arm distributions of its numeric columns.
    """
    from jakstat.cli import _fail, out
    from jakstat.report.results import results_report

    try:
        rendered = results_report(results_dir, title)
        path = rendered.write(output or results_dir / "results_report.html")
    except Exception as exc:  # noqa: BLE001 - reported as one line
        _fail(exc)
    out.print(f"wrote {path} ({len(rendered.sections)} sections)", soft_wrap=True)
