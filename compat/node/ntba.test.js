'use strict';
// Compatibility tests: node-telegram-bot-api (the library the n8n BaleMessenger node is built
// on), every test once per version in ntba-versions.js (0.66.0 and 0.61.0, the version n8n's
// `^0.61.0` installs), against a running bale-mock. Run through compat/run, which starts the server and
// exports BALE_MOCK_URL (bale dialect) and BALE_MOCK_TELEGRAM_URL (telegram dialect).
//
// The bot is constructed exactly as the n8n node does it:
//   new TelegramBot(token, { baseApiUrl: 'https://tapi.bale.ai' })
// with baseApiUrl pointed at the mock instead, and polling explicitly off.
//
// On the wire (read from ntba 0.66.0 and 0.61.0 src/telegram.js, whose _request is the same
// but for the HTTP library: @cypress/request in 0.66.0, request in 0.61.0): every call is
// `POST /bot<token>/<method>`; getMe/logOut/close send `Content-Type:
// application/x-www-form-urlencoded` with `Content-Length: 0` (an empty `form`); `_request(m)`
// with no options sends no Content-Type at all; all on a keep-alive agent (`forever: true`).

process.env.NTBA_FIX_319 = '1'; // silence the promise-cancellation deprecation notice
process.env.NTBA_FIX_350 = '1'; // silence the file content-type deprecation notice

const net = require('node:net');
const test = require('node:test');
const assert = require('node:assert/strict');
const VERSIONS = require('./ntba-versions');

const BALE_URL = process.env.BALE_MOCK_URL;
const TELEGRAM_URL = process.env.BALE_MOCK_TELEGRAM_URL;
if (!BALE_URL) {
  throw new Error('BALE_MOCK_URL is not set; run the suite through compat/run');
}

const SECRET = 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
// A fresh bot id per test, randomised per run so that a re-run against a long-lived server
// does not meet the previous run's 10-minute logOut lock-out.
let nextId = 1_000_000_000 + Math.floor(Math.random() * 1e12);
const freshBotId = () => nextId++;
const tokenFor = (id) => `${id}:${SECRET}`;

const expectedUser = (id) => ({
  id,
  is_bot: true,
  first_name: `Mock Bot ${id}`,
  username: `mock_${id}_bot`,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
});
// The telegram dialect's getMe carries every flag tdlib's current getMe writes (Bot API 10.0).
const expectedTelegramUser = (id) => ({
  ...expectedUser(id),
  supports_guest_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
});

// Asserts that `promise` rejects with ntba's TelegramError for the given HTTP status and
// description, and that the response body is exactly the Bot API error envelope.
async function assertTelegramError(promise, status, description) {
  const err = await promise.then(
    (value) => assert.fail(`expected ETELEGRAM ${status}, got success: ${JSON.stringify(value)}`),
    (e) => e,
  );
  assert.equal(err.code, 'ETELEGRAM', `unexpected error: ${err && err.message}`);
  assert.equal(err.message, `ETELEGRAM: ${status} ${description}`);
  assert.ok(err.response, 'TelegramError carries the HTTP response');
  assert.equal(err.response.statusCode, status, 'HTTP status equals error_code');
  assert.match(String(err.response.headers['content-type']), /^application\/json/);
  assert.deepEqual(err.response.body, { ok: false, error_code: status, description });
  return err;
}

for (const { TelegramBot, label, module, version } of VERSIONS) {
  const botFor = (token, baseApiUrl = BALE_URL) =>
    new TelegramBot(token, { polling: false, baseApiUrl });

  test(`${label}: the installed package is node-telegram-bot-api ${version}`, () => {
    const pkg = require(`${module}/package.json`);
    assert.equal(pkg.name, 'node-telegram-bot-api');
    assert.equal(pkg.version, version);
  });

  test(`${label}: getMe resolves to the bot User`, async () => {
    const id = freshBotId();
    const me = await botFor(tokenFor(id)).getMe();
    assert.deepEqual(me, expectedUser(id));
  });

  test(`${label}: getMe: the n8n node output is the spread User`, async () => {
    const id = freshBotId();
    const output = { ...(await botFor(tokenFor(id)).getMe()) };
    assert.deepEqual(output, expectedUser(id));
  });

  test(`${label}: logOut resolves true, then every request is 400 Logged out`, async () => {
    const bot = botFor(tokenFor(freshBotId()));
    assert.equal(await bot.logOut(), true);
    await assertTelegramError(bot.getMe(), 400, 'Logged out');
    // The lock-out covers every method, logOut and close included.
    await assertTelegramError(bot.logOut(), 400, 'Logged out');
    await assertTelegramError(bot.close(), 400, 'Logged out');
  });

  test(`${label}: logOut: the n8n node output is {logged_out: true}`, async () => {
    const bot = botFor(tokenFor(freshBotId()));
    assert.deepEqual({ logged_out: await bot.logOut() }, { logged_out: true });
  });

  test(`${label}: close resolves true on a fresh bot; a second close is 400 already closed`, async () => {
    const bot = botFor(tokenFor(freshBotId()));
    assert.equal(await bot.close(), true);
    await assertTelegramError(bot.close(), 400, 'Bad Request: the bot has already been closed');
  });

  test(`${label}: close: a request after close relaunches the bot, which can then be closed again`, async () => {
    const id = freshBotId();
    const bot = botFor(tokenFor(id));
    assert.equal(await bot.close(), true);
    assert.deepEqual(await bot.getMe(), expectedUser(id));
    assert.equal(await bot.close(), true);
  });

  test(`${label}: close: the n8n node output is {closed: true}`, async () => {
    const bot = botFor(tokenFor(freshBotId()));
    assert.deepEqual({ closed: await bot.close() }, { closed: true });
  });

  test(`${label}: bale dialect: a bad token rejects 403 Bad Request: Token not found`, async () => {
    const bot = botFor('123456:AAFAKE-token');
    await assertTelegramError(bot.getMe(), 403, 'Bad Request: Token not found');
    await assertTelegramError(bot.logOut(), 403, 'Bad Request: Token not found');
    await assertTelegramError(bot.close(), 403, 'Bad Request: Token not found');
  });

  test(`${label}: an unknown method rejects 404 Not Found: method not found`, async () => {
    const bot = botFor(tokenFor(freshBotId()));
    // _request is ntba's generic transport; with no options it POSTs an empty body.
    await assertTelegramError(bot._request('sendTelepathy'), 404, 'Not Found: method not found');
    // The same with an (empty) urlencoded form, the way every named ntba method sends.
    await assertTelegramError(
      bot._request('sendTelepathy', { form: {} }),
      404,
      'Not Found: method not found',
    );
  });

  test(`${label}: method names match ignoring case through ntba`, async () => {
    const id = freshBotId();
    const bot = botFor(tokenFor(id));
    assert.deepEqual(await bot._request('GETME', { form: {} }), expectedUser(id));
    assert.deepEqual(await bot._request('getme'), expectedUser(id));
  });

  test(`${label}: a server that is not there is EFATAL (sanity check of the error path)`, async () => {
    // A loopback port that was just free: the connection is refused.
    const probe = net.createServer();
    await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address();
    await new Promise((resolve) => probe.close(resolve));
    const bot = botFor(tokenFor(freshBotId()), `http://127.0.0.1:${port}`);
    const err = await bot.getMe().then(() => assert.fail('expected EFATAL'), (e) => e);
    assert.equal(err.code, 'EFATAL');
  });

  test(`${label}: telegram dialect: bad tokens reject 401 through ntba`, { skip: !TELEGRAM_URL && 'BALE_MOCK_TELEGRAM_URL not set' }, async () => {
    await assertTelegramError(botFor('123456:AAFAKE-token', TELEGRAM_URL).getMe(), 401, 'Unauthorized');
    await assertTelegramError(
      botFor('no-colon-token', TELEGRAM_URL).getMe(),
      401,
      'Unauthorized: invalid token specified',
    );
    // A well-formed token works in both dialects (with the dialect's getMe).
    const id = freshBotId();
    assert.deepEqual(await botFor(tokenFor(id), TELEGRAM_URL).getMe(), expectedTelegramUser(id));
  });
}
