#!/usr/bin/env node
// Measures how long `require` of each built entry point takes in a fresh Node.js process (wall
// and CPU time, median of N runs), and which heavy packages it loads. Run after `npm run build`:
//   node test/package/require-time.js [runs]
// A measurement script, not a test: its figures go in the notes with the machine's load.
const { execFileSync } = require('node:child_process');
const { join } = require('node:path');
const os = require('node:os');

const runs = Number(process.argv[2] ?? 21);
const dist = join(__dirname, '..', '..', 'dist', 'lib');
const entries = {
  'stepwise-cdk': 'index.js',
  'stepwise-cdk/asl': 'asl/index.js',
  'stepwise-cdk/testing': 'testing/index.js',
  'stepwise-cdk/constructs': 'constructs/index.js',
};
const probe = (file) => `
const t = process.hrtime.bigint(); const c = process.cpuUsage();
require(${JSON.stringify(file)});
const u = process.cpuUsage(c); const wall = Number(process.hrtime.bigint() - t) / 1e6;
const heavy = [...new Set(Object.keys(require.cache).map((k) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\//.exec(k)?.[1]).filter(Boolean))];
console.log(JSON.stringify({ wall, cpu: (u.user + u.system) / 1000, heavy }));`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
console.log(
  `node ${process.version}, ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}, ${runs} runs each`,
);
for (const [name, file] of Object.entries(entries)) {
  const samples = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, ['-e', probe(join(dist, file))], { encoding: 'utf8' })));
  console.log(
    `${name.padEnd(24)} wall ${median(samples.map((s) => s.wall))
      .toFixed(1)
      .padStart(7)} ms   cpu ${median(samples.map((s) => s.cpu))
      .toFixed(1)
      .padStart(7)} ms   packages: ${samples[0].heavy.join(', ') || '(none)'}`,
  );
}
