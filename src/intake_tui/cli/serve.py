"""``intake serve``: the intake in a browser, through textual-serve.

textual-serve starts one app process per browser tab (per websocket) and draws
it in the page; it has no authentication of its own. This module puts a gate in
front of it:

- on a loopback address no secret is needed, but the websocket must come from
  the page itself (its Origin must be the Host), so another web site open in the
  same browser cannot drive an intake, and the Host must be a loopback name
  (no DNS rebinding);
- on any other address an access secret is required (read from a 0600 file, or
  generated and printed at start). Every request but the sign-in form and the
  static files is refused with 403 until the browser holds the session cookie,
  so no app process starts for a stranger.

Nothing of a record travels in a URL: the store and the language reach the app
processes through their environment, the access secret in a cookie. The server
logs no request lines and no tracebacks with local variables.
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import hmac
import html
import ipaddress
import logging
import os
import secrets
import shlex
import signal
import stat
import sys
from pathlib import Path
from typing import Any

from intake_tui.cli.main import EXIT_OK, UsageError
from intake_tui.i18n import Language

COOKIE = "intake_access"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback(host: str) -> bool:
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_name(host: str) -> str:
    """The name in a Host header, without its port."""
    if host.startswith("["):
        return host[1:host.find("]")]
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def read_secret_file(path: Path, lang: Language) -> str:
    """The access secret of a file that only its owner can read."""
    _ = lang.gettext
    try:
        # O_NONBLOCK: a FIFO is refused below instead of waiting for a writer.
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as error:
        raise UsageError(_("{file}: cannot read the access secret ({reason})").format(file=path, reason=error.strerror)) from None
    try:
        info = os.fstat(descriptor)
        if not stat.S_ISREG(info.st_mode):
            raise UsageError(_("{file}: the access secret must be a plain file").format(file=path))
        if info.st_mode & 0o077:
            raise UsageError(_("{file}: others can read this file; make it private first (chmod 600)").format(file=path))
        with os.fdopen(os.dup(descriptor), "rb") as handle:
            text = handle.read(4096).decode("utf-8", "replace").strip()
    except OSError as error:
        raise UsageError(_("{file}: cannot read the access secret ({reason})").format(file=path, reason=error.strerror)) from None
    finally:
        os.close(descriptor)
    if len(text) < 16:
        raise UsageError(_("{file}: the access secret must be at least 16 characters").format(file=path))
    return text


def app_command(lang: Language) -> str:
    """The command textual-serve runs for each tab: the start screen of this installation.

    textual-serve copies a tab app's stderr into the server's output; what an app
    says there (where its record is, a crash's traceback with its variables) is
    for the terminal, never for a server's log, so it goes nowhere."""
    command = " ".join(shlex.quote(part) for part in (sys.executable, "-m", "intake_tui", "--lang", lang.code))
    return f"{command} 2>{shlex.quote(os.devnull)}"


def make_server(*, host: str, port: int, store: str | None, lang: Language, secret: str | None):
    """A textual-serve server for the intake app, with the access gate in front of it."""
    from aiohttp import web
    from textual_serve.server import Server

    _ = lang.gettext
    # The register's URL or the folder travel in the environment, never on a command line (ps) or in a URL.
    if store:
        os.environ["INTAKE_STORE"] = store
    session_token = hmac.new(secret.encode(), b"intake-serve-session", hashlib.sha256).hexdigest() if secret else None

    def signed_in(request: web.Request) -> bool:
        if session_token is None:
            return True
        return hmac.compare_digest(request.cookies.get(COOKIE, ""), session_token)

    def same_origin(request: web.Request) -> bool:
        origin = request.headers.get("Origin")
        if origin is None:
            return request.path != "/ws"  # a browser always sends Origin on a websocket
        return origin.split("://", 1)[-1] == request.host

    def sign_in_page(message: str = "") -> str:
        note = f'<p class="error">{html.escape(message)}</p>' if message else ""
        return SIGN_IN.format(
            lang=lang.code, title=html.escape(_("Intake · sign in")), heading=html.escape(_("Access secret")),
            text=html.escape(_("This intake server asks for the access secret that was printed when it started.")),
            button=html.escape(_("Sign in")), note=note)

    @web.middleware
    async def gate(request: web.Request, handler):
        if session_token is None and not is_loopback(host_name(request.host)):
            return web.Response(status=403, text=_("Forbidden"))  # a loopback server answers loopback names only
        if not same_origin(request):
            return web.Response(status=403, text=_("Forbidden"))
        if request.path.startswith("/static/") or request.path == "/sign-in":
            return await handler(request)
        if not signed_in(request):
            return web.Response(status=403, text=sign_in_page(), content_type="text/html")
        return await handler(request)

    class IntakeServer(Server):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.tabs: set[asyncio.Task] = set()
            self.apps: dict[asyncio.Task, Any] = {}  # each tab's textual-serve AppService
            self.ending: asyncio.Task | None = None

        def request_exit(self) -> None:
            # Ctrl+C: end the tabs' apps first, then stop the server. aiohttp's shutdown marks every connection
            # as closing before on_shutdown runs and drops what the browser sends after that, its reply to the
            # websocket's close too; a tab ended there waited until the browser gave up on the connection
            # (Chromium: 2 s) before the server could stop. A second Ctrl+C stops at once.
            if self.ending is not None:
                raise web.GracefulExit()
            self.ending = asyncio.get_running_loop().create_task(self.end_tabs_then_exit())

        async def end_tabs_then_exit(self) -> None:
            await self.end_tabs()
            asyncio.get_running_loop().call_soon(self.raise_exit)  # raised by the loop, as a signal handler's would be

        @staticmethod
        def raise_exit() -> None:
            raise web.GracefulExit()

        async def end_tabs(self) -> None:
            # Every tab's app is asked to quit (its answers are saved already) and awaited, instead of the
            # server waiting for the tabs to close on their own.
            tabs = set(self.tabs)
            for task in tabs:
                task.cancel()
            if tabs:
                await asyncio.wait(tabs, timeout=15)

        def initialize_logging(self) -> None:
            # textual-serve logs rich tracebacks with local variables: never here, nor any traceback.
            handler = logging.StreamHandler()
            handler.setFormatter(NoTracebackFormatter("intake serve: %(message)s"))
            logging.basicConfig(level=logging.WARNING, handlers=[handler], force=True)

        async def on_startup(self, app: web.Application) -> None:
            pass

        async def handle_websocket(self, request: web.Request) -> web.StreamResponse:
            # Each tab's handler is known, so that Ctrl+C can end the tabs' apps at once.
            task = asyncio.current_task()
            assert task is not None
            self.tabs.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                # textual-serve stops at the end of the app's output; the tab has ended when its process has
                # (else Ctrl+C could close the server's loop while an app is still exiting).
                app = self.apps.pop(task, None)
                process = getattr(app, "_process", None)
                if process is not None:
                    await process.wait()
                self.tabs.discard(task)

        async def _process_messages(self, websocket: web.WebSocketResponse, app_service: Any) -> None:
            task = asyncio.current_task()
            assert task is not None
            self.apps[task] = app_service
            await super()._process_messages(websocket, app_service)

        async def on_shutdown(self, app: web.Application) -> None:
            await self.end_tabs()  # a tab opened while the others were ending

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.middlewares.append(gate)
            app.router.add_post("/sign-in", sign_in)
            return app

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            scheme = "wss" if request.secure or request.headers.get("X-Forwarded-Proto") == "https" else "ws"
            page = INDEX.format(
                lang=lang.code, title=html.escape(_("Intake")), static="/static/",
                websocket=html.escape(f"{scheme}://{request.host}/ws"),
                ended=html.escape(_("The intake in this tab has ended. Every answer is saved.")),
                restart=html.escape(_("Start again")))
            return web.Response(text=page, content_type="text/html", headers={"Cache-Control": "no-store"})

    async def sign_in(request: web.Request) -> web.StreamResponse:
        form = await request.post()
        given = str(form.get("secret", ""))
        if secret is None or not hmac.compare_digest(given.encode(), secret.encode()):
            await asyncio.sleep(1)  # no fast guessing
            return web.Response(status=403, text=sign_in_page(_("That is not the access secret.")), content_type="text/html")
        response = web.HTTPSeeOther("/")
        response.set_cookie(COOKIE, session_token, httponly=True, samesite="Strict",
                            secure=request.secure or request.headers.get("X-Forwarded-Proto") == "https")
        return response

    server = IntakeServer(app_command(lang), host=host, port=port, title=_("Intake"))
    return server


def run_serve(args: argparse.Namespace, lang: Language) -> int:
    from aiohttp import web

    _ = lang.gettext
    host, port = args.host, args.port
    if not host.strip():
        raise UsageError(_("--host: give an address to listen on, for example 127.0.0.1"))
    if not 1 <= port <= 65535:
        raise UsageError(_("--port {port}: a port is a number from 1 to 65535").format(port=port))
    secret = None
    if args.secret_file:
        secret = read_secret_file(Path(args.secret_file), lang)
    elif not is_loopback(host):
        secret = secrets.token_urlsafe(24)
    server = make_server(host=host, port=port, store=getattr(args, "store", None), lang=lang, secret=secret)
    shown = f"[{host}]" if ":" in host else host

    def listening(*_args: Any) -> None:
        # Said once the address is bound (aiohttp calls its print then), not before a failure.
        print(_("Intake in the browser: open http://{host}:{port}/").format(host=shown, port=port), flush=True)
        if secret is not None and not args.secret_file:
            print(_("Access secret (give it only to colleagues who may see the records): {secret}").format(secret=secret), flush=True)
        print(_("Stop with Ctrl+C; every answer is already saved."), flush=True)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, server.request_exit)
    server.initialize_logging()
    try:
        web.run_app(server._make_app(), host=host, port=port, handle_signals=False, loop=loop,
                    access_log=None, print=listening)
    except (OSError, UnicodeError) as error:
        reason = getattr(error, "strerror", None) or _("not an address of this computer")
        if isinstance(error, OSError) and error.errno and error.errno > 0:
            reason = os.strerror(error.errno)  # asyncio's own text repeats the address
        raise UsageError(_("cannot listen on {host}:{port} ({reason})").format(host=host, port=port, reason=reason)) from None
    print(_("Stopped; open drafts are saved."), file=sys.stderr)
    return EXIT_OK


class NoTracebackFormatter(logging.Formatter):
    """A log line without the traceback of its exception: its message only."""

    def formatException(self, ei) -> str:  # noqa: N802 (logging's name)
        return ""

    def format(self, record: logging.LogRecord) -> str:
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        return super().format(record)


SIGN_IN = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta name="referrer" content="same-origin">
<style>body{{font-family:sans-serif;background:#12232d;color:#eee;display:flex;justify-content:center;padding-top:15vh}}
form{{background:#0c181f;padding:2em;border-radius:6px;max-width:28em}}input{{font-size:1.1em;width:100%;margin:.5em 0}}
.error{{color:#ff9b9b}}</style></head>
<body><form method="post" action="/sign-in"><h1>{heading}</h1><p>{text}</p>{note}
<input type="password" name="secret" autocomplete="current-password" autofocus required>
<button type="submit">{button}</button></form></body></html>
"""

INDEX = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta name="referrer" content="same-origin">
<link rel="stylesheet" href="{static}css/xterm.css">
<script src="{static}js/textual.js"></script>
<style>body{{background:#0c181f;margin:0}} .closed-dialog{{display:none}}
body.-closed .closed-dialog{{display:flex;position:absolute;inset:0;align-items:center;justify-content:center;
color:#eee;font-family:sans-serif;flex-direction:column;z-index:10;background:#0c181f}}
.textual-terminal{{width:100vw;height:100vh}}</style></head>
<body>
<div class="closed-dialog"><p>{ended}</p><button type="button" onclick="window.location.reload()">{restart}</button></div>
<div id="terminal" class="textual-terminal" data-session-websocket-url="{websocket}" data-font-size="16"></div>
</body></html>
"""
