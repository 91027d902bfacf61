// The IPN NOWPayments sends when a payment is finished, built from the simulator's record of it
// and signed: what the HTTP and cluster benchmarks post, as the provider would.
import { signIpn } from '../src/integrations/nowpayments/index.ts';

export interface SignedIpn {
  body: string;
  signature: string;
}

export function finishedIpn(payment: Record<string, unknown>, ipnSecret: string): SignedIpn {
  const { ipn_callback_url: _hidden, ...fields } = payment;
  const finished = {
    ...fields,
    payment_status: 'finished',
    actually_paid: fields.pay_amount,
    updated_at: new Date().toISOString(),
    parent_payment_id: null,
    payment_extra_ids: null,
    fee: { currency: fields.pay_currency, depositFee: 0, withdrawalFee: 0, serviceFee: 0 },
  };
  return { body: JSON.stringify(finished), signature: signIpn(finished, ipnSecret) };
}
