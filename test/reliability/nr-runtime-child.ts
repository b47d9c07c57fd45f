/**
 * An embedded Node-RED runtime (the real `node-red` package, our package loaded from its
 * package.json through settings.nodesDir) in its own process, driven by the parent over IPC:
 *   parent -> {cmd:'stop'}            child stops the runtime (context stores flush) and exits 0
 *   child  -> {event:'ready', port}   admin API listening on 127.0.0.1:port
 *   child  -> {event:'deliver', to, msg}   every message delivered to a node (preDeliver hook)
 *   child  -> {event:'log', entry}         every runtime log event (custom logging handler)
 * Options come as JSON in the UTMOS_NR_CHILD environment variable.
 */
import http from 'node:http';
import path from 'node:path';

interface ChildOptions {
  userDir: string;
  adminAuth?: unknown;
  credentialSecret?: string;
  contextStorage?: unknown;
  /** Node ids whose deliveries are reported (default: all). */
  report?: string[];
}

const options = JSON.parse(process.env.UTMOS_NR_CHILD ?? '{}') as ChildOptions;
const send = (m: unknown) => process.send?.(m);

function plain(value: unknown): unknown {
  try {
    return JSON.parse(JSON.stringify(value, (_k, v) => (v instanceof Error ? { name: v.name, message: v.message } : v)));
  } catch {
    return String(value);
  }
}

async function main(): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const RED = require('node-red');
  const pkgRoot = path.resolve(__dirname, '..', '..', '..');
  const server = http.createServer();
  RED.init(server, {
    userDir: options.userDir,
    flowFile: 'flows.json',
    credentialSecret: options.credentialSecret ?? 'reliability-test-secret',
    httpAdminRoot: '/',
    httpNodeRoot: '/api',
    uiHost: '127.0.0.1',
    nodesDir: [pkgRoot],
    adminAuth: options.adminAuth,
    contextStorage: options.contextStorage,
    editorTheme: { tours: false, palette: { editable: false } },
    externalModules: { palette: { allowInstall: false } },
    telemetry: { enabled: false },
    diagnostics: { enabled: false },
    logging: {
      console: { level: 'off' },
      capture: {
        level: 'trace',
        metrics: false,
        audit: true,
        handler: () => (entry: unknown) => send({ event: 'log', entry: plain(entry) }),
      },
    },
  });
  server.on('request', RED.httpAdmin);
  RED.hooks.add('preDeliver.reliability', (evt: any) => {
    const to = evt.destination?.id;
    if (!options.report || options.report.includes(to)) send({ event: 'deliver', to, msg: plain(evt.msg) });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  await RED.start();
  const port = (server.address() as { port: number }).port;
  process.on('message', async (m: any) => {
    if (m?.cmd === 'stop') {
      await RED.stop();
      server.closeAllConnections?.();
      server.close();
      send({ event: 'stopped' });
      process.exit(0);
    }
  });
  send({ event: 'ready', port });
}

main().catch((err) => {
  send({ event: 'fatal', message: String(err?.stack ?? err) });
  process.exit(1);
});
