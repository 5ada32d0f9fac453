"""An evaluator labels the suggested innovations: in a small notebook form, or in the CSV or
XLSX that ``evalkit themes suggest --out`` writes. Either way the labels go through
:func:`evalkit.themes.workflow.save_labels` into the region's labelled-rows file
(``themes.labels``), and the next run of the model learns from them.

The widget code stays thin: what decides (which rows, which checks) is testable without a
browser.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.i18n import Translator
from evalkit.issues import InputError, Issue
from evalkit.themes.taxonomy import Taxonomy
from evalkit.themes.workflow import LABEL_FILE_COLUMNS, read_rows, save_labels


def import_filled(path: Path, labels_file: Path, taxonomy: Taxonomy) -> pd.DataFrame:
    """Add the rows of a filled suggestions file (CSV or XLSX with innovation_id, title and
    theme; rows left without a theme are skipped) to ``labels_file``; return the new rows."""
    filled = read_rows(path, ("innovation_id", "title", "theme"))
    filled = filled.reindex(columns=list(LABEL_FILE_COLUMNS), fill_value="").fillna("")
    filled = filled[filled["theme"].str.strip() != ""]
    try:
        save_labels(labels_file, filled, taxonomy)
    except InputError as error:  # name the filled file, not the labels file
        raise InputError([Issue(i.severity, i.message, file=str(path),
                                row=None if i.row is None else i.row + 1, column=i.column,
                                code=i.code) for i in error.issues]) from error
    return filled.reset_index(drop=True)


def form_rows(suggested: pd.DataFrame, choices: dict[str, str]) -> pd.DataFrame:
    """The suggested rows the evaluator gave a theme (``choices``: innovation_id -> theme)."""
    rows = suggested.assign(theme=[choices.get(str(i), "") for i in suggested["innovation_id"]])
    return rows[rows["theme"] != ""].reindex(columns=list(LABEL_FILE_COLUMNS), fill_value="")


def build_label_form(suggested: pd.DataFrame, labels_file: Path | None, taxonomy: Taxonomy,
                     t: Translator) -> Any:
    """An ipywidgets form: one theme picker per suggested innovation, and Save. Returns the
    widget (display it; nothing waits on it, so an unattended run passes straight through)."""
    import ipywidgets as w

    out = w.Output()
    if labels_file is None:
        with out:
            print(t("themes.form.no_file"))
        return out
    options = [(t("themes.form.pick"), "")] + [(taxonomy.label(i, t.lang), i)
                                               for i in taxonomy.ids]
    pickers: dict[str, Any] = {}
    grid: list[Any] = [w.HTML(f"<b>{t('themes.form.innovation')}</b>"),
                       w.HTML(f"<b>{t('themes.form.theme')}</b>")]
    for row in suggested.itertuples(index=False):
        now = t("themes.form.now", theme=taxonomy.label(row.suggested_theme, t.lang),
                confidence=t.number(row.confidence, 2))
        grid.append(w.HTML(f"<b>{row.innovation_id}</b> {row.title}<br><small>{row.unit}"
                           f" · {now}</small>"))
        pickers[str(row.innovation_id)] = w.Dropdown(options=options, value="")
        grid.append(pickers[str(row.innovation_id)])
    save = w.Button(description=t("themes.form.save"), button_style="primary")

    def on_save(_: Any) -> None:
        rows = form_rows(suggested, {k: p.value for k, p in pickers.items()})
        with out:
            out.clear_output()
            try:
                save_labels(labels_file, rows, taxonomy)
            except InputError as error:
                print(t("themes.form.rejected"))
                for issue in error.issues:
                    print(f"  {issue}")
                return
            print(t("themes.form.saved", n=len(rows), file=str(labels_file)))

    save.on_click(on_save)
    body = w.GridBox(grid, layout=w.Layout(grid_template_columns="3fr 1fr"))
    return w.VBox([body, save, out])
