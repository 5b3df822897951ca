"""Compatibility tests: python-bale-bot 2.5.0 against a running bale-mock.

Run through compat/run, which starts the server and exports BALE_MOCK_URL (bale dialect).

Base URL override: python-bale-bot 2.5.0 has no option for it. `bale.request.http.Route`
reads the module global `BALE_API_BASE_URL` (imported from `bale.version`, value
'https://tapi.bale.ai/') on every request and builds `<base>bot<token>/<endpoint>`, so these
tests monkeypatch `bale.request.http.BALE_API_BASE_URL` to `BALE_MOCK_URL + "/"`. That is the
only patch; everything else is the library's own code path.

What the library puts on the wire (captured on a socket):
- `Bot.get_me()` -> `GET /bot<T>/getMe`, no body, no Content-Type;
- `_http.request(Route("GET", m), json=...)` -> GET with `Content-Type: application/json` body
  (the library does this for getChat, leaveChat, deleteMessage, getChatMember, inviteUser...);
- `_http.request(Route("POST", m))` with no payload -> POST, `Content-Length: 0`,
  `Content-Type: application/octet-stream` (aiohttp's default);
- `Bot.send_photo(...)` -> `POST /bot<T>/SendPhoto` (capital S), multipart whose file part has
  `Content-Type: multipart/form-data` and every part carries its own `Content-Length`.

python-bale-bot has no logOut/close API methods (`Bot.close()` only closes its aiohttp session),
so those are sent through its raw transport, `HTTPClient.request(Route(...))`.

Error mapping in the library (bale/request/http.py, bale/request/parser.py, bale/error.py): a
non-200 answer goes through `ResponseParser.get_error()`, which raises NotFound ("no such group
or user"), InvalidToken ("token not found", any case), Forbidden ("Forbidden:" prefix) or
BadRequest ("Bad Request:" prefix) by description; anything else becomes
`APIError("<error_code>: <description>")`. InvalidToken is checked before BadRequest, so
"Bad Request: Token not found" is InvalidToken.
"""

import os
import random
import unittest

import bale
import bale.request.http as bale_http
from bale import Bot, InputFile, User
from bale.error import APIError, BadRequest, InvalidToken
from bale.request import Route

BALE_URL = os.environ.get("BALE_MOCK_URL")
if not BALE_URL:
    raise RuntimeError("BALE_MOCK_URL is not set; run the suite through compat/run")

# The one monkeypatch: point the library at the mock.
bale_http.BALE_API_BASE_URL = BALE_URL.rstrip("/") + "/"

SECRET = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
BAD_TOKEN = "123456:AAFAKE-token"

# A fresh bot id per test, randomised per run (see the node suite for why).
_next_id = 2_000_000_000 + random.randrange(10**12)


def fresh_token():
    global _next_id
    _next_id += 1
    return _next_id, f"{_next_id}:{SECRET}"


def expected_user(bot_id):
    return {
        "id": bot_id,
        "is_bot": True,
        "first_name": f"Mock Bot {bot_id}",
        "username": f"mock_{bot_id}_bot",
        "can_join_groups": True,
        "can_read_all_group_messages": False,
        "supports_inline_queries": False,
    }


class PythonBaleBotCompat(unittest.IsolatedAsyncioTestCase):
    def test_pinned_version(self):
        self.assertEqual(bale.__version__, "2.5.0")

    async def test_get_me(self):
        bot_id, token = fresh_token()
        async with Bot(token) as bot:
            user = await bot.get_me()
        self.assertIsInstance(user, User)
        self.assertEqual(user.id, bot_id)
        self.assertIs(user.is_bot, True)
        self.assertEqual(user.first_name, f"Mock Bot {bot_id}")
        self.assertEqual(user.username, f"mock_{bot_id}_bot")
        self.assertIsNone(user.last_name)

    async def test_raw_get_me_with_json_body_on_get_and_capitalised_name(self):
        # The library's habits: GET with a JSON body, capitalised method names.
        bot_id, token = fresh_token()
        async with Bot(token) as bot:
            response = await bot._http.request(Route("GET", "GetMe", token), json={})
        self.assertIs(response.ok, True)
        self.assertEqual(response.result, expected_user(bot_id))
        self.assertEqual(response._raw, {"ok": True, "result": expected_user(bot_id)})

    async def test_bad_token_raises_invalid_token(self):
        async with Bot(BAD_TOKEN) as bot:
            with self.assertRaises(InvalidToken) as caught:
                await bot.get_me()
        self.assertEqual(caught.exception.message, "Bad Request: Token not found")

    async def test_log_out_via_raw_request(self):
        _, token = fresh_token()
        async with Bot(token) as bot:
            response = await bot._http.request(Route("POST", "logOut", token))
            self.assertEqual(response._raw, {"ok": True, "result": True})
            # Every later request is 400 "Logged out", which the library does not classify.
            with self.assertRaises(APIError) as caught:
                await bot.get_me()
            self.assertEqual(caught.exception.message, "400: Logged out")

    async def test_close_via_raw_request(self):
        _, token = fresh_token()
        async with Bot(token) as bot:
            response = await bot._http.request(Route("POST", "close", token), json={})
            self.assertEqual(response._raw, {"ok": True, "result": True})
            # "Bad Request:" prefix -> the library's BadRequest.
            with self.assertRaises(BadRequest) as caught:
                await bot._http.request(Route("POST", "close", token), json={})
            self.assertEqual(
                caught.exception.message, "Bad Request: the bot has already been closed"
            )

    async def test_unknown_method_is_api_error_404(self):
        _, token = fresh_token()
        async with Bot(token) as bot:
            with self.assertRaises(APIError) as caught:
                await bot._http.request(Route("POST", "SendTelepathy", token), json={})
        self.assertEqual(caught.exception.message, "404: Not Found: method not found")

    async def test_send_photo_multipart_reaches_the_method(self):
        # The library's multipart body (POST .../SendPhoto) is read, its photo part found
        # (else "there is no photo in the request"), and the next check answers: user 42
        # never wrote to this bot, so the chat is unknown.
        _, token = fresh_token()
        photo = InputFile(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", file_name="photo.jpg")
        async with Bot(token) as bot:
            with self.assertRaises(BadRequest) as caught:
                await bot.send_photo(42, photo, caption="hi")
        self.assertEqual(caught.exception.message, "Bad Request: chat not found")


if __name__ == "__main__":
    unittest.main()
