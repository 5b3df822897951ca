'use strict';
// What node-telegram-bot-api does on each network fault and rate limit that bale-mock's
// shipped scenarios script, every test once per version in ntba-versions.js (0.66.0 and
// 0.61.0). Run through compat/run, which starts one server per scenario and exports
//   BALE_MOCK_FAULTS_URL       bale-mock serve --scenario network-faults
//   BALE_MOCK_PROXY_LIMIT_URL  bale-mock serve --scenario bale-proxy-rate-limit
//   BALE_MOCK_RATE_LIMIT_URL   bale-mock serve --scenario rate-limit
//
// ntba's error mapping (src/telegram.js `_request`, the same in both versions):
// - the HTTP library fails (no response at all)    -> FatalError, code 'EFATAL', message
//   'EFATAL: ' + the library error's message; the original error (and its code) is not kept,
//   and there is no `response`;
// - a response whose body is not JSON, any status -> ParseError, code 'EPARSE', message
//   'EPARSE: Error parsing response: ' + the whole body, `response` = the HTTP response;
// - JSON with ok:false                             -> TelegramError, code 'ETELEGRAM'.
// ntba never retries. `new TelegramBot(token, {request: {...}})` merges those options into every
// request; `timeout` (ms) there is request's timeout: connecting, then *between bytes* once
// connected (ESOCKETTIMEDOUT), not a deadline for the whole answer. Without it (the n8n node
// passes none) there is no timeout at all.

process.env.NTBA_FIX_319 = '1';
process.env.NTBA_FIX_350 = '1';

const http = require('node:http');
const test = require('node:test');
const assert = require('node:assert/strict');
const VERSIONS = require('./ntba-versions');

const FAULTS_URL = process.env.BALE_MOCK_FAULTS_URL;
const PROXY_LIMIT_URL = process.env.BALE_MOCK_PROXY_LIMIT_URL;
const RATE_LIMIT_URL = process.env.BALE_MOCK_RATE_LIMIT_URL;
for (const [name, value] of Object.entries({
  BALE_MOCK_FAULTS_URL: FAULTS_URL,
  BALE_MOCK_PROXY_LIMIT_URL: PROXY_LIMIT_URL,
  BALE_MOCK_RATE_LIMIT_URL: RATE_LIMIT_URL,
})) {
  if (!value) throw new Error(`${name} is not set; run the suite through compat/run`);
}

// scenarios/network-faults.toml: one bot id per fault, any secret.
const FAULT_BOT = {
  hang: 900000001,
  reset: 900000002,
  emptyReply: 900000003,
  truncatedBody: 900000004,
  malformedJson: 900000005,
  page502: 900000006,
  page503: 900000007,
  page504: 900000008,
  proxyRateLimited: 900000009,
  drip: 900000010,
  delay: 900000011,
};
const SECRET = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const tokenFor = (id) => `${id}:${SECRET}`;
let nextId = 3_000_000_000 + Math.floor(Math.random() * 1e12);
const freshBotId = () => nextId++;

const TIMEOUT_MS = 500; // the request timeout the tests that need one give ntba
const TEST_TIMEOUT = { timeout: 15_000 }; // no test may wait longer than this

const expectedUser = (id) => ({
  id,
  is_bot: true,
  first_name: `Mock Bot ${id}`,
  username: `mock_${id}_bot`,
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
});

const nginxPage = (title) =>
  `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n` +
  `<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;

// Awaits a promise that must reject; returns the error and how long it took.
async function rejection(promise) {
  const started = Date.now();
  const err = await promise.then(
    (value) => assert.fail(`expected a rejection, got success: ${JSON.stringify(value)}`),
    (e) => e,
  );
  return { err, ms: Date.now() - started };
}

function assertFatal(err, message) {
  assert.equal(err.code, 'EFATAL', `unexpected error: ${err && err.message}`);
  assert.equal(err.constructor.name, 'FatalError');
  assert.equal(err.message, `EFATAL: ${message}`);
  assert.equal(err.response, undefined, 'a FatalError has no response');
}

function assertParse(err, status, body, contentType) {
  assert.equal(err.code, 'EPARSE', `unexpected error: ${err && err.message}`);
  assert.equal(err.constructor.name, 'ParseError');
  assert.equal(err.message, `EPARSE: Error parsing response: ${body}`);
  assert.ok(err.response, 'a ParseError carries the HTTP response');
  assert.equal(err.response.statusCode, status);
  assert.equal(err.response.body, body, 'the body is left as the raw text');
  assert.equal(err.response.headers['content-type'], contentType);
}

// The mock's own record of the requests a bot made (GET /__mock/journal?bot=ID).
async function journal(baseUrl, botId) {
  const res = await fetch(`${baseUrl}/__mock/journal?bot=${botId}`, {
    signal: AbortSignal.timeout(5_000),
  });
  assert.equal(res.status, 200);
  return (await res.json()).entries;
}

for (const { TelegramBot, label } of VERSIONS) {
  const botFor = (id, baseApiUrl, extra = {}) =>
    new TelegramBot(tokenFor(id), { polling: false, baseApiUrl, ...extra });
  const withTimeout = { request: { timeout: TIMEOUT_MS } };

  // --- network-faults --------------------------------------------------------------------

  test(`${label}: hang + request.timeout ${TIMEOUT_MS} ms -> EFATAL ESOCKETTIMEDOUT`, TEST_TIMEOUT, async () => {
    const { err, ms } = await rejection(botFor(FAULT_BOT.hang, FAULTS_URL, withTimeout).getMe());
    assertFatal(err, 'Error: ESOCKETTIMEDOUT');
    assert.ok(ms >= TIMEOUT_MS - 50 && ms < 5_000, `timed out after ${ms} ms`);
  });

  test(`${label}: hang without request.timeout (as n8n builds the bot) stays pending`, TEST_TIMEOUT, async () => {
    // ntba and its HTTP library set no timeout of their own. To end the request at all, the
    // test hands ntba an agent of its own (request's `agent` option) and destroys it.
    const agent = new http.Agent({ keepAlive: true });
    const pending = botFor(FAULT_BOT.hang, FAULTS_URL, { request: { agent } }).getMe();
    const settled = pending.then(() => 'resolved', () => 'rejected');
    const outcome = await Promise.race([
      settled,
      new Promise((resolve) => setTimeout(resolve, 1_000, 'pending')),
    ]);
    assert.equal(outcome, 'pending', 'no answer, no timeout: still pending after 1 s');
    agent.destroy();
    const { err } = await rejection(pending);
    assertFatal(err, 'Error: socket hang up');
  });

  test(`${label}: reset -> EFATAL read ECONNRESET`, TEST_TIMEOUT, async () => {
    const { err } = await rejection(botFor(FAULT_BOT.reset, FAULTS_URL).getMe());
    assertFatal(err, 'Error: read ECONNRESET');
  });

  test(`${label}: empty reply -> EFATAL socket hang up`, TEST_TIMEOUT, async () => {
    const { err } = await rejection(botFor(FAULT_BOT.emptyReply, FAULTS_URL).getMe());
    assertFatal(err, 'Error: socket hang up');
  });

  test(`${label}: truncated body -> EFATAL aborted (not EPARSE)`, TEST_TIMEOUT, async () => {
    // Node's HTTP parser notices the close before Content-Length bytes came: the response
    // stream is aborted, so ntba never gets a body to parse.
    const { err } = await rejection(botFor(FAULT_BOT.truncatedBody, FAULTS_URL).getMe());
    assertFatal(err, 'Error: aborted');
  });

  test(`${label}: malformed JSON -> EPARSE with the 200 response`, TEST_TIMEOUT, async () => {
    const { err } = await rejection(botFor(FAULT_BOT.malformedJson, FAULTS_URL).getMe());
    assert.equal(err.code, 'EPARSE', `unexpected error: ${err && err.message}`);
    assert.equal(err.response.statusCode, 200);
    assert.equal(err.response.headers['content-type'], 'application/json');
    // The body is the start of the real answer, cut short: not JSON.
    const body = err.response.body;
    const full = JSON.stringify({ ok: true, result: expectedUser(FAULT_BOT.malformedJson) });
    assert.equal(typeof body, 'string');
    assert.ok(body.length > 0 && body.length < full.length && full.startsWith(body), body);
    assert.throws(() => JSON.parse(body), SyntaxError);
    assertParse(err, 200, body, 'application/json');
  });

  for (const [key, status, title] of [
    ['page502', 502, '502 Bad Gateway'],
    ['page503', 503, '503 Service Temporarily Unavailable'],
    ['page504', 504, '504 Gateway Time-out'],
  ]) {
    test(`${label}: proxy ${status} HTML page -> EPARSE with the HTML in message and response`, TEST_TIMEOUT, async () => {
      const { err } = await rejection(botFor(FAULT_BOT[key], FAULTS_URL).getMe());
      assertParse(err, status, nginxPage(title), 'text/html');
    });
  }

  test(`${label}: proxy rate limit (fault) -> EPARSE 429 local_rate_limited, no retry`, TEST_TIMEOUT, async () => {
    const before = (await journal(FAULTS_URL, FAULT_BOT.proxyRateLimited)).length;
    const { err } = await rejection(botFor(FAULT_BOT.proxyRateLimited, FAULTS_URL).getMe());
    assertParse(err, 429, 'local_rate_limited', 'text/plain');
    assert.equal(err.response.headers['x-envoy-ratelimited'], 'true');
    assert.equal(err.response.headers['retry-after'], undefined);
    const after = await journal(FAULTS_URL, FAULT_BOT.proxyRateLimited);
    assert.equal(after.length - before, 1, 'ntba sent the request once');
  });

  test(`${label}: drip over 2 s + request.timeout ${TIMEOUT_MS} ms -> resolves (the timeout is between bytes)`, TEST_TIMEOUT, async () => {
    const started = Date.now();
    const me = await botFor(FAULT_BOT.drip, FAULTS_URL, withTimeout).getMe();
    const ms = Date.now() - started;
    assert.deepEqual(me, expectedUser(FAULT_BOT.drip));
    assert.ok(ms >= 1_800, `the dripped answer took ${ms} ms`);
  });

  test(`${label}: delay 1-1.5 s + request.timeout ${TIMEOUT_MS} ms -> EFATAL ESOCKETTIMEDOUT`, TEST_TIMEOUT, async () => {
    const { err, ms } = await rejection(botFor(FAULT_BOT.delay, FAULTS_URL, withTimeout).getMe());
    assertFatal(err, 'Error: ESOCKETTIMEDOUT');
    assert.ok(ms < 1_000, `timed out after ${ms} ms`);
  });

  test(`${label}: delay 1-1.5 s without a timeout -> resolves`, TEST_TIMEOUT, async () => {
    const started = Date.now();
    const me = await botFor(FAULT_BOT.delay, FAULTS_URL).getMe();
    const ms = Date.now() - started;
    assert.deepEqual(me, expectedUser(FAULT_BOT.delay));
    assert.ok(ms >= 950 && ms < 5_000, `the delayed answer took ${ms} ms`);
  });

  test(`${label}: a normal bot on the network-faults server is unaffected`, TEST_TIMEOUT, async () => {
    const id = freshBotId();
    assert.deepEqual(await botFor(id, FAULTS_URL).getMe(), expectedUser(id));
  });

  // --- bale-proxy-rate-limit: 3 requests per second per bot, then plain-text 429 ---------

  test(`${label}: edge proxy limit (3/s) -> the 4th of 4 concurrent requests is EPARSE 429`, TEST_TIMEOUT, async () => {
    // Sent together so that all four land well inside the bucket's 1/3 s refill time.
    const id = freshBotId();
    const bot = botFor(id, PROXY_LIMIT_URL);
    const results = await Promise.allSettled([1, 2, 3, 4].map(() => bot.getMe()));
    const fulfilled = results.filter((r) => r.status === 'fulfilled');
    const rejected = results.filter((r) => r.status === 'rejected');
    assert.equal(fulfilled.length, 3, JSON.stringify(results.map((r) => r.status)));
    for (const r of fulfilled) assert.deepEqual(r.value, expectedUser(id));
    assert.equal(rejected.length, 1);
    assertParse(rejected[0].reason, 429, 'local_rate_limited', 'text/plain');
    const entries = await journal(PROXY_LIMIT_URL, id);
    assert.deepEqual(entries.map((e) => e.status).sort(), [200, 200, 200, 429]);
  });

  // --- rate-limit: 5 requests per 10 s per bot, JSON 429 with retry_after ---------------

  test(`${label}: JSON rate limit (5 per 10 s) -> ETELEGRAM 429 with retry_after, no retry`, TEST_TIMEOUT, async () => {
    const id = freshBotId();
    const bot = botFor(id, RATE_LIMIT_URL);
    for (let i = 0; i < 5; i++) assert.deepEqual(await bot.getMe(), expectedUser(id));
    const { err } = await rejection(bot.getMe());
    assert.equal(err.code, 'ETELEGRAM', `unexpected error: ${err && err.message}`);
    const body = err.response.body;
    // 0.5 requests per second refill: the next one is due in (at most) 2 s.
    const retryAfter = body.parameters && body.parameters.retry_after;
    assert.ok(retryAfter === 1 || retryAfter === 2, `retry_after ${retryAfter}`);
    assert.equal(err.message, `ETELEGRAM: 429 Too Many Requests: retry after ${retryAfter}`);
    assert.deepEqual(body, {
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfter}`,
      parameters: { retry_after: retryAfter },
    });
    assert.equal(err.response.statusCode, 429);
    assert.equal(err.response.headers['retry-after'], String(retryAfter));
    const entries = await journal(RATE_LIMIT_URL, id);
    assert.deepEqual(entries.map((e) => e.status), [200, 200, 200, 200, 200, 429]);
  });
}
