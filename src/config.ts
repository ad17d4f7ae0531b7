import { resolve } from 'node:path';

/** Everything Afín reads from the environment, in one place (names fixed by DESIGN.md). */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl?: string;
  natsUrl?: string;
  adminKey?: string;
  bodyLimit: number;
  llm?: { url: string; model: string; apiKey?: string };
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.AFIN_PORT ?? 7070);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`AFIN_PORT must be a port number, got ${env.AFIN_PORT}`);
  const bodyLimit = Number(env.AFIN_BODY_LIMIT ?? 8 * 1024 * 1024);
  return {
    port,
    host: env.AFIN_HOST ?? '127.0.0.1',
    dataDir: resolve(env.AFIN_DATA_DIR ?? './data'),
    databaseUrl: env.AFIN_DATABASE_URL || undefined,
    natsUrl: env.AFIN_NATS_URL || undefined,
    adminKey: env.AFIN_ADMIN_KEY || undefined,
    bodyLimit: Number.isFinite(bodyLimit) && bodyLimit > 0 ? bodyLimit : 8 * 1024 * 1024,
    llm: env.AFIN_LLM_URL ? { url: env.AFIN_LLM_URL, model: env.AFIN_LLM_MODEL ?? 'default', apiKey: env.AFIN_LLM_API_KEY || undefined } : undefined,
    logLevel: env.AFIN_LOG_LEVEL ?? 'info',
  };
}
