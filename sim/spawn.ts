/**
 * Runs the simulator CLI as a child process and reads its one JSON line: the single way the demo,
 * the benchmark and the tests that must not share a process with the simulator start it.
 */
import { ChildProcess, spawn } from 'child_process';
import path from 'path';

export interface SimulatorProcessInfo {
  http: string;
  mqtt: string;
  api_id: string;
  api_key: string;
  [extra: string]: unknown;
}

export interface SimulatorProcess {
  readonly info: SimulatorProcessInfo;
  readonly child: ChildProcess;
  /** SIGTERM (the CLI closes cleanly), SIGKILL after 5 s so a caller can never hang on it. */
  close(): Promise<void>;
}

export interface SpawnOptions {
  /** Extra arguments for the node binary, e.g. ['--cpu-prof']. */
  nodeArgs?: string[];
  /** The CLI to run; default: cli.js beside this file. */
  cli?: string;
  /** Extra environment variables for the child, e.g. UTMOS_SIM_API_KEY (never visible in `ps`). */
  env?: Record<string, string>;
}

export function spawnSimulator(args: string[] = [], options: SpawnOptions = {}): Promise<SimulatorProcess> {
  const cli = options.cli ?? path.join(__dirname, 'cli.js');
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cli, '--port', '0', '--mqtt-port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: options.env ? { ...process.env, ...options.env } : process.env,
  });
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  return new Promise((resolve, reject) => {
    let buf = '';
    const onExit = (code: number | null) => reject(new Error(`simulator exited early (code ${code})`));
    const onData = (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      child.stdout?.off('data', onData);
      child.off('exit', onExit);
      child.stdout?.resume(); // keep draining so the child never blocks on a full pipe
      try {
        resolve({ info: JSON.parse(buf.slice(0, nl)) as SimulatorProcessInfo, child, close });
      } catch (err) {
        void close();
        reject(new Error(`simulator printed an unreadable first line: ${(err as Error).message}`));
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', onExit);
  });
}
