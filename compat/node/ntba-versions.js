'use strict';
// The node-telegram-bot-api versions every node suite runs against, each pinned exactly in
// package.json. Both are loaded side by side in one process (npm alias for the second).
//
// - 0.66.0: the newest 0.x at the time of writing (on @cypress/request).
// - 0.61.0: what the n8n BaleMessenger node really gets: it declares `^0.61.0`, which on a 0.x
//   version means >=0.61.0 <0.62.0, and 0.61.0 is the only 0.61.x ever published
//   (on the deprecated `request` / `request-promise`).

module.exports = [
  { module: 'node-telegram-bot-api', version: '0.66.0' },
  { module: 'ntba-0.61', version: '0.61.0' },
].map((v) => ({ ...v, TelegramBot: require(v.module), label: `ntba ${v.version}` }));
