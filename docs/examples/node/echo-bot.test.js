'use strict';
// End-to-end test of an echo bot against bale-mock, with nothing but Node (>= 20: fetch and
// node:test).
//
//   cargo build -p bale-cli                 # or set BALE_MOCK_BIN=/path/to/bale-mock
//   node --test echo-bot.test.js
//
// The test starts `bale-mock serve --listen 127.0.0.1:0`, runs the bot against it, plays the
// user through the mock's control API (/__mock/...) and checks the chat's transcript.

const { spawn } = require('node:child_process');
const { once } = require('node:events');
const path = require('node:path');
const readline = require('node:readline');
const test = require('node:test');
const assert = require('node:assert/strict');

const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'; // any well-formed token is a bot
const BOT_ID = 123456789; // the digits before the colon
const USER_ID = 1001; // the user the test plays; their private chat with the bot has this id

// POSTs `payload` as JSON (or GETs without one); resolves to the decoded JSON answer.
async function call(url, payload) {
  const init = payload === undefined ? {} : {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  };
  return (await fetch(url, init)).json();
}

// --- the bot under test ----------------------------------------------------------------------
// Long-polls getUpdates and echoes every text message until stop() is called.
function startEchoBot(api) {
  let stopped = false;
  const loop = (async () => {
    let offset = 0;
    while (!stopped) {
      const { result } = await call(`${api}/getUpdates`, { offset, timeout: 1 });
      for (const update of result) {
        offset = update.update_id + 1; // confirms this update
        const message = update.message;
        if (message && message.text !== undefined) {
          await call(`${api}/sendMessage`, { chat_id: message.chat.id, text: message.text });
        }
      }
    }
  })();
  return { stop: () => { stopped = true; return loop; } };
}

// --- a fresh mock on a free port; its URL is on the first line it prints -----------------------
async function startMock() {
  const binary = process.env.BALE_MOCK_BIN
    || path.join(__dirname, '..', '..', '..', 'target', 'debug', 'bale-mock');
  const server = spawn(binary, ['serve', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [firstLine] = await once(readline.createInterface({ input: server.stdout }), 'line');
  assert.match(firstLine, /^listening on http:\/\//); // "listening on http://127.0.0.1:PORT"
  return {
    url: firstLine.slice('listening on '.length),
    async stop() {
      server.kill('SIGTERM'); // the mock drains and exits 0
      const [code] = await once(server, 'exit');
      assert.equal(code, 0);
    },
  };
}

// --- the test ----------------------------------------------------------------------------------
test('the bot echoes what the user says', async (t) => {
  const mock = await startMock();
  const bot = startEchoBot(`${mock.url}/bot${TOKEN}`);
  t.after(async () => {
    await bot.stop(); // ends within the 1 s long poll
    await mock.stop();
  });
  const control = `${mock.url}/__mock/bots/${BOT_ID}`;

  // The user says hello; the bot receives it through getUpdates.
  const sent = await call(`${control}/messages`, { from: USER_ID, text: 'hello' });

  // Wait (up to 10 s) for the bot's answer in the chat's transcript.
  const after = sent.message.message_id;
  const replies = await call(`${control}/chats/${USER_ID}/messages?from=bot&after=${after}&wait=10`);
  assert.deepEqual(replies.messages.map((r) => r.message.text), ['hello']);

  // The whole chat: what the user said, then what the bot said.
  const chat = (await call(`${control}/chats/${USER_ID}/messages`)).messages;
  assert.deepEqual(chat.map((m) => [m.sender, m.message.text]), [['user', 'hello'], ['bot', 'hello']]);
});
