// The live journal: every Bot API request as it is answered, newest first, filtered by bot,
// method and status; a row opens the full entry.

import { get } from './api.js';

const KEEP = 1000; // entries the page holds; older ones leave the table

const entries = [];
const listeners = [];
let skipped = 0;

const $ = (id) => document.getElementById(id);

/** Called with each new entry (the other views refresh on their bot's requests). */
export function onEntry(listener) {
  listeners.push(listener);
}

export async function start() {
  for (const id of ['filter-bot', 'filter-method', 'filter-status']) {
    $(id).addEventListener('input', render);
  }
  $('journal-filter').addEventListener('submit', (event) => event.preventDefault());
  $('journal-clear').addEventListener('click', () => {
    entries.length = 0;
    skipped = 0;
    render();
  });
  $('entry-close').addEventListener('click', () => $('entry-dialog').close());
  // What was journaled before the page opened.
  try {
    const answer = await get('/journal?limit=200');
    for (const entry of answer.entries) add(entry, false);
    // Live entries may have come first: the table is in journal order.
    entries.sort((a, b) => a.seq - b.seq);
    render();
  } catch {
    // The status line already says why (no token, refused).
  }
}

let pending = [];

/** A new entry from the stream. Rows are drawn once a frame, so a busy bot cannot flood the page. */
export function add(entry, draw = true) {
  if (entries.some((e) => e.seq === entry.seq)) return;
  entries.push(entry);
  if (entries.length > KEEP) entries.shift();
  if (!draw) return;
  pending.push(entry);
  // A hidden tab draws no frames: what waits for one is bounded too.
  if (pending.length > KEEP) pending.shift();
  if (pending.length === 1) requestAnimationFrame(flush);
}

function flush() {
  const drawn = pending;
  pending = [];
  const rows = document.createDocumentFragment();
  for (const entry of drawn.slice(-KEEP).reverse()) {
    if (matches(entry)) rows.append(rowOf(entry));
  }
  $('journal-rows').prepend(rows);
  trim();
  $('journal-count').textContent = count();
  for (const entry of drawn) listeners.forEach((listener) => listener(entry));
}

export function lagged(n) {
  skipped += n;
  $('journal-count').textContent = count();
}

function count() {
  const lost = skipped ? `, ${skipped} more not streamed (see /__mock/journal)` : '';
  return `${entries.length} request${entries.length === 1 ? '' : 's'}${lost}`;
}

function trim() {
  const rows = $('journal-rows');
  while (rows.children.length > KEEP) rows.lastElementChild.remove();
}

function statusClass(status) {
  if (status === null || status === undefined) return 'none';
  return status < 400 ? 'ok' : 'error';
}

function matches(entry) {
  const bot = $('filter-bot').value.trim();
  const method = $('filter-method').value.trim().toLowerCase();
  const status = $('filter-status').value;
  if (bot && String(entry.bot_id ?? '') !== bot) return false;
  if (method && !entry.method.toLowerCase().includes(method)) return false;
  if (status && statusClass(entry.status) !== status) return false;
  return true;
}

function render() {
  const rows = entries.filter(matches).reverse().map(rowOf);
  $('journal-rows').replaceChildren(...rows);
  $('journal-count').textContent = count();
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  // A cut cell shows the whole text on hover; the row's details show it too.
  if (className === 'params' || className === 'clip') td.title = text;
  return td;
}

function time(ms) {
  const s = ms / 1000;
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return `${pad(h)}:${pad(m)}:${(s % 60).toFixed(3).padStart(6, '0')}`;
}

function paramsText(params) {
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
}

function rowOf(entry) {
  const tr = document.createElement('tr');
  tr.className = `status-${statusClass(entry.status)}`;
  const open = document.createElement('button');
  open.type = 'button';
  open.className = 'link';
  open.textContent = time(entry.at_ms);
  open.setAttribute('aria-label', `request ${entry.seq}: ${entry.method || 'no method'}, details`);
  open.addEventListener('click', () => show(entry));
  const first = document.createElement('td');
  first.append(open);
  tr.append(
    first,
    cell(entry.bot_id ?? '—'),
    cell(entry.method || '—', 'method'),
    cell(paramsText(entry.params), 'params'),
    cell(entry.status ?? 'none', 'status'),
    cell(entry.description ?? '', 'clip'),
    cell(entry.fault ? `fault: ${entry.fault}` : entry.rule ?? '', 'clip'),
    cell(`${(entry.latency_us / 1000).toFixed(1)} ms`, 'num'),
  );
  tr.addEventListener('click', (event) => {
    if (event.target === tr || event.target.tagName === 'TD') show(entry);
  });
  return tr;
}

function show(entry) {
  $('entry-title').textContent = `Request ${entry.seq}: ${entry.http_method} ${entry.method || '(no method)'}`;
  const answer = {
    status: entry.status,
    description: entry.description,
    rule: entry.rule,
    fault: entry.fault,
    latency_ms: entry.latency_us / 1000,
  };
  const request = {
    seq: entry.seq,
    at_ms: entry.at_ms,
    bot_id: entry.bot_id,
    http_method: entry.http_method,
    method: entry.method,
    params: entry.params,
  };
  $('entry-request').textContent = JSON.stringify(request, null, 2);
  $('entry-answer').textContent = JSON.stringify(answer, null, 2);
  $('entry-dialog').showModal();
}
