"""The decision graph as text: the session's own state machine, drawn by
transitions' diagram support (each branch labelled with its condition)."""

from __future__ import annotations

from .dialog import Dialog
from .i18n import Language


def diagram(dialog: Dialog, fmt: str, lang: Language) -> str:
    from transitions.extensions import GraphMachine

    from .session import machine_for

    class Model:
        pass

    machine = machine_for(dialog)
    graph_machine = GraphMachine(
        model=Model(),
        states=list(machine.states),
        initial=machine.initial,
        auto_transitions=False,
        graph_engine="mermaid" if fmt == "mermaid" else "graphviz",
        show_conditions=True,
        title=f"{dialog.meta.swv}: {lang.gettext(dialog.meta.title)}",
    )
    for source, transitions in machine.events["advance"].transitions.items():
        for transition in transitions:
            conditions = [condition.func for condition in transition.conditions]
            graph_machine.add_transition("advance" if conditions else "otherwise", source, transition.dest, conditions=conditions)
    graph = graph_machine.model.get_graph()  # type: ignore[attr-defined]
    if fmt == "mermaid":
        return graph.draw(None)
    return graph.source + "\n"
