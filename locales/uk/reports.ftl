# Issue 15: reports, goals, the web dashboard.

cmd-report = звіти: продажі, маркетинг, клієнти, фінанси, робота, асистент
cmd-goal = ціль на місяць: /goal 20 замовлень або /goal 60000 грн
cmd-dashboard = посилання на звіти у браузері

report-menu = 📊 Звіти. Оберіть звіт (за цей місяць; далі — сьогодні, тиждень або свої дати):
report-usage = Звіти: /report продажі | маркетинг | клієнти | фінанси | робота | асистент [сьогодні | тиждень | місяць | 01.11-15.11]
report-err-period = Не зрозуміла період. Напишіть: сьогодні, тиждень, місяць або дати, наприклад 01.11-15.11
report-err-reversed = Кінець періоду раніше за початок. Приклад: 01.11-15.11
report-err-future = Цей період ще не настав.
report-ask-range = Напишіть дати звіту, наприклад 01.11-15.11
report-head = { $title } · { $period }
    (зміна — проти { $previous })
report-sales = 📈 Продажі
report-marketing = 📣 Маркетинг
report-customers = 👥 Клієнти
report-finance = 💰 Фінанси
report-operations = 🛠 Робота
report-ai = 🤖 Асистент
btn-report-today = Сьогодні
btn-report-week = Тиждень
btn-report-month = Місяць
btn-report-custom = ✏️ Свої дати
btn-report-menu = 📊 Усі звіти
btn-report-dashboard = 🖥 Відкрити у браузері
report-chart-empty = Немає даних за цей період

report-sales-revenue = Виручка: { $amount } ({ $change })
report-sales-orders = Замовлень: { $count } ({ $change })
report-sales-average = Середній чек: { $amount } ({ $change })
report-sales-cancelled = Скасовано: { $count }
report-sales-products = Найкращі вироби:
report-sales-funnel = Від нової картки до замовлення: нових { $leads } → записались { $booked } → замовили { $ordered } ({ $rate })
report-sales-chart = Виручка, грн
report-goal-none = 🎯 Ціль на місяць не задана: /goal 20 замовлень або /goal 60000 грн
report-goal = 🎯 Ціль { $month }: { $progress }
report-goal-orders = { $done } із { $target } замовлень ({ $pct })
report-goal-revenue = { $done } із { $target } ({ $pct })
report-forecast = 🔮 Прогноз на { $month }: { $revenue } грн ({ $revenue_low }–{ $revenue_high }), замовлень { $orders } ({ $orders_low }–{ $orders_high }); з історії { $months } міс.
report-forecast-none = 🔮 Прогнозу ще немає: замало історії — { $months } повних міс., потрібно щонайменше { $needed }.

report-mkt-leads = Нових клієнтів (карток): { $count } ({ $change })
report-mkt-no-source = ⚠️ Джерело ліда ще не записується для цих карток (створені вручну): канали порівнюються за записами.
report-mkt-bookings = Записи за каналами:
report-mkt-booking-line =   { $channel } — { $count }, прийшли { $came } ({ $rate })
report-mkt-no-bookings = Записів за цей період немає.
report-mkt-tagged = З посиланням ref/UTM: { $count } ({ $share })
report-mkt-no-cost = Витрати на рекламу за каналами не записуються: порівняння без вартості ліда.
report-mkt-chart = Ліди та записи за каналами
report-mkt-chart-leads = Нові клієнти
report-mkt-chart-booked = Записи
report-ch-referral = За рекомендацією
report-mkt-attribution = Джерела й кампанії (ліди · записи · замовлення · виручка, зміна виручки):
report-mkt-attr-line =   { $name } — { $leads } · { $bookings } · { $orders } · { $revenue } ({ $change })
report-mkt-attr-total = Разом
report-ch-telegram = Telegram
report-ch-instagram = Instagram
report-ch-web = сторінка запису
report-ch-calcom = Cal.com
report-ch-owner = вручну
report-ch-import = імпорт
report-ch-unknown = не вказано

report-cust-new = Нових карток: { $count } ({ $change })
report-cust-buyers = Купували: { $count } ({ $change }) — нових { $new }, повторних { $returning }
report-cust-repeat = Частка повторних покупців: { $rate } (раніше { $before })
report-cust-replacement = Час міняти устілки (рік тому, без нового замовлення): { $count }
report-cust-birthdays = Дні народження цього місяця: { $count }
report-cust-no-birthdays = Дати народження ще не записані.
report-cust-nps = 💬 NPS: { $score } { $mark } (раніше { $before }; ціль — понад { $target }), відповідей { $count }: прихильників { $promoters }, нейтральних { $passives }, критиків { $detractors }
report-cust-nps-none = 💬 NPS: ще немає відповідей (раніше { $before }; ціль — понад { $target })
report-cust-lifecycle = 🔔 Нагадування за життям виробу: надіслано { $sent } ({ $change }); протягом { $days } дн. після них записались { $rebooked } ({ $rebooked_rate }, раніше { $rebooked_before }), замовили знову { $reordered } ({ $reordered_rate }, раніше { $reordered_before })
report-cust-lifecycle-none = 🔔 Нагадувань за життям виробу за цей період не надсилали (раніше { $before }).
report-cust-chart = Нові клієнти

report-fin-income = Надходження: { $amount } ({ $change })
report-fin-expenses = Витрати: { $amount } ({ $change })
report-fin-refunds-fees = Повернення: { $refunds } · комісії: { $fees }
report-fin-profit = Прибуток: { $amount } ({ $change })
report-fin-position = Гроші в касі на кінець періоду: { $amount }
report-fin-costs = Витрати від надходжень: { $share } { $mark } (ціль — менше 30 %)
report-fin-empty = У касовій книзі за цей період записів немає: /income, /expense.
report-fin-chart = Надходження і витрати, грн
report-fin-chart-income = Надходження
report-fin-chart-expenses = Витрати

report-ops-visits = Візитів: { $count } ({ $change }) — прийшли { $came }, не прийшли { $no_show }, скасовано { $cancelled }, попереду { $ahead }
report-ops-show-up = Прийшли з тих, хто мав прийти: { $rate } (раніше { $before })
report-ops-production = Виготовлення в середньому: { $days } дн. ({ $count } замовлень готові)
report-ops-production-none = Жодне замовлення не стало готовим за цей період.
report-ops-orders-overdue = Відкриті замовлення, старші за { $days } дн.: { $count }
report-ops-tasks-overdue = Прострочені завдання: { $count }
report-ops-uptime = Сервіс працював: { $pct } % часу
report-ops-uptime-none = Час роботи сервісу ще не вимірювався.
report-ops-chart = Візити
report-ops-chart-came = Прийшли
report-ops-chart-no-show = Не прийшли

report-ai-received = Повідомлень від клієнтів: { $count } ({ $change })
report-ai-channel =   { $channel } — { $count }, передано вам { $escalated }
report-ai-auto = Асистент відповів сам: { $count } ({ $rate }; раніше { $before })
report-ai-escalated = Передано вам: { $count }, ще без відповіді: { $open }
report-ai-routine = Без вас: відповіді { $answered }, нагадувань надіслано { $reminders }, записались самі { $self_booked }
report-ai-none-analysed = Асистент ще не аналізував повідомлень за цей період: тем, причин передачі й настрою немає.
report-ai-reasons = Чому передано вам:
report-ai-reason =   { $reason } — { $count }
report-ai-intents = Теми: { $list }
report-ai-sentiment = Негативних повідомлень: { $share } ({ $count } з { $analysed }; раніше { $before })
report-ai-intent-faq = питання
report-ai-intent-booking = запис
report-ai-intent-consultation = консультація
report-ai-intent-complaint = скарга
report-ai-intent-order_status = стан замовлення
report-ai-intent-other = інше
report-ai-chart = Повідомлення клієнтів
report-ai-chart-in = Отримано
report-ai-chart-escalated = Передано вам

goal-current = 🎯 Ціль на { $month }:
goal-orders = { $count } замовлень
goal-revenue = { $amount }
goal-unset = не задана
goal-usage = Ціль на місяць: /goal 20 замовлень або /goal 60000 грн
goal-set = 🎯 Ціль на { $month }: { $what }. Прогрес — у звіті «Продажі» (/report).

report-dashboard-link = 🖥 Звіти у браузері (посилання діє { $minutes } хв, нікому його не пересилайте):
    { $url }
report-dashboard-local = 🖥 PUBLIC_URL не задано: відкрийте на цьому комп'ютері адресу сервера + { $path } (діє { $minutes } хв).
dashboard-title = Звіти
dashboard-denied = Посилання недійсне або застаріле. Попросіть нове в боті: /dashboard
