"""Export a cell scenario as a PEtab v1 calibration problem (``jakstat export petab``).

The problem has two simulation conditions of the network that :func:`jakstat.simulate` integrates
for the scenario (pre-equilibrated cells, fresh medium at t = 0): ``medium_only`` (no ligand) and,
when cytokines are given, ``stimulated`` (the ligands at their concentrations). Measurements are
either the user's (a CSV with columns ``condition``, ``species``, ``time_h``, ``value_nM``) or, by
default, jakstat's own simulation at the nominal parameters (``datasetId`` ``jakstat_nominal``): a
synthetic problem whose optimum is the model as it stands, ready for real data to replace it.

>>> export_petab("il6_petab", cytokines={"IL-6": "10 ng/mL"}, t_end="24 h")  # doctest: +SKIP
PosixPath('il6_petab/il6_fibroblast.yaml')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from jakstat.api import Scenario, prepare_network, run_network, time_grid_s
from jakstat.compile.petab_export import Observable, write_petab
from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.network.builders import ligand_concentration_nm
from jakstat.network.edit import with_initial_values
from jakstat.network.model import Network
from jakstat.network.provenance import Input

NOISE_FRACTION = 0.1  # starting noise sd: 10 % of the largest value of each observable
USER_COLUMNS = ("condition", "species", "time_h", "value_nM")
SYNTHETIC_DATASET = "jakstat_nominal"


def default_observables(net: Network) -> list[str]:
    """The nuclear pSTAT dimers (``*_dimer_nuc``): what a phospho-STAT assay reads out."""
    found = [s.id for s in net.species if s.id.endswith("_dimer_nuc")]
    if not found:
        raise InvalidValueError(f"network {net.name}: no *_dimer_nuc species to observe by default; name the "
                                "observed species (--observable)")
    return found


def petab_conditions(net: Network, scenario: Scenario) -> dict[str, dict[str, float]]:
    """``medium_only`` (every medium species 0: fresh medium) and, with cytokines, ``stimulated``."""
    medium = {s.id: 0.0 for s in net.species if s.compartment == "medium"}
    conditions = {"medium_only": dict(medium)}
    if scenario.cytokines:
        stimulated = dict(medium)
        for name, amount in scenario.cytokines:
            _, species, nm = ligand_concentration_nm(scenario.cell, name, amount)
            stimulated[species] = nm
        conditions["stimulated"] = stimulated
    return conditions


def simulate_condition(net: Network, values: Mapping[str, float], times_s: np.ndarray, label: str):
    """The network with one condition's initial values applied, integrated at ``times_s``."""
    return run_network(with_initial_values(net, dict(values), Input(f"PEtab condition {label}")), times_s)


def _user_measurements(path: Path, conditions: Mapping[str, Mapping[str, float]], species: set[str]) -> pd.DataFrame:
    if not path.is_file():
        raise InvalidValueError(f"--measurements {str(path)!r} does not exist")
    frame = pd.read_csv(path)
    missing = [c for c in USER_COLUMNS if c not in frame.columns]
    if missing:
        raise InvalidValueError(f"--measurements {path.name}: missing columns {missing}; required: "
                                f"{', '.join(USER_COLUMNS)} (time in h, value in nM)")
    for column, known in (("condition", set(conditions)), ("species", species)):
        unknown = sorted(set(frame[column].astype(str)) - known)
        if unknown:
            raise UnknownNameError(f"{column} (in {path.name})", unknown[0], known)
    for column in ("time_h", "value_nM"):
        values = pd.to_numeric(frame[column], errors="coerce")
        if values.isna().any() or (values < 0).any():
            row = int(np.flatnonzero(values.isna() | (values < 0))[0]) + 1
            raise InvalidValueError(f"--measurements {path.name}, row {row}, column {column!r}: "
                                    f"{frame[column].iloc[row - 1]!r} is not a number >= 0")
    return pd.DataFrame({"observableId": "obs_" + frame["species"].astype(str),
                         "simulationConditionId": frame["condition"].astype(str),
                         "time": frame["time_h"].astype(float) * 3600.0,
                         "measurement": frame["value_nM"].astype(float), "datasetId": path.stem})


def export_petab(folder: str | Path, cell: str = "fibroblast", genotype: str = "wt",
                 cytokines: Mapping[str, str] | None = None, observables: Sequence[str] | None = None,
                 t_end: str = "24 h", n_points: int = 9, measurements: str | Path | None = None,
                 name: str | None = None) -> Path:
    """Write the scenario as a PEtab v1 problem into ``folder``; return its YAML file.

    Parameters
    ----------
    folder : str or Path
        Output folder (one ``.yaml``, an SBML model and four TSV tables).
    cell, genotype, cytokines
        As :func:`jakstat.simulate`; the cytokines define the ``stimulated`` condition.
    observables : sequence of str, optional
        Observed species ids (default :func:`default_observables`).
    t_end, n_points
        Synthetic measurement times: ``n_points`` from 0 to ``t_end`` (ignored with ``measurements``).
    measurements : path, optional
        CSV with columns ``condition`` (``medium_only``/``stimulated``), ``species``, ``time_h``, ``value_nM``.
    name : str, optional
        Problem name (default the network's name).
    """
    scenario = Scenario(cell, genotype, tuple((cytokines or {}).items()))
    net = prepare_network(scenario)
    conditions = petab_conditions(net, scenario)
    observed = list(observables) if observables else default_observables(net)
    species = {s.id for s in net.species}
    for sid in observed:
        if sid not in species:
            raise UnknownNameError(f"species of network {net.name} (observable)", sid, species)
    if measurements is not None:
        table = _user_measurements(Path(measurements), conditions, species)
        unobserved = sorted(set(table["observableId"]) - {f"obs_{s}" for s in observed})
        observed += [x.removeprefix("obs_") for x in unobserved]
    else:
        times = time_grid_s(t_end, n_points)
        rows = []
        for label, values in conditions.items():
            ds = simulate_condition(net, values, times, label)
            for sid in observed:
                rows += [{"observableId": f"obs_{sid}", "simulationConditionId": label, "time": t,
                          "measurement": float(v), "datasetId": SYNTHETIC_DATASET}
                         for t, v in zip(times, ds[sid].to_numpy())]
        table = pd.DataFrame(rows)
    scale = table.assign(a=table["measurement"].abs()).groupby("observableId")["a"].max()
    obs = [Observable(sid, max(NOISE_FRACTION * float(scale.get(f"obs_{sid}", 0.0)), 1e-6)) for sid in observed]
    return write_petab(net, folder, conditions, obs, table, name=name)
