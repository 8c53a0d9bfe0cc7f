# Payments and the cash book (issue 14).

cmd-pay = оплата замовлення: посилання Monobank, готівка, термінал: /pay 17
cmd-income = записати оплату: /income 17 1300 термінал
cmd-expense = записати витрату: /expense 350 матеріали EVA
cmd-finance = фінанси за період: /finance тиждень

pay-method-cash = готівка
pay-method-terminal = термінал
pay-method-monobank = Monobank
pay-kind-income = надходження
pay-kind-expense = витрата
pay-kind-refund = повернення
pay-receipt-none = —
pay-receipt-needed = потрібен чек
pay-receipt-queued = чек оформлюється
pay-receipt-done = чек видано
pay-receipt-failed = чек не видано
pay-receipt-manual = чек видано вручну
pay-receipt-owed = 🧾❗ потрібен чек

pay-usage = Оплата замовлення: /pay 17 — меню оплати; /pay 17 50% — посилання на передоплату; /pay 17 все — посилання на всю суму.
pay-income-usage = Оплата одним повідомленням: /income <номер замовлення> <сума> [готівка|термінал] [дата] — наприклад /income 17 1300 термінал вчора
pay-expense-usage = Витрата одним повідомленням: /expense <сума> <категорія> [примітка] [дата] — наприклад /expense 350 матеріали EVA або /expense 1200 оренда 01.11
pay-finance-usage = Період: сьогодні, вчора, тиждень, місяць, минулий місяць або дати: /finance 01.11-15.11

pay-err-amount = Сума — це число, наприклад 350 або 1 300,50.
pay-err-not-positive = Сума має бути більшою за нуль.
pay-err-absurd = Завелика сума: понад { $max }. Перевірте нулі.
pay-err-date = Такої дати немає. Напишіть, наприклад, 25.11, 25.11.2026 або «вчора».
pay-err-future = Ця дата ще не настала. Записати можна лише те, що вже сталося.
pay-err-category = Напишіть категорію після суми, наприклад: /expense 350 матеріали EVA
pay-err-too-long = Задовгий текст: категорія до 40 символів, примітка до 200.
pay-err-cancelled = Замовлення #{ $id } скасоване: оплату за нього не приймаю.
pay-err-paid = Замовлення #{ $id } уже сплачене повністю.
pay-err-over-due = Більше, ніж залишилось сплатити ({ $due }).
pay-err-prepay = Передоплата — лише поки нічого не сплачено. Надішліть посилання на решту суми.
pay-err-refund-over = Повернути можна щонайбільше { $max }.
pay-err-period-reversed = Кінець періоду раніше за початок. Наприклад: /finance 01.11-15.11

pay-menu-title = 💳 Оплата замовлення #{ $id } · { $product } · 👤 { $client }
pay-menu-sums = Ціна: { $price } · Сплачено: { $paid } · До сплати: { $due }
pay-order-cancelled = Замовлення скасоване: нові оплати не приймаються.
pay-monobank-off = Посилання Monobank вимкнені: задайте MONOBANK_TOKEN.
pay-card-paid = ✅ Оплачено повністю
pay-open-link = 🔗 Очікує оплати { $amount } до { $until }: { $url }
pay-ask-amount = Скільки отримано за замовлення #{ $id } ({ $method })? Залишилось сплатити { $due }.
pay-open-links-after-paid = ⚠️ Замовлення оплачене повністю, а посилань Monobank ще відкрито: { $count }. Клієнтка може оплатити вдруге: видаліть посилання в кабінеті Monobank.
pay-recorded = ✅ Записано: { $amount }, { $method }, замовлення #{ $id }.
pay-expense-recorded = ✅ Витрату записано: { $amount } · { $category } { $note } · { $day }
pay-undone = 🗑 Запис скасовано: { $line }
pay-undo-gone = Цього запису вже немає.
pay-undo-refused = Цей запис не можна скасувати: за ним уже є чек або оплата прийшла від Monobank. Оформіть повернення.
pay-timeline-income = 💵 Оплата { $amount } ({ $method }) за замовлення #{ $id }
pay-timeline-refund = ↩️ Повернення { $amount } ({ $method }) за замовлення #{ $id }

pay-link-making = ⏳ Створюю посилання на оплату { $amount } за замовлення #{ $id }… Надішлю його клієнтці й вам.
pay-link-exists = Посилання вже є, нове не створюю:
    { $line }
pay-destination = Оплата замовлення №{ $id }: { $product }
pay-basket-prepay = Передоплата 50 %: { $product }
pay-client-link = Посилання на оплату замовлення №{ $id } ({ $product }): { $amount }
    { $url }
    Дійсне до { $until }.
pay-owner-link = 🔗 Посилання на оплату { $amount } за замовлення #{ $id } ({ $client }): { $url }
    Дійсне до { $until }. { $sent }
pay-sent-telegram = Надіслано клієнтці в Telegram.
pay-sent-instagram = Надіслано клієнтці в Instagram.
pay-sent-sms = Надіслано клієнтці SMS.
pay-sent-email = Надіслано клієнтці на e-mail.
pay-sent-nowhere = Клієнтці не надіслано: немає каналу зв'язку. Перешліть посилання самі.
pay-email-subject = Оплата замовлення

pay-owner-paid-full = ✅ Оплата { $amount } через Monobank: замовлення #{ $id } ({ $client }) сплачене повністю.
pay-owner-paid-part = ✅ Оплата { $amount } через Monobank за замовлення #{ $id } ({ $client }). Сплачено { $paid } з { $price }, залишилось { $due }.
pay-owner-paid-cancelled = ⚠️ Надійшла оплата { $amount } через Monobank за скасоване замовлення #{ $id } ({ $client }). Поверніть кошти з меню оплати, якщо потрібно.
pay-owner-refunded = ↩️ Повернено { $amount } на картку клієнтки за замовлення #{ $id } ({ $client }). Сплачено тепер { $paid }.
pay-owner-failure = ❌ Оплата за замовлення #{ $id } ({ $client }) не пройшла: { $reason }. Надіслати нове посилання?
pay-owner-expired = ⌛ Посилання на оплату { $amount } за замовлення #{ $id } ({ $client }) сплило неоплаченим. Надіслати нове?
pay-owner-not-made = ❌ Monobank не створив посилання на { $amount } за замовлення #{ $id }: { $reason }. Спробувати ще раз?
pay-owner-refund-failed = ❌ Monobank не повернув кошти за замовлення #{ $id }: { $reason }
pay-owner-receipt-failed = 🧾❌ Чек на { $amount } (замовлення #{ $id }) не оформлено: { $reason }. Видайте його вручну.
pay-reason-unknown = причина невідома
pay-client-thanks = Дякуємо! Оплату { $amount } за замовлення №{ $id } отримано.
pay-client-refunded = Кошти { $amount } за замовлення №{ $id } повернено.
pay-client-receipt = Ваш чек: { $url }

pay-refund-title = ↩️ Повернення за замовлення #{ $id } (сплачено { $paid })
pay-refund-monobank-line = 💳 Monobank { $amount }: можна повернути { $left }
pay-refund-cash-line = 💵 Готівкою чи терміналом: можна повернути { $left }
pay-refund-nothing = Немає що повертати.
pay-refund-ask = Скільки повернути за замовлення #{ $id }? Щонайбільше { $max }.
pay-refund-confirm = Повернути { $amount } за замовлення #{ $id } { $how }? Скасувати це не вийде.
pay-refund-via-monobank = на картку клієнтки через Monobank
pay-refund-via-cash = готівкою (записати в касову книгу)
pay-refund-asked = ⏳ Запит на повернення { $amount } за замовлення #{ $id } надіслано в Monobank. Повідомлю, коли кошти повернуться.
pay-refund-done-cash = ↩️ Повернення { $amount } записано.

pay-finance-title = 📊 Фінанси: { $from } – { $to }
pay-finance-income = Надходження: { $amount }
pay-finance-line = { $what }: { $amount } ({ $count })
pay-finance-refunds = Повернення: −{ $amount }
pay-finance-expenses = Витрати: { $amount }
pay-finance-fees = Комісія Monobank: { $amount }
pay-finance-profit = Прибуток: { $amount }
pay-finance-prepaid = ⏳ Передоплати за незавершеними замовленнями: { $count } на { $amount }
pay-finance-unpaid = ❗ Видані, але не сплачені повністю: { $count } на { $amount }
pay-finance-links = 🔗 Посилання чекають оплати: { $count } на { $amount }
pay-finance-owed = 🧾 Платежі без фіскального чека: { $count }
pay-export-done = 📥 Касова книга: записів { $count }.
pay-export-sheet = Касова книга
pay-export-total = Разом
pay-export-col-day = Дата
pay-export-col-kind = Вид
pay-export-col-method = Спосіб
pay-export-col-category = Категорія
pay-export-col-amount = Сума, грн
pay-export-col-fee = Комісія, грн
pay-export-col-order = Замовлення
pay-export-col-client = Клієнт
pay-export-col-note = Примітка
pay-export-col-receipt = Чек
pay-export-col-recorded = Записано
pay-owed-none = ✅ Усі чеки видано.
pay-owed-title = 🧾 Потрібен фіскальний чек ({ $count }). Видайте його в касі й позначте:
pay-receipt-marked = Позначено: чек видано.

btn-pay-menu = 💳 Оплата
btn-pay-order = 📦 Замовлення #{ $id }
btn-pay-link-full = 🔗 Monobank: { $amount }
btn-pay-link-prepay = 🔗 Передоплата: { $amount }
btn-pay-new-link = 🔗 Нове посилання: { $amount }
btn-pay-cash = 💵 Готівка
btn-pay-terminal = 🏧 Термінал
btn-pay-all-due = ✅ Уся сума: { $amount }
btn-pay-undo = ↩️ Скасувати запис
btn-pay-refund = ↩️ Повернення
btn-pay-refund-full = ↩️ Усе: { $amount }
btn-pay-refund-part = ✏️ Частину
btn-pay-refund-cash = ↩️ Готівкою
btn-pay-refund-do = ✅ Так, повернути
btn-pay-today = Сьогодні
btn-pay-week = Тиждень
btn-pay-month = Місяць
btn-pay-last-month = Мин. місяць
btn-pay-export = 📥 Excel
btn-pay-owed = 🧾 Без чека
btn-pay-receipt-done = ✅ Чек видано: { $amount }, { $day }
