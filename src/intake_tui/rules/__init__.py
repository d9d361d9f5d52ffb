"""The rules: dialog files, their condition language, the decision, regions and versions."""
