// Buying: the order first (amounts frozen, checks made under a lock on the product), then a
// payment in the coin the buyer picks. The NOWPayments calls happen between two short
// transactions, never inside one: read and check → call the provider → write the payment.
import { type Database, UniqueViolationError } from '../db/index.ts';
import {
  coinLabel,
  DEFAULT_FEE_POLICY,
  type FeePolicy,
  formatCents,
  isOpenOrder,
  newOrderId,
  priceBreakdown,
} from '../domain/index.ts';
import { type BusinessEvents, NO_EVENTS } from '../events.ts';
import {
  type CreatedPayment,
  compareDecimal,
  type NowPaymentsClient,
  NowPaymentsError,
  toPlainDecimal,
} from '../integrations/nowpayments/index.ts';
import type { Logger } from '../log.ts';
import {
  findOpenOrder,
  findPaidOrder,
  getOrderForBuyer,
  insertOrder,
  lockBuyerStanding,
  lockProductForSale,
  moveOrder,
  type Order,
} from '../repositories/orders.ts';
import {
  findReusablePayment,
  insertPayment,
  listOrderPayments,
  type Payment,
} from '../repositories/payments.ts';
import {
  completePaidOrder,
  DEFAULT_ESCROW_SECONDS,
  type EnqueueDelivery,
  paymentShortfall,
} from './completion.ts';
import {
  ConflictError,
  ForbiddenError,
  InvalidInputError,
  NotFoundError,
  PaymentProviderError,
  SuspendedError,
} from './errors.ts';

export interface CheckoutDeps {
  db: Database;
  nowPayments: Pick<NowPaymentsClient, 'minAmount' | 'createPayment'>;
  enqueueDelivery: EnqueueDelivery;
  log: Logger;
  /** Where NOWPayments posts IPNs: <public base URL>/ipn/nowpayments. */
  ipnCallbackUrl: string;
  /** Coins offered (provider codes, lower case). */
  payCurrencies: readonly string[];
  feePolicy?: FeePolicy;
  escrowSeconds?: number;
  /** Told when a free order is paid at checkout. */
  events?: BusinessEvents;
  /** Validity assumed when the provider gives no expiration_estimate_date. Default 1 h. */
  defaultPaymentValiditySeconds?: number;
}

export interface StartedOrder {
  order: Order;
  /** True when an open checkout of the buyer for this product was reused. */
  reused: boolean;
}

export interface PaymentInstructions {
  orderId: string;
  totalCents: number;
  /** NOWPayments payment id (for the refresh button and support). */
  paymentId: string;
  coin: string;
  address: string;
  /** Exact coin amount to send, decimal string. */
  amount: string;
  expiresAt: Date;
  /** True when the still-valid payment in this coin was shown again. */
  reused: boolean;
  /** Coins still to send when the payment was partly paid (decimal string), else null. */
  missing: string | null;
}

export interface CheckoutService {
  /** Opens (or reuses) the buyer's order for a product. A free product is paid and queued for delivery at once. */
  startOrder(buyerId: number, productId: string): Promise<StartedOrder>;
  /** The payment to make for the order in `coin`: the still-valid one in that coin, or a new one. */
  payOrder(buyerId: number, orderId: string, coin: string): Promise<PaymentInstructions>;
}

const MAX_ID_ATTEMPTS = 5;

export function createCheckoutService(deps: CheckoutDeps): CheckoutService {
  const feePolicy = deps.feePolicy ?? DEFAULT_FEE_POLICY;
  const effects = {
    enqueueDelivery: deps.enqueueDelivery,
    escrowSeconds: deps.escrowSeconds ?? DEFAULT_ESCROW_SECONDS,
  };
  const validitySeconds = deps.defaultPaymentValiditySeconds ?? 3600;
  const coins = new Set(deps.payCurrencies.map((c) => c.toLowerCase()));
  const log = deps.log.child({ component: 'checkout' });

  async function startOrder(buyerId: number, productId: string): Promise<StartedOrder> {
    const started = await openOrder(buyerId, productId);
    if (!started.reused && started.order.status === 'paid') (deps.events ?? NO_EVENTS).orderPaid();
    return started;
  }

  function openOrder(buyerId: number, productId: string): Promise<StartedOrder> {
    return deps.db.transaction(
      async (tx) => {
        const buyer = await lockBuyerStanding(tx, buyerId);
        if (!buyer) throw new NotFoundError('user', buyerId);
        if (buyer.suspended) throw new SuspendedError(buyer.suspendedUntil);
        const product = await lockProductForSale(tx, productId);
        if (!product) throw new NotFoundError('product', productId);
        if (product.status !== 'active') {
          throw new ConflictError('product_unavailable', 'This product cannot be bought now.', {
            productId,
            status: product.status,
          });
        }
        if (product.sellerId === buyerId) {
          throw new ForbiddenError('own_product', 'You cannot buy your own product.', { productId });
        }
        const owned = await findPaidOrder(tx, buyerId, productId);
        if (owned) {
          throw new ConflictError('already_owned', 'You already own this product: see your library.', {
            orderId: owned.id,
          });
        }
        const open = await findOpenOrder(tx, buyerId, productId);
        if (open) return { order: open, reused: true };

        const amounts = priceBreakdown(product.priceCents, feePolicy);
        for (let attempt = 1; ; attempt++) {
          try {
            // A savepoint, so that a clash leaves the transaction usable.
            const order = await tx.transaction((sp) =>
              insertOrder(sp, { id: newOrderId(), buyerId, product, amounts }),
            );
            if (amounts.free) await completePaidOrder(tx, order, null, effects);
            log.info({ orderId: order.id, productId, free: amounts.free }, 'Order created');
            return { order, reused: false };
          } catch (error) {
            if (!(error instanceof UniqueViolationError)) throw error;
            if (error.constraint === 'orders_buyer_product_open_key') {
              // The same buyer tapped twice at once: the other tap's order is the one.
              const raced = await findOpenOrder(tx, buyerId, productId);
              if (raced) return { order: raced, reused: true };
            }
            if (error.constraint !== 'orders_pkey' || attempt >= MAX_ID_ATTEMPTS) throw error;
          }
        }
      },
      // A product made free while its checkouts held share locks can deadlock them (see
      // lockProductForSale): PostgreSQL ends one, which starts again and finds the product free.
      { retries: 2 },
    );
  }

  async function payOrder(buyerId: number, orderId: string, coinInput: string): Promise<PaymentInstructions> {
    const coin = coinInput.trim().toLowerCase();
    if (!coins.has(coin)) {
      throw new InvalidInputError('coin_unavailable', 'coin', `${coinInput} is not offered.`, {
        offered: [...coins].join(','),
      });
    }
    const order = await getOrderForBuyer(deps.db, orderId, buyerId);
    if (!order) throw new NotFoundError('order', orderId);
    if (!isOpenOrder(order.status)) {
      throw new ConflictError('order_not_payable', `This order is ${order.status}.`, {
        orderId,
        status: order.status,
      });
    }
    // Money already sent stays with its payment: the rest goes to the same address, in the same coin.
    if (order.status === 'partially_paid') {
      const partial = (await listOrderPayments(deps.db, order.id)).find((p) => p.status === 'partially_paid');
      if (partial && partial.payCurrency !== coin) {
        throw new ConflictError(
          'order_partially_paid',
          'Finish this payment in the coin it was started in.',
          {
            orderId,
            coin: coinLabel(partial.payCurrency),
          },
        );
      }
      if (partial) return instructions(order, partial, true);
    }
    const reusable = await findReusablePayment(deps.db, order.id, coin);
    if (reusable) return instructions(order, reusable, true);

    await checkMinimum(coin, order.totalCents);
    const created = await createProviderPayment(order, coin);
    const payment = await deps.db.transaction(async (tx) => {
      const stored = await insertPayment(tx, {
        providerPaymentId: created.paymentId,
        orderId: order.id,
        payCurrency: created.payCurrency,
        payAddress: created.payAddress,
        payAmount: created.payAmount,
        actuallyPaid: created.actuallyPaid,
        priceCents: order.totalCents,
        status: created.status,
        expiresAt: expiry(created),
      });
      await moveOrder(tx, order.id, ['pending'], 'waiting');
      return stored;
    });
    log.info({ orderId: order.id, paymentId: payment.providerPaymentId, coin }, 'Payment created');
    return instructions(order, payment, false);
  }

  /** Refuses an order total below what the coin's network accepts, before creating anything. */
  async function checkMinimum(coin: string, totalCents: number): Promise<void> {
    let fiatMinimum: string | null;
    try {
      fiatMinimum = (await deps.nowPayments.minAmount({ from: coin, to: coin, fiatEquivalent: 'usd' }))
        .fiatEquivalent;
    } catch (error) {
      if (error instanceof NowPaymentsError)
        throw new PaymentProviderError('minAmount', false, { cause: error });
      throw error;
    }
    if (fiatMinimum !== null && compareDecimal(formatCents(totalCents), fiatMinimum) < 0) {
      throw belowMinimum(coin, fiatMinimum);
    }
  }

  async function createProviderPayment(order: Order, coin: string): Promise<CreatedPayment> {
    try {
      return await deps.nowPayments.createPayment({
        priceAmount: formatCents(order.totalCents),
        priceCurrency: 'usd',
        payCurrency: coin,
        orderId: order.id,
        orderDescription: order.productTitle,
        ipnCallbackUrl: deps.ipnCallbackUrl,
      });
    } catch (error) {
      if (!(error instanceof NowPaymentsError)) throw error;
      if (error.providerCode === 'AMOUNT_MINIMAL_ERROR') throw belowMinimum(coin, null);
      log.error({ orderId: order.id, coin, err: error }, 'NOWPayments createPayment failed');
      throw new PaymentProviderError('createPayment', error.mayHaveSucceeded, { cause: error });
    }
  }

  function expiry(created: CreatedPayment): Date {
    const given = created.expiresAt ? new Date(created.expiresAt) : null;
    return given && !Number.isNaN(given.getTime()) ? given : new Date(Date.now() + validitySeconds * 1000);
  }

  return { startOrder, payOrder };
}

function belowMinimum(coin: string, fiatMinimum: string | null): ConflictError {
  const minimumUsd = fiatMinimum === null ? null : (toPlainDecimal(fiatMinimum) ?? fiatMinimum);
  return new ConflictError('amount_below_minimum', `This order is below the ${coin} network's minimum.`, {
    coin: coinLabel(coin),
    minimumUsd,
    // For the message: the minimum in dollars, or 'none' when the provider did not say.
    minimum: minimumUsd === null ? 'none' : `$${minimumUsd}`,
  });
}

function instructions(order: Order, payment: Payment, reused: boolean): PaymentInstructions {
  return {
    missing: paymentShortfall(payment),
    orderId: order.id,
    totalCents: order.totalCents,
    paymentId: payment.providerPaymentId,
    coin: payment.payCurrency,
    address: payment.payAddress,
    amount: payment.payAmount,
    expiresAt: payment.expiresAt,
    reused,
  };
}
