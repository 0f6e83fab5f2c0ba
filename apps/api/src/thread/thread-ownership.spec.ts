import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * The thread core owns `tickets`, `messages` and their search tables (docs/architecture.md, "Modules, tables and arrows"):
 * other modules call ThreadService, or a database function in thread/. These checks fail when a change
 * writes those tables from elsewhere, or makes the core depend on a channel.
 */
const SOURCE = join(__dirname, '..');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)],
  );
const source = files(SOURCE)
  .filter((path) => /\.(ts|sql)$/.test(path) && !/\.(spec|db-spec)\.ts$/.test(path))
  .map((path) => ({ path: relative(SOURCE, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }));

// INSERT INTO / UPDATE / DELETE FROM / TRUNCATE, then one of the thread's tables (optionally quoted).
const WRITE =
  /\b(?:insert\s+into|update|delete\s+from|truncate(?:\s+table)?)\s+"?(tickets|messages|message_search|message_search_pending)"?\b/gi;

describe('the thread core owns tickets and messages', () => {
  it('finds the writes it looks for (the check itself can see one)', () => {
    const sample = 'await db.query(`UPDATE tickets SET status = $1`); INSERT INTO "messages" (body)';
    expect([...sample.matchAll(WRITE)].map((match) => match[1])).toEqual(['tickets', 'messages']);
  });

  it('no code outside thread/ writes tickets or messages (migrations change tables, not rows of the thread)', () => {
    const writers = source
      .filter((file) => !file.path.startsWith('thread/') && !file.path.startsWith('database/migrations/'))
      .flatMap((file) => [...file.text.matchAll(WRITE)].map((match) => `${file.path}: ${match[0]}`));
    expect(writers).toEqual([]);
  });

  it('imports no channel: nothing under thread/ imports sms/, chat/, email/ or vonage-conversations/', () => {
    const imports = source
      .filter((file) => file.path.startsWith('thread/') && file.path.endsWith('.ts'))
      .flatMap((file) =>
        [...file.text.matchAll(/from\s+'(\.\.\/(?:sms|chat|email|vonage-conversations)\/[^']*)'/g)].map(
          (match) => `${file.path}: ${match[1]}`,
        ),
      );
    expect(imports).toEqual([]);
  });
});
