"""One mutation per test: a broken copy of a packaged table must fail with a precise message."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from jakstat.data import table_path, validate_table_file
from jakstat.errors import TableError, UnknownNameError


def _rows(name: str) -> list[list[str]]:
    with table_path(name).open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(tmp_path: Path, name: str, rows: list[list[str]]) -> Path:
    path = tmp_path / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _mutated(tmp_path: Path, name: str, row: int, column: str, value: str) -> Path:
    """Copy table ``name`` with data row ``row`` (1-based), ``column`` set to ``value``."""
    rows = _rows(name)
    rows[row][rows[0].index(column)] = value
    return _write(tmp_path, name, rows)


@pytest.mark.parametrize("name", ["pathway_cytokine_receptors", "kinetics_il6_jak_stat", "variant_stat"])
def test_unmutated_copy_validates(tmp_path: Path, name: str) -> None:
    # The control for the tests below: the copy mechanism itself introduces no error.
    frame = validate_table_file(_write(tmp_path, name, _rows(name)))
    assert len(frame) == len(_rows(name)) - 1


def test_empty_source(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "pathway_cytokine_receptors", 3, "source", "")
    with pytest.raises(TableError) as info:
        validate_table_file(path)
    error = info.value
    assert (error.file, error.row, error.column, error.value) == ("pathway_cytokine_receptors.csv", 3, "source", "")
    assert str(error).startswith("pathway_cytokine_receptors.csv, row 3, column 'source': bad value ''")
    assert "must not be empty" in str(error)


def test_blank_source(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "drug_enzyme_potency", 12, "source", "   ")
    with pytest.raises(TableError, match=r"drug_enzyme_potency\.csv, row 12, column 'source': bad value '   '"):
        validate_table_file(path)


def test_verified_maybe(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "gene_targets", 5, "verified", "maybe")
    with pytest.raises(TableError) as info:
        validate_table_file(path)
    message = str(info.value)
    assert "gene_targets.csv" in message and "row 5" in message
    assert "column 'verified'" in message and "'maybe'" in message
    assert "'yes' or 'no'" in message


def test_verified_secondary_only_allowed_in_dpm_targets(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "variant_stat", 2, "verified", "secondary")
    with pytest.raises(TableError, match=r"variant_stat\.csv, row 2, column 'verified': bad value 'secondary'"):
        validate_table_file(path)


def test_non_numeric_kinetics_value(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "kinetics_il6_jak_stat", 7, "value", "0.1 nM")
    with pytest.raises(TableError) as info:
        validate_table_file(path)
    message = str(info.value)
    assert message.startswith("kinetics_il6_jak_stat.csv, row 7, column 'value': bad value '0.1 nM'")
    assert "must be a number" in message


def test_infinite_kinetics_value(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "kinetics_ifn_jak_stat", 2, "value", "inf")
    with pytest.raises(TableError, match=r"row 2, column 'value': bad value 'inf': must be a finite number"):
        validate_table_file(path)


def test_non_numeric_ic50(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "drug_enzyme_potency", 4, "ic50_value", "about 400")
    expected = r"drug_enzyme_potency\.csv, row 4, column 'ic50_value': bad value 'about 400'"
    with pytest.raises(TableError, match=expected):
        validate_table_file(path)


def test_ic50_comparator_disagrees_with_qualifier(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "drug_enzyme_potency", 8, "qualifier", "=")  # row 8 is ">400"
    with pytest.raises(TableError) as info:
        validate_table_file(path)
    assert (info.value.row, info.value.column, info.value.value) == (8, "ic50_value", ">400")
    assert "qualifier" in str(info.value)


def test_missing_column(tmp_path: Path) -> None:
    rows = _rows("variant_stat")
    drop = rows[0].index("verified")
    path = _write(tmp_path, "variant_stat", [r[:drop] + r[drop + 1:] for r in rows])
    with pytest.raises(TableError) as info:
        validate_table_file(path)
    error = info.value
    assert error.row is None and error.column == "verified"
    message = str(error)
    assert message.startswith("variant_stat.csv, column 'verified'")
    assert "missing" in message
    assert "expected columns: gene, variant_protein, variant_cdna" in message and message.endswith("evidence, verified")


def test_empty_key_column(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "pathway_cytokine_receptors", 1, "cytokine", "")
    with pytest.raises(TableError, match=r"row 1, column 'cytokine': bad value ''"):
        validate_table_file(path)


def test_duplicate_key(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "pathway_cytokine_receptors", 5, "cytokine", "OSM")  # OSM is row 4
    with pytest.raises(TableError) as info:
        validate_table_file(path)
    assert (info.value.row, info.value.column, info.value.value) == (5, "cytokine", "OSM")
    assert "duplicate key" in str(info.value) and "row 4" in str(info.value)


def test_upper_case_drug_name(tmp_path: Path) -> None:
    path = _mutated(tmp_path, "pk_small_molecules", 1, "drug", "Ruxolitinib")
    with pytest.raises(TableError, match=r"row 1, column 'drug': bad value 'Ruxolitinib': must be a lower-case INN"):
        validate_table_file(path)


def test_unknown_table_stem(tmp_path: Path) -> None:
    path = _write(tmp_path, "my_table", _rows("variant_stat"))
    with pytest.raises(UnknownNameError, match=r"unknown table 'my_table'; known: .*variant_stat"):
        validate_table_file(path)


def test_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "variant_stat.csv"
    path.write_bytes(b"gene,variant_protein\n\xff\xfe,x\n")
    with pytest.raises(TableError, match=r"variant_stat\.csv.*cannot read the file as CSV"):
        validate_table_file(path)
