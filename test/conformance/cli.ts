// `npm run conformance -- <dir> [--only-jsonpath] [--verbose]`: runs a folder of conformance cases,
// prints results per feature and the failures, and ends with `conformance: P/N passed`.
import { KNOWN_GAPS } from './known-gaps';
import { loadCases, runAll } from './runner';

async function main(argv: string[]): Promise<number> {
  const dir = argv.find((a) => !a.startsWith('--'));
  if (!dir) {
    process.stderr.write('usage: npm run conformance -- <cases-dir> [--only-jsonpath] [--min=0.95]\n');
    return 2;
  }
  let cases = loadCases(dir);
  if (argv.includes('--only-jsonpath')) cases = cases.filter((c) => !c.features.includes('jsonata') && !c.features.includes('variables'));
  const { results, byFeature } = await runAll(cases);
  const rows = [...byFeature.entries()].sort((a, b) => b[1].total - a[1].total);
  process.stdout.write('feature                                   passed/total\n');
  for (const [f, s] of rows) process.stdout.write(`${f.padEnd(42)}${s.passed}/${s.total}\n`);
  const failed = results.filter((r) => !r.passed);
  if (failed.length > 0) {
    process.stdout.write(`\nfailures (${failed.length}):\n`);
    for (const r of failed) process.stdout.write(`- ${r.name}${KNOWN_GAPS[r.name] ? ` [known gap: ${KNOWN_GAPS[r.name]}]` : ''}: ${r.reason.slice(0, 400)}\n`);
  }
  const withHistory = results.filter((r) => r.passed && r.historyMatched !== undefined);
  const historyOk = withHistory.filter((r) => r.historyMatched);
  if (argv.includes('--history')) {
    for (const r of withHistory.filter((x) => !x.historyMatched)) process.stdout.write(`  history differs: ${r.name}: ${r.historyReason?.slice(0, 300)}\n`);
  }
  process.stdout.write(`history (event types, names, exit outputs) of passing cases: ${historyOk.length}/${withHistory.length} matched\n`);
  const passed = results.length - failed.length;
  const minArg = argv.find((a) => a.startsWith('--min='));
  const min = minArg ? Number(minArg.slice('--min='.length)) : 0;
  process.stdout.write(`\nconformance: ${passed}/${results.length} passed\n`);
  if (results.length > 0 && passed / results.length < min) {
    process.stderr.write(`conformance below the required ${(min * 100).toFixed(0)}%\n`);
    return 1;
  }
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`conformance runner crashed: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  },
);
