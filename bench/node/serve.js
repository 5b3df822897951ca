// Starts telegram-test-api (the npm Bot API emulator) for the bale-mock benchmark:
// `node serve.js PORT` (a free port: the emulator takes 0 as 9000). Prints
// `listening on http://127.0.0.1:PORT` once it accepts connections; stops on SIGTERM.
'use strict';
const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2]);
const server = new TelegramServer({ port, host: '127.0.0.1' });
server.start().then(() => console.log(`listening on http://127.0.0.1:${port}`), (error) => {
  console.error(`telegram-test-api did not start: ${error}`);
  process.exit(1);
});
process.on('SIGTERM', () => server.stop().finally(() => process.exit(0)));
