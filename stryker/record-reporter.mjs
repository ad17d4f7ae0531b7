// A Stryker reporter that appends each mutant's result to a JSON-lines file as soon as it is known,
// so a run stopped early (a slice that outlasts the time left on a loaded machine) still leaves the
// mutants it tested: `node stryker/scores.mjs that-file.jsonl` scores them. Stryker's own JSON report
// and incremental file are written only at the end of a run. The file is `AFIN_MUTATE_RECORD`, else
// reports/mutation/<slice>.record.jsonl (stryker.config.mjs sets the default); each run starts it afresh.
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';

class RecordReporter {
  static inject = [];

  constructor() {
    this.file = process.env.AFIN_MUTATE_RECORD ?? 'reports/mutation/record.jsonl';
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, '');
  }

  onMutantTested(m) {
    const { id, fileName, mutatorName, replacement, location, status, statusReason } = m;
    appendFileSync(
      this.file,
      `${JSON.stringify({ id, fileName: relative(process.cwd(), fileName), mutatorName, replacement, line: location.start.line, status, statusReason })}\n`,
    );
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'record', RecordReporter)];
