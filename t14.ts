import { compile, execute } from './lib/asl';
const run = async (expr: string, input: any = {}) => {
  const r = await execute(compile({ QueryLanguage: 'JSONata', StartAt: 'S', States: { S: { Type: 'Pass', Output: { v: `{% ${expr} %}` }, End: true } } } as any), input);
  console.log(expr, '=>', r.status, r.error ?? '', (r.cause ?? JSON.stringify(r.output))?.slice(-200));
};
(async () => {
  for (const e of ['$filter([1,2,3], function($v){$v=2})', '$map([5], function($v){$v})', '$distinct([1,1])', '$sort([3])', '$reverse([3])', '$append([], 1)', '$states.input.a', '$states.input.a[]', '$states.input.b.c', '$spread({"a":1})', '$keys({"a":1})', '$each({"a":1}, function($v){$v})', '$zip([1])', '$shuffle([1])', '$split("a", ",")', '$match("a1", /\\d/)', '[1]', '$states.input.a.x']) await run(e, { a: [{ x: 1 }], b: [{ c: 7 }] });
})();
