"""Conversations: a python-bale-bot 2.5.0 bot, polling, talks with a user that the test plays
through bale-mock's control API (see mock_user.py for the conversation and its checks).

Run through compat/run, which starts a fresh server for the conversation suites and exports
its URL as BALE_MOCK_URL. As in test_python_bale_bot, the one patch is the base URL:
`bale.request.http.BALE_API_BASE_URL`.

What the library does (bale/updater.py, bale/bot.py):
- `Updater` polls `getUpdates` (POST, JSON body) in a loop with no timeout (short polls) and,
  by default, no pause between polls;
- it sends `offset` = the last update_id it has seen, not +1, so the server keeps answering that
  update again; `Bot.get_updates` drops every update whose id is not above the offset;
- each update is dispatched as its own task (`on_message`, `on_callback`), so the bot below
  takes a lock to handle one message at a time, in the order they came;
- it has no answerCallbackQuery method: the bot sends it through the library's own transport,
  `bot._http.request(Route("POST", "answerCallbackQuery", token), json=...)`;
- `send_message`/`edit_message` put `reply_markup` in the JSON body as a JSON *string*.
"""

import asyncio
import json
import os
import unittest
import urllib.request

import bale.request.http as bale_http
from bale import Bot, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from bale.request import Route

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

bale_http.BALE_API_BASE_URL = BALE_URL.rstrip("/") + "/"


def conversation_bot(token):
    """The bot under test; returns (bot, errors)."""
    bot = Bot(token)
    errors = []
    last_sent = {}  # chat id -> message_id of the bot's last message there
    one_at_a_time = asyncio.Lock()

    @bot.event
    async def on_message(message: Message):
        async with one_at_a_time:
            try:
                if message.text == "/start":
                    keyboard = InlineKeyboardMarkup()
                    keyboard.add(InlineKeyboardButton("Yes", callback_data="yes"), row=1)
                    keyboard.add(InlineKeyboardButton("No", callback_data="no"), row=1)
                    sent = await message.reply(QUESTION, components=keyboard)
                    last_sent[message.chat_id] = sent.message_id
                elif message.text == "delete me":
                    await bot.delete_message(message.chat_id, last_sent[message.chat_id])
                else:
                    sent = await bot.send_message(message.chat_id, message.text)
                    last_sent[message.chat_id] = sent.message_id
            except Exception as error:  # recorded, so that the test can show it
                errors.append(error)

    @bot.event
    async def on_callback(callback: CallbackQuery):
        try:
            answer = {"callback_query_id": callback.id, "text": "Noted"}
            await bot._http.request(Route("POST", "answerCallbackQuery", token), json=answer)
            await callback.message.edit(f"You chose {callback.data}")
        except Exception as error:
            errors.append(error)

    return bot, errors


class Polling:
    """Runs the bot's updater as a task of the test's event loop."""

    def __init__(self, bot):
        self.bot = bot
        self.task = None

    async def __aenter__(self):
        await self.bot.__aenter__()
        await self.bot.get_me()
        self.task = asyncio.create_task(self.bot.updater.start())
        return self

    async def __aexit__(self, *exc):
        await self.bot.updater.stop()  # the loop ends after the current (short) getUpdates
        try:
            await asyncio.wait_for(self.task, 10)
        finally:
            await self.bot.__aexit__(*exc)


def journal_offsets(bot_id):
    """The `offset` of every getUpdates the bot sent, as the mock's journal recorded them."""
    url = f"{BALE_URL}/__mock/journal?bot={bot_id}&method=getUpdates"
    with urllib.request.urlopen(url, timeout=30) as res:
        entries = json.load(res)["entries"]
    return [e["params"].get("offset") for e in entries]


class PythonBaleBotConversation(unittest.IsolatedAsyncioTestCase):
    async def test_polling_bot_holds_a_conversation(self):
        bot_id, token = fresh_bot()
        bot, errors = conversation_bot(token)
        async with Polling(bot):
            await hold_conversation(self, MockUser(BALE_URL, bot_id, fresh_user_id()), errors)

    async def test_offset_is_the_last_update_id_and_nothing_is_lost_or_repeated(self):
        bot_id, token = fresh_bot()
        bot, errors = conversation_bot(token)
        user = MockUser(BALE_URL, bot_id, fresh_user_id())
        async with Polling(bot):
            update_ids = await no_repeats_after_burst(self, user, errors, count=5)
            self.assertEqual(bot.updater.current_offset, update_ids[-1])
        self.assertEqual(errors, [])
        # The library's habit, seen by the server: offset = the last update_id (not +1), so the
        # last update is served again and again and the library drops it each time.
        offsets = await asyncio.to_thread(journal_offsets, bot_id)
        self.assertIn(str(update_ids[-1]), offsets)
        self.assertNotIn(str(update_ids[-1] + 1), offsets)


if __name__ == "__main__":
    unittest.main()
