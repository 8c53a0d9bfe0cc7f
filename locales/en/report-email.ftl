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
