"""The decision graph as text, drawn by transitions' own diagram support."""

from __future__ import annotations

from .dialog import Dialog
from .i18n import Language


def _named_condition(source: str):
    def condition(*_args: object) -> bool:
        return True

    condition.__name__ = source.replace('"', "'")
    return condition


def diagram(dialog: Dialog, fmt: str, lang: Language) -> str:
    from transitions.extensions import GraphMachine

    class Model:
        pass

    engine = "mermaid" if fmt == "mermaid" else "graphviz"
    machine = GraphMachine(
        model=Model(),
        states=list(dialog.nodes),
        initial=dialog.start,
        auto_transitions=False,
        graph_engine=engine,
        show_conditions=True,
        title=f"{dialog.meta.swv}: {lang.gettext(dialog.meta.title)}",
    )
    for node in dialog.nodes.values():
        for step in node.steps:
            trigger = "advance" if step.condition is not None else "otherwise"
            conditions = [_named_condition(step.condition.source)] if step.condition is not None else []
            machine.add_transition(trigger, node.id, step.goto, conditions=conditions)
    graph = machine.model.get_graph()  # type: ignore[attr-defined]
    if fmt == "mermaid":
        return graph.draw(None)
    return graph.source + "\n"
