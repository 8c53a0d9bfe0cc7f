# The weekly and monthly reports pushed by e-mail and to Telegram (issue 15, part E).

report-email-subject-week = Report for the week { $range }
report-email-subject-month = Report for { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
} { $year }
report-email-footer = Insoles CRM sends these reports every Monday at 09:00 (for the week) and on the 1st (for the month). To turn them off: [reports] weekly = false or monthly = false in the settings.

report-push-status =
    📬 Reports that come by themselves (the six reports to the chat and by e-mail):
    every Monday at 09:00, for the last week: { $weekly }
    on the 1st at 09:00, for the last month: { $monthly }
    by e-mail: { $email }
    To turn one off or on: /report push week off, /report push month on, /report push email off
report-push-on = on
report-push-off = off
report-push-off-config = off in the settings ([reports])
report-push-email-unset = not set up (REPORT_EMAIL and SMTP_URL needed)
report-push-usage = What to turn off or on? For example: /report push week off, /report push email on
