"""Phenomenological links from the signalling state to a cell behaviour (migration, growth, ...).

A link maps the signalling drive $S(t)$ (nM, :func:`jakstat.experiments.signalling.signalling_drive`)
to a multiplicative factor on a baseline rate,

$$ f(S) = 1 + s\\,E_{max} \\frac{S^h}{EC_{50}^h + S^h}, $$

with $s = -1$ (signalling lowers the rate: migration, proliferation) or $s = +1$ (raises it: gel
contraction, cell spreading). The links are *phenomenological*: no mechanism from pSTAT3 to the
cytoskeleton is modelled, only the published direction of the effect (target_dpm_stat4.csv).
Every parameter is a :class:`jakstat.network.model.Parameter` with provenance; the provenance
reason of each starts with :data:`PHENOMENOLOGICAL`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from jakstat.errors import InvalidValueError
from jakstat.network.model import Parameter
from jakstat.network.provenance import Assumed

PHENOMENOLOGICAL = "PHENOMENOLOGICAL"
"""Marker that opens the provenance reason of every link parameter."""

DIRECTION_ONLY = (
    "target_dpm_stat4.csv gives only directions for this phenotype (DPM04 impaired closure, DPM05 increased "
    "contraction, DPM07 ruxolitinib rescue, DPM09 IL-6 phenocopies, DPM11 larger cells), no magnitudes, so a "
    "fit would be undetermined; value set by hand so that the directions hold"
)
"""Why the link parameters are assumed and not calibrated."""

EC50_REASON = (
    "placed between the nuclear pSTAT3 dimer of healthy fibroblasts after a medium change (about 55-210 nM over "
    "72 h in this network) and of fibroblasts in 10 ng/mL IL-6 (about 520-590 nM), so that both states fall on "
    "the sloped part of the link"
)


def phenomenological(reason: str) -> Assumed:
    """An :class:`~jakstat.network.provenance.Assumed` provenance whose reason starts with :data:`PHENOMENOLOGICAL`."""
    return Assumed(f"{PHENOMENOLOGICAL}: {reason}")


@dataclass(frozen=True)
class HillLink:
    """A saturating link from the signalling drive to a rate factor.

    Attributes
    ----------
    name : str
        What the factor multiplies (``"migration"``).
    sign : int
        -1: signalling lowers the rate; +1: raises it.
    emax : Parameter
        Maximal relative change (dimensionless; in [0, 1) when ``sign`` is -1).
    ec50 : Parameter
        Drive at half-maximal change, nM.
    hill : Parameter
        Hill coefficient (dimensionless, > 0).
    """

    name: str
    sign: int
    emax: Parameter
    ec50: Parameter
    hill: Parameter

    def __post_init__(self) -> None:
        if self.sign not in (-1, 1):
            raise InvalidValueError(f"link {self.name}: sign must be -1 or +1, got {self.sign!r}")
        if self.ec50.unit != "nM" or not self.ec50.value > 0:
            raise InvalidValueError(f"link {self.name}: ec50 must be > 0 nM, got {self.ec50.value} {self.ec50.unit}")
        if not self.hill.value > 0:
            raise InvalidValueError(f"link {self.name}: hill must be > 0, got {self.hill.value}")
        if not self.emax.value >= 0 or (self.sign == -1 and not self.emax.value < 1):
            raise InvalidValueError(f"link {self.name}: emax must be in [0, 1) for a lowering link, >= 0 otherwise; "
                                    f"got {self.emax.value}")

    def occupancy(self, drive_nm: np.ndarray | float) -> np.ndarray:
        """$S^h / (EC_{50}^h + S^h)$, dimensionless, in [0, 1)."""
        s = np.maximum(np.asarray(drive_nm, dtype=float), 0.0) / self.ec50.value
        sh = s ** self.hill.value
        return sh / (1.0 + sh)

    def factor(self, drive_nm: np.ndarray | float) -> np.ndarray:
        """The rate factor $f(S)$ (dimensionless; 1 without signalling)."""
        return 1.0 + self.sign * self.emax.value * self.occupancy(drive_nm)

    def parameters(self) -> tuple[Parameter, ...]:
        """The link's parameters (for the model card)."""
        return (self.emax, self.ec50, self.hill)


def hill_link(name: str, sign: int, emax: float, emax_reason: str, ec50_nm: float = 300.0,
              hill: float = 2.0) -> HillLink:
    """Build a :class:`HillLink` whose parameters all carry phenomenological provenance."""
    prefix = f"link_{name}"
    return HillLink(
        name=name, sign=sign,
        emax=Parameter(f"{prefix}_emax", emax, "dimensionless",
                       phenomenological(f"{emax_reason}; {DIRECTION_ONLY}"), f"maximal relative change of {name}"),
        ec50=Parameter(f"{prefix}_ec50", ec50_nm, "nM", phenomenological(f"{EC50_REASON}; {DIRECTION_ONLY}"),
                       f"signalling drive at half-maximal change of {name}"),
        hill=Parameter(f"{prefix}_hill", hill, "dimensionless",
                       phenomenological("a switch-like (h = 2) but not step-like response; no data on the shape"),
                       f"Hill coefficient of the {name} link"),
    )


__all__ = ["DIRECTION_ONLY", "HillLink", "PHENOMENOLOGICAL", "hill_link", "phenomenological"]
