/**
 * The embedded runtime of runtime.ts in a child process of its own, for a test that stops Node-RED
 * and starts it again on the same user dir (one process can start Node-RED once). The child
 * (runtime-child.ts) hands every delivery, log entry and flow start to this side over IPC:
 *   parent -> {cmd: 'stop'}                       child stops Node-RED (context stores flush), exits 0
 *   child  -> {event: 'ready', url}               admin API listening
 *   child  -> {event: 'record', record}           a RecordEvent
 *   child  -> {event: 'fatal', message}           the start failed
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { RecordEvent, RuntimeRecord } from './runtime-record';
import type { RuntimeOptions } from './runtime';
import { withTimeout } from './wait';

export class RuntimeProcess extends RuntimeRecord {
  constructor(
    url: string,
    private readonly stopChild: () => Promise<void>,
  ) {
    super(url);
  }

  stop(): Promise<void> {
    return this.stopChild();
  }
}

/** Options as for startRuntime, as JSON (no functions). */
export async function startRuntimeProcess(options: Omit<RuntimeOptions, 'flows' | 'credentials'> & { userDir: string }): Promise<RuntimeProcess> {
  const child = fork(path.join(__dirname, 'runtime-child.js'), [], {
    env: { ...process.env, UTMOS_RUNTIME_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const early: RecordEvent[] = [];
  let runtime: RuntimeProcess | undefined;
  const url = await new Promise<string>((resolve, reject) => {
    child.on('message', (m: { event: string; url?: string; record?: RecordEvent; message?: string }) => {
      if (m.event === 'ready' && m.url) resolve(m.url);
      else if (m.event === 'fatal') reject(new Error(`the runtime did not start: ${m.message}`));
      else if (m.event === 'record' && m.record) {
        if (runtime) runtime.record(m.record);
        else early.push(m.record);
      }
    });
    void exited.then((code) => reject(new Error(`the runtime exited with ${code}: ${stderr.slice(-2000)}`)));
  });
  runtime = new RuntimeProcess(url, async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.send({ cmd: 'stop' });
    await withTimeout(exited, 20_000, 'the runtime process to stop').catch((err: Error) => {
      child.kill('SIGKILL');
      throw err;
    });
  });
  for (const event of early) runtime.record(event);
  return runtime;
}
