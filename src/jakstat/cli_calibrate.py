"""``jakstat calibrate PETAB --out DIR``: maximum-likelihood fit of a PEtab v1 problem on the batched engine.

A thin layer over :func:`jakstat.studies.petab_fit.calibrate_petab`; registered in :mod:`jakstat.cli`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

CALIBRATE_EPILOG = ("Example: jakstat calibrate ../shared/external/petab/Boehm_JProteomeRes2014 --starts 20 "
                    "--out results/boehm_fit")


def calibrate(
    problem: Path = typer.Argument(..., help="PEtab v1 problem: its folder (one .yaml inside) or the .yaml file."),
    out_dir: Path = typer.Option(..., "--out", help="Output folder: starts.csv, fit.json, measurements.csv."),
    starts: int = typer.Option(10, "--starts", help="Number of local fits (multistart)."),
    seed: int = typer.Option(0, "--seed", help="Seed of the start points."),
    spread: Optional[float] = typer.Option(None, "--spread", help="Starts within nominal +/- SPREAD on the parameter "
                                           "scale (e.g. 1 = 10-fold on log10); default: uniform within the bounds."),
    max_jacobians: int = typer.Option(1000, "--max-jacobians", help="Jacobian evaluations allowed per start."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
) -> None:
    """Fit a PEtab problem's estimated parameters to its measurements (multistart least squares, batched engine)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from jakstat.cli import _fail, out
    from jakstat.studies.petab_fit import calibrate_petab, petab_objective

    try:
        objective = petab_objective(problem)
        with Progress(TextColumn("[bold]local fits"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      disable=quiet, console=out) as bar:
            task = bar.add_task("fits", total=starts)
            fit = calibrate_petab(objective, starts=starts, seed=seed, spread=spread, max_jacobians=max_jacobians,
                                  progress=lambda done, total: bar.update(task, completed=done))
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    out_dir.mkdir(parents=True, exist_ok=True)
    fit.starts.to_csv(out_dir / "starts.csv", index=False)
    method = (f"jakstat.studies.petab_fit: scipy least_squares (trf), {starts} starts (seed {seed}, "
              f"{'uniform in bounds' if spread is None else f'nominal +/- {spread}'}), batched engine")
    (out_dir / "fit.json").write_text(json.dumps(fit.record(f"petab_{fit.problem}", method), indent=2) + "\n")
    objective.simulated_measurements(fit.x).to_csv(out_dir / "measurements.csv", index=False)
    found = int((fit.starts["nllh"] < fit.nllh + 0.1).sum())
    out.print(f"{fit.problem}: best nllh {fit.nllh:.6g} (nominal {fit.nominal_nllh:.6g}); {found}/{len(fit.starts)} "
              f"starts within 0.1 of the best; {fit.n_simulations} simulations")
    out.print(f"wrote {out_dir / 'starts.csv'}, {out_dir / 'fit.json'}, {out_dir / 'measurements.csv'}")
