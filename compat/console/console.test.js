'use strict';
// The browser console end to end: Debian's chromium, driven by playwright-core, opens the
// console of a real `bale-mock serve`; a real bot (node-telegram-bot-api, polling) talks to
// the mock. Run through compat/console/run, which exports BALE_MOCK_BIN.
//
// The bot: /start -> "Do you like bale-mock?" with an inline keyboard Yes / No; a button ->
// answerCallbackQuery, then the message is edited to "You chose <data>".

process.env.NTBA_FIX_319 = '1'; // silence the promise-cancellation deprecation notice

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { test } = require('node:test');
const assert = require('node:assert/strict');
const TelegramBot = require('node-telegram-bot-api');
const { chromium } = require('playwright-core');

const BIN = process.env.BALE_MOCK_BIN;
if (!BIN) throw new Error('BALE_MOCK_BIN is not set; run the suite through compat/console/run');
// Where the screenshot goes: docs/console.png when regenerating it, a temporary file otherwise.
const SCREENSHOT = process.env.CONSOLE_SCREENSHOT
  || path.join(os.tmpdir(), `bale-mock-console-${process.pid}.png`);

const SECRET = 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
const BOT = 5_100_000_001;
const LOCKED_BOT = 5_100_000_002;
const USER = 7_001;
const QUESTION = 'Do you like bale-mock?';
// A 96×48 PNG of horizontal bands, what the bot sends for /photo.
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAGAAAAAwCAIAAABhdOiYAAAA80lEQVR42u3CAUYDAACF4XeciIiIiIiIiIiIiIiIiFSmMpWpTGUqU5nKVKYylSRJkl+SJJ2nG7wTvM+nlnnSVOsiaaqtQJpqXyJNdayQpjqLpKmuVdJU9zppqqdEmurdIE31bZGm+sukqYFt0tTgLmlqqEKaGt4jTY0ckKZGq6SpsUPS1PgxaWqiRpqaPCFNTZ2RpqbrpKmZc9LU7CVpaq5Bmlq4Ik0VbkhTy03SVPGWNLV2T5oqPZCmNh9JU+Un0tTOM2mq8kKa2n8lTVXfSFNH76SpGqSp0w/SVP2TNHXxRZpqfJOmrn9IU81f0tTdH2n+A4NqlPDuVynJAAAAAElFTkSuQmCC',
  'base64',
);

/** Starts `bale-mock serve` with `args`: its URL (stdout) and the console's (stderr). */
async function serve(args) {
  const child = spawn(BIN, ['serve', '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, RUST_LOG: 'warn' },
  });
  const stderr = readline.createInterface({ input: child.stderr });
  const consoleUrl = new Promise((resolve) => {
    stderr.on('line', (line) => {
      const found = /^console: (\S+)$/.exec(line);
      if (found) resolve(found[1]);
    });
  });
  const first = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bale-mock exited with ${code}`)));
  });
  const url = /^listening on (\S+)$/.exec(first)[1];
  return { child, url, console: await consoleUrl };
}

async function stop(server) {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  assert.equal(await exited, 0, 'bale-mock exits 0 on SIGTERM');
}

/** Debian's chromium, headless, with a fresh profile. */
async function browser(options = {}) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'bale-mock-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
    ],
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  const page = context.pages()[0] || (await context.newPage());
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  const close = async () => {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { page, problems, close };
}

/** The bot a bot author would write. */
function realBot(baseApiUrl) {
  const bot = new TelegramBot(`${BOT}:${SECRET}`, {
    polling: { interval: 100, params: { timeout: 2 } },
    baseApiUrl,
  });
  bot.on('message', async (msg) => {
    if (msg.text === '/photo') {
      await bot.sendPhoto(msg.chat.id, PHOTO, { caption: 'A photo' }, { filename: 'bands.png', contentType: 'image/png' });
    }
    if (msg.text === '/start') {
      await bot.sendMessage(msg.chat.id, QUESTION, {
        reply_markup: { inline_keyboard: [[{ text: 'Yes', callback_data: 'yes' }, { text: 'No', callback_data: 'no' }]] },
      });
    }
  });
  bot.on('callback_query', async (query) => {
    await bot.answerCallbackQuery(query.id, { text: 'Noted' });
    await bot.editMessageText(`You chose ${query.data}`, {
      chat_id: query.message.chat.id,
      message_id: query.message.message_id,
    });
  });
  return bot;
}

const TIMEOUT = { timeout: 10_000 };

test('the console shows a real bot live, chats with it, and moves the clock', { timeout: 60_000 }, async (t) => {
  const server = await serve([]);
  assert.match(server.console, /^http:\/\/127\.0\.0\.1:\d+\/__mock\/console\/$/);
  const { page, problems, close } = await browser();
  const bot = realBot(server.url);
  // The bot stops before the server, so it never polls a closed port.
  t.after(async () => {
    // Not `{cancel: true}`: that schedules another poll and node never exits (see compat/node).
    await bot.stopPolling();
    await close();
    await stop(server);
  });

  await page.goto(server.console);
  await page.getByText('Live: new requests appear').waitFor(TIMEOUT);

  await t.test('a request of the real bot appears live in the journal', async () => {
    const row = page.locator('#journal-rows tr', { hasText: 'getUpdates' }).filter({ hasText: String(BOT) });
    await row.first().waitFor(TIMEOUT);
    await page.locator('#bots-rows tr', { hasText: String(BOT) }).waitFor(TIMEOUT);
  });

  await t.test('/start typed as the user gets the bot\'s reply with its keyboard', async () => {
    await page.selectOption('#chat-bot', String(BOT));
    await page.fill('#chat-user', String(USER));
    await page.dispatchEvent('#chat-user', 'change');
    await page.focus('#compose-text');
    await page.keyboard.type('/start');
    await page.keyboard.press('Enter');
    await page.locator('.bubble.from-user', { hasText: '/start' }).waitFor(TIMEOUT);
    const reply = page.locator('.bubble.from-bot', { hasText: QUESTION });
    await reply.waitFor(TIMEOUT);
    await reply.getByRole('button', { name: 'Yes' }).waitFor(TIMEOUT);
    await page.locator('#journal-rows tr', { hasText: 'sendMessage' }).first().waitFor(TIMEOUT);
  });

  await t.test('pressing an inline button shows the bot\'s edit', async () => {
    await page.locator('.bubble.from-bot').getByRole('button', { name: 'Yes' }).click();
    const edited = page.locator('.bubble.from-bot', { hasText: 'You chose yes' });
    await edited.waitFor(TIMEOUT);
    assert.match(await edited.locator('.meta').textContent(), /edited/);
    await page.locator('#journal-rows tr', { hasText: 'editMessageText' }).first().waitFor(TIMEOUT);
  });

  await t.test('a photo the bot sends is shown as the image', async () => {
    await page.fill('#compose-text', '/photo');
    await page.keyboard.press('Enter');
    const image = page.locator('.bubble.from-bot img.photo');
    await image.waitFor(TIMEOUT);
    await page.waitForFunction(() => document.querySelector('.bubble.from-bot img.photo')?.naturalWidth > 0, null, TIMEOUT);
    assert.deepEqual(await image.evaluate((img) => [img.naturalWidth, img.naturalHeight]), [96, 48]);
  });

  await t.test('a journal row opens the whole entry', async () => {
    await page.locator('#journal-rows tr', { hasText: 'sendMessage' }).first().locator('button').click();
    const dialog = page.locator('#entry-dialog');
    await dialog.waitFor({ state: 'visible', ...TIMEOUT });
    assert.match(await page.locator('#entry-request').textContent(), new RegExp(QUESTION));
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden', ...TIMEOUT });
  });

  await t.test('advancing the clock past a logOut lock-out changes the bot\'s state', async () => {
    const loggedOut = await fetch(`${server.url}/bot${LOCKED_BOT}:${SECRET}/logOut`).then((r) => r.json());
    assert.equal(loggedOut.ok, true);
    const state = page.locator(`#bots-rows tr[data-bot="${LOCKED_BOT}"] .state`);
    await state.filter({ hasText: /^logged out, \d+ min \d+ s left$/ }).waitFor(TIMEOUT);
    await page.fill('#advance-seconds', '600');
    await page.getByRole('button', { name: 'Advance', exact: true }).click();
    await state.filter({ hasText: 'lock-out over' }).waitFor(TIMEOUT);
  });

  await t.test('the journal filters by method and status', async () => {
    await page.fill('#filter-method', 'editmessage');
    const methods = await page.locator('#journal-rows td.method').allTextContents();
    assert.ok(methods.length > 0 && methods.every((m) => m === 'editMessageText'), methods.join());
    await page.fill('#filter-method', '');
    await page.selectOption('#filter-status', 'error');
    assert.equal(await page.locator('#journal-rows tr').count(), 0, 'no request failed');
    await page.selectOption('#filter-status', '');
  });

  // The screenshot shows a keyboard too: a second /start, answered with a fresh one. The
  // reader is at the newest message (the clicks above scrolled the list), so it stays in view.
  await page.locator('#messages').evaluate((list) => { list.scrollTop = list.scrollHeight; });
  await page.fill('#compose-text', '/start');
  await page.getByRole('button', { name: 'Send', exact: true }).click();
  await page.locator('#messages .bubble').last().locator('.keyboard').waitFor(TIMEOUT);
  await page.locator('#journal-rows tr', { hasText: 'sendMessage' }).nth(1).waitFor(TIMEOUT);
  await page.evaluate(() => document.activeElement.blur());
  await page.screenshot({ path: SCREENSHOT });

  await t.test('a narrow window stacks the views without a sideways scroll', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });
  const html = await page.content();
  assert.ok(!html.includes(SECRET), 'the page never shows a token');
  assert.deepEqual(problems, []);
});

test('over --tls with --control-token, the console asks for the token and then goes live', { timeout: 30_000 }, async (t) => {
  const control = 'console-test-control-token';
  const server = await serve(['--tls', '--control-token', control]);
  t.after(() => stop(server));
  assert.match(server.console, /^https:\/\/127\.0\.0\.1:\d+\/__mock\/console\/$/);
  const { page, problems, close } = await browser({ ignoreHTTPSErrors: true });
  t.after(close);

  await page.goto(server.console);
  await page.getByLabel('Control token').waitFor(TIMEOUT);
  await page.getByText('Refused: Forbidden: wrong or missing control token').waitFor(TIMEOUT);
  await page.getByLabel('Control token').fill(control);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByText('Live: new requests appear').waitFor(TIMEOUT);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('bale-mock-control-token')), control);
  assert.ok(!(await page.content()).includes(control), 'the token is not written into the page');

  // A Bot API call over HTTPS appears live.
  await page.evaluate(async (url) => { await fetch(url); }, `${server.url}/bot${BOT}:${SECRET}/getMe`);
  await page.locator('#journal-rows tr', { hasText: 'getMe' }).waitFor(TIMEOUT);
  // The 403s before the token was given are expected console errors of the browser.
  assert.deepEqual(problems.filter((p) => !p.includes('403')), []);
});
