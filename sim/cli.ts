#!/usr/bin/env node
/**
 * utmos-dji-sim: runs the UTMOS Open Platform + DJI dock simulator until SIGINT/SIGTERM.
 * Prints exactly one JSON line on stdout when listening; logs go to stderr with --verbose.
 */
import { MissingDependencyError, startSimulator, SimulatorOptions } from './index';

const HELP = `Usage: utmos-dji-sim [options]

Local simulator of the UTMOS Open Platform (signed HTTP API) and of DJI docks (embedded MQTT broker).
When ready it prints one JSON line on stdout: {"http":...,"mqtt":...,"api_id":...,"api_key":...}

Options:
  --host HOST                     interface to bind (default 127.0.0.1)
  --port N                        HTTP port, 0 = pick a free one (default 0)
  --mqtt-port N                   MQTT broker port, 0 = pick a free one (default 0)
  --api-id ID                     API id of the main credential (default sim-api-id)
  --api-key KEY                   its API key (default: $UTMOS_SIM_API_KEY, else random; printed on the
                                  JSON line). Prefer the variable: a command line is visible in ps
  --tenant-id ID                  tenant of the main credential (default tenant-001)
  --docks N                       number of docks dock-001.. with aircraft drone-001.. (default 3)
  --reply-delay-ms N              how long a dock takes to reply to a service (default 100)
  --reply-delay-max-ms N          spread replies uniformly from --reply-delay-ms to N (default: no spread)
  --time-factor F                 simulated flight time per second of a route's duration, 0 < F <= 10
                                  (default 0.05: a 2-minute route flies in 6 s)
  --config-request-interval-ms N  docks raise a "config" device request every N ms, 0 = never (default 0)
  --osd-interval-ms N             docks publish OSD every N ms, 0 = never (default 2000)
  --timestamp-window-seconds N    allowed X-Api-Timestamp skew (default 300)
  --second-reply MODE             second reply to a device request: overwrite | conflict (default overwrite)
  --auto-reply-types T1,T2        device-request types the platform answers itself (reply_source auto; default none)
  --mqtt-username USER            require this MQTT user name (with --mqtt-password)
  --mqtt-password PASS            require this MQTT password
  --verbose                       log to stderr
  --help                          show this help
`;

class UsageError extends Error {}

type Kind = 'string' | 'port' | 'count' | 'ms' | 'seconds' | 'secondReply' | 'list' | 'factor';

const OPTIONS: Record<string, { key: keyof SimulatorOptions; kind: Kind }> = {
  '--host': { key: 'host', kind: 'string' },
  '--port': { key: 'port', kind: 'port' },
  '--mqtt-port': { key: 'mqttPort', kind: 'port' },
  '--api-id': { key: 'apiId', kind: 'string' },
  '--api-key': { key: 'apiKey', kind: 'string' },
  '--tenant-id': { key: 'tenantId', kind: 'string' },
  '--docks': { key: 'docks', kind: 'count' },
  '--reply-delay-ms': { key: 'replyDelayMs', kind: 'ms' },
  '--reply-delay-max-ms': { key: 'replyDelayMaxMs', kind: 'ms' },
  '--time-factor': { key: 'timeFactor', kind: 'factor' },
  '--config-request-interval-ms': { key: 'configRequestIntervalMs', kind: 'ms' },
  '--osd-interval-ms': { key: 'osdIntervalMs', kind: 'ms' },
  '--timestamp-window-seconds': { key: 'timestampWindowSeconds', kind: 'seconds' },
  '--second-reply': { key: 'secondReply', kind: 'secondReply' },
  '--auto-reply-types': { key: 'autoReplyRequestTypes', kind: 'list' },
  '--mqtt-username': { key: 'mqttUsername', kind: 'string' },
  '--mqtt-password': { key: 'mqttPassword', kind: 'string' },
};

function convert(name: string, kind: Kind, raw: string): unknown {
  const int = (min: number, max: number): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
    }
    return Number(raw);
  };
  switch (kind) {
    case 'string':
      if (raw.length === 0) throw new UsageError(`${name} must not be empty`);
      return raw;
    case 'port':
      return int(0, 65535);
    case 'count':
      return int(1, 999);
    case 'ms':
      return int(0, 3_600_000);
    case 'seconds':
      return int(1, 86_400);
    case 'factor': {
      const f = Number(raw);
      if (!/^\d*\.?\d+$/.test(raw) || !(f > 0 && f <= 10)) throw new UsageError(`${name} must be a number greater than 0 and at most 10, got "${raw}"`);
      return f;
    }
    case 'secondReply':
      if (raw !== 'overwrite' && raw !== 'conflict') {
        throw new UsageError(`${name} must be "overwrite" or "conflict", got "${raw}"`);
      }
      return raw;
    case 'list': {
      const items = raw
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean);
      if (items.length === 0) throw new UsageError(`${name} needs at least one name, e.g. config,flighttask_resource_get`);
      return items;
    }
  }
}

/** The API key from the environment, used when --api-key is not given (keeps it out of `ps`). */
export const API_KEY_ENV = 'UTMOS_SIM_API_KEY';

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): { options: SimulatorOptions; verbose: boolean; help: boolean } {
  const options: Record<string, unknown> = { osdIntervalMs: 2000 };
  let verbose = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--verbose') {
      verbose = true;
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const spec = Object.prototype.hasOwnProperty.call(OPTIONS, name) ? OPTIONS[name] : undefined;
    if (!spec) throw new UsageError(`unknown option ${arg}`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = argv[++i];
      if (value === undefined) throw new UsageError(`${name} needs a value`);
    }
    options[spec.key] = convert(name, spec.kind, value);
  }
  if (options.apiKey === undefined && env[API_KEY_ENV]) options.apiKey = env[API_KEY_ENV];
  if ((options.mqttUsername === undefined) !== (options.mqttPassword === undefined)) {
    throw new UsageError('--mqtt-username and --mqtt-password go together');
  }
  return { options: options as SimulatorOptions, verbose, help };
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`utmos-dji-sim: ${err.message}\nTry --help.\n`);
      process.exit(2);
    }
    throw err;
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return;
  }
  const log = parsed.verbose
    ? (line: string): void => {
        process.stderr.write(`[sim ${new Date().toISOString()}] ${line}\n`);
      }
    : undefined;
  let sim;
  try {
    sim = await startSimulator({ ...parsed.options, log });
  } catch (err) {
    const reason = err instanceof MissingDependencyError ? err.message : `cannot start: ${(err as Error).message}`;
    process.stderr.write(`utmos-dji-sim: ${reason}\n`);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ http: sim.http, mqtt: sim.mqtt, api_id: sim.apiId, api_key: sim.apiKey }) + '\n');
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log?.(`${signal}: closing`);
    const force = setTimeout(() => process.exit(0), 3000);
    force.unref();
    sim.close().then(
      () => process.exit(0),
      () => process.exit(0),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  void main();
}
