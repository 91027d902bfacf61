// Business events the operator counts. Services say what happened through this interface once
// it committed; the composition root wires it to the metrics, so nothing else knows prom-client.

export interface BusinessEvents {
  /** An order became paid: a provider payment completed it, or it was free. */
  orderPaid(): void;
  /** A paid order reached its buyer. */
  orderDelivered(): void;
  /** A one-time link started a download. */
  downloadServed(): void;
  /** Seller payout lines recorded as paid. */
  payoutsPaid(count: number): void;
  /** A Telegram user was seen for the first time. */
  userJoined(): void;
}

/** For services built without an operator watching (tests, scripts). */
export const NO_EVENTS: BusinessEvents = Object.freeze({
  orderPaid() {},
  orderDelivered() {},
  downloadServed() {},
  payoutsPaid() {},
  userJoined() {},
});
