"""Assay protocols: what the lab would measure, computed from a simulated well of cells.

This layer imports :mod:`jakstat.api`, :mod:`jakstat.network` and :mod:`jakstat.engine`; none of
those import it. Each protocol takes a validated :class:`Protocol` and returns an
:class:`AssayResult` (a tidy table and its figure).
"""

from jakstat.experiments.elisa import SecretionProtocol, run_secretion
from jakstat.experiments.gel import GelProtocol, run_gel
from jakstat.experiments.gene_panel import GenePanelProtocol, run_gene_panel
from jakstat.experiments.ifn_score_assay import IfnScoreProtocol, run_ifn_score
from jakstat.experiments.protocol import Conditions, Protocol, ProtocolInputError, make_protocol
from jakstat.experiments.scratch import ScratchProtocol, run_scratch
from jakstat.experiments.serum import SerumProtocol, run_serum_assay
from jakstat.experiments.size import SizeProtocol, run_size
from jakstat.experiments.tidy import TIDY_COLUMNS, AssayResult, tidy_table, validate_tidy

ASSAYS = {
    "secretion": (SecretionProtocol, run_secretion),
    "scratch": (ScratchProtocol, run_scratch),
    "gel": (GelProtocol, run_gel),
    "size": (SizeProtocol, run_size),
    "gene-panel": (GenePanelProtocol, run_gene_panel),
    "serum": (SerumProtocol, run_serum_assay),
    "ifn-score": (IfnScoreProtocol, run_ifn_score),
}
"""Assay name -> (protocol class, run function)."""


def run_assay(name: str, **fields) -> AssayResult:
    """Run assay ``name`` (a key of :data:`ASSAYS`) with protocol ``fields`` (see :func:`make_protocol`).

    Examples
    --------
    >>> result = run_assay("secretion", times_h=[24], conditions={"cytokines": {"IL-6": "1 ng/mL"}})  # doctest: +SKIP
    >>> result.table[["readout", "time_h", "value", "unit"]]  # doctest: +SKIP
    """
    from jakstat.errors import UnknownNameError

    if name not in ASSAYS:
        raise UnknownNameError("assay", name, ASSAYS)
    protocol_class, run = ASSAYS[name]
    return run(make_protocol(protocol_class, **fields))


__all__ = ["ASSAYS", "AssayResult", "Conditions", "GelProtocol", "GenePanelProtocol", "IfnScoreProtocol", "Protocol",
           "ProtocolInputError", "ScratchProtocol", "SecretionProtocol", "SerumProtocol", "SizeProtocol", "TIDY_COLUMNS",
           "make_protocol", "run_assay", "run_gel", "run_gene_panel", "run_ifn_score", "run_scratch", "run_secretion",
           "run_serum_assay", "run_size",
           "tidy_table", "validate_tidy"]
