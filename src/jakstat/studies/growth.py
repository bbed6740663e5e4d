"""CDC 2000 growth reference: weight- and stature-for-age by the LMS method (2-20 years).

The LMS parameters are the packaged table ``growth_cdc2000_lms.csv`` (CDC 2000 ``wtage.csv`` and
``statage.csv``, with source and evidence per row). A measurement at z-score $z$ is

$$X = M (1 + L S z)^{1/L} \\quad (L \\neq 0), \\qquad X = M e^{S z} \\quad (L = 0),$$

with $L$, $M$, $S$ linearly interpolated between the tabulated ages (as CDC recommends for ages
between rows). Ages in months, weight in kg, stature in cm.
"""

from __future__ import annotations

import functools

import numpy as np

from jakstat.errors import InvalidValueError, UnknownNameError

TABLE = "growth_cdc2000_lms"
MEASURES = ("weight", "height")
SEXES = ("male", "female")
AGE_RANGE_MONTHS = (24.0, 240.0)
"""Ages the CDC 2000 2-20 y tables cover, months."""


@functools.lru_cache(maxsize=None)
def lms_table(measure: str, sex: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Ages (months) and L, M, S arrays of one measure and sex, sorted by age."""
    from jakstat.data import load_table

    if measure not in MEASURES:
        raise UnknownNameError("growth measure", measure, MEASURES)
    if sex not in SEXES:
        raise UnknownNameError("sex", sex, SEXES)
    table = load_table(TABLE)
    rows = table[(table["measure"] == measure) & (table["sex"] == sex)]
    age = rows["age_months"].astype(float).to_numpy()
    order = np.argsort(age)
    return tuple(rows[c].astype(float).to_numpy()[order] if c != "age_months" else age[order]  # type: ignore[return-value]
                 for c in ("age_months", "L", "M", "S"))


def lms_at(measure: str, sex: str, age_months: np.ndarray | float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """L, M, S at ``age_months`` (linear interpolation; 24-240 months)."""
    age = np.asarray(age_months, dtype=float)
    low, high = AGE_RANGE_MONTHS
    if np.any((age < low) | (age > high)):
        raise InvalidValueError(f"age: the CDC 2000 reference covers {low / 12:g}-{high / 12:g} y; got "
                                f"{age.min() / 12:g}-{age.max() / 12:g} y")
    ages, L, M, S = lms_table(measure, sex)
    return np.interp(age, ages, L), np.interp(age, ages, M), np.interp(age, ages, S)


def value_at_z(L: np.ndarray, M: np.ndarray, S: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The LMS inverse: the measurement at z-score ``z``."""
    L, M, S, z = (np.asarray(a, dtype=float) for a in (L, M, S, z))
    small = np.abs(L) < 1e-12
    safe_L = np.where(small, 1.0, L)
    with np.errstate(invalid="ignore"):
        power = M * np.power(np.maximum(1.0 + safe_L * S * z, 1e-12), 1.0 / safe_L)
    return np.where(small, M * np.exp(S * z), power)


def z_of_value(L: np.ndarray, M: np.ndarray, S: np.ndarray, x: np.ndarray) -> np.ndarray:
    """The LMS z-score of measurement ``x``: $((X/M)^L - 1)/(L S)$."""
    L, M, S, x = (np.asarray(a, dtype=float) for a in (L, M, S, x))
    small = np.abs(L) < 1e-12
    safe_L = np.where(small, 1.0, L)
    return np.where(small, np.log(x / M) / S, (np.power(x / M, safe_L) - 1.0) / (safe_L * S))


def measurement(measure: str, sex: np.ndarray | str, age_months: np.ndarray | float, z: np.ndarray | float) -> np.ndarray:
    """Weight (kg) or stature (cm) at ``z`` for each (sex, age) pair.

    Examples
    --------
    >>> round(float(measurement("weight", "male", 24.0, 0.0)), 4)   # CDC wtage.csv, boys, 24 months: M
    12.6708
    """
    age = np.atleast_1d(np.asarray(age_months, dtype=float))
    zz = np.broadcast_to(np.asarray(z, dtype=float), age.shape)
    sexes = np.broadcast_to(np.asarray(sex), age.shape)
    out = np.empty(age.shape)
    for s in SEXES:
        mask = sexes == s
        if mask.any():
            out[mask] = value_at_z(*lms_at(measure, s, age[mask]), zz[mask])
    unknown = ~np.isin(sexes, SEXES)
    if unknown.any():
        raise UnknownNameError("sex", str(sexes[unknown][0]), SEXES)
    return out if np.ndim(age_months) else out[:1]
