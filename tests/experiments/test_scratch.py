"""Scratch assay: closure over time, the signalling link's direction, 1-D vs 2-D, convergence with signalling."""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.experiments.links import PHENOMENOLOGICAL
from jakstat.experiments.protocol import ProtocolInputError, make_protocol
from jakstat.experiments.scratch import ScratchProtocol, link_parameters, run_scratch
from jakstat.experiments.tidy import TIDY_COLUMNS

IL6 = {"cytokines": {"IL-6": "10 ng/mL"}}


@pytest.fixture(scope="module")
def healthy():
    return run_scratch(make_protocol(ScratchProtocol))


@pytest.fixture(scope="module")
def with_il6():
    return run_scratch(make_protocol(ScratchProtocol, conditions=IL6))


def _closure(result):
    rows = result.table[result.table.readout == "wound_closure"]
    return rows.set_index("time_h")["value"]


def test_table_is_tidy_with_readouts_at_0_12_24_48(healthy):
    table = healthy.table
    assert list(table.columns) == list(TIDY_COLUMNS)
    assert set(table.readout) == set(ScratchProtocol.KNOWN_READOUTS)
    assert list(_closure(healthy).index) == [0.0, 12.0, 24.0, 48.0]
    assert set(table.loc[table.readout == "wound_closure", "unit"]) == {"%"}
    assert set(table.genotype) == {"wt"} and set(table.drug) == {"none"}


def test_closure_starts_at_zero_and_rises_monotonically(healthy):
    closure = _closure(healthy).to_numpy()
    assert closure[0] == pytest.approx(0.0, abs=1e-9)
    assert np.all(np.diff(closure) >= 0) and np.all(closure <= 100.0)
    open_ = closure < 100.0
    assert np.all(np.diff(closure[open_]) > 0)  # strictly rising until the wound is closed
    density = healthy.table[healthy.table.readout == "wound_density"]["value"].to_numpy()
    assert np.all(np.diff(density) > 0)


def test_more_signalling_slower_closure(healthy, with_il6):
    """IL-6 raises nuclear pSTAT3 and, through the link, slows closure (DPM09 direction)."""
    assert with_il6.data["drive_nM"].mean() > 2 * healthy.data["drive_nM"].mean()
    assert np.all(_closure(with_il6).to_numpy()[1:] < _closure(healthy).to_numpy()[1:])
    d = lambda r: r.table[r.table.readout == "migration_diffusivity"]["value"].to_numpy()  # noqa: E731
    assert d(with_il6)[0] == pytest.approx(d(healthy)[0])  # same pre-equilibrated cells at t = 0
    assert np.all(d(with_il6)[1:] < d(healthy)[1:])


def test_two_d_straight_strip_equals_one_d(healthy):
    two_d = run_scratch(make_protocol(ScratchProtocol, dims=2, dx_um=10.0, field_height_um=60.0))
    assert np.allclose(_closure(two_d), _closure(healthy), atol=0.05)


def test_two_d_finite_wound_closes_faster_than_strip():
    strip = run_scratch(make_protocol(ScratchProtocol, dims=2, dx_um=25.0, field_height_um=1000.0))
    short = run_scratch(make_protocol(ScratchProtocol, dims=2, dx_um=25.0, field_height_um=1000.0,
                                      wound_length_um=400.0, readouts=["wound_density"]))
    dens = lambda r: r.table[r.table.readout == "wound_density"]["value"].to_numpy()  # noqa: E731
    assert np.all(dens(short)[1:] > dens(strip)[1:])  # cells also invade from the wound's ends


def test_grid_convergence_with_signalling_link():
    """Observed spatial order ~2 of closure at 24 h with the signalling-driven D(t), r(t)."""
    values = []
    for dx in (25.0, 12.5, 6.25):
        result = run_scratch(make_protocol(ScratchProtocol, dx_um=dx, rtol=1e-10, times_h=[0, 24],
                                           conditions=IL6, readouts=["wound_density"]))
        values.append(result.table["value"].iloc[-1])
    d1, d2 = abs(values[1] - values[0]), abs(values[2] - values[1])
    assert 1.7 < np.log2(d1 / d2) < 2.3


def test_figure_is_written(tmp_path, healthy):
    path = healthy.save_figure(tmp_path / "scratch.png")
    assert path.stat().st_size > 10_000


def test_every_link_parameter_has_provenance_marked_phenomenological():
    params = link_parameters()
    links = [p for p in params if p.id.startswith("link_")]
    assert len(links) == 6
    assert all(p.provenance.reason.startswith(PHENOMENOLOGICAL) for p in links)
    assert all(p.provenance.kind == "assumed" for p in params)


@pytest.mark.parametrize("fields, where", [
    ({"dx_um": 30.0}, "dx_um"),            # does not divide 250 um
    ({"wound_width_um": 0.0}, "wound_width_um"),
    ({"field_width_um": 400.0}, "field_width_um"),
    ({"dims": 3}, "dims"),
    ({"times_h": [0, -12]}, "times_h"),
    ({"readouts": ["closure"]}, "wound_closure"),  # the message lists the known readouts
])
def test_bad_scratch_protocol(fields, where):
    with pytest.raises(ProtocolInputError, match=where):
        make_protocol(ScratchProtocol, **fields)
