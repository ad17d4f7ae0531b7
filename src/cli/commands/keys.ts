import type { Command } from 'commander';
import { loadConfig } from '../../config.ts';
import { KEY_SCOPES } from '../../domain/schemas.ts';
import { Engine } from '../../server/compose.ts';

async function withEngine<T>(fn: (e: Engine) => Promise<T>): Promise<T> {
  const engine = await Engine.open(loadConfig());
  try {
    return await fn(engine);
  } finally {
    await engine.close();
  }
}

export function registerKeys(program: Command) {
  const keys = program.command('keys').description('create, list and revoke API keys');
  keys
    .command('create')
    .description('create a key; its secret is printed once')
    .requiredOption('-s, --scope <scope>', `one of ${KEY_SCOPES.join(', ')}`)
    .option('-n, --name <name>', 'a label for the key')
    .option('-w, --workspace <id>', 'workspace', 'default')
    .action(async (o: { scope: string; name?: string; workspace: string }) => {
      const k = await withEngine(async (e) => {
        if (o.workspace !== 'default' && !(await e.store.getWorkspace(o.workspace))) throw new Error(`workspace "${o.workspace}" does not exist`);
        return e.keys.create(o.workspace, { scope: o.scope, ...(o.name ? { name: o.name } : {}) });
      });
      process.stdout.write(`${JSON.stringify(k, null, 2)}\n`);
    });
  keys
    .command('list')
    .description('list keys (never their secrets)')
    .option('-w, --workspace <id>', 'workspace', 'default')
    .action(async (o: { workspace: string }) => {
      const list = await withEngine((e) => e.keys.list(o.workspace));
      for (const k of list) process.stdout.write(`${k.id}\t${k.scope}\t${k.name ?? ''}\tcreated ${k.createdAt}\tlast used ${k.lastUsedAt ?? 'never'}\n`);
    });
  keys
    .command('revoke <id>')
    .description('revoke a key')
    .option('-w, --workspace <id>', 'workspace', 'default')
    .action(async (id: string, o: { workspace: string }) => {
      const ok = await withEngine((e) => e.keys.revoke(o.workspace, id));
      process.stdout.write(ok ? `revoked ${id}\n` : `no key ${id}\n`);
      if (!ok) process.exitCode = 1;
    });
}
