"""Generated documentation is current: docs/model_card.md equals what `jakstat kb card` writes now."""

from __future__ import annotations

from pathlib import Path

from jakstat.report.model_card import model_cards

ROOT = Path(__file__).resolve().parents[1]


def test_model_card_is_current():
    committed = (ROOT / "docs" / "model_card.md").read_text()
    assert committed == model_cards(), (
        "docs/model_card.md is stale: run `jakstat kb card -o docs/model_card.md`")


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text().strip().splitlines()[-1]
    assert ci in readme
    assert "not clinical advice" in readme
