// The awsJson1_0 envelope: requests the SDK cannot produce (malformed JSON, oversized bodies,
// unknown targets) are sent with fetch; each gets an AWS-shaped error and the server goes on.
import { ListStateMachinesCommand, SFNClient } from '@aws-sdk/client-sfn';
import type { StepwiseServer } from '../../lib/server/server';
import { serve, sfnClient } from './harness';

let server: StepwiseServer;

beforeAll(async () => {
  server = await serve({ virtualTime: true, maxRequestBytes: 64 * 1024 });
});
afterAll(() => server.close());

async function post(body: string, target?: string, path = '/'): Promise<{ status: number; type: string | null; body: { __type?: string; message?: string } }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/x-amz-json-1.0' };
  if (target !== undefined) headers['X-Amz-Target'] = target;
  const r = await fetch(`${server.url}${path}`, { method: 'POST', headers, body });
  return { status: r.status, type: r.headers.get('x-amzn-errortype'), body: (await r.json()) as { __type?: string; message?: string } };
}

describe('protocol errors', () => {
  it('answers a malformed JSON body with SerializationException', async () => {
    const r = await post('{"name": ', 'AWSStepFunctions.ListStateMachines');
    expect(r).toMatchObject({ status: 400, type: 'SerializationException', body: { __type: 'com.amazonaws.sfn#SerializationException' } });
  });

  it('answers a body that is not an object with SerializationException', async () => {
    expect((await post('[1,2]', 'AWSStepFunctions.ListStateMachines')).type).toBe('SerializationException');
  });

  it('answers an oversized request with 413', async () => {
    const r = await post(JSON.stringify({ definition: 'x'.repeat(100 * 1024) }), 'AWSStepFunctions.ValidateStateMachineDefinition');
    expect(r.status).toBe(413);
    expect(r.body.__type).toMatch(/RequestEntityTooLarge/);
  });

  it('answers an unknown operation, an unknown target and a missing target with UnknownOperationException', async () => {
    const op = await post('{}', 'AWSStepFunctions.LaunchRocket');
    expect(op).toMatchObject({ status: 400, type: 'UnknownOperationException' });
    expect(op.body.message).toMatch(/LaunchRocket/);
    expect((await post('{}', 'DynamoDB_20120810.ListTables')).type).toBe('UnknownOperationException');
    expect((await post('{}')).type).toBe('UnknownOperationException');
  });

  it('answers other paths and methods with errors', async () => {
    expect((await post('{}', 'AWSStepFunctions.ListStateMachines', '/other')).status).toBe(400);
    const r = await fetch(`${server.url}/`, { method: 'GET' });
    expect(r.status).toBe(400);
  });

  it('keeps serving the SDK after all of the above, signed or unsigned', async () => {
    const signed = sfnClient(server);
    await expect(signed.send(new ListStateMachinesCommand({}))).resolves.toMatchObject({ stateMachines: [] });
    signed.destroy();
    const anonymous = new SFNClient({
      endpoint: server.url,
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wrong', sessionToken: 'whatever' },
    });
    await expect(anonymous.send(new ListStateMachinesCommand({}))).resolves.toBeDefined();
    anonymous.destroy();
  });
});
