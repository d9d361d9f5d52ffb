"""The Textual user interface: it renders the engine's state and sends it answers."""
