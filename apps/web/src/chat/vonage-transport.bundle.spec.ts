// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Strings only nexmo-client's code has: its class name and the first packet of its session handshake. */
const NEXMO_CLIENT_CODE = ['NexmoClient', 'session:login'];

interface Build {
  dir: string;
  /** Every file of the build, by its path inside it. */
  files: Map<string, string>;
}

/** Builds the app the way `pnpm build` does, into a directory of its own (one build per mode, ~2 s). */
function build(env: Record<string, string>): Build {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-web-build-'));
  const vite = join(createRequire(import.meta.url).resolve('vite/package.json'), '..', 'bin', 'vite.js');
  execFileSync(process.execPath, [vite, 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'error'], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, VITE_CHAT_VONAGE: '', ...env },
    stdio: 'pipe',
  });
  const files = new Map(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [relative(dir, path), readFileSync(path, 'utf8')];
      }),
  );
  return { dir, files };
}

const hasNexmoClient = (code: string) => NEXMO_CLIENT_CODE.some((marker) => code.includes(marker));

/**
 * The default build must hold no `nexmo-client` code at all; only a build made with
 * VITE_CHAT_VONAGE=true has it, in the chunk the `vonage` transport loads with a dynamic import.
 */
describe('the web build', () => {
  let standard: Build;
  let withVonage: Build;

  beforeAll(() => {
    standard = build({});
    withVonage = build({ VITE_CHAT_VONAGE: 'true' });
  }, 120_000);

  afterAll(() => {
    for (const { dir } of [standard, withVonage].filter(Boolean))
      rmSync(dir, { recursive: true, force: true });
  });

  it('holds no nexmo-client code in any file by default', () => {
    expect(standard.files.size).toBeGreaterThan(0);
    expect([...standard.files].filter(([, code]) => hasNexmoClient(code)).map(([file]) => file)).toEqual([]);
  });

  describe('with VITE_CHAT_VONAGE=true', () => {
    const chunk = (file: string) => withVonage.files.get(`assets/${file}`)!;

    /** A chunk and every chunk it imports statically: what the browser loads with it. */
    function staticClosure(file: string, seen = new Set<string>()): Set<string> {
      if (seen.has(file)) return seen;
      seen.add(file);
      for (const [, imported] of chunk(file).matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)) {
        staticClosure(imported!, seen);
      }
      return seen;
    }

    it('loads no nexmo-client code from index.html', () => {
      const html = withVonage.files.get('index.html')!;
      const entries = [...html.matchAll(/(?:src|href)="\/assets\/([\w.-]+\.js)"/g)].map((match) => match[1]!);
      expect(entries.length).toBeGreaterThan(0);

      const loaded = new Set(entries.flatMap((entry) => [...staticClosure(entry)]));

      expect([...loaded].filter((file) => hasNexmoClient(chunk(file)))).toEqual([]);
    });

    it('keeps nexmo-client in the vonage transport’s own chunk, which only a dynamic import reaches', () => {
      const withNexmo = [...withVonage.files]
        .filter(([, code]) => hasNexmoClient(code))
        .map(([file]) => file);

      expect(withNexmo).toEqual([expect.stringMatching(/^assets\/vonage-transport-[\w-]+\.js$/)]);
      const name = withNexmo[0]!.slice('assets/'.length);
      const importers = [...withVonage.files].filter(
        ([file, code]) => file.endsWith('.js') && !file.endsWith(name) && code.includes(name),
      );
      expect(importers.length).toBeGreaterThan(0);
      for (const [, code] of importers) {
        expect(code).not.toMatch(new RegExp(`(?:from|import)\\s*["']\\./${name.replace(/\./g, '\\.')}["']`));
      }
    });
  });
});
