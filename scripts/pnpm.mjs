/**
 * The command that runs pnpm with `args`: under a pnpm script, the very pnpm that runs us; otherwise
 * the pinned one through npx (corepack's signature check fails against some registries).
 */
export function pnpm(...args) {
  const execpath = process.env.npm_execpath;
  return execpath && /pnpm/.test(execpath)
    ? [process.execPath, [execpath, ...args]]
    : ['npx', ['--yes', 'pnpm@10.34.9', ...args]];
}
