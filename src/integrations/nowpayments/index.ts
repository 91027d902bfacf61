// NOWPayments: REST client, IPN signature and reading, settings. The local simulator is in src/dev/.
export {
  type ApiStatus,
  type CreatePaymentInput,
  createNowPaymentsClient,
  type Estimate,
  type MinAmount,
  type NowPaymentsClient,
  type NowPaymentsClientOptions,
} from './client.ts';
export { addDecimal, compareDecimal, subtractDecimal, toPlainDecimal } from './decimal.ts';
export { NowPaymentsError, type NowPaymentsLocalCode } from './errors.ts';
export { type IpnFee, type IpnReadResult, type NowPaymentsIpn, readIpn } from './ipn.ts';
export { type CreatedPayment, type NowPayment, type NowPaymentStatus, PAYMENT_STATUSES } from './schemas.ts';
export {
  DEFAULT_NOWPAYMENTS_BASE_URL,
  DEFAULT_PAY_CURRENCIES,
  type NowPaymentsSettings,
  nowPaymentsSettingsSchema,
} from './settings.ts';
export {
  canonicalIpnJson,
  IPN_SIGNATURE_HEADER,
  signedContentDigest,
  signIpn,
  verifyIpnSignature,
} from './signature.ts';
