# Insoles CRM: Ukrainian (default language).

## Errors: what was wrong and what is expected
err-empty = Порожнє значення: { $what ->
    [name] вкажіть ім'я
    [phone] вкажіть телефон
    [note] напишіть текст нотатки
    [product] вкажіть виріб
    [price] вкажіть ціну
    [client] вкажіть клієнта (телефон або ім'я)
    [task] напишіть, що треба зробити
    [when] вкажіть час
   *[other] введіть значення
}.
err-too-long = Задовго: { $len ->
    [one] { $len } символ
    [few] { $len } символи
   *[many] { $len } символів
}, максимум { $max }. Скоротіть, будь ласка.
err-phone = Не схоже на номер телефону. Очікую український номер, наприклад 0671234567, +38 (067) 123-45-67 або 380671234567; іноземний — з «+» і кодом країни.
err-money = Не схоже на суму. Напишіть гривні цифрами, наприклад 1800, 1 800 або 1800.50.
err-name = Ім'я має містити літери, наприклад: Ольга Мар'янчук.
err-when = Не зрозуміла дату чи час. Приклади: завтра 10:00, пт 15:30, через 3 дні, 25.12 9:00.
err-in-past = Цей час уже минув. Вкажіть час у майбутньому, напр.: завтра 10:00.
err-when-ambiguous = Час можна зрозуміти по-різному (період, «15» — число чи година?, «пів на третю» — вдень чи вночі?). Напишіть точно, напр.: завтра 15:00, пт 9:30, 14 лютого 11:00, пів на третю дня.
err-when-impossible = Такої дати чи часу не буває (напр., 31 лютого, 25:00, «15 ранку», або година, якої немає через перехід на літній час). Приклади: 28 лютого 11:00, завтра 15:00, в 7 вечора.
err-number = Не схоже на число.
err-email = Не схоже на e-mail. Приклад: olha@example.com
err-not-found = Не знайдено. Можливо, запис видалено або кнопка застаріла.
err-internal = Вибачте, щось пішло не так. Дані не змінено; спробуйте ще раз за хвилину.
err-phone-taken = Цей телефон уже записано за іншим клієнтом.
err-phone-belongs = Цей телефон уже є в іншій картці: { $name }.
err-required-field = Це поле обов'язкове, його не можна очистити.
err-instagram = Нікнейм Instagram: латинські літери, цифри, крапка та «_», до 30 символів. Наприклад: @olha.insoles
err-birth-date = Дата народження у форматі ДД.ММ.РРРР, наприклад 12.03.1985.
err-foot-length = Довжина стопи в сантиметрах або міліметрах, наприклад 26,5 або 265 мм.
err-shoe-size = Розмір взуття числом, наприклад 39 або 39,5.
err-tag = Тег — одне слово з літер, цифр, «_» або «-», наприклад #vip або #діабет. Кілька тегів — через пробіл.
err-prepaid-over = Передоплата не може бути більшою за ціну.

## Hints
hint-empty = Напишіть команду або ім'я чи телефон клієнта. Усі команди — /help
hint-unsupported = Поки що я розумію текст, кнопки та контакти. Усі команди — /help
hint-not-understood = Не зрозуміла повідомлення. Щоб знайти клієнта, напишіть частину імені чи телефону; усі команди — /help
hint-no-match = Клієнтів за запитом «{ $query }» не знайдено. Щоб додати: /new_client Ім'я Прізвище, 0671234567. Усі команди — /help
btn-expired = Кнопка застаріла. Відкрийте картку чи список ще раз.
unknown-command = Такої команди немає. Ось що я вмію — /help
cancelled = Скасовано.

## Buttons
btn-find-client = 🔎 Знайти клієнта
btn-new-client = ➕ Новий клієнт
btn-orders = 📋 Замовлення
btn-skip = Пропустити
btn-clear-field = 🗑 Очистити
btn-cancel = ✖️ Скасувати
btn-open-card = 👤 Картка клієнта
btn-back-to-card = ⬅️ До картки
btn-edit = ✏️ Редагувати
btn-conditions = 🦶 Діагнози
btn-note = 📝 Нотатка
btn-call = 📞 Дзвінок
btn-new-order = 📦 Замовлення
btn-task = ⏰ Завдання
btn-tags = 🏷 Теги
btn-timeline = 🕓 Історія
btn-add-tag = ➕ Додати тег

## Help and the command menu
help-intro = Я — ваш помічник у студії устілок. Команди:
help-examples =
    Приклади:
    /new_client Ольга Мар'янчук, 067 123 45 67, плоскостопість
    /client Мар'ян  ·  /client 067123  ·  /client #vip
    /new_order 0671234567, Устілки каркасні, 1800, 500
    /task Подзвонити Ользі завтра 10:00
cmd-client = знайти клієнта за ім'ям, телефоном або #тегом
cmd-new-client = новий клієнт: ім'я, телефон[, нотатка]
cmd-new-order = нове замовлення: клієнт, виріб, ціна[, передоплата]
cmd-orders = відкриті замовлення за статусами
cmd-task = нове завдання: текст [коли]
cmd-lang = мова: українська / English
cmd-help = усі команди та приклади
cmd-cancel = скасувати поточну дію
cmd-start = почати

## Language
lang-choose = Оберіть мову:
lang-set = Мову змінено: українська.

## Guided flows
ask-client-name = Як звати клієнта? Напишіть ім'я та прізвище.
ask-client-phone = { $name } — який телефон? Наприклад 0671234567. Можна надіслати контакт.
ask-client-note = Нотатка до клієнта (звідки прийшов, скарги)? Або натисніть «Пропустити».
ask-search = Кого шукаємо? Напишіть частину імені, телефону або #тег.
ask-field = { $name }: нове значення поля «{ $field }»?
ask-note = Напишіть нотатку.
ask-call = Коротко: про що була розмова? Або «Пропустити».
ask-tag = Напишіть тег(и) через пробіл, наприклад: #vip #instagram
ask-order-product = Який виріб? Наприклад: Устілки каркасні.
ask-order-price = Ціна за «{ $product }», грн?
ask-order-prepaid = Ціна { $price }. Скільки передоплати, грн? Або «Пропустити».
ask-task = Що зробити і коли? Наприклад: Подзвонити щодо примірки завтра 10:00

## Clients
client-created = ✅ Клієнта додано.
client-exists = Клієнт з таким телефоном уже є: { $name }. Дублікат не створено.
search-none = За запитом «{ $query }» нікого не знайдено.
search-many = За запитом «{ $query }» { $count ->
    [one] знайдено { $count } клієнта
    [few] знайдено { $count } клієнти
   *[many] знайдено { $count } клієнтів
}. Оберіть:
search-refine = Показано перші 20 — уточніть запит.
field-name = Ім'я
field-phone = Телефон
field-email = E-mail
field-instagram = Instagram
field-birth-date = Дата народження
field-foot-length = Довжина стопи
field-shoe-size = Розмір
field-allergies = Алергії
field-contraindications = Протипоказання
field-notes = Нотатки
field-saved = ✅ Збережено: { $field }.
note-added = ✅ Нотатку додано.
call-logged = ✅ Дзвінок записано.
call-logged-empty = Дзвінок
tags-added = ✅ Теги додано.

## Card
card-profile = Профіль стопи
card-conditions = Діагнози
card-diabetes = Цукровий діабет
card-open-orders = Відкриті замовлення
card-tasks = Завдання
card-recent = Останні події
edit-menu = ✏️ { $name }: що змінити?
conditions-menu = 🦶 { $name }: позначте діагнози.
tags-menu = 🏷 { $name }: натисніть тег, щоб прибрати його.
tags-none = 🏷 { $name }: тегів поки немає.
timeline-title = 🕓 Історія: { $name }
timeline-empty = Подій поки немає.
cond-flat = Плоскостопість
cond-spur = П'яткова шпора
cond-hallux = Hallux valgus
cond-fasc = Плантарний фасциїт
cond-knee = Біль у колінах
cond-back = Біль у спині

## Orders
status-new = 🆕 Нове
status-prod = 🛠 У виробництві
status-ready = ✅ Готове
status-issued = 🤝 Видане
status-cancel = ❌ Скасоване
order-usage =
    Як створити замовлення:
    /new_order <телефон або ім'я>, <виріб>, <ціна>[, <передоплата>]
    Наприклад: /new_order 0671234567, Устілки каркасні, 1800, 500
    Копійки — через крапку (1800.50) або розділяйте поля крапкою з комою.
    Або відкрийте картку клієнта і натисніть «📦 Замовлення».
order-no-client = Клієнта «{ $query }» не знайдено. Спершу додайте його: /new_client
order-pick-client = Кілька клієнтів за «{ $query }». Для кого замовлення?
order-created = ✅ Замовлення створено.
order-title = 📦 Замовлення #{ $id }
order-product = Виріб
order-price = Ціна
order-prepaid = Передоплата
order-due = До сплати
order-status = Статус
order-history = Історія:
order-status-changed = Статус: { $status }
order-status-refused = Не можна змінити статус з «{ $from }» на «{ $to }».
orders-none = Відкритих замовлень немає. Нове — /new_order або з картки клієнта.
orders-title = 📋 Відкриті замовлення: { $count }
timeline-order-created = Нове замовлення #{ $id }: { $product }, { $price }
timeline-order-status = Замовлення #{ $id } ({ $product }): { $status }

## Tasks
task-no-due = без терміну
task-created = ✅ Завдання: { $task } — { $when }
task-done = ✔️ Виконано

## Visitors (anyone who is not the owner)
visitor-welcome = Вітаємо в студії ортопедичних устілок! Напишіть своє питання — ми відповімо найближчим часом.
visitor-thanks = Дякуємо за повідомлення! Ми відповімо найближчим часом.
visitor-no-access = Ця дія недоступна.

## Console and startup
console-welcome = Insoles CRM — консоль власниці. Пишіть команди як у Telegram (/help). Кнопки — номером. Вихід — Ctrl+D.
console-choose = Оберіть номер кнопки або напишіть повідомлення.
console-bad-choice = Немає кнопки з таким номером.

## Tasks, reminders, today
cmd-today = сьогодні: завдання, дзвінки-нагадування, готові замовлення
cmd-tasks = усі відкриті завдання
btn-today = 📅 Сьогодні
btn-task-done = ✔️ Готово
btn-snooze-hour = +1 год
btn-snooze-tomorrow = Завтра
reminder-text = ⏰ Нагадування ({ $when }): { $task }
task-snoozed = ⏰ Перенесено на { $when }: { $task }
task-already-done = Це завдання вже виконано.
tasks-none = Відкритих завдань немає. Нове — /task Текст завтра 10:00
tasks-title = ⏰ Відкриті завдання: { $count }
today-title = 📅 Сьогодні, { $date }
today-empty = Усе зроблено — завдань і готових замовлень на сьогодні немає.
today-tasks = ⏰ Завдання ({ $count }):
today-follow-ups = 🤝 Дізнатися, як устілки ({ $count }):
today-ready = ✅ Готові до видачі ({ $count }):
follow-up-body = Запитати, як устілки: { $product }

## Excel in, Excel out
cmd-export = вивантажити клієнтів, замовлення та історію в Excel
import-how = Щоб імпортувати клієнтів, надішліть сюди файл .xlsx або .csv — я покажу, що знайшла, і імпортую одним натиском.
import-preview = 📄 { $file }: прочитано рядків — { $rows }.
import-columns = Розпізнані колонки
import-ignored = Пропущені колонки
import-ready = Готові до імпорту: { $count }
import-duplicates = ♻️ Дублікати за телефоном ({ $count }), не імпортуються:
import-errors = ⚠️ Рядки з помилками ({ $count }), не імпортуються:
import-line = рядок { $line }: { $problem }
import-more = …і ще { $count }
import-nothing = Немає рядків, які можна імпортувати.
import-problem-no-name = немає імені
import-problem-name = ім'я задовге або без літер
import-problem-phone = телефон «{ $value }» не розпізнано
import-problem-date = дата «{ $value }» неможлива
import-problem-email = e-mail «{ $value }» не схожий на адресу
import-problem-dup-file = той самий телефон, що в рядку { $line }
import-problem-exists = вже є в базі: { $name }
import-first-name = Ім'я (окремо)
import-last-name = Прізвище (окремо)
import-too-large = Файл завеликий. Максимум — { $max } МБ; розділіть список на частини.
import-not-spreadsheet = Це не таблиця. Надішліть файл Excel (.xlsx, .xls), .ods або .csv.
import-corrupt = Файл пошкоджений — не вдалося прочитати таблицю. Збережіть його в Excel ще раз і надішліть знову.
import-empty = У файлі немає даних.
import-too-many-rows = Забагато рядків: максимум { $max }.
import-no-columns = Не знайшла колонки з іменем. Назвіть колонки, наприклад: ПІБ, Телефон, Примітка.
btn-import = 📥 Імпортувати { $count }
import-done = ✅ Імпортовано клієнтів: { $count }. Пропущено (телефон уже зайнятий): { $skipped }.
export-done = 📤 Вивантаження: { $count ->
    [one] { $count } клієнт
    [few] { $count } клієнти
   *[many] { $count } клієнтів
}, їхні замовлення, записи, завдання та історія.
export-sheet-clients = Клієнти
export-sheet-orders = Замовлення
export-sheet-timeline = Історія
export-col-id = ID
export-col-client-id = ID клієнта
export-col-name = ПІБ
export-col-phone = Телефон
export-col-email = E-mail
export-col-instagram = Instagram
export-col-birth-date = Дата народження
export-col-conditions = Діагнози
export-col-diabetes = Діабет
export-col-foot-length = Довжина стопи, мм
export-col-shoe-size = Розмір
export-col-allergies = Алергії
export-col-contraindications = Протипоказання
export-col-notes = Нотатки
export-col-tags = Теги
export-col-product = Виріб
export-col-price = Ціна, грн
export-col-prepaid = Передоплата, грн
export-col-status = Статус
export-col-created = Створено
export-col-channel = Канал
export-col-direction = Напрям
export-col-kind = Тип
export-col-text = Текст
export-yes = так
import-download-failed = Не вдалося завантажити файл з Telegram. Надішліть його ще раз.

## Booking
cmd-book = записатися на діагностику
cmd-my = мої записи
cmd-week = записи на тиждень
cmd-book-for = записати клієнта: /book <ім'я або телефон>
cmd-hours = графік роботи: /hours пн 10-18
cmd-dayoff = вихідний: /dayoff 31.12
cmd-vacation = відпустка: /vacation 01.08-14.08, скасувати вихідний: /dayoff remove 31.12 (або кнопка ❌)
service-diagnostics = Діагностика стопи
service-fitting = Примірка / видача устілок
wd-mon = пн
wd-tue = вт
wd-wed = ср
wd-thu = чт
wd-fri = пт
wd-sat = сб
wd-sun = нд
btn-book = 📅 Записатися
btn-my-bookings = 🗓 Мої записи
btn-booking-cancel = ❌ Скасувати запис
btn-booking-move = 🔁 Перенести
btn-other-day = ⬅️ Інший день
btn-book-confirm = ✅ Підтвердити
btn-share-phone = 📱 Поділитися номером
btn-visit-ok = ✅ Буду
btn-came = ✅ Прийшла
btn-no-show = 🚫 Не прийшла
book-service-button = { $service } ({ $minutes } хв)
book-choose-service = На що записуємось?
book-choose-day = Оберіть день:
book-choose-time = Оберіть час:
book-no-days = На найближчий місяць вільних вікон немає. Напишіть нам — підберемо час.
book-summary = Запис: { $service }, { $when }. Підтверджуєте?
book-ask-phone = Щоб записати вас, потрібен номер телефону. Натисніть «Поділитися номером» або напишіть його, наприклад 0671234567.
book-unnamed-client = Клієнт з Telegram
book-phone-saved = Дякуємо! Номер { $phone } збережено.
book-taken = Цей час щойно зайняли. Ось найближчі вільні:
book-done = ✅ Ви записані: { $service }, { $when }. Ми нагадаємо напередодні.
book-none = У вас немає майбутніх записів.
book-mine = Ваші записи:
book-cutoff = Змінити чи скасувати запис можна не пізніше ніж за { $hours } год — зателефонуйте нам.
book-not-yours = Цей запис недоступний.
book-cancelled = Запис скасовано. Будемо раді бачити вас іншим разом!
book-moved = ✅ Запис перенесено на { $when }.
book-see-you = Дякуємо! Чекаємо вас { $when }.
book-for-usage = Щоб записати клієнта: /book <ім'я або телефон>, далі послуга, день і час.
book-for-many = Знайдено кількох клієнтів — уточніть ім'я або телефон.
owner-booked = ✅ Записано: { $client }, { $when }.
owner-booking-new = 🆕 Новий запис: { $client } { $phone }
    { $service }, { $when }
owner-booking-moved = 🔁 Запис перенесено: { $client } { $phone }
    { $service }, тепер { $when }
owner-booking-cancelled = ❌ Клієнт скасував запис: { $client } { $phone }
    { $service }, { $when }
owner-ask-outcome = Як пройшов візит: { $client }, { $when }?
owner-cancelled = Запис скасовано: { $client }, { $when }. Клієнту повідомлено.
ask-cancel-reason = Скасувати запис: { $client }, { $when }? Напишіть причину для клієнта або натисніть «Пропустити».
client-booking-cancelled = На жаль, ваш запис на { $when } скасовано.
client-cancel-reason = Причина: { $reason }
client-reminder = ⏰ Нагадуємо: { $service }, { $when }. Чекаємо вас!
client-no-show = Шкода, що не вдалося прийти. Оберіть інший зручний час — ми завжди раді вам.
visit-came = ✅ Візит відбувся: { $client }, { $when }.
visit-no-show = 🚫 Неявка: { $client }, { $when }. Клієнтці запропонуємо новий час.
task-rebook = Перезаписати: { $client } (неявка { $when })
hours-title = 🕘 Графік роботи:
hours-closed = вихідний
hours-usage = Змінити день: /hours пн 10:00-18:00 або /hours сб вихідний. Вихідний день: /dayoff 31.12, коротший день: /dayoff 24.12 10-14, відпустка: /vacation 01.08-14.08, скасувати вихідний: /dayoff remove 31.12 (або кнопка ❌)
dayoff-usage = Приклади: /dayoff 31.12, /dayoff 24.12 10-14, /dayoff remove 31.12
vacation-usage = Приклад: /vacation 01.08-14.08 (до 92 днів)
days-off-set = ✅ Збережено для { $from } — { $to }.
days-off-conflicts = ⚠️ На ці дні вже є записи ({ $count }):
week-title = 🗓 Записи на 7 днів: { $count }
week-empty = Записів немає.
today-bookings = 🗓 Візити ({ $count }):
owner-booking-overlap = ⚠️ Запис з Cal.com накладається на інший: { $client } { $phone }
    { $service }, { $when }
calendar-name = Записи — студія устілок

## Booking web page
web-name = Ваше ім'я
web-phone = Телефон
web-note = Коментар (необов'язково)
web-day-full = На цей день вільного часу вже немає.
web-rate-limited = Забагато спроб. Спробуйте за кілька хвилин або зателефонуйте нам.
web-thanks = Дякуємо! Ми зв'яжемося з вами.
web-bad-form = Форма застаріла. Почніть запис спочатку.
btn-booking-confirm = ✅ Підтвердити
owner-confirmed = ✅ Підтверджено: { $client }, { $when }.
client-booking-confirmed = ✅ Ваш запис підтверджено: { $service }, { $when }. До зустрічі!
client-order-ready = 🎉 Ваші устілки готові: { $product }. Можна забирати в робочі години студії.
cmd-reminders = нагадування клієнтам SMS та e-mail
client-reminder-sms = Нагадуємо: { $service }, { $when }. Студія устілок, Нововолинськ.
client-reminder-subject = Нагадування про візит
reminders-title = Нагадування клієнтам (Telegram — завжди):
reminders-sms = SMS
reminders-email = E-mail
reminders-state-on = увімкнено
reminders-state-off = вимкнено
reminders-state-missing = не налаштовано (див. README)
reminders-not-configured = Спершу задайте налаштування (TURBOSMS_TOKEN або SMTP_URL).
client-order-ready-subject = Ваші устілки готові

## Instagram
ig-story-reply = [відповідь на сторіс]
ig-story-mention = [згадка у сторіс]
ig-photo = [фото]
ig-voice = [голосове]
ig-video = [відео]
ig-attachment = [вкладення]
ig-deleted = [повідомлення видалено]
ig-lead-name = Instagram { $id }
ig-unanswered = ⏰ Instagram: { $count ->
    [one] { $count } повідомлення чекає
    [few] { $count } повідомлення чекають
   *[many] { $count } повідомлень чекають
} відповіді понад 2 год.
ig-owner-relay = 💬 Instagram, { $name }: { $text }
btn-ig-reply = ✍️ Відповісти
ig-ask-reply = Відповідь в Instagram — { $name }. Напишіть текст: він піде від імені студії.
ig-sent = ✅ Надіслано в Instagram: { $count ->
    [one] { $count } повідомлення
    [few] { $count } повідомлення
   *[many] { $count } повідомлень
}.
ig-no-conversation = У цього клієнта немає розмови в Instagram.
ig-not-configured = Надсилання в Instagram не налаштовано (INSTAGRAM_ACCESS_TOKEN).
ig-window-closed = Клієнт писав понад 7 днів тому — Instagram не дозволяє відповісти. Зателефонуйте або напишіть SMS.
cmd-assistant = автовідповіді клієнтам: /assistant on або off
assistant-on = 🤖 Автовідповіді увімкнено: прості питання я відповідаю сама, складні — вам. Пауза: /assistant off
assistant-paused = ⏸ Автовідповіді на паузі: усі повідомлення приходять вам. Увімкнути: /assistant on
assistant-engine-offline = Рушій: офлайн (без ключа й інтернету).
assistant-engine-llm = Рушій: LLM { $model }; якщо він не відповідає — офлайн.
assistant-stats = Чекають вашої відповіді: { $pending }. Збережених відповідей: { $learned }.
assistant-missing = Немає бази знань (config/knowledge.md), тому автовідповіді вимкнено.
ig-escalation = Намір: { $intent } · настрій: { $sentiment } · чому вам: { $reason }

## The assistant's conversations (Instagram and the Telegram bot)
tg-owner-relay = 💬 Telegram, { $name }: { $text }
conv-book-link = Записатися онлайн: { $url }
conv-order-status = Ваше замовлення «{ $product }»: { $status }.
conv-next = Що зробити: { $action }
next-none = нічого, відповіли автоматично
next-offer-booking = запропонувати час діагностики
next-check-order = перевірити замовлення і відписати
next-contact = зв'язатися особисто (зателефонувати або написати)
next-answer = відповісти на питання (у базі знань відповіді немає)
next-attachment = переглянути фото чи голосове
conv-paused-note = ⏸ Автовідповіді для цієї розмови на паузі — відповідаєте ви.
conv-draft = 💡 Чернетка відповіді:
btn-draft-send = ✅ Надіслати
btn-draft-edit = ✏️ Змінити
btn-draft-ignore = 🙈 Пропустити
btn-draft-save = 💾 Зберегти в базу знань
btn-chat-pause = ⏸ Пауза для чату
btn-chat-resume = ▶️ Увімкнути бота
conv-no-telegram = Цей клієнт не писав у Telegram-бот.
conv-draft-done = Цю чернетку вже оброблено.
conv-draft-empty = Чернетка порожня — натисніть «Змінити» і напишіть відповідь.
conv-sent = ✅ Надіслано клієнту: { $count ->
    [one] { $count } повідомлення
    [few] { $count } повідомлення
   *[many] { $count } повідомлень
}. Зберегти відповідь, щоб наступного разу бот відповів сам?
conv-ask-edit = Відповідь — { $name }. Напишіть текст: він піде від імені студії.
conv-ignored = 🙈 Пропущено.
conv-saved = 💾 Збережено: на таке саме питання бот тепер відповідатиме вашими словами.
conv-save-done = Цю відповідь уже збережено (або її ще не надіслано).
conv-chat-paused = ⏸ Чат «{ $name }»: бот більше не відповідає сам — усі повідомлення приходять вам.
conv-chat-resumed = ▶️ Чат «{ $name }»: бот знову відповідає сам.

## Identity: a phone that belongs to another card (the owner decides)
identity-claim-typed = ⚠️ У Telegram ({ $name }) вказано телефон { $phone }, який є в картці «{ $client }». Телефон введено вручну, Telegram його не підтвердив. Це та сама людина?
identity-claim-proven = ⚠️ Контакт «{ $client }» ({ $phone }) надіслано з іншого акаунта Telegram ({ $name }). Картку вже привʼязано до іншого акаунта. Привʼязати новий акаунт (та сама людина)?
identity-claim-web = ⚠️ Запис з сайту: { $name }, телефон { $phone } — такий є в картці «{ $client }». Це та сама людина?
btn-claim-merge = ✅ Та сама людина
btn-claim-separate = ❌ Різні люди
identity-merged = ✅ Обʼєднано з карткою «{ $client }»: записи й історія тепер там, акаунт привʼязано.
identity-separate = 👥 Залишено окремо від картки «{ $client }».
identity-linked-client = ✅ Студія підтвердила ваш акаунт. Ваші записи: /my

## Trust, helper A: resilience and backups
console-bad-utf8 = ⚠️ Рядок не прочитано: у ньому пошкоджені символи (не UTF-8). Наберіть його ще раз.
import-sheet-too-big = Таблиця завелика для імпорту: не більше { $rows } рядків і { $cells } клітинок. Розділіть список на частини.
tg-update-failed = ⚠️ Не вдалося обробити це повідомлення, його пропущено. Спробуйте ще раз або інакше; інші повідомлення працюють як звичайно.
backup-caption = 🗄 Резервна копія бази за { $date }. Зберігайте її в надійному місці: там дані клієнтів.
backup-done = Резервну копію записано: { $file }
restore-done = Базу відновлено з { $file }. Попередню збережено як { $previous }.
restore-not-ours = { $file }: це не резервна копія Insoles CRM ({ $reason }). Нічого не змінено.
restore-running = Цією базою зараз користується сервер або інша команда (консоль, імпорт, експорт). Зупиніть їх, потім відновлюйте.

## Issue 10, helper B (HTTP hardening): a booking form posted from another site
web-cross-site = Форму надіслано з іншого сайту, тому ми її не прийняли. Відкрийте сторінку запису на нашому сайті й спробуйте ще раз.
card-typed-phone = { $phone } (введено в Telegram, не підтверджено)
identity-claim-relinks = ❗ Картка «{ $client }» уже привʼязана до іншого акаунта Telegram (id { $old }). «Та сама людина» перенесе її на новий акаунт, і старий втратить доступ до записів.

# tasks (issue 12)
btn-task-move = ⏰ Перенести
btn-task-move-typed = ✍️ Ввести час
btn-task-undo = ↩️ Повернути
task-move-title = Перенести завдання «{ $task }»: на скільки?
ask-task-when = Коли? Напр.: завтра 10:00, пт 15:30, в обід, через 2 години, 14 лютого 11:00.
task-reopened = ↩️ Завдання знову відкрите: { $task } — { $when }
task-reopened-toast = Повернуто
task-already-open = Це завдання й так відкрите.

# hours, one source of truth (issue 12)
kb-hours = Ми працюємо за графіком: { $week }.
kb-hours-exceptions = Найближчі зміни графіка: { $days }.
hours-exceptions = Вихідні та скорочені дні попереду ({ $count }):
days-off-removed = ✅ { $days } — знову робочий день за звичайним графіком.
days-off-none = На ці дні вихідних чи скорочених днів немає.
client-status-none = Відкритих замовлень на цей акаунт не знайшли. Якщо ви замовляли з іншого номера чи акаунта — напишіть нам, перевіримо.

# details (issue 12)
import-warnings = ✏️ Поля, яких не вдалося прочитати ({ $count }): рядки імпортуються без цих полів:
import-problem-shoe-size = розмір «{ $value }» не розпізнано
export-sheet-bookings = Записи
export-sheet-tasks = Завдання
export-col-service = Послуга
export-col-starts = Початок
export-col-task = Завдання
export-col-due = Термін
export-col-done = Виконано
export-order-new = Нове
export-order-prod = У виробництві
export-order-ready = Готове
export-order-issued = Видане
export-order-cancel = Скасоване
export-booking-booked = Заплановано
export-booking-came = Прийшла
export-booking-no-show = Не прийшла
export-booking-cancelled = Скасовано
export-service-diagnostics = Діагностика стопи
export-service-fitting = Примірка / видача устілок
export-kind-note = Нотатка
export-kind-call = Дзвінок
export-kind-status = Статус замовлення
export-kind-message = Повідомлення
export-dir-in = Вхідне
export-dir-out = Вихідне
export-dir-internal = Внутрішнє
export-channel-telegram = Telegram
export-channel-console = Консоль
export-channel-instagram = Instagram
export-channel-web = Сайт
export-channel-calcom = Cal.com
export-channel-import = Імпорт
export-task-task = Завдання
export-task-follow-up = Дізнатися, як устілки
btn-merge = 🔗 Об'єднати
btn-delete = 🗑 Видалити
merge-ask = 🔗 Картка «{ $name }»: з якою карткою об'єднати? Напишіть частину імені або телефону другої картки.
merge-none = За запитом «{ $query }» інших карток не знайдено. Напишіть інакше або натисніть «Скасувати».
merge-pick = Оберіть другу картку:
merge-since = з { $date }
merge-same = Це та сама картка.
merge-confirm =
    🔗 Об'єднати дві картки однієї людини?

    Залишиться: { $keep }
    Зникне: { $remove }

    Замовлення, записи, завдання, нотатки, теги та історія перейдуть у картку, що залишиться; порожні поля доповняться з другої.
btn-merge-do = ✅ Об'єднати
btn-merge-swap = 🔁 Залишити картку «{ $name }»
merge-note = 🔗 Приєднано картку «{ $name }» (#{ $id })
merge-done = ✅ Картки об'єднано: «{ $other }» тепер у картці «{ $name }».
client-forgotten = Цю картку вже видалено.
delete-confirm =
    🗑 Видалити картку «{ $name }» назавжди?

    Зникнуть: картка, історія, повідомлення, завдання, записи ({ $visits ->
        [0] майбутніх записів немає
        [one] { $visits } майбутній запис буде скасовано
        [few] { $visits } майбутні записи буде скасовано
       *[many] { $visits } майбутніх записів буде скасовано
    }; клієнтці ми не пишемо — попередьте її самі, якщо треба).
    { $orders ->
        [0] Замовлень немає.
        [one] { $orders } замовлення залишиться для обліку — без імені й телефону.
        [few] { $orders } замовлення залишаться для обліку — без імені й телефону.
       *[many] { $orders } замовлень залишаться для обліку — без імені й телефону.
    }
    Скасувати це не можна.
btn-delete-do = 🗑 Так, видалити назавжди
deleted-client-name = видалена клієнтка #{ $id }
deleted-audit = 🗑 Персональні дані видалено на прохання клієнтки.
delete-done = ✅ Картку видалено. { $orders ->
    [0] Замовлень не було.
    [one] { $orders } замовлення збережено анонімно.
    [few] { $orders } замовлення збережено анонімно.
   *[many] { $orders } замовлень збережено анонімно.
} Скасовано майбутніх записів: { $visits }.
welcome-book-local = на цьому комп'ютері: http://127.0.0.1:8080/book (адреса з HTTP_ADDR; для клієнток задайте PUBLIC_URL)
welcome-empty =
    👋 Вітаю! База поки порожня. З чого почати:
    1. Подивитися на прикладах: { $channel ->
        [console] зупиніть програму (Ctrl+D) і запустіть «insoles-crm demo-data»
       *[other] на комп'ютері з програмою запустіть «insoles-crm demo-data»
    } — з'являться клієнтки, замовлення, записи й завдання.
    2. Додати першу клієнтку: /new_client Ольга Мар'янчук, 067 123 45 67 — або { $channel ->
        [console] імпортувати список: /import
       *[other] надіслати сюди файл Excel зі списком
    }.
    3. Задати графік роботи: /hours пн 10-18, /hours сб вихідний.
    4. { $channel ->
        [console] Підключити Telegram-бота: створіть бота в @BotFather і запустіть програму з TELEGRAM_BOT_TOKEN=… та OWNER_TELEGRAM_IDS=<ваш id у Telegram> (див. README).
       *[other] Бот уже підключено: клієнтки пишуть йому й записуються через /start.
    }
    5. Сторінка запису для клієнток: { $book_url }
    Усі команди — /help
import-how-console = У консолі файл не надіслати. Імпорт — командою в іншому терміналі (сервер можна не зупиняти): «insoles-crm import clients ШЛЯХ/клієнти.xlsx --dry-run» покаже, що знайдено, а без «--dry-run» імпортує. Підходять .xlsx, .xls, .ods і .csv. У Telegram файл можна просто надіслати в чат.

# catalogue (issue 12)
cmd-order = відкрити замовлення за номером: /order 17
cmd-products = каталог виробів і цін
products-title = 🛍 Каталог виробів: { $count }
products-empty = Поки порожньо. Додайте виріб кнопкою нижче.
product-hidden-mark = (приховано)
product-active = Показується при новому замовленні.
product-inactive = Приховано: не показується при новому замовленні, старі замовлення не змінено.
btn-product-add = ➕ Додати виріб
btn-product-rename = ✏️ Назва
btn-product-price = 💰 Ціна
btn-product-hide = 🙈 Приховати
btn-product-show = 👁 Показувати знову
btn-products-back = ⬅️ Каталог
btn-product-other = ✏️ Інше
ask-product-name = Назва нового виробу? Наприклад: Устілки для діабетичної стопи.
ask-product-price = Ціна за «{ $name }», грн?
ask-product-rename = Нова назва для «{ $name }»?
ask-product-new-price = Нова ціна за «{ $name }» (зараз { $price }), грн?
product-added = ✅ Виріб додано до каталогу.
product-saved = ✅ Збережено.
product-hidden = 🙈 Приховано з нових замовлень.
product-shown = 👁 Знову показується в нових замовленнях.
err-product-hidden = Цей виріб приховано в каталозі. Оберіть інший або поверніть його в /products.
ask-order-pick-product = Який виріб? Оберіть з каталогу (ціну можна змінити потім) або напишіть назву.
btn-order-product = ✏️ Виріб
btn-order-price = 💰 Ціна
btn-order-prepaid = 💵 Передоплата
btn-order-undo = ↩️ Скасувати крок
btn-order-reopen = 🔓 Відкрити знову
btn-client-orders = 🧾 Усі замовлення
ask-order-edit-product = Замовлення #{ $id } («{ $product }»): оберіть виріб з каталогу (ціна стане каталожною) або напишіть назву.
ask-order-edit-price = Замовлення #{ $id }: нова ціна (зараз { $price }), грн?
ask-order-edit-prepaid = Замовлення #{ $id }: скільки передоплати (зараз { $prepaid }), грн?
order-edited = ✅ Замовлення змінено.
timeline-order-edited = Замовлення #{ $id } змінено: { $changes }
order-undone = ↩️ Крок скасовано: { $from } → { $to }
order-undo-none = Немає кроку, який можна скасувати.
order-reopened = 🔓 Замовлення знову відкрите: { $from } → { $to }
order-reopen-open = Замовлення й так відкрите.
timeline-order-undo = Замовлення #{ $id } ({ $product }): крок скасовано, статус { $status }
timeline-order-reopen = Замовлення #{ $id } ({ $product }): відкрито знову, статус { $status }
history-undo = ↩️ крок скасовано
history-reopen = 🔓 відкрито знову
order-not-found = Замовлення #{ $id } не знайдено. Відкриті замовлення: /orders
order-number-bad = Номер замовлення — це число, наприклад: /order 17
client-orders-title = 🧾 Замовлення: { $name } ({ $count })
client-orders-none = У картці «{ $name }» ще немає замовлень.
order-no-price = «{ $product }» немає в каталозі, тож вкажіть ціну: /new_order <клієнт>, <виріб>, <ціна>. Каталог: /products

# visits on the card (issue 12)
card-visits = Візити
visit-source-telegram = Telegram-бот
visit-source-web = сторінка запису
visit-source-calcom = Cal.com
visit-source-owner = записала власниця
visit-note = Коментар: «{ $note }»
timeline-visit-booked = Запис: { $service }, { $when } ({ $source })
timeline-visit-moved = Візит перенесено: { $from } → { $when }
timeline-visit-cancelled = Візит { $when } скасовано: { $reason }
timeline-visit-by-client = скасувала клієнтка
timeline-visit-by-owner = скасувала власниця
timeline-visit-by-owner-reason = скасувала власниця, причина: { $reason }
timeline-visit-by-calcom-moved = Cal.com переніс його на зайнятий час, записано заново
timeline-visit-came = Візит { $when }: прийшла
timeline-visit-no-show = Візит { $when }: не прийшла
btn-visit-move = 🔁 { $when }
btn-visit-cancel = ❌ { $when }
btn-later = Пізніше ▶️
btn-earlier = ◀️ Раніше
owner-move-title = 🔁 Перенести: { $client }, { $service }, зараз { $when }.
owner-move-same = Візит і так на цей час.
owner-moved = ✅ Перенесено: { $client }, тепер { $when }.
owner-moved-told = Клієнтці повідомлено в Telegram.
owner-moved-no-chat = Клієнтка записалась не через бота ({ $source }) — надіслати нема куди, повідомте її самі: { $phone }
client-booking-moved = 🔁 Ваш запис перенесено: { $service }, тепер { $when }. Якщо час незручний — напишіть нам.

# booking page (issue 12)
web-title-any = Онлайн-запис
web-title-service = Запис: { $service }
web-prices = Ціни
web-price = { $service } — { $price }
web-choose-time = Оберіть час візиту.
web-taken-none = Цей час щойно зайняли, а інших вільних вікон найближчим часом немає. Зателефонуйте нам — підберемо час.
