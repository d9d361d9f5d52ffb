"""The rules: dialog files, their condition language, answers, the decision, path cases, regions and versions."""
