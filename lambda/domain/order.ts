// The order model and the schemas of every step's event, checked at the edge with Powertools'
// parser: a malformed event becomes an InvalidOrderError whose message names the field.
import { parse } from '@aws-lambda-powertools/parser';
import * as z from 'zod';
import { InvalidOrderError } from './errors';

const show = (v: unknown): string => JSON.stringify(v) ?? 'nothing';
const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** A non-empty string, optionally of a given format; the messages follow the old hand-written checks. */
function text(format?: RegExp) {
  const s = z
    .string({ error: (iss) => `must be a non-empty string, got ${show(iss.input)}` })
    .refine((v) => v.trim() !== '', { error: (iss) => `must be a non-empty string, got ${show(iss.input)}` });
  return format ? s.refine((v) => format.test(v), { error: (iss) => `has an invalid format: ${show(iss.input)}` }) : s;
}

/** Nothing but an integer ≥ `min`, with a message that says what it must be. */
function integer(min: number, what: string) {
  const error = (iss: { input?: unknown }) => `must be ${what}, got ${show(iss.input)}`;
  return z.number({ error }).int({ error }).min(min, { error });
}

/** One line of an order. */
export const LineItemSchema = z.object(
  {
    sku: text(ID),
    quantity: integer(1, 'a positive integer'),
    /** Price of one unit, in cents. */
    unitPrice: integer(0, 'a whole number of cents ≥ 0'),
  },
  { error: () => 'must be an object with sku, quantity and unitPrice' },
);

/** An order as a client sends it; the parsed value carries its total (sum of quantity × unitPrice, in cents). */
export const OrderSchema = z
  .object(
    {
      orderId: text(ID),
      customerId: text(ID),
      items: z
        .array(LineItemSchema, { error: () => 'must be a non-empty array of line items' })
        .min(1, { error: () => 'must be a non-empty array of line items' })
        .max(100, { error: (iss) => `has ${(iss.input as unknown[]).length} lines; at most 100 are allowed` })
        .superRefine((items, ctx) => {
          const seen = new Set<string>();
          items.forEach((item, i) => {
            if (seen.has(item.sku)) ctx.addIssue({ code: 'custom', path: [i, 'sku'], message: `${item.sku} appears twice; merge the lines` });
            seen.add(item.sku);
          });
        }),
      currency: text(/^[A-Z]{3}$/).default('USD'),
      payment: z.object({ token: text() }, { error: () => 'must be an object with a card token' }),
      address: z.object(
        { name: text(), line1: text(), city: text(), postalCode: text(), country: text(/^[A-Z]{2}$/) },
        { error: () => 'must be an object with name, line1, city, postalCode and country' },
      ),
    },
    { error: (iss) => `must be a JSON object, got ${show(iss.input)}` },
  )
  .transform((o) => ({ ...o, total: o.items.reduce((sum, it) => sum + it.quantity * it.unitPrice, 0) }))
  .describe('the order');

/** One line of an order. */
export type LineItem = z.output<typeof LineItemSchema>;
/** A validated order. */
export type Order = z.output<typeof OrderSchema>;

// Every step after ValidateOrder receives the order again, plus the execution id for its logs.
const step = <T extends z.ZodRawShape>(shape: T) =>
  z.object(
    { order: OrderSchema, executionId: z.string().optional(), ...shape },
    { error: (iss) => `must be an object with an order field, got ${show(iss.input)}` },
  );

/** CheckCredit, CheckInventory, ShipOrder, SendReminder, RefundPayment, ReleaseInventory. */
export const OrderStepEvent = step({});
/** ProcessPayment: the order and the state's retry count (`$$.State.RetryCount`). */
export const PaymentEvent = step({ attempt: integer(0, 'a retry count (integer ≥ 0)').default(0) });
/** RequestApproval: the order and the callback token (`$$.Task.Token`). */
export const ApprovalEvent = step({
  taskToken: z
    .string({ error: () => 'must be the callback token from $$.Task.Token' })
    .min(1, { error: () => 'must be the callback token from $$.Task.Token' }),
});
/** SendConfirmation: the order and its shipment. */
export const ConfirmationEvent = step({ shipment: z.object({ trackingNumber: text(), carrier: text() }).optional() });
/** ReserveItem (one Map iteration): the order id and one line item. */
export const ReserveEvent = z.object(
  { orderId: text(ID), item: LineItemSchema, executionId: z.string().optional() },
  { error: (iss) => `must be an object with orderId and item, got ${show(iss.input)}` },
);

/** `items[0].sku` for the path `['items', 0, 'sku']`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.reduce<string>((name, key) => (typeof key === 'number' ? `${name}[${key}]` : name ? `${name}.${String(key)}` : String(key)), '');
}

/**
 * Parses a step's event with Powertools' parser; every problem becomes part of one
 * InvalidOrderError message that names the field, e.g. `items[0].quantity must be a positive integer, got 0`.
 */
export function parseEvent<S extends z.ZodType>(schema: S, event: unknown): z.output<S> {
  const subject = schema.description ?? 'the step input';
  const parsed = parse(event, undefined, schema, true);
  if (parsed.success) return parsed.data as z.output<S>;
  const issues = (parsed.error.cause ?? []) as readonly { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] }[];
  const problems = issues.map((i) => {
    const name = fieldName((i.path ?? []).map((p) => (typeof p === 'object' ? p.key : p)));
    return `${name || subject} ${i.message}`;
  });
  throw new InvalidOrderError(problems.join('; ') || 'the event is malformed', { cause: parsed.error });
}

/** Checks an incoming order and computes its total. */
export function parseOrder(event: unknown): Order {
  return parseEvent(OrderSchema, event);
}
