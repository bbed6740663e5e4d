"""jakstat: an in-silico laboratory for JAK-STAT signalling and its drugs.

A research tool, not clinical advice.
"""

from jakstat.api import DISCLAIMER, Scenario, prepare_network, simulate
from jakstat.errors import JakstatError

__version__ = "0.1.0"

__all__ = ["DISCLAIMER", "JakstatError", "Scenario", "assay", "dose_response", "prepare_network", "simulate", "trial",
           "__version__"]


def __getattr__(name: str):
    """Names of higher layers, imported on first use (``jakstat.dose_response``, ``jakstat.assay``, ``jakstat.trial``)."""
    if name == "dose_response":
        from jakstat.studies.dose_response import dose_response

        return dose_response
    if name in ("assay", "trial"):
        from jakstat import api_studies

        return getattr(api_studies, name)
    raise AttributeError(f"module 'jakstat' has no attribute {name!r}")
