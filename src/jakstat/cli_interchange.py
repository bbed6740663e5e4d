"""``jakstat export petab``: a cell scenario as a PEtab v1 calibration problem (registered in :mod:`jakstat.cli`)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

PETAB_EPILOG = ("Example: jakstat export petab --cell fibroblast --cytokine IL-6=10ng/mL --observable "
                "pSTAT3_dimer_nuc --t-end 24h -o il6_petab/")


def export_petab(
    cell: str = typer.Option("fibroblast", "--cell", help="Cell type (see `jakstat kb cells`)."),
    genotype: str = typer.Option("wt", "--genotype", help="'wt' or GENE:ALLELE/ALLELE, e.g. STAT4:A635V/wt."),
    cytokine: list[str] = typer.Option([], "--cytokine", help="NAME=CONC of the 'stimulated' condition (repeatable)."),
    observable: list[str] = typer.Option([], "--observable",
                                         help="Observed species id (repeatable; default the nuclear pSTAT dimers)."),
    t_end: str = typer.Option("24h", "--t-end", help="Last synthetic measurement time, with unit."),
    points: int = typer.Option(9, "--points", help="Synthetic measurement times from 0 to --t-end."),
    measurements: Optional[Path] = typer.Option(None, "--measurements",
                                                help="CSV: condition, species, time_h, value_nM (replaces the "
                                                     "synthetic measurements)."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for the problem (YAML, SBML, TSV tables)."),
) -> None:
    """Write a PEtab v1 calibration problem: the SBML model, conditions (medium_only, stimulated), observables,
    measurements (jakstat's own simulation at nominal parameters unless --measurements) and parameters (assumed
    ones marked for estimation)."""
    from jakstat.cli import _cytokines, _fail, out
    from jakstat.petab_api import export_petab as export

    try:
        path = export(output, cell=cell, genotype=genotype, cytokines=dict(_cytokines(cytokine)),
                      observables=observable or None, t_end=t_end, n_points=points, measurements=measurements)
    except Exception as exc:  # noqa: BLE001 - reported as one line
        _fail(exc)
    out.print(f"wrote {path} (PEtab v1; tables beside it)", soft_wrap=True)
