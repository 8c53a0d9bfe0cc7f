# Insoles CRM: English.

## Errors: what was wrong and what is expected
err-empty = Empty value: { $what ->
    [name] please give a name
    [phone] please give a phone
    [note] please write the note
    [product] please give the product
    [price] please give the price
    [client] please name the client (phone or name)
    [task] please write what to do
    [when] please give a time
   *[other] please type a value
}.
err-too-long = Too long: { $len ->
    [one] { $len } character
   *[other] { $len } characters
}, at most { $max }. Please shorten it.
err-phone = That does not look like a phone number. Expected a Ukrainian number such as 0671234567, +38 (067) 123-45-67 or 380671234567; a foreign one with "+" and the country code.
err-money = That does not look like an amount. Write hryvnias in digits, e.g. 1800, 1 800 or 1800.50.
err-name = A name must contain letters, e.g. Olha Marianchuk.
err-when = I could not read the date or time. Examples: tomorrow 10:00, fri 15:30, завтра 10:00, через 3 дні, 25.12 9:00.
err-in-past = That time has already passed. Please give a time in the future, e.g. tomorrow 10:00.
err-when-ambiguous = That time can be read more than one way (a period, "15" as a day or an hour, "half past two" by day or night). Please be exact, e.g. tomorrow 15:00, fri 9:30, 14 February 11:00.
err-when-impossible = That date or time does not exist (e.g. 31 February, 25:00, "15 in the morning", or an hour skipped by the clock change). Examples: 28 February 11:00, tomorrow 15:00, 7 pm.
err-number = That does not look like a number.
err-email = That does not look like an e-mail. Example: olha@example.com
err-not-found = Not found. The record may have been removed or the button is out of date.
err-internal = Sorry, something went wrong. Nothing was changed; please try again in a minute.
err-phone-taken = This phone already belongs to another client.
err-phone-belongs = This phone already belongs to { $name }.
err-required-field = This field is required and cannot be cleared.
err-instagram = An Instagram handle: Latin letters, digits, dot and "_", up to 30 characters. E.g. @olha.insoles
err-birth-date = Date of birth as DD.MM.YYYY, e.g. 12.03.1985.
err-foot-length = Foot length in centimetres or millimetres, e.g. 26.5 or 265 mm.
err-shoe-size = Shoe size as a number, e.g. 39 or 39.5.
err-tag = A tag is one word of letters, digits, "_" or "-", e.g. #vip or #diabetes. Several tags: separate with spaces.
err-prepaid-over = The prepayment cannot exceed the price.

## Hints
hint-empty = Type a command, or a client's name or phone. All commands: /help
hint-unsupported = For now I understand text, buttons and contacts. All commands: /help
hint-not-understood = I did not understand that. To find a client, type part of a name or phone; all commands: /help
hint-no-match = No clients match "{ $query }". To add one: /new_client First Last, 0671234567. All commands: /help
btn-expired = This button is out of date. Open the card or list again.
unknown-command = There is no such command. Here is what I can do: /help
cancelled = Cancelled.

## Buttons
btn-find-client = 🔎 Find client
btn-new-client = ➕ New client
btn-orders = 📋 Orders
btn-skip = Skip
btn-clear-field = 🗑 Clear
btn-cancel = ✖️ Cancel
btn-open-card = 👤 Client card
btn-back-to-card = ⬅️ Back to card
btn-edit = ✏️ Edit
btn-conditions = 🦶 Conditions
btn-note = 📝 Note
btn-call = 📞 Call
btn-new-order = 📦 Order
btn-task = ⏰ Task
btn-tags = 🏷 Tags
btn-timeline = 🕓 Timeline
btn-add-tag = ➕ Add tag

## Help and the command menu
help-intro = I am your insoles studio assistant. Commands:
help-examples =
    Examples:
    /new_client Olha Marianchuk, 067 123 45 67, flat feet
    /client Marian  ·  /client 067123  ·  /client #vip
    /new_order 0671234567, Custom insoles, 1800, 500
    /task Call Olha tomorrow 10:00
cmd-client = find a client by name, phone or #tag
cmd-new-client = new client: name, phone[, note]
cmd-new-order = new order: client, product, price[, prepaid]
cmd-orders = open orders by status
cmd-task = new task: text [when]
cmd-lang = language: українська / English
cmd-help = all commands and examples
cmd-cancel = cancel the current action
cmd-start = start

## Language
lang-choose = Choose a language:
lang-set = Language set: English.

## Guided flows
ask-client-name = What is the client's name? Type first and last name.
ask-client-phone = Phone for { $name }? E.g. 0671234567. You can also share a contact.
ask-client-note = A note about the client (where they came from, complaints)? Or press "Skip".
ask-search = Whom are we looking for? Type part of a name, a phone or a #tag.
ask-field = { $name }: new value for "{ $field }"?
ask-note = Type the note.
ask-call = Briefly, what was the call about? Or "Skip".
ask-tag = Type tag(s) separated by spaces, e.g. #vip #instagram
ask-order-product = Which product? E.g. Custom insoles.
ask-order-price = Price for "{ $product }", UAH?
ask-order-prepaid = Price { $price }. How much was prepaid, UAH? Or "Skip".
ask-task = What to do and when? E.g. Call about the fitting tomorrow 10:00

## Clients
client-created = ✅ Client added.
client-exists = A client with this phone already exists: { $name }. No duplicate was created.
search-none = Nobody matches "{ $query }".
search-many = { $count ->
    [one] Found { $count } client
   *[other] Found { $count } clients
} for "{ $query }". Choose:
search-refine = Showing the first 20: refine the query.
field-name = Name
field-phone = Phone
field-email = E-mail
field-instagram = Instagram
field-birth-date = Date of birth
field-foot-length = Foot length
field-shoe-size = Size
field-allergies = Allergies
field-contraindications = Contraindications
field-notes = Notes
field-saved = ✅ Saved: { $field }.
note-added = ✅ Note added.
call-logged = ✅ Call logged.
call-logged-empty = Call
tags-added = ✅ Tags added.

## Card
card-profile = Foot profile
card-conditions = Conditions
card-diabetes = Diabetes
card-open-orders = Open orders
card-tasks = Tasks
card-recent = Recent events
edit-menu = ✏️ { $name }: what to change?
conditions-menu = 🦶 { $name }: tick the conditions.
tags-menu = 🏷 { $name }: press a tag to remove it.
tags-none = 🏷 { $name }: no tags yet.
timeline-title = 🕓 Timeline: { $name }
timeline-empty = No events yet.
cond-flat = Flat feet
cond-spur = Heel spur
cond-hallux = Hallux valgus
cond-fasc = Plantar fasciitis
cond-knee = Knee pain
cond-back = Back pain

## Orders
status-new = 🆕 New
status-prod = 🛠 In production
status-ready = ✅ Ready
status-issued = 🤝 Issued
status-cancel = ❌ Cancelled
order-usage =
    How to create an order:
    /new_order <phone or name>, <product>, <price>[, <prepaid>]
    E.g.: /new_order 0671234567, Custom insoles, 1800, 500
    Kopecks after a dot (1800.50), or separate the fields with semicolons.
    Or open the client's card and press "📦 Order".
order-no-client = No client "{ $query }". Add them first: /new_client
order-pick-client = Several clients match "{ $query }". Whose order is it?
order-created = ✅ Order created.
order-title = 📦 Order #{ $id }
order-product = Product
order-price = Price
order-prepaid = Prepaid
order-due = Due
order-status = Status
order-history = History:
order-status-changed = Status: { $status }
order-status-refused = The status cannot change from "{ $from }" to "{ $to }".
orders-none = No open orders. New: /new_order or from a client's card.
orders-title = 📋 Open orders: { $count }
timeline-order-created = New order #{ $id }: { $product }, { $price }
timeline-order-status = Order #{ $id } ({ $product }): { $status }

## Tasks
task-no-due = no due time
task-created = ✅ Task: { $task } — { $when }
task-done = ✔️ Done

## Visitors (anyone who is not the owner)
visitor-welcome = Welcome to the orthopedic insoles studio! Write your question and we will answer soon.
visitor-thanks = Thank you for your message! We will answer soon.
visitor-no-access = This action is not available.

## Console and startup
console-welcome = Insoles CRM: the owner's console. Type commands as in Telegram (/help). Pick buttons by number. Quit with Ctrl+D.
console-choose = Pick a button number or type a message.
console-bad-choice = There is no button with that number.

## Tasks, reminders, today
cmd-today = today: tasks, follow-ups, orders ready to hand out
cmd-tasks = all open tasks
btn-today = 📅 Today
btn-task-done = ✔️ Done
btn-snooze-hour = +1 h
btn-snooze-tomorrow = Tomorrow
reminder-text = ⏰ Reminder ({ $when }): { $task }
task-snoozed = ⏰ Moved to { $when }: { $task }
task-already-done = This task is already done.
tasks-none = No open tasks. New: /task Text tomorrow 10:00
tasks-title = ⏰ Open tasks: { $count }
today-title = 📅 Today, { $date }
today-empty = All clear: no tasks or ready orders for today.
today-tasks = ⏰ Tasks ({ $count }):
today-follow-ups = 🤝 Ask how the insoles are ({ $count }):
today-ready = ✅ Ready to hand out ({ $count }):
follow-up-body = Ask how the insoles are: { $product }

## Excel in, Excel out
cmd-export = export clients, orders and the timeline to Excel
import-how = To import clients, send an .xlsx or .csv file here: I will show what I found and import it in one tap.
import-preview = 📄 { $file }: { $rows } rows read.
import-columns = Recognised columns
import-ignored = Skipped columns
import-ready = Ready to import: { $count }
import-duplicates = ♻️ Duplicates by phone ({ $count }), not imported:
import-errors = ⚠️ Rows with errors ({ $count }), not imported:
import-line = row { $line }: { $problem }
import-more = …and { $count } more
import-nothing = There are no rows that can be imported.
import-problem-no-name = no name
import-problem-name = the name is too long or has no letters
import-problem-phone = phone "{ $value }" not recognised
import-problem-date = date "{ $value }" is impossible
import-problem-email = e-mail "{ $value }" does not look like an address
import-problem-dup-file = the same phone as row { $line }
import-problem-exists = already in the database: { $name }
import-first-name = First name (separate)
import-last-name = Last name (separate)
import-too-large = The file is too large. At most { $max } MB; split the list into parts.
import-not-spreadsheet = This is not a spreadsheet. Send an Excel file (.xlsx, .xls), .ods or .csv.
import-corrupt = The file is damaged: the table could not be read. Save it in Excel again and resend it.
import-empty = The file has no data.
import-too-many-rows = Too many rows: at most { $max }.
import-no-columns = I found no name column. Name the columns, e.g.: Name, Phone, Notes.
btn-import = 📥 Import { $count }
import-done = ✅ Clients imported: { $count }. Skipped (phone already taken): { $skipped }.
export-done = 📤 Export: { $count ->
    [one] { $count } client
   *[other] { $count } clients
}, their orders, bookings, tasks and timeline.
export-sheet-clients = Clients
export-sheet-orders = Orders
export-sheet-timeline = Timeline
export-col-id = ID
export-col-client-id = Client ID
export-col-name = Name
export-col-phone = Phone
export-col-email = E-mail
export-col-instagram = Instagram
export-col-birth-date = Date of birth
export-col-conditions = Conditions
export-col-diabetes = Diabetes
export-col-foot-length = Foot length, mm
export-col-shoe-size = Shoe size
export-col-allergies = Allergies
export-col-contraindications = Contraindications
export-col-notes = Notes
export-col-tags = Tags
export-col-product = Product
export-col-price = Price, UAH
export-col-prepaid = Prepaid, UAH
export-col-status = Status
export-col-created = Created
export-col-channel = Channel
export-col-direction = Direction
export-col-kind = Type
export-col-text = Text
export-yes = yes
import-download-failed = The file could not be downloaded from Telegram. Please send it again.

## Booking
cmd-book = book a foot diagnostics visit
cmd-my = my bookings
cmd-week = bookings this week
cmd-book-for = book for a client: /book <name or phone>
cmd-hours = working hours: /hours mon 10-18
cmd-dayoff = day off: /dayoff 31.12
cmd-vacation = vacation: /vacation 01.08-14.08, undo a day off: /dayoff remove 31.12 (or the ❌ button)
service-diagnostics = Foot diagnostics
service-fitting = Fitting / handing over insoles
wd-mon = Mon
wd-tue = Tue
wd-wed = Wed
wd-thu = Thu
wd-fri = Fri
wd-sat = Sat
wd-sun = Sun
btn-book = 📅 Book a visit
btn-my-bookings = 🗓 My bookings
btn-booking-cancel = ❌ Cancel booking
btn-booking-move = 🔁 Reschedule
btn-other-day = ⬅️ Another day
btn-book-confirm = ✅ Confirm
btn-share-phone = 📱 Share my number
btn-visit-ok = ✅ I'll be there
btn-came = ✅ Came
btn-no-show = 🚫 No-show
book-service-button = { $service } ({ $minutes } min)
book-choose-service = What would you like to book?
book-choose-day = Choose a day:
book-choose-time = Choose a time:
book-no-days = No free times in the coming month. Write to us and we will find one.
book-summary = Booking: { $service }, { $when }. Confirm?
book-ask-phone = To book you in we need your phone number. Press "Share my number" or type it, e.g. 0671234567.
book-unnamed-client = Telegram client
book-phone-saved = Thank you! Number { $phone } saved.
book-taken = That time was just taken. Here are the nearest free ones:
book-done = ✅ You are booked: { $service }, { $when }. We will remind you the day before.
book-none = You have no upcoming bookings.
book-mine = Your bookings:
book-cutoff = A booking can be changed or cancelled up to { $hours } h before it; please call us.
book-not-yours = This booking is not available.
book-cancelled = Your booking is cancelled. We will be glad to see you another time!
book-moved = ✅ Your booking is moved to { $when }.
book-see-you = Thank you! See you { $when }.
book-for-usage = To book for a client: /book <name or phone>, then service, day and time.
book-for-many = Several clients match: give more of the name or the phone.
owner-booked = ✅ Booked: { $client }, { $when }.
owner-booking-new = 🆕 New booking: { $client } { $phone }
    { $service }, { $when }
owner-booking-moved = 🔁 Booking moved: { $client } { $phone }
    { $service }, now { $when }
owner-booking-cancelled = ❌ The client cancelled: { $client } { $phone }
    { $service }, { $when }
owner-ask-outcome = How did the visit go: { $client }, { $when }?
owner-cancelled = Booking cancelled: { $client }, { $when }. The client has been told.
ask-cancel-reason = Cancel the booking of { $client } on { $when }? Type a reason for the client or press "Skip".
client-booking-cancelled = Unfortunately your booking on { $when } has been cancelled.
client-cancel-reason = Reason: { $reason }
client-reminder = ⏰ A reminder: { $service }, { $when }. We are looking forward to seeing you!
client-no-show = Sorry you could not come. Choose another time that suits you: we are always glad to see you.
visit-came = ✅ Visit done: { $client }, { $when }.
visit-no-show = 🚫 No-show: { $client }, { $when }. The client will be offered a new time.
task-rebook = Rebook: { $client } (no-show { $when })
hours-title = 🕘 Working hours:
hours-closed = closed
hours-usage = Change a day: /hours mon 10:00-18:00 or /hours sat off. Day off: /dayoff 31.12, short day: /dayoff 24.12 10-14, vacation: /vacation 01.08-14.08, undo a day off: /dayoff remove 31.12 (or the ❌ button)
dayoff-usage = Examples: /dayoff 31.12, /dayoff 24.12 10-14, /dayoff remove 31.12
vacation-usage = Example: /vacation 01.08-14.08 (up to 92 days)
days-off-set = ✅ Saved for { $from } to { $to }.
days-off-conflicts = ⚠️ There are bookings on these days ({ $count }):
week-title = 🗓 Bookings for 7 days: { $count }
week-empty = No bookings.
today-bookings = 🗓 Visits ({ $count }):
owner-booking-overlap = ⚠️ A Cal.com booking overlaps another: { $client } { $phone }
    { $service }, { $when }
calendar-name = Bookings — insoles studio

## Booking web page
web-name = Your name
web-phone = Phone
web-note = Comment (optional)
web-day-full = There is no free time left on this day.
web-rate-limited = Too many attempts. Try again in a few minutes or call us.
web-thanks = Thank you! We will contact you.
web-bad-form = The form is out of date. Please start again.
btn-booking-confirm = ✅ Confirm
owner-confirmed = ✅ Confirmed: { $client }, { $when }.
client-booking-confirmed = ✅ Your booking is confirmed: { $service }, { $when }. See you!
client-order-ready = 🎉 Your insoles are ready: { $product }. Pick them up during the studio's opening hours.
cmd-reminders = SMS and e-mail reminders to clients
client-reminder-sms = A reminder: { $service }, { $when }. Insoles studio, Novovolynsk.
client-reminder-subject = Your visit reminder
reminders-title = Reminders to clients (Telegram: always):
reminders-sms = SMS
reminders-email = E-mail
reminders-state-on = on
reminders-state-off = off
reminders-state-missing = not configured (see README)
reminders-not-configured = Configure it first (TURBOSMS_TOKEN or SMTP_URL).
client-order-ready-subject = Your insoles are ready

## Instagram
ig-story-reply = [story reply]
ig-story-mention = [story mention]
ig-photo = [photo]
ig-voice = [voice message]
ig-video = [video]
ig-attachment = [attachment]
ig-deleted = [message deleted]
ig-lead-name = Instagram { $id }
ig-unanswered = ⏰ Instagram: { $count ->
    [one] { $count } DM
   *[other] { $count } DMs
} unanswered for more than 2 h.
ig-owner-relay = 💬 Instagram, { $name }: { $text }
btn-ig-reply = ✍️ Reply
ig-ask-reply = Type the reply for { $name }: it goes to Instagram as the studio.
ig-sent = ✅ Sent to Instagram: { $count ->
    [one] { $count } message
   *[other] { $count } messages
}.
ig-no-conversation = This client has no Instagram conversation.
ig-not-configured = Sending to Instagram is not configured (INSTAGRAM_ACCESS_TOKEN).
ig-window-closed = The client wrote more than 7 days ago: Instagram does not allow a reply. Call or send an SMS.
cmd-assistant = automatic answers to clients: /assistant on or off
assistant-on = 🤖 Automatic answers are on: I answer simple questions, the hard ones come to you. Pause: /assistant off
assistant-paused = ⏸ Automatic answers are paused: every message comes to you. Resume: /assistant on
assistant-engine-offline = Engine: offline (no key, no internet).
assistant-engine-llm = Engine: LLM { $model }; when it fails, the offline one.
assistant-stats = Waiting for your answer: { $pending }. Saved answers: { $learned }.
assistant-missing = There is no knowledge base (config/knowledge.md), so automatic answers are off.
ig-escalation = Intent: { $intent } · mood: { $sentiment } · why you: { $reason }

## The assistant's conversations (Instagram and the Telegram bot)
tg-owner-relay = 💬 Telegram, { $name }: { $text }
conv-book-link = Book online: { $url }
conv-order-status = Your order “{ $product }”: { $status }.
conv-next = Next: { $action }
next-none = nothing, answered automatically
next-offer-booking = offer a diagnostics time
next-check-order = check the order and reply
next-contact = contact her personally (call or write)
next-answer = answer the question (the knowledge base has no answer)
next-attachment = look at the photo or listen to the voice message
conv-paused-note = ⏸ Automatic answers are paused for this conversation: you answer.
conv-draft = 💡 Draft reply:
btn-draft-send = ✅ Send
btn-draft-edit = ✏️ Edit
btn-draft-ignore = 🙈 Ignore
btn-draft-save = 💾 Save to knowledge base
btn-chat-pause = ⏸ Pause this chat
btn-chat-resume = ▶️ Resume the bot
conv-no-telegram = This client has not written to the Telegram bot.
conv-draft-done = This draft has already been handled.
conv-draft-empty = The draft is empty: tap “Edit” and write the answer.
conv-sent = ✅ Sent to the client: { $count ->
    [one] { $count } message
   *[other] { $count } messages
}. Save the answer so the bot answers it next time?
conv-ask-edit = Write the answer for { $name }; it goes out as the studio.
conv-ignored = 🙈 Ignored.
conv-saved = 💾 Saved: the bot now answers the same question in your words.
conv-save-done = This answer is already saved (or has not been sent yet).
conv-chat-paused = ⏸ The bot no longer answers { $name } by itself: every message comes to you.
conv-chat-resumed = ▶️ The bot answers { $name } again.

## Identity: a phone that belongs to another card (the owner decides)
identity-claim-typed = ⚠️ { $name } in Telegram typed the phone { $phone }, which is on the card of “{ $client }”. The phone was typed, not confirmed by Telegram. Is this the same person?
identity-claim-proven = ⚠️ { $client } ({ $phone }) shared her own contact from another Telegram account ({ $name }). Her card is linked to a different account. Link the new account (same person)?
identity-claim-web = ⚠️ Booking from the web page: { $name }, phone { $phone } — it is on the card of “{ $client }”. Is this the same person?
btn-claim-merge = ✅ Same person
btn-claim-separate = ❌ Different people
identity-merged = ✅ Merged into the card of “{ $client }”: visits and history are there now, the account is linked.
identity-separate = 👥 Kept apart from the card of “{ $client }”.
identity-linked-client = ✅ The studio has confirmed your account. Your visits: /my

## Trust, helper A: resilience and backups
console-bad-utf8 = ⚠️ That line could not be read: it has broken characters (not UTF-8). Please type it again.
import-sheet-too-big = The table is too big to import: at most { $rows } rows and { $cells } cells. Split the list into parts.
tg-update-failed = ⚠️ This message could not be handled and was skipped. Please try again or another way; everything else works as usual.
backup-caption = 🗄 Database backup of { $date }. Keep it somewhere safe: it holds clients' data.
backup-done = Backup written: { $file }
restore-done = Database restored from { $file }. The previous one is kept as { $previous }.
restore-not-ours = { $file }: not an Insoles CRM backup ({ $reason }). Nothing was changed.
restore-running = A server or another command (the console, import, export) is using this database. Stop it, then restore.

## Issue 10, helper B (HTTP hardening): a booking form posted from another site
web-cross-site = This form was sent from another site, so we did not accept it. Open the booking page on our site and try again.
card-typed-phone = { $phone } (typed in Telegram, not confirmed)
identity-claim-relinks = ❗ The card of “{ $client }” is already linked to another Telegram account (id { $old }). “Same person” moves it to the new account, and the old one loses access to her visits.

# tasks (issue 12)
btn-task-move = ⏰ Move
btn-task-move-typed = ✍️ Type a time
btn-task-undo = ↩️ Undo
task-move-title = Move the task “{ $task }”: to when?
ask-task-when = When? E.g. tomorrow 10:00, fri 15:30, завтра в обід, через 2 години, 14 February 11:00.
task-reopened = ↩️ The task is open again: { $task } — { $when }
task-reopened-toast = Undone
task-already-open = This task is already open.

# hours, one source of truth (issue 12)
kb-hours = Our working hours: { $week }.
kb-hours-exceptions = Upcoming changes: { $days }.
hours-exceptions = Days off and short days ahead ({ $count }):
days-off-removed = ✅ { $days } — a working day again, on the usual hours.
days-off-none = There is no day off or short day on those dates.
client-status-none = We found no open orders for this account. If you ordered from another number or account, write to us and we will check.

# details (issue 12)
import-warnings = ✏️ Fields that could not be read ({ $count }); the rows are imported without them:
import-problem-shoe-size = shoe size "{ $value }" not recognised
export-sheet-bookings = Bookings
export-sheet-tasks = Tasks
export-col-service = Service
export-col-starts = Starts
export-col-task = Task
export-col-due = Due
export-col-done = Done
export-order-new = New
export-order-prod = In production
export-order-ready = Ready
export-order-issued = Issued
export-order-cancel = Cancelled
export-booking-booked = Booked
export-booking-came = Came
export-booking-no-show = No-show
export-booking-cancelled = Cancelled
export-service-diagnostics = Foot diagnostics
export-service-fitting = Fitting / hand-out
export-kind-note = Note
export-kind-call = Call
export-kind-status = Order status
export-kind-message = Message
export-dir-in = Incoming
export-dir-out = Outgoing
export-dir-internal = Internal
export-channel-telegram = Telegram
export-channel-console = Console
export-channel-instagram = Instagram
export-channel-web = Website
export-channel-calcom = Cal.com
export-channel-import = Import
export-task-task = Task
export-task-follow-up = Ask how the insoles are
btn-merge = 🔗 Merge
btn-delete = 🗑 Delete
merge-ask = 🔗 Card “{ $name }”: merge with which card? Type part of the other card's name or phone.
merge-none = No other card found for "{ $query }". Type it differently or press "Cancel".
merge-pick = Choose the other card:
merge-since = since { $date }
merge-same = This is the same card.
merge-confirm =
    🔗 Merge two cards of one person?

    Stays: { $keep }
    Goes: { $remove }

    Orders, bookings, tasks, notes, tags and the timeline move to the card that stays; its empty fields are filled from the other.
btn-merge-do = ✅ Merge
btn-merge-swap = 🔁 Keep the card “{ $name }”
merge-note = 🔗 Card “{ $name }” (#{ $id }) merged in
merge-done = ✅ Cards merged: “{ $other }” is now part of “{ $name }”.
client-forgotten = This card has already been deleted.
delete-confirm =
    🗑 Delete the card “{ $name }” for good?

    Gone: the card, timeline, messages, tasks, bookings ({ $visits ->
        [0] no future bookings
        [one] { $visits } future booking will be cancelled
       *[other] { $visits } future bookings will be cancelled
    }; we do not message the client: tell her yourself if needed).
    { $orders ->
        [0] No orders.
        [one] { $orders } order stays for the books, without name or phone.
       *[other] { $orders } orders stay for the books, without name or phone.
    }
    This cannot be undone.
btn-delete-do = 🗑 Yes, delete for good
deleted-client-name = deleted client #{ $id }
deleted-audit = 🗑 Personal data deleted at the client's request.
delete-done = ✅ Card deleted. { $orders ->
    [0] There were no orders.
    [one] { $orders } order kept anonymously.
   *[other] { $orders } orders kept anonymously.
} Future bookings cancelled: { $visits }.
welcome-book-local = on this computer: http://127.0.0.1:8080/book (the address from HTTP_ADDR; for clients set PUBLIC_URL)
welcome-empty =
    👋 Welcome! The database is empty. Where to start:
    1. See it with sample data: { $channel ->
        [console] stop the program (Ctrl+D) and run "insoles-crm demo-data"
       *[other] on the computer running the program, run "insoles-crm demo-data"
    }: clients, orders, bookings and tasks appear.
    2. Add your first client: /new_client Olha Marianchuk, 067 123 45 67, or { $channel ->
        [console] import a list: /import
       *[other] send an Excel file with the list here
    }.
    3. Set your working hours: /hours mon 10-18, /hours sat off.
    4. { $channel ->
        [console] Connect the Telegram bot: create one with @BotFather and start the program with TELEGRAM_BOT_TOKEN=… and OWNER_TELEGRAM_IDS=<your Telegram id> (see the README).
       *[other] The bot is connected: clients write to it and book with /start.
    }
    5. The booking page for clients: { $book_url }
    All commands: /help
import-how-console = A file cannot be sent in the console. Import with a command in another terminal (the server may keep running): "insoles-crm import clients PATH/clients.xlsx --dry-run" shows what it found; without "--dry-run" it imports. .xlsx, .xls, .ods and .csv work. In Telegram, just send the file to the chat.

# catalogue (issue 12)
cmd-order = open an order by its number: /order 17
cmd-products = the product catalogue and prices
products-title = 🛍 Product catalogue: { $count }
products-empty = Empty so far. Add a product with the button below.
product-hidden-mark = (hidden)
product-active = Offered when you create an order.
product-inactive = Hidden: not offered for new orders; old orders are unchanged.
btn-product-add = ➕ Add a product
btn-product-rename = ✏️ Name
btn-product-price = 💰 Price
btn-product-hide = 🙈 Hide
btn-product-show = 👁 Offer again
btn-products-back = ⬅️ Catalogue
btn-product-other = ✏️ Other
ask-product-name = Name of the new product? For example: Insoles for a diabetic foot.
ask-product-price = Price of “{ $name }”, UAH?
ask-product-rename = New name for “{ $name }”?
ask-product-new-price = New price of “{ $name }” (now { $price }), UAH?
product-added = ✅ Product added to the catalogue.
product-saved = ✅ Saved.
product-hidden = 🙈 Hidden from new orders.
product-shown = 👁 Offered for new orders again.
err-product-hidden = This product is hidden in the catalogue. Pick another one or bring it back in /products.
ask-order-pick-product = Which product? Pick one from the catalogue (you can change the price later) or type its name.
btn-order-product = ✏️ Product
btn-order-price = 💰 Price
btn-order-prepaid = 💵 Prepaid
btn-order-undo = ↩️ Undo step
btn-order-reopen = 🔓 Reopen
btn-client-orders = 🧾 All orders
ask-order-edit-product = Order #{ $id } (“{ $product }”): pick a product from the catalogue (the price becomes its catalogue price) or type a name.
ask-order-edit-price = Order #{ $id }: new price (now { $price }), UAH?
ask-order-edit-prepaid = Order #{ $id }: how much is prepaid (now { $prepaid }), UAH?
order-edited = ✅ Order changed.
timeline-order-edited = Order #{ $id } changed: { $changes }
order-undone = ↩️ Step undone: { $from } → { $to }
order-undo-none = There is no step to undo.
order-reopened = 🔓 Order reopened: { $from } → { $to }
order-reopen-open = The order is open already.
timeline-order-undo = Order #{ $id } ({ $product }): step undone, status { $status }
timeline-order-reopen = Order #{ $id } ({ $product }): reopened, status { $status }
history-undo = ↩️ step undone
history-reopen = 🔓 reopened
order-not-found = Order #{ $id } not found. Open orders: /orders
order-number-bad = An order number is a number, for example: /order 17
client-orders-title = 🧾 Orders: { $name } ({ $count })
client-orders-none = { $name } has no orders yet.
order-no-price = "{ $product }" is not in the catalogue, so give a price: /new_order <client>, <product>, <price>. Catalogue: /products

# visits on the card (issue 12)
card-visits = Visits
visit-source-telegram = Telegram bot
visit-source-web = booking page
visit-source-calcom = Cal.com
visit-source-owner = booked by the owner
visit-note = Note: “{ $note }”
timeline-visit-booked = Booked: { $service }, { $when } ({ $source })
timeline-visit-moved = Visit moved: { $from } → { $when }
timeline-visit-cancelled = Visit { $when } cancelled: { $reason }
timeline-visit-by-client = by the client
timeline-visit-by-owner = by the owner
timeline-visit-by-owner-reason = by the owner, reason: { $reason }
timeline-visit-by-calcom-moved = Cal.com moved it onto a busy time, booked again
timeline-visit-came = Visit { $when }: came
timeline-visit-no-show = Visit { $when }: no-show
btn-visit-move = 🔁 { $when }
btn-visit-cancel = ❌ { $when }
btn-later = Later ▶️
btn-earlier = ◀️ Earlier
owner-move-title = 🔁 Move: { $client }, { $service }, now { $when }.
owner-move-same = The visit is already at this time.
owner-moved = ✅ Moved: { $client }, now { $when }.
owner-moved-told = The client was told in Telegram.
owner-moved-no-chat = The client did not book through the bot ({ $source }): there is nowhere to send it, tell her yourself: { $phone }
client-booking-moved = 🔁 Your visit was moved: { $service }, now { $when }. If the time does not suit you, write to us.

# booking page (issue 12)
web-title-any = Book online
web-title-service = Booking: { $service }
web-prices = Prices
web-price = { $service } — { $price }
web-choose-time = Choose a time for your visit.
web-taken-none = That time was just taken, and there is no other free time soon. Call us and we will find a time.
