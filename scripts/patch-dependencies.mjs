// Runs after `npm install` / `npm ci` (package.json "postinstall"): applies the project's fixes to
// dependencies whose upstream fix has not been released. Each patch names the exact version it was
// written for and fails the install on any other, so an upgrade cannot silently drop or misapply it.
// Idempotent: a file already patched is left alone.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * postgres.js 3.4.9 wedges a pooled connection for good after the server drops it mid-write
 * (test/reliability/database-outage.test.ts found it; upstream issues #1066, #1154, #1208, fix
 * proposed in PR #1209, unreleased):
 * - `closed()` and `terminate()` cancel the pending write's setImmediate but leave `nextWriteTimer`
 *   set and the unsent bytes in `chunk`. After the reconnect, `write()` sees a timer "pending" and
 *   never schedules another flush: the startup message is never sent, the connect times out, the
 *   connection reconnects into the same state, forever. Each outage wedges more of the pool until the
 *   app stops serving although PostgreSQL is back.
 * - `nextWrite()` dereferences a socket that `closed()` has already nulled, throwing an uncaught
 *   TypeError from a setImmediate callback, and the query it was writing never settles.
 * The patch drops the unsent bytes with the socket, and makes a write without a socket fail the
 * connection's queries with CONNECTION_CLOSED (a catchable error the app answers with a 503).
 */
const postgresPatch = {
  name: 'postgres',
  version: '3.4.9',
  files: ['src/connection.js', 'cjs/src/connection.js'],
  marker: 'segtrial-patch: postgres-stale-write',
  edits: [
    {
      from: `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`,
      to: `  function nextWrite(fn) {
    // segtrial-patch: postgres-stale-write (a write after the socket closed fails its queries instead of throwing)
    if (socket === null) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options, socket))
      return false
    }
    const x = socket.write(chunk, fn)`,
    },
    {
      from: `    terminated = true
    if (stream || query || initial || sent.length)
      error(Errors.connection('CONNECTION_DESTROYED', options))

    clearImmediate(nextWriteTimer)
`,
      to: `    terminated = true
    if (stream || query || initial || sent.length)
      error(Errors.connection('CONNECTION_DESTROYED', options))

    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null
`,
    },
    {
      from: `    incomings = null
    clearImmediate(nextWriteTimer)
`,
      to: `    incomings = null
    clearImmediate(nextWriteTimer)
    chunk = nextWriteTimer = null
`,
    },
  ],
};

function applyPatch({ name, version, files, marker, edits }) {
  const dir = path.join(root, 'node_modules', name);
  if (!existsSync(dir)) return `${name}: not installed, skipped`;
  const installed = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  if (installed !== version) {
    throw new Error(`${name} ${installed} is installed; scripts/patch-dependencies.mjs patches ${version}. Check whether the upstream release fixes it, then update or remove the patch.`);
  }
  for (const file of files) {
    const target = path.join(dir, file);
    let text = readFileSync(target, 'utf8');
    if (text.includes(marker)) continue;
    for (const { from, to } of edits) {
      if (text.split(from).length !== 2) throw new Error(`${name}/${file}: the text to patch was not found exactly once; the patch no longer fits ${version}.`);
      text = text.replace(from, to);
    }
    writeFileSync(target, text);
  }
  return `${name} ${version}: patched (${marker})`;
}

/** Applies every patch (idempotent). `npm test` calls it too: a tree installed before a patch existed lacks it. */
export function patchDependencies() {
  return [applyPatch(postgresPatch)];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const line of patchDependencies()) console.log(line);
}
