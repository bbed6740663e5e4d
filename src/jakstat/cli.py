"""The ``jakstat`` command (typer). A thin layer: parse, call the library, write, report errors.

Bad input exits with status 2 and one line naming the field and the allowed values; ``--debug``
shows the traceback instead.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="jakstat: an in-silico laboratory for JAK-STAT signalling and its drugs "
                       "(research tool, not clinical advice). Bad input exits 2 with one line; --debug shows the "
                       "traceback.",
                  epilog="Example: jakstat demo --out jakstat-out   (then open jakstat-out/report.html)")
kb_app = typer.Typer(no_args_is_help=True, help="The knowledge base: known names with their sources.",
                     epilog="Example: jakstat kb drugs")
export_app = typer.Typer(no_args_is_help=True, help="Export a network in a standard format.",
                         epilog="Example: jakstat export sbml --cell fibroblast --cytokine IL-6=10ng/mL -o il6.xml")
app.add_typer(kb_app, name="kb")
app.add_typer(export_app, name="export")

err = Console(stderr=True)
out = Console()
_state = {"debug": False}


@app.callback()
def main(debug: bool = typer.Option(False, "--debug", help="Show tracebacks on errors.")) -> None:
    _state["debug"] = debug


def _fail(exc: Exception) -> None:
    if _state["debug"]:
        raise exc
    err.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def _cytokines(items: list[str]) -> tuple[tuple[str, str], ...]:
    from jakstat.errors import InvalidValueError

    pairs = []
    for item in items:
        if "=" not in item:
            raise InvalidValueError(f"--cytokine {item!r}: expected NAME=CONCENTRATION, e.g. IL-6=10ng/mL")
        name, amount = item.split("=", 1)
        pairs.append((name.strip(), amount.strip()))
    return tuple(pairs)


CELL = typer.Option("fibroblast", "--cell", help="Cell type (see `jakstat kb cells`).")
GENOTYPE = typer.Option("wt", "--genotype", help="'wt' or GENE:ALLELE/ALLELE, e.g. STAT4:A635V/wt.")
CYTOKINE = typer.Option([], "--cytokine", help="NAME=CONC in the fresh medium at t=0, e.g. IL-6=10ng/mL (repeatable).")


@app.command()
def demo(out_dir: Path = typer.Option(Path("jakstat-out"), "--out", help="Output folder.")) -> None:
    """Run the demo (STAT4-variant fibroblasts, oral ruxolitinib in a child, baricitinib in JDM) into one HTML report.

    Example: jakstat demo --out jakstat-out
    """
    from jakstat.report.demo import STEPS, run_demo

    try:
        with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                      TimeElapsedColumn(), console=err, transient=False) as progress:
            task = progress.add_task("demo", total=len(STEPS))
            started: list[str] = []

            def step(label: str) -> None:
                if started:
                    progress.advance(task)
                started.append(label)
                progress.update(task, description=label)

            paths = run_demo(out_dir, step)
            progress.update(task, completed=len(STEPS), description="done")
    except Exception as exc:  # noqa: BLE001 - reported as one line
        _fail(exc)
    for kind, path in paths.items():
        out.print(f"wrote {kind}: {path}")


@app.command()
def simulate(
    ctx: typer.Context, config: Optional[Path] = typer.Option(None, "--config", help="YAML config (examples/simulate_*.yaml); flags given override it."),
    cell: str = CELL, genotype: str = GENOTYPE, cytokine: list[str] = CYTOKINE,
    t_end: str = typer.Option("48h", "--t-end", help="End time with unit, e.g. 48h."),
    points: Optional[int] = typer.Option(None, "--points", help="Number of output times (default every 15 min)."),
    rtol: float = typer.Option(1e-8, "--rtol"), atol: float = typer.Option(1e-12, "--atol", help="nM"),
    out_file: Path = typer.Option(..., "--out", help="Output .csv or .parquet (time_h + one column per species, nM)."),
    sbml: Optional[Path] = typer.Option(None, "--sbml", help="Integrate this SBML file instead of a cell network."),
    petab: Optional[Path] = typer.Option(None, "--petab", help="Integrate this PEtab problem (folder or YAML)."),
    condition: Optional[str] = typer.Option(None, "--condition", help="PEtab condition id (default: the first)."),
    drug: Optional[str] = typer.Option(None, "--drug", help="NAME=DOSE under oral PK from t=0, e.g. ruxolitinib=15mg."),
    regimen: Optional[str] = typer.Option(None, "--regimen", help="With --drug: QD, BID (default), TID or XR."),
    weight: str = typer.Option("70kg", "--weight", help="With --drug: body weight, 3-150 kg."),
    days: Optional[float] = typer.Option(None, "--days", help="With --drug: days simulated (default 14; replaces --t-end)."),
) -> None:
    """Simulate a cell in culture after a medium change at t=0, or an external SBML/PEtab model.

    Example: jakstat simulate --cell fibroblast --cytokine IL-6=10ng/mL --t-end 48h --out il6.csv
    Example: jakstat simulate --sbml model.xml --t-end 240min --out run.csv
    Example: jakstat simulate --cell cd4_t_cell --cytokine IL-6=1nM --drug ruxolitinib=15mg --regimen BID --weight 30kg --days 14 --out rux.csv
    Example: jakstat simulate --config examples/simulate_stat4_ruxolitinib.yaml --t-end 12h --out rux.csv
    """
    import jakstat

    try:
        _check_table_suffix(out_file)
        if config is not None:
            from jakstat.cli_config import simulate_config

            ds = simulate_config(ctx, config).run()
        elif sbml is not None or petab is not None:
            from jakstat.sbml_api import simulate_petab, simulate_sbml

            options = dict(t_end=t_end, n_points=points, rtol=rtol, atol=atol)
            ds = simulate_sbml(sbml, **options) if sbml is not None else simulate_petab(petab, condition, **options)
        elif drug is not None:
            from jakstat.cli_pharm import simulate_drug

            ds = simulate_drug(cell, genotype, dict(_cytokines(cytokine)), drug, regimen, weight, days, points, rtol, atol)
        else:
            ds = jakstat.simulate(cell=cell, genotype=genotype, cytokines=dict(_cytokines(cytokine)), t_end=t_end,
                                  n_points=points, rtol=rtol, atol=atol)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    frame = ds.to_dataframe().reset_index()
    out_file.parent.mkdir(parents=True, exist_ok=True)
    if out_file.suffix == ".csv":
        frame.to_csv(out_file, index=False)
    else:
        frame.to_parquet(out_file, index=False)
    sidecar = out_file.with_name(out_file.name + ".units.json")
    time_units = {c: ds[c].attrs.get("units", "") for c in ds.coords}
    sidecar.write_text(json.dumps({"columns": {**time_units, **{v: ds[v].attrs["units"] for v in ds.data_vars}},
                                   "attrs": {k: str(v) for k, v in ds.attrs.items()}}, indent=1))
    out.print(f"wrote {out_file} ({len(frame)} times x {len(ds.data_vars)} species; units in {sidecar.name})")


@app.command()
def pk(
    drug: str = typer.Option(..., "--drug", help="Drug (see `jakstat kb drugs`), e.g. ruxolitinib."),
    dose: str = typer.Option(..., "--dose", help="Per dose, e.g. 15mg or 0.2mg/kg (rounded to product strengths)."),
    regimen: Optional[str] = typer.Option(None, "--regimen",
                                          help="QD, BID (default), TID or XR (oral); QW, Q2W, Q4W (default) or BIW (antibodies)."),
    weight: str = typer.Option("70kg", "--weight", help="Body weight, 3-150 kg."),
    days: float = typer.Option(14.0, "--days", help="Days from the first dose."),
    egfr: Optional[float] = typer.Option(None, "--egfr", help="eGFR, mL/min/1.73m2 (renally cleared drugs)."),
    points_per_hour: int = typer.Option(4, "--points-per-hour"),
    route: Optional[str] = typer.Option(None, "--route", help="Antibodies: IV (default) or SC."),
    population: str = typer.Option("adult", "--population", help="Antibodies: adult or a pediatric popPK (tocilizumab: sJIA)."),
    formulation: str = typer.Option("tablet", "--formulation",
                                    help="Small molecules: tablet (default) or solution: the strengths doses are rounded to."),
    out_file: Path = typer.Option(..., "--out", help="Output .csv or .parquet."),
) -> None:
    """Plasma concentration (total, unbound; nM) and the share of every cytokine pathway's signalling capacity blocked.

    The pSTAT readout of a whole-blood assay falls less than the capacity (it saturates): use
    `jakstat assay whole-blood` for pSTAT inhibition.

    Example: jakstat pk --drug ruxolitinib --dose 15mg --regimen BID --weight 30kg --days 14 --out rux.csv
    Example: jakstat pk --drug tocilizumab --dose 8mg/kg --regimen q4w --days 84 --out toc.csv
    """
    from jakstat.pharmacology.exposure import exposure_table

    try:
        _check_table_suffix(out_file)
        table = exposure_table(drug, dose, regimen, weight=weight, days=days, egfr=egfr,
                               points_per_hour=points_per_hour, route=route, population=population,
                               formulation=formulation)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    frame = pd_frame(table)
    frame.to_csv(out_file, index=False) if out_file.suffix == ".csv" else frame.to_parquet(out_file, index=False)
    for note in dict.fromkeys(d.get("note", "") for d in table.attrs.get("doses", [])):
        if "rounded to" in note:
            out.print(f"note: {note}; each dose given is in the table's attrs ('doses'); "
                      "--formulation solution gives sub-tablet doses")
    out.print(f"wrote {out_file} ({len(frame)} times; concentrations in nM, inhibition as a fraction 0-1)")


def pd_frame(table):
    """A copy without pandas ``attrs`` (Parquet cannot hold arbitrary objects there)."""
    frame = table.copy()
    frame.attrs = {}
    return frame


def _check_table_suffix(path: Path) -> None:
    from jakstat.errors import InvalidValueError

    if path.suffix not in (".csv", ".parquet"):
        raise InvalidValueError(f"--out {path}: file type {path.suffix!r} not allowed; allowed: .csv, .parquet")


@export_app.command("sbml")
def export_sbml(cell: str = CELL, genotype: str = GENOTYPE, cytokine: list[str] = CYTOKINE,
                output: Path = typer.Option(..., "-o", "--output", help="SBML file to write.")) -> None:
    """Write the SBML of exactly the network `jakstat simulate` integrates with the same flags.

    Example: jakstat export sbml --cell fibroblast --cytokine IL-6=10ng/mL -o il6.xml
    """
    from jakstat.api import Scenario, prepare_network
    from jakstat.compile.sbml_export import write_sbml

    try:
        net = prepare_network(Scenario(cell=cell, genotype=genotype, cytokines=_cytokines(cytokine)))
        write_sbml(net, output)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    out.print(f"wrote {output} ({len(net.species)} species, {len(net.reactions)} reactions)")


import_app = typer.Typer(no_args_is_help=True, help="Import an external model.",
                         epilog="Example: jakstat import sbml model.xml")
app.add_typer(import_app, name="import")


@import_app.command("sbml")
def import_sbml(source: Path = typer.Argument(..., help="SBML file."),
                output: Optional[Path] = typer.Option(None, "-o", "--output",
                                                      help="Write the imported network back as SBML (jakstat's export).")) -> None:
    """Read an SBML model, check that jakstat can represent it, and summarise it.

    Example: jakstat import sbml model.xml -o reexported.xml
    """
    from jakstat.compile.sbml_export import write_sbml
    from jakstat.compile.sbml_import import network_from_sbml, sbml_time_unit

    try:
        net = network_from_sbml(source)
        unit, seconds = sbml_time_unit(source)
        if output is not None:
            write_sbml(net, output)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    out.print(f"{source}: {len(net.species)} species, {len(net.reactions)} reactions, {len(net.parameters)} parameters, "
              f"{len(net.events)} events; time unit {unit}" + (f" ({seconds:g} s)" if seconds else ""))
    if net.description:
        out.print(net.description, highlight=False)
    if output is not None:
        out.print(f"wrote {output}")


def _print_rows(rows: list[tuple[str, str]], title: str) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=False)
    table.add_column("name")
    table.add_column("source", overflow="fold")
    for name, source in rows:
        table.add_row(name, source)
    out.print(table)


@kb_app.command("cytokines")
def kb_cytokines() -> None:
    """List the known cytokines with their sources. Example: jakstat kb cytokines"""
    from jakstat.knowledge import cytokines

    _print_rows([(c.name, c.source) for c in cytokines()], "cytokines (pathway_cytokine_receptors.csv)")


@kb_app.command("drugs")
def kb_drugs() -> None:
    """List the known drugs with their sources. Example: jakstat kb drugs"""
    from jakstat.knowledge import drugs

    _print_rows([(f"{d.name} ({d.kind})", d.source) for d in drugs()], "drugs")


@kb_app.command("variants")
def kb_variants() -> None:
    """List the known STAT variants with their sources. Example: jakstat kb variants"""
    from jakstat.knowledge import variants

    _print_rows([(f"{v.gene}:{v.protein_change_short}", v.source) for v in variants()], "variants (variant_stat.csv)")


@kb_app.command("cells")
def kb_cells() -> None:
    """List the known cell types with their sources. Example: jakstat kb cells"""
    from jakstat.knowledge import cell_types
    from jakstat.network.builders import CELL_NETWORKS

    _print_rows([(c.name + (" (network available)" if c.name in CELL_NETWORKS else ""), c.source)
                 for c in cell_types()], "cell types")


@kb_app.command("card")
def kb_card(cell: Optional[str] = typer.Option(None, "--cell", help="One cell type (default: every modelled cell)."),
            output: Path = typer.Option(Path("docs/model_card.md"), "-o", "--output", help="Markdown file.")) -> None:
    """Write the model card (every species, reaction and parameter with value, unit and provenance).

    Example: jakstat kb card -o docs/model_card.md
    """
    from jakstat.report.model_card import model_cards

    try:
        text = model_cards([cell] if cell else None)
    except Exception as exc:  # noqa: BLE001
        _fail(exc)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(text)
    out.print(f"wrote {output}")


from jakstat import cli_interchange, cli_report  # noqa: E402 - commands in their own modules, registered here

app.command("report", epilog=cli_report.REPORT_EPILOG)(cli_report.report)
export_app.command("petab", epilog=cli_interchange.PETAB_EPILOG)(cli_interchange.export_petab)

from jakstat.cli_trial import trial as _trial  # noqa: E402

app.command("trial")(_trial)

from jakstat.cli_assay import assay as _assay  # noqa: E402 - the assay command lives in its own module

app.command("assay")(_assay)

from jakstat.cli_dose import dose_response as _dose_response  # noqa: E402

app.command("dose-response")(_dose_response)

from jakstat.cli_calibrate import CALIBRATE_EPILOG, calibrate as _calibrate  # noqa: E402

app.command("calibrate", epilog=CALIBRATE_EPILOG)(_calibrate)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
