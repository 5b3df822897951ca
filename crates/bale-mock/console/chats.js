// Chats: one of a bot's chats as a Bale client shows it — text, replies, edits, deletions,
// photos and documents, inline keyboards — and a box to write as the user. The user's
// messages and button presses go through the play-the-user control API; the bot's replies
// appear when the journal shows the bot sending them.

import { blob, get, post } from './api.js';

const $ = (id) => document.getElementById(id);
let bot = null;
let chat = null;
let replyTo = null;
let refreshing = null;
let stick = true;

export function start() {
  $('chat-bot').addEventListener('change', () => choose(Number($('chat-bot').value) || null));
  $('chat-chat').addEventListener('change', () => {
    chat = Number($('chat-chat').value) || null;
    if (chat > 0) $('chat-user').value = chat;
    refresh();
  });
  $('chat-user').addEventListener('change', () => {
    const user = Number($('chat-user').value);
    if (!chat || chat > 0) chat = user || null;
    refresh();
  });
  $('compose').addEventListener('submit', (event) => {
    event.preventDefault();
    send();
  });
  $('reply-cancel').addEventListener('click', () => setReply(null));
  // The newest message stays in view unless the reader scrolled up, also when the list
  // shrinks or grows with the page.
  const list = $('messages');
  list.addEventListener('scroll', () => {
    stick = list.scrollTop + list.clientHeight >= list.scrollHeight - 4;
  });
  new ResizeObserver(() => {
    if (stick) list.scrollTop = list.scrollHeight;
  }).observe(list);
  document.addEventListener('bots', (event) => listBots(event.detail));
}

/** Shows the chats of `id`; `focus` (a bot's "Chat" button) moves to the message box. */
export async function choose(id, focus = false) {
  bot = id;
  $('chat-bot').value = id ?? '';
  await listChats();
  refresh();
  if (focus) $('compose-text').focus();
}

/** A journal entry: the chat is read again when it is the bot's. */
export function onEntry(entry) {
  if (entry.bot_id === bot && !refreshing) {
    refreshing = setTimeout(() => {
      refreshing = null;
      listChats();
      refresh();
    }, 100);
  }
}

function listBots(bots) {
  const picker = $('chat-bot');
  const ids = bots.map((b) => String(b.bot_id));
  const shown = [...picker.options].map((o) => o.value).filter((v) => v);
  if (ids.join() === shown.join()) return;
  picker.replaceChildren(new Option('choose a bot', ''), ...ids.map((id) => new Option(id, id)));
  picker.value = bot ?? '';
  if (bot === null && ids.length) choose(Number(ids[0]));
}

function chatName(summary) {
  const c = summary.chat;
  if (!c) return `chat ${summary.id}`;
  if (c.type === 'private') return `${c.first_name || 'user'} (${summary.id}), private`;
  return `${c.title || c.type} (${summary.id})`;
}

async function listChats() {
  if (bot === null) return;
  let answer;
  try {
    answer = await get(`/bots/${bot}/chats`);
  } catch {
    answer = { chats: [] };
  }
  const user = Number($('chat-user').value);
  const options = answer.chats.map((c) => new Option(chatName(c), c.id));
  if (!answer.chats.some((c) => c.id === user)) {
    options.unshift(new Option(`new private chat of user ${user}`, user));
  }
  $('chat-chat').replaceChildren(...options);
  if (chat === null) chat = user;
  $('chat-chat').value = chat;
}

async function refresh() {
  const list = $('messages');
  if (bot === null || !chat) {
    list.replaceChildren();
    return;
  }
  let answer;
  try {
    answer = await get(`/bots/${bot}/chats/${chat}/messages`);
  } catch (error) {
    $('chat-message').textContent = error.message;
    return;
  }
  list.replaceChildren(...answer.messages.map(bubble));
  if (stick) list.scrollTop = list.scrollHeight;
}

function text(tag, content, className) {
  const node = document.createElement(tag);
  node.textContent = content;
  if (className) node.className = className;
  return node;
}

function time(unix) {
  return new Date(unix * 1000).toISOString().slice(11, 16);
}

// Object URLs of the files shown, by file_id; the oldest are let go past the cap, so a long
// session does not keep every file in memory.
const FILES_KEPT = 100;
const fileUrls = new Map();

/** An object URL of the bot's file, fetched once (the transcript is drawn again often). */
function fileUrl(fileId, type) {
  if (!fileUrls.has(fileId)) {
    const url = blob(`/bots/${bot}/files/${encodeURIComponent(fileId)}`, type).then((b) =>
      URL.createObjectURL(b),
    );
    url.catch(() => fileUrls.delete(fileId));
    fileUrls.set(fileId, url);
    if (fileUrls.size > FILES_KEPT) {
      const [oldest, gone] = fileUrls.entries().next().value;
      fileUrls.delete(oldest);
      gone.then(URL.revokeObjectURL, () => {});
    }
  }
  return fileUrls.get(fileId);
}

/** A photo as the image itself, its room kept from the start (so the list does not grow
 * under the reader when the bytes arrive); its size in words if they never do. */
function photo(size) {
  const figure = document.createElement('p');
  const img = document.createElement('img');
  img.alt = `photo ${size.width}×${size.height}`;
  img.className = 'photo';
  img.width = size.width;
  img.height = size.height;
  figure.append(img);
  fileUrl(size.file_id, 'image/jpeg').then(
    (url) => {
      img.src = url;
    },
    () => figure.replaceChildren(text('span', `[photo ${size.width}×${size.height}]`, 'media')),
  );
  return figure;
}

/** A document as a link that saves it under its name. */
function documentLink(doc) {
  const bytes = doc.file_size ? `, ${doc.file_size} bytes` : '';
  const line = text('p', '', 'media');
  const link = text('a', `${doc.file_name || 'document'}${bytes}`);
  link.href = '#';
  link.download = doc.file_name || 'document';
  link.addEventListener('click', async (event) => {
    if (link.dataset.ready) return;
    event.preventDefault();
    try {
      link.href = await fileUrl(doc.file_id, doc.mime_type || 'application/octet-stream');
      link.dataset.ready = '1';
      link.click();
    } catch (error) {
      $('chat-message').textContent = error.message;
    }
  });
  line.append('[document ', link, ']');
  return line;
}

/** One message as a bubble: the bot's on the left, the user's on the right. */
function bubble(stored) {
  const m = stored.message;
  const li = document.createElement('li');
  li.className = `bubble from-${stored.sender}${stored.deleted ? ' deleted' : ''}`;
  li.dataset.id = m.message_id;
  const who = stored.sender === 'bot' ? 'bot' : m.from?.first_name || 'user';
  li.append(text('span', who, 'who'));
  if (m.reply_to_message) {
    const quoted = m.reply_to_message.text || m.reply_to_message.caption || 'a message';
    li.append(text('blockquote', quoted));
  }
  if (m.photo) li.append(photo(m.photo[m.photo.length - 1]));
  if (m.document) li.append(documentLink(m.document));
  const body = m.text ?? m.caption;
  if (body) li.append(text('p', body, 'text'));
  else if (!m.photo && !m.document) li.append(text('p', '[a message of another kind]', 'media'));
  const meta = [time(m.date)];
  if (m.edit_date) meta.push('edited');
  if (stored.deleted) meta.push('deleted');
  li.append(text('span', meta.join(' · '), 'meta'));
  const keyboard = m.reply_markup?.inline_keyboard;
  if (keyboard && !stored.deleted) li.append(keys(m, keyboard));
  if (!stored.deleted) {
    const reply = text('button', 'Reply', 'link reply');
    reply.type = 'button';
    reply.setAttribute('aria-label', `reply to message ${m.message_id}`);
    reply.addEventListener('click', () => setReply(m));
    li.append(reply);
  }
  return li;
}

function keys(message, keyboard) {
  const grid = document.createElement('div');
  grid.className = 'keyboard';
  grid.setAttribute('role', 'group');
  grid.setAttribute('aria-label', 'inline keyboard');
  for (const row of keyboard) {
    const line = document.createElement('div');
    for (const key of row) {
      const button = text('button', key.text);
      button.type = 'button';
      if (key.callback_data !== undefined) {
        button.addEventListener('click', () => press(message, key.callback_data));
      } else {
        button.disabled = true;
        button.title = key.url ? `opens ${key.url}` : 'not a callback button';
      }
      line.append(button);
    }
    grid.append(line);
  }
  return grid;
}

function setReply(message) {
  replyTo = message ? message.message_id : null;
  $('reply-note').hidden = !message;
  $('reply-text').textContent = message ? `Replying to: ${message.text || message.caption || 'a message'}` : '';
  $('compose-text').focus();
}

async function press(message, data) {
  const user = Number($('chat-user').value);
  try {
    await post(`/bots/${bot}/callback_queries`, {
      from: user,
      chat: message.chat.id,
      message_id: message.message_id,
      data,
    });
    $('chat-message').textContent = `Pressed “${data}”.`;
  } catch (error) {
    $('chat-message').textContent = `Refused: ${error.message}`;
  }
}

async function send() {
  const input = $('compose-text');
  const user = Number($('chat-user').value);
  if (bot === null || !input.value || !user) {
    $('chat-message').textContent = 'Choose a bot and a user id, then write something.';
    return;
  }
  const message = { from: user, text: input.value };
  if (chat < 0) message.chat = chat;
  if (replyTo) message.reply_to_message_id = replyTo;
  try {
    const written = await post(`/bots/${bot}/messages`, message);
    chat = written.message.chat.id;
    input.value = '';
    setReply(null);
    $('chat-message').textContent = written.update_id === null
      ? 'Sent, but the bot does not receive it (privacy mode, allowed_updates or a full queue).'
      : 'Sent.';
  } catch (error) {
    $('chat-message').textContent = `Refused: ${error.message}`;
  }
  await listChats();
  refresh();
}
