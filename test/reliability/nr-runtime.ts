/** Parent side of nr-runtime-child: start, talk to the admin API, collect deliveries and logs, stop. */
import { ChildProcess, fork } from 'node:child_process';
import path from 'node:path';

export interface Runtime {
  port: number;
  url: string;
  deliveries: Array<{ to: string; msg: any }>;
  logs: any[];
  /** Resolves when `n` messages were delivered to node `to`. */
  waitFor(to: string, n: number, timeoutMs?: number): Promise<any[]>;
  request(method: string, p: string, opts?: { body?: unknown; headers?: Record<string, string>; token?: string }): Promise<{ status: number; text: string; json(): any }>;
  stop(): Promise<void>;
  exited: Promise<number | null>;
}

export async function startRuntime(options: {
  userDir: string;
  adminAuth?: unknown;
  contextStorage?: unknown;
  report?: string[];
}): Promise<Runtime> {
  const script = path.join(__dirname, 'nr-runtime-child.js');
  const child: ChildProcess = fork(script, [], {
    env: { ...process.env, UTMOS_NR_CHILD: JSON.stringify(options) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => (stderr += d.toString()));
  const deliveries: Array<{ to: string; msg: any }> = [];
  const logs: any[] = [];
  const waiters = new Set<() => void>();
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: any) => {
      if (m.event === 'ready') resolve(m.port);
      else if (m.event === 'fatal') reject(new Error(`runtime failed: ${m.message}`));
      else if (m.event === 'deliver') {
        deliveries.push({ to: m.to, msg: m.msg });
        for (const w of [...waiters]) w();
      } else if (m.event === 'log') logs.push(m.entry);
    });
    void exited.then((code) => reject(new Error(`runtime exited with ${code}: ${stderr.slice(-2000)}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  return {
    port,
    url,
    deliveries,
    logs,
    exited,
    waitFor: (to, n, timeoutMs = 15_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const got = deliveries.filter((d) => d.to === to).map((d) => d.msg);
          if (got.length >= n) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(got);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`timed out waiting for ${n} deliveries to ${to}; got ${deliveries.filter((d) => d.to === to).length}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      }),
    request: async (method, p, opts = {}) => {
      const headers: Record<string, string> = { ...(opts.headers ?? {}) };
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      const res = await fetch(url + p, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
      const text = await res.text();
      return { status: res.status, text, json: () => JSON.parse(text) };
    },
    stop: async () => {
      if (child.exitCode !== null) return;
      child.send({ cmd: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
