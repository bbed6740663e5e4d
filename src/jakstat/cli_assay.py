"""``jakstat assay NAME``: run one assay protocol and write its tidy table and figure.

Registered in :mod:`jakstat.cli`; the work is done by :mod:`jakstat.experiments`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

ASSAY_NAME = typer.Argument(..., help="secretion, scratch, gel, size, gene-panel, serum or ifn-score.")


def _pairs(option: str, items: list[str]) -> dict[str, str]:
    from jakstat.errors import InvalidValueError

    out: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise InvalidValueError(f"{option} {item!r}: expected NAME=CONCENTRATION, e.g. "
                                    + {"--drug": "ruxolitinib=1uM", "--antibody": "anti-IL-6=10ug/mL"}.get(
                                        option, "IL-6=10ng/mL"))
        name, amount = item.split("=", 1)
        out[name.strip()] = amount.strip()
    return out


def parse_times(text: str) -> list[float]:
    """``"0,12,24h, 48"`` -> ``[0, 12, 24, 48]`` (hours; a trailing ``h`` is allowed)."""
    from jakstat.errors import InvalidValueError

    times = []
    for part in text.split(","):
        token = part.strip().removesuffix("h").strip()
        try:
            times.append(float(token))
        except ValueError:
            raise InvalidValueError(f"--times: cannot read {part.strip()!r} as hours; give e.g. --times 0,12,24,48") from None
    return times


def assay(
    ctx: typer.Context,
    name: str = ASSAY_NAME,
    genotype: str = typer.Option("wt", "--genotype", help="'wt' or GENE:ALLELE/ALLELE, e.g. STAT4:A635V/wt."),
    drug: list[str] = typer.Option([], "--drug", help="NAME=CONC at a fixed in-vitro concentration, e.g. ruxolitinib=1uM."),
    antibody: list[str] = typer.Option([], "--antibody", help="NAME=CONC, e.g. anti-IL-6=10ug/mL or anti-IL-6R=10ug/mL."),
    cytokine: list[str] = typer.Option([], "--cytokine", help="NAME=CONC in the fresh medium at t=0, e.g. IL-6=10ng/mL."),
    times: Optional[str] = typer.Option(None, "--times", help="Readout times in h, comma-separated (default per assay)."),
    cells: Optional[float] = typer.Option(None, "--cells", help="Cells in the well (default 1e5)."),
    medium: Optional[str] = typer.Option(None, "--medium", help="Medium volume with unit (default 1mL)."),
    readout: list[str] = typer.Option([], "--readout", help="Readout to report (repeatable; default all)."),
    gene: list[str] = typer.Option([], "--gene", help="gene-panel: gene symbol (repeatable; default all in the network)."),
    dims: Optional[int] = typer.Option(None, "--dims", help="scratch: 1 or 2 spatial dimensions (default 1)."),
    pretreatment: Optional[float] = typer.Option(None, "--pretreatment",
                                                 help="Hours in the conditions before the assay starts (default 0)."),
    regimen: Optional[str] = typer.Option(None, "--regimen",
                                          help="serum, ifn-score: oral regimen of --drug (QD, BID, TID, XR; default QD)."),
    antibody_regimen: Optional[str] = typer.Option(None, "--antibody-regimen",
                                                   help="serum: the --antibody's IV regimen, Q4W, Q2W ... (default Q4W)."),
    weight: Optional[str] = typer.Option(None, "--weight",
                                         help="serum, ifn-score: body weight, e.g. 30kg (default 70kg for serum)."),
    ifn: Optional[str] = typer.Option(None, "--ifn", help="ifn-score: serum IFN-alpha (default 0.23pg/mL, upper quartile of dermatomyositis)."),
    blood_cell: Optional[str] = typer.Option(None, "--cell", help="ifn-score: monocyte (default) or cd4_t_cell."),
    out_file: Path = typer.Option(..., "--out", help="Output .csv or .parquet; the figure is written beside it (.png)."),
    config: Optional[Path] = typer.Option(None, "--config", help="YAML protocol (examples/assay_*.yaml); flags given override it."),
) -> None:
    """Run an assay protocol; write the tidy table (one row per readout and time) and its figure.

    Example: jakstat assay secretion --cytokine IL-6=10ng/mL --times 24,48,72 --out il6_elisa.csv
    Example: jakstat assay scratch --genotype wt --dims 2 --out scratch.parquet
    Example: jakstat assay secretion --config examples/assay_secretion_stat4.yaml --out secretion.csv
    Example: jakstat assay serum --cytokine IL-6=65pg/mL --antibody tocilizumab=8mg/kg --out crp.csv
    Example: jakstat assay ifn-score --drug baricitinib=4mg --regimen QD --weight 30kg --ifn 0.23pg/mL --out ifn.csv
    (serum: --cytokine IL-6 is the patient's untreated serum IL-6; --drug NAME=DOSE is an oral dose per
    administration with --regimen; --antibody NAME=DOSE an IV dose with --antibody-regimen.
    ifn-score: --drug is an oral dose NAME=DOSE, mg or mg/kg; --times in h after the first dose.)
    """
    from jakstat.cli import _check_table_suffix, _fail, out, pd_frame

    try:
        from jakstat.errors import InvalidValueError, UnknownNameError
        from jakstat.experiments import ASSAYS, run_assay

        if name not in ASSAYS:
            raise UnknownNameError("assay", name, ASSAYS)
        _check_table_suffix(out_file)
        protocol_fields = ASSAYS[name][0].model_fields
        oral = "oral_drug" in protocol_fields  # ifn-score: --drug is an oral dose, not a medium concentration
        fields: dict = {"conditions": {"genotype": genotype, "drugs": {} if oral else _pairs("--drug", drug),
                                       "antibodies": _pairs("--antibody", antibody),
                                       "cytokines": _pairs("--cytokine", cytokine)}}
        optional = {"times_h": parse_times(times) if times is not None else None, "n_cells": cells,
                    "medium_volume": medium, "readouts": readout or None, "genes": gene or None, "dims": dims,
                    "pretreatment_h": pretreatment, "oral_drug": _pairs("--drug", drug) if oral and drug else None,
                    "regimen": regimen, "antibody_regimen": antibody_regimen, "weight": weight, "serum_ifn": ifn,
                    "cell": blood_cell}
        flags = {"genes": "--gene", "dims": "--dims", "regimen": "--regimen", "antibody_regimen": "--antibody-regimen",
                 "weight": "--weight", "n_cells": "--cells", "medium_volume": "--medium", "pretreatment_h": "--pretreatment",
                 "serum_ifn": "--ifn", "cell": "--cell"}
        for key, value in optional.items():
            if value is None:
                continue
            if key not in protocol_fields:
                raise InvalidValueError(f"{flags.get(key, key)}: not an option of assay {name!r}")
            fields[key] = value
        if config is not None:
            from jakstat.cli_config import assay_fields

            fields = assay_fields(ctx, config, name, fields["conditions"], {k: v for k, v in fields.items() if k != "conditions"})
        result = run_assay(name, **fields)
        out_file.parent.mkdir(parents=True, exist_ok=True)
        frame = pd_frame(result.table)
        frame.to_csv(out_file, index=False) if out_file.suffix == ".csv" else frame.to_parquet(out_file, index=False)
        figure = result.save_figure(out_file.with_suffix(".png"))
    except Exception as exc:  # noqa: BLE001 - reported as one line
        _fail(exc)
    out.print(f"wrote {out_file} ({len(frame)} rows: {', '.join(dict.fromkeys(frame.readout))}) and {figure}")


__all__ = ["assay", "parse_times"]
