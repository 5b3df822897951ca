"""Plays the user against a bot through bale-mock's control API, and the conversation that
the python conversation suites (test_conversation, test_balethon_conversation) hold.

Control API (JSON in and out):
  POST /__mock/bots/<bot>/messages                  a user sends a message
  POST /__mock/bots/<bot>/callback_queries          a user presses an inline button
  GET  /__mock/bots/<bot>/callback_queries/<id>     was it answered, and how
  GET  /__mock/bots/<bot>/chats/<chat>/messages     the transcript (?after=&from=&wait=)

The HTTP calls are plain blocking urllib; the async helpers run them in a thread
(asyncio.to_thread) so that a bot polling in the same event loop keeps running meanwhile.

The bot every suite writes with its library:
  /start          -> QUESTION with KEYBOARD (Yes -> "yes", No -> "no")
  a button        -> answerCallbackQuery "Noted", then edit that message to "You chose <data>"
  "delete me"     -> delete the bot's previous message in that chat
  any other text  -> echoed back
"""

import asyncio
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request

SECRET = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
QUESTION = "Do you like bale-mock?"
KEYBOARD = {
    "inline_keyboard": [
        [{"text": "Yes", "callback_data": "yes"}, {"text": "No", "callback_data": "no"}]
    ]
}
QUICK = ["one", "two", "three", "four", "five"]

# Random ids per run, so that a re-run against a long-lived server starts new conversations.
_next_bot = 6_000_000_000 + random.randrange(10**12)
_next_user = 20_000_000 + random.randrange(10**9)


def fresh_bot():
    """(bot_id, token) of a bot no other test uses."""
    global _next_bot
    _next_bot += 1
    return _next_bot, f"{_next_bot}:{SECRET}"


def fresh_user_id():
    global _next_user
    _next_user += 1
    return _next_user


class ControlError(AssertionError):
    pass


class MockUser:
    """One user talking to one bot in their private chat (whose id is the user's id)."""

    def __init__(self, base_url, bot_id, user_id):
        self.base = base_url.rstrip("/")
        self.bot_id = bot_id
        self.user_id = user_id
        self.chat_id = user_id

    def request(self, method, path, body=None):
        """(status, parsed JSON) of one control request, whatever the status."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(
            f"{self.base}/__mock/bots/{self.bot_id}{path}", data=data, method=method
        )
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req, timeout=70) as res:
                status, raw = res.status, res.read()
        except urllib.error.HTTPError as err:
            status, raw = err.code, err.read()
        try:
            return status, json.loads(raw)
        except ValueError:
            raise ControlError(f"{method} {path}: not JSON (HTTP {status}): {raw[:300]!r}")

    def ok(self, method, path, body=None):
        status, answer = self.request(method, path, body)
        if answer.get("ok") is not True:
            raise ControlError(f"{method} {path} -> HTTP {status} {answer}")
        return answer

    # -- blocking calls ------------------------------------------------------------------------
    def say(self, text):
        """The user sends `text`; returns {"message": Message, "update_id": N}."""
        return self.ok("POST", "/messages", {"from": self.user_id, "text": text})

    def press(self, message_id, data):
        """The user presses a button; returns (status, answer) whatever the status."""
        return self.request(
            "POST",
            "/callback_queries",
            {"from": self.user_id, "message_id": message_id, "data": data},
        )

    def callback_query(self, query_id):
        return self.ok("GET", f"/callback_queries/{urllib.parse.quote(str(query_id))}")

    def transcript(self, after=None, sender="any", wait=None):
        query = {"from": sender}
        if after is not None:
            query["after"] = after
        if wait is not None:
            query["wait"] = wait
        path = f"/chats/{self.chat_id}/messages?{urllib.parse.urlencode(query)}"
        return self.ok("GET", path)["messages"]

    # -- the same, without blocking the event loop ---------------------------------------------
    async def asay(self, text):
        return await asyncio.to_thread(self.say, text)

    async def apress(self, message_id, data):
        return await asyncio.to_thread(self.press, message_id, data)

    async def acallback_query(self, query_id):
        return await asyncio.to_thread(self.callback_query, query_id)

    async def atranscript(self, **kwargs):
        return await asyncio.to_thread(self.transcript, **kwargs)

    async def bot_replies(self, after, seconds=10):
        """The bot's messages after message `after`, waiting up to `seconds` for one."""
        return await self.atranscript(after=after, sender="bot", wait=seconds)


async def eventually(what, probe, seconds=10):
    """Awaits `probe()` until it returns something truthy; fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {seconds} s waiting for: {what}")
        await asyncio.sleep(0.05)


def texts(entries):
    return [m["message"].get("text") for m in entries]


async def hold_conversation(tc, user, errors):
    """Plays the whole conversation as `user` and checks the transcript at every step.
    `tc` is the unittest.TestCase; `errors` the list the bot records its errors in."""
    # 1. /start -> the question with its keyboard.
    start = await user.asay("/start")
    tc.assertEqual(start["message"]["text"], "/start")
    tc.assertEqual(start["message"]["from"]["id"], user.user_id)
    tc.assertEqual(start["message"]["chat"]["id"], user.chat_id)
    tc.assertEqual(start["message"]["chat"]["type"], "private")
    tc.assertEqual(
        start["message"].get("entities"), [{"type": "bot_command", "offset": 0, "length": 6}]
    )

    replies = await user.bot_replies(start["message"]["message_id"])
    tc.assertEqual(len(replies), 1, f"one reply to /start: {replies}; bot errors: {errors}")
    question = replies[0]
    tc.assertEqual(question["sender"], "bot")
    tc.assertIs(question["deleted"], False)
    tc.assertEqual(question["message"]["text"], QUESTION)
    tc.assertEqual(question["message"].get("reply_markup"), KEYBOARD)
    tc.assertEqual(question["message"]["from"]["id"], user.bot_id)
    tc.assertIs(question["message"]["from"]["is_bot"], True)
    question_id = question["message"]["message_id"]

    # 2. The user presses "Yes": the bot answers the query and edits the question.
    status, pressed = await user.apress(question_id, "yes")
    tc.assertEqual((status, pressed.get("ok")), (200, True), f"press Yes: {pressed}")

    async def answered():
        q = await user.acallback_query(pressed["callback_query_id"])
        return q if q["answered"] else None

    query = await eventually(f"the bot answers the callback query (errors: {errors})", answered)
    tc.assertEqual(query["answer"]["text"], "Noted")
    tc.assertIs(query["answer"]["show_alert"], False)
    tc.assertEqual(query["callback_query"]["id"], pressed["callback_query_id"])
    tc.assertEqual(query["callback_query"]["data"], "yes")
    tc.assertEqual(query["callback_query"]["from"]["id"], user.user_id)
    tc.assertEqual(query["callback_query"]["message"]["message_id"], question_id)

    async def edited():
        for m in await user.atranscript(sender="bot"):
            if m["message"]["message_id"] == question_id and m["message"]["text"] == "You chose yes":
                return m
        return None

    edit = await eventually(f"the question is edited (errors: {errors})", edited)
    tc.assertIsInstance(edit["message"].get("edit_date"), int, "an edited message has edit_date")
    # editMessageText without reply_markup removes the inline keyboard (Telegram's behaviour),
    # so the button is gone: pressing it again is refused.
    tc.assertNotIn("reply_markup", edit["message"], "the edit removed the keyboard")
    status, again = await user.apress(question_id, "no")
    tc.assertEqual((status, again.get("ok")), (400, False), f"pressing a removed button: {again}")

    # 3. Any other text is echoed.
    hello = await user.asay("hello")
    replies = await user.bot_replies(hello["message"]["message_id"])
    tc.assertEqual(texts(replies), ["hello"], f"bot errors: {errors}")
    echo_id = replies[0]["message"]["message_id"]

    # 4. "delete me": the bot deletes its previous message (the echo); the transcript keeps it.
    delete_me = await user.asay("delete me")

    async def echo_deleted():
        for m in await user.atranscript(sender="bot"):
            if m["message"]["message_id"] == echo_id and m["deleted"]:
                return m
        return None

    gone = await eventually(f"the echo is deleted (errors: {errors})", echo_deleted)
    tc.assertEqual(gone["message"]["text"], "hello")

    # 5. Five texts in quick succession: exactly five echoes, in order; none lost or repeated.
    for word in QUICK:
        await user.asay(word)
    echoes, after = [], delete_me["message"]["message_id"]
    while len(echoes) < len(QUICK):
        got = await user.bot_replies(after, 10)
        if not got:
            break
        echoes += got
        after = got[-1]["message"]["message_id"]
    tc.assertEqual(texts(echoes), QUICK, f"bot errors: {errors}")
    tc.assertEqual(await user.bot_replies(after, 1), [], "no update is handled twice")

    # 6. The whole chat, each side in order.
    chat = await user.atranscript()
    tc.assertEqual(
        [(m["message"]["text"], m["deleted"]) for m in chat if m["sender"] == "user"],
        [(t, False) for t in ["/start", "hello", "delete me", *QUICK]],
    )
    tc.assertEqual(
        [(m["message"]["text"], m["deleted"]) for m in chat if m["sender"] == "bot"],
        [("You chose yes", False), ("hello", True), *[(t, False) for t in QUICK]],
    )
    ids = [m["message"]["message_id"] for m in chat]
    tc.assertEqual(ids, sorted(ids), "the transcript is in message_id order")

    tc.assertEqual([repr(e) for e in errors], [], "the bot saw no error")


async def no_repeats_after_burst(tc, user, errors, count=5):
    """Sends `count` texts back to back (no wait between them) and checks that exactly
    `count` echoes come back, in order. Returns the burst's update_ids."""
    words = [f"burst {i}" for i in range(1, count + 1)]
    sent = [await user.asay(w) for w in words]
    echoes, after = [], sent[0]["message"]["message_id"] - 1
    while len(echoes) < count:
        got = await user.bot_replies(after, 10)
        if not got:
            break
        echoes += got
        after = got[-1]["message"]["message_id"]
    tc.assertEqual(texts(echoes), words, f"bot errors: {errors}")
    # A repeated update would be echoed again; give the bot time to repeat one.
    tc.assertEqual(await user.bot_replies(after, 2), [], "an update was handled twice")
    return [s["update_id"] for s in sent]
