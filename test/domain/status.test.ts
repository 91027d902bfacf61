import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ADMIN_PRODUCT_MACHINE,
  applyProviderStatus,
  assertAdminProductMove,
  assertMove,
  assertOrderMove,
  assertSellerProductMove,
  canMove,
  canMoveOrder,
  canMovePayment,
  initialOrderStatus,
  isFinal,
  isOpenOrder,
  isPaidOrder,
  isPaymentStatus,
  isPurchasable,
  ORDER_MACHINE,
  ORDER_STATUSES,
  type OrderStatus,
  orderStatusForPayment,
  PAYMENT_MACHINE,
  PAYMENT_RANK,
  PAYMENT_STATUSES,
  type PaymentStatus,
  PRODUCT_STATUSES,
  type ProductStatus,
  SELLER_PRODUCT_MACHINE,
  type StateMachine,
  TICKET_MACHINE,
  TransitionError,
} from '../../src/domain/index.ts';

function refusedWith(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof TransitionError, `expected a TransitionError, got ${error}`);
    assert.equal(error.code, code);
    return true;
  });
}

/** Every pair (from, to) with to ≠ from, allowed or not according to the table. */
function pairs<S extends string>(machine: StateMachine<S>): [S, S, boolean][] {
  return machine.statuses.flatMap((from) =>
    machine.statuses
      .filter((to) => to !== from)
      .map((to): [S, S, boolean] => [from, to, canMove(machine, from, to)]),
  );
}

describe('state machine tables', () => {
  for (const machine of [
    ORDER_MACHINE,
    PAYMENT_MACHINE,
    SELLER_PRODUCT_MACHINE,
    ADMIN_PRODUCT_MACHINE,
    TICKET_MACHINE,
  ]) {
    test(`${machine.entity}: every status has a row, targets are known, no self-moves`, () => {
      assert.deepEqual(Object.keys(machine.moves).sort(), [...machine.statuses].sort());
      for (const [from, targets] of Object.entries(machine.moves) as [string, string[]][]) {
        assert.ok(!targets.includes(from), `${from} moves to itself`);
        for (const to of targets) assert.ok((machine.statuses as readonly string[]).includes(to), to);
        assert.equal(new Set(targets).size, targets.length);
      }
    });
  }

  test('unknown statuses (a corrupt row) cannot move', () => {
    assert.equal(canMove(ORDER_MACHINE, 'completed' as OrderStatus, 'paid'), false);
  });
});

describe('order transitions', () => {
  const allowed: [OrderStatus, OrderStatus][] = [
    ['pending', 'waiting'],
    ['pending', 'partially_paid'],
    ['pending', 'paid'],
    ['pending', 'expired'],
    ['pending', 'failed'],
    ['pending', 'cancelled'],
    ['waiting', 'partially_paid'],
    ['waiting', 'paid'],
    ['waiting', 'expired'],
    ['waiting', 'failed'],
    ['waiting', 'cancelled'],
    ['partially_paid', 'paid'],
    ['partially_paid', 'expired'],
    ['partially_paid', 'failed'],
    ['partially_paid', 'cancelled'],
    ['partially_paid', 'refunded'],
    ['paid', 'refunded'],
    ['expired', 'paid'],
    ['failed', 'paid'],
    ['cancelled', 'paid'],
  ];

  test('exactly the listed moves are allowed', () => {
    const actual = pairs(ORDER_MACHINE)
      .filter(([, , ok]) => ok)
      .map(([from, to]) => `${from}→${to}`)
      .sort();
    assert.deepEqual(actual, allowed.map(([from, to]) => `${from}→${to}`).sort());
  });

  for (const [from, to] of allowed) {
    test(`${from} → ${to}`, () => {
      assert.ok(canMoveOrder(from, to));
      assertOrderMove(from, to);
    });
  }

  const forbidden: [OrderStatus, OrderStatus][] = [
    ['waiting', 'pending'],
    ['partially_paid', 'waiting'],
    ['paid', 'waiting'],
    ['paid', 'cancelled'],
    ['paid', 'expired'],
    ['paid', 'failed'],
    ['refunded', 'paid'],
    ['refunded', 'pending'],
    ['expired', 'waiting'],
    ['cancelled', 'waiting'],
    ['failed', 'refunded'],
    ['pending', 'refunded'],
    ['waiting', 'refunded'],
    ['paid', 'paid'],
  ];
  for (const [from, to] of forbidden) {
    test(`${from} ↛ ${to}`, () => {
      assert.ok(!canMoveOrder(from, to));
      refusedWith(() => assertOrderMove(from, to), 'order_transition_forbidden');
    });
  }

  test('the error names the move', () => {
    try {
      assertOrderMove('paid', 'waiting');
      assert.fail('should throw');
    } catch (error) {
      assert.ok(error instanceof TransitionError);
      assert.equal(error.entity, 'order');
      assert.equal(error.from, 'paid');
      assert.equal(error.to, 'waiting');
      assert.match(error.message, /'paid' to 'waiting'/);
    }
  });

  test('refunded is the only final order status', () => {
    assert.deepEqual(
      ORDER_STATUSES.filter((s) => isFinal(ORDER_MACHINE, s)),
      ['refunded'],
    );
  });

  test('helpers', () => {
    assert.deepEqual(ORDER_STATUSES.filter(isOpenOrder), ['pending', 'waiting', 'partially_paid']);
    assert.deepEqual(ORDER_STATUSES.filter(isPaidOrder), ['paid']);
    assert.equal(initialOrderStatus(0), 'paid');
    assert.equal(initialOrderStatus(1148), 'pending');
  });
});

describe('payment transitions', () => {
  const progression: PaymentStatus[] = [
    'waiting',
    'confirming',
    'confirmed',
    'sending',
    'partially_paid',
    'finished',
  ];

  test('every non-final move goes up in rank: nothing moves backwards', () => {
    for (const [from, to, ok] of pairs(PAYMENT_MACHINE)) {
      if (ok && !(to === 'finished' || to === 'refunded')) {
        assert.ok(PAYMENT_RANK[to] > PAYMENT_RANK[from], `${from} → ${to}`);
      }
    }
  });

  test('along the progression, later beats earlier and never the reverse', () => {
    for (let i = 0; i < progression.length; i++) {
      for (let j = 0; j < progression.length; j++) {
        const [from, to] = [progression[i], progression[j]] as [PaymentStatus, PaymentStatus];
        assert.equal(canMovePayment(from, to), j > i, `${from} → ${to}`);
      }
    }
  });

  test('failed and expired end the progression except for finished and refunded', () => {
    for (const from of ['failed', 'expired'] as const) {
      const allowed = PAYMENT_STATUSES.filter((to) => canMovePayment(from, to));
      assert.deepEqual(allowed.sort(), ['finished', 'refunded']);
    }
  });

  test('finished can only be refunded; refunded is final', () => {
    assert.deepEqual(
      PAYMENT_STATUSES.filter((to) => canMovePayment('finished', to)),
      ['refunded'],
    );
    assert.ok(isFinal(PAYMENT_MACHINE, 'refunded'));
  });

  test('refused payment moves carry the payment code', () => {
    refusedWith(() => assertMove(PAYMENT_MACHINE, 'finished', 'confirming'), 'payment_transition_forbidden');
  });

  test('provider statuses are recognised, anything else is not', () => {
    for (const status of PAYMENT_STATUSES) assert.ok(isPaymentStatus(status));
    for (const status of ['completed', 'FINISHED', '', null, 3]) assert.ok(!isPaymentStatus(status));
  });

  test('only finished implies a paid order', () => {
    const implied = Object.fromEntries(PAYMENT_STATUSES.map((s) => [s, orderStatusForPayment(s)]));
    assert.deepEqual(implied, {
      waiting: 'waiting',
      confirming: 'waiting',
      confirmed: 'waiting',
      sending: 'waiting',
      partially_paid: 'partially_paid',
      finished: 'paid',
      failed: 'failed',
      refunded: 'refunded',
      expired: 'expired',
    });
  });
});

describe('applyProviderStatus', () => {
  test('the first status of a new payment moves the order to waiting', () => {
    assert.deepEqual(applyProviderStatus({ order: 'pending', payment: null }, 'waiting'), {
      payment: 'waiting',
      paymentChanged: true,
      order: 'waiting',
      orderChanged: true,
      completesOrder: false,
    });
  });

  test('the normal path completes the order once', () => {
    let state: { order: OrderStatus; payment: PaymentStatus | null } = {
      order: 'waiting',
      payment: 'waiting',
    };
    let completions = 0;
    for (const incoming of [
      'confirming',
      'confirmed',
      'sending',
      'finished',
      'finished',
      'confirmed',
    ] as const) {
      const outcome = applyProviderStatus(state, incoming);
      if (outcome.completesOrder) completions++;
      state = { order: outcome.order, payment: outcome.payment };
    }
    assert.equal(completions, 1);
    assert.deepEqual(state, { order: 'paid', payment: 'finished' });
  });

  test('finished before confirming: the late confirming changes nothing', () => {
    const first = applyProviderStatus({ order: 'waiting', payment: 'waiting' }, 'finished');
    assert.equal(first.completesOrder, true);
    const late = applyProviderStatus({ order: first.order, payment: first.payment }, 'confirming');
    assert.deepEqual(late, {
      payment: 'finished',
      paymentChanged: false,
      order: 'paid',
      orderChanged: false,
      completesOrder: false,
    });
  });

  test('every permutation of a notification sequence ends in the same state, completing once', () => {
    const events: PaymentStatus[] = ['waiting', 'confirming', 'confirmed', 'sending', 'finished'];
    const permutations = (list: PaymentStatus[]): PaymentStatus[][] =>
      list.length <= 1
        ? [list]
        : list.flatMap((x, i) => permutations(list.toSpliced(i, 1)).map((rest) => [x, ...rest]));
    for (const order of permutations(events)) {
      let state: { order: OrderStatus; payment: PaymentStatus | null } = { order: 'pending', payment: null };
      let completions = 0;
      for (const incoming of order) {
        const outcome = applyProviderStatus(state, incoming);
        completions += outcome.completesOrder ? 1 : 0;
        state = { order: outcome.order, payment: outcome.payment };
      }
      assert.equal(completions, 1, order.join(','));
      assert.deepEqual(state, { order: 'paid', payment: 'finished' }, order.join(','));
    }
  });

  test('partial payment is recorded, then completed by finished', () => {
    const partial = applyProviderStatus({ order: 'waiting', payment: 'confirming' }, 'partially_paid');
    assert.equal(partial.order, 'partially_paid');
    const stale = applyProviderStatus({ order: 'partially_paid', payment: 'partially_paid' }, 'sending');
    assert.equal(stale.paymentChanged, false);
    assert.equal(stale.order, 'partially_paid');
    const done = applyProviderStatus({ order: 'partially_paid', payment: 'partially_paid' }, 'finished');
    assert.equal(done.completesOrder, true);
  });

  test('money arriving after our expiry still completes the order', () => {
    const outcome = applyProviderStatus({ order: 'expired', payment: 'waiting' }, 'finished');
    assert.equal(outcome.order, 'paid');
    assert.equal(outcome.completesOrder, true);
  });

  test('a confirming after our expiry neither revives nor changes the order', () => {
    const outcome = applyProviderStatus({ order: 'expired', payment: 'waiting' }, 'confirming');
    assert.equal(outcome.paymentChanged, true);
    assert.equal(outcome.order, 'expired');
    assert.equal(outcome.orderChanged, false);
  });

  test('failure and expiry from the provider', () => {
    assert.equal(applyProviderStatus({ order: 'waiting', payment: 'confirming' }, 'failed').order, 'failed');
    assert.equal(applyProviderStatus({ order: 'waiting', payment: 'waiting' }, 'expired').order, 'expired');
    const stale = applyProviderStatus({ order: 'failed', payment: 'failed' }, 'confirmed');
    assert.equal(stale.paymentChanged, false);
    assert.equal(stale.order, 'failed');
  });

  test('refund after completion', () => {
    const outcome = applyProviderStatus({ order: 'paid', payment: 'finished' }, 'refunded');
    assert.deepEqual(
      [outcome.payment, outcome.order, outcome.completesOrder],
      ['refunded', 'refunded', false],
    );
    const after = applyProviderStatus({ order: 'refunded', payment: 'refunded' }, 'finished');
    assert.equal(after.paymentChanged, false);
    assert.equal(after.order, 'refunded');
  });

  test('a refunded partial payment refunds the order; a refund of an unpaid order leaves it', () => {
    assert.equal(
      applyProviderStatus({ order: 'partially_paid', payment: 'partially_paid' }, 'refunded').order,
      'refunded',
    );
    const unpaid = applyProviderStatus({ order: 'waiting', payment: 'waiting' }, 'refunded');
    assert.equal(unpaid.payment, 'refunded');
    assert.equal(unpaid.orderChanged, false);
  });
});

describe('product status moves', () => {
  const sellerAllowed = [
    'draft→active',
    'draft→deleted',
    'active→inactive',
    'active→deleted',
    'inactive→active',
    'inactive→deleted',
    'banned→deleted',
  ];

  test('a seller may do exactly this', () => {
    const actual = pairs(SELLER_PRODUCT_MACHINE)
      .filter(([, , ok]) => ok)
      .map(([from, to]) => `${from}→${to}`);
    assert.deepEqual(actual.sort(), sellerAllowed.sort());
  });

  test('a seller cannot re-activate a banned product', () => {
    refusedWith(() => assertSellerProductMove('banned', 'active'), 'product_banned');
    refusedWith(() => assertSellerProductMove('banned', 'inactive'), 'product_banned');
    assertSellerProductMove('banned', 'deleted');
  });

  test('a seller cannot ban or un-delete', () => {
    refusedWith(() => assertSellerProductMove('active', 'banned'), 'product_transition_forbidden');
    refusedWith(() => assertSellerProductMove('active', 'draft'), 'product_transition_forbidden');
    for (const to of PRODUCT_STATUSES.filter((s) => s !== 'deleted')) {
      refusedWith(() => assertSellerProductMove('deleted', to), 'product_deleted');
    }
  });

  test('an admin bans live products and restores banned ones; deleted stays deleted', () => {
    for (const from of ['draft', 'active', 'inactive'] as ProductStatus[])
      assertAdminProductMove(from, 'banned');
    assertAdminProductMove('banned', 'active');
    assertAdminProductMove('banned', 'inactive');
    refusedWith(() => assertAdminProductMove('deleted', 'active'), 'product_deleted');
    refusedWith(() => assertAdminProductMove('deleted', 'banned'), 'product_deleted');
    refusedWith(() => assertAdminProductMove('active', 'deleted'), 'product_transition_forbidden');
  });

  test('deleted is final for everyone', () => {
    assert.ok(isFinal(SELLER_PRODUCT_MACHINE, 'deleted'));
    assert.ok(isFinal(ADMIN_PRODUCT_MACHINE, 'deleted'));
  });

  test('only active products can be bought', () => {
    assert.deepEqual(PRODUCT_STATUSES.filter(isPurchasable), ['active']);
  });
});

describe('ticket status moves', () => {
  test('conversation turns and closing', () => {
    assert.ok(canMove(TICKET_MACHINE, 'open', 'pending_user'));
    assert.ok(canMove(TICKET_MACHINE, 'pending_user', 'pending_admin'));
    assert.ok(canMove(TICKET_MACHINE, 'pending_admin', 'pending_user'));
    assert.ok(canMove(TICKET_MACHINE, 'resolved', 'pending_admin'));
    assert.ok(canMove(TICKET_MACHINE, 'resolved', 'closed'));
    assert.ok(isFinal(TICKET_MACHINE, 'closed'));
    assert.ok(!canMove(TICKET_MACHINE, 'pending_user', 'open'));
    refusedWith(() => assertMove(TICKET_MACHINE, 'closed', 'open'), 'ticket_transition_forbidden');
  });
});
