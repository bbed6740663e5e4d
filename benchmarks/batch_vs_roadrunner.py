"""jakstat's batched engine side by side with libRoadRunner (a loop, and two worker processes) and AMICI.

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

AMICI (runAmiciSimulations, two OpenMP threads) needs a source build, kept out of the project's
test environment: install it into a virtualenv of its own (``pip install -e '.[benchmark]'``, see
``benchmarks/README.md``) and name that interpreter with ``--amici-python`` (or the environment
variable ``JAKSTAT_AMICI_PYTHON``); the AMICI tool process then runs under it, the others under the
driver's interpreter. Without an interpreter that can import amici, AMICI is skipped with a note.
"""

from __future__ import annotations

import argparse
import datetime
import multiprocessing
import os
import platform
import secrets
import subprocess
import sys
import tempfile
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
TOOL_ORDER = ("jakstat", "rr_loop", "rr_pool", "amici")


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
        "parameter_ids": list(model.parameter_ids),
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


class _ExternalTool:
    """A tool process under another interpreter (AMICI's virtualenv), speaking the same pipe protocol.

    The driver listens on a Unix socket in a fresh temporary folder, starts ``python _peers.py NAME
    SOCKET`` with that interpreter's folder first on PATH (AMICI's model import must find the SWIG it was
    built with), and sends the spec once the process has connected.
    """

    def __init__(self, python: str, name: str, spec: dict) -> None:
        from multiprocessing.connection import Listener

        self._folder = tempfile.mkdtemp(prefix="jakstat-bench-")
        address = os.path.join(self._folder, "tool.sock")
        key = secrets.token_hex(16)
        env = dict(os.environ, JAKSTAT_BENCH_KEY=key,
                   PATH=os.path.dirname(os.path.abspath(python)) + os.pathsep + os.environ.get("PATH", ""))
        env.pop("PYTHONPATH", None)  # the other interpreter's own packages, not the driver's
        with Listener(address, family="AF_UNIX", authkey=key.encode()) as listener:
            self.proc = subprocess.Popen([python, str(HERE / "_peers.py"), name, address], env=env)
            self.conn = listener.accept()
        self.conn.send(spec)

    def join(self) -> None:
        try:
            self.proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        import shutil

        shutil.rmtree(self._folder, ignore_errors=True)


def amici_python(requested: str | None) -> tuple[str | None, str]:
    """The interpreter to run AMICI under, or ``None`` and why not.

    ``requested`` (``--amici-python``), else ``$JAKSTAT_AMICI_PYTHON``, else the driver's own interpreter;
    it must be able to import amici.
    """
    python = requested or os.environ.get("JAKSTAT_AMICI_PYTHON") or sys.executable
    try:
        found = subprocess.run([python, "-c", "import amici; print(amici.__version__)"], capture_output=True,
                               text=True, timeout=300)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return None, f"{python} could not be run ({exc})"
    if found.returncode != 0:
        return None, f"{python} cannot import amici (see benchmarks/README.md)"
    return python, found.stdout.strip()


def run_tools(spec: dict, tools: tuple[str, ...], repeats: int, external: dict | None = None) -> dict:
    """Start one process per tool (setups one at a time), interleave the timed runs, collect results.

    ``external`` maps a tool name to the interpreter its process runs under, when that is not the
    driver's own (AMICI in its own virtualenv).
    """
    from _peers import serve

    external = external or {}
    ctx = multiprocessing.get_context("spawn")
    procs = {}
    try:
        for name in tools:
            # abspath, not realpath: two virtualenvs' pythons link to the same binary
            if name in external and os.path.abspath(external[name]) != os.path.abspath(sys.executable):
                proc = _ExternalTool(external[name], name, spec)
                parent = proc.conn
            else:
                parent, child = ctx.Pipe()
                proc = ctx.Process(target=serve, args=(name, spec, child))
                proc.start()
            procs[name] = (proc, parent)
            kind, value = parent.recv()
            if kind == "error":
                raise RuntimeError(f"{name} failed in setup: {value}")
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
    except BaseException:
        for proc, conn in procs.values():  # a closed pipe ends a tool's loop (and its pool), so no process hangs
            conn.close()
        for proc, _ in procs.values():
            proc.join(timeout=30) if isinstance(proc, multiprocessing.process.BaseProcess) else proc.join()
        raise


def report(spec: dict, results: dict, ref_check: float, ref: np.ndarray, load: tuple, out_dir: Path,
           not_run: dict | None = None) -> str:
    """Write ``results/<model>.md``; ``not_run`` maps a tool left out to the reason, shown as a row."""
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
    for name, why in (not_run or {}).items():
        rows.append(f"| {TOOLS[name].label} | not run: {why} | | | | | | | |")
    speedup = rate["jakstat"] / rate[fastest] if fastest else float("nan")
    as_accurate = all(acc["jakstat"][k] <= acc[p][k] for p in peers for k in ("median", "max"))
    lines = [
        f"# {spec['model']}: jakstat batch vs libRoadRunner" + (" and AMICI" if "amici" in results else ""),
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
        "Versions: " + ", ".join(dict.fromkeys(r["version"] for r in results.values() if r.get("version")))
        + ". Setup: jakstat's numba compilation, libRoadRunner's SBML loading (and the pool's start), AMICI's "
        "SBML import, code generation and C++ compilation (without sensitivity code).",
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
    parser.add_argument("--amici-python", default=None,
                        help="interpreter of the virtualenv AMICI is installed in (default: $JAKSTAT_AMICI_PYTHON, "
                             "else this interpreter)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(HERE))
    tools, external, not_run = tuple(args.tools), {}, {}
    if "amici" in tools:
        python, detail = amici_python(args.amici_python)
        if python is None:
            print(f"AMICI not run: {detail}", flush=True)
            tools, not_run = tuple(t for t in tools if t != "amici"), {"amici": detail}
        else:
            print(f"AMICI {detail} under {python}", flush=True)
            external["amici"] = python
    for name in args.models:
        try:
            spec = make_spec(name, args.n, args.subset)
        except RuntimeError as exc:
            print(f"skipping {name}: {exc}", flush=True)
            continue
        load_before = os.getloadavg()[0]
        start = time.perf_counter()
        results = run_tools(spec, tools, args.repeats, external)
        ref, ref_check = reference(spec)
        text = report(spec, results, ref_check, ref, (load_before, os.getloadavg()[0]), args.out, not_run)
        print(text, f"({time.perf_counter() - start:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
