"""Dosing regimens: from "5 mg BID, missed dose 3, stop on day 10" to engine events.

A :class:`Regimen` holds what a prescriber writes; :func:`dose_schedule` turns it into doses (time,
mg) for a patient of a given weight, rounding each dose to what the products in
``drug_properties.csv`` can give; :func:`dose_events` turns doses into
:class:`~jakstat.network.model.Event` objects for the drug's PK network:

- first-order absorption: a bolus into the gut depot at dose time + lag;
- zero-order absorption (``D1``): input rate switched on at dose time + lag and off ``D1`` later;
- extended release (``XR``): a bolus into the XR depot (first-order ``ka_XR``), dose x ``F_XR/F_IR``
  (:mod:`jakstat.pharmacology.absorption`);
- parallel first/zero-order absorption (a first-order cap per dose, abrocitinib): the part above
  the cap enters at the model's zero-order rate.

Times are hours after the first scheduled dose. Units: doses in mg or mg/kg (pint), weight in kg.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pint

from jakstat.errors import InvalidValueError, UnitError, UnknownNameError
from jakstat.network.model import Event, EventAssignment
from jakstat.pharmacology import _rows
from jakstat.pharmacology.pk_model import GUT_SPECIES, GUT_VOLUME_L, XR_GUT_SPECIES, ZERO_ORDER_RATE
from jakstat.pharmacology.pk_parameters import PROPERTIES_TABLE, PkParameters
from jakstat.units import Quantity, parse_quantity

INTERVALS_H: dict[str, float] = {"QD": 24.0, "BID": 12.0, "TID": 8.0, "XR": 24.0}
"""Dosing interval of each regimen, h (``XR``: extended release once daily)."""
FORMULATIONS = ("tablet", "solution")
WEIGHT_RANGE_KG = (3.0, 150.0)
SOLUTION_STEP_ML = 0.1


def parse_weight(weight: str | pint.Quantity) -> float:
    """Body weight in kg from ``"70 kg"`` (or a pint quantity); must be 3-150 kg.

    Raises
    ------
    jakstat.errors.UnitError
        If the value has no unit or is not a mass.
    jakstat.errors.InvalidValueError
        If it is outside 3-150 kg.
    """
    quantity = parse_quantity(weight, "weight") if isinstance(weight, str) else weight
    if not isinstance(quantity, Quantity) or quantity.dimensionality != Quantity(1, "kg").dimensionality:
        raise UnitError(f"weight: {weight!r} is not a body mass; give one such as '70 kg'")
    kg = float(quantity.to("kg").magnitude)
    low, high = WEIGHT_RANGE_KG
    if not low <= kg <= high:
        raise InvalidValueError(f"weight: {kg:g} kg is outside the allowed range {low:g}-{high:g} kg")
    return kg


def parse_dose(dose: str | pint.Quantity, field_name: str = "dose") -> tuple[float, bool]:
    """A dose as ``(value, per_kg)``: mg, or mg/kg when ``per_kg``.

    Raises
    ------
    jakstat.errors.UnitError
        If the unit is neither a mass (mg) nor a mass per body weight (mg/kg).
    jakstat.errors.InvalidValueError
        If the dose is zero or negative.
    """
    quantity = parse_quantity(dose, field_name) if isinstance(dose, str) else dose
    if not isinstance(quantity, Quantity):
        raise UnitError(f"{field_name}: {dose!r} has no unit; give a mass ('5 mg') or a mass per weight ('0.1 mg/kg')")
    if quantity.dimensionality == Quantity(1, "mg").dimensionality:
        value, per_kg = float(quantity.to("mg").magnitude), False
    elif quantity.dimensionless and "gram" in str(quantity.units):
        value, per_kg = float(quantity.to("mg/kg").magnitude), True
    else:
        raise UnitError(f"{field_name}: {quantity:~P} has the wrong unit; expected a mass (mg, ug) "
                        "or a mass per body weight (mg/kg)")
    if not value > 0:
        raise InvalidValueError(f"{field_name}: must be > 0, got {quantity.magnitude:g} {quantity.units:~P}")
    return value, per_kg


def _hours(value: str | pint.Quantity, field_name: str) -> float:
    quantity = parse_quantity(value, field_name) if isinstance(value, str) else value
    if not isinstance(quantity, Quantity) or quantity.dimensionality != Quantity(1, "h").dimensionality:
        raise UnitError(f"{field_name}: {value!r} is not a time; give one such as '2 h'")
    return float(quantity.to("h").magnitude)


@dataclass(frozen=True)
class Regimen:
    """A dosing regimen.

    Attributes
    ----------
    frequency : {"QD", "BID", "TID", "XR"}
        Interval 24, 12, 8 h; ``XR`` is extended release once daily.
    dose : str or pint.Quantity
        Per dose: ``"5 mg"`` or ``"0.1 mg/kg"``.
    loading_dose : str or pint.Quantity, optional
        Replaces the first dose.
    missed : tuple of int
        Dose numbers (0 = first) that are not taken.
    late : mapping of int to str
        Dose number -> delay (``"3 h"``); later doses stay on schedule.
    stop_day : float, optional
        No doses at or after ``stop_day`` x 24 h.
    formulation : {"tablet", "solution"}
        Which product strengths the doses are rounded to.
    """

    frequency: str
    dose: str | pint.Quantity
    loading_dose: str | pint.Quantity | None = None
    missed: tuple[int, ...] = ()
    late: Mapping[int, str | pint.Quantity] = field(default_factory=dict)
    stop_day: float | None = None
    formulation: str = "tablet"

    def __post_init__(self) -> None:
        frequency = str(self.frequency).upper()
        if frequency not in INTERVALS_H:
            raise UnknownNameError("regimen", self.frequency, INTERVALS_H)
        object.__setattr__(self, "frequency", frequency)
        parse_dose(self.dose, "dose")
        if self.loading_dose is not None:
            parse_dose(self.loading_dose, "loading_dose")
        if self.formulation not in FORMULATIONS:
            raise UnknownNameError("formulation", self.formulation, FORMULATIONS)
        for number in (*self.missed, *self.late):
            if not isinstance(number, int) or number < 0:
                raise InvalidValueError(f"missed/late: dose numbers are integers >= 0 (0 = first dose); got {number!r}")
        for number, delay in self.late.items():
            hours = _hours(delay, f"late[{number}]")
            if not 0 <= hours < self.interval_h:
                raise InvalidValueError(f"late[{number}]: delay must be >= 0 h and shorter than the "
                                        f"{self.interval_h:g} h interval, got {hours:g} h")
        if self.stop_day is not None and not self.stop_day > 0:
            raise InvalidValueError(f"stop_day: must be > 0, got {self.stop_day!r}")

    @property
    def interval_h(self) -> float:
        return INTERVALS_H[self.frequency]

    @property
    def extended_release(self) -> bool:
        return self.frequency == "XR"


@dataclass(frozen=True)
class Dose:
    """One dose: time (h after the first scheduled dose), mg given, mg asked for, and how."""

    number: int
    time_h: float
    mg: float
    requested_mg: float
    extended_release: bool
    note: str = ""


def strengths(drug: str, formulation: str, extended_release: bool) -> tuple[tuple[float, ...], str, str]:
    """Product strengths of ``drug`` from ``drug_properties.csv``.

    Returns
    -------
    (tuple of float, str, str)
        Strengths (mg for tablets, mg/mL for a solution), their unit, and the sources used
        (empty tuple when the table has none for this product).
    """
    rows = _rows.drug_rows(PROPERTIES_TABLE, drug)
    rows = rows[rows["property"] == "strengths"].to_dict(orient="records")
    if formulation == "solution":
        chosen = [r for r in rows if "solution" in r["condition"]]
    elif extended_release:
        chosen = [r for r in rows if "extended-release" in r["condition"]]
    else:
        chosen = [r for r in rows if r["condition"].startswith("tablet")]
    values = sorted({float(v) for r in chosen for v in r["value"].split(";")})
    unit = chosen[0]["unit"] if chosen else ""
    sources = "; ".join(f"{r['source']} (verified={r['verified']})" for r in chosen)
    return tuple(values), unit, sources


def round_dose(mg: float, available: tuple[float, ...], unit: str) -> float:
    """The achievable dose nearest to ``mg`` (ties to the lower), at least one unit.

    Tablets: any whole number of tablets of the listed strengths (sums found on a 1 ug grid);
    solution: steps of 0.1 mL at the listed concentration (mg/mL). No strengths: unchanged.

    Examples
    --------
    >>> round_dose(13.0, (5.0, 10.0), "mg")
    15.0
    >>> round_dose(0.26, (1.0,), "mg/mL")
    0.3
    """
    if not available:
        return mg
    if unit == "mg/mL":
        step = available[0] * SOLUTION_STEP_ML
        return round(max(step, round(mg / step) * step), 9)
    micrograms = [int(round(s * 1000)) for s in available]
    step = math.gcd(*micrograms)
    grid = [g // step for g in micrograms]
    limit = int(round(mg * 1000 / step)) + max(grid)
    reachable = np.zeros(limit + 1, dtype=bool)
    reachable[0] = True
    for i in range(1, limit + 1):
        reachable[i] = any(i >= g and reachable[i - g] for g in grid)
    options = np.nonzero(reachable[1:])[0] + 1
    target = mg * 1000 / step
    best = options[np.argmin(np.abs(options - target) + 1e-9 * options)]
    return float(best) * step / 1000.0


def dose_schedule(drug: str, regimen: Regimen, weight_kg: float, days: float) -> tuple[Dose, ...]:
    """The doses of ``regimen`` within ``days`` for a patient of ``weight_kg``.

    Parameters
    ----------
    drug : str
        Lower-case INN (strengths are looked up for it).
    regimen : Regimen
        What is prescribed.
    weight_kg : float
        Body weight, kg (mg/kg doses are multiplied by it).
    days : float
        Horizon, days; doses at t < days x 24 h are listed.

    Returns
    -------
    tuple of Dose
        In time order, missed doses left out.
    """
    available, unit, _ = strengths(drug, regimen.formulation, regimen.extended_release)
    n_doses = int(math.ceil(days * 24.0 / regimen.interval_h - 1e-9))
    doses = []
    for number in range(n_doses):
        nominal = number * regimen.interval_h
        if number in regimen.missed:
            continue
        if regimen.stop_day is not None and nominal >= regimen.stop_day * 24.0 - 1e-9:
            break
        loading = number == 0 and regimen.loading_dose is not None
        text = regimen.loading_dose if loading else regimen.dose
        value, per_kg = parse_dose(text, "loading_dose" if loading else "dose")  # type: ignore[arg-type]
        requested = value * weight_kg if per_kg else value
        given = round_dose(requested, available, unit)
        if not available:
            note = f"no {regimen.formulation} strengths for {drug} in {PROPERTIES_TABLE}.csv: not rounded"
        elif abs(given - requested) > 1e-9 * max(requested, 1.0):
            strengths_text = ", ".join(f"{a:g}" for a in available)
            note = (f"{requested:g} mg rounded to {given:g} mg ({regimen.formulation} strengths {strengths_text} "
                    f"{unit})")
        else:
            note = ""
        delay = _hours(regimen.late[number], f"late[{number}]") if number in regimen.late else 0.0
        doses.append(Dose(number, nominal + delay, given, requested, regimen.extended_release, note))
    return tuple(doses)


def dose_events(doses: tuple[Dose, ...], params: PkParameters) -> tuple[Event, ...]:
    """Engine events that put ``doses`` into the PK network of ``params``.

    Raises
    ------
    jakstat.errors.InvalidValueError
        If an extended-release dose is given for a drug without XR data.
    """
    mw = params.molecular_weight.value
    f = params.bioavailability.value
    lag = params.lag.value
    events: list[Event] = []
    for dose in doses:
        nmol = dose.mg * 1e6 / mw
        start = dose.time_h + lag
        tag = f"dose{dose.number}"
        if dose.extended_release:
            if params.xr is None:
                from jakstat.pharmacology.pk_parameters import pk_drugs, pk_parameters

                with_xr = ", ".join(d for d in pk_drugs() if pk_parameters(d).xr is not None)
                raise InvalidValueError(f"regimen: 'XR' needs extended-release data for {params.drug} "
                                        f"(xr_relative_bioavailability and an XR Tmax); drugs with XR data: {with_xr}")
            amount = nmol * f * params.xr.relative_f.value
            events.append(Event(tag, start, "h", (EventAssignment(XR_GUT_SPECIES, amount / GUT_VOLUME_L, "nM", "add"),),
                                description=f"{dose.mg:g} mg extended release into the XR depot"))
        elif params.zero_order_duration is not None:
            events += _zero_order(tag, start, nmol * f, params.zero_order_duration.value)
        else:
            first = nmol
            if params.first_order_cap_mg is not None and dose.mg > params.first_order_cap_mg.value:
                excess_mg = dose.mg - params.first_order_cap_mg.value
                first = params.first_order_cap_mg.value * 1e6 / mw
                duration = excess_mg / params.zero_order_rate_mg_h.value  # type: ignore[union-attr]
                events += _zero_order(f"{tag}_excess", start, excess_mg * 1e6 / mw * f, duration)
            events.append(Event(tag, start, "h", (EventAssignment(GUT_SPECIES, first * f / GUT_VOLUME_L, "nM", "add"),),
                                description=f"{dose.mg:g} mg into the gut depot"))
    return tuple(events)


def _zero_order(tag: str, start: float, nmol: float, duration: float) -> list[Event]:
    rate = nmol / duration
    return [Event(f"{tag}_on", start, "h", (EventAssignment(ZERO_ORDER_RATE, rate, "nmol/h", "add"),),
                  description=f"zero-order input of {nmol:g} nmol over {duration:g} h starts"),
            Event(f"{tag}_off", start + duration, "h", (EventAssignment(ZERO_ORDER_RATE, -rate, "nmol/h", "add"),),
                  description="zero-order input ends")]
