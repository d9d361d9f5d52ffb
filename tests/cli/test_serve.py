"""``intake serve`` in a real browser: Debian's chromium driven by Playwright.

The page draws the app on a canvas, so the tests read what happened from the
store (the saved record), which is what matters: every answer typed in the
browser is in the record. Without chromium or Playwright the tests skip, unless
INTAKE_REQUIRE_BROWSER is set (CI sets it), then they fail.
"""

from __future__ import annotations

import io
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from intake_tui.cli.main import main
from intake_tui.engine.store import Store

CHROMIUM = "/usr/bin/chromium"
ARTEFACTS = Path(__file__).resolve().parents[1] / "artefacts"
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync"]

# Liemers, every condition met (shared scenario liemers-all-conditions-met).
LIEMERS = {
    "needs_exceed_basic": True, "ab_involved": True, "ab_supports_request": True, "opp_present": True,
    "opp_signed_by_parents": True, "parents_support_request": True, "hgw_months": 8, "school_share_pct": 50,
    "school_share_justified": False, "zware_middelen_used": True, "hours_requested_per_week": 2.5,
}


def _browser_missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is not installed (apt install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "playwright is not installed"
    return None


missing = _browser_missing()
if missing and os.environ.get("INTAKE_REQUIRE_BROWSER"):
    raise RuntimeError(f"browser tests required but {missing}")
pytestmark = pytest.mark.skipif(missing is not None, reason=missing or "")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    def __init__(self, store: Path, *extra: str, host: str = "127.0.0.1") -> None:
        self.port = free_port()
        self.host = host
        self.store = store
        home = store.parent / "home"  # settings, caches and downloads of the app processes stay in the test's folder
        env = dict(os.environ, INTAKE_LANG="nl", HOME=str(home), XDG_CONFIG_HOME=str(home / "config"),
                   XDG_DATA_HOME=str(home / "data"), XDG_CACHE_HOME=str(home / "cache"), INTAKE_CACHE=str(home / "cache"))
        env.pop("INTAKE_STORE", None)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "intake_tui", "--store", str(store), "serve", "--host", host,
             "--port", str(self.port), *extra],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}/"
        # Everything the server says is kept as it comes; it has started when it says where it listens
        # (it says so once the address is bound).
        self.lines: list[str] = []
        self.said = threading.Event()  # where it listens, or it has ended
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.said.wait(30)
        if not any("open http://" in line for line in self.lines):
            raise RuntimeError("intake serve did not start listening: " + self.stop())

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if "open http://" in line:
                self.said.set()
        self.said.set()

    def children(self) -> list[int]:
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def stop(self) -> str:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.reader.join(10)
        return "".join(self.lines)


# What the app writes to a page's terminal (its byte stream as text, escape sequences and all), kept by the
# page so that a test can wait until the app has drawn something instead of comparing screenshots.
OUTPUT_TAP = """
(() => {
  const Native = window.WebSocket;
  const decoder = new TextDecoder();
  window.appOutput = "";
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener("message", (event) => {
        if (typeof event.data !== "string") window.appOutput += decoder.decode(new Uint8Array(event.data), {stream: true});
      });
    }
  };
})();
"""


def output_end(page) -> int:
    """Where the app's output to the page ends now: what it writes after a key is found past this mark."""
    return page.evaluate("window.appOutput.length")


def drawn(page, pattern: str, since: int = 0, timeout: float = 60.0) -> int:
    """Wait until the app has written what the regular expression ``pattern`` finds in its output past ``since``
    (drawn, not only sent: the terminal draws what it receives in order); return where the output ends then."""
    page.wait_for_function("([pattern, since]) => new RegExp(pattern).test(window.appOutput.slice(since))",
                           arg=[pattern, since], polling=50, timeout=timeout * 1000)
    return output_end(page)


def focused(placeholder: str) -> str:
    """An empty input field that has the focus: the cursor on the first letter of its placeholder, a style of its own."""
    return re.escape(placeholder[0]) + r"(?:\x1b\[[0-9;]*m)+" + re.escape(placeholder[1:])


@pytest.fixture(scope="module")
def chromium(tmp_path_factory):
    """One browser for the module's tests (starting chromium is slow); each test has its own
    server, store and pages."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=CHROMIUM, headless=True, args=BROWSER_ARGS,
            viewport={"width": 1100, "height": 720}, accept_downloads=True)
        context.add_init_script(OUTPUT_TAP)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def browser(chromium):
    """The shared browser, left with no page of this test open and no cookie of its servers."""
    yield chromium
    for page in chromium.pages:
        page.close()
    chromium.clear_cookies()


def wait_for(condition, what: str, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def records(store: Path):
    return [entry.record for entry in Store(store).entries() if entry.record is not None]


CELL = (9, 18)  # a character cell of the page's terminal, in pixels


def only_the_cursor_blinked(before: bytes, after: bytes) -> bool:
    """Whether two screenshots differ in one character cell at most: the input's cursor
    blinks every half second, so a page at rest is never twice the same picture."""
    from PIL import Image, ImageChops

    changed = ImageChops.difference(*(Image.open(io.BytesIO(shot)).convert("RGB") for shot in (before, after))).getbbox()
    return changed is None or (changed[2] - changed[0] <= CELL[0] and changed[3] - changed[1] <= CELL[1])


def painted(shot: bytes) -> bool:
    """Whether the app has drawn something: more than one cell differs from the colour of the top-left pixel."""
    from PIL import Image, ImageChops

    image = Image.open(io.BytesIO(shot)).convert("RGB")
    box = ImageChops.difference(image, Image.new("RGB", image.size, image.getpixel((0, 0)))).getbbox()
    return box is not None and (box[2] - box[0] > CELL[0] or box[3] - box[1] > CELL[1])


def settled(page, timeout: float = 60.0) -> bytes:
    """Wait until the page has painted and stops changing but for the cursor (the machine may be busy); return
    the settled picture (for the picture kept of a test; the tests wait on what the app writes, ``drawn``)."""
    deadline = time.monotonic() + timeout
    previous = None
    while time.monotonic() < deadline:
        shot = page.screenshot()
        if not painted(shot):
            previous = None
        elif previous is not None and only_the_cursor_blinked(previous, shot):
            return shot
        else:
            previous = shot
        time.sleep(0.12)
    raise AssertionError("the page never settled")


def open_app(page, url: str, loaded: bool = False) -> None:
    if not loaded:
        page.goto(url)
    drawn(page, "Nieuwe intake: Samenwerkingsverband Utrecht PO")  # the start screen, the last region listed
    page.focus(".xterm-helper-textarea")  # the keyboard goes to the terminal; no click picks anything


def start_liemers(page) -> None:
    # Start screen: the regions are listed in alphabetical order; Liemers is the third.
    page.bring_to_front()
    page.focus(".xterm-helper-textarea")
    mark = output_end(page)
    for key in ("ArrowDown", "ArrowDown", "Enter"):
        page.keyboard.press(key)
    # The new-intake form: pupil reference (empty: anonymous), consultant, school; Enter on the last starts.
    # Each Enter waits until the focus has moved on (the next field shows its cursor) before the next key.
    mark = drawn(page, "Leerlingkenmerk", mark)
    for field in ("uw naam", "de school die de vraag stelt"):
        page.keyboard.press("Enter")
        mark = drawn(page, focused(field), mark)
    page.keyboard.press("Enter")
    drawn(page, "Heeft de leerling meer ondersteuning nodig", mark)  # Liemers' first question


def typed(value) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def type_answer(page, text: str) -> None:
    page.bring_to_front()
    page.focus(".xterm-helper-textarea")
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def answer_one(page, store: Path, fact: str, before: int) -> int:
    type_answer(page, typed(LIEMERS[fact]))

    def saved():
        found = records(store)
        return found and sum(len(r.answers) for r in found) > before

    wait_for(saved, f"the answer to {fact} to be saved")
    return before + 1


def test_a_whole_intake_typed_in_the_browser_is_saved_and_downloads(tmp_path, browser):
    store = tmp_path / "store"
    server = Served(store)
    try:
        page = browser.new_page()
        open_app(page, server.url)
        start_liemers(page)
        answer_one(page, store, "needs_exceed_basic", 0)
        # A reload mid-intake loses nothing: the draft is saved, and free to resume once the old tab's app has ended.
        (old_app,) = server.children()
        page.reload()
        wait_for(lambda: old_app not in server.children(), "the old tab's app to end")
        (draft,) = records(store)
        assert draft.status == "draft" and draft.answers == {"needs_exceed_basic": True}
        with Store(store).lock(draft.id):
            pass  # the ended tab no longer holds the draft

        # The reloaded tab starts anew: a whole intake, every answer typed.
        open_app(page, server.url, loaded=True)
        start_liemers(page)
        while not any(r.status == "complete" for r in records(store)):
            current = [r for r in records(store) if r.id != draft.id]
            fact = current[0].next_question if current else "needs_exceed_basic"
            answer_one(page, store, fact, sum(len(r.answers) for r in records(store)))
        (done,) = [r for r in records(store) if r.status == "complete"]
        # Every question on the path was typed in the browser (the justification is not asked at 50 %).
        assert done.answers == {fact: value for fact, value in LIEMERS.items() if fact != "school_share_justified"}
        assert done.recommendation.route == "arrangement"
        assert done.recommendation.hours_per_week == 2.5
        settled(page)
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "serve-outcome.png"))

        with page.expect_download(timeout=30_000) as download_info:
            page.keyboard.press("e")
        download = download_info.value
        assert download.suggested_filename == f"intake-{done.id}.md"
        text = Path(download.path()).read_text(encoding="utf-8")
        assert done.id in text
        assert not list(Path.cwd().glob(f"intake-{done.id}.md")), "downloaded, not written on the server's disk"
        page.close()
        wait_for(lambda: not server.children(), "the closed tab's app to end")
    finally:
        output = server.stop()
    assert "Traceback" not in output
    assert "2,5" not in output and "2.5" not in output  # nothing of a record in the server's output
    assert done.id not in output and str(store) not in output  # nor where it is


def test_two_tabs_make_two_independent_records_and_ctrl_c_ends_their_apps_and_the_server(tmp_path, browser):
    # One server for both points: starting a server, a tab and an intake is most of each test's time.
    store = tmp_path / "store"
    server = Served(store)
    try:
        first, second = browser.new_page(), browser.new_page()
        open_app(first, server.url)
        open_app(second, server.url)
        assert len(server.children()) == 2
        start_liemers(first)
        start_liemers(second)
        type_answer(first, "ja")
        wait_for(lambda: [r for r in records(store) if r.answers], "the first tab's draft")
        type_answer(second, "nee")
        wait_for(lambda: [r for r in records(store) if r.status == "complete"], "the second tab's record")
        (draft,) = [r for r in records(store) if r.answers and r.status == "draft"]
        (done,) = [r for r in records(store) if r.status == "complete"]
        assert draft.answers == {"needs_exceed_basic": True}
        assert done.answers == {"needs_exceed_basic": False}
        assert done.recommendation.route == "basis"
        assert draft.id != done.id
        apps = server.children()
        assert len(apps) == 2
    finally:
        output = server.stop()
    # Ctrl+C with the tabs open (one mid-intake) ends their apps and the server by itself.
    assert server.process.returncode == 0, "stopped by Ctrl+C, not killed after waiting"
    assert not any(Path(f"/proc/{app}").exists() for app in apps), "the tabs' apps ended with the server"
    assert output.rstrip().endswith("Gestopt; open concepten zijn opgeslagen."), output
    # Nothing of what a tab's app says on leaving (where its record is) nor any traceback.
    assert "Traceback" not in output and "Exception" not in output and "intake resume" not in output
    assert str(store) not in output
    assert [r.answers for r in records(store) if r.id == draft.id] == [{"needs_exceed_basic": True}]


def http_status(url: str, headers: dict[str, str] | None = None, data: bytes | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers=headers or {}, data=data)

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.read().decode(), response.headers.get("Set-Cookie", "")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers.get("Set-Cookie", "")


def test_beyond_loopback_a_secret_is_required_before_any_app_starts(tmp_path, browser):
    secret_file = tmp_path / "secret"
    secret_file.write_text("correct-horse-battery-staple-42\n")
    secret_file.chmod(0o600)
    server = Served(tmp_path / "store", "--secret-file", str(secret_file), host="0.0.0.0")
    try:
        status, body, _ = http_status(server.url)
        assert status == 403 and 'type="password"' in body
        ws = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": server.url.rstrip("/")}
        assert http_status(server.url + "ws", ws)[0] == 403
        assert http_status(server.url + "sign-in", data=b"secret=wrong")[0] == 403
        time.sleep(0.5)
        assert server.children() == [], "no app process starts for a stranger"

        status, _, cookie = http_status(server.url + "sign-in", data=b"secret=correct-horse-battery-staple-42")
        assert status == 303 and "HttpOnly" in cookie and "SameSite=Strict" in cookie
        page = browser.new_page()
        page.goto(server.url)
        page.fill("input[name=secret]", "correct-horse-battery-staple-42")
        page.click("button[type=submit]")
        page.wait_for_selector("#terminal canvas", state="attached", timeout=30_000)
        wait_for(lambda: len(server.children()) == 1, "the signed-in tab's app")
    finally:
        output = server.stop()
    assert "correct-horse" not in output  # a secret read from a file is never printed


def test_on_loopback_another_site_cannot_drive_an_intake(tmp_path):
    server = Served(tmp_path / "store")
    try:
        assert http_status(server.url)[0] == 200
        assert http_status(server.url, {"Host": "attacker.example"})[0] == 403  # DNS rebinding
        ws = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
              "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", "Origin": "http://attacker.example"}
        assert http_status(server.url + "ws", ws)[0] == 403
        assert server.children() == []
    finally:
        server.stop()


def test_secret_file_that_others_can_read_is_refused(tmp_path, capsys, monkeypatch):
    def no_server(**_settings):
        raise AssertionError("a server was made")

    monkeypatch.setattr("intake_tui.cli.serve.make_server", no_server)
    secret_file = tmp_path / "secret"
    secret_file.write_text("correct-horse-battery-staple-42\n")
    secret_file.chmod(0o644)
    code = main(["--lang", "en", "serve", "--host", "0.0.0.0", "--port", str(free_port()), "--secret-file", str(secret_file)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert "chmod 600" in err and "Traceback" not in err


def test_generated_secret_is_printed_once_when_listening_beyond_loopback(tmp_path):
    output = Served(tmp_path / "store", host="0.0.0.0").stop()  # stopped once it has said where it listens
    assert output.count("http://0.0.0.0:") == 1
    secrets_shown = re.findall(r": ([A-Za-z0-9_-]{32})$", output, flags=re.MULTILINE)
    assert len(secrets_shown) == 1, output


def run_serve_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "intake_tui", "--lang", "en", "serve", *args],
                          capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("args, said", [
    (["--port", "99999"], "--port 99999: a port is a number from 1 to 65535"),
    (["--port", "0"], "--port 0: a port is a number from 1 to 65535"),
    (["--host", ""], "--host: give an address to listen on"),
    (["--host", "0.0.0.0", "--secret-file", "DIR"], "the access secret must be a plain file"),
    (["--host", "0.0.0.0", "--secret-file", "FIFO"], "the access secret must be a plain file"),
    (["--host", "0.0.0.0", "--secret-file", "MISSING"], "cannot read the access secret (No such file or directory)"),
])
def test_bad_serve_arguments_get_a_sentence_and_exit_2(tmp_path, capsys, monkeypatch, args, said):
    # Said before any server is made: the command line's own answer, in this process (a server made fails the test).
    def no_server(**_settings):
        raise AssertionError("a server was made")

    monkeypatch.setattr("intake_tui.cli.serve.make_server", no_server)
    os.mkfifo(tmp_path / "fifo")
    places = {"DIR": str(tmp_path), "FIFO": str(tmp_path / "fifo"), "MISSING": str(tmp_path / "missing")}
    args = [places.get(arg, arg) for arg in args]
    port = [] if "--port" in args else ["--port", str(free_port())]
    code = main(["--lang", "en", "serve", *args, *port])
    out, err = capsys.readouterr()
    assert code == 2, err
    assert said in err and "Traceback" not in err
    assert out == "", "nothing is announced (nor a secret printed) before the address is bound"


@pytest.mark.parametrize("host, said", [
    ("a..b", "cannot listen on a..b:"),
    ("no-such-host.invalid", "cannot listen on no-such-host.invalid:"),
])
def test_an_address_that_cannot_be_bound_is_said_before_anything_is_announced(host, said):
    # The server is made and fails to bind: a process of its own, as `intake serve` runs.
    result = run_serve_cli("--host", host, "--port", str(free_port()))
    assert result.returncode == 2, result.stderr
    assert said in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == "", "nothing is announced (nor a secret printed) before the address is bound"


def test_a_port_in_use_is_said_before_anything_is_announced(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run_serve_cli("--port", str(port))
    assert result.returncode == 2
    assert result.stderr.strip() == f"intake: cannot listen on 127.0.0.1:{port} (Address already in use)"
    assert result.stdout == ""
