// Prints the per-module scores of the JSON reports in reports/mutation/ as README table rows:
// `node stryker/scores.mjs [report.json | record.jsonl …]`. Score = (killed + timed out) ÷ mutants that type-check.
import { readFileSync, readdirSync } from 'node:fs';

const files = process.argv.slice(2);
const reports =
  files.length > 0
    ? files
    : readdirSync('reports/mutation')
        .filter((f) => f.endsWith('.json') && !f.includes('incremental'))
        .map((f) => `reports/mutation/${f}`);
const rows = new Map();
for (const file of reports) {
  if (file.endsWith('.jsonl')) {
    // A record-reporter file: the mutants a run had tested when it ended or was stopped.
    const byFile = {};
    for (const line of readFileSync(file, 'utf8').split('\n').filter(Boolean)) {
      const m = JSON.parse(line);
      (byFile[m.fileName] ??= { mutants: [] }).mutants.push(m);
    }
    for (const [name, f] of Object.entries(byFile)) rows.set(`${name} (partial: ${file})`, count(f.mutants));
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  if (!report.files) continue; // not a mutation report (the slices' generated tsconfig files sit beside them)
  for (const [name, { mutants }] of Object.entries(report.files)) rows.set(name, count(mutants));
}

function count(mutants) {
  const n = { mutants: 0, Killed: 0, Timeout: 0, Survived: 0, NoCoverage: 0 };
  for (const m of mutants) {
    if (m.status === 'CompileError' || m.status === 'Ignored' || m.status === 'RuntimeError') continue;
    n.mutants++;
    if (m.status in n) n[m.status]++;
  }
  return n;
}
for (const [name, n] of [...rows].sort()) {
  const score = n.mutants ? (100 * (n.Killed + n.Timeout)) / n.mutants : 0;
  console.log(`| \`${name}\` | ${n.mutants} | ${n.Killed} | ${n.Timeout} | ${n.Survived} | ${n.NoCoverage} | ${score.toFixed(1)} % |`);
}
