# Agora — bot texts in English.
# Messages are Telegram HTML: the bot escapes every variable.
# Button labels and alerts (button-*, rate-limited, error-generic, language-saved) are plain
# text: no tags.

## Welcome and menu

welcome =
    👋 Welcome to <b>Agora</b>, { $name }!

    🛒 <b>Buy</b>: guides, courses, templates and digital tools, delivered right here.
    💼 <b>Sell</b>: list your files and get paid in USDT on Solana.
    📚 <b>Library</b>: all your purchases, to download again whenever you like.

    💳 Pay in crypto: BTC, ETH, SOL, USDT, USDC.
    🔎 Tip: type a product id (e.g. <code>P-7K3M9QXD4T</code>) or keywords at any time to search.
button-buy = 🛒 Buy
button-sell = 💼 Sell
button-library = 📚 My library
button-support = 💬 Support
button-home = 🏠 Home
button-faq = ❓ FAQ
button-refresh = 🔄 Refresh
button-new-ticket = ✉️ Create a ticket
button-my-tickets = 🗂 My tickets
language-saved = Language saved: English 🇬🇧
link-invalid = 🔗 This link is not valid. Here is the home screen.
link-unavailable = 🔗 This link is not available yet. Here is the home screen.

## Help

help =
    ❓ <b>Help</b>

    /start: home
    /buy: browse the catalog
    /sell: sell your products
    /library: your purchases
    /stats: your seller dashboard
    /shop: a seller's storefront
    /support: FAQ and tickets

    Type a product id or keywords to search. The FAQ answers the most common questions.

## Robustness

button-expired = This button is no longer available. Please open the menu again.
rate-limited = Easy there 🙂 You're going a bit fast: please try again in a minute.
error-generic = Sorry, something went wrong on our side. Please try again in a moment; if it keeps happening, contact support.
not-understood = I didn't understand that message. Use the menu or /help.

## Administration

admin-menu =
    🛠 <b>Administration</b>
    Signed in as an administrator ({ $id }).

## Command menu (plain text)

command-start = Home
command-buy = Buy a product
command-sell = Sell your products
command-library = My purchases
command-stats = Seller dashboard
command-shop = A seller's storefront
command-help = Help
command-support = FAQ and support

## FAQ

faq-entry =
    ❓ <b>{ $question }</b>

    { $answer }

    <i>Question { $n } of { $total }</i>
faq-q-1 = How do I buy a product?
faq-a-1 = Open 🛒 Buy, pick a category, browse the cards and press "Buy". Choose a coin and send the exact amount shown to the address given: the product arrives here as soon as the payment is confirmed.
faq-q-2 = Which cryptocurrencies are accepted?
faq-a-2 = BTC, ETH, SOL, USDT (Solana network) and USDC (Solana network). The exact amount in the chosen coin is shown before you pay, fees included.
faq-q-3 = Do I need to prove my identity?
faq-a-3 = No. Your Telegram account is enough: no ID documents, no password.
faq-q-4 = How do I become a seller?
faq-a-4 = Type /sell, give an email address and then your Solana payout address. You can then add a product in six steps: title, description, category, price, cover (optional) and file.
faq-q-5 = How much does a seller earn?
faq-a-5 = The seller earns the listed price of the product. The platform fee is paid by the buyer, on top of the price. A free product has no fee.
faq-q-6 = When and how are sellers paid?
faq-a-6 = Each sale is held in escrow for 24 h, then becomes available. Payouts are sent in USDT on Solana to your payout address; your dashboard shows the escrow, available and paid balances.
faq-q-7 = How do I contact support?
faq-a-7 = Press "Create a ticket" below and describe your question. An administrator answers right here; follow the conversation in "My tickets".
faq-q-8 = How do I report a problem with an order?
faq-a-8 = In 📚 My library, open the purchase and press "Report a problem". The ticket is linked to your order, no need to describe it.
faq-q-9 = I paid but did not receive my file.
faq-a-9 = Delivery is retried automatically until it succeeds. Some coins need several confirmations: use "Refresh status" on the payment message. If nothing arrives, open a ticket with your order number.
faq-q-10 = Where are my purchases?
faq-a-10 = In 📚 My library (/library). You can download again as often as you like, even if the seller has since removed the product.
faq-q-11 = How do I contact the seller?
faq-a-11 = In 📚 My library, press "Contact the seller". Messages go through the bot: neither you nor the seller sees the other's Telegram account.
faq-q-12 = Is the platform safe?
faq-a-12 = Payments go through NOWPayments and every notification is verified. Sellers are paid after a 24 h escrow, download links are personal and single-use, and no bank details are ever asked for.
faq-q-13 = How long does a payment take?
faq-a-13 = It depends on the coin: a few minutes for SOL, USDT and USDC on Solana, longer for BTC or ETH depending on the network. The order is confirmed once the money has actually arrived.
faq-q-14 = How do I get a Solana wallet?
faq-a-14 = Install a wallet such as Phantom, Solflare or Backpack, create an account and write down your recovery phrase somewhere safe. Your address (32 to 44 characters) is shown in the app.
faq-q-15 = Can I pay by card?
faq-a-15 = No, crypto only. You can buy USDT or SOL on an exchange and send them from your wallet.
faq-q-16 = Which commands can I use?
faq-a-16 = /start home · /buy catalog · /sell sell · /library purchases · /stats dashboard · /shop storefront · /help help · /support FAQ and tickets.

notify-download = ⬇️ Download (link valid 5 minutes)
notify-library = 📚 My library
notify-delivered = ✅ Payment received! Your purchase <b>{ $title }</b> (order { $order }) is ready. Download it now, or any time later from your library.
notify-sale = 💰 New sale: <b>{ $title }</b> for { $amount }. The amount is held in escrow for 24 h, then becomes available.
notify-payouts-available = 🔓 { $amount } from { $count } sale(s) left escrow and is now available for payout.
