"""Fixtures for the report tests: the demo's output folder (run once per session) and an HTML resource scan."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_out(tmp_path_factory):
    """The folder ``jakstat demo`` writes (figure, time courses with unit sidecars, report.html)."""
    from jakstat.report.demo import run_demo

    out = tmp_path_factory.mktemp("demo")
    run_demo(out)
    return out
