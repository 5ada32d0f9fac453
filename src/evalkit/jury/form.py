"""The notebook form: a juror picks their code and scores their assigned entries.

The form only collects text from widgets; :func:`submit` checks it with exactly the checks the
sheet import uses (``check_submission``) and stores it with the same atomic replace and log.
The widget code stays thin so everything that decides is testable without a browser.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalkit.i18n import Translator
from evalkit.issues import Issue
from evalkit.jury.rubric import Stage, text
from evalkit.jury.scores import SubmittedRow, check_submission
from evalkit.jury.workflow import Jury, current_scores, save_juror


def form_table(jury: Jury, juror_id: str, stage: Stage) -> pd.DataFrame:
    """The juror's assigned entries with their current scores (as text), note and recusal."""
    entries = jury.entries.set_index("innovation_id")
    mine = jury.assigned()[juror_id]
    table = pd.DataFrame({"innovation_id": mine,
                          "title": [entries.at[e, "title"] for e in mine]})
    scores, recusals, _ = current_scores(jury)
    own = scores[(scores["juror_id"] == juror_id) & (scores["stage"] == stage.id)]
    for c in stage.criterion_ids:
        values = own[own["criterion"] == c].set_index("innovation_id")["score"]
        table[c] = [f"{values[e]:g}" if e in values.index else "" for e in mine]
    notes = own.groupby("innovation_id")["note"].first() if not own.empty else pd.Series()
    table["note"] = [str(notes.get(e, "") or "") for e in mine]
    declared = recusals[(recusals["juror_id"] == juror_id) & (recusals["reason_code"]
                                                               == "declared")]
    reasons = declared.set_index("innovation_id")["reason"]
    table["recuse"] = [str(reasons.get(e, "")) for e in mine]
    return table


def submit(jury: Jury, juror_id: str, stage: Stage, table: pd.DataFrame
           ) -> tuple[list[Issue], dict[str, Any] | None]:
    """Check a filled form table and, when it has no error, store it; return issues, log."""
    rows = [SubmittedRow(innovation_id=str(r["innovation_id"]),
                         values={c: r[c] for c in stage.criterion_ids},
                         note=str(r.get("note", "") or ""), recuse=str(r.get("recuse", "") or ""),
                         row=i + 1, columns={c: c for c in stage.criterion_ids})
            for i, r in table.reset_index(drop=True).iterrows()]
    scores, recusals, issues = check_submission(
        rows, stage=stage, rubric=jury.rubric, assigned=jury.assigned()[juror_id],
        conflicted=jury.conflicted()[juror_id], file="form", sheet=stage.id)
    if any(i.severity == "error" for i in issues):
        return issues, None
    return issues, save_juror(jury, juror_id, scores, recusals, [stage.id], via="form",
                              source="notebook form")


def build_form(jury: Jury, t: Translator) -> Any:
    """An ipywidgets form; returns the widget (display it, nothing waits on it)."""
    import ipywidgets as w

    juror = w.Dropdown(options=[(t("jury.form.pick"), "")] + [(j, j) for j in jury.juror_ids],
                       description=t("jury.form.juror"))
    stage = w.Dropdown(options=[(text(s.name, t.lang), s.id) for s in jury.rubric.stages],
                       layout=w.Layout(display="" if jury.rubric.multi_stage else "none"))
    body, out = w.VBox(), w.Output()
    save = w.Button(description=t("jury.form.save"), button_style="primary", disabled=True)
    cells: dict[tuple[str, str], Any] = {}

    def current_stage() -> Stage:
        return jury.rubric.stage(stage.value)

    def show(_: Any = None) -> None:
        cells.clear()
        out.clear_output()
        if not juror.value:
            body.children, save.disabled = (), True
            return
        st = current_stage()
        table = form_table(jury, juror.value, st)
        names = [text(c.name, t.lang) for c in st.criteria]
        head = [w.HTML(f"<b>{h}</b>") for h in ["", *names, t("jury.form.note"),
                                                  t("jury.form.recuse")]]
        grid = list(head)
        for row in table.itertuples(index=False):
            grid.append(w.HTML(f"<b>{row.innovation_id}</b><br>{row.title}"))
            for key in [*st.criterion_ids, "note", "recuse"]:
                cell = w.Text(value=str(getattr(row, key)), layout=w.Layout(width="auto"))
                cells[(row.innovation_id, key)] = cell
                grid.append(cell)
        columns = f"2fr repeat({len(st.criteria)}, 1fr) 2fr 2fr"
        body.children = (w.GridBox(grid, layout=w.Layout(grid_template_columns=columns)),)
        save.disabled = False

    def on_save(_: Any) -> None:
        st = current_stage()
        entries = sorted({e for e, _ in cells}, key=jury.assigned()[juror.value].index)
        table = pd.DataFrame([{"innovation_id": e, **{k: cells[(e, k)].value for k in
                                                      [*st.criterion_ids, "note", "recuse"]}}
                              for e in entries])
        issues, entry = submit(jury, juror.value, st, table)
        with out:
            out.clear_output()
            if entry is None:
                print(t("jury.form.rejected"))
                for issue in issues:
                    print(f"  {issue}")
            else:
                print(t("jury.form.saved", n=entry["n_scores"], r=entry["n_recusals"],
                        juror=juror.value))

    juror.observe(show, names="value")
    stage.observe(show, names="value")
    save.on_click(on_save)
    return w.VBox([w.HBox([juror, stage]), body, save, out])
