// How a payment coin is named to people: NOWPayments codes (usdtsol) are not.
const COIN_LABELS: Readonly<Record<string, string>> = {
  btc: 'BTC',
  eth: 'ETH',
  sol: 'SOL',
  usdtsol: 'USDT (Solana)',
  usdcsol: 'USDC (Solana)',
};

export function coinLabel(code: string): string {
  return COIN_LABELS[code.toLowerCase()] ?? code.toUpperCase();
}
