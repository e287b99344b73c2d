// A local DynamoDB (dynalite, in-process on loopback) with the tables a stack defines, so handlers
// that use DynamoDB run locally unchanged: the AWS SDK honours AWS_ENDPOINT_URL_DYNAMODB.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AttributeDefinition, KeySchemaElement } from '@aws-sdk/client-dynamodb';
import { physicalName } from './resolve';
import type { StackArtifact } from './template';

/** A running local DynamoDB. */
export interface LocalDynamoDb {
  readonly endpoint: string;
  /** Table names by logical id. */
  readonly tables: Readonly<Record<string, string>>;
  /** Environment variables that point the AWS SDK (and Stepwise's handlers) at this server. */
  readonly environment: Readonly<Record<string, string>>;
  /** Writes items into a table given by logical id, logical-id prefix or name. */
  put(table: string, items: Record<string, unknown>[]): Promise<void>;
  stop(): Promise<void>;
}

// dynalite ships no type declarations.
type Dynalite = (options: { createTableMs: number; deleteTableMs: number; updateTableMs: number }) => Server;

/** Starts dynalite on a free loopback port and creates every AWS::DynamoDB::Table of the stacks. */
export async function startLocalDynamoDb(stacks: readonly StackArtifact[] = []): Promise<LocalDynamoDb> {
  const dynalite = require('dynalite') as Dynalite;
  // Loaded here, not at the top: only this feature of the testing tools needs the SDK.
  const { BatchWriteItemCommand, CreateTableCommand, DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { marshall } = await import('@aws-sdk/util-dynamodb');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const tables: Record<string, string> = {};
  const created = new Set<string>();
  for (const stack of stacks) {
    for (const [logicalId, r] of Object.entries(stack.template.Resources ?? {})) {
      if (r.Type !== 'AWS::DynamoDB::Table') continue;
      const p = r.Properties ?? {};
      const name = physicalName(logicalId, r);
      tables[logicalId] = name;
      if (created.has(name)) continue; // the same table in several stacks (Standard and Express) is shared
      created.add(name);
      await client.send(
        new CreateTableCommand({
          TableName: name,
          KeySchema: p.KeySchema as unknown as KeySchemaElement[],
          AttributeDefinitions: p.AttributeDefinitions as unknown as AttributeDefinition[],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    }
  }
  const environment = {
    AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    DYNAMODB_ENDPOINT: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  };
  const tableName = (key: string): string => {
    const exact = Object.hasOwn(tables, key) ? tables[key] : undefined;
    if (exact !== undefined) return exact;
    // A part of the logical id (CDK adds a hash suffix) or the physical name.
    const matches = Object.entries(tables).filter(([id, name]) => id.includes(key) || name === key);
    const [match] = matches;
    if (match !== undefined && matches.length === 1) return match[1];
    throw new Error(`No single table matches '${key}'; tables: ${Object.keys(tables).join(', ') || '(none)'}`);
  };
  return {
    endpoint,
    tables,
    environment,
    async put(table, items) {
      const name = tableName(table);
      for (let i = 0; i < items.length; i += 25) {
        const batch = items.slice(i, i + 25).map((item) => ({ PutRequest: { Item: marshall(item, { removeUndefinedValues: true }) } }));
        await client.send(new BatchWriteItemCommand({ RequestItems: { [name]: batch } }));
      }
    },
    async stop() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
