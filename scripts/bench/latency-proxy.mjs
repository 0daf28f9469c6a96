// scripts/bench/latency-proxy.mjs - a TCP proxy that adds a fixed one-way latency.
//
// This kernel has no `tc netem`, so the benchmark emulates a distant droplet in user space:
// the proxy listens on 127.0.0.1:<port> and forwards every connection to <host>:<port>,
// delaying every chunk in BOTH directions by the one-way latency. Each direction has its own
// timer queue: chunks leave in the order they came, each `delayMs` after it arrived (a chunk
// never overtakes an earlier one). A half-close (FIN) travels through the same queue, after the
// data that preceded it.
//
// The TCP handshake costs a round trip on a real link before the client can send anything; here
// the client's connect to 127.0.0.1 completes at once. To keep that round trip in the picture,
// the upstream connection is opened one one-way latency after the client connected, so the
// server's first bytes (the SSH banner) reach the client one full round trip after its connect,
// as they would across the real link.
//
// With delayMs = 0 the proxy forwards at once (no timers): the baseline for the latency slope.
//
// Use as a module: `const proxy = await startLatencyProxy({ target, targetPort, delayMs })`,
// then `proxy.port`, `await proxy.close()`. Or from the shell, for poking at it by hand:
//   node scripts/bench/latency-proxy.mjs <target-host> <target-port> <one-way-delay-ms> [listen-port]
// prints the port it listens on and runs until killed.
/* global console, process, performance, setTimeout, clearTimeout */ // Node globals, for ESLint
import net from 'node:net';
import { pathToFileURL } from 'node:url';

const LISTEN_ADDRESS = '127.0.0.1';

/** Queue items besides data chunks: open the upstream connection; end (FIN) the sink. */
const CONNECT = Symbol('connect');
const END = Symbol('end');

/**
 * A FIFO for one direction: each item is handed to `deliver` `delayMs` after it was queued.
 * One timer at a time, armed for the head of the queue, so order is always preserved.
 */
class DelayQueue {
  constructor(deliver, delayMs) {
    this.deliver = deliver;
    this.delayMs = delayMs;
    this.items = []; // { due, item }
    this.timer = null;
  }

  push(item) {
    if (this.delayMs === 0) return this.deliver(item);
    this.items.push({ due: performance.now() + this.delayMs, item });
    if (!this.timer) this.arm();
  }

  arm() {
    const wait = Math.max(0, this.items[0].due - performance.now());
    this.timer = setTimeout(() => this.flush(), wait);
  }

  flush() {
    this.timer = null;
    const now = performance.now();
    // setTimeout may fire a fraction of a millisecond early: release what is due within that.
    while (this.items.length > 0 && this.items[0].due <= now + 0.5) {
      this.deliver(this.items.shift().item);
    }
    if (this.items.length > 0) this.arm();
  }

  clear() {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.items = [];
  }
}

/** Hands queue items to `socket`: chunks are written, END ends it, CONNECT runs `connect`. */
function socketSink(socket, connect = () => {}) {
  return (item) => {
    if (socket.destroyed) return;
    if (item === CONNECT) connect();
    else if (item === END) socket.end();
    else socket.write(item);
  };
}

/** Connects one accepted client to the target through two delay queues. */
function relay(client, { target, targetPort, delayMs }) {
  client.setNoDelay(true);
  const upstream = new net.Socket({ allowHalfOpen: true });
  upstream.setNoDelay(true);
  // The upstream connect is the first item of the client-to-server queue: it happens one
  // one-way latency after the accept (the emulated handshake), and always before the client's
  // first bytes are written (Node buffers writes made while the socket is connecting).
  const toServer = new DelayQueue(
    socketSink(upstream, () => upstream.connect(targetPort, target)),
    delayMs,
  );
  const toClient = new DelayQueue(socketSink(client), delayMs);
  toServer.push(CONNECT);

  const teardown = () => {
    toServer.clear();
    toClient.clear();
    client.destroy();
    upstream.destroy();
  };
  client.on('data', (chunk) => toServer.push(chunk));
  client.on('end', () => toServer.push(END));
  upstream.on('data', (chunk) => toClient.push(chunk));
  upstream.on('end', () => toClient.push(END));
  client.on('error', teardown);
  upstream.on('error', teardown);
  // A socket that closed without an error after both of its directions ended needs nothing;
  // one that closed abruptly takes the other side with it.
  client.on('close', (hadError) => hadError && teardown());
  upstream.on('close', (hadError) => hadError && teardown());
}

/**
 * Starts a proxy on 127.0.0.1 (`listenPort` 0 picks a free port) to `target`:`targetPort`.
 * Resolves with `{ port, close }` once it listens.
 */
export function startLatencyProxy({ target, targetPort, delayMs, listenPort = 0 }) {
  const sockets = new Set();
  // allowHalfOpen: a FIN from one side must wait in its queue behind the data sent before it.
  const server = net.createServer({ allowHalfOpen: true }, (client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    relay(client, { target, targetPort, delayMs });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(listenPort, LISTEN_ADDRESS, () => {
      resolve({
        port: server.address().port,
        delayMs,
        close: () =>
          new Promise((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

async function main(argv) {
  const [target, targetPort, delayMs, listenPort = '0'] = argv;
  if (!target || !/^\d+$/.test(targetPort ?? '') || !/^\d+(\.\d+)?$/.test(delayMs ?? '')) {
    console.error(
      'usage: latency-proxy.mjs <target-host> <target-port> <one-way-delay-ms> [listen-port]',
    );
    process.exit(2);
  }
  const proxy = await startLatencyProxy({
    target,
    targetPort: Number(targetPort),
    delayMs: Number(delayMs),
    listenPort: Number(listenPort),
  });
  console.log(proxy.port);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await main(process.argv.slice(2));
