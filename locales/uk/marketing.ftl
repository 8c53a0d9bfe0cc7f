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
