// Calls to the control API, from the page's own origin. With a control token set on the
// server, the user pastes it once; it stays in this tab's sessionStorage and goes out as
// `Authorization: Bearer`, never in a URL.

const TOKEN_KEY = 'bale-mock-control-token';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

function headers(json) {
  const h = {};
  if (json) h['Content-Type'] = 'application/json';
  const t = token();
  if (t) h.Authorization = `Bearer ${t}`;
  return h;
}

/** An error from the control API, with its status (403: the token is missing or wrong). */
export class ControlError extends Error {
  constructor(status, description) {
    super(description || `HTTP ${status}`);
    this.status = status;
  }
}

/** `method path` with an optional JSON body; the parsed answer, or a ControlError. */
export async function call(method, path, body) {
  const response = await fetch(`/__mock${path}`, {
    method,
    headers: headers(body !== undefined),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  let answer;
  try {
    answer = await response.json();
  } catch {
    throw new ControlError(response.status, 'the answer is not JSON');
  }
  if (!response.ok || answer.ok === false) {
    throw new ControlError(response.status, answer.description);
  }
  return answer;
}

export const get = (path) => call('GET', path);

/** The bytes at `path` (a file the bot has) as a Blob of `type`, or a ControlError. */
export async function blob(path, type) {
  const response = await fetch(`/__mock${path}`, { headers: headers(false) });
  if (!response.ok) throw new ControlError(response.status, 'the file is not available');
  return new Blob([await response.arrayBuffer()], { type });
}
export const post = (path, body = {}) => call('POST', path, body);

/**
 * Reads `GET /__mock/journal/events` with fetch (EventSource cannot send a token) and calls
 * `onEntry` for each journal entry, `onLag` for skipped ones; reconnects after a drop.
 * `onState` hears 'open', 'closed' or a ControlError.
 */
export function follow({ onEntry, onLag, onState }) {
  let stopped = false;
  let controller;
  async function run() {
    while (!stopped) {
      controller = new AbortController();
      try {
        const response = await fetch('/__mock/journal/events', {
          headers: headers(false),
          signal: controller.signal,
        });
        if (!response.ok) {
          const answer = await response.json().catch(() => ({}));
          throw new ControlError(response.status, answer.description);
        }
        onState('open');
        await readEvents(response.body, (event, data) => {
          if (event === 'lagged') onLag(JSON.parse(data).skipped);
          else onEntry(JSON.parse(data));
        });
        onState('closed');
      } catch (error) {
        if (stopped) return;
        onState(error instanceof ControlError ? error : 'closed');
        if (error instanceof ControlError && error.status === 403) return;
      }
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
  run();
  return () => {
    stopped = true;
    if (controller) controller.abort();
  };
}

/** Splits a text/event-stream body into events: `(event name, data)`; comments are skipped. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let event = 'message';
      const data = [];
      for (const line of block.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) onEvent(event, data.join('\n'));
    }
  }
}
