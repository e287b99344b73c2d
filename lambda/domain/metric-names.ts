// The business metrics the handlers publish and the construct's metric* methods read: one list,
// imported by both sides (dependency-free, like error-names.ts).

export const MetricNames = {
  /** A new order passed validation and was recorded. */
  OrdersPlaced: 'OrdersPlaced',
  /** The payment provider declined an order's charge. */
  OrdersDeclined: 'OrdersDeclined',
  /** An order's compensation ran (stock released, charge refunded). */
  OrdersCompensated: 'OrdersCompensated',
} as const;

export type MetricName = (typeof MetricNames)[keyof typeof MetricNames];
