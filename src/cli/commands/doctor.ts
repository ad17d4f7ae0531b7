import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../config.ts';
import { runChecks, type Finding } from './doctor-checks.ts';

const MARK: Record<Finding['status'], string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: ' -  ' };

/** The findings as lines a person reads, one per dependency, and whether anything is broken. */
export function report(findings: Finding[]): { text: string; broken: boolean } {
  const lines = findings.map((f) => `${MARK[f.status]}  ${f.what.padEnd(13)} ${f.message}`);
  const broken = findings.filter((f) => f.status === 'fail');
  lines.push(broken.length ? `\n${broken.length} problem${broken.length > 1 ? 's' : ''}: ${broken.map((f) => f.what).join(', ')}.` : '\nAll good.');
  return { text: `${lines.join('\n')}\n`, broken: broken.length > 0 };
}

/**
 * What `train` and `import` say before they open the store: an embedded data folder with no database
 * yet is usually a mistyped AFIN_DATA_DIR, and the command would silently start a new, empty store.
 */
export function newDataFolderWarning(cfg: Pick<Config, 'databaseUrl' | 'dataDir'>): string | null {
  if (cfg.databaseUrl || existsSync(join(cfg.dataDir, 'afin.db'))) return null;
  return `afin: warning: ${cfg.dataDir} holds no Afín database yet; a new, empty one is created there. Is AFIN_DATA_DIR right? (run \`afin doctor\`)\n`;
}

export function registerDoctor(program: Command) {
  program
    .command('doctor')
    .description('check the configuration, the store, the bus (NATS) and the LLM endpoint, and say what is wrong; exit code 1 when something is broken')
    .action(async () => {
      let cfg: Config;
      try {
        cfg = loadConfig();
      } catch (e) {
        process.stdout.write(report([{ what: 'configuration', status: 'fail', message: (e as Error).message }]).text);
        process.exitCode = 1;
        return;
      }
      const r = report(await runChecks(cfg));
      process.stdout.write(r.text);
      if (r.broken) process.exitCode = 1;
    });
}
