// Bots: each bot's state as GET /__mock/bots tells it, and what the control API can do to
// them all (reset, load a shipped scenario, move the clock).

import { get, post, call } from './api.js';

const $ = (id) => document.getElementById(id);
let refreshing = null;
let shown = '';
let selectBot = () => {};

/** `onSelect(botId)` is called by a bot's "Chat" button. */
export async function start(onSelect) {
  selectBot = onSelect;
  $('reset').addEventListener('click', () =>
    act(() => post('/reset'), 'Reset: bots, rule state, rate limits and the journal start over.'));
  $('scenario-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const name = $('scenario').value;
    act(() => call('PUT', `/scenario?name=${encodeURIComponent(name)}`), `Scenario ${name} loaded.`);
  });
  $('advance-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const seconds = Number($('advance-seconds').value);
    act(() => post('/clock/advance', { seconds }), `Clock moved ${seconds} s on.`);
  });
  try {
    const scenario = await get('/scenario');
    $('scenario').replaceChildren(
      ...scenario.shipped.map((name) => new Option(name, name, false, name === scenario.name)),
    );
  } catch {
    // Refused: the status line says why.
  }
  refresh();
  setInterval(refresh, 2000);
}

async function act(action, done) {
  try {
    await action();
    $('bots-message').textContent = done;
  } catch (error) {
    $('bots-message').textContent = `Refused: ${error.message}`;
  }
  refresh();
}

/** Refreshes soon (coalescing a burst of journal entries into one read). */
export function refreshSoon() {
  if (!refreshing) refreshing = setTimeout(refresh, 200);
}

function duration(ms) {
  const s = Math.ceil(ms / 1000);
  return s >= 60 ? `${Math.floor(s / 60)} min ${s % 60} s` : `${s} s`;
}

/** What a bot's state reads as: active, logged out with time left, closing, closed. */
export function stateText(bot) {
  if (bot.access !== 'active') return bot.access;
  switch (bot.instance) {
    case 'running':
      return 'active';
    case 'not-launched':
      return 'active (not launched yet)';
    case 'logged-out':
      return bot.left_ms > 0
        ? `logged out, ${duration(bot.left_ms)} left`
        : 'logged out, lock-out over (its next request launches it)';
    case 'closing':
      return bot.left_ms > 0 ? `closing, ${duration(bot.left_ms)} left` : 'closed';
    default:
      return bot.instance;
  }
}

function updatesText(bot) {
  if (bot.webhook) return 'webhook';
  return bot.polling ? 'long poll waiting' : 'no poll waiting';
}

async function refresh() {
  refreshing = null;
  let bots;
  let clock;
  try {
    [bots, clock] = await Promise.all([get('/bots'), get('/clock')]);
  } catch {
    return;
  }
  $('clock').textContent = `${clock.now_seconds.toFixed(1)} s`;
  // Rows are rebuilt only when something changed, so a focused button keeps its focus.
  const signature = JSON.stringify(bots.bots.map((b) => [b.bot_id, stateText(b), updatesText(b), b.pending_updates]));
  document.dispatchEvent(new CustomEvent('bots', { detail: bots.bots }));
  if (signature === shown) return;
  shown = signature;
  const rows = bots.bots
    .sort((a, b) => a.bot_id - b.bot_id)
    .map((bot) => {
      const tr = document.createElement('tr');
      tr.dataset.bot = bot.bot_id;
      const cells = [bot.bot_id, stateText(bot), updatesText(bot), bot.pending_updates];
      for (const text of cells) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      tr.children[1].className = 'state';
      const chat = document.createElement('button');
      chat.type = 'button';
      chat.textContent = 'Chat';
      chat.setAttribute('aria-label', `chat with bot ${bot.bot_id}`);
      chat.addEventListener('click', () => selectBot(bot.bot_id, true));
      const td = document.createElement('td');
      td.append(chat);
      tr.append(td);
      return tr;
    });
  $('bots-rows').replaceChildren(...rows);
  $('bots-empty').hidden = rows.length > 0;
}
