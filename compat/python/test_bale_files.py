"""Files and askReview through the two Bale SDKs, Balethon 1.1.0 and python-bale-bot 2.5.0,
against a running bale-mock (bale dialect). Run through compat/run, which exports
BALE_MOCK_URL.

Each library uploads a document, downloads it again and checks the bytes; each downloads a
document a user sent (played through the control API); each calls askReview.

What the libraries do (read from their sources in the venv, seen in the mock's journal):

Balethon 1.1.0 (`Client(token, base_url=...)`, httpx):
- `send_document(chat_id, document)`: bytes, an open file or a path (which `resolve_media`
  opens, and never closes) make `execute` send multipart (`files={"document": ...}`: httpx names raw bytes
  `upload`, a file by its base name); a file_id (a str that is no path) goes as JSON.
- `download(file_id)` = `Connection.download_file`: `GET <base_url>/file/bot<token>/<file_id>`,
  by file_id, never by getFile's `file_path`; a non-200 answer raises RPCError.
- no `ask_review` in 1.1.0 (newer Balethon has one); the test sends it with the library's
  generic `Client.execute("post", "askReview", user_id=..., delay_seconds=...)` (a JSON body).

python-bale-bot 2.5.0 (aiohttp; no base-URL option, see test_python_bale_bot.py):
- requests go to `bale.request.http.BALE_API_BASE_URL`, downloads to a second module global,
  `BALE_API_FILE_URL` ('https://tapi.bale.ai/file'); both are patched here.
- `send_document(chat_id, InputFile(bytes, file_name=...))`: `POST /bot<T>/sendDocument`,
  multipart, the file part labelled `Content-Type: multipart/form-data` (the library's habit);
  `InputFile(file_id)` resends. Without `file_name`, aiohttp names the part `document`.
- `Document.get()` = `Bot.get_file(file_id)` = `GET <BALE_API_FILE_URL>/bot<T>/<file_id>`:
  again by file_id. Only 400 and 440 become NotFound("File is not Found"), 403 Forbidden;
  anything else APIError from the JSON body (the mock's 404: `APIError("404: Not Found")`).
- no askReview at all: sent with `bot._http.request(Route("POST", "askReview", token),
  json=...)`.
"""

import asyncio
import base64
import json
import os
import random
import tempfile
import unittest
import urllib.parse
import urllib.request

import bale.request.http as bale_http
from bale import Bot, InputFile
from bale.error import APIError, BadRequest, Forbidden, NotFound
from bale.request import Route
from balethon import Client
from balethon.errors import RPCError

from mock_user import MockUser, fresh_user_id

BALE_URL = os.environ.get("BALE_MOCK_URL", "").rstrip("/")
if not BALE_URL:
    raise RuntimeError("BALE_MOCK_URL is not set; run the suite through compat/run")

# python-bale-bot: the base URL for methods (as test_python_bale_bot does) and for downloads.
bale_http.BALE_API_BASE_URL = BALE_URL + "/"
bale_http.BALE_API_FILE_URL = BALE_URL + "/file"

SECRET = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
_next_bot = 8_000_000_000 + random.randrange(10**12)

# Binary content: every byte value, then random ones, so that nothing may be re-encoded.
CONTENT = bytes(range(256)) + random.randbytes(4096)


def fresh_bot():
    global _next_bot
    _next_bot += 1
    return _next_bot, f"{_next_bot}:{SECRET}"


def journal(bot_id, method):
    """The journal's entries for `bot_id` and `method`, oldest first."""
    query = urllib.parse.urlencode({"bot": bot_id, "method": method})
    with urllib.request.urlopen(f"{BALE_URL}/__mock/journal?{query}", timeout=30) as res:
        return json.load(res)["entries"]


def downloads(bot_id):
    """What each of the bot's downloads asked for, and its status."""
    return [(e["params"]["file"], e["status"]) for e in journal(bot_id, "<download>")]


class BalethonFiles(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        # httpx builds its SSL context in `connect()` (about 0.2 s); the debug loop would warn.
        asyncio.get_running_loop().slow_callback_duration = 1.0

    async def test_send_document_bytes_and_file_then_download_by_file_id(self):
        bot_id, token = fresh_bot()
        user = MockUser(BALE_URL, bot_id, fresh_user_id())
        user.say("hi")  # the user writes first: the bot may now write to them
        async with Client(token, base_url=BALE_URL) as bot:
            # 1. Raw bytes: multipart, httpx's default file name.
            sent = await bot.send_document(user.chat_id, CONTENT, caption="raw bytes")
            self.assertEqual(sent.chat.id, user.chat_id)
            self.assertEqual(sent.caption, "raw bytes")
            self.assertEqual(sent.document.name, "upload")
            self.assertEqual(sent.document.size, len(CONTENT))
            self.assertTrue(sent.document.id.startswith("BQAC"), sent.document.id)
            self.assertEqual(await bot.download(sent.document.id), CONTENT)

            # 2. An open file: the part is named after the file. (Given a path, Balethon opens
            # the file itself and never closes it; an open file the test closes is the same on
            # the wire.)
            with tempfile.TemporaryDirectory() as tmp:
                path = os.path.join(tmp, "notes.txt")
                with open(path, "wb") as f:
                    f.write(b"line one\nline two\n")
                with open(path, "rb") as f:
                    from_path = await bot.send_document(user.chat_id, f)
            self.assertEqual(from_path.document.name, "notes.txt")
            self.assertEqual(from_path.document.mime_type, "text/plain")
            self.assertNotEqual(from_path.document.id, sent.document.id)
            self.assertEqual(await bot.download(from_path.document.id), b"line one\nline two\n")

            # 3. The file_id (JSON): the same file, which still downloads.
            resent = await bot.send_document(user.chat_id, sent.document.id)
            self.assertEqual(resent.document.id, sent.document.id)
            self.assertGreater(resent.id, sent.id)
            self.assertEqual(await bot.download(resent.document.id), CONTENT)

            # getFile answers the Telegram-style path, which Balethon never uses.
            file = await bot.get_file(sent.document.id)
            self.assertEqual(file.size, len(CONTENT))
            self.assertRegex(file.path, r"^documents/file_\d+$")

            # A file id the bot has no file for: the download is a 404, which Balethon raises.
            with self.assertRaises(RPCError) as caught:
                await bot.download("BQACAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            self.assertEqual(caught.exception.code, 404)
            self.assertEqual(caught.exception.description, "Not Found")

        # Every download was by file_id.
        self.assertEqual(
            downloads(bot_id),
            [
                (sent.document.id, 200),
                (from_path.document.id, 200),
                (sent.document.id, 200),
                ("BQACAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 404),
            ],
        )

    async def test_downloads_a_document_the_user_sent(self):
        bot_id, token = fresh_bot()
        user = MockUser(BALE_URL, bot_id, fresh_user_id())
        played = user.ok(
            "POST",
            "/messages",
            {
                "from": user.user_id,
                "document": {
                    "file_name": "report.pdf",
                    "content_base64": base64.b64encode(CONTENT).decode(),
                },
                "caption": "my report",
            },
        )
        async with Client(token, base_url=BALE_URL) as bot:
            updates = await bot.get_updates()
            self.assertEqual([u.id for u in updates], [played["update_id"]])
            document = updates[0].message.document
            self.assertEqual(document.name, "report.pdf")
            self.assertEqual(document.mime_type, "application/pdf")
            self.assertEqual(document.size, len(CONTENT))
            self.assertEqual(document.id, played["message"]["document"]["file_id"])
            self.assertEqual(updates[0].message.caption, "my report")
            self.assertEqual(await bot.download(document.id), CONTENT)
        self.assertEqual(downloads(bot_id), [(document.id, 200)])

    async def test_ask_review_through_execute(self):
        self.assertFalse(hasattr(Client, "ask_review"), "Balethon 1.1.0 has no ask_review")
        bot_id, token = fresh_bot()
        user = MockUser(BALE_URL, bot_id, fresh_user_id())
        user.say("hi")
        async with Client(token, base_url=BALE_URL) as bot:
            self.assertIs(
                await bot.execute("post", "askReview", user_id=user.user_id, delay_seconds=5),
                True,
            )
            # A user the server has never seen.
            with self.assertRaises(RPCError) as caught:
                await bot.execute("post", "askReview", user_id=fresh_user_id(), delay_seconds=5)
            self.assertEqual(caught.exception.code, 400)
            self.assertEqual(caught.exception.description, "Bad Request: chat not found")

        # A user the server knows, who never wrote to this bot: 403.
        other_id, other_token = fresh_bot()
        async with Client(other_token, base_url=BALE_URL) as other:
            with self.assertRaises(RPCError) as caught:
                await other.execute("post", "askReview", user_id=user.user_id, delay_seconds=0)
            self.assertEqual(caught.exception.code, 403)
            self.assertEqual(
                caught.exception.description,
                "Forbidden: bot can't initiate conversation with a user",
            )
        [entry, *_] = journal(bot_id, "askReview")
        self.assertEqual(entry["http_method"], "POST")
        self.assertEqual(
            entry["params"], {"user_id": str(user.user_id), "delay_seconds": "5"}
        )


class PythonBaleBotFiles(unittest.IsolatedAsyncioTestCase):
    async def test_send_document_then_get_by_file_id(self):
        bot_id, token = fresh_bot()
        user = MockUser(BALE_URL, bot_id, fresh_user_id())
        user.say("hi")
        async with Bot(token) as bot:
            sent = await bot.send_document(
                user.chat_id, InputFile(CONTENT, file_name="report.bin"), caption="a report"
            )
            self.assertEqual(sent.caption, "a report")
            self.assertEqual(sent.document.file_name, "report.bin")
            self.assertEqual(sent.document.file_size, len(CONTENT))
            # The part was labelled multipart/form-data; that is no file's MIME type.
            self.assertIsNone(sent.document.mime_type)
            self.assertEqual(await sent.document.get(), CONTENT)

            # Resent by file_id: the same file.
            resent = await bot.send_document(user.chat_id, InputFile(sent.document.file_id))
            self.assertEqual(resent.document.file_id, sent.document.file_id)
            self.assertEqual(await resent.document.get(), CONTENT)

            # No file_name: aiohttp names the part after the field.
            unnamed = await bot.send_document(user.chat_id, InputFile(b"abc"))
            self.assertEqual(unnamed.document.file_name, "document")
            self.assertEqual(await unnamed.document.get(), b"abc")

            # A photo the same way (POST .../SendPhoto); its largest size downloads.
            photo = await bot.send_photo(user.chat_id, InputFile(CONTENT, file_name="p.jpg"))
            self.assertTrue(photo.photos, "the message has photo sizes")
            self.assertTrue(photo.photos[-1].file_id.startswith("AgAC"))
            self.assertEqual(await photo.photos[-1].get(), CONTENT)

            # A file id the bot has no file for: the mock answers 404 (tdlib's answer); the
            # library maps only 400 and 440 to NotFound ("File is not Found"), so a 404 is
            # APIError with the JSON body's code and description.
            with self.assertRaises(APIError) as caught:
                await bot.get_file("BQACAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
            self.assertNotIsInstance(caught.exception, NotFound)
            self.assertEqual(caught.exception.message, "404: Not Found")

        self.assertEqual(
            downloads(bot_id),
            [
                (sent.document.file_id, 200),
                (sent.document.file_id, 200),
                (unnamed.document.file_id, 200),
                (photo.photos[-1].file_id, 200),
                ("BQACAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 404),
            ],
        )

    async def test_downloads_a_document_the_user_sent(self):
        bot_id, token = fresh_bot()
        user = MockUser(BALE_URL, bot_id, fresh_user_id())
        played = user.ok(
            "POST",
            "/messages",
            {
                "from": user.user_id,
                "document": {
                    "file_name": "data.csv",
                    "content_base64": base64.b64encode(CONTENT).decode(),
                },
            },
        )
        async with Bot(token) as bot:
            # Bot.get_updates with no offset keeps every update.
            updates = await bot.get_updates()
            self.assertEqual([u.update_id for u in updates], [played["update_id"]])
            document = updates[0].message.document
            self.assertEqual(document.file_name, "data.csv")
            self.assertEqual(document.mime_type, "text/csv")
            self.assertEqual(document.file_id, played["message"]["document"]["file_id"])
            self.assertEqual(await document.get(), CONTENT)

    async def test_ask_review_through_the_raw_transport(self):
        self.assertFalse(hasattr(Bot, "ask_review"), "python-bale-bot 2.5.0 has no askReview")
        bot_id, token = fresh_bot()
        user = MockUser(BALE_URL, bot_id, fresh_user_id())
        user.say("hi")
        async with Bot(token) as bot:
            answer = await bot._http.request(
                Route("POST", "askReview", token),
                json={"user_id": user.user_id, "delay_seconds": 10},
            )
            self.assertEqual(answer._raw, {"ok": True, "result": True})
            with self.assertRaises(BadRequest) as caught:
                await bot._http.request(
                    Route("POST", "askReview", token),
                    json={"user_id": fresh_user_id(), "delay_seconds": 10},
                )
            self.assertEqual(caught.exception.message, "Bad Request: chat not found")
        _, other_token = fresh_bot()
        async with Bot(other_token) as other:
            with self.assertRaises(Forbidden):
                await other._http.request(
                    Route("POST", "askReview", other_token),
                    json={"user_id": user.user_id},
                )


if __name__ == "__main__":
    unittest.main()
