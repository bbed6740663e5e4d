"""jakstat: an in-silico laboratory for JAK-STAT signalling and its drugs.

A research tool, not clinical advice.
"""

from jakstat.api import DISCLAIMER, Scenario, prepare_network, simulate
from jakstat.errors import JakstatError

__version__ = "0.1.0"

__all__ = ["DISCLAIMER", "JakstatError", "Scenario", "prepare_network", "simulate", "__version__"]
