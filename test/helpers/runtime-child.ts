/** Child side of runtime-process.ts: startRuntime here, every recorded event to the parent. */
import { startRuntime, RuntimeOptions } from './runtime';

const send = (m: unknown): void => {
  process.send?.(m);
};

async function main(): Promise<void> {
  const options = JSON.parse(process.env.UTMOS_RUNTIME_OPTIONS ?? '{}') as RuntimeOptions;
  const rt = await startRuntime(options, (record) => send({ event: 'record', record }));
  process.on('message', (m: { cmd?: string }) => {
    if (m?.cmd !== 'stop') return;
    void rt.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
  send({ event: 'ready', url: rt.url });
}

main().catch((err: Error) => {
  send({ event: 'fatal', message: String(err?.stack ?? err) });
  process.exit(1);
});
