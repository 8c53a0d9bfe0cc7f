## Client satisfaction (NPS), issue 15
nps-question = Наскільки ймовірно, що ви порекомендуєте нас друзям? Оцініть від 0 до 10 ({ $product }).
nps-subject = Як вам наші устілки?
nps-thanks = 🙏 Дякуємо за оцінку!
nps-review = Будемо вдячні за відгук: { $url }
nps-better = Що ми могли б зробити краще? Напишіть одним повідомленням.
nps-already = Ви вже відповіли, дякуємо!
nps-comment-thanks = 🙏 Дякуємо, ми врахуємо.
nps-task = 😟 Оцінка { $score }/10 за замовлення #{ $id } ({ $product }): зателефонувати й розібратися
nps-page-title = Ваша оцінка
nps-page-question = Наскільки ймовірно, що ви порекомендуєте нас друзям?
nps-page-low = 0 — зовсім ні
nps-page-high = 10 — обов'язково
nps-page-comment = Що ми могли б зробити краще?
nps-page-send = Надіслати
nps-page-forged = Посилання недійсне. Перевірте, що скопіювали його повністю.
nps-page-expired = Термін дії посилання минув. Дякуємо, що завітали!
nps-page-answered = Ви вже відповіли. Дякуємо!
