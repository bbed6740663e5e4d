"""Throughput and memory of a virtual trial: N patients (default 100,000), two arms, on this machine.

    .venv/bin/python benchmarks/trial_throughput.py                 # 100,000 patients -> benchmarks/results/trial.md
    .venv/bin/python benchmarks/trial_throughput.py --n 5000 --no-write

The design is the JDM baricitinib trial of ``examples/trial_jdm_baricitinib.yaml`` with its two drug arms
(QD and BID weight bands; 14 days, endpoints over the last interval), chunks of 2,048 patients, run by
:func:`jakstat.studies.run_trial` in this process into a temporary Parquet dataset; then the dataset is
read back and summarised (that is part of what a user does, and of the memory).

Recorded: patients per second over the run (numba compilation of the PK network timed apart, by a
one-chunk warm-up of another design in the same process), peak resident set (``resource.getrusage``,
the whole process: interpreter, numba/LLVM, pandas/pyarrow), and the peak of Python allocations during the
run (``tracemalloc``, with ``--tracemalloc`` only: it slows the run 2-3x; numpy buffers are included,
numba/LLVM internals are not).
Not a test: nothing in ``tests/`` depends on these numbers.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def design(n: int, chunk: int) -> dict:
    data = yaml.safe_load((ROOT / "examples" / "trial_jdm_baricitinib.yaml").read_text())
    data["arms"] = [a for a in data["arms"] if a["drug"] != "placebo"]
    data.update(sample_size=n, chunk_size=chunk, name=f"throughput-{n}")
    return data


def _markdown(table) -> list[str]:
    """Rows = summary columns, one column per arm (median [5th-95th percentile])."""
    arms = [str(a) for a in table["arm"]]
    out = ["| | " + " | ".join(arms) + " |", "|---|" + "---|" * len(arms)]
    for column in table.columns[1:]:
        out.append(f"| {column} | " + " | ".join(str(v) for v in table[column]) + " |")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--chunk", type=int, default=2048)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--tracemalloc", action="store_true",
                        help="also trace Python allocations (slows the run 2-3x; the rate is then not comparable)")
    args = parser.parse_args()

    from jakstat.studies import read_results, run_trial, summary
    from jakstat.studies.runner import simulate_chunk
    from jakstat.studies.design import parse_config

    start = time.perf_counter()
    warm = parse_config(design(64, 64))
    for a in range(len(warm.arms)):
        simulate_chunk(warm, a, 0, args.threads)
    compile_s = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as tmp:
        if args.tracemalloc:
            tracemalloc.start()
        start = time.perf_counter()
        report = run_trial(design(args.n, args.chunk), Path(tmp) / "trial", n_threads=args.threads)
        run_s = time.perf_counter() - start
        start = time.perf_counter()
        frame = read_results(report.out)
        table = summary(frame)
        read_s = time.perf_counter() - start
        traced = tracemalloc.get_traced_memory()[1] if args.tracemalloc else None
        tracemalloc.stop()
        size = sum(p.stat().st_size for p in Path(report.out).rglob("*.parquet"))
        n_rows, failed = len(frame), int((frame["status"] != 0).sum())
        unique = frame["patient_id"].nunique()
    rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    rate = args.n / run_s
    load = os.getloadavg()
    lines = [
        "# Virtual trial throughput (`benchmarks/trial_throughput.py`)",
        "",
        f"{datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores (shared), load average (1 min) at the end {load[0]:.2f}; Python {platform.python_version()}.",
        "",
        f"Design: `examples/trial_jdm_baricitinib.yaml` without placebo: 2 arms (baricitinib QD and BID weight bands, "
        f"14 days), {args.n:,} patients, chunks of {args.chunk:,}, endpoints exposure + IFN-alpha/beta and IFN-gamma inhibition.",
        "",
        "| quantity | value |",
        "|---|---:|",
        f"| patients | {n_rows:,} (unique ids {unique:,}; engine failures {failed}) |",
        f"| run (simulate + endpoints + Parquet writes), s | {run_s:.1f} |",
        f"| **patients per second** | **{rate:,.0f}** |",
        f"| compilation + warm-up (apart), s | {compile_s:.1f} |",
        f"| read back + summary, s | {read_s:.1f} |",
        f"| **peak resident memory (getrusage), MiB** | **{rss_mib:,.0f}** |",
        f"| peak traced Python allocations (tracemalloc), MiB | {traced / 2**20:,.0f} |" if traced is not None else
        "| peak traced Python allocations (tracemalloc) | not measured in this run (`--tracemalloc`) |",
        f"| Parquet dataset size, MiB | {size / 2**20:.1f} |",
        "",
        "Target (issue 7): peak memory under 2 GiB on this 2-core machine: "
        + ("met." if rss_mib < 2048 else "NOT met."),
        "",
        "Summary table of the run:",
        "",
        *_markdown(table),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        (ROOT / "benchmarks" / "results").mkdir(exist_ok=True)
        (ROOT / "benchmarks" / "results" / "trial.md").write_text(text)


if __name__ == "__main__":
    main()
