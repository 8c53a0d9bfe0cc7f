# The weekly and monthly reports pushed by e-mail and to Telegram (issue 15, part E).

report-email-subject-week = Звіт за тиждень { $range }
report-email-subject-month = Звіт за { $month ->
    [1] січень
    [2] лютий
    [3] березень
    [4] квітень
    [5] травень
    [6] червень
    [7] липень
    [8] серпень
    [9] вересень
    [10] жовтень
    [11] листопад
   *[12] грудень
} { $year }
report-email-footer = Insoles CRM надсилає ці звіти щопонеділка о 09:00 (за тиждень) і 1-го числа (за місяць). Вимкнути: [reports] weekly = false або monthly = false у налаштуваннях.
