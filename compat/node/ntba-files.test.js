'use strict';
// Files and chat management through node-telegram-bot-api (0.66.0 and 0.61.0, see
// ntba-versions.js), the library the n8n BaleMessenger node is built on, against a running
// bale-mock (bale dialect). Run through compat/run, which exports BALE_MOCK_URL.
//
// What ntba puts on the wire (read from src/telegram.js of both versions, the same code):
// - sendPhoto(chatId, photo, options, fileOptions): POST /bot<T>/sendPhoto with every option
//   and `chat_id` in the QUERY STRING (`qs`); an upload (Buffer or stream) is the one
//   multipart part `photo` with fileOptions' `filename` and `contentType`; a file_id goes in
//   the query string as `photo=<file_id>` with no body at all.
// - getFile: form-urlencoded `file_id`.
// - getFileLink(fileId) = getFile, then `${baseApiUrl}/file/bot${token}/${file_path}`: it
//   honours a custom baseApiUrl, so against the mock it is the mock's Telegram-style download
//   path. getFileStream pipes a plain GET of that URL into a PassThrough WITHOUT looking at the
//   status (a 404 body would be streamed as the file's bytes); downloadFile writes that stream
//   to `<dir>/<last segment of the URL>` (file_N.ext here).
// - banChatMember, unbanChatMember, pinChatMessage, getChat, getChatMember: form-urlencoded.

process.env.NTBA_FIX_319 = '1'; // silence the promise-cancellation deprecation notice
process.env.NTBA_FIX_350 = '1'; // silence the file content-type deprecation notice

const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const test = require('node:test');
const assert = require('node:assert/strict');
const VERSIONS = require('./ntba-versions');
const { MockUser, createChat } = require('./mock-user');

const BALE_URL = (process.env.BALE_MOCK_URL || '').replace(/\/+$/, '');
if (!BALE_URL) {
  throw new Error('BALE_MOCK_URL is not set; run the suite through compat/run');
}

const SECRET = 'AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';
// Random ids per run, so that a re-run against a long-lived server starts afresh.
let nextBotId = 7_000_000_000 + Math.floor(Math.random() * 1e12);
let nextUserId = 30_000_000 + Math.floor(Math.random() * 1e9);
const freshBotId = () => nextBotId++;
const freshUserId = () => nextUserId++;
const tokenFor = (id) => `${id}:${SECRET}`;

// A 1×1 PNG (the mock decodes no image; any bytes would do, these are a real picture).
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

// Asserts that `promise` rejects with ntba's TelegramError for `status` and `description`.
async function assertTelegramError(promise, status, description) {
  const err = await promise.then(
    (value) => assert.fail(`expected ETELEGRAM ${status}, got success: ${JSON.stringify(value)}`),
    (e) => e,
  );
  assert.equal(err.code, 'ETELEGRAM', `unexpected error: ${err && err.message}`);
  assert.equal(err.message, `ETELEGRAM: ${status} ${description}`);
  assert.equal(err.response.statusCode, status);
  return err;
}

// Every byte of a readable stream, as one Buffer.
async function drain(stream) {
  const chunks = [];
  for await (const chunk of stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

// A plain GET; resolves to {status, contentType, bytes}.
async function download(url) {
  const res = await fetch(url);
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

// A photo Message's `photo` sizes: each a PhotoSize of the uploaded file.
function assertPhotoSizes(sizes, byteLength) {
  assert.ok(Array.isArray(sizes) && sizes.length >= 1, `photo sizes: ${JSON.stringify(sizes)}`);
  for (const size of sizes) {
    assert.equal(typeof size.file_id, 'string');
    assert.equal(typeof size.file_unique_id, 'string');
    assert.equal(typeof size.width, 'number');
    assert.equal(typeof size.height, 'number');
  }
  assert.equal(sizes[sizes.length - 1].file_size, byteLength, 'the largest size is the upload');
}

for (const { TelegramBot, label } of VERSIONS) {
  const botFor = (id) => new TelegramBot(tokenFor(id), { polling: false, baseApiUrl: BALE_URL });

  test(`${label}: sendPhoto uploads a Buffer and a stream, then resends by file_id; the bytes download back`, async () => {
    const botId = freshBotId();
    const bot = botFor(botId);
    const user = new MockUser(BALE_URL, botId, freshUserId());
    await user.say('hi'); // the user writes first: the bot may now write to the private chat

    // 1. A Buffer, with ntba's fileOptions (NTBA_FIX_350: no guessing from the bytes).
    const fromBuffer = await bot.sendPhoto(user.chatId, PNG, { caption: 'a pixel' }, {
      filename: 'pixel.png',
      contentType: 'image/png',
    });
    assert.equal(fromBuffer.chat.id, user.chatId);
    assert.equal(fromBuffer.from.id, botId);
    assert.equal(fromBuffer.caption, 'a pixel', 'the caption came through the query string');
    assertPhotoSizes(fromBuffer.photo, PNG.length);
    const fileId = fromBuffer.photo[fromBuffer.photo.length - 1].file_id;
    assert.match(fileId, /^AgAC/, "a photo's file_id, Telegram-style");

    // 2. A file stream (ntba takes the part's filename from the stream's path).
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntba-photo-'));
    try {
      const file = path.join(dir, 'from-disk.png');
      fs.writeFileSync(file, PNG);
      const fromStream = await bot.sendPhoto(user.chatId, fs.createReadStream(file), {}, {
        contentType: 'image/png',
      });
      assertPhotoSizes(fromStream.photo, PNG.length);
      const streamedId = fromStream.photo[fromStream.photo.length - 1].file_id;
      assert.notEqual(streamedId, fileId, 'each upload is a new file');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // 3. The returned file_id (`photo=<id>` in the query string, no body): the same file.
    const resent = await bot.sendPhoto(user.chatId, fileId);
    assertPhotoSizes(resent.photo, PNG.length);
    assert.equal(resent.photo[resent.photo.length - 1].file_id, fileId, 'a resend keeps the file_id');
    assert.ok(resent.message_id > fromBuffer.message_id);

    // The user's chat shows the three photos, and the first one downloads byte for byte.
    const photos = (await user.transcript({ from: 'bot' })).map((m) => m.message.photo);
    assert.equal(photos.length, 3);
    assert.equal(photos[2].at(-1).file_id, fileId);
    const link = await bot.getFileLink(fileId);
    assert.match(link, new RegExp(`^${BALE_URL}/file/bot${tokenFor(botId)}/photos/file_\\d+\\.png$`));
    const got = await download(link);
    assert.equal(got.status, 200);
    assert.deepEqual(got.bytes, PNG);
  });

  test(`${label}: a document the user sent arrives by getUpdates and downloads byte for byte (getFileLink, downloadFile, getFileStream)`, async () => {
    const botId = freshBotId();
    const bot = botFor(botId);
    const user = new MockUser(BALE_URL, botId, freshUserId());
    // Binary content (every byte value, then random ones) so that nothing may be re-encoded.
    const bytes = Buffer.concat([Buffer.from([...Array(256).keys()]), crypto.randomBytes(4096)]);
    const sent = await user.sendDocument(bytes, {
      fileName: 'report.bin',
      mimeType: 'application/octet-stream',
      caption: 'my report',
    });

    const updates = await bot.getUpdates({ timeout: 0 });
    assert.equal(updates.length, 1, JSON.stringify(updates));
    assert.equal(updates[0].update_id, sent.update_id);
    const { document, caption } = updates[0].message;
    assert.equal(caption, 'my report');
    assert.equal(document.file_name, 'report.bin');
    assert.equal(document.mime_type, 'application/octet-stream');
    assert.equal(document.file_size, bytes.length);
    assert.match(document.file_id, /^BQAC/, "a document's file_id, Telegram-style");
    assert.equal(document.file_id, sent.message.document.file_id);
    // Confirm the update, as a bot does: nothing is left.
    assert.deepEqual(await bot.getUpdates({ offset: updates[0].update_id + 1, timeout: 0 }), []);

    const file = await bot.getFile(document.file_id);
    assert.equal(file.file_id, document.file_id);
    assert.equal(file.file_size, bytes.length);
    assert.match(file.file_path, /^documents\/file_\d+\.bin$/);

    // getFileLink: ntba's own URL, on the custom baseApiUrl.
    const link = await bot.getFileLink(document.file_id);
    assert.equal(link, `${BALE_URL}/file/bot${tokenFor(botId)}/${file.file_path}`);
    const got = await download(link);
    assert.equal(got.status, 200);
    assert.equal(got.contentType, 'application/octet-stream');
    assert.deepEqual(got.bytes, bytes);

    // downloadFile: written to <dir>/<the URL's last segment>.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntba-download-'));
    try {
      const written = await bot.downloadFile(document.file_id, dir);
      assert.equal(written, path.join(dir, path.basename(file.file_path)));
      assert.deepEqual(fs.readFileSync(written), bytes);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // getFileStream: its 'info' event names the URL.
    const stream = bot.getFileStream(document.file_id);
    const info = new Promise((resolve) => stream.once('info', resolve));
    assert.deepEqual(await drain(stream), bytes);
    assert.deepEqual(await info, { uri: link });

    // Bale's SDKs download by file_id instead of file_path: the mock serves that URL too.
    const byId = await download(`${BALE_URL}/file/bot${tokenFor(botId)}/${document.file_id}`);
    assert.equal(byId.status, 200);
    assert.deepEqual(byId.bytes, bytes);
  });

  test(`${label}: another bot's file_id: getFile refuses it, so downloadFile rejects before downloading`, async () => {
    const owner = freshBotId();
    const user = new MockUser(BALE_URL, owner, freshUserId());
    const { message } = await user.sendDocument(Buffer.from('secret'), { fileName: 'a.txt' });
    // The owner reads its update (the mock ties a bot's token to it on its first request).
    const [update] = await botFor(owner).getUpdates({ timeout: 0 });
    assert.equal(update.message.document.file_id, message.document.file_id);
    assert.equal(update.message.document.mime_type, 'text/plain', "from the name's extension");
    const other = botFor(freshBotId());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ntba-download-'));
    try {
      await assertTelegramError(
        other.downloadFile(message.document.file_id, dir),
        400,
        'Bad Request: wrong file_id or the file is temporarily unavailable',
      );
      assert.deepEqual(fs.readdirSync(dir), [], 'nothing was written');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    // A download URL with the wrong bot's token is a 404 (which getFileStream, unlike
    // getFile, would not notice: it streams whatever the server answers).
    const owned = await fetch(`${BALE_URL}/file/bot${tokenFor(owner)}/${message.document.file_id}`);
    assert.equal(owned.status, 200);
    assert.equal(await owned.text(), 'secret');
    const stolen = await download(`${BALE_URL}/file/bot${other.token}/${message.document.file_id}`);
    assert.equal(stolen.status, 404);
  });

  test(`${label}: banChatMember then unbanChatMember in a supergroup the bot administers; getChatMember shows kicked, then left`, async () => {
    const botId = freshBotId();
    const bot = botFor(botId);
    const owner = freshUserId();
    const member = freshUserId();
    const chat = await createChat(BALE_URL, {
      type: 'supergroup',
      title: 'ntba bans',
      members: [{ user: owner, status: 'creator' }, { user: member }],
      bots: [{ bot: botId, status: 'administrator' }],
    });
    assert.equal(chat.type, 'supergroup');
    assert.ok(chat.id < 0, `a supergroup's id is negative: ${chat.id}`);

    assert.equal((await bot.getChatMember(chat.id, member)).status, 'member');
    const me = await bot.getChatMember(chat.id, botId);
    assert.equal(me.status, 'administrator');
    assert.equal(me.can_restrict_members, true);

    assert.equal(await bot.banChatMember(chat.id, member), true);
    const banned = await bot.getChatMember(chat.id, member);
    assert.equal(banned.status, 'kicked');
    assert.equal(banned.user.id, member);
    assert.equal(banned.until_date, 0, 'banned for ever');

    assert.equal(await bot.unbanChatMember(chat.id, member), true);
    const unbanned = await bot.getChatMember(chat.id, member);
    assert.equal(unbanned.status, 'left', 'an unbanned user is not back in the chat');
    assert.equal(unbanned.user.id, member);

    // The owner cannot be banned.
    await assertTelegramError(bot.banChatMember(chat.id, owner), 400, "Bad Request: can't remove chat owner");
    assert.equal((await bot.getChatMember(chat.id, owner)).status, 'creator');
  });

  test(`${label}: pinChatMessage, then getChat shows the pinned_message`, async () => {
    const botId = freshBotId();
    const bot = botFor(botId);
    const chat = await createChat(BALE_URL, {
      type: 'supergroup',
      title: 'ntba pins',
      members: [{ user: freshUserId(), status: 'creator' }],
      bots: [{ bot: botId, status: 'administrator' }],
    });
    const first = await bot.sendMessage(chat.id, 'pin me');
    const second = await bot.sendMessage(chat.id, 'not me');
    assert.equal((await bot.getChat(chat.id)).pinned_message, undefined, 'nothing is pinned yet');

    assert.equal(await bot.pinChatMessage(chat.id, first.message_id, { disable_notification: true }), true);
    const got = await bot.getChat(chat.id);
    assert.equal(got.id, chat.id);
    assert.equal(got.title, 'ntba pins');
    assert.ok(got.pinned_message, `getChat: ${JSON.stringify(got)}`);
    assert.equal(got.pinned_message.message_id, first.message_id);
    assert.equal(got.pinned_message.text, 'pin me');
    assert.notEqual(got.pinned_message.message_id, second.message_id);

    // A message the chat does not have cannot be pinned.
    await assertTelegramError(
      bot.pinChatMessage(chat.id, second.message_id + 100),
      400,
      'Bad Request: message to pin not found',
    );
  });

  test(`${label}: a member bot without rights cannot pin or ban`, async () => {
    const botId = freshBotId();
    const bot = botFor(botId);
    const member = freshUserId();
    const chat = await createChat(BALE_URL, {
      type: 'supergroup',
      title: 'ntba no rights',
      members: [{ user: freshUserId(), status: 'creator' }, { user: member }],
      bots: [{ bot: botId, status: 'member' }],
    });
    const sent = await bot.sendMessage(chat.id, 'hello');
    await assertTelegramError(
      bot.pinChatMessage(chat.id, sent.message_id),
      400,
      'Bad Request: not enough rights to manage pinned messages in the chat',
    );
    await assertTelegramError(
      bot.banChatMember(chat.id, member),
      400,
      'Bad Request: not enough rights to restrict/unrestrict chat member',
    );
    assert.equal((await bot.getChatMember(chat.id, member)).status, 'member');
  });
}
