## Marketing e-mail: sequences, campaigns, unsubscribe (issue 16)
cmd-campaign = e-mail campaign: segment, subject, text
consent-button = Consent to marketing e-mail
consent-on = ✅ Consent to e-mails recorded
consent-web-email = E-mail (optional)
consent-web-check = I agree to receive the studio's e-mails (tips, offers); unsubscribe any time
consent-off = ▫️ Consent withdrawn, e-mails stopped
campaign-help =
    ✉️ An e-mail campaign to clients with consent. One message, three lines:
    /campaign #sport visit<01.09.2026 age>=11
    Time to replace your insoles
    Hello, {"{"}name{"}"}! Your insoles have served you almost a year...

    Segment: #tag, visit<DATE or visit>DATE (last visit), age>=MONTHS or age<=MONTHS (product age), all — everyone.
campaign-bad-word = I do not understand “{ $word }” in the segment. Possible: #tag, visit<01.09.2026, visit>01.09.2026, age>=11, age<=12, all.
campaign-preview = ✉️ Campaign #{ $id }: { $count ->
        [one] { $count } recipient
       *[other] { $count } recipients
    } (with consent and an address).
campaign-subject = Subject: { $subject }
campaign-btn-test = 🧪 Test e-mail to me
campaign-btn-send = ✉️ Send ({ $count })
campaign-btn-confirm = ✅ Yes, send
campaign-confirm = Send campaign #{ $id } to { $count ->
        [one] { $count } client
       *[other] { $count } clients
    }? It cannot be undone.
campaign-queued = ✅ Queued: { $count } e-mails, { $rate } a minute; the last goes around { $last }.
campaign-sent-before = This campaign was sent already.
campaign-no-owner-email = A test e-mail needs your address: REPORT_EMAIL.
campaign-no-smtp = Sending e-mail needs SMTP_URL and PUBLIC_URL (for the unsubscribe link).
campaign-test-sent = 🧪 The test e-mail goes to { $address }.
campaign-test-mark = TEST
campaign-sample-name = Client
mail-footer = You receive this e-mail because you agreed to the studio's mailing list.
mail-unsubscribe = Unsubscribe
unsub-page-title = Unsubscribe
unsub-page-question = Stop sending you the studio's e-mails?
unsub-page-button = Unsubscribe
unsub-page-done = Done: you are unsubscribed, no more e-mails.
unsub-page-forged = This link is not valid. Check that it was copied in full.
## Sequence steps (config/sequences.toml): <key>-subject and <key>-body
seq-care-tips-subject = Caring for your feet after the diagnostics
seq-care-tips-body =
    Hello, { $name }!

    Thank you for coming to the diagnostics. A few tips for these days: wear comfortable shoes with a firm heel counter, do the foot exercises morning and evening, avoid walking barefoot on hard floors for long.

    If anything bothers you, just reply to this e-mail.
seq-offer-subject = Your insoles, from the diagnostics
seq-offer-body =
    Hello, { $name }!

    From your diagnostics we can make custom insoles for your feet. Book a fitting: it takes 20 minutes.
seq-reminder-subject = A reminder about custom insoles
seq-reminder-body =
    Hello, { $name }!

    A reminder: your diagnostics results are still valid and we are ready to make your insoles. Book whenever it suits you.
seq-how-are-insoles-subject = How are your new insoles?
seq-how-are-insoles-body =
    Hello, { $name }!

    Two weeks have passed since you got your insoles. How are they? If anything rubs, a correction in the first 30 days is free.
seq-replacement-subject = Time to think about new insoles
seq-replacement-body =
    Hello, { $name }!

    Your insoles have served you almost a year. To keep supporting your feet they should be checked and perhaps replaced. Book a check-up.
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
cmd-listmonk = Listmonk: the sync of e-mail consent
listmonk-off = Listmonk is not connected: set LISTMONK_URL, LISTMONK_USER and LISTMONK_TOKEN.
listmonk-never = not yet
listmonk-status = 📮 Listmonk: { $url }, list { $list }
    Last sync: { $last }
    Subscribed: { $subscribed } · queued: { $pending } · failed: { $failed }
