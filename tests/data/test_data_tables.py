"""The packaged tables load, validate, keep values as printed, and equal the curated files."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pandas as pd
import pytest
import yaml

from jakstat.data import (
    DATA_DIR,
    PACKAGE_TABLES,
    ROW_MODELS,
    columns_of,
    load_table,
    table_names,
    table_path,
    table_row,
    validate_table_file,
)
from jakstat.errors import TableError, UnknownNameError

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CURATED = sorted(f"{name}.csv" for name in ROW_MODELS if name not in PACKAGE_TABLES)


def test_every_packaged_csv_has_a_row_model() -> None:
    on_disk = {p.stem for p in DATA_DIR.glob("*.csv")}
    assert on_disk == set(ROW_MODELS)
    assert set(table_names()) == on_disk


@pytest.mark.parametrize("name", sorted(ROW_MODELS))
def test_table_loads_and_validates(name: str) -> None:
    frame = load_table(name)
    assert len(frame) > 0
    assert set(columns_of(ROW_MODELS[name])) <= set(frame.columns)
    assert (frame["source"].str.strip() != "").all()
    assert all(isinstance(value, str) for value in frame.to_numpy().ravel())
    assert validate_table_file(table_path(name)).equals(frame)


@pytest.mark.parametrize("name", sorted(ROW_MODELS))
def test_row_model_columns_are_the_file_header_in_order(name: str) -> None:
    with table_path(name).open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert list(columns_of(ROW_MODELS[name])) == header


DIVERGED = yaml.safe_load((DATA_DIR / "curated_copies.yaml").read_text())


@pytest.mark.parametrize("file", CURATED)
def test_packaged_copy_equals_curated_file(file: str) -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"curated data folder {SHARED_DATA} not present (only in the development checkout)")
    packaged, curated = (DATA_DIR / file).read_bytes(), (SHARED_DATA / file).read_bytes()
    if file not in DIVERGED:
        assert packaged == curated
        return
    # a documented change (curated_copies.yaml): made on this version of the curated file, no row dropped
    entry = DIVERGED[file]
    assert hashlib.sha256(curated).hexdigest() == entry["curated_sha256"], (
        f"{file}: the curated file changed since the package's change of {entry['date']}; merge it")
    assert packaged != curated, f"{file}: equals the curated file again; remove its curated_copies.yaml entry"
    assert len(pd.read_csv(DATA_DIR / file)) >= len(pd.read_csv(SHARED_DATA / file))
    assert len(entry["changes"]) > 40


def test_documented_divergences_name_curated_tables() -> None:
    assert set(DIVERGED) <= set(CURATED)


def test_every_curated_file_is_packaged() -> None:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"curated data folder {SHARED_DATA} not present (only in the development checkout)")
    assert {p.name for p in SHARED_DATA.glob("*.csv")} == set(CURATED)
    assert not {f"{name}.csv" for name in PACKAGE_TABLES} & {p.name for p in SHARED_DATA.glob("*.csv")}
    for readme in ("README_biology.md", "README_pharmacology.md"):
        assert (DATA_DIR / readme).read_bytes() == (SHARED_DATA / readme).read_bytes()


def test_values_are_kept_as_printed() -> None:
    cells = load_table("cell_types")
    assert cells.loc[0, "value"] == "5.186 (95% CI 4.631-5.740); reported range 0-43.5"
    potency = load_table("drug_enzyme_potency")
    baricitinib_jak3 = potency[(potency["drug"] == "baricitinib") & (potency["kinase"] == "JAK3")]
    assert baricitinib_jak3["ic50_value"].tolist() == [">400"]
    assert "55.0" in set(potency["ic50_value"])  # not turned into 55
    pk = load_table("pk_small_molecules")
    assert pk.loc[0, "variability"] == ""  # empty cell stays "", not NaN
    assert not pk.isna().any().any()


def test_load_table_returns_independent_copies() -> None:
    first = load_table("variant_stat")
    first.loc[0, "gene"] = "CHANGED"
    assert load_table("variant_stat").loc[0, "gene"] == "STAT4"


def test_unknown_table_lists_known_tables() -> None:
    with pytest.raises(UnknownNameError) as info:
        load_table("pathway_cytokine_receptor")
    message = str(info.value)
    assert message.startswith("unknown table 'pathway_cytokine_receptor'; known: ")
    assert "pathway_cytokine_receptors" in message and "variant_stat" in message


def test_table_row_returns_the_matching_row() -> None:
    row = table_row("kinetics_il6_jak_stat", model="Singh2006_IL6 (BIOMD0000000151)", parameter="IL6")
    assert row["value"] == "0.38"
    assert row["unit"] == "nM"
    assert table_row("pathway_cytokine_receptors", cytokine="IFN-gamma (type II)")["jak_per_chain"] == (
        "IFNGR1: JAK1; IFNGR2: JAK2"
    )


def test_table_row_without_match_names_table_and_key() -> None:
    with pytest.raises(TableError) as info:
        table_row("pathway_cytokine_receptors", cytokine="IL-66")
    message = str(info.value)
    assert "pathway_cytokine_receptors" in message
    assert "cytokine='IL-66'" in message
    assert "IL-6 (classic)" in message  # the known values of the key column are listed


def test_table_row_with_several_matches_names_table_key_and_rows() -> None:
    with pytest.raises(TableError) as info:
        table_row("drug_enzyme_potency", drug="tofacitinib", kinase="JAK1")
    message = str(info.value)
    assert "drug_enzyme_potency" in message
    assert "drug='tofacitinib', kinase='JAK1'" in message
    assert "3 rows" in message and "rows 9, 15, 16" in message


def test_table_row_unknown_column() -> None:
    with pytest.raises(TableError) as info:
        table_row("variant_stat", protein="A635V")
    assert "'protein'" in str(info.value) and "variant_protein" in str(info.value)


def test_kinetics_values_parse_as_numbers() -> None:
    for name in ("kinetics_il6_jak_stat", "kinetics_ifn_jak_stat", "kinetics_epo_jak2_stat5_reference"):
        values = pd.to_numeric(load_table(name)["value"], errors="raise")
        assert values.notna().all()
