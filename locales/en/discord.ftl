## Discord (issue 17): the adapter's own texts

dc-args = What follows the command (as in Telegram: /client Olha)
dc-owner-only = These commands are for the studio's owner only. Write your question as a plain message and I will answer.
dc-failed = ⚠️ This action could not be handled and was skipped. Please try again; everything else works as usual.
dc-done = Done.
dc-owner-relay = 💬 Discord, { $name }: { $text }
conv-no-discord = This client has no Discord account to answer to.
