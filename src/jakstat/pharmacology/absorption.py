"""Extended-release absorption and the Tmax -> ka derivation.

Extended release (XR/ER) is modelled as first-order absorption from its own depot, after the
immediate-release model's lag, with a relative bioavailability ``F_XR/F_IR`` and an absorption
rate ``ka_XR`` solved so that the model's Tmax equals the XR product's Tmax (Derived; the same rule
that gives ``ka`` from a Tmax for immediate release). Zero-order input over ``D1 = Tmax`` was tried
first and rejected: it put the tofacitinib XR steady-state Cmax 40% above IR 5 mg BID, where the
XR/IR study found them equivalent (docs/pharmacology_validation.md). Both numbers come from the
tables:

- ``F_XR/F_IR``: ``xr_relative_bioavailability`` rows of ``drug_properties.csv``;
- Tmax: ``Tmax`` rows of ``drug_properties.csv`` or ``pk_small_molecules.csv`` whose condition or
  population names an extended-release product (``extended``, ``ER``, ``XR``, ``MR``); a range is
  read at its midpoint.

A drug without these rows has no XR model (the regimen ``XR`` is refused for it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from jakstat.network.provenance import Derived
from jakstat.pharmacology import _rows
from jakstat.pharmacology.analytic import ka_for_tmax

if TYPE_CHECKING:
    from jakstat.pharmacology.pk_parameters import PkParameters, PkValue

__all__ = ["XrAbsorption", "ka_for_tmax", "xr_absorption"]

_XR_WORDS = ("extended", "ER)", "(ER", " ER ", "XR", "MR")


@dataclass(frozen=True)
class XrAbsorption:
    """Extended-release input: first order with ``ka`` (1/h) from a separate depot, dose x ``relative_f``."""

    relative_f: "PkValue"
    ka: "PkValue"
    tmax: "PkValue"


def _is_xr(text: str) -> bool:
    padded = f" {text} "
    return any(word in padded for word in _XR_WORDS)


def xr_absorption(drug: str, params: "PkParameters") -> XrAbsorption | None:
    """The XR absorption of ``drug`` from the tables, or None when they lack F_rel or an XR Tmax."""
    from jakstat.pharmacology.pk_parameters import PK_TABLE, PROPERTIES_TABLE, PkValue

    props = _rows.drug_rows(PROPERTIES_TABLE, drug).to_dict(orient="records")
    frel_rows = _rows.prefer_verified(r for r in props if r["property"] == "xr_relative_bioavailability")
    if not frel_rows:
        return None
    frel_row = frel_rows[0]
    relative_f = PkValue(float(frel_row["value"]), "dimensionless", _rows.source_of(PROPERTIES_TABLE, frel_row))
    candidates = [(PROPERTIES_TABLE, r) for r in props if r["property"] == "Tmax" and _is_xr(r["condition"])]
    pk = _rows.drug_rows(PK_TABLE, drug).to_dict(orient="records")
    candidates += [(PK_TABLE, r) for r in pk if r["parameter"] == "Tmax" and _is_xr(r["population"])]
    candidates.sort(key=lambda item: 0 if item[1]["verified"] == "yes" else 1)
    if not candidates:
        return None
    table, row = candidates[0]
    tmax, note = _rows.parse_value(row["value"])
    where = (f"{table}.csv [{_rows.row_key(table, row)}], {row['source']}, verified={row['verified']}"
             + (f"; {note}" if note else ""))
    ka = ka_for_tmax(params, tmax - params.lag.value)
    how = (f"ka_XR solved so that the model's Tmax (lag {params.lag.value:g} h included) equals the XR Tmax "
           f"{tmax:g} h ({where})")
    return XrAbsorption(relative_f=relative_f, ka=PkValue(ka, "1/h", Derived(how)),
                        tmax=PkValue(tmax, "h", _rows.source_of(table, row, note)))
