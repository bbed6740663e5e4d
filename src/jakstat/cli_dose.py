"""``jakstat dose-response``: a readout against drug concentration, its 4PL fit and figure.

Registered in :mod:`jakstat.cli`; the work is done by :func:`jakstat.studies.dose_response.dose_response`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

def dose_response(
    drug: str = typer.Option(..., "--drug", help="Drug (see `jakstat kb drugs`), e.g. ruxolitinib."),
    cell: str = typer.Option("fibroblast", "--cell", help="Cell type (see `jakstat kb cells`)."),
    genotype: str = typer.Option("wt", "--genotype", help="'wt' or GENE:ALLELE/ALLELE, e.g. STAT4:A635V/wt."),
    cytokine: list[str] = typer.Option([], "--cytokine", help="NAME=CONC at t=0, e.g. IL-6=10ng/mL (repeatable)."),
    conc: str = typer.Option("1nM:10uM:12", "--conc",
                             help="START:STOP:N (log-spaced) or a list, e.g. 1nM:10uM:12 or 1nM,10nM,100nM; the "
                                  "drug-free control is added."),
    readout: str = typer.Option("pSTAT3", "--readout",
                                help="pSTATn, nuclear_pSTATn (molecules/cell) or species:ID (nM)."),
    time: str = typer.Option("30min", "--time", help="Readout time after the medium change / stimulation."),
    assay: str = typer.Option("culture", "--assay",
                              help="culture (unbound drug in the medium) or whole-blood (total blood concentration; "
                                   "cd4_t_cell, monocyte, hepatocyte)."),
    rtol: float = typer.Option(1e-8, "--rtol"), atol: float = typer.Option(1e-12, "--atol", help="nM"),
    threads: Optional[int] = typer.Option(None, "--threads", help="Engine threads (default: all cores)."),
    quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    out_file: Path = typer.Option(..., "--out", help="Output .csv or .parquet; the fit (.fit.json) and the figure "
                                                     "(.png) are written beside it."),
) -> None:
    """Simulate a dose-response on the batched engine (one member per concentration) and fit IC50 and Hill slope.

    Example: jakstat dose-response --drug ruxolitinib --cell fibroblast --genotype STAT4:A635V/wt --cytokine IL-6=10ng/mL --conc 1nM:10uM:12 --readout pSTAT3 --time 30min --out rux.csv
    Example: jakstat dose-response --assay whole-blood --drug tofacitinib --cell cd4_t_cell --cytokine IL-6=1nM --readout pSTAT3 --time 15min --out tofa_wb.csv
    """
    from contextlib import nullcontext

    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from jakstat.cli import _check_table_suffix, _cytokines, _fail, err, out, pd_frame

    try:
        _check_table_suffix(out_file)
        from jakstat.studies.dose_response import dose_response as run, parse_concentrations, readout_time_s

        concentrations = parse_concentrations(conc, "--conc")  # flag names in the messages, before any work
        readout_time_s(time, "--time")

        bar = nullcontext() if quiet else Progress(SpinnerColumn(), TextColumn("{task.description}"),
                                                   TimeElapsedColumn(), console=err, transient=True)
        with bar as progress:
            task = progress.add_task("dose-response", total=None) if progress is not None else None

            def step(label: str) -> None:
                if progress is not None:
                    progress.update(task, description=label)

            table = run(drug, cell, genotype, dict(_cytokines(cytokine)), concentrations, readout, time, assay=assay,
                        rtol=rtol, atol=atol, n_threads=threads, progress=step)
        from jakstat.report.dose_response_plot import save_dose_response_figure

        out_file.parent.mkdir(parents=True, exist_ok=True)
        frame = pd_frame(table)
        frame.to_csv(out_file, index=False) if out_file.suffix == ".csv" else frame.to_parquet(out_file, index=False)
        fit_path = out_file.with_name(out_file.stem + ".fit.json")
        fit_path.write_text(json.dumps({**table.attrs["fit"], "drug": table["drug"].iloc[0], "readout": readout,
                                        "control": table.attrs["control"], "background": table.attrs["background"],
                                        "inhibition": table.attrs["inhibition"]}, indent=1))
        figure = save_dose_response_figure(table, out_file.with_suffix(".png"))
    except Exception as exc:  # noqa: BLE001 - reported as one line
        _fail(exc)
    fit = table.attrs["fit"]
    out.print(f"IC50 {fit['ic50_nm']:.4g} nM, Hill slope {fit['hill']:.3g} (4PL; bottom {fit['bottom']:.3g}, "
              f"top {fit['top']:.3g}, rmse {fit['rmse']:.2g})" + (f"; note: {fit['message']}" if fit["message"] else ""),
              highlight=False, soft_wrap=True)
    out.print(f"wrote {out_file} ({len(frame)} rows), {fit_path.name} and {figure.name}", soft_wrap=True)


__all__ = ["dose_response"]
