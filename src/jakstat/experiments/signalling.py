"""The cells' signalling state behind every fibroblast assay: one call to :func:`jakstat.simulate`.

Conditions are passed through as the keywords of :func:`jakstat.simulate`: ``genotype`` always,
``drugs`` and ``antibodies`` only when given (so that a version of ``simulate`` without those
keywords still runs every wild-type, drug-free protocol, and one with them gets them unchanged).
"""

from __future__ import annotations

import inspect

import numpy as np
import xarray as xr

from pydantic import field_validator

from jakstat.errors import InvalidValueError, UnknownNameError
from jakstat.experiments.protocol import Conditions, Protocol
from jakstat.network.culture import Culture

DRIVE_SPECIES = ("pSTAT3_dimer_nuc",)
"""Species whose summed concentration (nM) is the signalling drive of the phenomenological links.

The nuclear pSTAT3 dimer: IL-6 -> STAT3 is the route by which exogenous IL-6 copies the variant
phenotype (target_dpm_stat4.csv DPM09), and the variant's excess IL-6 acts through it.
"""


class LinkedProtocol(Protocol):
    """A protocol whose readout follows the signalling drive through a phenomenological link.

    Attributes
    ----------
    drive_species : tuple of str
        Species summed into the drive (default :data:`DRIVE_SPECIES`); those absent from the
        network are ignored, at least one must be present. A variant network with nuclear
        ``pSTAT4_dimer_nuc`` may add it here to let STAT4-intrinsic signalling count as well.
    """

    drive_species: tuple[str, ...] = DRIVE_SPECIES

    @field_validator("drive_species")
    @classmethod
    def _drive(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or any(not s.strip() for s in value):
            raise ValueError("give at least one species id, e.g. pSTAT3_dimer_nuc")
        return tuple(s.strip() for s in value)


def run_cells(conditions: Conditions, culture: Culture, t_end_h: float, n_points: int | None = None,
              cell: str = "fibroblast", pretreatment_h: float = 0.0) -> xr.Dataset:
    """Simulate the cells of an assay well from the medium change to ``t_end_h`` after the assay's start.

    The medium change (fresh medium with the conditions) is at $t = -$``pretreatment_h``; the
    assay starts (scratch, gel casting, first sample) at $t = 0$. The result's ``time_h`` runs
    from 0 to ``t_end_h`` in assay time.

    Parameters
    ----------
    conditions : Conditions
        Genotype, drugs, antibodies and cytokines (passed to :func:`jakstat.simulate`).
    culture : Culture
        Cell number and medium volume of the well.
    t_end_h : float
        End time, h (> 0), after the assay's start.
    n_points : int, optional
        Output times over the whole run, pre-treatment included (default: every 15 min).
    pretreatment_h : float
        Time with the conditions before the assay starts, h (>= 0; default 0).

    Returns
    -------
    xarray.Dataset
        Species in nM over ``time_h`` (see :func:`jakstat.simulate`).
    """
    import jakstat

    if not t_end_h > 0:
        raise InvalidValueError(f"t_end_h must be > 0, got {t_end_h!r}")
    if not pretreatment_h >= 0:
        raise InvalidValueError(f"pretreatment_h must be >= 0, got {pretreatment_h!r}")
    kwargs: dict = {"genotype": conditions.genotype}
    accepted = inspect.signature(jakstat.simulate).parameters
    for keyword in ("drugs", "antibodies"):
        value = getattr(conditions, keyword)
        if value:
            if keyword not in accepted:
                raise InvalidValueError(
                    f"conditions.{keyword}: {dict(value)} given, but this jakstat.simulate has no {keyword!r} keyword "
                    f"(accepted: {', '.join(accepted)}); run without {keyword} or update jakstat")
            kwargs[keyword] = dict(value)
    total_h = pretreatment_h + t_end_h
    if n_points is None:
        n_points = int(max(4 * total_h, 10)) + 1
    ds = jakstat.simulate(cell=cell, cytokines=dict(conditions.cytokines), t_end=f"{total_h} h",
                          n_points=n_points, culture=culture, **kwargs)
    if pretreatment_h == 0:
        return ds
    times = np.asarray(ds["time_h"].values, dtype=float)
    tol = 1e-9 * total_h
    if np.any(np.abs(times - pretreatment_h) <= tol):
        ds = ds.isel(time_h=np.nonzero(times >= pretreatment_h - tol)[0])
    else:  # the assay start is not an output time: interpolate it in
        ds = ds.interp(time_h=np.concatenate([[pretreatment_h], times[times > pretreatment_h]]))
    shifted = np.maximum(np.asarray(ds["time_h"].values, dtype=float) - pretreatment_h, 0.0)
    ds = ds.assign_coords(time_h=("time_h", shifted, {"units": "h"}))
    ds.attrs["pretreatment_h"] = pretreatment_h
    return ds


def species(ds: xr.Dataset, name: str) -> np.ndarray:
    """Concentration of species ``name`` over time, nM; unknown -> error listing the dataset's species."""
    if name not in ds.data_vars:
        raise UnknownNameError("species", name, ds.data_vars)
    return np.asarray(ds[name].values, dtype=float)


def signalling_drive(ds: xr.Dataset, drive_species: tuple[str, ...] = DRIVE_SPECIES) -> tuple[np.ndarray, np.ndarray]:
    """The signalling drive of the links: (time, h; summed concentration of ``drive_species``, nM)."""
    present = [s for s in drive_species if s in ds.data_vars]
    if not present:
        raise UnknownNameError("drive species", drive_species[0], ds.data_vars)
    drive = sum(species(ds, s) for s in present)
    return np.asarray(ds["time_h"].values, dtype=float), np.asarray(drive, dtype=float)


__all__ = ["DRIVE_SPECIES", "LinkedProtocol", "run_cells", "signalling_drive", "species"]
