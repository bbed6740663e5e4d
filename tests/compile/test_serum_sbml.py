"""The serum IL-6 / CRP network, exported to SBML and run by libRoadRunner, matches jakstat's trajectories.

Covers the parts the cell networks do not: three compartments of litres (plasma, liver cytoplasm and
nucleus), a species consumed in one compartment by a reaction in another (plasma IL-6 binding liver
IL-6R), the antibody's PK merged in with IV infusion events, and the occupancy Kd/(Kd + C) written
into the rate laws.
"""

from __future__ import annotations

import numpy as np
import pytest

from jakstat.experiments import serum_model as sm
from jakstat.testing import max_relative_error, roadrunner_comparison

pytest.importorskip("roadrunner", reason="libroadrunner is in the test extra: pip install -e '.[test]'")


def test_serum_network_with_tocilizumab_agrees_with_roadrunner():
    net = sm.with_antibody(sm.baseline_network(65.16), "tocilizumab", "8 mg/kg", "Q2W", "70 kg", 21.0)
    times = np.linspace(0.0, 21 * 24 * 3600.0, 253) + 1.0  # outputs off the infusion event times
    times[0] = 0.0
    ours, theirs, columns = roadrunner_comparison(net, times, rtol=1e-8, atol=1e-12)
    assert len(columns) == len(net.species)
    assert max_relative_error(ours, theirs, 1e-12) < 1e-4
    crp = columns.index(sm.CRP_SPECIES)
    assert theirs[-1, crp] < 0.2 * theirs[0, crp]  # the comparison covers the drug's effect, not a flat line
