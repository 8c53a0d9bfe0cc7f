## The daily summary, recommendations and reminders of the product's life (issue 15)
cmd-summary = the day's summary; /summary 21:30 sets the time, /summary off turns it off
cmd-advice = advice: what is worth doing now
cmd-lifecycle = reminders over the product's life: /lifecycle messages or tasks
summary-title = 📊 Summary of { $date }
summary-money = 💰 Income: { $revenue } · new orders: { $orders }
summary-tomorrow-none = 📅 No visits tomorrow.
summary-tomorrow = 📅 Tomorrow { $count ->
    [one] { $count } visit:
   *[other] { $count } visits:
}
summary-overdue = ⏰ Overdue tasks: { $count }
summary-escalations = 💬 Waiting for your answer: { $count }
summary-no-advice = 👍 No advice for today.
summary-bad-time = I do not understand the time. Example: /summary 21:30 or /summary off.
summary-off = 🔕 The daily summary is off. Turn it on: /summary 20:00.
summary-set = ✅ The summary will arrive every day at { $time }.
summary-when = Every day at { $time } (/summary 21:30 to change, /summary off to stop).
summary-when-off = The daily summary is off (/summary 20:00 to turn it on).
btn-advice-all = 💡 All advice
advice-title = 💡 Advice
advice-none = 👍 No advice right now: everything is in hand.
advice-replacement = { $count ->
    [one] { $count } client bought insoles
   *[other] { $count } clients bought insoles
} 11–12 months ago and ordered nothing since: time for a replacement reminder.
advice-diagnostics = { $count ->
    [one] { $count } client came
   *[other] { $count } clients came
} to a visit last week but placed no order: worth a call.
advice-escalations = { $count ->
    [one] { $count } client message is
   *[other] { $count } client messages are
} waiting for your answer: the assistant could not answer alone.
advice-overdue = Overdue tasks: { $count }. Close or move them.
advice-no-shows = More no-shows: { $now } % in the last 30 days against { $before } % before ({ $count }). Confirm visits the day before.
btn-advice-replacement = 📨 Send replacement reminders
btn-advice-diagnostics = ⏰ Make call tasks
btn-advice-escalations = 💬 Open the messages
btn-advice-overdue = ✔️ Open the tasks
btn-advice-no-shows = 📅 This week's visits
advice-replacement-done = 📨 Replacement reminders scheduled: { $count }. They go to the clients now (without a channel to her: a task for you).
advice-diagnostics-task = Call after the visit: no order was placed
advice-diagnostics-done = ⏰ Tasks made: { $count }.
aftercare-check-in = 👋 How are your insoles "{ $product }"? The free correction lasts a few more days (30 days from pick-up). If anything rubs, book a visit and we will fix it.
aftercare-warranty = 🛡 The warranty on your insoles "{ $product }" is ending. Book a free check while it lasts.
aftercare-child = 🧒 Six months have passed: a child's foot grows, time to check the insoles "{ $product }". Book a check.
aftercare-replacement = 🔄 Your insoles "{ $product }" are a year old: time to replace them. Book a fitting.
aftercare-task-check-in = { $name }: call, how are the insoles "{ $product }"? The free correction ends in 5 days
aftercare-task-warranty = { $name }: the warranty on "{ $product }" is ending, offer a check
aftercare-task-child = { $name }: six months, time to check the child's insoles "{ $product }"
aftercare-task-replacement = { $name }: the insoles "{ $product }" are a year old, offer a replacement
btn-aftercare-stop = 🔕 No more reminders
aftercare-subject = A reminder from the studio
aftercare-stop-hint = To stop such reminders, write STOP to us.
aftercare-stopped = 🔕 All right, no more such reminders.
aftercare-bad-mode = Choose: /lifecycle messages (to clients) or /lifecycle tasks (to you).
aftercare-mode-messages = 🔔 Reminders over the product's life (day 25, warranty end, children's checks, replacement after a year) go to clients as messages. Change: /lifecycle tasks.
    Sent in the last year: { $sent }; booked after them: { $rebooked }, ordered again: { $reordered }.
aftercare-mode-tasks = 🔔 Reminders over the product's life (day 25, warranty end, children's checks, replacement after a year) come to you as tasks. Change: /lifecycle messages.
    Fired in the last year: { $sent }; booked after them: { $rebooked }, ordered again: { $reordered }.
