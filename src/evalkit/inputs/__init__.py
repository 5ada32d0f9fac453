"""Inputs: a year's tables read from CSV/XLSX, validated against the data contract.

``schema`` declares the tables, ``read`` turns files into raw cells, ``validate`` checks them
and returns typed frames (``YearData``) or raises ``InputError`` listing every problem.
"""

from evalkit.inputs.read import RawTable, read_csv, read_xlsx
from evalkit.inputs.schema import TABLES, Column, Table
from evalkit.inputs.validate import (
    YearData,
    input_files,
    issues_frame,
    load_earlier_years,
    load_year,
    public_innovations,
    validate_year,
)

__all__ = [
    "TABLES",
    "Column",
    "RawTable",
    "Table",
    "YearData",
    "input_files",
    "issues_frame",
    "load_earlier_years",
    "load_year",
    "public_innovations",
    "read_csv",
    "read_xlsx",
    "validate_year",
]
