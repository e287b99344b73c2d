import { VirtualClock } from '../../../lib/asl';
import { causes } from '../../../lib/asl/causes';
import { run, single } from '../../helpers/asl';

describe('Wait', () => {
  it('waits 24 hours of virtual time in no real time', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    const started = Date.now();
    const r = await run(single({ Type: 'Wait', Seconds: 86400 }), { x: 1 }, { clock });
    expect(r.output).toEqual({ x: 1 });
    expect(clock.now() - Date.UTC(2026, 0, 1)).toBe(86400_000);
    expect(r.stopDate.getTime() - r.startDate.getTime()).toBe(86400_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('waits until a Timestamp, or not at all when it is in the past', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    await run(single({ Type: 'Wait', Timestamp: '2026-01-01T01:00:00Z' }), {}, { clock });
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1, 1));
    await run(single({ Type: 'Wait', Timestamp: '2020-01-01T00:00:00Z' }), {}, { clock });
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1, 1));
  });

  it('waits until a Timestamp truncated to the second, as AWS documents (Timestamp and TimestampPath)', async () => {
    const clock = new VirtualClock(Date.UTC(2026, 0, 1));
    await run(single({ Type: 'Wait', Timestamp: '2026-01-01T00:00:10.900Z' }), {}, { clock });
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1, 0, 0, 10));
    await run(single({ Type: 'Wait', TimestampPath: '$.t' }), { t: '2026-01-01T00:00:20.999Z' }, { clock });
    expect(clock.now()).toBe(Date.UTC(2026, 0, 1, 0, 0, 20));
  });

  it('reads SecondsPath and TimestampPath', async () => {
    const clock = new VirtualClock(0);
    await run(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: 30 }, { clock });
    expect(clock.now()).toBe(30_000);
    await run(single({ Type: 'Wait', TimestampPath: '$.t' }), { t: '1970-01-01T00:01:00Z' }, { clock });
    expect(clock.now()).toBe(60_000);
  });

  it('fails with AWS causes for a negative or fractional SecondsPath', async () => {
    const neg = await run(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: -1 });
    expect([neg.error, neg.cause]).toEqual(['States.Runtime', causes.inState('S', 2, causes.secondsPathNegative('$.s', -1))]);
    const frac = await run(single({ Type: 'Wait', SecondsPath: '$.s' }), { s: 1.5 });
    expect([frac.error, frac.cause]).toEqual(['States.Runtime', causes.inState('S', 2, causes.secondsPathNotLong('$.s', 1.5))]);
  });

  it('fails with States.Runtime for a TimestampPath that is not a timestamp', async () => {
    const r = await run(single({ Type: 'Wait', TimestampPath: '$.t' }), { t: 'tomorrow' });
    expect([r.error, r.cause]).toEqual(['States.Runtime', causes.inState('S', 2, causes.timestampPathNotIso('$.t', 'tomorrow'))]);
  });
});
