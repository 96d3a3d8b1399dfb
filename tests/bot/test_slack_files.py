"""Shared files are fetched with the bot token from Slack's file host only, redirects included."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from bot.slack.files import FileNotFetched, SlackFiles

TOKEN = "xoxb-files-test-token"


class Server:
    """A file host on 127.0.0.1 and a stranger on 127.0.0.2, recording who got the token."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, str | None]] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                host = str(self.headers.get("Host", "")).split(":")[0]
                server.seen.append((f"{host}{self.path}", self.headers.get("Authorization")))
                if self.path == "/files/report.pdf":
                    self.send_response(200)
                    self.end_headers()
                    self.wfile.write(b"%PDF-1.7 report")
                elif self.path == "/files/moved.pdf":
                    self.send_response(302)
                    self.send_header("Location", f"http://127.0.0.1:{server.port}/files/report.pdf")
                    self.end_headers()
                elif self.path == "/files/elsewhere.pdf":
                    self.send_response(302)
                    self.send_header("Location", f"http://127.0.0.2:{server.port}/steal")
                    self.end_headers()
                else:
                    self.send_response(404 if self.path != "/files/broken.pdf" else 500)
                    self.end_headers()

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.home = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.home.server_address[1]
        self.stranger = ThreadingHTTPServer(("127.0.0.2", self.port), Handler)
        for running in (self.home, self.stranger):
            threading.Thread(target=running.serve_forever, daemon=True).start()

    def close(self) -> None:
        for running in (self.home, self.stranger):
            running.shutdown()
            running.server_close()


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    yield running
    running.close()


def shared(server: Server, path: str, size: int = 10) -> dict[str, object]:
    return {
        "name": path.rsplit("/", 1)[-1],
        "size": size,
        "url_private_download": f"http://127.0.0.1:{server.port}{path}",
    }


def files(server: Server) -> SlackFiles:
    return SlackFiles(TOKEN, f"http://127.0.0.1:{server.port}/api/")


def test_a_file_on_the_file_host_is_fetched_with_the_token(server: Server) -> None:
    attachment = files(server).download(shared(server, "/files/report.pdf"))
    assert attachment.content == b"%PDF-1.7 report" and attachment.name == "report.pdf"
    assert server.seen == [("127.0.0.1/files/report.pdf", f"Bearer {TOKEN}")]


def test_a_redirect_within_the_file_host_is_followed(server: Server) -> None:
    assert files(server).download(shared(server, "/files/moved.pdf")).content == b"%PDF-1.7 report"


def test_a_redirect_to_another_host_is_refused_and_the_token_never_leaves(server: Server) -> None:
    with pytest.raises(FileNotFetched, match=r"elsewhere.pdf could not be fetched from Slack \(HTTP 302\)"):
        files(server).download(shared(server, "/files/elsewhere.pdf"))
    assert all(not where.startswith("127.0.0.2") for where, _ in server.seen), "the stranger was never asked"


@pytest.mark.parametrize(("path", "code"), [("/files/missing.pdf", 404), ("/files/broken.pdf", 500)])
def test_a_file_slack_cannot_serve_gets_a_sentence_for_the_member(server: Server, path: str, code: int) -> None:
    with pytest.raises(FileNotFetched, match=rf"could not be fetched from Slack \(HTTP {code}\); share it again"):
        files(server).download(shared(server, path))


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example/x.pdf",
        "http://files.slack.com/x.pdf",
        "ftp://files.slack.com/x",
        "https://files.slack.com.evil/x",
    ],
)
def test_a_url_off_the_file_host_is_never_fetched(url: str) -> None:
    with pytest.raises(FileNotFetched, match="could not be fetched from Slack; share it again"):
        SlackFiles(TOKEN).download({"name": "x.pdf", "size": 1, "url_private_download": url})


def test_a_file_declared_too_large_is_refused_before_fetching(server: Server) -> None:
    with pytest.raises(FileNotFetched, match="is over 20 MB"):
        files(server).download(shared(server, "/files/report.pdf", size=21 * 1024 * 1024))
    assert server.seen == []


@pytest.mark.parametrize("size", ["12abc", "-1", "1e9", "٣"])
def test_a_malformed_file_size_gets_a_sentence_not_a_python_error(server: Server, size: str) -> None:
    entry = shared(server, "/files/report.pdf") | {"size": size}
    with pytest.raises(FileNotFetched, match=r"report\.pdf could not be fetched from Slack; share it again"):
        files(server).download(entry)
    assert server.seen == []
