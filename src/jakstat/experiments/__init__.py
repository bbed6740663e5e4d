"""Assay protocols: what the lab would measure, computed from a simulated well of cells.

This layer imports :mod:`jakstat.api`, :mod:`jakstat.network` and :mod:`jakstat.engine`; none of
those import it. Each protocol takes a validated :class:`Protocol` and returns an
:class:`AssayResult` (a tidy table and its figure).
"""

from jakstat.experiments.protocol import Conditions, Protocol, ProtocolInputError, make_protocol
from jakstat.experiments.scratch import ScratchProtocol, run_scratch
from jakstat.experiments.tidy import TIDY_COLUMNS, AssayResult, tidy_table, validate_tidy

__all__ = ["AssayResult", "Conditions", "Protocol", "ProtocolInputError", "ScratchProtocol", "TIDY_COLUMNS",
           "make_protocol", "run_scratch", "tidy_table", "validate_tidy"]
