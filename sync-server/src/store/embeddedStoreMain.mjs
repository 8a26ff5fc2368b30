/**
 * Embedded CouchDB-compatible store: express-pouchdb on LevelDB, run as a CHILD PROCESS of
 * the hub so that the request kinds known to crash pouchdb-server (see stack-notes) take down
 * only this process, which the hub restarts. Plain JavaScript because express-pouchdb is
 * untyped CommonJS and a child that starts fast shortens the restart gap.
 *
 * Environment (set by embeddedStore.ts): STORE_DIR, STORE_PORT (0 = any free port),
 * STORE_ADMIN_USER, STORE_ADMIN_SECRET. Binds 127.0.0.1 only. Reports `{ type: 'ready', port }`
 * over IPC once listening.
 */
import { timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDBCore from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import mapreduce from './compiledMapReduce.mjs';
import replication from 'pouchdb-replication';
import leveldbAdapter from 'pouchdb-adapter-leveldb';

const PouchDB = PouchDBCore.plugin(httpAdapter)
  .plugin(mapreduce)
  .plugin(replication)
  .plugin(leveldbAdapter);

const dir = process.env.STORE_DIR;
const adminUser = process.env.STORE_ADMIN_USER || 'hub';
const adminSecret = process.env.STORE_ADMIN_SECRET;
if (!dir || !adminSecret) {
  console.error('embedded store: STORE_DIR and STORE_ADMIN_SECRET are required');
  process.exit(2);
}
fs.mkdirSync(path.join(dir, 'db'), { recursive: true });

// The admin is written in clear once; express-pouchdb hashes it on load and rewrites the file.
// Writing it at every start keeps the stored hash in step with the hub's persisted secret.
const configPath = path.join(dir, 'config.json');
let config = {};
try {
  config = JSON.parse(fs.readFileSync(configPath, 'utf8'));
} catch {
  config = {};
}
config.admins = { [adminUser]: adminSecret };
config.log = { file: path.join(dir, 'store.log'), level: 'warning' };
config.couch_httpd_auth = Object.assign({}, config.couch_httpd_auth, { require_valid_user: true });
fs.writeFileSync(configPath, JSON.stringify(config, null, 2));

const LocalPouch = PouchDB.defaults({ prefix: path.join(dir, 'db') + path.sep });

// Only the parts the hub uses: no Fauxton, no replicator (its URL docs crash the server).
const pouchApp = expressPouchDB(LocalPouch, {
  configPath,
  logPath: path.join(dir, 'store.log'),
  mode: 'minimumForPouchDB',
  overrideMode: {
    include: [
      'config-infrastructure',
      'logging-infrastructure',
      'routes/authentication',
      'routes/authorization',
      'routes/security',
      'routes/session',
      'routes/find',
      'validation',
    ],
  },
});

/**
 * Only the hub's admin may talk to the store, on every request: express-pouchdb's own
 * `require_valid_user` lets anonymous reads through (`GET /_all_dbs`), and an anonymous
 * `PUT /x` reaches a code path that throws outside any handler and kills the process (so a
 * loop of them starved every user). Checked here, before express-pouchdb sees anything.
 */
const expected = Buffer.from(
  `Basic ${Buffer.from(`${adminUser}:${adminSecret}`).toString('base64')}`,
);
function isAdmin(header) {
  if (typeof header !== 'string') return false;
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
const unauthorized = JSON.stringify({ error: 'unauthorized', reason: 'Authentication required.' });

/**
 * Request shapes the hub makes, and nothing else: the root, `/_all_dbs`, `/_session`, and
 * `/<db>[/...]` with a valid database name. Anything else is answered 400 here rather than
 * handed to express-pouchdb, whose handlers throw on some malformed paths.
 */
const DB_NAME = /^[a-z][a-z0-9_$()+-]*$/;
function wellFormed(req) {
  let first;
  try {
    first = decodeURIComponent(req.path.split('/')[1] ?? '');
  } catch {
    return false;
  }
  if (first === '' || first === '_all_dbs' || first === '_session' || first === '_uuids')
    return true;
  return DB_NAME.test(first) && first.length <= 238;
}

const app = express();
app.disable('x-powered-by');
app.use((req, res, next) => {
  if (!isAdmin(req.headers.authorization)) {
    res.status(401).type('application/json').send(unauthorized);
    return;
  }
  if (!wellFormed(req)) {
    res
      .status(400)
      .type('application/json')
      .send(JSON.stringify({ error: 'bad_request', reason: 'Malformed request path.' }));
    return;
  }
  next();
});
app.use(pouchApp);
// Last resort for a handler that fails with an error instead of crashing: answer, keep serving.
app.use((err, _req, res, _next) => {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res
    .status(500)
    .type('application/json')
    .send(JSON.stringify({ error: 'internal_error', reason: String(err && err.message) }));
});

const port = Number(process.env.STORE_PORT || 0);
const server = app.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  if (process.send) process.send({ type: 'ready', port: actual });
  else console.log(JSON.stringify({ type: 'ready', port: actual }));
});
server.on('error', (err) => {
  console.error('embedded store: listen failed', err && err.code);
  process.exit(3);
});
// If the hub dies without stopping us, do not linger holding the LevelDB lock.
process.on('disconnect', () => process.exit(0));
