"""The floor for start-up: a minimal Textual app that shows one line and exits."""

from textual.app import App
from textual.widgets import Static


class OneLine(App):
    def compose(self):
        yield Static("Heeft de leerling meer ondersteuning nodig?")

    def on_mount(self) -> None:
        self.call_after_refresh(self.exit)


if __name__ == "__main__":
    OneLine().run(headless=True)
