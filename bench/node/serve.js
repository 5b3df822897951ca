// Starts telegram-test-api (the npm Bot API emulator) for the bale-mock benchmark.
//
//   node bench/node/serve.js PORT
//
// Prints `listening on http://127.0.0.1:PORT` as its first stdout line once it accepts
// connections, like `bale-mock serve`; stops on SIGTERM or SIGINT.
'use strict';

const TelegramServer = require('telegram-test-api');

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0) {
  // The emulator treats port 0 as "use 9000", so the caller picks a free port.
  process.stderr.write('usage: node serve.js PORT (a free port, not 0)\n');
  process.exit(2);
}

const server = new TelegramServer({ port, host: '127.0.0.1' });
server.start().then(
  () => process.stdout.write(`listening on http://127.0.0.1:${port}\n`),
  (error) => {
    process.stderr.write(`telegram-test-api did not start: ${error}\n`);
    process.exit(1);
  },
);

const stop = () => server.stop().then(() => process.exit(0), () => process.exit(1));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
