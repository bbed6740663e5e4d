"""Run a trial design: patients in chunks through the batched engine, each chunk written to Parquet.

Layout of the output folder ``DIR`` (a Parquet dataset, ``pandas.read_parquet(DIR)``)::

    DIR/_trial.json                         design, its fingerprint, the plan
    DIR/arm=<name>/chunk=<c>/part-0.parquet one chunk: patient_id, population, doses, endpoints

``arm`` and ``chunk`` come from the folder names (hive partitioning). Patients ``0..N-1`` are
allocated to the arms 1:1 in rotation (patient ``i`` to arm ``i mod n_arms``); chunk ``c`` of an arm
holds its patients ``c x chunk_size`` to ``(c+1) x chunk_size - 1`` in id order.

Every chunk is a pure function of (design, arm, chunk): patients come from a counter-based generator
(:mod:`jakstat.studies.population`), so a chunk computed again, elsewhere, or on another worker is
the same. A chunk is written to a hidden temporary name and renamed into place (atomic on POSIX), so
a killed run leaves only complete chunks; ``resume=True`` skips them and recomputes the rest: no
patient lost or duplicated. The same :func:`simulate_chunk` runs in this process (default) or on a
dask.distributed cluster (``scheduler``: an address or a ``Client``); results come back to this
process, which writes them, with at most ``max_in_flight`` chunks outstanding (bounded memory).
"""

from __future__ import annotations

import functools
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from jakstat.errors import InvalidValueError
from jakstat.studies.design import PLACEBO, Arm, TrialConfig, _dose_value, parse_config
from jakstat.studies.endpoints import EndpointContext, exposure, inhibition_endpoints, registered

MANIFEST = "_trial.json"
PART = "part-0.parquet"
ATOL_NM = 1e-8
"""Absolute tolerance of the engine, nM (plasma concentrations of interest are >= 0.01 nM)."""

_ARM_RUNNERS: dict[str, Callable[..., tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]]] = {}
_ARM_INHIBITION: dict[str, Callable[[str, str, np.ndarray], np.ndarray] | None] = {}


def register_arm_runner(drug: str, function: Callable[..., tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]],
                        inhibition: Callable[[str, str, np.ndarray], np.ndarray] | None = None) -> None:
    """Run arms of ``drug`` with ``function(config, arm, patients, times_h, n_threads)``.

    ``function`` returns total and unbound plasma concentration (nM, shape (n_patients, n_times)) and
    per-patient columns (``dose_requested_mg``, ``dose_mg``, ``cl_L_h``, ``status``);
    ``inhibition(drug, cytokine, unbound_nM)`` gives the pathway inhibition (0-1) for the
    ``inhibition`` endpoints; without it those columns are NaN (not known). Pair it with
    :func:`jakstat.studies.design.register_drug_kind` (see :mod:`jakstat.studies.biologic_arms`).
    """
    _ARM_RUNNERS[drug.lower()] = function
    _ARM_INHIBITION[drug.lower()] = inhibition


@dataclass(frozen=True)
class ChunkTask:
    """One unit of work: chunk ``chunk`` of arm ``arm`` (index into the design's arms)."""

    arm: int
    chunk: int
    n_patients: int


def arm_patient_ids(config: TrialConfig, arm: int) -> np.ndarray:
    """Ids of the patients allocated to arm ``arm`` (rotation: ``i mod n_arms == arm``)."""
    return np.arange(arm, config.sample_size, len(config.arms), dtype=np.int64)


def chunk_patient_ids(config: TrialConfig, arm: int, chunk: int) -> np.ndarray:
    ids = arm_patient_ids(config, arm)
    return ids[chunk * config.chunk_size:(chunk + 1) * config.chunk_size]


def plan(config: TrialConfig) -> list[ChunkTask]:
    """Every chunk of the trial, arm by arm."""
    tasks = []
    for a in range(len(config.arms)):
        n = arm_patient_ids(config, a).size
        for c in range(math.ceil(n / config.chunk_size)):
            tasks.append(ChunkTask(a, c, min(config.chunk_size, n - c * config.chunk_size)))
    return tasks


def dose_times_h(arm: Arm) -> np.ndarray:
    """Nominal dose times over the arm's duration, h after the first dose."""
    n = int(math.ceil(arm.duration_days * 24.0 / arm.interval_h - 1e-9))
    return np.arange(n) * arm.interval_h


def output_times_h(arm: Arm, points_per_hour: int) -> np.ndarray:
    """Output times over the last dosing interval (the one that starts with the last dose), h."""
    end = dose_times_h(arm).size * arm.interval_h
    n = int(round(arm.interval_h * points_per_hour))
    return end - arm.interval_h + np.arange(n + 1) * (arm.interval_h / n)


@functools.lru_cache(maxsize=4096)
def _rounded(drug: str, formulation: str, extended: bool, mg: float) -> float:
    from jakstat.pharmacology.regimens import round_dose, strengths

    available, unit, _ = strengths(drug, formulation, extended)
    return round_dose(mg, available, unit)


def patient_doses(arm: Arm, weight_kg: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Requested and given dose per patient, mg (bands or mg/kg, ``max_dose``, rounding to strengths)."""
    weight = np.asarray(weight_kg, dtype=float)
    requested = np.empty(weight.size)
    if arm.bands is not None:
        assigned = np.zeros(weight.size, dtype=bool)
        for band in arm.bands:
            mask = ~assigned & (weight < (band.upto_kg if band.upto_kg is not None else np.inf))
            value, per_kg = _dose_value(band.dose)
            requested[mask] = value * weight[mask] if per_kg else value
            assigned |= mask
    else:
        value, per_kg = _dose_value(arm.dose)  # type: ignore[arg-type]
        requested[:] = value * weight if per_kg else value
    if arm.max_dose is not None:
        requested = np.minimum(requested, _dose_value(arm.max_dose)[0])
    if not arm.round_to_strengths:
        return requested, requested.copy()
    given = np.array([_rounded(arm.drug, arm.formulation, arm.regimen == "XR", round(float(r), 6))
                      for r in requested.tolist()])
    return requested, given


def _small_molecule(config: TrialConfig, arm: Arm, patients: pd.DataFrame, times_h: np.ndarray,
                    n_threads: int | None) -> tuple[np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    from jakstat.engine.batch import simulate_batch
    from jakstat.pharmacology import pk_parameters
    from jakstat.pharmacology.pk_model import CENTRAL_SPECIES
    from jakstat.studies import dosing

    params = pk_parameters(arm.drug)
    weight = patients["weight_kg"].to_numpy()
    P, factors = dosing.parameter_matrix(arm.drug, weight, patients["egfr"].to_numpy(), patients.attrs["pk_z"])
    requested, given = patient_doses(arm, weight)
    times = dose_times_h(arm)
    d1 = (params.zero_order_duration.value * factors["zero_order_duration"]
          if params.zero_order_duration is not None and "zero_order_duration" in factors else None)
    xr = arm.regimen == "XR"
    shared: dict[float, list] = {}
    events = []
    for i, mg in enumerate(given.tolist()):
        if d1 is None:  # the events depend on the dose only: one list per distinct dose
            if mg not in shared:
                shared[mg] = dosing.member_events(arm.drug, times, np.full(times.size, mg), xr, None)
            events.append(shared[mg])
        else:
            events.append(dosing.member_events(arm.drug, times, np.full(times.size, mg), xr, float(d1[i])))
    result = simulate_batch(dosing.solver(arm.drug), times_h * 3600.0, P, events=events, rtol=config.rtol,
                            atol=ATOL_NM, chunk_size=max(1, len(given)), n_threads=n_threads)
    total = result.species(CENTRAL_SPECIES)
    total = np.where(np.abs(total) < 1e-12, 0.0, total)
    clearance = sum(factors.get(name, 1.0) * getattr(params, name).value
                    for name in ("clearance", "renal_clearance", "nonrenal_clearance") if getattr(params, name) is not None)
    extra = {"dose_requested_mg": requested, "dose_mg": given, "cl_L_h": np.broadcast_to(clearance, weight.shape).copy(),
             "status": result.status.astype(np.int8)}
    return total, params.fu.value * total, extra


def simulate_chunk(config: TrialConfig | dict, arm_index: int, chunk_index: int,
                   n_threads: int | None = None) -> pd.DataFrame:
    """Patients, doses and endpoints of one chunk (a pure function of its arguments).

    Parameters
    ----------
    config : TrialConfig or dict
        The design (a dict is validated; this is what a dask worker receives).
    arm_index, chunk_index : int
    n_threads : int, optional
        Engine threads (default: every core; dask workers pass 1).

    Returns
    -------
    pandas.DataFrame
        One row per patient in id order: ``patient_id``, the population columns, ``drug``, ``regimen``,
        ``dose_requested_mg``, ``dose_mg``, ``cl_L_h``, ``status`` (0 = engine success) and the
        endpoint columns (:mod:`jakstat.studies.endpoints`; concentrations nM, times h).
    """
    from jakstat.studies.population import sample_population

    cfg = config if isinstance(config, TrialConfig) else parse_config(config)
    arm = cfg.arms[arm_index]
    ids = chunk_patient_ids(cfg, arm_index, chunk_index)
    patients = sample_population(cfg.population.spec(), ids, cfg.seed)
    times_h = output_times_h(arm, cfg.points_per_hour)
    n = ids.size
    if arm.drug == PLACEBO:
        total = np.zeros((n, times_h.size))
        unbound = total
        extra = {"dose_requested_mg": np.zeros(n), "dose_mg": np.zeros(n), "cl_L_h": np.full(n, np.nan),
                 "status": np.zeros(n, dtype=np.int8)}
        drug = None
    elif arm.drug in _ARM_RUNNERS:
        total, unbound, extra = _ARM_RUNNERS[arm.drug](cfg, arm, patients, times_h, n_threads)
        drug = arm.drug
    else:
        total, unbound, extra = _small_molecule(cfg, arm, patients, times_h, n_threads)
        drug = arm.drug
    columns: dict[str, Any] = {"drug": arm.drug, "regimen": arm.regimen, **extra}
    for endpoint in cfg.endpoints:
        if endpoint.kind == "exposure":
            columns.update(exposure(times_h, total))
        elif endpoint.kind == "inhibition":
            hook = _ARM_INHIBITION.get(drug) if drug in _ARM_RUNNERS else None
            function = None if drug not in _ARM_RUNNERS else (
                functools.partial(hook, drug) if hook is not None else (lambda _c, c: np.full_like(c, np.nan)))
            columns.update(inhibition_endpoints(drug, endpoint.cytokine, times_h, unbound,  # type: ignore[arg-type]
                                                tuple(endpoint.thresholds), function))
        else:
            function = registered(endpoint.kind)
            columns.update(function(EndpointContext(drug, times_h, total, unbound, patients,  # type: ignore[misc]
                                                    endpoint.model_dump())))
    frame = patients.copy()
    frame.attrs = {}
    for key, value in columns.items():
        frame[key] = value
    return frame


def chunk_path(out: Path, config: TrialConfig, task: ChunkTask) -> Path:
    return out / f"arm={config.arms[task.arm].name}" / f"chunk={task.chunk}" / PART


def write_chunk(path: Path, frame: pd.DataFrame) -> None:
    """Write ``frame`` to ``path`` atomically (hidden temporary file, fsync, rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".{path.name}.tmp-{os.getpid()}"
    frame.to_parquet(tmp, index=False)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def _prepare(out: Path, config: TrialConfig, resume: bool) -> None:
    manifest = out / MANIFEST
    if resume:
        if not manifest.exists():
            raise InvalidValueError(f"--resume: {str(out)!r} holds no trial ({MANIFEST} missing); run without --resume")
        stored = json.loads(manifest.read_text())
        if stored.get("fingerprint") != config.fingerprint():
            raise InvalidValueError(f"--resume: the design differs from the one {str(out)!r} was started with "
                                    f"({stored.get('name')!r}); use the same config or a new --out folder")
        for stale in out.glob("arm=*/chunk=*/.*.tmp-*"):
            stale.unlink()
        return
    if out.exists() and any(out.iterdir()):
        raise InvalidValueError(f"--out {str(out)!r} is not empty; use --resume to continue the trial there, "
                                "or give a new folder")
    out.mkdir(parents=True, exist_ok=True)
    body = {"name": config.name, "fingerprint": config.fingerprint(), "config": config.model_dump(mode="json"),
            "chunks": len(plan(config))}
    tmp = out / f".{MANIFEST}.tmp"
    tmp.write_text(json.dumps(body, indent=1))
    os.replace(tmp, manifest)


@dataclass(frozen=True)
class RunReport:
    """What a run did: chunks computed now, chunks found complete, patients written now."""

    out: Path
    computed: int
    skipped: int
    patients: int


def run_trial(config: TrialConfig | dict, out: str | Path, *, resume: bool = False, scheduler: Any = None,
              progress: bool = False, n_threads: int | None = None, max_in_flight: int | None = None,
              on_chunk: Callable[[ChunkTask], None] | None = None) -> RunReport:
    """Run (or resume) a trial into the Parquet dataset ``out``.

    Parameters
    ----------
    config : TrialConfig or dict
    out : path
        Output folder; must be empty or absent unless ``resume``.
    resume : bool
        Continue a run in ``out`` (same design): complete chunks are kept, the rest computed.
    scheduler : str or distributed.Client, optional
        Run the chunks on a dask.distributed cluster (address such as ``tcp://host:8786``, or a client).
    progress : bool
        Show a rich progress bar (patients).
    n_threads : int, optional
        Engine threads for local runs (default: every core).
    max_in_flight : int, optional
        Chunks outstanding on the cluster at once (default: 2 per worker thread).
    on_chunk : callable, optional
        Called after each chunk is written (tests use it).

    Returns
    -------
    RunReport
    """
    cfg = config if isinstance(config, TrialConfig) else parse_config(config)
    out = Path(out)
    _prepare(out, cfg, resume)
    tasks = plan(cfg)
    todo = [t for t in tasks if not chunk_path(out, cfg, t).exists()]
    skipped = len(tasks) - len(todo)
    bar = _progress(progress, cfg, sum(t.n_patients for t in tasks), sum(t.n_patients for t in tasks if t not in todo))
    written = 0

    def done(task: ChunkTask, frame: pd.DataFrame) -> None:
        nonlocal written
        write_chunk(chunk_path(out, cfg, task), frame)
        written += len(frame)
        if bar is not None:
            bar[0].advance(bar[1], len(frame))
        if on_chunk is not None:
            on_chunk(task)

    try:
        if scheduler is None:
            for task in todo:
                done(task, simulate_chunk(cfg, task.arm, task.chunk, n_threads))
        else:
            _run_dask(cfg, todo, scheduler, max_in_flight, done)
    finally:
        if bar is not None:
            bar[0].stop()
    return RunReport(out, len(todo), skipped, written)


def _run_dask(cfg: TrialConfig, todo: list[ChunkTask], scheduler: Any, max_in_flight: int | None, done) -> None:
    from distributed import Client, as_completed

    client = scheduler if isinstance(scheduler, Client) else Client(scheduler)
    try:
        payload = cfg.model_dump(mode="json")
        workers = sum(client.nthreads().values()) or 1
        window = max_in_flight or 2 * workers
        queue = list(todo)
        futures = {}

        def submit() -> None:
            task = queue.pop(0)
            future = client.submit(simulate_chunk, payload, task.arm, task.chunk, 1, pure=False)
            futures[future] = task
            pending.add(future)

        pending = as_completed()
        for _ in range(min(window, len(queue))):
            submit()
        for future in pending:
            task = futures.pop(future)
            frame = future.result()
            done(task, frame)
            del frame
            if queue:
                submit()
    finally:
        if client is not scheduler:
            client.close()


def _progress(show: bool, cfg: TrialConfig, total: int, completed: int):
    if not show:
        return None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

    bar = Progress(TextColumn(f"[bold]{cfg.name}[/] patients"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), TimeRemainingColumn(), transient=False)
    bar.start()
    return bar, bar.add_task("patients", total=total, completed=completed)


def read_results(out: str | Path) -> pd.DataFrame:
    """The trial's patients, sorted by ``patient_id`` (``arm`` and ``chunk`` from the partition folders)."""
    frame = pd.read_parquet(Path(out))
    frame["arm"] = frame["arm"].astype(str)
    frame["chunk"] = frame["chunk"].astype(int)
    return frame.sort_values("patient_id").reset_index(drop=True)


def summary(frame: pd.DataFrame) -> pd.DataFrame:
    """Per arm: patients, engine failures, and median [5th-95th percentile] of every endpoint column."""
    skip = {"patient_id", "chunk", "status", "age_y", "height_cm", "weight_kg", "creatinine_mg_dl", "egfr",
            "interferon_signature", "dose_requested_mg"}
    numeric = [c for c in frame.columns if c not in skip and pd.api.types.is_numeric_dtype(frame[c])]
    rows = []
    for arm, part in frame.groupby("arm", sort=False, observed=True):
        row: dict[str, Any] = {"arm": arm, "drug": part["drug"].iloc[0], "patients": len(part),
                               "failed": int((part["status"] != 0).sum())}
        for column in numeric:
            q = part[column].quantile([0.05, 0.5, 0.95]).to_numpy()
            row[column] = f"{q[1]:.3g} [{q[0]:.3g}-{q[2]:.3g}]"
        rows.append(row)
    return pd.DataFrame(rows)
