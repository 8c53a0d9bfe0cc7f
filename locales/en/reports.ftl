# Issue 15: reports, goals, the web dashboard.

cmd-report = reports: sales, marketing, customers, finance, operations, assistant
cmd-goal = monthly goal: /goal 20 orders or /goal 60000 uah
cmd-dashboard = a link to the reports in a browser

report-menu = 📊 Reports. Pick one (this month; then today, week or your own dates):
report-usage = Reports: /report sales | marketing | customers | finance | operations | ai [today | week | month | 01.11-15.11]
report-err-period = I did not understand the period. Write today, week, month or dates such as 01.11-15.11
report-err-reversed = The period ends before it starts. Example: 01.11-15.11
report-err-future = That period has not come yet.
report-ask-range = Type the report's dates, e.g. 01.11-15.11
report-head = { $title } · { $period }
    (change against { $previous })
report-sales = 📈 Sales
report-marketing = 📣 Marketing
report-customers = 👥 Customers
report-finance = 💰 Finance
report-operations = 🛠 Operations
report-ai = 🤖 Assistant
btn-report-today = Today
btn-report-week = Week
btn-report-month = Month
btn-report-custom = ✏️ Own dates
btn-report-menu = 📊 All reports
btn-report-dashboard = 🖥 Open in a browser
report-chart-empty = No data for this period

report-sales-revenue = Revenue: { $amount } ({ $change })
report-sales-orders = Orders: { $count } ({ $change })
report-sales-average = Average check: { $amount } ({ $change })
report-sales-cancelled = Cancelled: { $count }
report-sales-products = Best sellers:
report-sales-funnel = From new card to order: new { $leads } → booked { $booked } → ordered { $ordered } ({ $rate })
report-sales-chart = Revenue, UAH
report-goal-none = 🎯 No goal for the month: /goal 20 orders or /goal 60000 uah
report-goal = 🎯 Goal { $month }: { $progress }
report-goal-orders = { $done } of { $target } orders ({ $pct })
report-goal-revenue = { $done } of { $target } ({ $pct })
report-forecast = 🔮 Forecast for { $month }: { $revenue } UAH ({ $revenue_low }–{ $revenue_high }), { $orders } orders ({ $orders_low }–{ $orders_high }); from { $months } months of history.
report-forecast-none = 🔮 No forecast yet: too little history — { $months } complete months, at least { $needed } needed.

report-mkt-leads = New clients (cards): { $count } ({ $change })
report-mkt-no-source = ⚠️ The lead's source is not recorded for these cards (made by hand): channels are compared by bookings.
report-mkt-bookings = Bookings by channel:
report-mkt-booking-line =   { $channel } — { $count }, came { $came } ({ $rate })
report-mkt-no-bookings = No bookings in this period.
report-mkt-tagged = With a ref/UTM link: { $count } ({ $share })
report-mkt-no-cost = Advertising costs per channel are not recorded: the comparison has no cost per lead.
report-mkt-chart = Leads and bookings by channel
report-mkt-chart-leads = New clients
report-mkt-chart-booked = Bookings
report-ch-referral = Referral
report-mkt-attribution = Sources and campaigns (leads · bookings · orders · revenue, revenue change):
report-mkt-attr-line =   { $name } — { $leads } · { $bookings } · { $orders } · { $revenue } ({ $change })
report-mkt-attr-total = Total
report-ch-telegram = Telegram
report-ch-instagram = Instagram
report-ch-web = booking page
report-ch-calcom = Cal.com
report-ch-owner = by hand
report-ch-import = import
report-ch-unknown = not recorded

report-cust-new = New cards: { $count } ({ $change })
report-cust-buyers = Bought: { $count } ({ $change }) — new { $new }, returning { $returning }
report-cust-repeat = Returning buyers: { $rate } (before { $before })
report-cust-replacement = Due for new insoles (a year ago, no order since): { $count }
report-cust-birthdays = Birthdays this month: { $count }
report-cust-no-birthdays = No birth dates recorded yet.
report-cust-nps = 💬 NPS: { $score } { $mark } (before { $before }; target over { $target }), { $count } answers: promoters { $promoters }, passives { $passives }, detractors { $detractors }
report-cust-nps-none = 💬 NPS: no answers yet (before { $before }; target over { $target })
report-cust-lifecycle = 🔔 Reminders over the product's life: sent { $sent } ({ $change }); within { $days } days after them booked { $rebooked } ({ $rebooked_rate }, before { $rebooked_before }), ordered again { $reordered } ({ $reordered_rate }, before { $reordered_before })
report-cust-lifecycle-none = 🔔 No reminders over the product's life were sent in this period (before { $before }).
report-cust-chart = New clients

report-fin-income = Income: { $amount } ({ $change })
report-fin-expenses = Expenses: { $amount } ({ $change })
report-fin-refunds-fees = Refunds: { $refunds } · fees: { $fees }
report-fin-profit = Profit: { $amount } ({ $change })
report-fin-position = Cash at the end of the period: { $amount }
report-fin-costs = Expenses as a share of income: { $share } { $mark } (target under 30 %)
report-fin-empty = The cash book has no entries for this period: /income, /expense.
report-fin-chart = Income and expenses, UAH
report-fin-chart-income = Income
report-fin-chart-expenses = Expenses

report-ops-visits = Visits: { $count } ({ $change }) — came { $came }, no-show { $no_show }, cancelled { $cancelled }, ahead { $ahead }
report-ops-show-up = Show-up rate: { $rate } (before { $before })
report-ops-production = Production takes on average: { $days } days ({ $count } orders ready)
report-ops-production-none = No order became ready in this period.
report-ops-orders-overdue = Open orders older than { $days } days: { $count }
report-ops-tasks-overdue = Overdue tasks: { $count }
report-ops-uptime = Service up: { $pct } % of the time
report-ops-uptime-none = The service's uptime has not been measured yet.
report-ops-chart = Visits
report-ops-chart-came = Came
report-ops-chart-no-show = No-show

report-ai-received = Messages from clients: { $count } ({ $change })
report-ai-channel =   { $channel } — { $count }, handed to you { $escalated }
report-ai-auto = Answered by the assistant: { $count } ({ $rate }; before { $before })
report-ai-escalated = Handed to you: { $count }, still unanswered: { $open }
report-ai-routine = Without you: answers { $answered }, reminders sent { $reminders }, self-booked { $self_booked }
report-ai-none-analysed = The assistant analysed no messages in this period: no topics, escalation reasons or sentiment.
report-ai-reasons = Why handed to you:
report-ai-reason =   { $reason } — { $count }
report-ai-intents = Topics: { $list }
report-ai-sentiment = Negative messages: { $share } ({ $count } of { $analysed }; before { $before })
report-ai-intent-faq = question
report-ai-intent-booking = booking
report-ai-intent-consultation = consultation
report-ai-intent-complaint = complaint
report-ai-intent-order_status = order status
report-ai-intent-other = other
report-ai-chart = Client messages
report-ai-chart-in = Received
report-ai-chart-escalated = Handed to you

goal-current = 🎯 Goal for { $month }:
goal-orders = { $count } orders
goal-revenue = { $amount }
goal-unset = not set
goal-usage = Monthly goal: /goal 20 orders or /goal 60000 uah
goal-set = 🎯 Goal for { $month }: { $what }. Progress is in the Sales report (/report).

report-dashboard-link = 🖥 Reports in a browser (the link works for { $minutes } min, do not forward it):
    { $url }
report-dashboard-local = 🖥 PUBLIC_URL is not set: on this computer open the server's address + { $path } (works for { $minutes } min).
dashboard-title = Reports
dashboard-denied = The link is invalid or expired. Ask the bot for a new one: /dashboard
