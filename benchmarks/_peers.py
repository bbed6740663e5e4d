"""The tools of the side-by-side benchmark, each run in a process of its own (see batch_vs_roadrunner.py).

Every tool gets the same ``spec`` (model, SBML, parameter sets, output times, tolerances) and
implements three calls: ``setup()`` (compile or load; timed apart), ``run()`` (the whole batch,
timed; may be called several times) and ``finish()`` (states of the accuracy subset, failures,
peak memory). A tool process answers commands over a pipe, so the driver can interleave the
repeats of all tools (fairer on a shared, noisy machine than running each tool's repeats
back to back).
"""

from __future__ import annotations

import resource
import time

import numpy as np


def peak_rss_mib() -> float:
    """Peak resident memory of this process, MiB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Jakstat:
    """jakstat's batched engine (Rodas5P, sparse LU, all members streamed in chunks, two threads)."""

    label = "jakstat batch (2 threads)"

    def __init__(self, spec: dict) -> None:
        self.spec = spec

    def setup(self) -> None:
        from batch_vs_roadrunner import build_model  # the driver's model registry
        from jakstat.compile.codegen import compile_network
        from jakstat.engine.batch import BatchSolver

        net, _ = build_model(self.spec["model"])
        self.model = compile_network(net)
        self.solver = BatchSolver(self.model, method=self.spec.get("method", "Rodas5P"))
        self.compile_seconds = self.solver.compile_seconds
        self._batch(self.spec["P"][:64])  # first call (thread pool, page faults) out of the timing

    def _batch(self, P):
        from jakstat.engine.batch import iter_batch

        keep = {int(i): k for k, i in enumerate(self.spec["subset"])}
        subset = np.full((len(keep), self.spec["times"].size, len(self.spec["species"])), np.nan)
        columns = [self.model.species_ids.index(s) for s in self.spec["species"]]
        failed = 0
        for chunk in iter_batch(self.solver, self.spec["times"], P, rtol=self.spec["rtol"], atol=self.spec["atol"],
                                max_steps=self.spec["max_steps"], chunk_size=1024, n_threads=2):
            failed += chunk.n_failed
            for m in range(chunk.states.shape[0]):
                if chunk.start + m in keep:
                    subset[keep[chunk.start + m]] = chunk.states[m][:, columns]
        return subset, failed

    def run(self) -> float:
        start = time.perf_counter()
        self.subset, self.failed = self._batch(self.spec["P"])
        return time.perf_counter() - start

    def finish(self) -> dict:
        return {"subset": self.subset, "failed": self.failed, "peak_mib": peak_rss_mib(),
                "setup_s": self.compile_seconds}


def _new_roadrunner(sbml: str, rtol: float, atol: float, max_steps: int):
    import roadrunner

    rr = roadrunner.RoadRunner(sbml)
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    rr.integrator.maximum_num_steps = max_steps
    return rr


def roadrunner_batch(rr, spec: dict, members: np.ndarray) -> tuple[dict, int]:
    """Simulate ``members`` one after another; the states of those in the accuracy subset, and failures."""
    keep = set(int(i) for i in spec["subset"])
    cols = spec["rr_columns"]
    t_end, n_t = float(spec["times"][-1]), int(spec["times"].size)
    columns = None
    kept, failed = {}, 0
    for m in members:
        rr.reset()
        rr.model.setGlobalParameterValues(spec["P"][m, cols])
        try:
            result = rr.simulate(0.0, t_end, n_t)
        except RuntimeError:
            failed += 1
            continue
        if int(m) in keep:
            if columns is None:
                names = [c.strip("[]") for c in result.colnames]
                columns = [names.index(s) for s in spec["species"]]
            kept[int(m)] = np.asarray(result)[:, columns]
    return kept, failed


class RoadRunnerLoop:
    """libRoadRunner (LLVM-compiled SBML, CVODE), one model, a plain Python loop over the members."""

    label = "libRoadRunner loop"

    def __init__(self, spec: dict) -> None:
        self.spec = spec

    def setup(self) -> None:
        start = time.perf_counter()
        self.rr = _new_roadrunner(self.spec["sbml"], self.spec["rtol"], self.spec["atol"], self.spec["max_steps"])
        self.setup_s = time.perf_counter() - start
        roadrunner_batch(self.rr, self.spec, np.arange(min(8, self.spec["P"].shape[0])))

    def run(self) -> float:
        start = time.perf_counter()
        self.kept, self.failed = roadrunner_batch(self.rr, self.spec, np.arange(self.spec["P"].shape[0]))
        return time.perf_counter() - start

    def finish(self) -> dict:
        return {"subset": _stack(self.kept, self.spec), "failed": self.failed, "peak_mib": peak_rss_mib(),
                "setup_s": self.setup_s}


_WORKER = {}


def _worker_init(spec: dict) -> None:
    _WORKER["spec"] = spec
    _WORKER["rr"] = _new_roadrunner(spec["sbml"], spec["rtol"], spec["atol"], spec["max_steps"])


def _worker_run(members: np.ndarray):
    return roadrunner_batch(_WORKER["rr"], _WORKER["spec"], members)


def _worker_peak(_: int) -> float:
    time.sleep(0.2)  # so that each worker takes one of the calls
    return peak_rss_mib()


class RoadRunnerPool:
    """libRoadRunner in two worker processes (multiprocessing, one RoadRunner per worker), members in blocks."""

    label = "libRoadRunner, 2 worker processes"

    def __init__(self, spec: dict) -> None:
        self.spec = spec

    def setup(self) -> None:
        import multiprocessing

        start = time.perf_counter()
        self.pool = multiprocessing.get_context("spawn").Pool(2, initializer=_worker_init, initargs=(self.spec,))
        self.pool.map(_worker_run, [np.arange(4), np.arange(4, 8)])  # both workers loaded and warm
        self.setup_s = time.perf_counter() - start

    def run(self) -> float:
        n = self.spec["P"].shape[0]
        blocks = np.array_split(np.arange(n), max(1, n // 250))
        start = time.perf_counter()
        parts = self.pool.map(_worker_run, blocks, chunksize=1)
        elapsed = time.perf_counter() - start
        self.kept = {k: v for kept, _ in parts for k, v in kept.items()}
        self.failed = sum(f for _, f in parts)
        return elapsed

    def finish(self) -> dict:
        workers = self.pool.map(_worker_peak, [0, 1], chunksize=1)
        self.pool.close()
        self.pool.join()
        return {"subset": _stack(self.kept, self.spec), "failed": self.failed,
                "peak_mib": peak_rss_mib() + sum(workers), "setup_s": self.setup_s}


class Amici:
    """HOOK, not run in this benchmark yet: AMICI (CVODES, C++ model code generated from the SBML).

    To add it: ``apt-get install -y libhdf5-dev swig``, ``pip install amici swig`` into the venv (about
    8 minutes on 2 cores; see ../shared/BENCHMARKING.md), then in ``setup`` import the SBML with
    ``amici.SbmlImporter(sbml).sbml2amici(name, outdir)`` (timed apart, as compile time), load the
    model, set ``solver.setRelativeTolerance``/``setAbsoluteTolerance``/``setMaxSteps``, and in ``run``
    loop ``model.setParameters(P[m, amici_columns])``, ``amici.runAmiciSimulation(model, solver)``,
    keeping ``rdata.x`` of the subset members. Register the class in ``TOOLS`` of the driver.
    """

    label = "AMICI (not run: hook only)"

    def __init__(self, spec: dict) -> None:
        raise NotImplementedError("AMICI is not installed in this environment; see the Amici class docstring")


def _stack(kept: dict, spec: dict) -> np.ndarray:
    out = np.full((len(spec["subset"]), spec["times"].size, len(spec["species"])), np.nan)
    for k, m in enumerate(spec["subset"]):
        if int(m) in kept:
            out[k] = kept[int(m)]
    return out


TOOLS = {"jakstat": Jakstat, "rr_loop": RoadRunnerLoop, "rr_pool": RoadRunnerPool}


def serve(name: str, spec: dict, conn) -> None:
    """Tool process main loop: ``setup`` once, then answer ``run``/``finish`` commands."""
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    try:
        tool = TOOLS[name](spec)
        tool.setup()
        conn.send(("ready", None))
        while True:
            command = conn.recv()
            if command == "run":
                conn.send(("time", tool.run()))
            elif command == "finish":
                conn.send(("result", tool.finish()))
                return
    except Exception as exc:  # report, do not hang the driver
        import traceback

        conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
