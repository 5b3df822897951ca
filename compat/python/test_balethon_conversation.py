"""Conversations: a Balethon 1.1.0 bot, polling, talks with a user that the test plays through
bale-mock's control API (see mock_user.py for the conversation and its checks).

Run through compat/run, which starts a fresh server for the conversation suites and exports
its URL as BALE_MOCK_URL. Balethon has a base-URL option: `Client(token, base_url=...)`
(balethon/network/connection.py builds `<base_url>/bot<token>/<method>`), so nothing is
patched.

What the library does (balethon/client/client.py, balethon/network/connection.py):
- `start_polling()` first calls `deleteWebhook` (GET), then polls `getUpdates` (POST, JSON
  body) in a loop with no timeout (short polls) and no pause between polls;
- it sends `offset` = the last update_id it has seen + 1 (the Bot API's rule), and also skips
  any update whose id is not above the last one;
- updates go to a queue served by many async workers, so the bot below takes a lock to handle
  one message at a time, in the order they came;
- every request is JSON (httpx), `reply_markup` as a JSON object; deleteMessage is a GET with
  a JSON body.
"""

import asyncio
import json
import os
import unittest
import urllib.request

import balethon
from balethon import Client
from balethon.objects import InlineKeyboard

from mock_user import (
    QUESTION,
    MockUser,
    fresh_bot,
    fresh_user_id,
    hold_conversation,
    no_repeats_after_burst,
)

BALE_URL = os.environ.get("BALE_MOCK_URL")
if not BALE_URL:
    raise RuntimeError("BALE_MOCK_URL is not set; run the suite through compat/run")


def conversation_bot(token):
    """The bot under test; returns (client, errors). Build it inside the event loop it runs in
    (Balethon's dispatcher takes the current loop when it is constructed)."""
    bot = Client(token, base_url=BALE_URL.rstrip("/"))
    errors = []
    last_sent = {}  # chat id -> id of the bot's last message there
    one_at_a_time = asyncio.Lock()

    @bot.on_message()
    async def on_message(message):
        async with one_at_a_time:
            if message.text == "/start":
                keyboard = InlineKeyboard([("Yes", "yes"), ("No", "no")])
                sent = await message.reply(QUESTION, keyboard)
                last_sent[message.chat.id] = sent.id
            elif message.text == "delete me":
                await bot.delete_message(message.chat.id, last_sent[message.chat.id])
            else:
                sent = await bot.send_message(message.chat.id, message.text)
                last_sent[message.chat.id] = sent.id

    @bot.on_callback_query()
    async def on_callback_query(callback_query):
        await callback_query.answer("Noted")
        await callback_query.message.edit_text(f"You chose {callback_query.data}")

    @bot.on_error()
    async def on_error(error):
        errors.append(error)

    return bot, errors


class Polling:
    """Runs `start_polling()` as a task of the test's event loop; cancels it at the end."""

    def __init__(self, bot):
        self.bot = bot
        self.task = None

    async def __aenter__(self):
        await self.bot.connect()  # starts the HTTP client and calls getMe
        self.task = asyncio.create_task(self.bot.start_polling())
        return self

    async def __aexit__(self, *exc):
        self.task.cancel()
        try:
            await self.task
        except asyncio.CancelledError:
            pass
        if self.bot.dispatcher.is_started:
            await self.bot.shutdown()
        await self.bot.disconnect()


def journal_offsets(bot_id):
    """The `offset` of every getUpdates the bot sent, as the mock's journal recorded them."""
    url = f"{BALE_URL}/__mock/journal?bot={bot_id}&method=getUpdates"
    with urllib.request.urlopen(url, timeout=30) as res:
        entries = json.load(res)["entries"]
    return [e["params"].get("offset") for e in entries]


class BalethonConversation(unittest.IsolatedAsyncioTestCase):
    async def asyncSetUp(self):
        # The test loop runs in debug mode, which reports callbacks slower than 0.1 s; httpx
        # building its SSL context in `connect()` takes about 0.2 s.
        asyncio.get_running_loop().slow_callback_duration = 1.0

    def test_pinned_version(self):
        self.assertEqual(balethon.__version__, "1.1.0")

    async def test_polling_bot_holds_a_conversation(self):
        bot_id, token = fresh_bot()
        bot, errors = conversation_bot(token)
        async with Polling(bot):
            self.assertEqual(bot.user.id, bot_id)
            await hold_conversation(self, MockUser(BALE_URL, bot_id, fresh_user_id()), errors)

    async def test_offset_is_last_update_id_plus_one_and_nothing_is_lost_or_repeated(self):
        bot_id, token = fresh_bot()
        bot, errors = conversation_bot(token)
        user = MockUser(BALE_URL, bot_id, fresh_user_id())
        async with Polling(bot):
            update_ids = await no_repeats_after_burst(self, user, errors, count=5)
        self.assertEqual(errors, [])
        # The library confirms each batch with offset = last update_id + 1.
        offsets = await asyncio.to_thread(journal_offsets, bot_id)
        self.assertIn(str(update_ids[-1] + 1), offsets)


if __name__ == "__main__":
    unittest.main()
