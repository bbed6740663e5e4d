"""One entry point for ``jakstat pk``: small molecules (:func:`pk_table`) and antibodies (:func:`biologic_table`)."""

from __future__ import annotations

import pandas as pd

from jakstat.errors import InvalidValueError


def exposure_table(drug: str, dose: str, regimen: str | None = None, *, weight: str = "70 kg", days: float = 14,
                   egfr: float | None = None, points_per_hour: int = 4, route: str | None = None,
                   population: str = "adult", formulation: str = "tablet") -> pd.DataFrame:
    """Plasma concentration and pathway inhibition over time for any drug with a PK model.

    Small molecules take ``QD/BID/TID/XR`` (oral; ``route`` must be None or ``"oral"``); antibodies
    take ``QW/Q2W/Q4W/BIW`` (default ``Q4W``; small molecules ``BID``) with ``route`` ``"IV"`` (default) or ``"SC"``. The unknown-drug error lists
    every known drug; an unknown regimen lists the regimens of the drug's kind. ``formulation``
    (small molecules): ``tablet`` or ``solution``, the strengths a dose is rounded to.
    """
    from jakstat.knowledge import get_drug

    record = get_drug(drug)
    if record.kind == "biologic":
        from jakstat.pharmacology.biologics import biologic_table

        if egfr is not None:
            raise InvalidValueError(f"egfr: antibodies are not renally cleared; the {record.name} model has no "
                                    "eGFR covariate (leave --egfr out)")
        return biologic_table(record.name, dose, regimen or "Q4W", weight, days, route=route or "IV", population=population,
                              points_per_hour=points_per_hour)
    from jakstat.pharmacology.pk_api import pk_table

    if route not in (None, "oral", "ORAL", "PO", "po"):
        raise InvalidValueError(f"route: {record.name} is an oral small molecule; allowed: oral (got {route!r})")
    if population != "adult":
        raise InvalidValueError(f"population: small-molecule models scale by weight (--weight); "
                                f"only 'adult' is allowed, got {population!r}")
    return pk_table(record.name, dose, regimen or "BID", weight=weight, days=days, egfr=egfr,
                    points_per_hour=points_per_hour, formulation=formulation)
