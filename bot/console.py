"""The console platform: the bot on stdin/stdout, interactive or scripted.

One command per line (`/marketsafe` in front is optional); `/as NAME` switches to the identity
`console:NAME`; replies and the notices delivered to every logical channel are printed. At a
terminal, Tab completes command and sub-command words.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import re
import stat
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TextIO

from bot.console_files import save_files
from bot.delivery import DELIVERY_INTERVAL, DeliveryWorker, Target
from bot.router import Incoming, Router
from handlers.catalogue import subcommands, top_words
from handlers.kit.context import Attachment, Caller
from handlers.kit.csv_files import MAX_CSV_BYTES
from handlers.kit.i18n import _, format_number, in_language
from handlers.kit.outbox import NoticePayload
from handlers.kit.registry import as_typed
from handlers.kit.replies import Reply
from storage.database import Database
from storage.models import OutboxNotice
from storage.outages import Outage

log = logging.getLogger(__name__)
OPERATOR = "operator"
PREFIX, SWITCH = "/marketsafe", "/as"
NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")
# C0 controls but line feed and tab, DEL, and the C1 controls (an 8-bit escape sequence starts with \x9b).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
FILE_OPTION = re.compile(r'(?:^|\s)file=(?:"([^"]+)"|(\S+))')


class Screen:
    """Where the console prints. While a prompt waits for a line (`prompting`), a text printed from
    another thread (an announcement delivered in the background) goes above it: the line is
    cleared, the text printed, then the prompt and what was typed so far are drawn again under it,
    so the line being typed is never broken."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.typed: Callable[[], str] = lambda: ""
        # Draws the prompt and the typed text again, the cursor where it was; None: written by hand.
        self.redraw: Callable[[], None] | None = None
        self.prompt: str | None = None
        self._lock = threading.Lock()

    def follow_readline(self) -> None:
        """Take the typed text from readline, and let readline redraw its line (GNU readline)."""
        import readline

        self.typed = readline.get_line_buffer
        with contextlib.suppress(OSError, AttributeError):  # libedit, or no library to load
            self.redraw = ctypes.CDLL(readline.__file__).rl_forced_update_display

    @contextlib.contextmanager
    def prompting(self, prompt: str) -> Iterator[None]:
        """While a line is read after `prompt`."""
        with self._lock:
            self.prompt = prompt
        try:
            yield
        finally:
            with self._lock:
                self.prompt = None

    def print(self, text: str) -> None:
        text = inert(text)
        with self._lock:
            if self.prompt is None:
                print(text, file=self.out, flush=True)
                return
            self.out.write(f"\r\x1b[K{text}\n")
            if self.redraw is None:
                self.out.write(self.prompt + self.typed())
            self.out.flush()
            if self.redraw is not None:
                self.redraw()


class ConsolePoster:
    """Delivers notices by printing them: `[#team > MS-000123] text`, its own words in the
    notice's language (the delivery worker sets it)."""

    platform = "console"

    def __init__(self, screen: Screen) -> None:
        self.screen = screen
        self.count = 0

    def find_posted(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str | None:
        return None

    def update(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        self._print(notice, payload, _("(case message updated)") + " ")
        return target.thread_ref or ""

    def post(self, notice: OutboxNotice, payload: NoticePayload, target: Target) -> str:
        self._print(notice, payload, "")
        self.count += 1
        return f"console-{self.count}"

    def _print(self, notice: OutboxNotice, payload: NoticePayload, prefix: str) -> None:
        where = f"#{notice.channel}" + (f" > {notice.case_id}" if notice.case_id else "")
        lines = [f"[{where}] {prefix}{notice.text}"]
        for name, value in payload.fields:
            lines.append(f"    {name}: " + value.replace("\n", "\n      "))
        buttons = payload.buttons
        if buttons:
            lines.append("    " + _("actions: {commands}", commands=" | ".join(as_typed(b.command) for b in buttons)))
        self.screen.print("\n".join(lines))


class Console:
    def __init__(
        self,
        router: Router,
        database: Database,
        out: TextIO,
        *,
        identity: str = OPERATOR,
        after_command: Callable[[], None] | None = None,
        export_dir: Path = Path("exports"),
    ) -> None:
        self.router = router
        self.export_dir = export_dir
        self.screen = Screen(out)
        self.caller = Caller("console", identity)
        self.after_command = after_command
        self.delivery = DeliveryWorker(database, ConsolePoster(self.screen), resolve=lambda logical: f"#{logical}")
        self.delivery.start(skip_history=True)
        # Delivery after commands and in the background: while the database fails, logged as one outage.
        self._outage = Outage("console delivery", log, first_wait=DELIVERY_INTERVAL)
        self._lock = threading.Lock()

    def deliver_in_background(self, interval: float = 1.0) -> None:
        """Print notices that arrive between commands (scheduled announcements); while the
        database fails, less and less often (see `storage.outages`)."""

        def loop() -> None:
            while True:
                time.sleep(max(interval, self._outage.wait))
                with self._lock:
                    self._deliver()

        threading.Thread(target=loop, name="console-delivery", daemon=True).start()

    def drain(self, timeout: float) -> None:
        """Print every notice written so far, and those written meanwhile, for at most `timeout`
        seconds; stops at once when the database fails."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._deliver() and time.monotonic() < deadline:
                pass

    def _deliver(self) -> int:
        """One delivery pass (with the lock held): how many notices were printed. A failure (the
        database gone) is logged as part of an outage and printed nothing; the next pass tries again."""
        try:
            posted = self.delivery.run_once()
        except Exception:
            self._outage.failed()
            return 0
        self._outage.succeeded()
        return posted

    def _after_command(self) -> None:
        """What follows every command: the caller's follow-up (the scheduler's reconciliation), then
        the notices it wrote. Neither failing stops the console (with the lock held)."""
        if self.after_command is not None:
            try:
                self.after_command()
            except Exception:
                log.exception("the work after a console command failed; the console goes on")
        self._deliver()

    def run(self, lines: Iterable[str], *, greet: bool = False) -> None:
        if greet:
            with in_language(self.router.language_of(self.caller)):
                self._print(_("MarketSafe console. Type `help`, `/as NAME` to act as someone else, Ctrl-D to leave."))
        for line in lines:
            self.run_line(line)

    def run_line(self, line: str) -> None:
        text = line.strip()
        if not text or text.startswith("#"):
            return
        if text.split()[0] == SWITCH:
            self._switch(text[3:].strip())
            return
        try:
            # A refusal of a file is said in the language of the one acting.
            with in_language(self.router.language_of(self.caller) if FILE_OPTION.search(text) else None):
                text, attachments = _attachments(text)
        except OSError as error:
            with in_language(self.router.language_of(self.caller)):
                said = error.strerror or str(error)
                if error.filename is not None:
                    said = _("Cannot read {path}: {error}.", path=error.filename, error=said)
                else:
                    said = _("Cannot read that file: {error}.", error=said)
                self._print("! " + said)
            return
        except ValueError as error:
            self._print(f"! {error}")
            return
        with self._lock:
            incoming = Incoming(caller=self.caller, text=text, channel="console", attachments=attachments)
            self._show(self.router.handle(incoming))
            self._after_command()

    def _switch(self, name: str) -> None:
        if not NAME.match(name):
            with in_language(self.router.language_of(self.caller)):
                self._print(
                    "! " + _("Use /as NAME with letters, digits, dots, hyphens or underscores, e.g. /as brand1.")
                )
            return
        self.caller = Caller("console", name)
        with in_language(self.router.language_of(self.caller)):  # the language of the one now acting
            self._print(_("(now acting as {identity})", identity=self.caller.ref))

    def _show(self, reply: Reply) -> None:
        with reply.in_its_language():
            text = reply.render_plain(as_typed)
            try:
                saved = save_files(reply.files, self.export_dir)
            except OSError as error:
                saved = [
                    "! " + _("The file could not be written to {directory}: {error}.", directory=self.export_dir,
                             error=error.strerror or error)
                ]  # fmt: skip
        self._print("\n".join([("! " if reply.is_error else "") + text, *saved]))

    def read_line(self) -> str:
        """One line typed at the terminal, after a prompt naming who is acting."""
        prompt = f"{self.caller.ref}> "
        with self.screen.prompting(prompt):
            return input(prompt)

    def _print(self, text: str) -> None:
        self.screen.print(text)


def inert(text: str) -> str:
    """Text as the terminal should show it: control characters people wrote (escape sequences that
    could move the cursor, rewrite the screen or set the title) are shown as `\\x1b`, never obeyed."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def _attachments(text: str) -> tuple[str, tuple[Attachment, ...]]:
    """`file=PATH` options become attachments, as files sent with a message do on chat platforms."""
    found: list[Attachment] = []
    for match in FILE_OPTION.finditer(text):
        path = Path(match.group(1) or match.group(2)).expanduser()
        if not stat.S_ISREG(path.stat().st_mode):  # a device or a pipe would be read without end
            raise ValueError(_("{file} is not a regular file: give the path of a file.", file=path.name))
        with path.open("rb") as file:
            content = file.read(MAX_CSV_BYTES + 1)  # the size is checked on what is read, not what was said
        if len(content) > MAX_CSV_BYTES:
            limit = format_number(MAX_CSV_BYTES)
            raise ValueError(_("{file} is over {limit} bytes, the limit.", file=path.name, limit=limit))
        found.append(Attachment(path.name, content))
    return FILE_OPTION.sub(" ", text).strip(), tuple(found)


def completions(line_before_cursor: str, text: str) -> list[str]:
    """The words that complete `text`, the word typed last in `line_before_cursor`: a command word
    (or `/as`) at the start of the line, a command word after `/marketsafe` or `help`, and after
    command words the sub-command words registered under them."""
    words = [word.lower() for word in line_before_cursor[: len(line_before_cursor) - len(text)].split()]
    if not words:
        candidates = [*top_words(), SWITCH, PREFIX]
    else:
        path = words[1:] if words[0] == PREFIX else words
        candidates = _next_words(path[1:] if path[:1] == ["help"] else path)
    return sorted({word for word in candidates if word.startswith(text.lower())})


def _next_words(path: list[str]) -> list[str]:
    """The words that continue `path` into a registered command: the command words for no path."""
    if not path:
        return top_words()
    depth = len(path)
    return [
        spec.path[depth] for spec in subcommands(path[0]) if list(spec.path[:depth]) == path and len(spec.path) > depth
    ]


def enable_tab_completion() -> None:
    """Line editing and history for `input()`, with Tab completing command words (see `completions`)."""
    import readline

    found: list[str] = []

    def complete(text: str, state: int) -> str | None:
        if state == 0:
            found[:] = completions(readline.get_line_buffer()[: readline.get_endidx()], text)
        return found[state] if state < len(found) else None

    readline.set_completer(complete)
    readline.set_completer_delims(" \t\n")  # so that `/as` and `/marketsafe` are words, as the router reads them
    # macOS Python may be built on libedit, which reads another binding syntax.
    readline.parse_and_bind("bind ^I rl_complete" if "libedit" in (readline.__doc__ or "") else "tab: complete")
