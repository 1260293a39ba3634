import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';

// `npm test` builds dist/ first (the pretest script): this is the hub as operators run it.
const main = path.resolve(__dirname, '../../dist/main.js');

type LogLine = Record<string, unknown> & { event: string };

interface ChildHub {
  readonly child: ChildProcess;
  readonly lines: LogLine[];
  /** The first log line with this message; rejects if the process ends first. */
  waitFor(event: string): Promise<LogLine>;
  readonly exited: Promise<number | null>;
  /** Settles once the process exited and its stdout was read to the end. */
  readonly closed: Promise<void>;
}

function startHub(root: string, dataDir: string, more: Record<string, string> = {}): ChildHub {
  const env = {
    ...process.env,
    NODE_OPTIONS: '',
    DATABASE_URL: '',
    HUB_DATA_DIR: dataDir,
    HUB_SEED: 'none',
    HOST: '127.0.0.1',
    PORT: '0',
    HUB_DEV_SECRET_FILE: path.join(root, 'dev-jwt-secret'),
    HUB_LOG_LEVEL: 'info',
    // Long enough that a loaded machine never cuts the request under test.
    HUB_SHUTDOWN_GRACE_MS: '30000',
    ...more,
  };
  const child = spawn(process.execPath, [main, 'serve'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: LogLine[] = [];
  const waiting: { event: string; resolve: (line: LogLine) => void }[] = [];
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, newline)) as LogLine;
      buffer = buffer.slice(newline + 1);
      lines.push(line);
      for (const waiter of waiting.filter((w) => w.event === line.event)) waiter.resolve(line);
    }
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  return {
    child,
    lines,
    exited,
    closed,
    waitFor(event) {
      const seen = lines.find((line) => line.event === event);
      if (seen) return Promise.resolve(seen);
      return Promise.race([
        new Promise<LogLine>((resolve) => waiting.push({ event, resolve })),
        exited.then((code) => Promise.reject(new Error(`the hub exited (${code}) before logging ${event}: ${stderr}`))),
      ]);
    },
  };
}

function portOf(ready: LogLine): number {
  return Number(new URL(String(ready.url)).port);
}

/** Whether a TCP connection to the port is refused (true) or accepted (false). */
function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

describe('graceful shutdown of the built hub', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'hub-stop-'));
  const dataDir = path.join(root, 'pglite');
  const started: ChildHub[] = [];
  afterAll(async () => {
    for (const hub of started) if (hub.child.exitCode === null) hub.child.kill('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('on SIGTERM refuses new connections, finishes the request in flight, closes subscriptions and the database, and exits 0', async () => {
    const hub = startHub(root, dataDir);
    started.push(hub);
    const port = portOf(await hub.waitFor('server.ready'));

    // A subscription socket, acknowledged: it must be closed as "going away".
    const socket = new WebSocket(`ws://127.0.0.1:${port}/graphql`, 'graphql-transport-ws');
    const acknowledged = new Promise<void>((resolve) => socket.on('message', (data) => JSON.parse(String(data)).type === 'connection_ack' && resolve()));
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
    await acknowledged;
    const socketClosed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));

    // A request whose body arrives slowly. With "Expect: 100-continue" Node answers
    // "100 Continue" in the same tick as it hands the request to the app, so once the client
    // sees it, the request is in flight on the server: no guessing with sleeps.
    const body = JSON.stringify({ query: 'query DistrictCount { districts { totalCount } }' });
    const request = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/graphql', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue', 'x-request-id': 'in-flight-1' } });
    const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
      request.on('response', (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
      });
      request.on('error', reject);
    });
    await new Promise<void>((resolve) => request.once('continue', resolve));
    request.write(body.slice(0, 10));

    hub.child.kill('SIGTERM');
    await hub.waitFor('server.stopping');
    // The listener closes a tick after the signal is handled; allow a loaded machine up to 5 s.
    let refusedNow = false;
    for (let attempt = 0; attempt < 50 && !refusedNow; attempt += 1) {
      refusedNow = await refused(port);
      if (!refusedNow) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(refusedNow).toBe(true);
    expect(hub.child.exitCode).toBeNull();
    expect(hub.lines.some((line) => line.event === 'server.stopped')).toBe(false);

    request.end(body.slice(10));
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual({ data: { districts: { totalCount: 0 } } });
    expect(await socketClosed).toBe(1001);

    expect(await hub.exited).toBe(0);
    expect(hub.lines.find((line) => line.event === 'http.request' && line.requestId === 'in-flight-1')).toMatchObject({ status: 200, operation: 'DistrictCount' });
    expect(hub.lines.find((line) => line.event === 'server.stopped')).toMatchObject({ signal: 'SIGTERM' });
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
  }, 180_000);

  it('writes every request line before it exits, though it writes its log in the background', async () => {
    const hub = startHub(root, dataDir, { HUB_RATE_LIMIT_PER_MINUTE: '0' });
    started.push(hub);
    const port = portOf(await hub.waitFor('server.ready'));
    const ids = Array.from({ length: 300 }, (_, i) => `burst-${i}`);
    const statuses = await Promise.all(
      ids.map((id) =>
        fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': id }, body: JSON.stringify({ query: '{ __typename }' }) }).then((r) => r.status),
      ),
    );
    expect(statuses.every((status) => status === 200)).toBe(true);
    // At once: lines still waiting for the background write must be flushed on the way out.
    hub.child.kill('SIGTERM');
    expect(await hub.exited).toBe(0);
    await hub.closed;
    const logged = new Set(hub.lines.filter((line) => line.event === 'http.request').map((line) => line.requestId));
    expect(ids.filter((id) => !logged.has(id))).toEqual([]);
    expect(hub.lines.at(-1)).toMatchObject({ event: 'server.stopped', signal: 'SIGTERM' });
  }, 180_000);

  it('leaves the data folder free: a new hub opens it at once and is ready', async () => {
    const hub = startHub(root, dataDir);
    started.push(hub);
    const port = portOf(await hub.waitFor('server.ready'));
    const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
    expect(ready.status).toBe(200);
    hub.child.kill('SIGINT');
    expect(await hub.exited).toBe(0);
    expect(hub.lines.find((line) => line.event === 'server.stopped')).toMatchObject({ signal: 'SIGINT' });
  }, 180_000);
});
