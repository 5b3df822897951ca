// telegram-test-api for the bale-mock benchmark: `node serve.js` takes a free port (the
// emulator takes port 0 as 9000), prints `listening on http://127.0.0.1:PORT` once it
// accepts connections, like `bale-mock serve`, and stops on SIGTERM.
const TelegramServer = require('telegram-test-api');

const probe = require('net').createServer().listen(0, '127.0.0.1', () => {
  const { port } = probe.address();
  probe.close(() => {
    const server = new TelegramServer({ port, host: '127.0.0.1' });
    server.start().then(() => console.log(`listening on http://127.0.0.1:${port}`));
    process.on('SIGTERM', () => server.stop().finally(() => process.exit(0)));
  });
});
