// The simulator's one HTML page: every payment, and buttons that play the buyer's wallet.
// Plain forms, no script, so it works from any browser pointed at the local simulator.

export interface PageRow {
  paymentId: string;
  orderId: string | null;
  description: string | null;
  price: string;
  pay: string;
  paid: string;
  status: string;
  lastIpn: string;
  actions: readonly { to: string; label: string }[];
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

function button(paymentId: string, to: string, label: string, token: string): string {
  const action = `/sim/payments/${encodeURIComponent(paymentId)}/advance?token=${encodeURIComponent(token)}`;
  return (
    `<form method="post" action="${escapeHtml(action)}">` +
    `<input type="hidden" name="to" value="${escapeHtml(to)}"><button type="submit">${escapeHtml(label)}</button></form>`
  );
}

export function renderPage(rows: readonly PageRow[], token: string, message?: string): string {
  const body = rows.length
    ? rows
        .map(
          (r) =>
            `<tr><td>${escapeHtml(r.paymentId)}</td><td>${escapeHtml(r.orderId ?? '')}</td>` +
            `<td>${escapeHtml(r.description ?? '')}</td><td>${escapeHtml(r.price)}</td><td>${escapeHtml(r.pay)}</td>` +
            `<td>${escapeHtml(r.paid)}</td><td><b>${escapeHtml(r.status)}</b></td><td>${escapeHtml(r.lastIpn)}</td>` +
            `<td class="actions">${r.actions.map((a) => button(r.paymentId, a.to, a.label, token)).join('')}</td></tr>`,
        )
        .join('\n')
    : '<tr><td colspan="9">No payment yet. Start a checkout in the bot.</td></tr>';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>NOWPayments simulator</title>
<style>
body{font-family:system-ui,sans-serif;margin:2rem}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}.actions form{display:inline;margin-right:.3rem}
.note{color:#555}.message{background:#fff3cd;padding:.5rem}
</style></head><body>
<h1>NOWPayments simulator</h1>
<p class="note">Local stand-in for NOWPayments: no money moves. "Mark paid" walks the payment to
finished and sends a signed IPN for each status, as the provider does.</p>
${message ? `<p class="message">${escapeHtml(message)}</p>` : ''}
<table><thead><tr><th>Payment</th><th>Order</th><th>Description</th><th>Price</th><th>To pay</th>
<th>Paid</th><th>Status</th><th>Last IPN</th><th></th></tr></thead>
<tbody>
${body}
</tbody></table>
<p><a href="/sim?token=${escapeHtml(encodeURIComponent(token))}">Refresh</a></p>
</body></html>
`;
}
