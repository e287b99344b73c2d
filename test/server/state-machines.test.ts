// State machine operations and tags, through the real @aws-sdk/client-sfn.
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeStateMachineCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  paginateListStateMachines,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import type { StepwiseServer } from '../../lib/server/server';
import { ROLE, errorOf, serve, sfnClient } from './harness';

const PASS = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
let server: StepwiseServer;
let sfn: SFNClient;

beforeAll(async () => {
  server = await serve({ virtualTime: true });
  sfn = sfnClient(server);
});
afterAll(async () => {
  sfn.destroy();
  await server.close();
});

describe('CreateStateMachine / DescribeStateMachine', () => {
  it('creates a machine and describes it with its definition, type and role', async () => {
    // GIVEN a definition
    const definition = JSON.stringify(PASS);
    // WHEN it is created as EXPRESS
    const created = await sfn.send(new CreateStateMachineCommand({ name: 'describe-me', definition, roleArn: ROLE, type: 'EXPRESS' }));
    // THEN Describe returns what was given
    expect(created.stateMachineArn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:describe-me');
    expect(created.creationDate).toBeInstanceOf(Date);
    const d = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: created.stateMachineArn }));
    expect(d).toMatchObject({ name: 'describe-me', definition, roleArn: ROLE, type: 'EXPRESS', status: 'ACTIVE' });
    expect(d.creationDate?.getTime()).toBe(created.creationDate?.getTime());
  });

  it('is idempotent for the same request and refuses a different definition under the same name with StateMachineAlreadyExists', async () => {
    const definition = JSON.stringify(PASS);
    const first = await sfn.send(new CreateStateMachineCommand({ name: 'twice', definition, roleArn: ROLE }));
    const again = await sfn.send(new CreateStateMachineCommand({ name: 'twice', definition, roleArn: ROLE }));
    expect(again.stateMachineArn).toBe(first.stateMachineArn);
    const err = await errorOf(
      sfn.send(new CreateStateMachineCommand({ name: 'twice', definition: JSON.stringify({ ...PASS, Comment: 'changed' }), roleArn: ROLE })),
    );
    expect(err).toMatchObject({ name: 'StateMachineAlreadyExists', status: 400 });
  });

  it('fails with InvalidDefinition naming every problem with its JSON pointer', async () => {
    const definition = JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', End: true }, B: { Type: 'Pass', Next: 'Nowhere' } } });
    const err = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'broken', definition, roleArn: ROLE })));
    expect(err.name).toBe('InvalidDefinition');
    expect(err.status).toBe(400);
    expect(err.message).toMatch(/SCHEMA_VALIDATION_FAILED: .* at \/States\/A\/Resource/);
    expect(err.message).toMatch(/at \/States\/B\/Next/);
  });

  it('fails with InvalidDefinition for a definition that is not JSON', async () => {
    const err = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'not-json', definition: '{"StartAt":', roleArn: ROLE })));
    expect(err.name).toBe('InvalidDefinition');
  });

  it('refuses an Express machine that waits for a callback with InvalidDefinition', async () => {
    const definition = JSON.stringify({
      StartAt: 'T',
      States: {
        T: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke.waitForTaskToken', Parameters: { FunctionName: 'f', 'Payload.$': '$' }, End: true },
      },
    });
    const err = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'express-callback', definition, roleArn: ROLE, type: 'EXPRESS' })));
    expect(err.name).toBe('InvalidDefinition');
  });

  it.each([['has space'], ['a/b'], ['semi;colon'], ['tab\t']])('fails with InvalidName for %j', async (name) => {
    const err = await errorOf(sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(PASS), roleArn: ROLE })));
    expect(err).toMatchObject({ name: 'InvalidName', status: 400 });
  });

  it('fails with ValidationException for a name longer than the model allows (80)', async () => {
    const err = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'x'.repeat(81), definition: JSON.stringify(PASS), roleArn: ROLE })));
    expect(err).toMatchObject({ name: 'ValidationException', status: 400 });
  });

  it('fails with ValidationException when a required member is missing', async () => {
    const err = await errorOf(sfn.send(new CreateStateMachineCommand({ name: 'no-role', definition: JSON.stringify(PASS) } as never)));
    expect(err).toMatchObject({ name: 'ValidationException', status: 400 });
    expect(err.message).toMatch(/'roleArn'/);
  });

  it('fails with InvalidArn for a malformed ARN and StateMachineDoesNotExist for an unknown one', async () => {
    expect(await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })))).toMatchObject({ name: 'InvalidArn', status: 400 });
    expect(
      await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:ghost' }))),
    ).toMatchObject({ name: 'StateMachineDoesNotExist', status: 400 });
  });
});

describe('UpdateStateMachine / DeleteStateMachine / ListStateMachines', () => {
  it('updates the definition (validated) and the role', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'update-me', definition: JSON.stringify(PASS), roleArn: ROLE }));
    const bad = await errorOf(
      sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: '{"StartAt":"X","States":{"X":{"Type":"Nope","End":true}}}' })),
    );
    expect(bad.name).toBe('InvalidDefinition');
    const next = JSON.stringify({ StartAt: 'Q', States: { Q: { Type: 'Succeed' } } });
    const r = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, definition: next, roleArn: `${ROLE}2` }));
    expect(r.updateDate).toBeInstanceOf(Date);
    expect(await sfn.send(new DescribeStateMachineCommand({ stateMachineArn }))).toMatchObject({ definition: next, roleArn: `${ROLE}2` });
  });

  it('deletes a machine; Describe then fails with StateMachineDoesNotExist', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: 'delete-me', definition: JSON.stringify(PASS), roleArn: ROLE }));
    await sfn.send(new DeleteStateMachineCommand({ stateMachineArn }));
    expect((await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn })))).name).toBe('StateMachineDoesNotExist');
  });

  it('lists every machine once across pages of maxResults', async () => {
    for (let i = 0; i < 7; i++) await sfn.send(new CreateStateMachineCommand({ name: `listed-${i}`, definition: JSON.stringify(PASS), roleArn: ROLE }));
    const first = await sfn.send(new ListStateMachinesCommand({ maxResults: 3 }));
    expect(first.stateMachines).toHaveLength(3);
    expect(first.nextToken).toBeDefined();
    const names: string[] = [];
    for await (const p of paginateListStateMachines({ client: sfn, pageSize: 3 }, {})) names.push(...(p.stateMachines ?? []).map((s) => s.name as string));
    const listed = names.filter((n) => n.startsWith('listed-'));
    expect(listed.sort()).toEqual(['listed-0', 'listed-1', 'listed-2', 'listed-3', 'listed-4', 'listed-5', 'listed-6']);
    expect(new Set(names).size).toBe(names.length);
  });

  it('fails with InvalidToken for a nextToken it did not issue', async () => {
    expect((await errorOf(sfn.send(new ListStateMachinesCommand({ nextToken: 'garbage' })))).name).toBe('InvalidToken');
  });
});

describe('ValidateStateMachineDefinition', () => {
  it('answers OK for a valid definition and FAIL with located diagnostics otherwise', async () => {
    expect(await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(PASS) }))).toMatchObject({ result: 'OK', diagnostics: [] });
    const r = await sfn.send(
      new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify({ StartAt: 'Missing', States: { P: { Type: 'Pass', End: true } } }) }),
    );
    expect(r.result).toBe('FAIL');
    expect(r.diagnostics?.[0]).toMatchObject({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED' });
    expect(r.diagnostics?.some((d) => d.location === '/StartAt')).toBe(true);
  });
});

describe('tags', () => {
  it('tags, lists and untags a state machine', async () => {
    const { stateMachineArn } = await sfn.send(
      new CreateStateMachineCommand({ name: 'tagged', definition: JSON.stringify(PASS), roleArn: ROLE, tags: [{ key: 'team', value: 'orders' }] }),
    );
    await sfn.send(new TagResourceCommand({ resourceArn: stateMachineArn, tags: [{ key: 'env', value: 'local' }] }));
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags).toEqual([
      { key: 'team', value: 'orders' },
      { key: 'env', value: 'local' },
    ]);
    await sfn.send(new UntagResourceCommand({ resourceArn: stateMachineArn, tagKeys: ['team'] }));
    expect((await sfn.send(new ListTagsForResourceCommand({ resourceArn: stateMachineArn }))).tags).toEqual([{ key: 'env', value: 'local' }]);
  });

  it('fails with ResourceNotFound (404) for an unknown resource and InvalidArn for a malformed one', async () => {
    expect(await errorOf(sfn.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nobody' })))).toMatchObject(
      { name: 'ResourceNotFound', status: 404 },
    );
    expect((await errorOf(sfn.send(new TagResourceCommand({ resourceArn: 'nope', tags: [] })))).name).toBe('InvalidArn');
  });
});
