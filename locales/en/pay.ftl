# Payments and the cash book (issue 14).

cmd-pay = pay for an order: Monobank link, cash, terminal: /pay 17
cmd-income = record a payment: /income 17 1300 terminal
cmd-expense = record an expense: /expense 350 materials EVA
cmd-finance = finances for a period: /finance week

pay-method-cash = cash
pay-method-terminal = terminal
pay-method-monobank = Monobank
pay-kind-income = income
pay-kind-expense = expense
pay-kind-refund = refund
pay-receipt-none = —
pay-receipt-needed = receipt needed
pay-receipt-queued = receipt being issued
pay-receipt-done = receipt issued
pay-receipt-failed = receipt not issued
pay-receipt-manual = receipt issued by hand
pay-receipt-owed = 🧾❗ receipt needed

pay-usage = Paying for an order: /pay 17 — the payment menu; /pay 17 50% — a prepayment link; /pay 17 full — a link for the whole amount.
pay-income-usage = A payment in one message: /income <order number> <amount> [cash|terminal] [date] — e.g. /income 17 1300 terminal yesterday
pay-expense-usage = An expense in one message: /expense <amount> <category> [note] [date] — e.g. /expense 350 materials EVA or /expense 1200 rent 01.11
pay-finance-usage = Period: today, yesterday, week, month, last-month or dates: /finance 01.11-15.11

pay-err-amount = The amount is a number, e.g. 350 or 1300.50.
pay-err-not-positive = The amount must be more than zero.
pay-err-absurd = Too large: over { $max }. Check the zeros.
pay-err-date = No such date. Write e.g. 25.11, 25.11.2026 or “yesterday”.
pay-err-future = That date has not come yet. Only what already happened can be recorded.
pay-err-category = Write a category after the amount, e.g. /expense 350 materials EVA
pay-err-too-long = Too long: a category up to 40 characters, a note up to 200.
pay-err-cancelled = Order #{ $id } is cancelled: no payments for it.
pay-err-paid = Order #{ $id } is already paid in full.
pay-err-over-due = More than is left to pay ({ $due }).
pay-err-prepay = A prepayment only while nothing is paid. Send a link for the rest instead.
pay-err-refund-over = At most { $max } can be refunded.
pay-err-period-reversed = The period ends before it starts. E.g. /finance 01.11-15.11

pay-menu-title = 💳 Payment of order #{ $id } · { $product } · 👤 { $client }
pay-menu-sums = Price: { $price } · Paid: { $paid } · Due: { $due }
pay-order-cancelled = The order is cancelled: no new payments.
pay-monobank-off = Monobank links are off: set MONOBANK_TOKEN.
pay-card-paid = ✅ Paid in full
pay-open-link = 🔗 Waiting for { $amount } until { $until }: { $url }
pay-ask-amount = How much was received for order #{ $id } ({ $method })? { $due } is left to pay.
pay-open-links-after-paid = ⚠️ The order is paid in full, yet { $count } Monobank link(s) are still open. The client could pay twice: remove the link in the Monobank cabinet.
pay-recorded = ✅ Recorded: { $amount }, { $method }, order #{ $id }.
pay-expense-recorded = ✅ Expense recorded: { $amount } · { $category } { $note } · { $day }
pay-undone = 🗑 Entry taken back: { $line }
pay-undo-gone = That entry is gone already.
pay-undo-refused = This entry cannot be taken back: it has a receipt or came from Monobank. Make a refund.
pay-timeline-income = 💵 Payment { $amount } ({ $method }) for order #{ $id }
pay-timeline-refund = ↩️ Refund { $amount } ({ $method }) for order #{ $id }

pay-link-making = ⏳ Making a payment link for { $amount } for order #{ $id }… I will send it to the client and to you.
pay-link-exists = A link is open already; no new one made:
    { $line }
pay-destination = Payment for order No. { $id }: { $product }
pay-basket-prepay = 50 % prepayment: { $product }
pay-client-link = Payment link for order No. { $id } ({ $product }): { $amount }
    { $url }
    Valid until { $until }.
pay-owner-link = 🔗 Payment link for { $amount } for order #{ $id } ({ $client }): { $url }
    Valid until { $until }. { $sent }
pay-sent-telegram = Sent to the client in Telegram.
pay-sent-instagram = Sent to the client in Instagram.
pay-sent-sms = Sent to the client by SMS.
pay-sent-email = Sent to the client by e-mail.
pay-sent-nowhere = Not sent to the client: no channel to reach her. Forward the link yourself.
pay-email-subject = Payment for your order

pay-owner-paid-full = ✅ Payment of { $amount } through Monobank: order #{ $id } ({ $client }) is paid in full.
pay-owner-paid-part = ✅ Payment of { $amount } through Monobank for order #{ $id } ({ $client }). Paid { $paid } of { $price }, { $due } left.
pay-owner-paid-cancelled = ⚠️ A payment of { $amount } came through Monobank for the cancelled order #{ $id } ({ $client }). Refund it from the payment menu if needed.
pay-owner-refunded = ↩️ { $amount } refunded to the client's card for order #{ $id } ({ $client }). Paid now: { $paid }.
pay-owner-failure = ❌ The payment for order #{ $id } ({ $client }) failed: { $reason }. Send a new link?
pay-owner-expired = ⌛ The payment link for { $amount } for order #{ $id } ({ $client }) expired unpaid. Send a new one?
pay-owner-not-made = ❌ Monobank did not make the link for { $amount } for order #{ $id }: { $reason }. Try again?
pay-owner-refund-failed = ❌ Monobank did not refund order #{ $id }: { $reason }
pay-owner-receipt-failed = 🧾❌ The receipt for { $amount } (order #{ $id }) was not issued: { $reason }. Issue it by hand.
pay-reason-unknown = reason unknown
pay-client-thanks = Thank you! Your payment of { $amount } for order No. { $id } has arrived.
pay-client-refunded = { $amount } for order No. { $id } has been refunded.
pay-client-receipt = Your receipt: { $url }

pay-refund-title = ↩️ Refund for order #{ $id } ({ $paid } paid)
pay-refund-monobank-line = 💳 Monobank { $amount }: { $left } can be refunded
pay-refund-cash-line = 💵 Cash or terminal: { $left } can be refunded
pay-refund-nothing = Nothing to refund.
pay-refund-ask = How much to refund for order #{ $id }? At most { $max }.
pay-refund-confirm = Refund { $amount } for order #{ $id } { $how }? This cannot be undone.
pay-refund-via-monobank = to the client's card through Monobank
pay-refund-via-cash = in cash (recorded in the cash book)
pay-refund-asked = ⏳ The refund of { $amount } for order #{ $id } was sent to Monobank. I will tell you when the money is back.
pay-refund-done-cash = ↩️ Refund of { $amount } recorded.

pay-finance-title = 📊 Finances: { $from } – { $to }
pay-finance-income = Income: { $amount }
pay-finance-line = { $what }: { $amount } ({ $count })
pay-finance-refunds = Refunds: −{ $amount }
pay-finance-expenses = Expenses: { $amount }
pay-finance-fees = Monobank fees: { $amount }
pay-finance-profit = Profit: { $amount }
pay-finance-prepaid = ⏳ Prepayments on unfinished orders: { $count }, { $amount }
pay-finance-unpaid = ❗ Issued but not paid in full: { $count }, { $amount }
pay-finance-links = 🔗 Links waiting for payment: { $count }, { $amount }
pay-finance-owed = 🧾 Payments without a fiscal receipt: { $count }
pay-export-done = 📥 Cash book: { $count } entries.
pay-export-sheet = Cash book
pay-export-total = Total
pay-export-col-day = Date
pay-export-col-kind = Kind
pay-export-col-method = Method
pay-export-col-category = Category
pay-export-col-amount = Amount, UAH
pay-export-col-fee = Fee, UAH
pay-export-col-order = Order
pay-export-col-client = Client
pay-export-col-note = Note
pay-export-col-receipt = Receipt
pay-export-col-recorded = Recorded
pay-owed-none = ✅ Every receipt is issued.
pay-owed-title = 🧾 A fiscal receipt is needed ({ $count }). Issue it at the register and mark it:
pay-receipt-marked = Marked: receipt issued.

btn-pay-menu = 💳 Payment
btn-pay-order = 📦 Order #{ $id }
btn-pay-link-full = 🔗 Monobank: { $amount }
btn-pay-link-prepay = 🔗 Prepayment: { $amount }
btn-pay-new-link = 🔗 New link: { $amount }
btn-pay-cash = 💵 Cash
btn-pay-terminal = 🏧 Terminal
btn-pay-all-due = ✅ All of it: { $amount }
btn-pay-undo = ↩️ Take back
btn-pay-refund = ↩️ Refund
btn-pay-refund-full = ↩️ All: { $amount }
btn-pay-refund-part = ✏️ Part
btn-pay-refund-cash = ↩️ In cash
btn-pay-refund-do = ✅ Yes, refund
btn-pay-today = Today
btn-pay-week = Week
btn-pay-month = Month
btn-pay-last-month = Last month
btn-pay-export = 📥 Excel
btn-pay-owed = 🧾 No receipt
btn-pay-receipt-done = ✅ Receipt issued: { $amount }, { $day }
