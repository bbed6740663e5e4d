"""Shared fixtures: small hand-written networks and the packaged fibroblast network."""

from __future__ import annotations

import pytest

from jakstat.network.model import Compartment, Network, Parameter, Species
from jakstat.network.motifs import mass_action
from jakstat.network.provenance import Assumed

TEST_REASON = Assumed("test network: values chosen for the analytic check")


@pytest.fixture
def binding_network() -> Network:
    """A + B <-> C in one 2 L compartment (for the closed-form solution)."""
    return Network(
        name="binding",
        compartments=(Compartment("cell", 2.0, "L", TEST_REASON),),
        species=(Species("A", "cell", 5.0, TEST_REASON), Species("B", "cell", 3.0, TEST_REASON),
                 Species("C", "cell", 0.0, TEST_REASON)),
        parameters=(Parameter("kon", 0.02, "1/nM/s", TEST_REASON), Parameter("koff", 0.01, "1/s", TEST_REASON)),
        reactions=(mass_action("bind", "A + B <-> C", "kon", "koff", compartment="cell"),),
    )


@pytest.fixture(scope="session")
def fibroblast_network():
    from jakstat.network.builders import build_cell_network

    return build_cell_network("fibroblast")
