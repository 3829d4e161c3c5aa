// Starts the service binary for one run of the browser tests: a free port on loopback, a fresh
// database (SQLite in a temporary directory, or a new PostgreSQL database when
// TEST_DATABASE_URL is set), the demo network from `seed-demo`, and mail as .eml files.
'use strict';

const { spawn, execFile } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const REPO = path.resolve(__dirname, '..', '..', '..');

function binaryPath() {
  if (process.env.SOFTLANDING_BIN) return path.resolve(process.env.SOFTLANDING_BIN);
  const targetDir = process.env.CARGO_TARGET_DIR
    ? path.resolve(REPO, process.env.CARGO_TARGET_DIR)
    : path.join(REPO, 'target');
  return path.join(targetDir, 'debug', 'softlanding');
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function run(bin, args, env, cwd) {
  return new Promise((resolve, reject) => {
    execFile(bin, args, { env, cwd, timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error(`softlanding ${args.join(' ')} failed: ${error.message}\n${stdout}${stderr}`));
      } else {
        resolve(stdout);
      }
    });
  });
}

/** A fresh PostgreSQL database on the server TEST_DATABASE_URL names; dropped by `drop()`. */
async function freshPostgres(adminUrl) {
  const { Client } = require('pg');
  const name = `sl_browser_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const c = new Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

async function waitUntilReady(base, child, logFile) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the service exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${base}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the service did not answer /readyz within 30 s:\n${tail(logFile)}`);
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts the service. `logFile` receives its output. Returns { base, dataDir, mailDir,
 * backend, stop() }.
 */
async function startService({ logFile }) {
  const bin = binaryPath();
  if (!fs.existsSync(bin)) {
    throw new Error(`no service binary at ${bin}: build it with \`cargo build\` (or set SOFTLANDING_BIN)`);
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'softlanding-browser-'));
  let database = null;
  let databaseUrl;
  if (process.env.TEST_DATABASE_URL) {
    database = await freshPostgres(process.env.TEST_DATABASE_URL);
    databaseUrl = database.url;
  } else {
    databaseUrl = `sqlite://${path.join(dataDir, 'softlanding.db')}`;
  }
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    ...process.env,
    SOFTLANDING__DATABASE__URL: databaseUrl,
    SOFTLANDING__SERVER__HOST: '127.0.0.1',
    SOFTLANDING__SERVER__PORT: String(port),
    SOFTLANDING__SERVER__PUBLIC_URL: base,
    SOFTLANDING__SERVER__SHUTDOWN_TIMEOUT_SECS: '2',
    SOFTLANDING__DATA_DIR: dataDir,
    SOFTLANDING__MAIL__TRANSPORT: 'file',
    SOFTLANDING__WORKER__POLL_INTERVAL_MS: '200',
  };
  delete env.SOFTLANDING__ENVIRONMENT;

  const cleanup = async () => {
    if (database) await database.drop().catch((e) => console.error(`could not drop ${database.name}: ${e.message}`));
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  let child;
  try {
    await run(bin, ['seed-demo'], env, dataDir);
    fs.mkdirSync(path.dirname(logFile), { recursive: true });
    const log = fs.openSync(logFile, 'w');
    child = spawn(bin, ['serve'], { env, cwd: dataDir, stdio: ['ignore', log, log] });
    fs.closeSync(log);
    // The service never outlives the run, whatever ends it.
    const killOnExit = () => child.kill('SIGKILL');
    const onSignal = (signal) => {
      child.kill('SIGKILL');
      cleanup().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
    };
    process.on('exit', killOnExit);
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    child.on('exit', () => {
      process.off('exit', killOnExit);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    });
    await waitUntilReady(base, child, logFile);
  } catch (e) {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    await cleanup();
    throw e;
  }

  return {
    base,
    dataDir,
    mailDir: path.join(dataDir, 'mail'),
    backend: database ? `PostgreSQL (database ${database.name})` : 'SQLite',
    logFile,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await cleanup();
    },
  };
}

module.exports = { startService, binaryPath, REPO };
