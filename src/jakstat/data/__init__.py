"""Packaged literature tables and their validating loaders.

Every table is a CSV in this folder; every row names its ``source`` and says whether the value was
``verified``. ``README_biology.md`` and ``README_pharmacology.md`` (copied from the curation)
describe the columns and the gaps. ``model_cell_types.csv`` lists the cell types the model builds
networks for.

Public API
----------
load_table(name)
    A validated table (text values as printed), cached, returned as a copy.
validate_table_file(path)
    Validate a CSV at any path with the row model chosen by its file stem.
table_row(name, **match)
    The single row matching ``column=value`` pairs.
table_names(), table_path(name), read_table_file(path)
    Listing, locating and reading (unvalidated) tables.
"""

from jakstat.data.schema import EVIDENCE, PACKAGE_TABLES, ROW_MODELS, SOURCE, VERIFIED, Row, columns_of, verified_flag
from jakstat.data.tables import (
    DATA_DIR,
    load_table,
    read_table_file,
    table_names,
    table_path,
    table_row,
    validate_table_file,
)

__all__ = [
    "DATA_DIR",
    "EVIDENCE",
    "PACKAGE_TABLES",
    "ROW_MODELS",
    "SOURCE",
    "VERIFIED",
    "Row",
    "columns_of",
    "load_table",
    "read_table_file",
    "table_names",
    "table_path",
    "table_row",
    "validate_table_file",
    "verified_flag",
]
