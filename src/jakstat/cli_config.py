"""``--config FILE.yaml`` for ``jakstat simulate`` and ``jakstat assay``: flags given on the command line
override the file's fields (:mod:`jakstat.run_config` validates the merged result).

Only flags the user typed count (click's parameter source), so a flag's default never overrides the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

CONFIG_HELP = "YAML config (see examples/); flags given as well override its fields."
SIMULATE_FLAGS = {"cell": "cell", "genotype": "genotype", "t_end": "t_end", "points": "n_points", "rtol": "rtol",
                  "atol": "atol"}
ORAL_FLAGS = {"regimen": "regimen", "weight": "weight", "days": "days"}
NOT_WITH_SIMULATE_CONFIG = {"sbml": "--sbml", "petab": "--petab", "condition": "--condition"}


def given(ctx: typer.Context) -> dict[str, Any]:
    """The parameters of the running command that were typed on the command line (name -> value)."""
    # by name: typer may carry its own copy of click, whose ParameterSource is another enum class
    return {name: value for name, value in ctx.params.items()
            if getattr(ctx.get_parameter_source(name), "name", None) == "COMMANDLINE"}


def simulate_config(ctx: typer.Context, config: Path):
    """The :class:`~jakstat.run_config.SimulateConfig` of ``config`` with the typed flags applied."""
    from jakstat.cli import _cytokines
    from jakstat.cli_pharm import parse_drug
    from jakstat.errors import InvalidValueError
    from jakstat.run_config import load_simulate_config

    flags = given(ctx)
    clash = [flag for name, flag in NOT_WITH_SIMULATE_CONFIG.items() if name in flags]
    if clash:
        raise InvalidValueError(f"--config describes a cell simulation; {', '.join(clash)} cannot be combined with it")
    overrides: dict[str, Any] = {field: flags[name] for name, field in SIMULATE_FLAGS.items() if name in flags}
    if "cytokine" in flags:
        overrides["cytokines"] = dict(_cytokines(flags["cytokine"]))
    oral = {field: flags[name] for name, field in ORAL_FLAGS.items() if name in flags}
    if "drug" in flags:
        oral["drug"], oral["dose"] = parse_drug(flags["drug"])
    if oral:
        overrides["oral"] = oral
    return load_simulate_config(config, overrides)


def assay_fields(ctx: typer.Context, config: Path, name: str, conditions: dict[str, Any],
                 optional: dict[str, Any]) -> dict[str, Any]:
    """Protocol fields of assay ``name``: the file's, with the typed flags' ``conditions`` and ``optional`` fields."""
    from jakstat.run_config import load_assay_config

    flags = given(ctx)
    typed = {"genotype": "genotype", "drugs": "drug", "antibodies": "antibody", "cytokines": "cytokine"}
    overrides: dict[str, Any] = {key: value for key, value in optional.items() if value is not None}
    chosen = {key: conditions[key] for key, flag in typed.items() if flag in flags}
    if chosen:
        overrides["conditions"] = chosen
    return load_assay_config(config, name, overrides)


__all__ = ["CONFIG_HELP", "assay_fields", "given", "simulate_config"]
