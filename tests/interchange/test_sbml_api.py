"""simulate_sbml: times are in the model's own time unit; t_end with a unit is converted into it."""

from __future__ import annotations

import numpy as np
import pytest

from interchange_helpers import sbml_model
from jakstat.errors import InvalidValueError
from jakstat.sbml_api import simulate_petab, simulate_sbml

DECAY = dict(species=[("A", 1.0, False, False, False)], parameters=[("k", 0.5)],
             reactions=[("decay", [("A", 1)], [], "cell * k * A", [])])


def test_a_model_without_time_units_is_in_seconds(tmp_path):
    path = tmp_path / "decay.xml"
    path.write_text(sbml_model(**DECAY))
    ds = simulate_sbml(path, t_end="1 min", n_points=61)
    assert ds["time"].attrs["units"] == "s" and float(ds["time"][-1]) == 60.0
    assert float(ds["time_h"][-1]) == pytest.approx(1 / 60)
    # k = 0.5 per model time unit: A(t) = exp(-0.5 t), t in model units
    np.testing.assert_allclose(ds["A"].values, np.exp(-0.5 * ds["time"].values), rtol=1e-6, atol=1e-10)
    assert float(simulate_sbml(path, t_end=20, n_points=5)["time"][-1]) == 20.0  # bare number: model units
    assert float(simulate_sbml(path, t_end="20", n_points=5)["time"][-1]) == 20.0  # also as text (CLI)


def test_a_model_in_hours_converts_t_end_into_hours():
    text = sbml_model(**DECAY, time_unit_seconds=3600.0)
    ds = simulate_sbml(text, t_end="90 min", n_points=4)
    assert ds["time"].attrs["units"] == "h" and ds["time"].values.tolist() == [0.0, 0.5, 1.0, 1.5]
    np.testing.assert_allclose(ds["time_h"].values, ds["time"].values)
    np.testing.assert_allclose(ds["A"].values, np.exp(-0.5 * ds["time"].values), rtol=1e-6, atol=1e-10)


def test_dimensionless_model_time_needs_a_bare_number():
    text = sbml_model(**DECAY, time_unit_seconds=None).replace("<model ", '<model timeUnits="dimensionless" ', 1)
    with pytest.raises(InvalidValueError, match="give t_end as a number of model time units"):
        simulate_sbml(text, t_end="1 h")
    ds = simulate_sbml(text, t_end=4, n_points=3)
    assert "time_h" not in ds.coords and float(ds["time"][-1]) == 4.0


def test_boehm_minutes(petab_problem):
    ds = simulate_petab(petab_problem("Boehm_JProteomeRes2014"), t_end="4 h", n_points=100)
    assert ds["time"].attrs["units"] == "min" and float(ds["time"][-1]) == 240.0
    assert float(ds["time_h"][-1]) == pytest.approx(4.0)
