"""The notebook form: a juror picks their code and scores their entries, reading each one.

The form shows what the sheet shows: every entry's title, unit, facts, description (long
text folds open) and documents beside its score fields, the scale and each criterion's level
guidance, the note and conflict fields under the scores, and which entries are complete.
It only collects text; :func:`submit` checks it with exactly the checks the sheet import uses
(``check_submission``, messages naming the entry and the criterion, as the form has no rows)
and stores it with the same atomic replace and log. After a save the form shows the new
provisional ranking, and marks any results shown elsewhere in the notebook as out of date.
Everything that decides is a plain function, testable without a browser.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import pandas as pd

from evalkit.i18n import Translator
from evalkit.issues import Issue
from evalkit.jury.messages import explain, saved_text, when
from evalkit.jury.panel import DECLARED
from evalkit.jury.profile import EntryProfile, build_profiles
from evalkit.jury.rubric import Stage, text
from evalkit.jury.scores import SubmittedRow, check_submission
from evalkit.jury.workflow import (
    Jury,
    State,
    compute,
    current_state,
    raw_source,
    save_juror,
)

PAGE_SIZE = 5
FOLD_AT = 400  # characters of description shown before "more"
RESULT_ROWS = 10


def form_table(jury: Jury, juror_id: str, stage: Stage, state: State | None = None
               ) -> pd.DataFrame:
    """The juror's entries in ``stage`` with their current scores (as text), note and
    declared conflict; empty cells are "" (never 'nan')."""
    state = state or current_state(jury)
    mine = state.assigned(stage.id)[juror_id]
    titles = jury.entries.set_index("innovation_id")["title"]
    table = pd.DataFrame({"innovation_id": mine, "title": [titles[e] for e in mine]},
                         dtype=object)
    scores = state.scores
    own = scores[(scores["juror_id"] == juror_id) & (scores["stage"] == stage.id)]
    for c in stage.criterion_ids:
        values = own[own["criterion"] == c].set_index("innovation_id")["score"]
        table[c] = [f"{values[e]:g}" if e in values.index else "" for e in mine]
    notes: dict[str, str] = {}
    for row in own.itertuples(index=False):
        note = str(row.note or "").strip()
        if note and row.innovation_id not in notes:
            notes[row.innovation_id] = note
    table["note"] = [notes.get(e, "") for e in mine]
    recusals = state.recusals
    declared = recusals[(recusals["juror_id"] == juror_id)
                        & (recusals["reason_code"] == DECLARED)
                        & recusals["stage"].isin([stage.id, ""])]
    reasons = dict(zip(declared["innovation_id"], declared["reason"], strict=True))
    table["recuse"] = [str(reasons.get(e, "")) for e in mine]
    return table


def submit(jury: Jury, juror_id: str, stage: Stage, table: pd.DataFrame,
           t: Translator | None = None) -> tuple[list[Issue], dict[str, Any] | None]:
    """Check a filled form table and, when it has no error, store it; return issues, log."""
    t = t or jury.t
    state = current_state(jury)
    names = {c.id: text(c.name, t.lang) for c in stage.criteria}

    def cell(value: object) -> str:
        return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(
            value)

    rows = [SubmittedRow(innovation_id=str(r["innovation_id"]),
                         values={c: cell(r[c]) for c in stage.criterion_ids},
                         note=cell(r.get("note", "")), recuse=cell(r.get("recuse", "")),
                         row=None, columns=dict(names))
            for _, r in table.reset_index(drop=True).iterrows()]
    scores, recusals, issues = check_submission(
        rows, stage=stage, rubric=jury.rubric,
        assigned=state.assigned(stage.id)[juror_id],
        conflicted=state.conflicted[juror_id], t=t, file=t("jury.messages.via_form"),
        competing=set(jury.entry_ids))
    if any(i.severity == "error" for i in issues):
        return issues, None
    return issues, save_juror(jury, juror_id, scores, recusals, [stage.id], via="form",
                              source="notebook form", state=state)


def _escape(value: object) -> str:
    return html.escape("" if value is None else str(value)).replace("\n", "<br>")


def entry_html(profile: EntryProfile, t: Translator) -> str:
    """The entry as a juror reads it: title, unit, facts, description (folded when long),
    documents. Everything from the data is escaped: a title is text, never markup."""
    description = profile.description or t("jury.profile.no_description")
    if len(description) > FOLD_AT:
        body = (f"<details><summary>{_escape(description[:FOLD_AT - 100])}… "
                f"<i>{_escape(t('jury.form.more'))}</i></summary>{_escape(description)}"
                "</details>")
    else:
        body = f"<div>{_escape(description)}</div>"
    links = "".join(f' · <a href="{html.escape(url, quote=True)}" target="_blank" '
                    f'rel="noopener noreferrer">{_escape(name or url)}</a>'
                    for name, url in profile.links())
    return (f'<div style="line-height:1.35;max-width:60em">'
            f"<b>{_escape(profile.innovation_id)} · {_escape(profile.title)}</b><br>"
            f"<i>{_escape(profile.unit)}</i> — {_escape(profile.facts_text())}"
            f"{body}<div style='color:#555'>{_escape(profile.documents_text(t))}{links}</div>"
            "</div>")


def guidance_html(jury: Jury, stage: Stage, t: Translator) -> str:
    """One table: a row per criterion (weight, description), the levels side by side."""
    rubric, lang = jury.rubric, t.lang
    heads = [t("jury.sheet.col_criterion"), t("jury.sheet.col_description")]
    for level in rubric.levels:
        low, high = rubric.level_range(level)
        heads.append(f"{text(level.label, lang)} ({low:g}–{high:g})")
    cell = "vertical-align:top;text-align:left;padding:3px 6px;border-top:1px solid #ddd"
    rows = ["<tr>" + "".join(f"<th style='{cell}'>{_escape(h)}</th>" for h in heads) + "</tr>"]
    for c, w in zip(stage.criteria, stage.weights, strict=True):
        cells = [f"<b>{_escape(text(c.name, lang))}</b><br>"
                 f"{_escape(t('jury.sheet.col_weight', weight=f'{100 * w:g}%'))}",
                 _escape(text(c.description, lang))]
        cells += [_escape(text(c.guidance.get(lv.id, {}), lang) or "–") for lv in rubric.levels]
        rows.append("<tr>" + "".join(f"<td style='{cell}'>{v}</td>" for v in cells) + "</tr>")
    return ("<table style='border-collapse:collapse;font-size:90%;line-height:1.3'>"
            + "".join(rows) + "</table>")


def scale_text(jury: Jury, t: Translator) -> str:
    rubric = jury.rubric
    bands = []
    for level in rubric.levels:
        low, high = rubric.level_range(level)
        bands.append(f"{low:g}–{high:g} {text(level.label, t.lang)}")
    return t("jury.form.scale", min=f"{rubric.scale_min:g}", max=f"{rubric.scale_max:g}",
             levels=" · ".join(bands))


def entry_status(values: dict[str, str], stage: Stage, recuse: str) -> str:
    """``done`` (every criterion filled), ``recused`` (a conflict declared) or ``open``."""
    if recuse.strip():
        return "recused"
    return "done" if all(values.get(c, "").strip() for c in stage.criterion_ids) else "open"


class JuryForm:
    """The ipywidgets form. ``widget`` is what the notebook displays (displaying the form
    itself works too); ``results_banner()`` gives a line for a results cell that the form
    marks as out of date after every save."""

    def __init__(self, jury: Jury, t: Translator,
                 on_saved: Callable[[dict[str, Any]], None] | None = None):
        import ipywidgets as w

        self.w, self.jury, self.t, self.on_saved = w, jury, t, on_saved
        self.profiles = build_profiles(jury.entries, jury.evidence, jury.rubric, t)
        self.juror = w.Dropdown(options=[(t("jury.form.pick"), "")]
                                + [(j, j) for j in jury.juror_ids],
                                description=t("jury.form.juror"))
        self.stage = w.Dropdown(
            options=[(text(s.name, t.lang), s.id) for s in jury.rubric.stages],
            description=t("jury.form.stage"),
            layout=w.Layout(display="" if jury.rubric.multi_stage else "none"))
        self.scale = w.HTML()
        self.guidance = w.Accordion(children=[w.HTML()])
        self.guidance.set_title(0, t("jury.form.guidance_heading"))
        self.guidance.selected_index = None
        self.progress = w.HTML()
        self.page_label = w.Label()
        self.prev = w.Button(description=t("jury.form.prev"))
        self.next = w.Button(description=t("jury.form.next"))
        self.body = w.VBox()
        self.save = w.Button(description=t("jury.form.save"), button_style="primary",
                             disabled=True)
        self.messages = w.HTML()
        self.results = w.HTML()
        self.cells: dict[tuple[str, str], Any] = {}
        self.statuses: dict[str, Any] = {}
        self.cards: dict[str, Any] = {}  # built when their page is first shown
        self.rows: dict[str, dict[str, Any]] = {}  # the form table, per entry
        self.entries: list[str] = []
        self.page = 0
        self.banners: list[Any] = []
        self.last_saved = ""
        self.juror.observe(self.show, names="value")
        self.stage.observe(self.show, names="value")
        self.save.on_click(self.on_save)
        self.prev.on_click(lambda _: self.turn(-1))
        self.next.on_click(lambda _: self.turn(1))
        self.widget = w.VBox([
            w.HBox([self.juror, self.stage]), self.scale, self.guidance, self.progress,
            w.HBox([self.prev, self.page_label, self.next]), self.body,
            w.HBox([self.save]), self.messages, self.results])
        self.show()

    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        return self.widget._repr_mimebundle_(**kwargs)

    def current_stage(self) -> Stage:
        return self.jury.rubric.stage(self.stage.value)

    def show(self, _: Any = None) -> None:
        """Build the cards for the chosen juror and stage."""
        w, t = self.w, self.t
        st = self.current_stage()
        self.cells.clear()
        self.statuses.clear()
        self.cards, self.rows, self.entries, self.page = {}, {}, [], 0
        self.messages.value = ""
        self.scale.value = f"<b>{_escape(scale_text(self.jury, t))}</b>"
        self.guidance.children[0].value = guidance_html(self.jury, st, t)
        if not self.juror.value:
            self.body.children, self.save.disabled = (), True
            self.progress.value = ""
            self._paging()
            return
        state = current_state(self.jury)
        if st.id not in state.rounds.open_stages:
            closed = t("jury.form.closed", stage=text(st.name, t.lang))
            self.body.children = (w.HTML(f"<i>{_escape(closed)}</i>"),)
            self.save.disabled = True
            self.progress.value = ""
            self._paging()
            return
        table = form_table(self.jury, self.juror.value, st, state)
        for row in table.to_dict("records"):
            self.rows[row["innovation_id"]] = row
            self.entries.append(row["innovation_id"])
        if not self.entries:
            self.body.children = (w.HTML(f"<i>{_escape(t('jury.form.no_entries'))}</i>"),)
        self.save.disabled = not self.entries
        self._paging()
        self._progress()

    def _card(self, row: dict[str, Any], stage: Stage) -> Any:
        w, t, rubric = self.w, self.t, self.jury.rubric
        entry = row["innovation_id"]
        status = w.HTML()
        self.statuses[entry] = status
        inputs = []
        placeholder = f"{rubric.scale_min:g}–{rubric.scale_max:g}"
        for c, weight in zip(stage.criteria, stage.weights, strict=True):
            field = w.Text(value=row[c.id], placeholder=placeholder,
                           layout=w.Layout(width="8em"))
            level = w.HTML()
            self.cells[(entry, c.id)] = field

            def update(_: Any = None, field: Any = field, level: Any = level) -> None:
                level.value = self._level(field.value)
                self._status(entry, stage)

            field.observe(update, names="value")
            update()
            name = f"{text(c.name, t.lang)} ({100 * weight:g}%)"
            label = w.HTML(f"<div style='line-height:1.2;height:3.7em;overflow:hidden' "
                           f"title='{html.escape(name, quote=True)}'><small><b>"
                           f"{_escape(name)}</b></small></div>")
            inputs.append(w.VBox([label, field, level], layout=w.Layout(width="12em")))
        note = w.Textarea(value=row["note"], placeholder=t("jury.form.note"),
                          layout=w.Layout(width="28em", height="4.5em"))
        recuse = w.Textarea(value=row["recuse"], placeholder=t("jury.form.recuse"),
                            layout=w.Layout(width="24em", height="4.5em"))
        self.cells[(entry, "note")] = note
        self.cells[(entry, "recuse")] = recuse
        recuse.observe(lambda _: self._status(entry, stage), names="value")
        self._status(entry, stage)
        fields = w.HBox(inputs, layout=w.Layout(flex_flow="row wrap"))
        texts = w.HBox([
            w.VBox([w.HTML(f"<small>{_escape(t('jury.form.note'))}</small>"), note]),
            w.VBox([w.HTML(f"<small>{_escape(t('jury.form.recuse'))}</small>"), recuse])],
            layout=w.Layout(flex_flow="row wrap"))
        return w.VBox([w.HTML(entry_html(self.profiles[entry], t)), fields, texts, status],
                      layout=w.Layout(border="1px solid #ccc", padding="0.5em",
                                      margin="0 0 0.6em 0"))

    def _level(self, value: str) -> str:
        rubric = self.jury.rubric
        try:
            number = float(value.strip().replace(",", "."))
        except ValueError:
            return "" if not value.strip() else "<small style='color:#c00000'>?</small>"
        if not rubric.scale_min <= number <= rubric.scale_max:
            return "<small style='color:#c00000'>" + _escape(
                f"{rubric.scale_min:g}–{rubric.scale_max:g}") + "</small>"
        return f"<small>{_escape(text(rubric.level_of(number).label, self.t.lang))}</small>"

    def value(self, entry: str, key: str) -> str:
        """What the juror has typed for an entry (the stored value until its card is built)."""
        cell = self.cells.get((entry, key))
        return str(cell.value if cell is not None else self.rows[entry][key])

    def values(self, entry: str, stage: Stage) -> tuple[dict[str, str], str]:
        return ({c: self.value(entry, c) for c in stage.criterion_ids},
                self.value(entry, "recuse"))

    def _status(self, entry: str, stage: Stage) -> None:
        if entry not in self.statuses or (entry, "recuse") not in self.cells:
            return
        values, recuse = self.values(entry, stage)
        state = entry_status(values, stage, recuse)
        colour = {"done": "#2e7d32", "recused": "#555", "open": "#c00000"}[state]
        self.statuses[entry].value = (f"<small style='color:{colour}'>"
                                      f"{_escape(self.t('jury.form.status_' + state))}</small>")
        self._progress()

    def _progress(self) -> None:
        if not self.entries:
            return
        stage = self.current_stage()
        states = []
        for e in self.entries:
            values, recuse = self.values(e, stage)
            states.append(entry_status(values, stage, recuse))
        self.progress.value = _escape(self.t("jury.form.progress", n=len(self.entries),
                                             done=states.count("done"),
                                             recused=states.count("recused")))

    def _paging(self) -> None:
        n = len(self.entries)
        first = self.page * PAGE_SIZE
        stage = self.current_stage()
        shown = []
        for entry in self.entries[first:first + PAGE_SIZE]:
            if entry not in self.cards:
                self.cards[entry] = self._card(self.rows[entry], stage)
            shown.append(self.cards[entry])
        if shown:
            self.body.children = tuple(shown)
        self.page_label.value = self.t("jury.form.page", first=first + 1 if n else 0,
                                       last=first + len(shown), n=n)
        self.prev.disabled = self.page == 0
        self.next.disabled = first + PAGE_SIZE >= n

    def turn(self, step: int) -> None:
        pages = max(1, -(-len(self.entries) // PAGE_SIZE))
        self.page = min(max(0, self.page + step), pages - 1)
        self._paging()

    def table(self) -> pd.DataFrame:
        """What the juror has typed, as a form table."""
        stage = self.current_stage()
        keys = [*stage.criterion_ids, "note", "recuse"]
        return pd.DataFrame([{"innovation_id": e, **{k: self.value(e, k) for k in keys}}
                             for e in self.entries],
                            columns=["innovation_id", *keys], dtype=object)

    def on_save(self, _: Any = None) -> dict[str, Any] | None:
        t = self.t
        issues, entry = submit(self.jury, self.juror.value, self.current_stage(),
                               self.table(), t)
        if entry is None:
            lines = [f"<b style='color:#c00000'>{_escape(t('jury.form.rejected'))}</b>"]
            lines += [_escape(explain(issue, t)) for issue in issues]
            self.messages.value = "<br>".join(lines)
            return None
        lines = [f"<b>{_escape(saved_text(entry, t, raw_source(self.jury)))}</b>"]
        lines += [_escape(explain(issue, t)) for issue in issues]
        self.messages.value = "<br>".join(lines)
        self.last_saved = entry["timestamp"]
        self.refresh_results()
        for banner in self.banners:
            banner.value = self._stale_text()
        if self.on_saved is not None:
            self.on_saved(entry)
        return entry

    def refresh_results(self) -> None:
        """Show the provisional ranking as it stands after the save."""
        t = self.t
        outcome = compute(self.jury, n=200)
        board = outcome.ranking.head(RESULT_ROWS)
        frame = pd.DataFrame({
            t("jury.chapter.col_rank"): board["rank"].astype("string").fillna("–"),
            t("jury.chapter.col_title"): board["title"],
            t("jury.chapter.col_score"): [t.number(s, 2) if pd.notna(s) else "–"
                                          for s in board["score"]]})
        heading = t("jury.form.results_heading", when=when(self.last_saved, t))
        self.results.value = (f"<b>{_escape(heading)}</b>"
                              + frame.to_html(index=False, escape=True, justify="left"))

    def _stale_text(self) -> str:
        return (f"<b style='color:#c00000'>"
                f"{_escape(self.t('jury.form.stale', saved=when(self.last_saved, self.t)))}</b>")

    def results_banner(self) -> Any:
        """A line for the notebook's results cell: when they were computed; the form turns
        it into a warning after the next save."""
        now = datetime.now(UTC).isoformat(timespec="seconds")
        fresh = self.t("jury.form.fresh", computed=when(now, self.t))
        banner = self.w.HTML(f"<i>{_escape(fresh)}</i>")
        self.banners.append(banner)
        return banner


def build_form(jury: Jury, t: Translator,
               on_saved: Callable[[dict[str, Any]], None] | None = None) -> JuryForm:
    """The notebook form (display it; nothing waits on it, so unattended runs pass)."""
    return JuryForm(jury, t, on_saved)
