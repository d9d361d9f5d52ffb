"""The start screen: a new intake in each region, then the drafts and records to resume or open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from intake_tui.i18n import N_, Language
from intake_tui.tui.common import TitleBar, escape, quick_turns, translate_bindings

if TYPE_CHECKING:
    from intake_tui.engine.store_api import RecordStore

START_LIST = 100  # records on the start screen, the newest first


class StartScreen(Screen):
    AUTO_FOCUS = "#start-list"
    BINDINGS = [Binding("ctrl+t", "app.toggle_theme", N_("Theme")), Binding("q", "app.quit", N_("Quit"), show=False)]

    def __init__(self, lang: Language, store: RecordStore) -> None:
        super().__init__()
        self.lang = lang
        self.store = store
        translate_bindings(self, lang)

    def compose(self) -> ComposeResult:
        from intake_tui.rules.regions import outline, region_ids

        _ = self.lang.gettext
        yield TitleBar()
        yield Static(escape(_("Start a new intake, resume a draft or open a saved record.")), id="intro")
        options: list[Option | None] = []
        for region in region_ids():
            swv = outline(region).swv
            options.append(Option(escape(_("New intake: {swv} ({region})").format(swv=swv, region=region)), id=f"new:{region}"))
        yield OptionList(*options, id="start-list")

    def on_mount(self) -> None:
        self.title = "intake_tui"
        self.sub_title = self.lang.gettext("Guided intake for passend onderwijs")
        self.app.after_first_frame(self, self.after_first_frame)  # type: ignore[attr-defined]

    def after_first_frame(self) -> None:
        """The keys below, then the records: reading them loads the engine (pydantic), in a thread."""
        from textual.widgets import Footer  # its module loads after the first frame too

        self.mount(Footer())
        self.call_after_refresh(self.refresh_bindings)  # the footer shows the keys once it is there
        # The newest; `intake list` pages through the rest.
        self.run_worker(lambda: self.store.listing(limit=START_LIST + 1), name="records", thread=True,
                        exit_on_error=False)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "records" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        quick_turns(False)
        if event.state == WorkerState.SUCCESS:
            self.list_records(event.worker.result)
        elif event.state == WorkerState.ERROR:
            raise event.worker.error  # type: ignore[misc]  (the app's one line, as after any crash)

    def list_records(self, entries: list) -> None:
        """The drafts and records, below the regions."""
        _ = self.lang.gettext
        options: list[Option | None] = [None] if entries else []
        for entry in entries:
            record = entry.record
            if record is None:
                options.append(Option(escape(_("Unreadable: {file} — {reason}").format(file=entry.name, reason=entry.problem_in(_))),
                                      id=f"bad:{entry.id}", disabled=True))
                continue
            when = self.lang.datetime(record.updated)
            label = _("Resume draft") if record.status == "draft" else _("Open record")
            reference = f" · {record.pupil_ref}" if record.pupil_ref else ""
            options.append(Option(escape(f"{label}: {record.id} · {record.region}{reference} · {when}"),
                                  id=f"{'resume' if record.status == 'draft' else 'open'}:{record.id}"))
        if len(entries) > START_LIST:
            options.pop()
            older = _("Only the newest {count} records are shown here; 'intake list' shows them all").format(count=START_LIST)
            options.append(Option(escape(older), id="older", disabled=True))
        self.query_one("#start-list", OptionList).add_options(options)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        app = self.app  # the IntakeApp
        if kind == "new":
            app.ask_new_intake(value)
        elif kind == "resume":
            app.resume_intake(value)
        elif kind == "open":
            app.open_record(value)
