"""Issue 17, the store's part of the property test: arbitrary record files (any
bytes, any JSON value, a real record with any field replaced by any JSON value)
never break the store. `list`, `purge`, `export` and opening a record for
`resume` raise nothing, exit 0 or 2, and write nothing outside the store.
Bounded to a few seconds."""

from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intake_tui.cli.main import main
from intake_tui.engine.intake import Intake
from intake_tui.engine.recommendation import Recommendation
from intake_tui.engine.store import Store
from intake_tui.engine.store_api import StoreError
from intake_tui.i18n import Language

from .test_store import make_record

NAMES = ["20250901-abcdef0123", "20250901-other0", "20150101-old000", "backup"]
TEMPLATE = json.loads(make_record(
    status="complete", next_question=None,
    recommendation=Recommendation(outcome="x", route="arrangement", form="group", level="light", title="t", cite="c",
                                  reasons=["r"]),
).model_dump_json())
FIELDS = [*TEMPLATE, *(f"answers.{fact}" for fact in TEMPLATE["answers"]), "recommendation.route",
          "recommendation.why", "answers.school_share_pct"]

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=12,
)


def replaced(field_and_value: tuple[str, object], record_id: str) -> bytes:
    field, value = field_and_value
    data = json.loads(json.dumps(TEMPLATE))
    data["id"] = record_id
    *parents, key = field.split(".")
    target = data
    for parent in parents:
        target = target[parent]
    target[key] = value
    return json.dumps(data).encode()


CONTENTS = st.one_of(
    st.binary(max_size=200).map(lambda raw: lambda record_id: raw),
    JSON.map(lambda value: lambda record_id: json.dumps(value).encode()),
    st.tuples(st.sampled_from(FIELDS), JSON).map(lambda pair: lambda record_id: replaced(pair, record_id)),
)


def intake(*argv: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main([*argv, "--lang", "en"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files=st.dictionaries(st.sampled_from(NAMES), CONTENTS, min_size=1, max_size=3))
def test_arbitrary_record_files_never_break_the_store(files) -> None:
    home = os.getcwd()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        folder, cwd = root / "store", root / "cwd"
        folder.mkdir(mode=0o700)
        cwd.mkdir()
        for name, content in files.items():
            (folder / f"{name}.json").write_bytes(content(name))
        before = {path.name: path.read_bytes() for path in folder.iterdir()}
        os.chdir(cwd)
        try:
            codes = [intake("list", "--store", str(folder)),
                     intake("purge", "--older-than", "1d", "--dry-run", "--store", str(folder))]
            for name in files:
                codes += [intake("export", name, "--format", format_, "--store", str(folder)) for format_ in ("md", "json")]
                try:
                    Intake.resume(Store(folder), name, Language("en")).close()
                except StoreError:
                    pass
            codes.append(intake("purge", "--older-than", "1d", "--store", str(folder)))
            codes.append(intake("list", "--store", str(folder)))
        finally:
            os.chdir(home)
        assert set(codes) <= {0, 2}, codes
        assert sorted(os.listdir(root)) == ["cwd", "store"] and os.listdir(cwd) == []
        # Nothing was written in the store either: files are only ever purged, never changed.
        after = {path.name: path.read_bytes() for path in folder.iterdir()}
        assert after.items() <= before.items()
