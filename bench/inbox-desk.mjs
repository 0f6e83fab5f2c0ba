// The generated desks of bench/inbox.mjs: where they are cached, making one, starting the built API
// on one, signing in as one of its agents, and turning plan logging on for bench/inbox-plans.mjs.
import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATOR_VERSION, generateDesk } from './inbox-generate.mjs';
import { active, log, sql, startBuiltApi } from './support.mjs';

export const BENCH = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(BENCH, '..');
const API_DIST = join(ROOT, 'apps/api/dist');
const DATA = join(BENCH, '.data');
const MIGRATIONS = join(ROOT, 'apps/api/src/database/migrations');
const META = 'desk.json';
/** Included from the cluster's postgresql.conf; present only while plans are being logged. */
const PLANS_CONF = 'bench-plans.conf';

export const embedded = () =>
  createRequire(import.meta.url)(join(API_DIST, 'database', 'embedded-postgres.js'));

/**
 * What a cached desk depends on: the migrations (tables and indexes; the API's SQL files define only
 * functions, which it applies at every boot when they changed) and the generator itself. A change to
 * either makes a new name, so the desk is generated again rather than migrated at the API's boot. The
 * generator counts by its version number (bumped whenever what it writes changes), so editing its
 * comments does not cost a regeneration.
 */
export function schemaHash() {
  const hash = createHash('sha256');
  for (const name of readdirSync(MIGRATIONS).sort()) {
    hash.update(name).update(readFileSync(join(MIGRATIONS, name)));
  }
  hash.update(`generator ${GENERATOR_VERSION}`);
  return hash.digest('hex').slice(0, 10);
}

export const deskDir = (scale, seed) => join(DATA, `inbox-${scale}-${seed}-${schemaHash()}`);

/**
 * A `--history` value for bench/sms.mjs: a desk directory, or the name (or name prefix, e.g.
 * `inbox-1`) of one under bench/.data; among several, the one made for today's migrations.
 */
export function findDesk(value) {
  if (existsSync(join(value, META))) return resolve(value);
  const hash = schemaHash();
  const matches = existsSync(DATA)
    ? readdirSync(DATA).filter(
        (name) => (name === value || name.startsWith(`${value}-`)) && existsSync(join(DATA, name, META)),
      )
    : [];
  const current = matches.filter((name) => name.endsWith(`-${hash}`));
  const chosen = (current.length > 0 ? current : matches).sort().at(-1);
  return chosen && join(DATA, chosen);
}

export const readMeta = (dir) => JSON.parse(readFileSync(join(dir, META), 'utf8'));

// Production, with the sandbox providers standing in for Vonage and Brevo (nothing is sent), as
// bench/chat.mjs runs it. The secrets are fresh at every start; we sign agents' tokens with JWT_SECRET.
function apiEnv() {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PUBLIC_URL: 'https://bench.switchboard.example',
    SANDBOX: 'true',
    JWT_SECRET: randomBytes(36).toString('base64url'),
    API_TOKEN: randomBytes(24).toString('base64url'),
    VONAGE_SIGNATURE_SECRET: randomBytes(24).toString('base64url'),
  };
}

/** The built API on a desk's DATA_DIR (its own embedded PostgreSQL, as in production). */
export async function startApiOn(dir, logFile) {
  const env = apiEnv();
  const api = await startBuiltApi({
    root: ROOT,
    port: await embedded().freePort(),
    env,
    logFile,
    dataDir: dir,
  });
  return { ...api, jwtSecret: env.JWT_SECRET };
}

/**
 * The desk for this scale and seed, generated unless cached (or `regenerate`): the built API boots
 * once on a new DATA_DIR (migrations, SQL files, pg-boss's schema: the tables come from the app
 * itself), stops, and the generator loads the history through a PostgreSQL the bench starts on the
 * same cluster. Built in `<dir>.partial` and renamed when complete, so an interrupted run leaves no
 * desk that looks finished.
 */
export async function ensureDesk({ scale, seed, regenerate, outDir }) {
  const dir = deskDir(scale, seed);
  if (!regenerate && existsSync(join(dir, META))) {
    log(`desk ${dir}: cached`);
    return { dir, meta: readMeta(dir), cached: true };
  }
  rmSync(dir, { recursive: true, force: true });
  const partial = `${dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const started = performance.now();
  log(`desk ${dir}: generating (scale ${scale}, seed ${seed})`);
  const api = await startApiOn(partial, join(outDir, `api-migrate-${scale}.log`));
  await api.stop();
  const migrated = performance.now();
  // The cluster reads bench-plans.conf when it exists (bench/inbox-plans.mjs); harmless otherwise.
  const conf = join(partial, 'postgres', 'postgresql.conf');
  writeFileSync(conf, `${readFileSync(conf, 'utf8')}\ninclude_if_exists = '${PLANS_CONF}'\n`);
  const server = await embedded().EmbeddedPostgres.start({ dataDir: partial });
  // Ctrl-C stops what is in `active`: stopping the server ends the generator's queries, which unwinds.
  const stopper = { kill: () => void server.stop() };
  active.add(stopper);
  let result;
  try {
    result = await generateDesk(server.url, { scale, seed, log });
  } finally {
    active.delete(stopper);
    await server.stop();
  }
  const meta = {
    scale,
    seed,
    schema: schemaHash(),
    generated_at: new Date().toISOString(),
    seconds: {
      total: Math.round(performance.now() - started) / 1000,
      migrate: Math.round(migrated - started) / 1000,
      ...result.timings,
    },
    counts: result.counts,
    checks: result.checks,
  };
  writeFileSync(join(partial, META), JSON.stringify(meta, null, 2) + '\n');
  renameSync(partial, dir);
  log(`desk ${dir}: generated in ${meta.seconds.total.toFixed(0)} s: ${JSON.stringify(result.counts)}`);
  return { dir, meta, cached: false };
}

/** Turns auto_explain logging to `<cluster>/log/inbox-plans.log` on or off for the next start. */
export function planLogging(dir, on) {
  const file = join(dir, 'postgres', PLANS_CONF);
  rmSync(join(dir, 'postgres', 'log', 'inbox-plans.log'), { force: true });
  if (!on) return rmSync(file, { force: true });
  writeFileSync(
    file,
    [
      // The API pipes PostgreSQL's stderr and keeps only warnings; the collector writes a file we read.
      'logging_collector = on',
      "log_directory = 'log'",
      "log_filename = 'inbox-plans.log'",
      'log_rotation_size = 0',
      "session_preload_libraries = 'auto_explain'",
      'auto_explain.log_min_duration = 0',
      'auto_explain.log_analyze = on',
      'auto_explain.log_buffers = on',
      'auto_explain.log_timing = on',
      "auto_explain.log_format = 'text'",
      'auto_explain.log_nested_statements = off',
      'auto_explain.log_parameter_max_length = -1',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  return join(dir, 'postgres', 'log', 'inbox-plans.log');
}

/**
 * An HS256 access token as AccessTokens (apps/api/src/auth/access-tokens.ts) signs it, with the same
 * claims and lifetime (bench/chat.mjs does the same): we started the API, so we hold its JWT_SECRET.
 */
export function agentToken(secret, agent) {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    typ: 'agent-access',
    sub: agent.id,
    role: agent.role,
    name: agent.name,
    sid: randomUUID(),
  };
  const part = (object) => Buffer.from(JSON.stringify(object)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, iat: now, exp: now + 15 * 60 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** Tokens last 15 minutes: a fresh one for each view keeps long runs signed in. */
export const tokenFor = (api, agent) => () => agentToken(api.jwtSecret, agent);

export { sql };
