## The daily summary, recommendations and reminders of the product's life (issue 15)
cmd-summary = підсумок дня; /summary 21:30 — час, /summary off — вимкнути
cmd-advice = поради: що варто зробити зараз
cmd-lifecycle = нагадування за життям виробу: /lifecycle повідомлення або завдання
summary-title = 📊 Підсумок дня, { $date }
summary-money = 💰 Виручка: { $revenue } · нових замовлень: { $orders }
summary-tomorrow-none = 📅 Завтра записів немає.
summary-tomorrow = 📅 Завтра { $count ->
    [one] { $count } запис:
    [few] { $count } записи:
   *[many] { $count } записів:
}
summary-overdue = ⏰ Прострочених завдань: { $count }
summary-escalations = 💬 Чекають на вашу відповідь: { $count }
summary-no-advice = 👍 Порад на сьогодні немає.
summary-bad-time = Не розумію час. Приклад: /summary 21:30 або /summary off.
summary-off = 🔕 Щоденний підсумок вимкнено. Увімкнути: /summary 20:00.
summary-set = ✅ Підсумок надходитиме щодня о { $time }.
summary-when = Щоденно о { $time } (/summary 21:30 — змінити, /summary off — вимкнути).
summary-when-off = Щоденний підсумок вимкнено (/summary 20:00 — увімкнути).
btn-advice-all = 💡 Усі поради
advice-title = 💡 Поради
advice-none = 👍 Зараз порад немає: усе під контролем.
advice-replacement = { $count ->
    [one] { $count } клієнтка купила устілки 11–12 місяців тому
    [few] { $count } клієнтки купили устілки 11–12 місяців тому
   *[many] { $count } клієнток купили устілки 11–12 місяців тому
} і відтоді нічого не замовляли: час нагадати про заміну.
advice-diagnostics = { $count ->
    [one] { $count } клієнтка прийшла
    [few] { $count } клієнтки прийшли
   *[many] { $count } клієнток прийшли
} на прийом минулого тижня, але замовлення немає: варто зателефонувати.
advice-escalations = { $count ->
    [one] { $count } повідомлення клієнтів чекає
    [few] { $count } повідомлення клієнтів чекають
   *[many] { $count } повідомлень клієнтів чекають
} на вашу відповідь: асистент не зміг відповісти сам.
advice-overdue = Прострочених завдань: { $count }. Закрийте або перенесіть їх.
advice-no-shows = Неявок побільшало: { $now } % за останні 30 днів проти { $before } % раніше ({ $count }). Підтверджуйте записи напередодні.
btn-advice-replacement = 📨 Надіслати нагадування про заміну
btn-advice-diagnostics = ⏰ Створити завдання зателефонувати
btn-advice-escalations = 💬 Відкрити повідомлення
btn-advice-overdue = ✔️ Відкрити завдання
btn-advice-no-shows = 📅 Записи тижня
advice-replacement-done = 📨 Нагадувань про заміну заплановано: { $count }. Вони підуть клієнткам зараз (без каналу зв'язку — завдання вам).
advice-diagnostics-task = Зателефонувати після прийому: замовлення так і не оформили
advice-diagnostics-done = ⏰ Завдань створено: { $count }.
aftercare-check-in = 👋 Як вам устілки «{ $product }»? Безкоштовна корекція діє ще кілька днів (30 днів від видачі). Якщо щось муляє — запишіться, поправимо.
aftercare-warranty = 🛡 Гарантія на устілки «{ $product }» закінчується. Запишіться на безкоштовний огляд, поки вона діє.
aftercare-child = 🧒 Минуло пів року: дитяча стопа росте, час перевірити устілки «{ $product }». Запишіться на огляд.
aftercare-replacement = 🔄 Вашим устілкам «{ $product }» вже рік — час замінити їх на нові. Запишіться на примірку.
aftercare-task-check-in = { $name }: зателефонувати, як устілки «{ $product }» — безкоштовна корекція закінчується за 5 днів
aftercare-task-warranty = { $name }: гарантія на «{ $product }» закінчується — запропонувати огляд
aftercare-task-child = { $name }: пів року — дитині час перевірити устілки «{ $product }»
aftercare-task-replacement = { $name }: устілкам «{ $product }» рік — запропонувати заміну
btn-aftercare-stop = 🔕 Не надсилати нагадувань
aftercare-subject = Нагадування від студії
aftercare-stop-hint = Щоб не отримувати таких нагадувань, напишіть нам СТОП.
aftercare-stopped = 🔕 Добре, більше таких нагадувань не надсилатимемо.
aftercare-bad-mode = Оберіть: /lifecycle повідомлення (клієнткам) або /lifecycle завдання (вам).
aftercare-mode-messages = 🔔 Нагадування за життям виробу (день 25, кінець гарантії, дитячі огляди, заміна через рік) надходять клієнткам повідомленнями. Змінити: /lifecycle завдання.
    За рік надіслано: { $sent }; після них записалися: { $rebooked }, замовили знову: { $reordered }.
aftercare-mode-tasks = 🔔 Нагадування за життям виробу (день 25, кінець гарантії, дитячі огляди, заміна через рік) приходять вам завданнями. Змінити: /lifecycle повідомлення.
    За рік спрацювало: { $sent }; після них записалися: { $rebooked }, замовили знову: { $reordered }.
