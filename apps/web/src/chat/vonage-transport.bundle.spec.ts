// @vitest-environment node
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** Strings only nexmo-client's code has: its class name and the first packet of its session handshake. */
const NEXMO_CLIENT_CODE = ['NexmoClient', 'session:login'];

/**
 * The default build must not grow for the deployments that never use Vonage: `nexmo-client` lives only
 * in the chunk the `vonage` transport loads with a dynamic import. Builds the app the way `pnpm build`
 * does, into a directory of its own.
 */
describe('the web build', () => {
  let outDir: string;
  let chunks: Map<string, string>;

  const hasNexmoClient = (file: string) =>
    NEXMO_CLIENT_CODE.some((marker) => chunks.get(file)!.includes(marker));

  /** A chunk and every chunk it imports statically: what the browser loads with it. */
  function staticClosure(file: string, seen = new Set<string>()): Set<string> {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const [, imported] of chunks.get(file)!.matchAll(/(?:from|import)\s*["']\.\/([\w.-]+\.js)["']/g)) {
      staticClosure(imported!, seen);
    }
    return seen;
  }

  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), 'switchboard-web-build-'));
    const vite = join(createRequire(import.meta.url).resolve('vite/package.json'), '..', 'bin', 'vite.js');
    execFileSync(
      process.execPath,
      [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      {
        cwd: join(import.meta.dirname, '..', '..'),
        stdio: 'pipe',
      },
    );
    const assets = join(outDir, 'assets');
    chunks = new Map(
      readdirSync(assets)
        .filter((file) => file.endsWith('.js'))
        .map((file) => [file, readFileSync(join(assets, file), 'utf8')]),
    );
  }, 120_000);

  afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('loads no nexmo-client code from index.html', () => {
    const html = readFileSync(join(outDir, 'index.html'), 'utf8');
    const entries = [...html.matchAll(/(?:src|href)="\/assets\/([\w.-]+\.js)"/g)].map((match) => match[1]!);
    expect(entries.length).toBeGreaterThan(0);

    const loaded = new Set(entries.flatMap((entry) => [...staticClosure(entry)]));

    expect([...loaded].filter(hasNexmoClient)).toEqual([]);
  });

  it('loads none either for the default (socket) chat page', () => {
    const chatPage = [...chunks.keys()].find((file) => file.startsWith('ChatPage-'))!;
    const socket = [...chunks.keys()].find((file) => file.startsWith('socket-transport-'))!;

    const loaded = [...staticClosure(chatPage), ...staticClosure(socket)];

    expect(loaded.filter(hasNexmoClient)).toEqual([]);
  });

  it('keeps nexmo-client in the vonage transport’s own chunk, which only a dynamic import reaches', () => {
    const withNexmo = [...chunks.keys()].filter(hasNexmoClient);

    expect(withNexmo).toEqual([expect.stringMatching(/^vonage-transport-[\w-]+\.js$/)]);
    const importers = [...chunks].filter(
      ([file, code]) => file !== withNexmo[0] && code.includes(withNexmo[0]!),
    );
    expect(importers.length).toBeGreaterThan(0);
    for (const [, code] of importers) {
      expect(code).not.toMatch(
        new RegExp(`(?:from|import)\\s*["']\\./${withNexmo[0]!.replace(/\./g, '\\.')}["']`),
      );
    }
  });
});
