## Instagram content: /post drafts and the /plan calendar (issue 16, Content)
cmd-post = чернетка посту для Instagram: /post дитячі устілки [#кампанія]
cmd-plan = контент-план на 30 днів; /plan 12.12 5 — запланувати пост №5
post-pick-topic = Про що пост? Ось теми цього сезону — або напишіть /post і тему.
post-no-match = У базі знань немає нічого про «{ $topic }», тож вигадувати пост не буду. Ось теми цього сезону:
post-card-title = 📝 Пост #{ $id } · { $topic }
post-image = 🖼 Ідея фото: { $idea }
post-state = Стан: { $state ->
        [draft] чернетка
        [approved] ✅ затверджено
        [scheduled] 📅 заплановано
        [published] 📣 опубліковано
       *[discarded] ✖ відкинуто
    } · кампанія: { $campaign }
post-date = Дата публікації: { $date }
post-source-llm = ✍️ Чернетка від LLM, перевірена: числа й ціни — лише з бази знань.
post-llm-rejected = ⚠️ Чернетку від LLM відхилено: { $reason }. Нижче — офлайн-чернетка з бази знань.
post-reason-unavailable = LLM не відповів (помилка, тайм-аут або вичерпано денний ліміт)
post-reason-unreadable = відповідь не у форматі JSON
post-reason-no-caption = немає тексту посту
post-reason-hashtags = хештегів має бути від 5 до 15, кожен починається з #
post-reason-too-long = текст не вміщається в ліміт Instagram (2 200 символів)
post-reason-no-image = немає ідеї для фото
post-reason-number = число «{ $number }», якого немає в базі знань
btn-content-approve = ✅ Затвердити
btn-content-variant = 🔁 Інший варіант
btn-content-schedule = 📅 У план
btn-content-discard = ✖ Відкинути
btn-content-published = ✅ Опубліковано
btn-content-plan = 🗓 Контент-план
post-approved = ✅ Пост #{ $id } затверджено. Наступне повідомлення — текст для Instagram, скопіюйте його.
post-variant-only-draft = Інший варіант можна зробити лише для чернетки.
post-pick-day = 📅 На який день запланувати пост #{ $id }? Або напишіть /plan 12.12 { $id }
post-scheduled = 📅 Пост #{ $id } заплановано на { $date }. Того дня о { $hour }:00 нагадаю й надішлю текст.
post-plan-past = Ця дата вже минула: оберіть сьогодні або пізніший день.
post-plan-usage = Щоб запланувати пост: /plan 12.12 5 (дата, потім номер посту). Без нічого — план на 30 днів.
post-plan-title = 🗓 Контент-план { $from } – { $to }
post-plan-none = Запланованих постів немає.
post-plan-row = { $date } — { $topic } · { $state ->
        [scheduled] 📅 заплановано
       *[published] 📣 опубліковано
    }
post-plan-free = Вільних днів: { $count } з 30.
post-plan-drafts = Чернетки без дати (натисніть, щоб запланувати):
post-plan-hint = Новий пост: /post і тема, наприклад /post біг.
post-discarded = ✖ Пост #{ $id } відкинуто, нагадування скасовано.
post-published = 📣 Пост #{ $id } позначено як опублікований.
post-closed = З постом #{ $id } уже нічого не зробити: він { $state ->
        [published] опублікований
       *[discarded] відкинутий
    }.
post-reminder = 📅 Сьогодні публікація: { $topic } (пост #{ $id }). Текст для Instagram:
