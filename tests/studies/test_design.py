"""Trial designs: valid ones load; each broken field is named by its path (one mutation per case)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from jakstat.studies.design import ConfigError, load_config, parse_config

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"

VALID = {
    "name": "t", "seed": 1, "sample_size": 10, "chunk_size": 4,
    "population": {"disease": "JDM", "age_years": [2, 17]},
    "arms": [
        {"name": "a", "drug": "baricitinib", "regimen": "QD", "bands": [{"upto_kg": 30, "dose": "2 mg"}, {"dose": "4 mg"}]},
        {"name": "b", "drug": "ruxolitinib", "regimen": "BID", "dose": "0.2 mg/kg", "max_dose": "10 mg"},
        {"name": "pbo", "drug": "placebo"},
    ],
    "endpoints": [{"kind": "exposure"}, {"kind": "inhibition", "cytokine": "IL-6", "thresholds": [0.5]}],
}


def _mutated(path: tuple, value) -> dict:
    data = copy.deepcopy(VALID)
    target = data
    for key in path[:-1]:
        target = target[key]
    if value is _DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


_DELETE = object()


def test_valid_design_and_examples_load() -> None:
    config = parse_config(VALID)
    assert [a.name for a in config.arms] == ["a", "b", "pbo"]
    assert config.arms[1].interval_h == 12.0
    for path in sorted(EXAMPLES.glob("trial_*.yaml")):
        assert load_config(path).sample_size > 0
    assert len(list(EXAMPLES.glob("trial_*.yaml"))) >= 2


@pytest.mark.parametrize("path, value, expected", [
    (("arms", 1, "dose"), "-1 mg", "arms[1].dose: must be > 0 mg"),
    (("arms", 1, "dose"), "0 mg/kg", "arms[1].dose: must be > 0 mg"),
    (("arms", 1, "dose"), "5 mL", "arms[1].dose: '5 mL' is not a dose"),
    (("arms", 0, "bands", 0, "dose"), "0 mg", "arms[0].bands[0].dose: must be > 0 mg"),
    (("arms", 0, "bands", 0, "upto_kg"), -3, "arms[0].bands[0].upto_kg"),
    (("arms", 1, "drug"), "ruxolitnib", "arms[1].drug: 'ruxolitnib' has no PK model; allowed: placebo, ruxolitinib"),
    (("arms", 1, "regimen"), "QID", "arms[1].regimen: 'QID' is not allowed; allowed: QD, BID, TID, XR"),
    (("arms", 1, "duration_days"), 0, "arms[1].duration_days"),
    (("arms", 1, "doze"), "5 mg", "arms[1].doze: unknown field 'doze'"),
    (("arms", 2, "name"), "a", "arms: arm names must be unique; repeated: a"),
    (("arms", 2, "name"), "my arm/1", "arms[2].name: 'my arm/1' is not allowed"),
    (("sample_size",), 0, "sample_size"),
    (("seed",), _DELETE, "seed: required field missing"),
    (("population", "age_years"), [1, 5], "population.age_years: must satisfy 2 <= low < high <= 20"),
    (("population", "disease"), "SLE", "population.disease"),
    (("endpoints", 1, "cytokine"), "IL-66", "endpoints[1].cytokine: unknown cytokine 'IL-66'; known: IL-6"),
    (("endpoints", 1, "thresholds"), [1.5], "endpoints[1].thresholds: inhibition thresholds are fractions in (0, 1)"),
    (("endpoints", 0, "kind"), "fibroblast_il6_secretion", "endpoints[0].kind: 'fibroblast_il6_secretion' is not available yet"),
    (("endpoints", 0, "kind"), "auc", "endpoints[0].kind: 'auc' is not an endpoint; allowed: exposure, inhibition"),
])
def test_one_broken_field_is_named_by_its_path(path, value, expected) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config(_mutated(path, value))
    assert expected in str(info.value)
    assert len(info.value.issues) == 1, info.value.issues


def test_arm_rule_errors() -> None:
    both = _mutated(("arms", 1, "bands"), [{"dose": "5 mg"}])
    with pytest.raises(ConfigError, match=r"arms\[1\]: give exactly one of dose"):
        parse_config(both)
    with pytest.raises(ConfigError, match=r"arms\[2\]: a placebo arm takes no dose"):
        parse_config(_mutated(("arms", 2, "dose"), "5 mg"))
    with pytest.raises(ConfigError, match=r"arms\[0\].bands: every band but the last needs upto_kg"):
        parse_config(_mutated(("arms", 0, "bands"), [{"dose": "2 mg"}, {"dose": "4 mg"}]))
    with pytest.raises(ConfigError, match=r"arms\[0\].bands: upto_kg must increase"):
        parse_config(_mutated(("arms", 0, "bands"), [{"upto_kg": 30, "dose": "2 mg"}, {"upto_kg": 20, "dose": "2 mg"},
                                                       {"dose": "4 mg"}]))
    with pytest.raises(ConfigError, match=r"arms\[0\]: regimen: 'XR' needs extended-release data"):
        parse_config(_mutated(("arms", 0, "regimen"), "XR"))


def test_yaml_errors_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("seed: 1\nsample_size: 5\narms:\n  - {name: a, drug: baricitinib, dose: -4 mg}\n")
    with pytest.raises(ConfigError, match=r"bad.yaml: arms\[0\].dose: must be > 0 mg"):
        load_config(bad)
    broken = tmp_path / "broken.yaml"
    broken.write_text("seed: [1\n")
    with pytest.raises(ConfigError, match=r"broken.yaml: \(yaml\)"):
        load_config(broken)


def test_fingerprint_changes_with_the_design() -> None:
    assert parse_config(VALID).fingerprint() == parse_config(copy.deepcopy(VALID)).fingerprint()
    assert parse_config(_mutated(("seed",), 2)).fingerprint() != parse_config(VALID).fingerprint()
