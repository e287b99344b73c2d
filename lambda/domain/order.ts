// The order model and its validation at the edge: a malformed event becomes an
// InvalidOrderError whose message names the field.
import { InvalidOrderError } from './errors';

/** One line of an order. */
export interface LineItem {
  sku: string;
  quantity: number;
  /** Price of one unit, in cents. */
  unitPrice: number;
}

/** A validated order. */
export interface Order {
  orderId: string;
  customerId: string;
  items: LineItem[];
  /** Sum of quantity × unitPrice, in cents. */
  total: number;
  currency: string;
  payment: { token: string };
  address: { name: string; line1: string; city: string; postalCode: string; country: string };
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(obj: Record<string, unknown>, key: string, where: string, pattern?: RegExp): string {
  const v = obj[key];
  if (typeof v !== 'string' || v.trim() === '') throw new InvalidOrderError(`${where}${key} must be a non-empty string, got ${JSON.stringify(v) ?? 'nothing'}`);
  if (pattern && !pattern.test(v)) throw new InvalidOrderError(`${where}${key} has an invalid format: ${JSON.stringify(v)}`);
  return v;
}

/** Checks an incoming order event and computes its total. */
export function parseOrder(event: unknown): Order {
  if (!isRecord(event)) throw new InvalidOrderError(`the order must be a JSON object, got ${JSON.stringify(event) ?? typeof event}`);
  const orderId = str(event, 'orderId', '', ID);
  const customerId = str(event, 'customerId', '', ID);
  const rawItems = event.items;
  if (!Array.isArray(rawItems) || rawItems.length === 0) throw new InvalidOrderError('items must be a non-empty array of line items');
  if (rawItems.length > 100) throw new InvalidOrderError(`items has ${rawItems.length} lines; at most 100 are allowed`);
  const items = rawItems.map((raw: unknown, i): LineItem => {
    const where = `items[${i}].`;
    if (!isRecord(raw)) throw new InvalidOrderError(`items[${i}] must be an object with sku, quantity and unitPrice`);
    const sku = str(raw, 'sku', where, ID);
    const { quantity, unitPrice } = raw;
    if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) throw new InvalidOrderError(`${where}quantity must be a positive integer, got ${JSON.stringify(quantity)}`);
    if (typeof unitPrice !== 'number' || !Number.isInteger(unitPrice) || unitPrice < 0) throw new InvalidOrderError(`${where}unitPrice must be a whole number of cents ≥ 0, got ${JSON.stringify(unitPrice)}`);
    return { sku, quantity, unitPrice };
  });
  const skus = new Set<string>();
  for (const [i, item] of items.entries()) {
    if (skus.has(item.sku)) throw new InvalidOrderError(`items[${i}].sku ${item.sku} appears twice; merge the lines`);
    skus.add(item.sku);
  }
  const payment = event.payment;
  if (!isRecord(payment)) throw new InvalidOrderError('payment must be an object with a card token');
  const address = event.address;
  if (!isRecord(address)) throw new InvalidOrderError('address must be an object with name, line1, city, postalCode and country');
  const currency = event.currency === undefined ? 'USD' : str(event, 'currency', '', /^[A-Z]{3}$/);
  return {
    orderId,
    customerId,
    items,
    total: items.reduce((sum, it) => sum + it.quantity * it.unitPrice, 0),
    currency,
    payment: { token: str(payment, 'token', 'payment.') },
    address: {
      name: str(address, 'name', 'address.'),
      line1: str(address, 'line1', 'address.'),
      city: str(address, 'city', 'address.'),
      postalCode: str(address, 'postalCode', 'address.'),
      country: str(address, 'country', 'address.', /^[A-Z]{2}$/),
    },
  };
}

/** Reads the order from a step's event (`{ order }`), validating it again at this edge. */
export function orderFrom(event: unknown): Order {
  if (!isRecord(event) || !('order' in event)) throw new InvalidOrderError('the step input must have an order field');
  return parseOrder(event.order);
}
