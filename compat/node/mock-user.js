'use strict';
// A small client of bale-mock's "play the user" control API (/__mock/…), with plain fetch.
// The conversation tests use it to talk to a bot as a user would and to read the transcript.
//
//   POST /__mock/bots/<bot>/messages                      a user sends a message
//   POST /__mock/bots/<bot>/callback_queries              a user presses an inline button
//   GET  /__mock/bots/<bot>/callback_queries/<id>         was it answered, and how
//   GET  /__mock/bots/<bot>/chats/<chat>/messages         the transcript (?after, from, wait)
//   POST /__mock/chats                                    a test declares a group chat

const assert = require('node:assert/strict');

class MockUser {
  constructor(baseUrl, botId, userId) {
    this.base = baseUrl.replace(/\/+$/, '');
    this.botId = botId;
    this.userId = userId;
    this.chatId = userId; // the private chat of a user and a bot has the user's id
  }

  // One control request; returns the parsed JSON body (and its status as `_status`).
  async request(method, path, body) {
    const res = await fetch(`${this.base}/__mock/bots/${this.botId}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      assert.fail(`${method} ${path}: not JSON (HTTP ${res.status}): ${text.slice(0, 300)}`);
    }
    return Object.defineProperty(json, '_status', { value: res.status });
  }

  // Like request(), but the answer must be {"ok":true,…}.
  async ok(method, path, body) {
    const json = await this.request(method, path, body);
    assert.equal(json.ok, true, `${method} ${path} -> HTTP ${json._status} ${JSON.stringify(json)}`);
    return json;
  }

  // The user sends `text` to the bot; resolves to {message, update_id}.
  say(text) {
    return this.ok('POST', '/messages', { from: this.userId, text });
  }

  // The user sends a document: `bytes` (a Buffer) as `fileName`, base64 on the wire;
  // resolves to {message, update_id}.
  sendDocument(bytes, { fileName, mimeType, caption } = {}) {
    const document = { content_base64: Buffer.from(bytes).toString('base64') };
    if (fileName !== undefined) document.file_name = fileName;
    if (mimeType !== undefined) document.mime_type = mimeType;
    const body = { from: this.userId, document };
    if (caption !== undefined) body.caption = caption;
    return this.ok('POST', '/messages', body);
  }

  // The user presses the button with `data` under message `messageId`; resolves to the
  // control API's answer (callback_query_id, update_id), whatever its status.
  press(messageId, data) {
    return this.request('POST', '/callback_queries', { from: this.userId, message_id: messageId, data });
  }

  // {callback_query, answered, answer}
  callbackQuery(id) {
    return this.ok('GET', `/callback_queries/${encodeURIComponent(id)}`);
  }

  // The transcript of the user's private chat: [{sender, deleted, message}] in message_id order.
  async transcript({ after, from = 'any', wait } = {}) {
    const q = new URLSearchParams({ from });
    if (after !== undefined) q.set('after', String(after));
    if (wait !== undefined) q.set('wait', String(wait));
    return (await this.ok('GET', `/chats/${this.chatId}/messages?${q}`)).messages;
  }

  // Waits (up to `seconds`) for the bot's next message(s) after message `after`.
  async botReplies(after, seconds = 10) {
    return this.transcript({ after, from: 'bot', wait: seconds });
  }
}

// Declares a chat (`POST /__mock/chats`, see docs/conversations.md); resolves to its Chat.
async function createChat(baseUrl, spec) {
  const res = await fetch(`${baseUrl.replace(/\/+$/, '')}/__mock/chats`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `POST /__mock/chats -> HTTP ${res.status} ${text}`);
  const json = JSON.parse(text);
  assert.equal(json.ok, true, text);
  return json.chat;
}

// Calls `probe` until it returns a truthy value, or fails with `what` after `ms` milliseconds.
async function eventually(what, probe, ms = 10_000) {
  const deadline = Date.now() + ms;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) assert.fail(`timed out after ${ms} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

module.exports = { MockUser, createChat, eventually };
