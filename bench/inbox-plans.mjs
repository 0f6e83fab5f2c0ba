// `pnpm plans:inbox` (= node bench/inbox.mjs --plans): the query plans of every inbox view, in the
// open. The API runs on the generated desk with auto_explain logging every statement's plan with
// ANALYZE and BUFFERS; each view is requested once after a warm-up, its statements are taken from the
// server's log, and docs/inbox-plans.md is written, so a change to a plan shows in review.
import { existsSync, openSync, readSync, statSync, closeSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { planLogging, ROOT, startApiOn, tokenFor } from './inbox-desk.mjs';
import { fixtures, queryString, views } from './inbox-views.mjs';
import { checkInterrupted, log } from './support.mjs';

const DOC = join(ROOT, 'docs/inbox-plans.md');
// The API's own background work, logged too: job queue, revocation polling, the socket adapter, the
// search indexer (its statement is the only one that deletes pending texts; searches read them), the
// SMS maintenance job's sweeps (no inbox view touches those tables).
const BACKGROUND =
  /pgboss|session_revocations|rate_limit_counters|socket_io_attachments|pg_notify|sql_files|DELETE FROM message_search_pending|webhook_nonces|sms_send_windows|sms_auto_minutes|^\s*SELECT 1\s*$/i;
const ENTRY = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(?:\.\d+)? \S+ \[(\d+)\] (\w+): {2}/;

const size = (file) => (existsSync(file) ? statSync(file).size : 0);

function readFrom(file, offset) {
  const length = size(file) - offset;
  if (length <= 0) return '';
  const buffer = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buffer, 0, length, offset);
  } finally {
    closeSync(fd);
  }
  return buffer.toString('utf8');
}

/** The log is written by PostgreSQL's collector, a little after the statement: wait until it is still. */
async function settled(file) {
  let last = -1;
  for (let i = 0; i < 50 && size(file) !== last; i++) {
    last = size(file);
    await sleep(200);
  }
}

/**
 * auto_explain's entries in a stretch of the log: "duration: … ms  plan:", then (tab-indented) the
 * query text, its parameters, and the plan from its first node (the first line with a cost).
 */
export function parsePlans(text) {
  const entries = [];
  let current;
  for (const line of text.split('\n')) {
    const head = ENTRY.exec(line);
    if (head) {
      current = { pid: Number(head[1]), level: head[2], first: line.slice(head[0].length), lines: [] };
      entries.push(current);
    } else if (current) {
      current.lines.push(line.replace(/^\t/, ''));
    }
  }
  return entries
    .filter((entry) => /^duration: [\d.]+ ms {2}plan:/.test(entry.first))
    .map((entry) => {
      const duration = Number(/duration: ([\d.]+) ms/.exec(entry.first)[1]);
      const planStart = entry.lines.findIndex((line) => /\(cost=\d/.test(line));
      const head = entry.lines.slice(0, planStart);
      const parameters = head.findIndex((line) => line.startsWith('Query Parameters: '));
      const sqlLines = head.slice(0, parameters === -1 ? undefined : parameters);
      sqlLines[0] = sqlLines[0]?.replace(/^Query Text: /, '');
      return {
        duration,
        sql: dedent(sqlLines).trim(),
        parameters:
          parameters === -1
            ? null
            : head
                .slice(parameters)
                .join(' ')
                .replace(/^Query Parameters: /, ''),
        plan: entry.lines.slice(planStart).join('\n').trimEnd(),
      };
    })
    .filter((entry) => !BACKGROUND.test(entry.sql));
}

function dedent(lines) {
  const indent = Math.min(
    ...lines
      .slice(1)
      .filter((l) => l.trim())
      .map((l) => /^ */.exec(l)[0].length),
    99,
  );
  return lines
    .map((line, i) => (i === 0 ? line : line.slice(Math.min(indent, /^ */.exec(line)[0].length))))
    .join('\n');
}

export async function writePlans({ desk, env, out, only }) {
  const logFile = planLogging(desk.dir, true);
  log(
    'plans: starting the API with auto_explain (its PostgreSQL logs to a file, so the API waits ~60 s for it)',
  );
  let api;
  const results = [];
  try {
    api = await startApiOn(desk.dir, join(out, 'api-plans.log'));
    const f = await fixtures(api.databaseUrl);
    const token = tokenFor(api, f.me);
    const get = async (path, query) => {
      const started = performance.now();
      const response = await fetch(`${api.baseUrl}${path}${queryString(query)}`, {
        headers: { authorization: `Bearer ${token()}` },
      });
      const body = await response.text();
      return { status: response.status, ms: performance.now() - started, body };
    };
    const allStatus =
      (await get('/api/tickets', { status: 'all', pageSize: '1' })).status === 200 ? { status: 'all' } : {};
    let list = views(f, { allStatus });
    if (only) list = list.filter((view) => new RegExp(only).test(view.name));
    for (const view of list) {
      checkInterrupted();
      let query = view.query;
      if (view.kind === 'cursor') {
        // Walk to the 50th page; the last request is the one whose plan we keep.
        let cursor;
        for (let page = 1; page < 50; page++) {
          const answer = await get(view.path, { ...view.query, ...(cursor ? { cursor } : {}) });
          cursor = answer.status === 200 ? JSON.parse(answer.body).nextCursor : undefined;
          if (!cursor) break;
        }
        if (!cursor) {
          results.push({ view, skipped: 'the API gives no nextCursor' });
          continue;
        }
        query = { ...view.query, cursor };
      }
      await get(view.path, query); // warm-up
      await settled(logFile);
      const from = size(logFile);
      const answer = await get(view.path, query);
      await settled(logFile);
      const statements = parsePlans(readFrom(logFile, from));
      results.push({
        view,
        request: `${view.path}${queryString(query)}`,
        status: answer.status,
        ms: answer.ms,
        statements,
      });
      log(
        `plans: ${view.name}: HTTP ${answer.status}, ${answer.ms.toFixed(1)} ms, ${statements.length} statement(s)`,
      );
    }
  } finally {
    await api?.stop();
    planLogging(desk.dir, false);
  }
  writeFileSync(DOC, render(results, desk, env));
  // The doc is committed: keep it as prettier would write it (the repository's lint checks it).
  const prettier = join(ROOT, 'node_modules/.bin/prettier');
  if (existsSync(prettier)) spawnSync(prettier, ['--write', DOC], { cwd: ROOT, stdio: 'ignore' });
  log(`plans: wrote ${DOC}`);
}

/** `pnpm plans:inbox`, with the options given beyond `--plans`. */
function command(env) {
  const extra = env.command.replace('node bench/inbox.mjs', '').replace('--plans', '').trim();
  return extra ? `pnpm plans:inbox -- ${extra}` : 'pnpm plans:inbox';
}

function render(results, desk, env) {
  const c = desk.meta.counts;
  const lines = [
    '# Inbox query plans',
    '',
    `Generated by \`${command(env)}\` on ${env.stamp.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d).*/, '$1-$2-$3 $4:$5 UTC')} ` +
      `(commit \`${env.git.commit.slice(0, 7)}\`${env.git.uncommitted_changes ? ' with uncommitted changes' : ''}), ` +
      `on the generated desk at scale ${desk.meta.scale}, seed ${desk.meta.seed}: ${c.tickets.toLocaleString('en-US')} tickets, ` +
      `${Number(c.messages).toLocaleString('en-US')} messages, ${c.customers.toLocaleString('en-US')} customers, ` +
      `${c.unresolved.toLocaleString('en-US')} unresolved. Do not edit: run the command again.`,
    '',
    'Each view was requested once over HTTP as a signed-in agent after one warm-up request; PostgreSQL ' +
      '(embedded, default settings) logged every statement with `auto_explain` (`log_min_duration = 0`, ' +
      '`log_analyze`, `log_buffers`, `log_timing`, text format, nested statements off). Listed: the statements ' +
      'the request ran, without the API’s background work (job queue, revocation polling, search indexer). `$n` are the ' +
      'parameters, logged beside each statement. Timings with `log_timing` on are higher than without it.',
    '',
  ];
  results.forEach((r, i) => {
    lines.push(`## ${i + 1}. ${r.view.name}`, '');
    if (r.skipped) {
      lines.push(`Skipped: ${r.skipped}.`, '');
      return;
    }
    lines.push(
      `\`GET ${r.request}\` answered ${r.status} in ${r.ms.toFixed(1)} ms (with plan logging); ` +
        `${r.statements.length} statement(s).`,
      '',
    );
    r.statements.forEach((s, k) => {
      lines.push(
        `### ${i + 1}.${k + 1}: ${s.duration.toFixed(1)} ms in PostgreSQL`,
        '',
        '```sql',
        s.sql,
        '```',
        '',
      );
      if (s.parameters) lines.push('```text', `Parameters: ${s.parameters}`, '```', '');
      lines.push('```text', s.plan, '```', '');
    });
  });
  return lines.join('\n');
}
