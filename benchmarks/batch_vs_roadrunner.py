"""jakstat's batched engine side by side with libRoadRunner (a loop, and two worker processes).

For each model: N parameter sets (every model parameter times a log-normal factor, sigma 0.2,
seed 12345; compartment sizes unchanged), the same tolerances for every tool (rtol 1e-6, atol
1e-10), 100 output points over 240 min. Each tool runs in its own process (compile or model
loading timed apart); the timed batches of all tools are interleaved, ``--repeats`` times, and
the median is reported. Accuracy: on a subset of members, the largest relative error of each tool
against a tight reference (CVODE at rtol 1e-12, itself checked against SciPy Radau at rtol 1e-12
on a few members), over values above 1e-6 of their species' maximum and above 1e3 atol.
Peak memory: the tool process's peak resident set (plus its workers'). Results are written to
``benchmarks/results/<model>.md``.

Usage::

    .venv/bin/python benchmarks/batch_vs_roadrunner.py                      # all models, N = 10,000
    .venv/bin/python benchmarks/batch_vs_roadrunner.py --models fibroblast --n 1000 --repeats 1

AMICI is not run (it needs an 8-minute source build): see the ``Amici`` hook in ``_peers.py``.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PETAB = HERE.parent.parent / "shared" / "external" / "petab"
PETAB_FOLDERS = {"boehm": "Boehm_JProteomeRes2014", "bachmann": "Bachmann_MSB2011"}
T_END_S = 240 * 60.0
N_OUTPUTS = 100
SIGMA, SEED = 0.2, 12345
RTOL, ATOL, MAX_STEPS = 1e-6, 1e-10, 100_000
REF_RTOL, REF_ATOL = 1e-12, 1e-16
TOOL_ORDER = ("jakstat", "rr_loop", "rr_pool")


def build_model(name: str):
    """``(network, seconds per model time unit)`` of a benchmark model."""
    if name == "fibroblast":
        from jakstat.api import Scenario, prepare_network

        return prepare_network(Scenario(cytokines=(("IL-6", "10 ng/mL"),))), 1.0
    if name in PETAB_FOLDERS:
        try:
            from jakstat.compile.petab_problem import load_petab, read_petab
            from jakstat.compile.sbml_import import sbml_time_unit
        except ImportError as exc:  # the PEtab importer is not there yet
            raise RuntimeError(f"model {name!r} needs jakstat.compile.petab_problem: {exc}") from None
        folder = PETAB / PETAB_FOLDERS[name]
        seconds = sbml_time_unit(read_petab(folder).sbml_path)[1]
        return load_petab(folder), float(seconds or 1.0)
    raise ValueError(f"unknown model {name!r}; known: fibroblast, {', '.join(PETAB_FOLDERS)}")


def make_spec(name: str, n: int, n_subset: int) -> dict:
    """Everything the tools share: SBML, parameter sets, output times, tolerances, the accuracy subset."""
    import roadrunner

    from jakstat.compile.codegen import compile_network
    from jakstat.compile.sbml_export import network_to_sbml

    net, seconds = build_model(name)
    model = compile_network(net)
    sbml = network_to_sbml(net)
    rr = roadrunner.RoadRunner(sbml)
    rr_ids = list(rr.model.getGlobalParameterIds())
    floating = set(rr.model.getFloatingSpeciesIds())
    rng = np.random.default_rng(SEED)
    n_par = len(net.parameters)  # p = parameters, then compartment sizes (not perturbed)
    factors = np.ones((n, model.p0.size))
    factors[:, :n_par] = np.exp(SIGMA * rng.standard_normal((n, n_par)))
    return {
        "model": name, "sbml": sbml, "P": model.p0 * factors,
        "times": np.linspace(0.0, T_END_S / seconds, N_OUTPUTS), "time_unit_s": seconds,
        "rtol": RTOL, "atol": ATOL, "max_steps": MAX_STEPS,
        "subset": np.linspace(0, n - 1, min(n_subset, n)).astype(int),
        "species": [s for s in model.species_ids if s in floating],
        "rr_columns": np.array([model.parameter_ids.index(i) for i in rr_ids]),
        "n_species": len(model.species_ids), "n_jac": int(model.jac_sparsity.nnz),
    }


def reference(spec: dict, n_check: int = 5) -> tuple[np.ndarray, float]:
    """CVODE at rtol 1e-12 on the subset, and its largest relative difference from SciPy Radau (rtol 1e-12)."""
    sys.path.insert(0, str(HERE))
    from _peers import _new_roadrunner, _stack, roadrunner_batch

    from jakstat.compile.codegen import compile_network
    from jakstat.engine.integrate import SolverOptions, integrate

    rr = _new_roadrunner(spec["sbml"], REF_RTOL, REF_ATOL, 10 * MAX_STEPS)
    kept, _ = roadrunner_batch(rr, spec, spec["subset"])
    ref = _stack(kept, spec)
    model = compile_network(build_model(spec["model"])[0])
    columns = [model.species_ids.index(s) for s in spec["species"]]
    worst = 0.0
    for k, m in enumerate(spec["subset"][:n_check]):
        if not np.all(np.isfinite(ref[k])):
            continue
        try:
            radau = integrate(model, spec["times"], p=spec["P"][m],
                              options=SolverOptions(method="Radau", rtol=REF_RTOL, atol=REF_ATOL))[:, columns]
        except Exception:  # noqa: BLE001 - a member SciPy cannot do is skipped, not fatal
            continue
        worst = max(worst, max_relative_error(radau, ref[k]))
    return ref, worst


def max_relative_error(reference: np.ndarray, other: np.ndarray, atol: float = ATOL) -> float:
    """Largest relative error over values above 1e-6 of their species' maximum and above 1e3 atol."""
    peak = np.abs(reference).max(axis=0)
    mask = (np.abs(reference) > 1e-6 * peak) & (np.abs(reference) > 1e3 * atol)
    if not mask.any():
        return 0.0
    return float((np.abs(other - reference)[mask] / np.abs(reference)[mask]).max())


def accuracy(ref: np.ndarray, subset: np.ndarray) -> dict:
    errors = [max_relative_error(r, s) for r, s in zip(ref, subset)
              if np.all(np.isfinite(r)) and np.all(np.isfinite(s))]
    if not errors:
        return {"median": float("nan"), "max": float("nan"), "compared": 0}
    return {"median": float(np.median(errors)), "max": float(np.max(errors)), "compared": len(errors)}


def run_tools(spec: dict, tools: tuple[str, ...], repeats: int) -> dict:
    """Start one process per tool (setups one at a time), interleave the timed runs, collect results."""
    from _peers import serve

    ctx = multiprocessing.get_context("spawn")
    procs = {}
    for name in tools:
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=serve, args=(name, spec, child))
        proc.start()
        kind, value = parent.recv()
        if kind == "error":
            raise RuntimeError(f"{name} failed in setup: {value}")
        procs[name] = (proc, parent)
    times = {name: [] for name in tools}
    for r in range(repeats):
        order = tools[r % len(tools):] + tools[:r % len(tools)]  # rotate who goes first
        for name in order:
            procs[name][1].send("run")
            kind, value = procs[name][1].recv()
            if kind == "error":
                raise RuntimeError(f"{name} failed: {value}")
            times[name].append(value)
    results = {}
    for name in tools:
        proc, conn = procs[name]
        conn.send("finish")
        kind, value = conn.recv()
        if kind == "error":
            raise RuntimeError(f"{name} failed: {value}")
        proc.join()
        value["seconds"] = times[name]
        results[name] = value
    return results


def report(spec: dict, results: dict, ref_check: float, ref: np.ndarray, load: tuple, out_dir: Path) -> str:
    from _peers import TOOLS

    n = spec["P"].shape[0]
    rate = {name: n / float(np.median(r["seconds"])) for name, r in results.items()}
    acc = {name: accuracy(ref, r["subset"]) for name, r in results.items()}
    peers = [name for name in results if name != "jakstat"]
    fastest = max(peers, key=lambda name: rate[name]) if peers else None
    rows = ["| tool | sims/s | jakstat speed-up | failed | setup (s) | peak RSS (MiB) | max rel. error, median | "
            "max rel. error, worst | members compared |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for name, r in results.items():
        ratio = "" if name == "jakstat" else f"{rate['jakstat'] / rate[name]:.1f}x"
        rows.append(f"| {TOOLS[name].label} | {rate[name]:,.0f} | {ratio} | {r['failed']} | {r['setup_s']:.2f} | "
                    f"{r['peak_mib']:.0f} | {acc[name]['median']:.2e} | {acc[name]['max']:.2e} | "
                    f"{acc[name]['compared']} |")
    rows.append("| AMICI | not run (hook in `_peers.py`; needs an 8-minute source build) | | | | | | | |")
    speedup = rate["jakstat"] / rate[fastest] if fastest else float("nan")
    as_accurate = all(acc["jakstat"][k] <= acc[p][k] for p in peers for k in ("median", "max"))
    lines = [
        f"# {spec['model']}: jakstat batch vs libRoadRunner",
        "",
        f"{datetime.datetime.now().isoformat(timespec='minutes')}, {platform.platform()}, "
        f"{os.cpu_count()} cores (shared), Python {platform.python_version()}; load average "
        f"{load[0]:.2f} before, {load[1]:.2f} after.",
        "",
        f"{spec['n_species']} species ({spec['n_jac']} Jacobian non-zeros); {n:,} parameter sets (log-normal "
        f"factors, sigma {SIGMA}, seed {SEED}); rtol {RTOL:g}, atol {ATOL:g}; {N_OUTPUTS} outputs over 240 min "
        f"(model time unit {spec['time_unit_s']:g} s); median of {len(results['jakstat']['seconds'])} interleaved "
        f"repeats. Accuracy over {len(spec['subset'])} members against CVODE at rtol {REF_RTOL:g} (which differs "
        f"from SciPy Radau at rtol {REF_RTOL:g} by at most {ref_check:.1e} on 5 members).",
        "",
        *rows,
        "",
        f"Fastest peer: {TOOLS[fastest].label if fastest else '-'}; jakstat speed-up over it: **{speedup:.1f}x** "
        f"(target 5x); jakstat at least as accurate as every peer (median and worst): "
        f"**{'yes' if as_accurate else 'no'}**.",
        "",
        "Timed runs (s): " + "; ".join(f"{name} " + ", ".join(f"{s:.2f}" for s in r["seconds"])
                                       for name, r in results.items()),
        "",
    ]
    text = "\n".join(lines)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / f"{spec['model']}.md").write_text(text)
    return text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--models", nargs="+", default=["fibroblast", "boehm", "bachmann"])
    parser.add_argument("--n", type=int, default=10_000, help="parameter sets per model (default 10,000)")
    parser.add_argument("--subset", type=int, default=50, help="members in the accuracy comparison")
    parser.add_argument("--repeats", type=int, default=3, help="timed repeats per tool (median reported)")
    parser.add_argument("--tools", nargs="+", default=list(TOOL_ORDER), choices=TOOL_ORDER)
    parser.add_argument("--out", type=Path, default=HERE / "results")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    for name in args.models:
        try:
            spec = make_spec(name, args.n, args.subset)
        except RuntimeError as exc:
            print(f"skipping {name}: {exc}", flush=True)
            continue
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        results = run_tools(spec, tuple(args.tools), args.repeats)
        ref, ref_check = reference(spec)
        text = report(spec, results, ref_check, ref, (load_before, os.getloadavg()[0]), args.out)
        print(text, f"({time.perf_counter() - start:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
