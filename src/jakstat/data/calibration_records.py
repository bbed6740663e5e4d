"""Stored calibrations: named, dated records of what was fitted, against which data, with what result.

A record is ``data/calibrations/NAME.json``::

    {"name": ..., "date": ..., "method": ..., "targets_fitted": [...], "targets_held_out": [...],
     "parameters": {"k_IL6_tx_stat": {"value": ..., "unit": ..., "network": ..., "prior": ...}},
     "result": {...}}

A network definition entry ``{calibrated: NAME}`` without a ``value`` takes its value from the record,
so the record is the single place a calibrated number lives.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from jakstat.errors import UnknownNameError

CALIBRATION_DIR = Path(str(resources.files("jakstat.data"))) / "calibrations"


def calibration_names() -> tuple[str, ...]:
    """Names of the stored calibrations."""
    return tuple(sorted(p.stem for p in CALIBRATION_DIR.glob("*.json")))


@lru_cache(maxsize=None)
def _read(name: str) -> dict[str, Any]:
    path = CALIBRATION_DIR / f"{name}.json"
    if not path.exists():
        raise UnknownNameError("calibration", name, calibration_names())
    return json.loads(path.read_text())


def calibration_record(name: str) -> dict[str, Any]:
    """The stored record of calibration ``name`` (a copy)."""
    return json.loads(json.dumps(_read(name)))


def calibrated_value(name: str, parameter: str) -> tuple[float, str, str]:
    """Value, unit and fitted-target list of ``parameter`` in calibration ``name``."""
    record = _read(name)
    params = record.get("parameters", {})
    if parameter not in params:
        raise UnknownNameError(f"parameter of calibration {name!r}", parameter, params)
    entry = params[parameter]
    return float(entry["value"]), str(entry["unit"]), ", ".join(record.get("targets_fitted", []))


def write_calibration_record(record: dict[str, Any], directory: Path = CALIBRATION_DIR) -> Path:
    """Write ``record`` as ``directory/NAME.json`` (sorted keys, one value per line) and forget cached reads."""
    path = Path(directory) / f"{record['name']}.json"
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n")
    _read.cache_clear()
    return path


__all__ = ["CALIBRATION_DIR", "calibrated_value", "calibration_names", "calibration_record", "write_calibration_record"]
