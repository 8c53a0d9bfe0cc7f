## Discord (issue 17): the adapter's own texts

dc-args = Що написати після команди (як у Telegram: /client Ольга)
dc-owner-only = Ці команди лише для власниці студії. Напишіть своє питання звичайним повідомленням, і я відповім.
dc-failed = ⚠️ Не вдалося обробити цю дію, її пропущено. Спробуйте ще раз; інше працює як звичайно.
dc-done = Готово.
dc-owner-relay = 💬 Discord, { $name }: { $text }
conv-no-discord = У цієї клієнтки немає Discord, куди відповісти.
