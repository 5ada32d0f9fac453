"""Inputs: a year's tables read from CSV/XLSX, validated against the data contract.

``schema`` declares the tables and ``vocabularies/`` the official lists (``vocabulary``);
``read`` (with ``xlsx``) turns files into raw cells, ``discover`` finds the tables of a year
folder (``importers`` recognises other systems' exports), ``columns`` maps headers and
converts cells, ``units`` and ``duplicates`` check across rows, and ``validate`` returns typed
frames (``YearData``) or raises ``InputError`` listing every problem.
"""

from evalkit.inputs.read import RawTable, read_csv, read_xlsx
from evalkit.inputs.schema import TABLES, Column, Table
from evalkit.inputs.validate import (
    Checked,
    YearData,
    check_params_year,
    input_files,
    issues_frame,
    load_earlier_years,
    load_year,
    public_innovations,
    validate_year,
)
from evalkit.inputs.vocabulary import Vocabulary, vocabulary

__all__ = [
    "TABLES",
    "Checked",
    "Column",
    "RawTable",
    "Table",
    "Vocabulary",
    "YearData",
    "check_params_year",
    "input_files",
    "issues_frame",
    "load_earlier_years",
    "load_year",
    "public_innovations",
    "read_csv",
    "read_xlsx",
    "validate_year",
    "vocabulary",
]
