"""Dutch and English throughout: complete catalogs, every string extracted,
compiled catalogs that agree with their sources, and locale-aware output."""

from __future__ import annotations

import io
import string
from collections.abc import Iterable
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from intake_tui.cli.main import main
from intake_tui.i18n import Language, detect_language
from intake_tui.words.babel_extract import extract_dialog, extract_python

from ..conftest import REPO, shared_dir

LOCALES = REPO / "locales"
TEMPLATE = LOCALES / "messages.pot"
LANGUAGES = ("nl", "en")
DIALOGS = sorted((REPO / "dialogs").glob("*.toml"))
SOURCES = sorted((REPO / "src").rglob("*.py"))


def po_path(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path, language: str | None = None) -> Catalog:
    with path.open("rb") as file:
        return read_po(file, locale=language)


@pytest.fixture(scope="module")
def template() -> Catalog:
    return read_catalog(TEMPLATE)


@pytest.fixture(scope="module")
def nl() -> Catalog:
    return read_catalog(po_path("nl"), "nl")


def placeholders(text: str) -> list[str]:
    """The ``{...}`` fields of a format string as written, e.g. ``{region!r}``."""
    fields = []
    for _, name, spec, conversion in string.Formatter().parse(text):
        if name is not None:
            fields.append("{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}")
    return sorted(fields)


def is_translated(message) -> bool:
    strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
    return bool(strings) and all(strings) and not message.fuzzy


def catalog_gaps(texts: Iterable[str | tuple[str, ...]], template: Catalog, nl: Catalog) -> list[str]:
    """Each text that is missing from the template, or not translated in nl."""
    gaps = []
    for text in texts:
        key = text[0] if isinstance(text, tuple) else text
        if template.get(key) is None:
            gaps.append(f"not in locales/messages.pot: {key!r}")
        elif nl.get(key) is None or not is_translated(nl.get(key)):
            gaps.append(f"not translated in nl: {key!r}")
    return gaps


def dialog_texts(path: Path) -> list[str]:
    with path.open("rb") as file:
        return [message for _, _, message, _ in extract_dialog(file, DEFAULT_KEYWORDS.keys(), [], {})]


def dialog_gaps(path: Path, template: Catalog, nl: Catalog) -> list[str]:
    """What a translator still has to do for one dialog file."""
    return [f"{path.name}: {gap}" for gap in catalog_gaps(dialog_texts(path), template, nl)]


# -- the catalogs ---------------------------------------------------------------

@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_is_complete(language):
    catalog = read_catalog(po_path(language), language)
    messages = [message for message in catalog if message.id]
    assert messages, f"{po_path(language)} holds no messages"
    untranslated = [message.id for message in messages if not message.fuzzy and not is_translated(message)]
    fuzzy = [message.id for message in messages if message.fuzzy]
    assert not untranslated, f"{language}: {len(untranslated)} untranslated, e.g. {untranslated[:5]}"
    assert not fuzzy, f"{language}: {len(fuzzy)} fuzzy, e.g. {fuzzy[:5]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalog_follows_the_template(language, template):
    catalog = read_catalog(po_path(language), language)
    wanted = {message.id for message in template if message.id}
    present = {message.id for message in catalog if message.id}
    assert wanted - present == set(), f"{language}: run pybabel update (see README)"
    assert present - wanted == set(), f"{language}: messages no longer in the template"


@pytest.mark.parametrize("language", LANGUAGES)
def test_compiled_catalog_agrees_with_its_source(language):
    source = read_catalog(po_path(language), language)
    mo = po_path(language).with_suffix(".mo")
    assert mo.is_file(), f"{mo} is missing: pybabel compile -d locales -D messages"
    with mo.open("rb") as file:
        compiled = read_mo(file)
    expected = {_plain(message.id): _plain(message.string) for message in source if message.id and is_translated(message)}
    # An untranslated message is the completeness test's business; babel's
    # write_mo stores an untranslated plural with the English as its forms.
    untranslated = {_plain(message.id) for message in source if message.id and not is_translated(message)}
    actual = {_plain(message.id): _plain(message.string) for message in compiled
              if message.id and _plain(message.id) not in untranslated}
    assert actual == expected, "the .mo is stale: pybabel compile -d locales -D messages"


def _plain(value):
    """A plural's id or strings as a tuple (read_mo gives lists)."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_english_catalog_is_the_identity():
    for message in read_catalog(po_path("en"), "en"):
        if message.id:
            assert _plain(message.string) == _plain(message.id), message.id


def test_dutch_keeps_the_placeholders(nl):
    wrong = []
    for message in nl:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for index, text in enumerate(strings):
            msgid = ids[min(index, len(ids) - 1)]
            if text and placeholders(text) != placeholders(msgid):
                wrong.append(f"{msgid!r} -> {text!r}")
    assert not wrong, "\n".join(wrong)


def test_dutch_differs_from_english_for_the_interface(nl):
    # A sample of program strings whose Dutch is plainly not the English.
    for english in ("Why", "Next steps", "yes", "no", "Please give an answer."):
        assert nl.get(english) is not None and nl.get(english).string not in ("", english), english


# -- every string is extracted and translated --------------------------------------

def test_there_are_dialogs_to_check():
    assert DIALOGS, "no dialogs/*.toml found"


@pytest.mark.parametrize("path", DIALOGS, ids=lambda path: path.stem)
def test_every_dialog_string_is_in_the_template_and_translated(path, template, nl):
    texts = dialog_texts(path)
    assert texts, f"{path.name}: the extractor found no texts"
    gaps = dialog_gaps(path, template, nl)
    assert not gaps, "\n".join(gaps) + "\n(run pybabel extract/update and translate; see README)"


def test_an_untranslated_dialog_string_is_reported(tmp_path, template, nl):
    shipped = DIALOGS[0]
    assert dialog_gaps(shipped, template, nl) == []
    changed = tmp_path / shipped.name
    changed.write_text(
        shipped.read_text(encoding="utf-8")
        + '\n[outcomes.zz_new_outcome]\nroute = "basis"\n'
        + 'title = "An outcome title nobody has translated yet"\ncite = "test"\n',
        encoding="utf-8",
    )
    assert dialog_gaps(changed, template, nl) == [
        f"{shipped.name}: not in locales/messages.pot: 'An outcome title nobody has translated yet'"
    ]


def test_a_template_string_without_dutch_is_reported(template):
    empty_nl = Catalog(locale="nl")
    some_dialog_text = dialog_texts(DIALOGS[0])[0]
    assert catalog_gaps([some_dialog_text], template, empty_nl) == [f"not translated in nl: {some_dialog_text!r}"]


def test_every_program_string_is_in_the_template_and_translated(template, nl):
    gaps = []
    for path in SOURCES:
        with path.open("rb") as file:
            texts = [message for _, _, message, _ in extract_python(file, DEFAULT_KEYWORDS.keys(), [], {})]
        strings = [text for text in texts if isinstance(text, str) or (isinstance(text, tuple) and text[0])]
        gaps += [f"{path.relative_to(REPO)}: {gap}" for gap in catalog_gaps(strings, template, nl)]
    assert not gaps, "\n".join(gaps) + "\n(run pybabel extract/update and translate; see README)"


def test_template_holds_no_test_strings(template):
    files = {file for message in template for file, _ in message.locations}
    assert files, "the template names no source files"
    assert all(file.startswith(("src/", "dialogs/")) for file in files), sorted(files)


# -- the extractors ---------------------------------------------------------------

SAMPLE_DIALOG = '''\
[meta]
region = "sample"
swv = "SWV Sample"
title = "Sample title"
seed = "sample.txt"
ruleset_version = "1"
valid_from = 2025-08-01
start = "q"

[questions.q]
type = "choice"
prompt = "  Sample prompt  "
help = "Sample help"
unit = "%"
cite = "000 · Not translated"
choices = [
  { value = "a", label = "Choice A" },
  { value = "b", label = "Choice B" },
]

[[questions.q.next]]
when = "q == 'a'"
goto = "gate"
because = "Sample because"
cite = "000 · Cite"

[[questions.q.next]]
goto = "done"

[decisions.gate]
title = "Sample decision"
[[decisions.gate.next]]
goto = "done"
because = "Gate because"

[outcomes.done]
route = "not_yet"
title = "Sample outcome"
summary = "Sample summary"
hours = "Sample hours"
duration = "Sample duration"
decides = "Sample decides"
documents = ["Document one", "Document two"]
next_steps = [
  "Step one",
  "Step two",
]
warnings = ["Warning one"]
cite = "000 · Outcome cite"
hours_per_week = "min(3, 4)"

[[outcomes.done.budget]]
max = 100
per = "year"
note = "Budget note"
cite = "000 · Budget cite"

[[outcomes.done.warn]]
when = "q == 'b'"
text = "Warn {x}"
values = { x = "q" }

[[outcomes.done.checks]]
fact = "q"
ok = "q == 'a'"
text = "Check text"
'''


def test_dialog_extractor_takes_every_text_field_and_nothing_else():
    found = list(extract_dialog(io.BytesIO(SAMPLE_DIALOG.encode()), DEFAULT_KEYWORDS.keys(), [], {}))
    by_place = {comments[0].removeprefix("dialog: "): (lineno, message) for lineno, _, message, comments in found}
    lines = SAMPLE_DIALOG.splitlines()
    assert {place: message for place, (_, message) in by_place.items()} == {
        "meta.title": "Sample title",
        "questions.q.prompt": "Sample prompt",
        "questions.q.help": "Sample help",
        "questions.q.unit": "%",
        "questions.q.choices[0].label": "Choice A",
        "questions.q.choices[1].label": "Choice B",
        "questions.q.next[0].because": "Sample because",
        "decisions.gate.title": "Sample decision",
        "decisions.gate.next[0].because": "Gate because",
        "outcomes.done.title": "Sample outcome",
        "outcomes.done.summary": "Sample summary",
        "outcomes.done.hours": "Sample hours",
        "outcomes.done.duration": "Sample duration",
        "outcomes.done.decides": "Sample decides",
        "outcomes.done.documents[0]": "Document one",
        "outcomes.done.documents[1]": "Document two",
        "outcomes.done.next_steps[0]": "Step one",
        "outcomes.done.next_steps[1]": "Step two",
        "outcomes.done.warnings[0]": "Warning one",
        "outcomes.done.budget[0].note": "Budget note",
        "outcomes.done.warn[0].text": "Warn {x}",
        "outcomes.done.checks[0].text": "Check text",
    }
    # Line numbers point at the text.
    for place in ("meta.title", "questions.q.prompt", "questions.q.choices[1].label",
                  "questions.q.next[0].because", "outcomes.done.documents[1]", "outcomes.done.next_steps[1]",
                  "outcomes.done.budget[0].note", "outcomes.done.checks[0].text"):
        lineno, message = by_place[place]
        assert message in lines[lineno - 1], (place, lineno)


def test_dialog_extractor_is_registered_with_babel():
    found = list(extract("intake_dialog", io.BytesIO(SAMPLE_DIALOG.encode())))
    assert ("Sample title", ["dialog: meta.title"]) in [(message, comments) for _, message, comments, _ in found]


def test_python_extractor_sees_f_strings_and_skips_subscripts():
    source = (
        'x = f"{_(\'Budget\')}: {amount}"\n'
        'y = _(NAMES[row["route"]])\n'
        '# Translators: a count of questions\n'
        'z = lang.ngettext("one {n}", "many {n}", n)\n'
        'w = N_("Marked")\n'
    )
    found = list(extract("intake_tui.words.babel_extract:extract_python", io.BytesIO(source.encode()),
                         comment_tags=["Translators:"]))
    assert [(lineno, message) for lineno, message, _, _ in found] == [
        (1, "Budget"), (4, ("one {n}", "many {n}")), (5, "Marked"),
    ]
    assert found[1][2] == ["Translators: a count of questions"]


# -- output in both languages ---------------------------------------------------------

def test_check_text_output_is_dutch_or_english(capsys):
    scenario = shared_dir() / "scenarios" / "liemers-all-conditions-met.json"
    outputs = {}
    for language in LANGUAGES:
        code = main(["check", "--answers", str(scenario), "--format", "text", "--lang", language])
        outputs[language] = capsys.readouterr().out
        assert code == 0, outputs[language]
    assert outputs["nl"] != outputs["en"]
    why_nl = Language("nl").gettext("Why")
    assert why_nl != "Why"
    assert f"\n{why_nl}:" in outputs["nl"] and "\nWhy:" in outputs["en"]
    assert "\nWhy:" not in outputs["nl"]


def test_dialog_texts_are_translated_at_run_time(nl):
    text = dialog_texts(DIALOGS[0])[0]
    assert Language("nl").gettext(text) == nl.get(text).string
    assert Language("en").gettext(text) == text


def test_money_and_numbers_follow_the_language():
    # CLDR puts a no-break space between the euro sign and the amount in Dutch.
    assert Language("nl").money(27.5) == "€\u00a027,50"
    assert Language("nl").money(27.5).replace("\u00a0", " ") == "€ 27,50"
    assert Language("en").money(27.5) == "€27.50"
    assert Language("nl").number(2.5) == "2,5"
    assert Language("en").number(2.5) == "2.5"


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, "nl"),
        ({"LANG": "C.UTF-8"}, "nl"),
        # LANG and LC_* do not count: a Dutch consultant's laptop often runs an English locale.
        ({"LANG": "en_GB.UTF-8"}, "nl"),
        ({"LC_ALL": "en_US.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "nl"),
        ({"INTAKE_LANG": "en"}, "en"),
        ({"INTAKE_LANG": "en_GB.UTF-8", "LANG": "nl_NL.UTF-8"}, "en"),
        ({"INTAKE_LANG": "NL", "LANG": "en_GB.UTF-8"}, "nl"),
        ({"INTAKE_LANG": " ", "LANG": "en_GB.UTF-8"}, "nl"),
    ],
)
def test_detect_language_from_the_environment(environ, expected):
    assert detect_language(environ=environ) == expected


def test_detect_language_reads_the_process_environment(monkeypatch):
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert detect_language() == "nl"
    monkeypatch.setenv("INTAKE_LANG", "en")
    assert detect_language() == "en"
    assert detect_language("nl") == "nl"  # --lang wins
    monkeypatch.setenv("INTAKE_LANG", "de")
    with pytest.raises(ValueError, match="INTAKE_LANG='de'"):
        detect_language()
    with pytest.raises(ValueError):
        detect_language("fr")
