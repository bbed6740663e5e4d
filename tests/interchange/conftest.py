"""Fixtures for the SBML/PEtab interchange tests: the external PEtab problems and libRoadRunner."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from interchange_helpers import ATOL, PETAB, RTOL


@pytest.fixture
def petab_problem():
    """``petab_problem(name)`` -> the problem folder, or skip (with the reason) when ../shared is absent."""

    def find(name: str) -> Path:
        folder = PETAB / name
        if not folder.is_dir():
            pytest.skip(f"PEtab problem {name} not found at {folder} (the shared folder ../shared is absent)")
        return folder

    return find


@pytest.fixture
def roadrunner_concentrations():
    """``run(sbml_text, times, species_ids)`` -> libRoadRunner concentrations, shape (times, species)."""
    roadrunner = pytest.importorskip("roadrunner", reason="libroadrunner is a test extra: pip install -e '.[test]'")

    def run(sbml: str, times: np.ndarray, species_ids) -> np.ndarray:
        rr = roadrunner.RoadRunner(sbml)
        rr.integrator.relative_tolerance = RTOL
        rr.integrator.absolute_tolerance = ATOL
        rr.integrator.maximum_num_steps = 100000
        selections = ["time"] + [f"[{s}]" for s in species_ids]  # concentrations, also of amount species
        result = rr.simulate(times=np.asarray(times, dtype=float), selections=selections)
        return np.asarray(result)[:, 1:]

    return run
