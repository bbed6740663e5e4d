"""CLI helpers for the pharmacology options of ``jakstat simulate`` (``--drug NAME=DOSE``)."""

from __future__ import annotations

from jakstat.errors import InvalidValueError


def parse_drug(spec: str) -> tuple[str, str]:
    """``"ruxolitinib=15mg"`` -> ``("ruxolitinib", "15mg")``."""
    if "=" not in spec:
        raise InvalidValueError(f"--drug {spec!r}: expected NAME=DOSE, e.g. ruxolitinib=15mg")
    name, dose = spec.split("=", 1)
    return name.strip(), dose.strip()


def simulate_drug(cell: str, genotype: str, cytokines: dict[str, str], drug: str, regimen: str | None,
                  weight: str, days: float | None, points: int | None, rtol: float, atol: float):
    """``jakstat simulate ... --drug NAME=DOSE``: the cell network under the drug's oral PK (an xarray Dataset)."""
    from jakstat.pharmacology.coupled import simulate_with_drug

    name, dose = parse_drug(drug)
    return simulate_with_drug(cell, cytokines, name, dose, regimen or "BID", weight, 14.0 if days is None else days,
                              n_points=points, rtol=rtol, atol=atol, genotype=genotype)
