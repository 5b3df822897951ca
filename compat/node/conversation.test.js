'use strict';
// Conversations: a real node-telegram-bot-api bot (0.66.0 and 0.61.0, see ntba-versions.js)
// talks with a user that the test plays through bale-mock's control API, and the test checks
// the chat's transcript. Run through compat/run, which starts a fresh server for the
// conversation suites and exports its URL as BALE_MOCK_URL.
//
// The bot (conversationBot below) is what a bot author would write:
//   /start        -> "Do you like bale-mock?" with an inline keyboard: Yes (yes) / No (no)
//   a button      -> answerCallbackQuery "Noted", then edit that message to "You chose <data>"
//   "delete me"   -> deletes the bot's previous message in that chat
//   any other text-> echoed back
// It handles one update at a time (a promise chain), so its replies keep the updates' order.
//
// Each version runs it twice: polling (`polling: true`: getUpdates with timeout=10 every 300 ms,
// offset = last update_id + 1) and with a webhook (ntba's own webHook server on a free loopback
// port; setWebHook with a secret_token). Two more tests per version cover webhook recovery: a
// webhook server that was down, and a polling bot taking over from a stale webhook. Every bot
// has its own id, so the tests do not meet and run side by side.

process.env.NTBA_FIX_319 = '1'; // silence the promise-cancellation deprecation notice
process.env.NTBA_FIX_350 = '1'; // silence the file content-type deprecation notice

const net = require('node:net');
const { describe, test } = require('node:test');
const assert = require('node:assert/strict');
const VERSIONS = require('./ntba-versions');
const { MockUser, eventually } = require('./mock-user');

const BALE_URL = process.env.BALE_MOCK_URL;
if (!BALE_URL) {
  throw new Error('BALE_MOCK_URL is not set; run the suite through compat/run');
}

const SECRET = 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
// Random ids per run, so that a re-run against a long-lived server starts new conversations.
let nextBotId = 4_000_000_000 + Math.floor(Math.random() * 1e12);
let nextUserId = 10_000_000 + Math.floor(Math.random() * 1e9);
const freshBotId = () => nextBotId++;
const freshUserId = () => nextUserId++;
const tokenFor = (id) => `${id}:${SECRET}`;

const QUESTION = 'Do you like bale-mock?';
const KEYBOARD = {
  inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }, { text: 'No', callback_data: 'no' }]],
};
const QUICK = ['one', 'two', 'three', 'four', 'five'];

// The bot under test. Returns the list its errors (send failures, polling/webhook errors) go to.
function conversationBot(bot) {
  const errors = [];
  const lastSent = new Map(); // chat id -> message_id of the bot's last message there
  let queue = Promise.resolve();
  const inOrder = (job) => {
    queue = queue.then(job).catch((err) => errors.push(err));
  };

  bot.on('message', (msg) =>
    inOrder(async () => {
      const chatId = msg.chat.id;
      if (msg.text === '/start') {
        const sent = await bot.sendMessage(chatId, QUESTION, { reply_markup: KEYBOARD });
        lastSent.set(chatId, sent.message_id);
      } else if (msg.text === 'delete me') {
        assert.equal(await bot.deleteMessage(chatId, lastSent.get(chatId)), true);
      } else {
        const sent = await bot.sendMessage(chatId, msg.text);
        lastSent.set(chatId, sent.message_id);
      }
    }),
  );
  bot.on('callback_query', (query) =>
    inOrder(async () => {
      assert.equal(await bot.answerCallbackQuery(query.id, { text: 'Noted' }), true);
      const edited = await bot.editMessageText(`You chose ${query.data}`, {
        chat_id: query.message.chat.id,
        message_id: query.message.message_id,
      });
      assert.equal(edited.text, `You chose ${query.data}`);
    }),
  );
  for (const event of ['polling_error', 'webhook_error', 'error']) {
    bot.on(event, (err) => errors.push(err));
  }
  return errors;
}

const texts = (entries) => entries.map((m) => m.message.text);

// Plays the whole conversation as `user` and checks the transcript at every step.
async function holdConversation(user, errors) {
  // 1. /start -> the question with its keyboard.
  const start = await user.say('/start');
  assert.equal(start.message.text, '/start');
  assert.equal(start.message.from.id, user.userId);
  assert.deepEqual(start.message.chat, { ...start.message.chat, id: user.chatId, type: 'private' });
  assert.deepEqual(start.message.entities, [{ type: 'bot_command', offset: 0, length: 6 }]);
  assert.equal(typeof start.update_id, 'number');

  let replies = await user.botReplies(start.message.message_id);
  assert.equal(replies.length, 1, `one reply to /start: ${JSON.stringify(replies)}; bot errors: ${errors}`);
  const question = replies[0];
  assert.equal(question.sender, 'bot');
  assert.equal(question.deleted, false);
  assert.equal(question.message.text, QUESTION);
  assert.deepEqual(question.message.reply_markup, KEYBOARD);
  assert.equal(question.message.from.id, user.botId);
  assert.equal(question.message.from.is_bot, true);
  assert.equal(question.message.chat.id, user.chatId);
  const questionId = question.message.message_id;

  // 2. The user presses "Yes": the bot answers the query and edits the question.
  const pressed = await user.press(questionId, 'yes');
  assert.equal(pressed.ok, true, `press Yes: HTTP ${pressed._status} ${JSON.stringify(pressed)}`);
  const query = await eventually('the bot answers the callback query', async () => {
    const q = await user.callbackQuery(pressed.callback_query_id);
    return q.answered && q;
  });
  assert.deepEqual(
    { text: query.answer.text, show_alert: query.answer.show_alert },
    { text: 'Noted', show_alert: false },
  );
  assert.equal(query.callback_query.id, pressed.callback_query_id);
  assert.equal(query.callback_query.data, 'yes');
  assert.equal(query.callback_query.from.id, user.userId);
  assert.equal(query.callback_query.message.message_id, questionId);

  const edited = await eventually('the question is edited', async () =>
    (await user.transcript({ from: 'bot' })).find(
      (m) => m.message.message_id === questionId && m.message.text === 'You chose yes',
    ),
  );
  assert.equal(typeof edited.message.edit_date, 'number', 'an edited message has edit_date');
  // editMessageText without reply_markup removes the inline keyboard (Telegram's behaviour),
  // so the button is gone: pressing it again is refused.
  assert.equal(edited.message.reply_markup, undefined, 'the edit removed the keyboard');
  const again = await user.press(questionId, 'no');
  assert.equal(again._status, 400, `pressing a removed button: ${JSON.stringify(again)}`);
  assert.equal(again.ok, false);

  // 3. Any other text is echoed.
  const hello = await user.say('hello');
  replies = await user.botReplies(hello.message.message_id);
  assert.deepEqual(texts(replies), ['hello'], `bot errors: ${errors}`);
  const echoId = replies[0].message.message_id;

  // 4. "delete me": the bot deletes its previous message (the echo); the transcript keeps it.
  const del = await user.say('delete me');
  const deleted = await eventually('the echo is deleted', async () =>
    (await user.transcript({ from: 'bot' })).find((m) => m.message.message_id === echoId && m.deleted),
  );
  assert.equal(deleted.message.text, 'hello');

  // 5. Five texts in quick succession: exactly five echoes, in order, none lost or repeated.
  for (const word of QUICK) await user.say(word);
  const echoes = [];
  let after = del.message.message_id;
  while (echoes.length < QUICK.length) {
    const got = await user.botReplies(after, 10);
    if (got.length === 0) break;
    echoes.push(...got);
    after = got[got.length - 1].message.message_id;
  }
  assert.deepEqual(texts(echoes), QUICK, `bot errors: ${errors}`);
  assert.deepEqual(await user.botReplies(after, 1), [], 'no update is delivered twice');

  // 6. The whole chat, each side in order.
  const all = await user.transcript();
  assert.deepEqual(
    all.filter((m) => m.sender === 'user').map((m) => [m.message.text, m.deleted]),
    ['/start', 'hello', 'delete me', ...QUICK].map((t) => [t, false]),
  );
  assert.deepEqual(
    all.filter((m) => m.sender === 'bot').map((m) => [m.message.text, m.deleted]),
    [['You chose yes', false], ['hello', true], ...QUICK.map((t) => [t, false])],
  );
  const ids = all.map((m) => m.message.message_id);
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'the transcript is in message_id order');

  assert.deepEqual(errors.map(String), [], 'the bot saw no error');
}

// A loopback port that was free a moment ago (ntba's webHook option treats port 0 as 8443).
async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// The bots run side by side (each has its own bot id and user), so that the polling
// bots' waits for their last long poll overlap.
describe('conversations', { concurrency: true }, () => {
  for (const { TelegramBot, label } of VERSIONS) {
    test(`${label}: a polling bot holds a conversation`, { timeout: 60_000 }, async (t) => {
      const botId = freshBotId();
      const bot = new TelegramBot(tokenFor(botId), { polling: true, baseApiUrl: BALE_URL });
      // Waits for the pending long poll (up to 10 s). Not `{cancel: true}`: in both versions that
      // cancels the request but the cancelled promise's `finally` schedules the next poll, so the
      // bot goes on polling (isPolling() turns true again) and node never exits.
      t.after(() => bot.stopPolling());
      const errors = conversationBot(bot);
      assert.equal(bot.isPolling(), true);

      await holdConversation(new MockUser(BALE_URL, botId, freshUserId()), errors);
    });

    test(`${label}: a webhook bot holds a conversation`, { timeout: 60_000 }, async (t) => {
      const botId = freshBotId();
      const token = tokenFor(botId);
      const port = await freePort();
      const bot = new TelegramBot(token, {
        baseApiUrl: BALE_URL,
        webHook: { port, host: '127.0.0.1', autoOpen: false },
      });
      await bot.openWebHook();
      t.after(() => bot.closeWebHook());
      const errors = conversationBot(bot);

      // What arrives on the webhook (ntba itself ignores the secret header).
      const deliveries = [];
      bot._webHook._webServer.prependListener('request', (req) => {
        deliveries.push({
          method: req.method,
          url: req.url,
          secret: req.headers['x-telegram-bot-api-secret-token'],
          type: req.headers['content-type'],
        });
      });

      const url = `http://127.0.0.1:${port}/bot${token}`;
      const secret = `s3cret_${botId}`;
      assert.equal(await bot.setWebHook(url, { secret_token: secret, max_connections: 1 }), true);
      t.after(() => bot.deleteWebHook());
      const info = await bot.getWebHookInfo();
      assert.equal(info.url, url);
      assert.equal(info.has_custom_certificate, false);
      assert.equal(info.pending_update_count, 0);

      // While a webhook is set, getUpdates is refused.
      const conflict = await bot.getUpdates().then(
        (v) => assert.fail(`getUpdates with a webhook set resolved: ${JSON.stringify(v)}`),
        (e) => e,
      );
      assert.equal(conflict.code, 'ETELEGRAM');
      assert.equal(conflict.response.statusCode, 409);
      assert.equal(
        conflict.response.body.description,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );

      await holdConversation(new MockUser(BALE_URL, botId, freshUserId()), errors);

      // 1 /start + 1 press + hello + delete me + five texts, each POSTed once to the bot's URL.
      assert.equal(deliveries.length, 9, JSON.stringify(deliveries));
      for (const d of deliveries) {
        assert.deepEqual(
          { ...d, type: String(d.type).split(';')[0] },
          { method: 'POST', url: `/bot${token}`, secret, type: 'application/json' },
        );
      }

      assert.equal(await bot.deleteWebHook(), true);
      assert.equal((await bot.getWebHookInfo()).url, '');
    });

    test(`${label}: a webhook that was down gets the waiting update once it is back`, { timeout: 60_000 }, async (t) => {
      const botId = freshBotId();
      const token = tokenFor(botId);
      const port = await freePort();
      const bot = new TelegramBot(token, {
        baseApiUrl: BALE_URL,
        webHook: { port, host: '127.0.0.1', autoOpen: false },
      });
      const errors = conversationBot(bot);
      assert.equal(await bot.setWebHook(`http://127.0.0.1:${port}/bot${token}`), true);
      t.after(async () => {
        await bot.deleteWebHook();
        await bot.closeWebHook();
      });

      // Nothing listens on the port yet: the delivery fails and the update waits.
      const user = new MockUser(BALE_URL, botId, freshUserId());
      const asked = await user.say('are you there?');
      const info = await eventually('getWebhookInfo reports the failed delivery', async () => {
        const i = await bot.getWebHookInfo();
        return i.last_error_date && i;
      });
      assert.equal(info.pending_update_count, 1);
      assert.equal(typeof info.last_error_message, 'string');

      // The bot comes back: the update is delivered again, and answered.
      await bot.openWebHook();
      const replies = await user.botReplies(asked.message.message_id, 30);
      assert.deepEqual(texts(replies), ['are you there?']);
      assert.equal((await bot.getWebHookInfo()).pending_update_count, 0);
      assert.deepEqual(errors.map(String), []);
    });

    test(`${label}: a polling bot removes a webhook left behind and gets the waiting update`, { timeout: 60_000 }, async (t) => {
      const botId = freshBotId();
      const token = tokenFor(botId);
      // An old deployment left a webhook on a port where nothing listens (9, discard).
      const old = new TelegramBot(token, { baseApiUrl: BALE_URL });
      assert.equal(await old.setWebHook(`http://127.0.0.1:9/bot${token}`), true);
      const user = new MockUser(BALE_URL, botId, freshUserId());
      const hello = await user.say('hello'); // its delivery fails; the update waits
      await new Promise((resolve) => setTimeout(resolve, 1100)); // one setWebhook a second

      // ntba's polling gets 409 from getUpdates, calls setWebHook with no url (which deletes
      // the webhook), and polls again: the waiting update arrives.
      const bot = new TelegramBot(token, { polling: true, baseApiUrl: BALE_URL });
      t.after(() => bot.stopPolling());
      const errors = conversationBot(bot);
      const replies = await user.botReplies(hello.message.message_id, 15);
      assert.deepEqual(texts(replies), ['hello'], `bot errors: ${errors}`);
      assert.equal((await bot.getWebHookInfo()).url, '');
      assert.deepEqual(errors.map(String), []);

      const res = await fetch(`${BALE_URL}/__mock/journal?bot=${botId}`);
      const calls = (await res.json()).entries.map((e) => [e.method, e.status]);
      const conflict = calls.findIndex(([m, s]) => m === 'getUpdates' && s === 409);
      assert.notEqual(conflict, -1, JSON.stringify(calls));
      assert.deepEqual(calls.slice(conflict, conflict + 3), [
        ['getUpdates', 409],
        ['setWebHook', 200],
        ['getUpdates', 200],
      ]);
    });
  }
});
