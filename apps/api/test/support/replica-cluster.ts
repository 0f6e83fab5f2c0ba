import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface ReplicatedCluster {
  /** The primary's URL and the standby's, for the database asked for. */
  primaryUrl: string;
  replicaUrl: string;
  stopReplica(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL primary with a streaming standby that applies each commit `applyDelay` after it
 * (replicated-cluster.mjs, in a process of its own; it needs the built API).
 */
export async function startReplicatedCluster(
  database: string,
  applyDelay: string,
): Promise<ReplicatedCluster> {
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [join(__dirname, 'replicated-cluster.mjs'), database, applyDelay],
    { stdio: 'pipe' },
  );
  let errors = '';
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (errors += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const next = () =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      lines.once('line', (line) => resolve(JSON.parse(line) as Record<string, unknown>));
      void exited.then(() => reject(new Error(`The replicated cluster exited: ${errors}`)));
    });
  const { primaryUrl, replicaUrl } = (await next()) as { primaryUrl: string; replicaUrl: string };
  return {
    primaryUrl,
    replicaUrl,
    stopReplica: async () => {
      const stopped = next();
      child.stdin.write('stop-replica\n');
      await stopped;
    },
    stop: async () => {
      child.stdin.end();
      await exited;
    },
  };
}
