"""What python-bale-bot 2.5.0 does on each network fault and rate limit that bale-mock's
shipped scenarios script.

Run through compat/run, which starts one server per scenario and exports
  BALE_MOCK_FAULTS_URL       bale-mock serve --scenario network-faults
  BALE_MOCK_PROXY_LIMIT_URL  bale-mock serve --scenario bale-proxy-rate-limit
  BALE_MOCK_RATE_LIMIT_URL   bale-mock serve --scenario rate-limit

The library's transport (bale/request/http.py, `HTTPClient.request`):
- an aiohttp ClientSession with aiohttp's default timeout, `ClientTimeout(total=300)`; `Bot`
  has no option to change it (its `http_kwargs` only reach the TCPConnector);
- the body is parsed with `json_or_text`: a body that is not JSON becomes
  `ResponseParser(ok=False, description=<the text>)`, whatever the status;
- a 200 is returned as it is (so a 200 whose body is not JSON is a "success" with result None,
  and `Bot.get_me()` returns None);
- 429, or a description of "bot limit exceed" / "local_rate_limited", is retried: up to 4
  tries, sleeping `tries * 2` seconds (2, 4, 6) in between, whatever retry_after says, then
  `RateLimited("We are Rate Limited")`;
- other errors: `get_error()` by description, else `APIError("<error_code>: <description>")`;
- aiohttp exceptions: ClientConnectorError -> NetworkError, ServerTimeoutError -> TimeOut,
  ClientOSError -> BaleError (the base class), anything else -> HTTPException(str(error)).

To keep the retry tests fast and deterministic, `bale.request.http`'s view of `asyncio` is
replaced for those tests by one whose `sleep(s)` records `s` and moves the mock's server clock
forward by `s` seconds (POST /__mock/clock/advance) instead of waiting: from the mock's side the
time passes exactly as if the library had slept. Every other call goes to the real asyncio.
"""

import asyncio
import json
import os
import random
import re
import time
import unittest
import urllib.request
from unittest import mock

import aiohttp
import bale.request.http as bale_http
from bale import Bot
from bale.error import APIError, BaleError, HTTPException, RateLimited
from bale.request import Route

FAULTS_URL = os.environ.get("BALE_MOCK_FAULTS_URL")
PROXY_LIMIT_URL = os.environ.get("BALE_MOCK_PROXY_LIMIT_URL")
RATE_LIMIT_URL = os.environ.get("BALE_MOCK_RATE_LIMIT_URL")
for _name, _value in (
    ("BALE_MOCK_FAULTS_URL", FAULTS_URL),
    ("BALE_MOCK_PROXY_LIMIT_URL", PROXY_LIMIT_URL),
    ("BALE_MOCK_RATE_LIMIT_URL", RATE_LIMIT_URL),
):
    if not _value:
        raise RuntimeError(f"{_name} is not set; run the suite through compat/run")

# scenarios/network-faults.toml: one bot id per fault, any secret.
HANG, RESET, EMPTY_REPLY, TRUNCATED_BODY, MALFORMED_JSON = range(900000001, 900000006)
PAGE_502, PAGE_503, PAGE_504, PROXY_RATE_LIMITED, DRIP, DELAY = range(900000006, 900000012)
SECRET = "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"

# No single library call may take longer than this (the library's own bound is 300 s).
CALL_LIMIT = 10.0

_next_id = 4_000_000_000 + random.randrange(10**12)


def fresh_bot_id():
    global _next_id
    _next_id += 1
    return _next_id


def token_for(bot_id):
    return f"{bot_id}:{SECRET}"


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


def nginx_page(title):
    return (
        f"<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n"
        f"<center><h1>{title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
    )


def control(base_url, method, path, body=None):
    """A call to the mock's control API (blocking; loopback, bounded by a 5 s timeout)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(
        base_url + path, data=data, method=method, headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.load(response)


def journal(base_url, bot_id):
    return control(base_url, "GET", f"/__mock/journal?bot={bot_id}")["entries"]


class _ClockSleep:
    """Stands in for the `asyncio` module inside bale.request.http: `sleep(s)` records s and
    advances the mock's clock by s seconds; everything else is the real asyncio."""

    def __init__(self, base_url):
        self.base_url = base_url
        self.sleeps = []

    async def sleep(self, seconds, result=None):
        self.sleeps.append(seconds)
        control(self.base_url, "POST", "/__mock/clock/advance", {"seconds": seconds})
        await asyncio.sleep(0)
        return result

    def __getattr__(self, name):
        return getattr(asyncio, name)


class _Base(unittest.IsolatedAsyncioTestCase):
    BASE_URL = None

    def setUp(self):
        # The library reads this module global on every request (see test_python_bale_bot).
        patcher = mock.patch.object(bale_http, "BALE_API_BASE_URL", self.BASE_URL.rstrip("/") + "/")
        patcher.start()
        self.addCleanup(patcher.stop)

    def clock_sleep(self):
        """Replaces the library's asyncio.sleep for this test (see the module docstring)."""
        fake = _ClockSleep(self.BASE_URL)
        patcher = mock.patch.object(bale_http, "asyncio", fake)
        patcher.start()
        self.addCleanup(patcher.stop)
        return fake

    async def call(self, awaitable, limit=CALL_LIMIT):
        return await asyncio.wait_for(awaitable, limit)


class NetworkFaults(_Base):
    BASE_URL = FAULTS_URL

    async def test_hang_has_no_timeout_below_aiohttps_300_s(self):
        async with Bot(token_for(HANG)) as bot:
            session = bot._http._HTTPClient__session
            self.assertEqual(session.timeout.total, 300)
            started = time.monotonic()
            with self.assertRaises(asyncio.TimeoutError):
                await self.call(bot.get_me(), limit=1.0)
            self.assertLess(time.monotonic() - started, 5)

    async def test_reset_is_bale_error_from_client_os_error(self):
        async with Bot(token_for(RESET)) as bot:
            with self.assertRaises(BaleError) as caught:
                await self.call(bot.get_me())
        error = caught.exception
        self.assertIs(type(error), BaleError)  # the base class, nothing more specific
        self.assertIsInstance(error.__context__, aiohttp.ClientOSError)
        self.assertIn("Connection reset by peer", error.message)

    async def test_empty_reply_is_http_exception_server_disconnected(self):
        async with Bot(token_for(EMPTY_REPLY)) as bot:
            with self.assertRaises(HTTPException) as caught:
                await self.call(bot.get_me())
        self.assertEqual(caught.exception.message, "Server disconnected")
        self.assertIsInstance(caught.exception.__context__, aiohttp.ServerDisconnectedError)

    async def test_truncated_body_is_http_exception_payload_not_completed(self):
        async with Bot(token_for(TRUNCATED_BODY)) as bot:
            with self.assertRaises(HTTPException) as caught:
                await self.call(bot.get_me())
        self.assertEqual(caught.exception.message, "Response payload is not completed")
        self.assertIsInstance(caught.exception.__context__, aiohttp.ClientPayloadError)

    async def test_malformed_json_on_200_is_a_silent_none(self):
        # The 200 is taken as success; the non-JSON body becomes ok=False, result=None, and
        # get_me() builds its User from None, which is None: no exception at all.
        async with Bot(token_for(MALFORMED_JSON)) as bot:
            self.assertIsNone(await self.call(bot.get_me()))
            self.assertIsNone(bot.user)

            response = await self.call(
                bot._http.request(Route("GET", "getMe", token_for(MALFORMED_JSON)))
            )
        full = json.dumps({"ok": True, "result": expected_user(MALFORMED_JSON)}, separators=(",", ":"))
        self.assertIs(response.ok, False)
        self.assertIsNone(response.result)
        self.assertTrue(0 < len(response.description) < len(full), response.description)
        self.assertTrue(full.startswith(response.description), response.description)
        self.assertEqual(response._raw, {"description": response.description})

    async def test_proxy_error_pages_are_api_error_none_html(self):
        for bot_id, title in (
            (PAGE_502, "502 Bad Gateway"),
            (PAGE_503, "503 Service Temporarily Unavailable"),
            (PAGE_504, "504 Gateway Time-out"),
        ):
            with self.subTest(title=title):
                async with Bot(token_for(bot_id)) as bot:
                    with self.assertRaises(APIError) as caught:
                        await self.call(bot.get_me())
                # error_code None (no JSON), description the whole HTML page.
                self.assertEqual(caught.exception.message, "None: " + nginx_page(title))

    async def test_proxy_rate_limit_fault_retries_3_times_then_rate_limited(self):
        fake = self.clock_sleep()
        before = len(journal(FAULTS_URL, PROXY_RATE_LIMITED))
        async with Bot(token_for(PROXY_RATE_LIMITED)) as bot:
            with self.assertRaises(RateLimited) as caught:
                await self.call(bot.get_me())
        self.assertEqual(caught.exception.message, "We are Rate Limited")
        self.assertEqual(fake.sleeps, [2, 4, 6])
        after = journal(FAULTS_URL, PROXY_RATE_LIMITED)
        self.assertEqual(len(after) - before, 4, "1 request + 3 retries")
        self.assertEqual({e["fault"] for e in after[before:]}, {"proxy-rate-limited"})

    async def test_drip_over_2_s_succeeds(self):
        started = time.monotonic()
        async with Bot(token_for(DRIP)) as bot:
            user = await self.call(bot.get_me())
        self.assertEqual(user.id, DRIP)
        self.assertGreaterEqual(time.monotonic() - started, 1.8)

    async def test_delay_1_to_1_5_s_succeeds(self):
        started = time.monotonic()
        async with Bot(token_for(DELAY)) as bot:
            user = await self.call(bot.get_me())
        self.assertEqual(user.id, DELAY)
        self.assertGreaterEqual(time.monotonic() - started, 0.95)


class BaleProxyRateLimit(_Base):
    BASE_URL = PROXY_LIMIT_URL

    async def test_local_rate_limited_is_retried_after_2_s_and_succeeds(self):
        # 3 per second per bot: of 4 requests sent together, one gets the plain-text 429; the
        # library sleeps 2 s (clock advanced), retries, and every call succeeds.
        fake = self.clock_sleep()
        bot_id = fresh_bot_id()
        async with Bot(token_for(bot_id)) as bot:
            users = await self.call(asyncio.gather(*(bot.get_me() for _ in range(4))))
        self.assertEqual([u.id for u in users], [bot_id] * 4)
        self.assertEqual(fake.sleeps, [2])
        entries = journal(PROXY_LIMIT_URL, bot_id)
        self.assertEqual(sorted(e["status"] for e in entries), [200, 200, 200, 200, 429])
        limited = [e for e in entries if e["status"] == 429]
        self.assertEqual(limited[0]["description"], "local_rate_limited")


class JsonRateLimit(_Base):
    BASE_URL = RATE_LIMIT_URL

    async def test_429_with_retry_after_is_retried_after_2_s_and_succeeds(self):
        # 5 requests per 10 s per bot: the 6th is 429 retry_after 2; the library sleeps 2 s
        # (its own schedule, which happens to match), and the retry succeeds.
        fake = self.clock_sleep()
        bot_id = fresh_bot_id()
        async with Bot(token_for(bot_id)) as bot:
            for _ in range(6):
                user = await self.call(bot.get_me())
                self.assertEqual(user.id, bot_id)
        self.assertEqual(fake.sleeps, [2])
        statuses = [e["status"] for e in journal(RATE_LIMIT_URL, bot_id)]
        self.assertEqual(statuses, [200] * 5 + [429, 200])

    async def test_retry_after_is_ignored_close_once_per_60_s_ends_rate_limited(self):
        # close: once per 60 s. The second close is 429 retry_after ~60; the library retries
        # at 2, 4 and 6 s regardless (12 s in all) and raises RateLimited.
        fake = self.clock_sleep()
        bot_id = fresh_bot_id()
        token = token_for(bot_id)
        async with Bot(token) as bot:
            first = await self.call(bot._http.request(Route("POST", "close", token), json={}))
            self.assertEqual(first._raw, {"ok": True, "result": True})
            with self.assertRaises(RateLimited):
                await self.call(bot._http.request(Route("POST", "close", token), json={}))
        self.assertEqual(fake.sleeps, [2, 4, 6])
        entries = journal(RATE_LIMIT_URL, bot_id)
        self.assertEqual([e["status"] for e in entries], [200, 429, 429, 429, 429])
        for entry in entries[1:]:
            match = re.fullmatch(r"Too Many Requests: retry after (\d+)", entry["description"])
            self.assertIsNotNone(match, entry["description"])
            # Each retry came long before the server said a request would be let through.
            self.assertGreater(int(match.group(1)), 40)


if __name__ == "__main__":
    unittest.main()
