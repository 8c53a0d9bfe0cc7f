## Marketing e-mail: sequences, campaigns, unsubscribe (issue 16)
cmd-campaign = розсилка e-mail: сегмент, тема, текст
consent-button = Згода на e-mail розсилку
consent-on = ✅ Згоду на розсилку записано
consent-web-email = E-mail (необов'язково)
consent-web-check = Погоджуюся отримувати листи студії (поради, пропозиції); відписатися можна будь-коли
consent-off = ▫️ Згоду на розсилку знято, листи зупинено
campaign-help =
    ✉️ Розсилка e-mail клієнткам зі згодою. Одним повідомленням, три рядки:
    /campaign #спорт visit<01.09.2026 age>=11
    Час замінити устілки
    Вітаю, {"{"}name{"}"}! Ваші устілки служать вже майже рік...

    Сегмент: #тег, visit<ДАТА або visit>ДАТА (останній візит), age>=МІСЯЦІ або age<=МІСЯЦІ (вік виробу), all — усі.
campaign-bad-word = Не розумію «{ $word }» у сегменті. Можна: #тег, visit<01.09.2026, visit>01.09.2026, age>=11, age<=12, all.
campaign-preview = ✉️ Розсилка #{ $id }: { $count ->
        [one] { $count } отримувачка
        [few] { $count } отримувачки
       *[other] { $count } отримувачок
    } (зі згодою та адресою).
campaign-subject = Тема: { $subject }
campaign-btn-test = 🧪 Тестовий лист собі
campaign-btn-send = ✉️ Надіслати ({ $count })
campaign-btn-confirm = ✅ Так, надіслати
campaign-confirm = Надіслати розсилку #{ $id } { $count ->
        [one] { $count } клієнтці
       *[other] { $count } клієнткам
    }? Скасувати потім не вийде.
campaign-queued = ✅ У черзі: { $count } листів, { $rate } на хвилину; останній піде близько { $last }.
campaign-sent-before = Цю розсилку вже надіслано.
campaign-no-owner-email = Для тестового листа потрібна ваша адреса: REPORT_EMAIL.
campaign-no-smtp = Щоб надсилати листи, потрібні SMTP_URL і PUBLIC_URL (посилання для відписки).
campaign-test-sent = 🧪 Тестовий лист піде на { $address }.
campaign-test-mark = ТЕСТ
campaign-sample-name = Клієнтка
mail-footer = Ви отримали цей лист, бо погодилися на розсилку студії.
mail-unsubscribe = Відписатися
unsub-page-title = Відписка від розсилки
unsub-page-question = Більше не надсилати вам листів студії?
unsub-page-button = Відписатися
unsub-page-done = Готово: ви відписалися, листів більше не буде.
unsub-page-forged = Це посилання недійсне. Перевірте, що його скопійовано повністю.
## Sequence steps (config/sequences.toml): <key>-subject and <key>-body
seq-care-tips-subject = Як доглядати за стопами після діагностики
seq-care-tips-body =
    Вітаю, { $name }!

    Дякуємо, що прийшли на діагностику. Кілька порад на ці дні: ходіть у зручному взутті з твердим задником, робіть вправи для стоп зранку та ввечері, не ходіть довго босоніж по твердій підлозі.

    Якщо щось турбує — просто дайте відповідь на цей лист.
seq-offer-subject = Ваші устілки за результатами діагностики
seq-offer-body =
    Вітаю, { $name }!

    За результатами діагностики ми можемо виготовити індивідуальні устілки саме для ваших стоп. Запишіться на примірку — це займе 20 хвилин.
seq-reminder-subject = Нагадування про індивідуальні устілки
seq-reminder-body =
    Вітаю, { $name }!

    Нагадуємо: результати вашої діагностики дійсні, і ми готові виготовити устілки. Запишіться, коли вам зручно.
seq-how-are-insoles-subject = Як вам нові устілки?
seq-how-are-insoles-body =
    Вітаю, { $name }!

    Минуло два тижні з того часу, як ви отримали устілки. Як вони? Якщо щось муляє — корекція в перші 30 днів безкоштовна.
seq-replacement-subject = Час подумати про нові устілки
seq-replacement-body =
    Вітаю, { $name }!

    Ваші устілки служать вже майже рік. Щоб вони і далі підтримували стопу, варто перевірити їх і, можливо, замінити. Запишіться на огляд.
# Attribution, campaign links and the referral programme (issue 16).

cmd-link = посилання з QR для кампанії: /link весна_2027 → сторінка запису з UTM і Telegram
cmd-ref = реферальний код клієнтки з посиланнями: /ref Ольга
link-usage = Напишіть назву кампанії (латиницею, цифри, _ або -) і, за бажанням, джерело: /link spring_2027 instagram
link-bad-campaign = Назва кампанії й джерело — латиниця, цифри, _ або - (до 60 знаків), напр. /link spring_2027 flyer
link-book = 🌐 Сторінка запису, кампанія «{ $campaign }»:
link-telegram = ✈️ Telegram-бот, кампанія «{ $campaign }»:
link-no-address = Посилань немає: задайте PUBLIC_URL (сторінка запису) або TELEGRAM_BOT_USERNAME (бот).
link-report-hint = Ліди, записи, замовлення й виручку кампанії «{ $campaign }» видно у /report → Маркетинг.
ref-usage = Чий код? /ref Ольга, /ref 0671234567 або /ref 42
ref-pick = Кілька клієнток — оберіть:
ref-card =
    🎁 Реферальний код { $name }: { $code }
    Подруга за цим посиланням отримає знижку на перше замовлення, а { $name } — таку саму на наступне, коли подруга оплатить.
    Накопичено знижок: { $credit }
ref-telegram = ✈️ Посилання в бот:
ref-book = 🌐 Посилання на сторінку запису:
btn-referral = 🎁 Реферальний код
referral-welcome = 🎁 Вас запросила подруга: знижка { $amount } на перше замовлення.
referral-discount-applied = 🎁 Знижку за рекомендацією { $amount } враховано в замовленні №{ $id }.
referral-credit-earned = 🎁 Дякуємо за рекомендацію! Ваша подруга стала нашою клієнткою: { $amount } знижки на ваше наступне замовлення.
order-discount = знижка
order-discount-referral = за рекомендацією
order-discount-credit = бонус за рекомендацію
web-ref-code = Код від подруги (якщо є)
cmd-listmonk = Listmonk: синхронізація згоди на розсилку
listmonk-off = Listmonk не під'єднано: задайте LISTMONK_URL, LISTMONK_USER і LISTMONK_TOKEN.
listmonk-never = ще не було
listmonk-status = 📮 Listmonk: { $url }, список { $list }
    Остання синхронізація: { $last }
    Підписані: { $subscribed } · у черзі: { $pending } · з помилкою: { $failed }
