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
        import numba

        return {"subset": self.subset, "failed": self.failed, "peak_mib": peak_rss_mib(),
                "setup_s": self.compile_seconds, "version": f"numba {numba.__version__}"}


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
        import roadrunner

        return {"subset": _stack(self.kept, self.spec), "failed": self.failed, "peak_mib": peak_rss_mib(),
                "setup_s": self.setup_s, "version": f"libRoadRunner {roadrunner.__version__}"}


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
    """AMICI (SBML imported into generated C++ model code, CVODES with KLU), ``run_simulations`` with two
    OpenMP threads.

    The same SBML as libRoadRunner's; every SBML parameter a free parameter of the AMICI model, set per
    member through ``ExpData.free_parameters`` (linear scale). AMICI's defaults otherwise (conservation
    laws eliminated where found, none in these three models; its default observables, one per state and
    compartment). Setup: SBML import, code generation and C++
    compilation into a temporary folder, without sensitivity code (not used here). Members run in
    chunks of 1,024 (``run_simulations`` returns every member's full result; chunks bound the memory).
    Needs AMICI (a source build) in the interpreter running this process: see benchmarks/README.md.
    """

    label = "AMICI, 2 OpenMP threads"
    chunk_size = 1024

    def __init__(self, spec: dict) -> None:
        self.spec = spec

    def setup(self) -> None:
        import os
        import sys
        import tempfile

        # model import runs SWIG, which must be the one AMICI was built with: this interpreter's
        os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")
        import amici
        from amici.importers.sbml import SbmlImporter
        from amici.sim import sundials

        self.sundials = sundials
        self.version = f"AMICI {amici.__version__}"
        self.folder = tempfile.TemporaryDirectory(prefix="jakstat-amici-")
        name = f"bench_{self.spec['model']}"
        start = time.perf_counter()
        SbmlImporter(self.spec["sbml"], from_file=False).sbml2amici(
            name, self.folder.name, generate_sensitivity_code=False, verbose=False)
        module = sundials.import_model_module(name, self.folder.name)
        self.setup_s = time.perf_counter() - start
        self.model = module.get_model()
        self.model.set_timepoints(np.asarray(self.spec["times"], dtype=float))
        self.solver = self.model.create_solver()
        self.solver.set_relative_tolerance(self.spec["rtol"])
        self.solver.set_absolute_tolerance(self.spec["atol"])
        self.solver.set_max_steps(self.spec["max_steps"])
        ids = list(self.model.get_free_parameter_ids())
        self.columns = np.array([self.spec["parameter_ids"].index(i) for i in ids])
        states = list(self.model.get_state_ids())
        self.state_columns = [states.index(s) for s in self.spec["species"]]
        if len(ids) != len(self.spec["rr_columns"]) or self.model.get_fixed_parameter_ids():
            raise RuntimeError(f"AMICI sees parameters {ids}, fixed {list(self.model.get_fixed_parameter_ids())}; "
                               f"the SBML has {len(self.spec['rr_columns'])}")
        self._batch(np.arange(min(8, self.spec["P"].shape[0])))  # first call out of the timing

    def _batch(self, members: np.ndarray) -> tuple[dict, int]:
        sundials = self.sundials
        keep = set(int(i) for i in self.spec["subset"])
        kept, failed = {}, 0
        for start in range(0, members.size, self.chunk_size):
            block = members[start:start + self.chunk_size]
            edatas = []
            for m in block:
                edata = sundials.ExpData(self.model)
                edata.free_parameters = self.spec["P"][m, self.columns]
                edatas.append(edata)
            results = sundials.run_simulations(self.model, self.solver, edatas, failfast=False, num_threads=2)
            for m, rdata in zip(block, results):
                if rdata.status != sundials.AMICI_SUCCESS:
                    failed += 1
                elif int(m) in keep:
                    kept[int(m)] = np.array(rdata.x)[:, self.state_columns]
        return kept, failed

    def run(self) -> float:
        start = time.perf_counter()
        self.kept, self.failed = self._batch(np.arange(self.spec["P"].shape[0]))
        return time.perf_counter() - start

    def finish(self) -> dict:
        out = {"subset": _stack(self.kept, self.spec), "failed": self.failed, "peak_mib": peak_rss_mib(),
               "setup_s": self.setup_s, "version": self.version}
        self.folder.cleanup()
        return out


def _stack(kept: dict, spec: dict) -> np.ndarray:
    out = np.full((len(spec["subset"]), spec["times"].size, len(spec["species"])), np.nan)
    for k, m in enumerate(spec["subset"]):
        if int(m) in kept:
            out[k] = kept[int(m)]
    return out


TOOLS = {"jakstat": Jakstat, "rr_loop": RoadRunnerLoop, "rr_pool": RoadRunnerPool, "amici": Amici}


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
            try:
                command = conn.recv()
            except EOFError:  # the driver gave up (another tool failed): end quietly
                return
            if command == "run":
                conn.send(("time", tool.run()))
            elif command == "finish":
                conn.send(("result", tool.finish()))
                return
    except Exception as exc:  # report, do not hang the driver
        import traceback

        try:
            conn.send(("error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc()}"))
        except OSError:
            pass


def _serve_external(name: str, address: str) -> None:
    """Entry point of a tool process started under another interpreter (see ``_ExternalTool`` in the driver)."""
    import os
    from multiprocessing.connection import Client

    conn = Client(address, family="AF_UNIX", authkey=os.environ["JAKSTAT_BENCH_KEY"].encode())
    serve(name, conn.recv(), conn)


if __name__ == "__main__":
    import sys

    _serve_external(sys.argv[1], sys.argv[2])
