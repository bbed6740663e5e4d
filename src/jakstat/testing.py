"""Helpers for checking jakstat against an independent solver (used by the test suite; public for users).

``roadrunner_comparison`` integrates a network with jakstat and its exported SBML with libRoadRunner
(LLVM-compiled SBML, SUNDIALS CVODE: an independent implementation of the semantics and of the
integrator) at the same tolerances; ``max_relative_error`` is the agreement measure of the tests.
libRoadRunner is in the ``test`` extra (``pip install -e '.[test]'``).
"""

from __future__ import annotations

import numpy as np

from jakstat.network.model import Network


def max_relative_error(reference: np.ndarray, other: np.ndarray, atol: float) -> float:
    """Largest relative error over values above 1e-6 of their species' maximum and above 1e3 ``atol``
    (below which both solvers resolve noise of their absolute tolerance)."""
    peak = np.abs(reference).max(axis=0)
    mask = (np.abs(reference) > 1e-6 * peak) & (np.abs(reference) > 1e3 * atol)
    return float((np.abs(other - reference)[mask] / np.abs(reference)[mask]).max())


def roadrunner_comparison(net: Network, times_s: np.ndarray, rtol: float = 1e-8,
                          atol: float = 1e-12) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(jakstat states, libRoadRunner states, species ids of the columns) of ``net`` at ``times_s`` (s, nM)."""
    import roadrunner

    from jakstat.compile.codegen import compile_network
    from jakstat.compile.sbml_export import network_to_sbml
    from jakstat.engine.integrate import SolverOptions, integrate

    model = compile_network(net)
    ours = integrate(model, times_s, options=SolverOptions(rtol=rtol, atol=atol))
    rr = roadrunner.RoadRunner(network_to_sbml(net))
    rr.integrator.relative_tolerance = rtol
    rr.integrator.absolute_tolerance = atol
    rr.integrator.maximum_num_steps = 100000
    result = rr.simulate(times=times_s)
    columns = [c.strip("[]") for c in result.colnames[1:]]
    return ours[:, [model.species_index(c) for c in columns]], np.asarray(result)[:, 1:], columns


__all__ = ["max_relative_error", "roadrunner_comparison"]
