# Agora — bot texts in English.
# Messages are Telegram HTML: the bot escapes every variable.
# Button labels and alerts (button-*, rate-limited, error-*, language-saved) are plain
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

## Groups and channels (the bot works in private chats only)

group-open-private = 🔒 Agora works in a private chat, so that your purchases and sales stay private. Press the button below to open it.
group-button-open = 💬 Open Agora
group-press-private = Agora works in a private chat only: open the bot to use this.

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
rate-limited = Easy there 🙂 You're going a bit fast: try again in { $seconds ->
        [one] a second
       *[other] { $seconds } seconds
    }.
error-generic = Sorry, something went wrong on our side. Please try again in a moment; if it keeps happening, contact support.
error-session-conflict = ⚠️ Another of your actions was being handled at the same moment, so this one was not saved. Check the screen and do it again if needed.
not-understood = I didn't understand that message. Use the menu or /help.

## Errors: `error-<code>` is the message of each error code (src/errors.ts), its details as
## variables. Plain text: they are also shown as alerts (at most 200 characters).

# Text fields (details: min, max, length)
error-title-required = ✏️ Type a title ({ $min } to { $max } characters).
error-title-too-short = ✏️ The title must be { $min } to { $max } characters long (this one has { $length }).
error-title-too-long = ✏️ The title must be { $min } to { $max } characters long (this one has { $length }).
error-title-invalid-chars = ✏️ The title contains control characters: type it again without them.
error-description-required = ✏️ Type a description (at most { $max } characters).
error-description-too-short = ✏️ The description must be { $min } to { $max } characters long (this one has { $length }).
error-description-too-long = ✏️ The description is at most { $max } characters long (this one has { $length }).
error-description-invalid-chars = ✏️ The description contains control characters: type it again without them.
error-seller-name-required = ✏️ Type a seller name ({ $min } to { $max } characters).
error-seller-name-too-short = ✏️ The name must be { $min } to { $max } characters long (this one has { $length }).
error-seller-name-too-long = ✏️ The name must be { $min } to { $max } characters long (this one has { $length }).
error-seller-name-invalid-chars = ✏️ The name contains control characters: type it again without them.
error-bio-required = ✏️ Type a bio (at most { $max } characters).
error-bio-too-short = ✏️ The bio must be { $min } to { $max } characters long (this one has { $length }).
error-bio-too-long = ✏️ The bio is at most { $max } characters long (this one has { $length }).
error-bio-invalid-chars = ✏️ The bio contains control characters: type it again without them.
error-review-text-required = ✏️ Type your review ({ $min } to { $max } characters).
error-review-text-too-short = ✏️ A review must be { $min } to { $max } characters long (this one has { $length }).
error-review-text-too-long = ✏️ A review must be { $min } to { $max } characters long (this one has { $length }).
error-review-text-invalid-chars = ✏️ The review contains control characters: type it again without them.
error-ticket-subject-required = ✏️ Type the subject of your question ({ $min } to { $max } characters, on one line).
error-ticket-subject-too-short = ✏️ The subject must be { $min } to { $max } characters long, on one line (this one has { $length }).
error-ticket-subject-too-long = ✏️ The subject must be { $min } to { $max } characters long, on one line (this one has { $length }).
error-ticket-subject-invalid-chars = ✏️ The subject contains control characters: type it again without them.
error-ticket-message-required = ✏️ Type your message ({ $min } to { $max } characters).
error-ticket-message-too-short = ✏️ The message must be { $min } to { $max } characters long (this one has { $length }).
error-ticket-message-too-long = ✏️ The message must be { $min } to { $max } characters long (this one has { $length }).
error-ticket-message-invalid-chars = ✏️ The message contains control characters: type it again without them.

# Prices, amounts, emails, addresses, ratings, ids
error-price-required = ❌ Type a price, for example 19.99, or 0 for free.
error-price-invalid = ❌ This is not a price: type a number such as 19.99 (at most two decimals), or 0 for free.
error-price-negative = ❌ A price cannot be negative: type a number such as 19.99, or 0 for free.
error-price-too-precise = ❌ A price has at most two decimals (cents), such as 19.99.
error-price-below-minimum = ❌ The price must be 0 (free) or between ${ $min } and ${ $max }.
error-price-above-maximum = ❌ The price must be 0 (free) or between ${ $min } and ${ $max }.
error-amount-invalid = ❌ This amount is not valid.
error-percent-invalid = ❌ Type a percentage between 0 and 100, with at most two decimals (e.g. 2.5).
error-email-required = ❌ Type an email address, such as name@example.com.
error-email-too-long = ❌ An email address has at most 254 characters.
error-email-invalid = ❌ This email address is not valid. Type an address such as name@example.com.
error-email-taken = ❌ This email address is already used by another seller account.
error-solana-address-required = ❌ Type your Solana address (32 to 44 characters).
error-solana-address-length = ❌ A Solana address has { $min } to { $max } characters; this one has { $length }.
error-solana-address-invalid-chars = ❌ A Solana address uses no 0, O, I or l, and no spaces or punctuation (character #{ $position }).
error-solana-address-wrong-size = ❌ This is not a Solana address: check it in your wallet and copy it again.
error-rating-invalid = ⭐ A rating is 1 to 5 stars.
error-id-required = ❌ Type an id, such as P-7K3M9QXD4T.
error-id-invalid = ❌ This is not a valid id: an id looks like P-7K3M9QXD4T (a product) or O-7K3M9QXD4T (an order).
error-id-ambiguous-char = ❌ Ids never contain 0, O, 1, I or L: check the characters.
error-id-wrong-kind =
    ❌ This is { $got ->
        [order] an order
       *[other] a product
    } id, not { $expected ->
        [order] an order
       *[other] a product
    } id.
error-user-id-invalid = ❌ A Telegram id is a number. Send it again or cancel.

# Things that do not exist, or not for this person (details: entity, id)
error-user-not-found = 👤 Not found: no user has this id.
error-product-not-found = This product is not available.
error-order-not-found = 🧾 This order does not exist or is not yours.
error-purchase-not-found = 🧾 This purchase does not exist or is not yours.
error-ticket-not-found = This ticket does not exist or is not yours.
error-category-not-found = This category no longer exists: choose another one.
error-payout-not-found = This payout does not exist.
error-review-not-found = ⭐ You have not reviewed this product yet: leave a review first.
error-file-not-found = The file of this purchase is no longer available: please report a problem.

# Who may do what
# Someone else's product gets the same polite no as a missing one.
error-not-owner =
    { $entity ->
        [product] This product is not available.
       *[other] This is not (or no longer) available, or it is not yours.
    }
error-not-admin = 🚫 This is for administrators only.
error-not-seller = 💼 This is for sellers: type /sell to become one.
error-already-seller = ✅ You already have a seller account: type /sell to open your dashboard.
error-user-suspended = 🚫 Your account is suspended: you cannot buy or sell for now.
error-self-suspension = ❌ You cannot suspend yourself.
error-user-not-suspended = This changed meanwhile: this user is no longer suspended. Refresh the screen.
error-suspension-end-invalid = ❌ A suspension must end in the future. Send another date or cancel.
error-suspension-end-unreadable = ❌ Type a duration such as 12h or 3d, or a date such as 2026-12-31 18:00 (UTC).
error-reason-invalid = ❌ A reason has { $min } to { $max } characters. Send it again or cancel.
error-ticket-status-forbidden = Only the ticket's author or an admin can change its status.
error-review-requires-purchase = ⭐ Only buyers who paid for this product can review it.

# Products
error-product-banned = 🚫 This product was banned by an admin: you cannot put it back on sale. Contact support if you think this is a mistake.
error-product-deleted = 🗑 This product was deleted: it can no longer be changed.
error-product-file-missing = Add the product's file before publishing it.
error-product-not-listed = This draft has no file: it was never listed, so there is nothing to ban.
error-product-transition-forbidden =
    This product cannot be { $to ->
        [active] put on sale
        [inactive] taken off sale
        [banned] banned
        [deleted] deleted
       *[other] changed that way
    } now: nothing was done. Refresh the screen.
error-image-type-invalid = ❌ A cover or preview must be a JPEG, PNG or WebP image.
error-image-too-large = ❌ An image is at most 5 MB: send a smaller one.
error-image-dimensions-too-large = ❌ This image is { $width } × { $height } pixels: Telegram shows a photo only if its width and height add up to at most { $max } pixels. Send a smaller one.
error-image-ratio-too-large = ❌ This image is { $width } × { $height } pixels, too long and thin: Telegram shows a photo only if one side is at most { $max } times the other. Crop it and send it again.
error-upload-missing = Nothing was uploaded yet: send the file again.

# Orders, payments, downloads
error-product-unavailable = This product cannot be bought right now: it may have been taken off sale.
error-own-product = This is your own product: you cannot buy it.
error-already-owned = ✅ This product is already yours: find it in your library and download it whenever you like.
error-coin-unavailable = ❌ This coin is not offered: choose one with the buttons.
error-amount-below-minimum =
    { $minimum ->
        [none] This amount is below the minimum accepted in { $coin }: choose another coin.
       *[other] This amount is below the minimum accepted in { $coin } ({ $minimum }): choose another coin.
    }
error-payment-provider-unavailable = The payment service is not answering. Please try again in a moment.
error-order-not-payable = This order can no longer be paid: open the product again.
error-order-partially-paid = ⚠️ Part of this order is already paid in { $coin }: send the rest in { $coin }, to the same address.
error-order-not-paid = ⏳ This order is not paid yet: try again once the payment is confirmed.
error-order-transition-forbidden = This order cannot change that way now: nothing was done. Refresh the screen.
error-payment-transition-forbidden = This payment cannot change that way now: nothing was done.
error-file-unavailable = The file of this purchase is no longer available: please report a problem.
error-file-version-unavailable = This version of the file is not part of this purchase: download the latest one from your library.
error-file-version-not-pending = No new file is waiting to be published for this product: send one first.
error-analytics-period-invalid = Analytics cover 7, 30 or 90 days.
error-download-rate-limited = 📥 Too many download links asked for in a short time (at most { $limit }): try again a little later.
error-download-link-invalid = 🔗 This download link was already used or has expired: ask for a new one in your library.

# Tickets and payouts
error-ticket-transition-forbidden = This change is not possible for this ticket.
error-tx-hash-invalid = ❌ This is not a Solana transaction signature (base58, 87–88 characters). Send it again or cancel.
error-nothing-to-pay = Nothing is owed here any more: every line was paid.
error-payouts-already-paid = These lines were paid meanwhile, by you or another admin: nothing was paid twice.
error-payout-not-available =
    { $status ->
        [paid] This payout was already paid.
        [escrow] This payout is still in escrow.
        [cancelled] This payout was cancelled.
       *[other] This payout cannot be paid now.
    }

# File storage and uploads
error-storage-unavailable = File storage is not available right now. Please try again later.
error-storage-invalid-key = ❌ This file address is not valid: start the upload again.
error-storage-foreign-key = 🚫 This file belongs to another product or seller.
error-storage-not-found = This file is no longer stored.
error-storage-range-not-satisfiable = This part of the file does not exist: download it again from the start.
error-storage-too-large = ❌ This file is too large.
error-storage-size-mismatch = ❌ The file did not arrive whole: send it again.
error-storage-invalid-argument = ❌ This file request is not valid: start again.
error-storage-content-type-mismatch = ❌ This file's type is not the one announced for the upload: start the upload again.
error-storage-upload-token-invalid = 🔒 This upload link is not valid: ask for a new one.
error-storage-upload-token-expired = ⌛ This upload link has expired: ask for a new one.
error-storage-upload-token-used = 🔒 This upload link was already used: ask for a new one to send another file.
error-storage-upload-not-found = This upload no longer exists (finished, cancelled or expired): start the upload again.
error-storage-upload-offset-mismatch = This chunk does not follow what has already arrived: resume the upload where it stopped.
error-storage-upload-superseded = A newer request took over this upload; what had arrived is kept.
error-storage-upload-incomplete = The file has not fully arrived yet: resume the upload to send the rest.
error-upload-not-found = This upload does not exist or is not yours.
error-upload-completing = ⏳ This upload is being finished: wait a moment.
error-upload-completed = ✅ This upload is already complete: start a new one to send another file.
error-upload-aborted = This upload was cancelled or has expired: start a new one.
error-upload-transport = This upload is not sent this way: open the upload page again from the bot and start over.
error-checksum-invalid = ❌ The checksum must be a SHA-256: 64 lower-case hexadecimal characters.
error-checksum-mismatch = ❌ The file that arrived differs from yours (checksum): send it again.

# Mini app sign-in
error-auth-required = 🔒 Open this page from the Telegram bot.
error-init-data-invalid = 🔒 Telegram could not confirm who you are: close the mini app and open it again.
error-init-data-expired = 🔒 This session is too old: close the mini app and open it again.

## Administration


## Command menu (plain text)

command-start = Home
command-buy = Buy a product
command-sell = Sell your products
command-library = My purchases
command-stats = Seller dashboard
command-shop = A seller's storefront
command-help = Help
command-support = FAQ and support
command-start-group = Open the bot in a private chat
command-admin = Administration
# The bot's profile (setMyDescription, at most 512 characters; setMyShortDescription, at most 120).
bot-description = Agora is a marketplace for digital products: buy guides, templates and files from independent sellers and pay in crypto, or open your own shop and sell yours. Press Start to browse.
bot-short-description = Buy and sell digital products, paid in crypto.

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

notify-download = 📥 Download
notify-library = 📚 My library
notify-delivered = ✅ Payment received! Your purchase <b>{ $title }</b> (order { $order }) is ready. Download it now, or any time later from your library.
notify-delivered-free = 🎁 <b>{ $title }</b> is yours (order { $order }). Download it now, or any time later from your library.
notify-document = 📎 <b>{ $title }</b>, version { $version }: the file of your purchase.
notify-free-download = 🎁 Someone just got your free product <b>{ $title }</b>.
notify-sale = 💰 New sale: <b>{ $title }</b> for { $amount }. The amount is held in escrow for 24 h, then becomes available.
notify-payouts-available = 🔓 { $amount } from { $count ->
        [one] 1 sale
       *[other] { $count } sales
    } left escrow and is now available for payout.

## Sellers

sell-register-intro =
    💼 <b>Become a seller</b>

    Sell your digital files right here and get paid in USDT on Solana.
    Step 1/2: type your <b>email address</b> (it stays private).
sell-register-address =
    ✅ Email: <code>{ $email }</code>

    Step 2/2: type your <b>Solana payout address</b> (32 to 44 characters), where you will receive your earnings in USDT.
sell-register-again = Type another email address.
sell-register-cancelled = Registration cancelled. You can start again with /sell.
sell-registered = 🎉 Your seller account is ready!
sell-dashboard =
    💼 <b>Dashboard: { $name }</b>

    📦 Products: { $products } ({ $active } for sale)
    🛍 Sales: { $sales }
    💵 Revenue: { $revenue }
    💾 Storage used: { $storage }

    💰 <b>Balances</b>
    ⏳ In escrow (24 h): { $escrow }
    ✅ Available: { $available }
    📤 Already paid: { $paid }
sell-shop-link =
    🔗 <b>Your shop, { $name }</b>

    Your shop link (tap to copy), it opens the bot straight on your products for sale:
    <code>{ $link }</code>
sell-prompt-cancelled = Change cancelled.
sell-button-add = ➕ Add a product
sell-button-resume = ▶️ Resume my product in progress
sell-button-products = 📦 My products
sell-button-settings = ⚙️ Settings
sell-button-shop-link = 🔗 My shop link
sell-button-dashboard = 💼 Dashboard
sell-button-cancel = ❌ Cancel
sell-button-back = ⬅️ Previous step
sell-button-keep = ✔️ Keep
sell-button-skip = ⏭ Skip
sell-button-publish = 🚀 Publish
sell-button-open-product = 📄 View the product
sell-button-edit-title = ✏️ Title
sell-button-edit-description = ✏️ Description
sell-button-edit-price = 💲 Price
sell-button-activate = ✅ Put on sale
sell-button-deactivate = ⏸ Take off sale
sell-button-share = 🔗 Share
sell-button-delete = 🗑 Delete
sell-button-delete-yes = 🗑 Yes, delete
sell-button-delete-no = ↩️ No, keep it
sell-button-setting-name = Name
sell-button-setting-bio = Bio
sell-button-setting-email = Email
sell-button-setting-address = Payout address
sell-button-address-yes = ✅ Yes, change it
sell-button-address-no = ❌ No
sell-wizard-step = ➕ <b>New product</b>: step { $n } of { $total }
sell-wizard-title = Type the product's <b>title</b> (5 to 100 characters).
sell-wizard-description = Type the <b>description</b> (at most 1000 characters), or skip this step.
sell-wizard-category = Choose the <b>category</b>.
sell-wizard-price = Type the <b>price</b> in dollars, for example 19.99 (from 9.99 to 5000), or 0 for a free product.
sell-wizard-cover = Send a <b>cover image</b> (a photo, or a JPEG, PNG or WebP image sent as a file; at most 5 MB), or skip this step.
sell-wizard-file = Send the <b>file</b> to sell, as a document, an audio file or a video (at most 20 MB).
sell-wizard-file-page = 📤 Bigger file? Upload it through the page (up to 10 GB): the bot tells you here when it arrived.
sell-media-file-page = 📤 Bigger file? Upload it through the page (up to 10 GB).
sell-upload-page-off = ℹ️ Files over 20 MB go through the upload page, which opens once the marketplace has an https address (the administrator sets PUBLIC_URL and the Mini App domain in BotFather).
sell-button-upload-page = 📤 Upload through the page (up to 10 GB)
sell-wizard-current = Currently: <i>{ $value }</i>
sell-wizard-use-buttons = Choose the category with the buttons below.
sell-wizard-cover-expected = Send a photo (or an image as a file), or press "Skip".
sell-wizard-file-expected = Send the file as a document (paperclip 📎, then "File"), an audio file or a video.
sell-wizard-file-too-large = This file is over 20 MB, the most Telegram lets a bot fetch from the chat: send it through the upload page instead (see below).
sell-wizard-file-failed = ⚠️ The file could not be saved. Your answers are kept: send the file again.
sell-wizard-cover-lost = ⚠️ The cover could not be saved; the product was created without it.
sell-wizard-cover-failed = ⚠️ The image could not be fetched from Telegram. Send it again, or press "Skip".
sell-album-first-only = ℹ️ Only the first item of the album was used.
sell-wizard-cancelled = Adding the product was cancelled.
sell-wizard-step-outdated = This button belongs to an earlier step: use the latest message.
sell-wizard-done =
    ✅ <b>{ $title }</b> was created as a draft.

    🆔 <code>{ $id }</code>
    💲 Price: { $price }

    Publish it to put it on sale.
sell-products-title = 📦 <b>My products</b> ({ $total })
sell-products-empty = 📦 You have no products yet. Add your first one!
sell-products-line =
    { $n }. <b>{ $title }</b> · { $status } · { $price }
    👁 { $views ->
        [one] 1 view
       *[other] { $views } views
    } · 🛍 { $sales ->
        [one] 1 sale
       *[other] { $sales } sales
    } · 📈 { $conversion } · ⭐ { $rating }
sell-product =
    📄 <b>{ $title }</b>
    🆔 <code>{ $id }</code> · { $status }
    💲 Price: { $price }

    👁 Views: { $views }
    🛍 Sales: { $sales }
    📈 Conversion: { $conversion }
    ⭐ Rating: { $rating } ({ $reviews ->
        [one] 1 review
       *[other] { $reviews } reviews
    })
sell-product-banned =
    🚫 <b>Taken down by an admin.</b> Reason: { $reason }
    It stays off sale until an admin restores it; your changes are kept. Write to /support if you think this is a mistake.
sell-product-no-file = ⚠️ This draft has no file yet.
sell-status-draft = 📝 Draft
sell-status-active = 🟢 On sale
sell-status-inactive = ⏸ Off sale
sell-status-banned = 🚫 Banned
sell-status-deleted = 🗑 Deleted
sell-edit-title = Type the new <b>title</b> (5 to 100 characters).
sell-edit-description = Type the new <b>description</b> (at most 1000 characters).
sell-edit-price = Type the new <b>price</b>, for example 19.99 (from 9.99 to 5000), or 0 for free.
sell-edit-saved = ✅ Change saved.
sell-activated = ✅ The product is on sale.
sell-deactivated = ⏸ The product is off sale.
sell-delete-confirm =
    🗑 Delete <b>{ $title }</b> (<code>{ $id }</code>)?

    If it has been sold, its buyers keep their download; otherwise it is erased with its files. This cannot be undone.
sell-deleted = 🗑 Product deleted, with its files.
sell-deleted-kept = 🗑 Product removed from the catalog; its buyers keep access to their purchase.
sell-share =
    🔗 <b>{ $title }</b>

    { $link }
sell-share-not-active = ⚠️ This product is not on sale: the link will show it once it is published.
sell-settings =
    ⚙️ <b>Seller settings</b>

    Name: <b>{ $name }</b>
    Bio: { $bio }
    Email: { $email }
    Payout address (Solana): <code>{ $address }</code>
sell-setting-name = Type your new <b>seller name</b> (at most 50 characters).
sell-setting-bio = Type your new <b>bio</b> (at most 500 characters).
sell-setting-email = Type your new <b>email address</b>.
sell-setting-address = Type your new <b>Solana payout address</b> (32 to 44 characters).
sell-setting-saved = ✅ Setting saved.
sell-address-confirm =
    ⚠️ Your next payouts will be sent to this address:

    <code>{ $address }</code>

    Do you confirm the change?
sell-address-changed = ✅ Your payout address changed. Next payouts go to <code>{ $address }</code>.
sell-address-unchanged = That already was your payout address: nothing changed.
sell-address-kept = Payout address unchanged.
sell-error-text-expected = Please answer with a text message.

## Seller tools: analytics, exports, changing a listing, file versions

sell-button-analytics = 📊 Analytics
sell-shop-command =
    Buyers can also type (tap to copy):
    <code>{ $command }</code>
sell-shop-no-username = Set a username in your Telegram settings: buyers will then be able to type <code>/shop @yourname</code>.
sell-analytics-title =
    📊 <b>Analytics: last { $days } days</b>
    { $from } – { $to }, compared with the { $days } days before
sell-analytics-product-title =
    📊 <b>{ $title }</b>: last { $days } days
    { $from } – { $to }, compared with the { $days } days before
sell-analytics-revenue = 💵 Revenue: <b>{ $value }</b>{ $change }
sell-analytics-sales = 🛍 Sales: <b>{ $value }</b>{ $change }
sell-analytics-views = 👁 Views: <b>{ $value }</b>{ $change }
sell-analytics-conversion = 📈 Conversion: <b>{ $value }</b>{ $change }
sell-analytics-rating = ⭐ Rating: <b>{ $value }</b> ({ $reviews ->
    [one] 1 review
   *[other] { $reviews } reviews
}){ $change }
sell-analytics-same = (=)
sell-analytics-new = (▲ new)
sell-analytics-points = { $value } pts
sell-analytics-top = 🏆 <b>Best products of the period</b>
sell-analytics-top-line = { $n }. { $title }: { $revenue } · { $sales ->
    [one] 1 sale
   *[other] { $sales } sales
}
sell-analytics-top-none = No sale in this period.
sell-analytics-period = { $days } days
sell-analytics-chart-revenue = 📈 Revenue per day, last { $days } days
sell-analytics-chart-sales = 🛍 Sales per day, last { $days } days
sell-chart-revenue = Revenue
sell-chart-sales = Sales
sell-chart-all-products = All products
sell-button-export-sales = 🧾 Sales (CSV)
sell-button-export-products = 📦 Products (CSV)
sell-button-product-analytics = 📊 Analytics
sell-export-empty = Nothing to export yet.
sell-export-sales =
    🧾 <b>Your sales</b>: { $count ->
        [one] 1 line
       *[other] { $count } lines
    }{ $capped ->
        [yes] , the most recent ones
       *[no] {""}
    }. Amounts in US dollars; payout status and transaction for each.
sell-export-products =
    📦 <b>Your products</b>: { $count ->
        [one] 1 line
       *[other] { $count } lines
    }, with views, sales, revenue and rating.
sell-product-file = 📦 File: version { $version } · { $file } · { $size }
sell-product-pending = ⏳ Waiting to be published as version { $version }: { $file } · { $size }
sell-button-edit-category = 🗂 Category
sell-button-edit-cover = 🖼 Cover
sell-button-add-preview = ➕ Preview image
sell-button-edit-preview = 🔍 Preview image
sell-button-new-version = 📦 New file version
sell-button-publish-version = 🚀 Publish version { $version }
sell-button-discard-version = 🗑 Discard the new file
sell-edit-category = Choose the new <b>category</b>.
sell-media-file-sold =
    Send the <b>new version</b> of the file, as a document, an audio file or a video (at most 20 MB).
    You will then publish it: your buyers are told and can download it, and each keeps the version they bought.
sell-media-file-unsold = Send the <b>new file</b>, as a document, an audio file or a video (at most 20 MB). Nobody has bought this product yet: it replaces the current file.
sell-media-cover = Send the new <b>cover image</b> (a photo, or a JPEG, PNG or WebP image sent as a file; at most 5 MB).
sell-media-preview = Send a <b>preview image</b> (a photo, or a JPEG, PNG or WebP image sent as a file; at most 5 MB): buyers see it with the Preview button before buying.
sell-media-photo-expected = Send a photo (or a JPEG, PNG or WebP image as a file), or cancel.
sell-cover-saved = ✅ Cover replaced.
sell-preview-saved = ✅ Preview saved: buyers now see a Preview button.
sell-file-replaced = ✅ File replaced.
sell-version-ready =
    📦 <b>{ $title }</b>: the new file is ready.
    { $file } · { $size }

    Publish it as version { $version }? Buyers of earlier versions are told in their language and can download it; each keeps the version they bought. New buyers get version { $version }.
sell-version-published = 🚀 Version { $version } published. { $buyers ->
    [0] No earlier buyer to tell.
    [one] 1 earlier buyer is being told.
   *[other] { $buyers } earlier buyers are being told.
}
sell-version-discarded = 🗑 The new file was discarded; buyers keep getting the current version.

## Notices to sellers and buyers

notice-product-banned =
    🚫 <b>Your product was taken down</b>
    <b>{ $title }</b> (<code>{ $id }</code>) was removed from sale by an administrator.

    Reason: { $reason }

    It stays off sale until an administrator restores it. Buyers keep their purchases. Write to /support if you think this is a mistake.
notice-button-open-product = 📄 Open the product
notice-upload-ready =
    ✅ <b>{ $file }</b> ({ $size }) arrived: <b>{ $title }</b> is ready.
    Publish it to put it on sale.
notice-upload-replaced = ✅ <b>{ $file }</b> ({ $size }) is now the file of <b>{ $title }</b>.
notice-review-new =
    ⭐ <b>New review</b> of <b>{ $title }</b>: { $stars }{ $hasComment ->
        [yes] {""}

        « { $comment } »
       *[no] {""}
    }
notice-review-edited =
    ✏️ <b>Review updated</b> on <b>{ $title }</b>: { $stars }{ $hasComment ->
        [yes] {""}

        « { $comment } »
       *[no] {""}
    }
notice-new-version =
    📦 <b>New version of { $title }</b>
    Version { $version } is out: { $file } ({ $size }).

    The version you bought (version { $bought }) stays available in your library.
notice-button-download-version = 📥 Download version { $version }
notice-button-library = 📚 My library

## Buy: catalog, cards, search, shops

browse-not-available = This is not (or no longer) available, or it is not yours.
browse-categories =
    🛒 <b>Catalog</b>
    Choose a category:

    🔎 Or type a product id or keywords to search.
browse-empty-category =
    { $category }
    No product in this category yet.
browse-badge-best-seller = 🔥 Best-seller
browse-badge-new = 🆕 New
browse-badge-top-rated = 🏆 Top rated
browse-badge-popular = 👀 Popular
browse-rating = ★ { $rating }/5 ({ $count ->
        [one] 1 review
       *[other] { $count } reviews
    })
browse-no-rating = ☆ No reviews yet
browse-free = Free
browse-card =
    { $badges }<b>{ $title }</b>
    by { $seller }
    { $rating } • { $sales ->
        [0] no sales yet
        [one] 1 sale
       *[other] { $sales } sales
    }{ $details }
    🏷️ { $price }
browse-detail =
    { $card }
    { $description }
    🔖 ID: <code>{ $id }</code> • 👁 { $views ->
        [one] 1 view
       *[other] { $views } views
    }
    💡 Type this id any time to find the product again.
browse-button-buy = 💳 Buy – { $price }
browse-button-get-free = 🎁 Get it free
browse-button-details = ℹ️ Details
browse-button-reviews = ⭐ Reviews ({ $count })
browse-button-preview = 👁 Preview
browse-button-shop = 🏪 Seller's shop
browse-button-back = ⬅️ Back
browse-button-categories = 📂 Categories
browse-product-not-found = 🔎 This product is not available: it may have been taken off sale.
browse-shop-header = 🏪 <b>{ $name }</b> • { $products ->
        [one] 1 product
       *[other] { $products } products
    } • { $sales ->
        [one] 1 sale
       *[other] { $sales } sales
    } • { $rating }
browse-shop-empty = This shop has no product for sale right now.
browse-shop-not-found = This shop does not exist or is not open.
browse-shop-usage = 🏪 Open a shop with its link, or type <code>/shop @username</code> with the seller's Telegram username.
browse-shop-unknown = 🏪 No shop goes by <b>{ $name }</b>. Check the spelling, or ask the seller for their shop link.
browse-reviews-title =
    ⭐ <b>Reviews of { $title }</b>
    { $rating }
browse-reviews-none = No written review yet.
browse-review-line = <b>{ $name }</b> { $stars } · { $age }{ $text }
browse-preview-caption = 👁 Preview of <b>{ $title }</b>
browse-preview-unavailable = This product has no preview.
browse-search-results = 🔎 <b>{ $count ->
        [one] 1 result
       *[other] { $count } results
    }</b> for “{ $query }”:
browse-search-none =
    🔎 Nothing found for “{ $query }”.
    Try fewer or other words, or a product id such as <code>P-7K3M9QXD4T</code>.

## Buy: order and payment

buy-already-yours =
    ✅ <b>This product is already yours.</b>
    Find it in your library and download it whenever you like.
buy-free-delivered =
    🎁 <b>{ $title }</b> is yours!
    It is in your library: download it now.
buy-choose-coin =
    💳 <b>{ $title }</b>

    Price: { $price }
    Service fee: { $fee }
    <b>Total: { $total }</b>

    Choose the coin to pay with (SOL, USDT and USDC on Solana: 1 to 3 minutes):
buy-payment =
    💳 <b>Payment for { $title }</b>
    Total: { $total } (fees included)

    Send <b>exactly</b>:
    <code>{ $amount }</code> { $coin }
    to this address:
    <code>{ $address }</code>

    🧾 Order { $order }
    ⏳ Valid until { $expires } ({ $left })
    The product is sent to you here as soon as the payment is confirmed.
buy-button-refresh = 🔄 Refresh status
buy-button-other-coin = 🔁 Another coin
buy-button-library = 📚 My library
buy-button-download = 📥 Download
buy-status-checking = 🔄 Checking the payment…
buy-payment-preparing = ⏳ Preparing your payment address…
buy-status-paid = ✅ <b>Payment received!</b> Your purchase is in your library.
buy-status-partial = ⚠️ Partial payment received: <code>{ $missing }</code> { $coin } is missing, to send to the same address.
buy-status-waiting = ⏳ Payment pending (status: { $status }). Allow 5 to 30 minutes depending on the coin.
buy-status-expired = ⌛ This payment expired. Open the product again to pay.
buy-status-failed = ❌ This payment failed. Open the product again to retry.
buy-status-refunded = ↩️ This payment was refunded.

## Library

library-empty =
    📚 <b>Your library is empty.</b>
    Your purchases will appear here, to download whenever you like.
library-card =
    📚 <b>{ $title }</b>
    by { $seller }
    Bought for { $price } on { $date } • order { $order }
library-removed = ℹ️ The seller took this product off sale: it stays yours.
library-file = 📦 { $file } • { $size }
library-downloads = 📥 { $downloads ->
    [one] 1 download
   *[other] { $downloads } downloads
}
library-file-gone = 📦 The file is no longer available.
library-version-only = 📦 Version { $version } • { $file } • { $size }
library-version-latest = 📦 Version { $version } (latest) • { $file } • { $size }
library-version-bought = 📦 Version { $version } (your purchase) stays available.
library-button-download-latest = 📥 Version { $version } (latest)
library-button-download-bought = 📥 Version { $version } (your purchase)
library-review-current = Your current comment: <i>{ $comment }</i>
library-button-keep-comment = ✅ Keep my comment
library-button-no-comment = ✅ Publish without a comment
library-button-browse = 🛒 Browse the catalog
library-button-open-page = 📚 Open my library
library-button-back = 📚 Back to the library
library-button-download = 📥 Download
library-button-review = ⭐ Leave a review
library-button-edit-review = ✏️ Edit my review
library-button-contact = 💬 Contact the seller
library-button-report = ⚠️ Report a problem
library-button-open-link = 📥 Open the download link
library-button-cancel = ❌ Cancel
library-download-ready = 📥 Your link for <b>{ $title }</b>, version { $version } ({ $file }): valid for 5 minutes, single use.
library-download-limit = Too many links asked for: try again in { $minutes } min.
library-file-unavailable = The file of this purchase is no longer available: please report a problem.
library-rate = ⭐ How many stars do you give <b>{ $title }</b>?
library-rating-saved = Rating saved
library-review-text =
    { $stars } saved.
    Add a comment ({ $min } to { $max } characters), or publish your review as it is.
library-review-saved = ✅ Thank you! Your review is published.
library-contact-prompt =
    💬 Your message to the seller of <b>{ $title }</b> (order { $order }), { $min } to { $max } characters.
    The bot relays it: neither side sees the other's Telegram account.
library-report-prompt =
    ⚠️ Describe the problem with <b>{ $title }</b> (order { $order }), { $min } to { $max } characters.
    An administrator answers you here.
library-text-invalid = ✏️ The text must be { $min } to { $max } characters long. Try again, or cancel.
library-contact-sent = ✅ Message relayed to the seller (ticket #{ $ticket }). Their answer will arrive here.
library-report-sent = ✅ Problem reported (ticket #{ $ticket }). An administrator answers you here.
library-contact-relay =
    📩 <b>Message from a buyer</b> about <b>{ $title }</b> (order { $order }, ticket #{ $ticket }):

    { $text }
tickets-subject-prompt = ✉️ <b>New ticket</b>, step 1/3: the subject of your question, { $min } to { $max } characters, on one line.
tickets-subject-invalid = ✏️ The subject must be { $min } to { $max } characters long, on one line. Try again, or cancel.
tickets-message-prompt = ✉️ Step 2/3: describe your question about <b>{ $subject }</b>, { $min } to { $max } characters.
tickets-message-invalid = ✏️ The message must be { $min } to { $max } characters long. Try again, or cancel.
tickets-email-prompt = ✉️ Step 3/3: an email address where we may also answer you, or skip.
tickets-email-invalid = ✏️ This email address is not valid. Try again, skip or cancel.
tickets-created = ✅ Ticket #{ $ticket } created. An administrator answers you here; follow it in "My tickets".
tickets-cancelled = Cancelled: nothing was sent.
tickets-list-title = 🗂 <b>My tickets</b> ({ $total }): choose one to read its conversation.
tickets-list-empty = 🗂 You have no tickets yet.
tickets-thread =
    🎫 <b>Ticket #{ $ticket }</b>: { $subject }
    Status: { $status }{ $order }

    { $messages }
tickets-thread-order = {" "}· order { $order }
tickets-thread-earlier = … earlier messages are not shown.
tickets-message-line =
    <b>{ $author }</b> · { $date }
    { $text }
tickets-role-you = You
tickets-role-user = User
tickets-role-buyer = Buyer
tickets-role-seller = Seller
tickets-role-support = Support
tickets-status-open = 🟢 open
tickets-status-pending-user = 💬 awaiting your answer
tickets-status-pending-admin = ⏳ awaiting an answer
tickets-status-resolved = ✅ resolved
tickets-status-closed = 🔒 closed
tickets-status-changed = Ticket { $status }
tickets-status-refused = This change is not possible for this ticket.
tickets-not-available = This ticket does not exist or is not yours.
tickets-closed-for-replies = This ticket is closed: it can no longer be answered.
tickets-reply-prompt = ✍️ Your reply on ticket #{ $ticket } (<b>{ $subject }</b>), { $min } to { $max } characters.
tickets-reply-sent = ✅ Reply added to ticket #{ $ticket }.
tickets-relay =
    📩 <b>Ticket #{ $ticket }</b>: { $subject }
    From: { $author }

    { $text }
tickets-button-open = 🎫 Open the ticket
tickets-button-reply = ✍️ Reply
tickets-button-resolve = ✅ Mark resolved
tickets-button-close = 🔒 Close
tickets-button-back = ⬅️ My tickets
tickets-button-skip = ⏭ Skip
tickets-button-cancel = ❌ Cancel
tickets-button-inbox = 📥 In the inbox
tickets-kind-support = 💬 support
tickets-kind-report = ⚠️ problem report
tickets-kind-thread = 🔁 buyer–seller thread
tickets-about-order = 🧾 Order <code>{ $order }</code>: { $title } (<code>{ $product }</code>)
tickets-relay-admin =
    📩 <b>Ticket #{ $ticket }</b> · { $kind }
    <b>{ $subject }</b>
    👤 { $who }{ $about }

    ✍️ <b>{ $author }</b>:
    { $text }


## Administration (the admin console, its notices, the seller's payout history)

admin-menu =
    🛠 <b>Administration</b>
    Signed in as an administrator ({ $id }).
    { $waiting ->
        [0] 📥 No ticket waits for an answer.
        [one] 📥 1 ticket waits for an answer.
       *[other] 📥 { $waiting } tickets wait for an answer.
    }
admin-button-inbox =
    { $waiting ->
        [0] 📥 Support inbox
       *[other] 📥 Support inbox ({ $waiting })
    }
admin-button-users = 👤 Users
admin-button-products = 📦 Products
admin-button-payouts = 💸 Payouts
admin-button-exports = 📄 Exports (CSV)
admin-button-audit = 📜 Audit log
admin-button-stats = 📊 Statistics
admin-button-back = ⬅️ Administration
admin-button-cancel = ❌ Cancel
admin-button-history = 📜 History
admin-button-back-to-card = ⬅️ Back to the card
admin-button-author = 👤 Author
admin-button-product = 📦 Product
admin-button-seller = 💼 Seller
admin-cancelled = Cancelled.
admin-stats =
    📊 <b>Statistics</b>
    Users: { $users } (sellers: { $sellers }, suspended: { $suspended })
    Products: { $listed } listed, { $active } on sale, { $banned } banned
    Paid orders: { $orders } — { $gross } paid by buyers, { $fees } in fees
    Last 30 days: { $orders30 } orders — { $gross30 }

# Support inbox
admin-inbox =
    📥 <b>Support inbox</b> · { $filter }

    { $count ->
        [0] Nothing here.
       *[other] { $list }
    }
admin-inbox-filter-open = 🟢 New ({ $count })
admin-inbox-filter-pending-admin = ⏳ To answer ({ $count })
admin-inbox-filter-pending-user = 💬 Waiting for user ({ $count })
admin-inbox-filter-resolved = ✅ Resolved ({ $count })
admin-inbox-line =
    { $icon } <b>#{ $ticket }</b> { $subject }
    {"   "}{ $who } { $username } · { $kind } · { $date }
admin-ticket =
    🎫 <b>Ticket #{ $ticket }</b> · { $kind }
    <b>{ $subject }</b>
    Status: { $status }
    👤 { $who }
    { $order }{ $seller }🕓 Opened { $opened } · { $messages ->
        [one] 1 message
       *[other] { $messages } messages
    }

    { $thread }
admin-ticket-order =
    🧾 Order <code>{ $order }</code>: { $title } (<code>{ $product }</code>) · { $total } · paid { $paid }
    {""}
admin-ticket-seller =
    💼 Seller: { $name } (<code>{ $id }</code>){ $inThread ->
        [yes] {""}
       *[no] {" "}· not in this ticket
    }
    {""}
admin-ticket-status-open = 🟢 new, not answered yet
admin-ticket-status-pending-admin = ⏳ waiting for an admin's answer
admin-ticket-status-pending-user = 💬 waiting for the user
admin-ticket-status-resolved = ✅ resolved
admin-ticket-status-closed = 🔒 closed
admin-ticket-to-pending-user = 💬 Wait for the user
admin-ticket-to-pending-admin = ⏳ Reopen
admin-ticket-to-resolved = ✅ Resolved
admin-ticket-to-closed = 🔒 Close
admin-ticket-moved = Now: { $status }
admin-button-inbox-back = ⬅️ Inbox
admin-notice-ticket-resolved = ✅ Support marked your ticket #{ $ticket } (<b>{ $subject }</b>) resolved. Write in it if you still need help.
admin-notice-ticket-closed = 🔒 Support closed your ticket #{ $ticket } (<b>{ $subject }</b>). Open a new ticket if you need help again.

# Users
admin-users-newest = 🆕 Newest
admin-users-spent = 💰 Top buyers
admin-users-suspended = ⛔ Suspended
admin-users-title = 👤 <b>Users</b> · { $order } ({ $count })
admin-users-results = 🔎 <b>Users matching “{ $search }”</b> ({ $count })
admin-users-none = Nobody here.
admin-users-line =
    { $suspended ->
        [yes] ⛔
       *[no] •
    } <b>{ $name }</b> { $username } · <code>{ $id }</code> · { $spent } spent{ $shop }
admin-button-search-users = 🔎 Search by id, @username, name or email
admin-user-search-prompt = 🔎 Send a Telegram id, an @username, a name or an email address (any case, accents optional).
admin-user-head = 👤 <b>{ $name }</b> { $username } · id <code>{ $id }</code>
admin-user-contact = ✉️ { $email } · 🌐 { $language } · since { $since }
admin-user-buyer =
    🛒 { $count ->
        [one] 1 purchase
       *[other] { $count } purchases
    } · { $spent } spent
admin-user-seller =
    💼 Shop <b>{ $shop }</b>: { $products ->
        [one] 1 product
       *[other] { $products } products
    }, { $sales ->
        [one] 1 sale
       *[other] { $sales } sales
    } ({ $revenue })
    Wallet: <code>{ $wallet }</code>
admin-user-not-seller = 💼 Not a seller.
admin-user-active = ✅ Active
admin-user-bot-blocked = 📵 Blocked the bot on { $since }: messages do not reach them.
admin-user-suspended =
    ⛔ Suspended { $timed ->
        [yes] until { $until }
       *[no] until an admin restores them
    }: { $reason }
admin-user-orders = 🧾 <b>Latest orders</b> (paid: { $count })
admin-user-sales = 💰 <b>Latest sales</b> ({ $count })
admin-user-tickets = 🎫 <b>Tickets</b> ({ $count })
admin-user-order-line = • <code>{ $order }</code> { $title } · { $amount } · { $status } · { $date }
admin-order-status-pending = 🕓 not paid yet
admin-order-status-waiting = ⏳ waiting for payment
admin-order-status-partially-paid = ⚠️ partly paid
admin-order-status-paid = ✅ paid
admin-order-status-expired = ⌛ expired
admin-order-status-failed = ❌ failed
admin-order-status-cancelled = 🚫 cancelled
admin-order-status-refunded = ↩️ refunded
admin-order-status-paid-unreachable = 📵 paid, not delivered: the buyer blocked the bot (sent when they are back)
admin-button-suspend = ⛔ Suspend
admin-button-restore-user = ♻️ Restore the user
admin-button-users-back = ⬅️ Users
admin-suspend-prompt = ⛔ Suspend <b>{ $name }</b> (<code>{ $id }</code>): send the reason. They will read it.
admin-suspend-until-prompt =
    ⛔ Suspend <b>{ $name }</b> (<code>{ $id }</code>) for: { $reason }

    Until when? Choose below, or type a duration (12h, 3d) or an end date in UTC (2026-12-31 or 2026-12-31 18:00).
admin-suspend-days =
    { $count ->
        [one] 1 day
       *[other] { $count } days
    }
admin-suspend-indefinite = Until I restore them
admin-user-suspended-done =
    ⛔ User { $id } suspended. { $told ->
        [yes] They were told why.
       *[no] They could not be told (they never opened the bot, or blocked it).
    }
admin-user-restored =
    ♻️ User { $id } restored. { $told ->
        [yes] They were told.
       *[no] They could not be told.
    }
admin-notice-suspended =
    ⛔ <b>Your account is suspended</b> { $timed ->
        [yes] until { $until }
       *[no] until an administrator lifts it
    }: you cannot buy or sell meanwhile.
    Reason: { $reason }

    Contact support if you think this is a mistake.
admin-notice-restored = ♻️ <b>Your account is active again</b>: you can buy and sell as before.
admin-notice-suspension-ended = ♻️ <b>Your suspension has ended</b>: your account is active again.

# Products
admin-products-all = 📦 All
admin-product-status-active = ✅ On sale
admin-product-status-inactive = ⏸ Off sale
admin-product-status-draft = 📝 Drafts
admin-product-status-banned = 🚫 Banned
admin-product-status-deleted = 🗑 Deleted
admin-products-title = 📦 <b>Products</b> · { $filter } ({ $count })
admin-products-results = 🔎 <b>Products matching “{ $search }”</b> ({ $count })
admin-products-none = No product here.
admin-products-line = { $icon } <b>{ $title }</b> · <code>{ $id }</code> · { $price } · { $shop } · { $sales ->
        [one] 1 sale
       *[other] { $sales } sales
    }
admin-button-search-products = 🔎 Search by id or words
admin-product-search-prompt = 🔎 Send a product id (e.g. P-23456789AB) or words of its title or description.
admin-product-card =
    📦 <b>{ $title }</b> · <code>{ $id }</code>
    💼 { $shop } (<code>{ $sellerId }</code>) · { $price } · { $category }
    Status: { $status }{ $banned ->
        [yes] {""}: { $reason }
       *[no] {""}
    }
    📈 { $sales ->
        [one] 1 sale
       *[other] { $sales } sales
    } · { $views ->
        [one] 1 view
       *[other] { $views } views
    } · listed { $created }
admin-button-ban = 🚫 Ban
admin-button-restore-active = ♻️ Restore, on sale
admin-button-restore-inactive = ♻️ Restore, off sale
admin-button-products-back = ⬅️ Products
admin-ban-prompt = 🚫 Ban <b>{ $title }</b> (<code>{ $id }</code>): choose the reason the seller will read, or type your own.
admin-ban-preset-copyright = ©️ Copyright
admin-ban-preset-illegal = ⚖️ Illegal content
admin-ban-preset-scam = 🎣 Scam or fraud
admin-ban-preset-misleading = 🤥 Misleading description
admin-ban-preset-malware = 🦠 Malware
admin-ban-reason-copyright = This product infringes someone else's copyright.
admin-ban-reason-illegal = This product contains illegal content.
admin-ban-reason-scam = This product is a scam or was reported for fraud.
admin-ban-reason-misleading = The description does not match what buyers receive.
admin-ban-reason-malware = The file contains malware.
admin-product-banned =
    🚫 Product { $id } banned. { $told ->
        [yes] The seller was told why.
       *[no] The seller could not be told.
    }
admin-product-restored =
    ♻️ Product { $id } restored{ $status ->
        [active] {""}, back on sale.
       *[other] {""}, off sale until its seller lists it again.
    } { $told ->
        [yes] The seller was told.
       *[no] The seller could not be told.
    }
admin-notice-product-restored =
    ♻️ <b>Your product { $title }</b> (<code>{ $id }</code>) was restored by an administrator{ $status ->
        [active] {""}: it is on sale again.
       *[other] {""}: put it back on sale from your products when you are ready.
    }

# Payouts
admin-payouts =
    💸 <b>Payouts</b>
    Owed now: <b>{ $total }</b> · { $lines ->
        [one] 1 line
       *[other] { $lines } lines
    } · { $sellers ->
        [one] 1 seller
       *[other] { $sellers } sellers
    }
    In escrow: { $escrow } (owed within 24 h){ $truncated ->
        [yes] {""}
          Only the oldest lines are listed, and paid at once: pay them, then come back for the rest.
       *[no] {""}
    }
admin-payouts-empty = ✅ Nothing to pay: every available earning has been paid.
admin-payouts-sellers = Sellers to pay, oldest debt first:
admin-payouts-seller-line = • <b>{ $name }</b> — { $amount } · { $count ->
        [one] 1 line
       *[other] { $count } lines
    } · since { $since }
admin-payouts-seller =
    💼 <b>{ $name }</b> · id <code>{ $id }</code>
    Wallet (USDT on Solana): <code>{ $wallet }</code>
    Owed: <b>{ $total }</b> · { $count ->
        [one] 1 line
       *[other] { $count } lines
    }
admin-payouts-seller-empty = ✅ Nothing is owed to seller { $id } now.
admin-payouts-line = • <code>{ $order }</code> { $title } — { $amount } · owed since { $since }
admin-payouts-changed = The amounts owed changed since this screen was shown: here they are again. Nothing was paid.
admin-button-pay-all = ✅ Mark everything paid · { $amount }
admin-button-pay-seller =
    ✅ Mark { $count ->
        [one] this line
       *[other] these { $count } lines
    } paid · { $amount }
admin-button-pay-line = ✅ { $order } · { $amount }
admin-button-payouts-back = ⬅️ Payouts
admin-button-export-payouts = 📄 Export payouts (CSV)
admin-tx-prompt =
    💸 Send <b>{ $amount }</b> in USDT on Solana ({ $lines ->
        [one] 1 line
       *[other] { $lines } lines
    }, { $sellers ->
        [one] 1 seller
       *[other] { $sellers } sellers
    }):
    { $wallets }{ $more ->
        [0] {""}
       *[other] {""}
          … and { $more } more sellers
    }

    Then send the Solana transaction signature here.
admin-payout-done =
    ✅ { $count ->
        [one] 1 line
       *[other] { $count } lines
    } marked paid: { $amount }.
    Transaction: <code>{ $tx }</code>
    { $told ->
        [0] No seller could be told.
       *[other] Sellers told: { $told } of { $sellers }.
    }{ $skipped ->
        [0] {""}
       *[other] {""}
          { $skipped ->
              [one] 1 line had been paid meanwhile: it was not paid twice.
             *[other] { $skipped } lines had been paid meanwhile: they were not paid twice.
          }
    }
admin-notice-paid =
    💸 <b>Payout sent</b>: { $amount } in USDT to your Solana wallet, for { $count ->
        [one] 1 sale
       *[other] { $count } sales
    }.
    Transaction: <code>{ $tx }</code>

# Exports
admin-exports = 📄 <b>Exports</b>: a CSV file (UTF-8, comma-separated) sent here. Amounts in USD, times in UTC.
admin-export-users = 👤 Users
admin-export-products = 📦 Products
admin-export-orders = 🧾 Orders
admin-export-payouts = 💸 Payouts
admin-export-preparing = Preparing the file…
admin-export-caption =
    📄 { $kind }: { $rows ->
        [one] 1 row
       *[other] { $rows } rows
    }{ $truncated ->
        [yes] {""} (the newest only)
       *[no] {""}
    }

# Audit log
admin-audit = 📜 <b>Audit log</b> ({ $count })
admin-audit-history = 📜 <b>History of { $type } { $id }</b> ({ $count })
admin-audit-empty = Nothing recorded yet.
admin-audit-entry =
    <b>{ $date }</b> · { $admin } <code>{ $adminId }</code>
    { $what }
admin-audit-user-suspend =
    ⛔ suspended { $target } { $timed ->
        [yes] until { $until }
       *[no] until restored
    }: { $reason }
admin-audit-user-restore = ♻️ restored { $target }
admin-audit-product-ban = 🚫 banned { $target }: { $reason }
admin-audit-product-restore = ♻️ restored { $target } ({ $status })
admin-audit-payout-paid =
    💸 paid { $target } { $amount } ({ $count ->
        [one] 1 line
       *[other] { $count } lines
    }), tx { $tx }
admin-audit-ticket-reply = ✍️ answered ticket { $target }
admin-audit-ticket-status = 🎫 set ticket { $target } to { $status }
admin-audit-export = 📄 exported { $kind } ({ $rows } rows)
admin-audit-other = { $action } { $target }

# The seller's payout history
sell-button-payouts = 💸 My payouts
sell-payouts =
    💸 <b>My payouts</b>
    In escrow: { $escrow } · To be paid: { $available } · Paid: { $paid }
sell-payouts-transfers =
    { $count ->
        [one] 1 transfer:
       *[other] { $count } transfers, latest first:
    }
sell-payouts-line =
    • { $date } — <b>{ $amount }</b> · { $count ->
        [one] 1 sale
       *[other] { $count } sales
    }
    {"  "}{ $tx }
sell-payouts-none = No payout yet. Once a sale leaves its 24 h escrow, an administrator sends it in USDT to your Solana wallet and it is listed here with its transaction.
