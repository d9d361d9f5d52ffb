"""The decision graph for trainers, drawn by transitions' own diagram support.

What a trainer reads: each question by its name, a decision by its title, an
outcome by its title, each branch by its own short reason; no ids, no
conditions, and no "current state" colouring (a handout has no current
state). Mermaid and DOT are text; SVG and PNG are drawn by Graphviz's ``dot``.
"""

from __future__ import annotations

import copy
import textwrap

from intake_tui.i18n import Language
from intake_tui.rules.dialog import Dialog

TEXT_FORMATS = ("mermaid", "dot")
PICTURE_FORMATS = ("svg", "png")
_WIDTH = 28  # characters a line in a box or beside an arrow
_REASON = 110  # a branch's reason beyond this is cut at a word, with "…"


class GraphvizMissing(Exception):
    """Graphviz's ``dot`` is not installed."""


def _short(text: str) -> str:
    return textwrap.shorten(" ".join(text.split()), _REASON, placeholder=" …")


def _lines(text: str, newline: str) -> str:
    return newline.join(textwrap.wrap(text, _WIDTH)) or text


def node_text(dialog: Dialog, node_id: str, lang: Language) -> str:
    from intake_tui.teach.training import node_label

    return node_label(dialog, node_id, lang)


def _machine(dialog: Dialog, lang: Language, engine: str):
    from transitions.core import State
    from transitions.extensions import GraphMachine

    from intake_tui.engine.session import machine_for

    class LabelledState(State):
        def __init__(self, *args, label: str | None = None, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self.label = label

    class Machine(GraphMachine):
        state_cls = LabelledState
        # A handout has no current state: the start is drawn like every other node.
        style_attributes = copy.deepcopy(GraphMachine.style_attributes)
        style_attributes["node"]["active"] = dict(style_attributes["node"]["inactive"])

    class Model:
        pass

    mermaid = engine == "mermaid"
    newline = "<br/>" if mermaid else "\n"

    def clean(text: str) -> str:
        # Quotes would end a Mermaid label; a backslash would start a DOT escape.
        return text.replace('"', "'").replace("\\", "/")

    session_machine = machine_for(dialog)  # the diagram draws the session's own machine
    states = [{"name": name, "label": clean(_lines(node_text(dialog, name, lang), newline))} for name in session_machine.states]
    machine = Machine(
        model=Model(), states=states, initial=session_machine.initial, auto_transitions=False, graph_engine=engine,
        show_conditions=False, title=clean(f"{dialog.meta.swv}: {lang.gettext(dialog.meta.title)}"),
    )
    machine.machine_attributes["rankdir"] = "TB"  # top to bottom: a path reads down a page
    for source, transitions in session_machine.events["advance"].transitions.items():
        # machine_for adds a node's transitions in the order of its branches
        for transition, step in zip(transitions, dialog.nodes[source].steps, strict=True):
            assert transition.dest == step.goto
            reason = lang.gettext(step.branch.because) if step.branch.because else ""
            label = clean(_lines(_short(reason), newline)) if reason else " "
            machine.add_transition("next", source, transition.dest, label=label)
    return machine


def diagram(dialog: Dialog, fmt: str, lang: Language) -> str:
    """Mermaid or DOT source with readable labels."""
    machine = _machine(dialog, lang, "mermaid" if fmt == "mermaid" else "graphviz")
    graph = machine.model.get_graph()  # type: ignore[attr-defined]
    if fmt == "mermaid":
        return graph.draw(None)
    return graph.source + "\n"


def picture(dialog: Dialog, fmt: str, lang: Language) -> bytes:
    """The graph drawn by Graphviz as SVG or PNG; ``GraphvizMissing`` where ``dot`` is not installed."""
    import graphviz

    graph = _machine(dialog, lang, "graphviz").model.get_graph()  # type: ignore[attr-defined]
    graph.attr("node", fontname="DejaVu Sans,Helvetica,Arial")
    graph.attr("edge", fontname="DejaVu Sans,Helvetica,Arial", fontsize="10")
    try:
        return graph.pipe(format=fmt)
    except graphviz.ExecutableNotFound:
        raise GraphvizMissing() from None
