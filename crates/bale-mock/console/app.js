// The console's entry point: the control token, the live journal stream, and the three views.

import { follow, setToken, token } from './api.js';
import * as journal from './journal.js';
import * as bots from './bots.js';
import * as chats from './chats.js';

const $ = (id) => document.getElementById(id);

function status(text) {
  $('status').textContent = text;
}

/** 403 from the control API: the page needs the control token (or another one). */
function askForToken(message) {
  $('token-form').hidden = false;
  status(message);
}

let stop = null;

function connect() {
  if (stop) stop();
  stop = follow({
    onEntry: journal.add,
    onLag: journal.lagged,
    onState: (state) => {
      if (state === 'open') {
        status('Live: new requests appear as they are answered.');
        $('token-form').hidden = !token();
      } else if (state === 'closed') {
        status('Disconnected: reconnecting…');
      } else if (state.status === 403) {
        askForToken(`Refused: ${state.message}`);
      } else {
        status(`Live journal unavailable: ${state.message}; retrying…`);
      }
    },
  });
}

function start() {
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    setToken($('token').value.trim());
    $('token').value = '';
    // Everything is read again with the token.
    location.reload();
  });
  $('token-forget').addEventListener('click', () => {
    setToken('');
    location.reload();
  });
  journal.onEntry((entry) => {
    bots.refreshSoon();
    chats.onEntry(entry);
  });
  chats.start();
  bots.start(chats.choose);
  journal.start();
  connect();
}

start();
