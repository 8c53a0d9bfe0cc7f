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

report-push-status =
    📬 Звіти, що надходять самі (шість звітів у чат і на e-mail):
    щопонеділка о 09:00, за минулий тиждень: { $weekly }
    1-го числа о 09:00, за минулий місяць: { $monthly }
    на e-mail: { $email }
    Вимкнути або увімкнути: /report розсилка тиждень вимк, /report розсилка місяць увімк, /report розсилка пошта вимк
report-push-on = увімкнено
report-push-off = вимкнено
report-push-off-config = вимкнено в налаштуваннях ([reports])
report-push-email-unset = не налаштовано (потрібні REPORT_EMAIL і SMTP_URL)
report-push-usage = Що саме вимкнути чи увімкнути? Наприклад: /report розсилка тиждень вимк, /report розсилка пошта увімк
