# Attribution, campaign links and the referral programme (issue 16).

cmd-link = links with QR codes for a campaign: /link spring_2027 → the booking page with UTM and Telegram
cmd-ref = a client's referral code with its links: /ref Olha
link-usage = Name the campaign (Latin letters, digits, _ or -) and, if you like, the source: /link spring_2027 instagram
link-bad-campaign = A campaign and a source are Latin letters, digits, _ or - (up to 60), e.g. /link spring_2027 flyer
link-book = 🌐 Booking page, campaign “{ $campaign }”:
link-telegram = ✈️ Telegram bot, campaign “{ $campaign }”:
link-no-address = No links yet: set PUBLIC_URL (the booking page) or TELEGRAM_BOT_USERNAME (the bot).
link-report-hint = The campaign “{ $campaign }”'s leads, bookings, orders and revenue are in /report → Marketing.
ref-usage = Whose code? /ref Olha, /ref 0671234567 or /ref 42
ref-pick = Several clients — pick one:
ref-card =
    🎁 { $name }'s referral code: { $code }
    A friend who comes by this link gets a discount on her first order, and { $name } the same on her next one once the friend pays.
    Discounts earned: { $credit }
ref-telegram = ✈️ Link to the bot:
ref-book = 🌐 Link to the booking page:
btn-referral = 🎁 Referral code
referral-welcome = 🎁 A friend invited you: { $amount } off your first order.
referral-discount-applied = 🎁 Your referral discount of { $amount } is taken off order #{ $id }.
referral-credit-earned = 🎁 Thank you for the recommendation! Your friend is now our client: { $amount } off your next order.
order-discount = discount
order-discount-referral = referral
order-discount-credit = referral bonus
web-ref-code = A friend's referral code (if you have one)
