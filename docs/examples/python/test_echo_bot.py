"""End-to-end test of an echo bot against bale-mock, with nothing but the standard library
and pytest.

    pip install -r requirements.txt
    cargo build -p bale-cli                       # or set BALE_MOCK_BIN=/path/to/bale-mock
    pytest -q test_echo_bot.py

The test starts `bale-mock serve --listen 127.0.0.1:0`, runs the bot in a thread against it,
plays the user through the mock's control API (/__mock/...) and checks the chat's transcript.
"""

import json
import os
import pathlib
import subprocess
import threading
import urllib.request

import pytest

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"  # any well-formed token is a bot
BOT_ID = 123456789  # the digits before the colon
USER_ID = 1001  # the user the test plays; their private chat with the bot has the same id


def call(url, payload=None):
    """POST `payload` as JSON (or GET without one); returns the decoded JSON answer."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


# --- the bot under test ---------------------------------------------------------------------
def echo_bot(api, stop):
    """Long-polls getUpdates and echoes every text message, until `stop` is set."""
    offset = 0
    while not stop.is_set():
        updates = call(f"{api}/getUpdates", {"offset": offset, "timeout": 1})["result"]
        for update in updates:
            offset = update["update_id"] + 1  # confirms this update
            message = update.get("message", {})
            if "text" in message:
                call(f"{api}/sendMessage", {"chat_id": message["chat"]["id"], "text": message["text"]})


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture
def mock_url():
    """A fresh bale-mock on a free port; its URL is on the first line it prints."""
    root = pathlib.Path(__file__).resolve().parents[3]
    binary = os.environ.get("BALE_MOCK_BIN") or root / "target" / "debug" / "bale-mock"
    server = subprocess.Popen(
        [str(binary), "serve", "--listen", "127.0.0.1:0"], stdout=subprocess.PIPE, text=True
    )
    try:
        first_line = server.stdout.readline()  # "listening on http://127.0.0.1:PORT"
        assert first_line.startswith("listening on "), first_line
        yield first_line.split()[-1]
    finally:
        server.terminate()  # SIGTERM: the mock drains and exits 0
        assert server.wait(timeout=10) == 0


@pytest.fixture
def bot(mock_url):
    stop = threading.Event()
    thread = threading.Thread(target=echo_bot, args=(f"{mock_url}/bot{TOKEN}", stop))
    thread.start()
    yield
    stop.set()
    thread.join(timeout=10)


# --- the test ---------------------------------------------------------------------------------
def test_the_bot_echoes_what_the_user_says(mock_url, bot):
    control = f"{mock_url}/__mock/bots/{BOT_ID}"

    # The user says hello; the bot receives it through getUpdates.
    sent = call(f"{control}/messages", {"from": USER_ID, "text": "hello"})

    # Wait (up to 10 s) for the bot's answer in the chat's transcript.
    after = sent["message"]["message_id"]
    replies = call(f"{control}/chats/{USER_ID}/messages?from=bot&after={after}&wait=10")
    assert [r["message"]["text"] for r in replies["messages"]] == ["hello"]

    # The whole chat: what the user said, then what the bot said.
    chat = call(f"{control}/chats/{USER_ID}/messages")["messages"]
    assert [(m["sender"], m["message"]["text"]) for m in chat] == [("user", "hello"), ("bot", "hello")]
