"""The runner: a SIGKILLed trial resumes with every patient exactly once, and dask gives the local results."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from jakstat.errors import InvalidValueError
from jakstat.studies import parse_config, read_results, run_trial
from jakstat.studies.runner import plan

DESIGN = {
    "name": "small", "seed": 7, "sample_size": 90, "chunk_size": 5,
    "population": {"disease": "JDM", "age_years": [2, 18]},
    "arms": [{"name": "rux", "drug": "ruxolitinib", "regimen": "BID", "duration_days": 2,
              "bands": [{"upto_kg": 25, "dose": "2.5 mg"}, {"dose": "5 mg"}], "round_to_strengths": False},
             {"name": "placebo", "drug": "placebo", "duration_days": 2}],
    "endpoints": [{"kind": "exposure"}, {"kind": "inhibition", "cytokine": "IFN-alpha/beta", "thresholds": [0.2]}],
}
SRC = str(Path(__file__).resolve().parents[2] / "src")


def _script(out: Path) -> str:
    # one chunk every 0.3 s after the first, so that the kill lands mid-run
    return textwrap.dedent(f"""
        import json, time
        from jakstat.studies import run_trial
        run_trial(json.loads({json.dumps(json.dumps(DESIGN))}), {str(out)!r}, n_threads=1,
                  on_chunk=lambda task: time.sleep(0.3))
    """)


@pytest.mark.slow
def test_sigkill_then_resume_gives_every_patient_once_and_the_uninterrupted_results(tmp_path: Path) -> None:
    out = tmp_path / "killed"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen([sys.executable, "-c", _script(out)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    total = len(plan(parse_config(DESIGN)))
    try:
        deadline = time.monotonic() + 600
        while len(list(out.glob("arm=*/chunk=*/part-0.parquet"))) < 3:
            assert process.poll() is None, process.stderr.read().decode()  # type: ignore[union-attr]
            assert time.monotonic() < deadline, "the trial wrote no chunk"
            time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == -signal.SIGKILL
    done_before = len(list(out.glob("arm=*/chunk=*/part-0.parquet")))
    assert 3 <= done_before < total
    # a write interrupted by a kill leaves only a hidden temporary file: fake one
    stale = out / "arm=rux" / "chunk=9" / ".part-0.parquet.tmp-123"
    stale.parent.mkdir(parents=True, exist_ok=True)
    stale.write_bytes(b"half a parquet file")

    with pytest.raises(InvalidValueError, match="not empty; use --resume"):
        run_trial(DESIGN, out)
    report = run_trial(DESIGN, out, resume=True, n_threads=1)
    assert report.skipped == done_before and report.computed == total - done_before
    assert not stale.exists()

    resumed = read_results(out)
    ids = resumed["patient_id"].to_numpy()
    np.testing.assert_array_equal(np.sort(ids), np.arange(DESIGN["sample_size"]))  # each id exactly once
    reference = read_results(run_trial(DESIGN, tmp_path / "reference", n_threads=2).out)
    pd.testing.assert_frame_equal(resumed, reference)
    assert set(resumed["arm"]) == {"rux", "placebo"}
    assert (resumed.loc[resumed["arm"] == "placebo", "cmax_nM"] == 0).all()
    assert (resumed.loc[resumed["arm"] == "rux", "cmax_nM"] > 0).all()


def test_resume_refuses_another_design(tmp_path: Path) -> None:
    small = {**DESIGN, "sample_size": 4, "arms": [DESIGN["arms"][1]]}
    run_trial(small, tmp_path / "t")
    assert json.loads((tmp_path / "t" / "_trial.json").read_text())["chunks"] == 1
    with pytest.raises(InvalidValueError, match="the design differs"):
        run_trial({**small, "seed": 8}, tmp_path / "t", resume=True)
    with pytest.raises(InvalidValueError, match="holds no trial"):
        run_trial(small, tmp_path / "empty", resume=True)


@pytest.mark.slow
def test_dask_local_cluster_gives_the_local_results(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    local = read_results(run_trial(DESIGN, tmp_path / "local", n_threads=1).out)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        report = run_trial(DESIGN, tmp_path / "dask", scheduler=client, max_in_flight=3)
    assert report.computed == len(plan(parse_config(DESIGN)))
    on_dask = read_results(tmp_path / "dask")
    pd.testing.assert_frame_equal(on_dask, local)
