import type { Command } from 'commander';
import { loadConfig, type Config } from '../../config.ts';
import { Engine } from '../../server/compose.ts';
import { NatsBus } from '../../bus/nats-bus.ts';
import { buildApp } from '../../server/app.ts';
import { prettyLogStream, wantsPrettyLogs } from '../../server/plugins/pretty-log.ts';

/** Starts the server on a config; resolves once it listens. Used by `serve` and `demo`. */
export async function startServer(cfg: Config, engine?: Engine, opts: { demo?: boolean } = {}) {
  const eng = engine ?? (await Engine.open(cfg));
  const rootKey = await eng.keys.ensureRootKey();
  const app = await buildApp({
    engine: eng,
    bodyLimit: cfg.bodyLimit,
    logger: {
      level: cfg.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      ...(wantsPrettyLogs(cfg.logFormat, Boolean(process.stdout.isTTY), opts.demo) ? { stream: prettyLogStream() } : {}),
    },
  });
  if (eng.bus instanceof NatsBus) eng.bus.log = app.log; // NATS trouble is logged with the requests
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'draining');
    await app.close(); // stops accepting, lets in-flight requests finish
    await eng.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  await app.listen({ port: cfg.port, host: cfg.host });
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr ? addr.port : cfg.port;
  const url = `http://${cfg.host.includes(':') ? `[${cfg.host}]` : cfg.host}:${port}`;
  return { app, engine: eng, url, rootKey };
}

/** What a restart on existing data says, since the root key was printed only the first time. */
export function restartKeyHint(dataDir: string, databaseUrl?: string): string {
  const where = databaseUrl ? 'this database' : `the data folder ${dataDir}`;
  return `No new key printed: ${where} already has its root key (printed when it was created).\nNeed a key? Run \`npx afin keys create --scope admin\` (same AFIN_DATA_DIR / AFIN_DATABASE_URL), or set AFIN_ADMIN_KEY.\n`;
}

export function registerServe(program: Command) {
  program
    .command('serve')
    .description('start the HTTP API (AFIN_PORT, AFIN_HOST, AFIN_DATA_DIR, AFIN_DATABASE_URL, AFIN_NATS_URL, AFIN_ADMIN_KEY)')
    .action(async () => {
      const cfg = loadConfig();
      const { url, rootKey } = await startServer(cfg);
      process.stdout.write(`Afín is listening on ${url}  (docs: ${url}/docs)\n`);
      if (rootKey) process.stdout.write(`Root admin key (shown once, store it now): ${rootKey}\n`);
      else if (!cfg.adminKey) process.stdout.write(restartKeyHint(cfg.dataDir, cfg.databaseUrl));
    });
}
