## Instagram content: /post drafts and the /plan calendar (issue 16, Content)
cmd-post = an Instagram post draft: /post kids insoles [#campaign]
cmd-plan = the content plan for 30 days; /plan 12.12 5 schedules post no. 5
post-pick-topic = What is the post about? Here are this season's topics, or type /post and a topic.
post-no-match = The knowledge base has nothing on “{ $topic }”, so I will not make a post up. This season's topics:
post-card-title = 📝 Post #{ $id } · { $topic }
post-image = 🖼 Photo idea: { $idea }
post-state = State: { $state ->
        [draft] draft
        [approved] ✅ approved
        [scheduled] 📅 scheduled
        [published] 📣 published
       *[discarded] ✖ discarded
    } · campaign: { $campaign }
post-date = Publish date: { $date }
post-source-llm = ✍️ An LLM draft, checked: numbers and prices only from the knowledge base.
post-llm-rejected = ⚠️ LLM draft rejected: { $reason }. Below is the offline draft from the knowledge base.
post-reason-unavailable = the LLM did not answer (an error, a timeout or the daily budget spent)
post-reason-unreadable = the answer is not JSON
post-reason-no-caption = there is no post text
post-reason-hashtags = 5 to 15 hashtags, each starting with #
post-reason-too-long = the text does not fit Instagram's limit (2,200 characters)
post-reason-no-image = there is no photo idea
post-reason-number = the number “{ $number }”, which the knowledge base does not have
btn-content-approve = ✅ Approve
btn-content-variant = 🔁 Another variant
btn-content-schedule = 📅 To the plan
btn-content-discard = ✖ Discard
btn-content-published = ✅ Published
btn-content-plan = 🗓 Content plan
post-approved = ✅ Post #{ $id } approved. The next message is the text for Instagram: copy it.
post-variant-only-draft = Another variant is only for a draft.
post-pick-day = 📅 Which day for post #{ $id }? Or type /plan 12.12 { $id }
post-scheduled = 📅 Post #{ $id } is scheduled for { $date }. That day at { $hour }:00 I will remind you with the text.
post-plan-past = That date has passed: pick today or a later day.
post-plan-usage = To schedule a post: /plan 12.12 5 (the date, then the post's number). Alone, the plan for 30 days.
post-plan-title = 🗓 Content plan { $from } – { $to }
post-plan-none = No posts scheduled.
post-plan-row = { $date } — { $topic } · { $state ->
        [scheduled] 📅 scheduled
       *[published] 📣 published
    }
post-plan-free = Free days: { $count } of 30.
post-plan-drafts = Drafts with no date (press one to schedule it):
post-plan-hint = A new post: /post and a topic, e.g. /post running.
post-discarded = ✖ Post #{ $id } discarded, its reminder cancelled.
post-published = 📣 Post #{ $id } marked as published.
post-closed = Nothing more to do with post #{ $id }: it is { $state ->
        [published] published
       *[discarded] discarded
    }.
post-reminder = 📅 Publishing today: { $topic } (post #{ $id }). The text for Instagram:
