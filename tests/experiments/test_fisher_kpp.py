"""Fisher-KPP solver and scratch closure against analytic references (wave speed, grid order)."""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.experiments.fisher_kpp import front_position, laplacian, solve_fisher_kpp
from jakstat.experiments.protocol import make_protocol
from jakstat.experiments.scratch import ScratchProtocol, closure_readouts, initial_field


def test_travelling_wave_speed_is_two_sqrt_dr():
    """Front of a step (compact) initial condition: speed 2 sqrt(D r) minus Bramson's log delay.

    Bramson (1983): x(t) = 2 sqrt(D r) t - (3/2) sqrt(D/r) ln t + const, so between t1 and t2 the
    mean speed is 2 sqrt(D r) - (3/2) sqrt(D/r) ln(t2/t1) / (t2 - t1).
    """
    d, r, dx, length = 2.0, 0.5, 0.2, 240.0
    n = int(length / dx)
    x = (np.arange(n) + 0.5) * dx
    u0 = (x > length - 10).astype(float)  # cells on the right invade to the left
    t1, t2 = 40.0, 80.0
    fields = solve_fisher_kpp(u0, (dx,), lambda t: d, lambda t: r, [t1, t2], rtol=1e-8, atol=1e-11)
    p1, p2 = (front_position(x, u, 0.5) for u in fields)
    speed = (p1 - p2) / (t2 - t1)
    c_star = 2 * np.sqrt(d * r)
    bramson = c_star - 1.5 * np.sqrt(d / r) * np.log(t2 / t1) / (t2 - t1)
    assert speed == pytest.approx(bramson, rel=5e-3)
    assert speed == pytest.approx(c_star, rel=0.05)


def test_pure_diffusion_conserves_cells_and_matches_erf():
    """Without growth the finite-volume scheme conserves mass and an edge spreads as erf (D t)."""
    from scipy.special import erf

    d, dx, length, t = 100.0, 2.0, 2000.0, 10.0
    n = int(length / dx)
    x = (np.arange(n) + 0.5) * dx
    u0 = (x > length / 2).astype(float)
    (u,) = solve_fisher_kpp(u0, (dx,), lambda t: d, lambda t: 0.0, [t], rtol=1e-10, atol=1e-13)
    assert u.sum() == pytest.approx(u0.sum(), rel=1e-9)
    exact = 0.5 * (1 + erf((x - length / 2) / np.sqrt(4 * d * t)))
    assert np.max(np.abs(u - exact)) < 2e-3


def test_laplacian_2d_zero_row_sums_and_kronecker_structure():
    lap = laplacian((3, 4), (1.0, 2.0)).toarray()
    assert np.allclose(lap.sum(axis=1), 0.0)  # zero flux: constants are steady
    assert lap[0, 0] == pytest.approx(-(1 / 4) - 1.0)  # corner: one x- and one y-neighbour


def _closure_at(dx: float, t: float = 24.0) -> dict:
    protocol = make_protocol(ScratchProtocol, dx_um=dx)
    u0, coords = initial_field(protocol)
    (u,) = solve_fisher_kpp(u0, (dx,), lambda t: 500.0, lambda t: 0.03, [t], rtol=1e-10, atol=1e-13)
    return {k: v[-1] for k, v in closure_readouts(protocol, np.stack([u0, u]), coords).items()}


@pytest.mark.parametrize("readout", ["wound_closure", "wound_density"])
def test_grid_convergence_observed_order_two(readout):
    """Observed order of the closure readouts under halving dx (finite volumes: 2)."""
    values = np.array([_closure_at(dx)[readout] for dx in (25.0, 12.5, 6.25, 3.125)])
    diffs = np.abs(np.diff(values))
    orders = np.log2(diffs[:-1] / diffs[1:])
    assert np.all(orders > 1.8) and np.all(orders < 2.2), orders
    richardson = values[-1] + (values[-1] - values[-2]) / 3
    assert abs(values[-1] - richardson) < 0.01  # % points: the default dx = 10 um is within ~0.1
