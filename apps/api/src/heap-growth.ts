import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the heap grow past what survived a full garbage collection before it starts the
 * next: to three times that. V8's own choice under the chat's load was ~1.2–1.3 times, i.e. a full
 * collection every 5–9 s at 1,000 messages a second. Each one marks everything live (thousands of
 * sockets' state) on the main thread and on a helper thread that takes one of the box's cores, and
 * was a 100–200 ms stall of every message through the instance: the chat's latency tail
 * (docs/benchmarks.md, "Live chat under load"). At three times they come every 35–50 s, for a larger
 * heap (~230 MB rather than ~160 MB at its peak with 2,100 sockets). Loaded before anything else
 * (main.ts); `--heap-growing-percent` given to node itself wins.
 */
const HEAP_GROWING_PERCENT = 200;

if (!process.execArgv.some((arg) => /^--heap[-_]growing[-_]percent/.test(arg))) {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
