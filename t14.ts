import { compile, execute } from './lib/asl';
const run = async (expr: string, input: any = {}) => {
  const t = Date.now();
  try {
    const r = await execute(compile({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', Output: `{% ${expr} %}`, End: true } } } as any), input);
    console.log(Date.now() - t, 'ms', expr.slice(0, 60), '=>', r.status, r.error, (r.cause ?? JSON.stringify(r.output))?.slice(-150));
  } catch (e) { console.log(expr.slice(0,60), 'COMPILE', (e as Error).message.slice(0, 300)); }
};
(async () => {
  await run('($__stepwiseBudget := {"depth": -1e9, "started": 9e15}; $f := function($n){ $f($n + 1) }; $f(0))');
  await run('($e := $eval; $e("1+1"))');
  await run('"1+1" ~> $eval');
  await run('$lookup({"f": $eval}, "f")("1+1")');
  await run('$contains($states.input.s, /^(a+)+$/)', { s: 'a'.repeat(28) + 'b' });
  await run('$pad("", 120000000, "x")');
  await run('[[1..10000000],[1..10000000],[1..10000000],[1..10000000],[1..10000000],[1..10000000],[1..10000000],[1..10000000]]');
  await run('($s := "xxxxxxxxxx"; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s; $s := $s & $s & $s & $s & $s & $s & $s & $s & $s & $s;$length($s))');
  await run('$pad("ab", 5, "-")');
  await run('"ab" ~> $pad(-5, "xy")');
  await run('$match("a1b22", /\\d+/)');
  await run('$replace("hello world", /o/, "0")');
  await run('$split("a1b2c", /[0-9]/)');
  await run('$contains("abc", /(a)\\1/)');
  await run('[1..5]');
  await run('$count([1..1000000])');
})();
