//! The offline engine: a grammar for the phrasings the owner uses most, in Ukrainian, Russian and
//! surzhyk, with typos. The sentence is matched by folded stems (so `скiльки`, `скільки` and
//! `сколько`-style roots meet), writes first (a verb that changes something decides), then reads;
//! arguments come from `sentence` and the words left over are the name or the task's text.
//! Anything it cannot place is [`Action::Unknown`] ("I did not understand", with the closest
//! commands). The phrase sets in `tests/data/owner_phrases*.jsonl` measure it.

use super::action::{Action, Goal, OrderFilter};
use super::sentence::Sentence;
use super::tokens::nominative;
use crate::core::reports::ReportKind;
use crate::domain::cash::PayMethod;
use crate::domain::period::Period;
use chrono::{Datelike, Duration, NaiveDate, NaiveTime};

/// Words that are never a name or a task's text.
const FILLER: &str = "ну це цю цей этот это эту там ще еще а і и та й до у в во на о об з зі с со за по від от для мені мне мене меня будь ласка пожалуйста плиз пліз пж плз можеш можешь можна можно треба надо хочу давай зараз сейчас я ти ты ми мы нам її ее його его вона она він он їй ей йому ему плс please pls ок окей так ага слухай слушай привіт привет пожалуста пожалуйсто позязя клієнтку клієнта клиента клиентку пані пан мою моя мій мой нашу нашого вже уже просто будласка який яка какой какая є есть к чи ли щоб чтоб чтобы що что шо як как коли когда була был была був раз вона у неї нее него нього";

/// Stems of words that are never a name (verbs of the actions, services).
const NOT_NAME: &str = "запиш записат записув запис заброн бронюй діагност диагност примірк примерк консульт візит визит прийом прием приём скасу відмін отмен видали удали прибер убер покаж знайд найд відкр откр картк карточк телефон номер контакт історі истори дані данные інфо инфо хто кто такий такая така такой нов клієнт клиент дода добав створ созд внес занес зареєстр зарегистр прийде придет прийдет устіл стельк годин часов ранку утра вечор вечер дня зроб сдела для хоче хочет останн последн постав впиш";

fn today_from(now: chrono::NaiveDateTime) -> NaiveDate {
    now.date()
}

fn name_of(words: Vec<String>) -> Option<String> {
    let words: Vec<String> =
        words.into_iter().filter(|w| w.chars().all(|c| c.is_alphabetic() || "'ʼ’-".contains(c))).collect();
    if words.is_empty() {
        return None;
    }
    Some(words.iter().take(3).map(|w| nominative(w)).collect::<Vec<_>>().join(" "))
}

fn name(s: &Sentence) -> Option<String> {
    name_of(s.rest(FILLER, NOT_NAME))
}

fn default_period(today: NaiveDate, month: bool) -> Period {
    if month {
        let from = today.with_day(1).unwrap_or(today);
        let next = if from.month() == 12 {
            NaiveDate::from_ymd_opt(from.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(from.year(), from.month() + 1, 1)
        };
        Period { from, to: next.map(|n| n - Duration::days(1)).unwrap_or(today) }
    } else {
        Period { from: today, to: today }
    }
}

fn method(s: &Sentence) -> PayMethod {
    for t in &s.toks {
        if t.key.starts_with("моно") || t.key.starts_with("mono") {
            return PayMethod::Monobank;
        }
        if t.key.starts_with("карт") || t.key.starts_with("термін") || t.key.starts_with("термин") {
            return PayMethod::Terminal;
        }
        if let Some(m) = PayMethod::from_word(&t.key) {
            return m;
        }
    }
    PayMethod::Cash
}

fn report_kind(s: &Sentence) -> Option<ReportKind> {
    let k = [
        (ReportKind::Ai, "асистент ассистент бот штучн искусств помічник помощник шi"),
        (ReportKind::Marketing, "маркет реклам лід лид звідки откуда канал джерел источник інстаграм инстаграм"),
        (ReportKind::Customers, "клієнт клиент покупц повторн постійн постоянн nps відгук отзыв лояльн"),
        (ReportKind::Operations, "операц робот работ завантаж загруж загрузк неявк зайнят процес"),
        (ReportKind::Finance, "фінанс финанс гроші грош деньг прибут прибыл кеш бюджет"),
        (ReportKind::Sales, "продаж продал продан"),
    ];
    if s.word("ші ии ai ші-асистент") {
        return Some(ReportKind::Ai);
    }
    k.into_iter().find(|(_, stems)| s.has(stems)).map(|(kind, _)| kind)
}

/// Maps a sentence to an action; `now` is the owner's local time.
pub fn parse(text: &str, now: chrono::NaiveDateTime) -> Action {
    let today = today_from(now);
    let mut s = Sentence::new(text, today);
    if s.toks.is_empty() || s.toks.len() > 40 {
        return Action::Unknown;
    }
    // Things the CRM does not do, whatever verb they come with.
    if s.word("пост поста пости посты постів постик")
        || s.has("смс sms розсил рассыл сторіс сторис погод анекдот жарт шутк вірш стих рецепт курс новин новост email імейл пісн песн фільм фильм мем") && !s.has("нагада напомн")
    {
        return Action::Unknown;
    }
    let question = text.contains('?') || s.has("скільк сколь скіко скока скилк") || s.word("чи ли");
    let reminders_list = s.has("напоминалк нагадувалк нагадуван напоминан")
        && !s.word("нагадай напомни нагадати напомнить нагадайте напомните");
    let task_verb = !reminders_list && (s.has("нагада нагаду напомн напомин") || s.pair("не", "забу забы"))
        || ["задача:", "завдання:", "задача :", "нагадування:", "напоминание:", "todo:"]
            .iter()
            .any(|p| text.trim_start().to_lowercase().starts_with(p));
    let cancel = s.has("скасу скасо відмін отмен відміни cancel анулю аннулир")
        || s.pair("видали удали прибер убер зніми сними", "запис візит визит прийом")
        || s.pair("не", "прийде придет прийдет зможе сможет");
    let book = s.has("запиш записат записув заброн бронюй запишіт запишит")
        || s.has("запис") && !s.has("записи записів записей записы записан") && !s.has("хто кто");

    // Writes first: a verb that changes something decides.
    if task_verb || (s.has("задач завдан справ") && s.has("дода добав створ созд постав запиш нов"))
    {
        let (date, time, _) = s.when();
        s.take("нагада нагаду напомн напомин задач завдан дода добав створ созд постав");
        s.take_exact("не забудь забути забыть забудьте мені мне будь ласка пожалуйста будласка що що щоб чтобы чтоб шо что нову новую пліз плз пж");
        let text = s.rest("", "").join(" ");
        return if text.is_empty() { Action::Unknown } else { Action::Task { text, date, time } };
    }
    let want = s.word("хочу хочеться хотілось хотелось хочется") && s.has("місяц месяц");
    if s.has("ціль цель мету мета таргет goal") || s.has("план") && !s.has("планув заплан") || want
    {
        let unit_orders = s.has("замовлен заказ продаж") && !s.has("грн гривен гривн тис тыс uah");
        s.take("замовлен заказ");
        if let Some(m) = s.amount() {
            let k = m.kopecks() / 100;
            return if unit_orders && k < 10_000 || (k < 500 && !s.has("грн гривень гривен тис тыс"))
            {
                Action::Goal(Goal::Orders(k))
            } else {
                Action::Goal(Goal::Amount(m))
            };
        }
    }
    if s.has("вихідн выходн вихидн відпоч отдых неробоч нерабоч") || s.pair("не", "працю работаю приймаю принимаю")
    {
        let (date, _, _) = s.when();
        if let Some(date) = date {
            return Action::DayOff { date };
        }
    }
    if cancel {
        let (date, _, _) = s.when();
        s.take("скасу скасо відмін отмен видали удали прибер убер зніми сними прийде придет зможе сможет анулю");
        s.take_exact("не");
        return match name(&s) {
            Some(client) => Action::CancelVisit { client, date },
            None => Action::Unknown,
        };
    }
    let mut probe = Sentence::new(text, today);
    if let Some(phone) = probe.phone() {
        if !s.has("оплат замовлен заказ") {
            s.phone();
            let name = name(&s);
            return match name {
                Some(name) => Action::NewClient { name, phone },
                None => Action::Unknown,
            };
        }
        let _ = phone;
    }
    let pay = s.has("оплат оплач заплат сплат внесл внес приня прийня отримал получил передопл предопл доплат аванс прийшл пришл скинул");
    let ready = s.has("готов зроблен сделан виготов изготов пошит зробила сделала выполн виконан");
    let not_taken = s.has("забр забир видач выдач чекают ждут");
    let numbered = Sentence::new(text, today).order_number();
    if ready && not_taken && numbered.is_none() {
        return Action::Orders { status: OrderFilter::Ready };
    }
    if let Some(n) = numbered {
        if pay && !ready {
            let mut t = Sentence::new(text, today);
            let order = t.order_number();
            if let (Some(order), Some(amount)) = (order, t.amount()) {
                return Action::Income { order, amount, method: method(&t) };
            }
        }

        if ready && !question {
            return Action::OrderReady { number: n };
        }
        if !pay {
            return Action::Order { number: n };
        }
    }
    let spent = s.has(
        "витрат витрач потрат потрач расход розход купил заплатил оплатил сплатил відда отдал ушл ушло пішл пішло трат",
    );
    let known_category = category_of(&s).is_some();
    if (spent || known_category) && !question && (!pay || known_category && numbered.is_none()) {
        let mut t = Sentence::new(text, today);
        let (date, _, _) = t.when();
        if let Some(amount) = t.amount() {
            let words_said = t.has("грн гривен гривн тис тыс") || spent;
            if words_said || known_category {
                return Action::Expense { amount, category: category(&t), date };
            }
        }
    }
    if pay && (!spent || s.has("доплат передопл предопл")) {
        if let Some((order, amount)) = order_and_amount(text, today) {
            let t = Sentence::new(text, today);
            return Action::Income { order, amount, method: method(&t) };
        }
    }
    if ready && !question && !not_taken {
        let mut t = Sentence::new(text, today);
        if let (Some(n), None) = (t.number(), t.number()) {
            if (1..100_000).contains(&n) {
                return Action::OrderReady { number: n };
            }
        }
    }
    let put = s.has("постав поставь впиши вписати");
    let bare = !s.has("хто кто покаж скільк сколько звіт отч замовлен заказ");
    if book && (!question || s.has("можеш можешь можна можно зможеш")) || put || bare {
        let mut t = Sentence::new(text, today);
        let (date, time, _) = t.when();
        let date = date.or_else(|| time.map(|t| if t > now.time() { today } else { today + Duration::days(1) }));
        t.take("постав впиш");
        if let (Some(date), Some(time), Some(client)) =
            (date, time, name(&t).filter(|_| book || put || time.is_some() && date.is_some()))
        {
            return Action::Book { client, date, time };
        }
    }
    reads(s, text, today, question)
}

fn reads(mut s: Sentence, text: &str, today: NaiveDate, question: bool) -> Action {
    let _ = text;
    if s.pair("не", "прийш пришл пришел пришёл прийл явил явл зявил зяв дійшл дошл було был пришол")
        || s.has("неявк неприход прогул noshow непришедш неприйш продинам кинул прокинул")
    {
        return Action::NoShows { period: s.period().unwrap_or_else(|| this_week(today)) };
    }
    if s.has("винен винна винні должн борг долг заборг недоплат") {
        return Action::Orders { status: OrderFilter::Unpaid };
    }
    let about = s.word("як как шо що что чо") && (s.word("там по") || s.word("як как"));
    let new_clients = s.has("нов") && s.has("клієнт клиент") && (question || s.has("скільк сколько"));
    if s.has("звіт отч статистик аналітик аналитик report показник показател динамік звідки откуда")
        || about && report_kind(&s).is_some()
        || new_clients
    {
        let kind = report_kind(&s).unwrap_or(ReportKind::Sales);
        return Action::Report { kind, period: s.period().unwrap_or_else(|| default_period(today, true)) };
    }
    if s.has("пішл ушл пішло ушло делис поділ") && s.has("грош деньг гроші") {
        return Action::Expenses { period: s.period().unwrap_or_else(|| default_period(today, true)) };
    }
    if s.has("заробил заробит зароб заработ виручк выручк дохід доход прибут прибыл надход надійшл оборот каса касс revenue выторг виторг") || s.has("грош деньг гроші") && question && !s.has("витрат потрат расход")
    {
        return Action::Revenue { period: s.period().unwrap_or_else(|| default_period(today, true)) };
    }
    if s.has("витрат витрач потрат потрач расход розход спустил трат") {
        return Action::Expenses { period: s.period().unwrap_or_else(|| default_period(today, true)) };
    }
    if s.has("підсум итог зведен сводк зводк summary самарі загалом коротко")
        || s.pair("в", "цілому целом")
        || s.pair("як как", "пройшов прошел прошёл день")
    {
        return Action::Summary;
    }
    if s.has("задач завдан задч todo нагадуван напоминан напоминалк нагадувалк прострочен просрочен")
        || s.has("забул забыл") && s.has("зроб сдела")
    {
        return Action::Tasks;
    }
    if s.has("порад совет посовет рекоменд підкаж подскаж увагу вниман")
        || s.word("що что шо чим чем") && s.has("робит робить делат зайнят заняться зробит сделат порад посовет")
    {
        return Action::Advice;
    }
    let orders = s.has("замовлен заказ замовлень заказы замовленя замовленн order");
    if orders {
        let status = if s.has("неоплач неоплат борг долг винн должн заборгов недоплач")
            || s.pair("не", "оплач оплат заплат сплач розрах расчит")
        {
            OrderFilter::Unpaid
        } else if s.has("готов забрат забир видач выдач чекают ждут зроблен сделан")
        {
            OrderFilter::Ready
        } else {
            OrderFilter::Open
        };
        return Action::Orders { status };
    }
    if s.has("справ дела") && !s.pair("як как", "справ дела") {
        return Action::Tasks;
    }
    let strong = s.has("записи записів записей записы записан візит визит розклад расписан графік график");
    let visits = s.has("хто кто кого приймаю принимаю записи записів записей записы записан візит визит прийом прием приём розклад расписан графік график прийде придет клієнт клиент людей запис");
    let find = s.has("покаж знайд найд відкр откр картк карточк телефон номер контакт історі истори інфо инфо дані данные останн последн");
    if visits && (!find || strong) {
        if let Some(period) = s.period() {
            return Action::Visits { period };
        }
        if question || s.has("хто кто записи розклад расписан") {
            return Action::Visits { period: default_period(today, false) };
        }
    }
    if find || s.pair("хто кто", "така такий такая такой") {
        s.take("покаж знайд найд відкр откр картк карточк телефон номер контакт історі истори інфо инфо дані данные");
        if let Some(client) = name(&s) {
            return Action::FindClient { client };
        }
    }
    let _ = question;
    Action::Unknown
}

fn this_week(today: NaiveDate) -> Period {
    let monday = today - Duration::days(today.weekday().num_days_from_monday() as i64);
    Period { from: monday, to: monday + Duration::days(6) }
}

/// `за 38 доплатили пятсот`: the order (after `замовлення`, `#`, `за`, `по`, else the smaller
/// number) and the amount.
fn order_and_amount(text: &str, today: NaiveDate) -> Option<(i64, crate::domain::Money)> {
    let mut t = Sentence::new(text, today);
    if let Some(order) = t.order_number() {
        return t.amount().map(|a| (order, a));
    }
    for i in 0..t.toks.len().saturating_sub(1) {
        if ["за", "по"].contains(&t.toks[i].key.as_str()) {
            if let Ok(n) = t.toks[i + 1].key.parse::<i64>() {
                t.used[i + 1] = true;
                return t.amount().map(|a| (n, a));
            }
        }
    }
    let (a, b) = (t.amount()?, t.amount()?);
    let (x, y) = (a.kopecks() / 100, b.kopecks() / 100);
    Some(if x <= y { (x, b) } else { (y, a) })
}

/// A known category by its root.
fn category_of(s: &Sentence) -> Option<&'static str> {
    CATEGORIES.iter().find(|(_, stems)| s.has(stems)).map(|(name, _)| *name)
}

const CATEGORIES: &[(&str, &str)] = &[
    ("матеріали", "матер eva єва ева пробк шкір кож клей пласт заготов каркас"),
    ("оренда", "оренд аренд"),
    ("реклама", "реклам таргет промо"),
    ("пошта", "пошт почт доставк укрпошт посилк посылк"),
    ("комунальні", "комунал коммунал світло свет електр электр"),
    ("зв'язок", "звязок связь інтернет интернет мобільн"),
    ("податки", "подат налог єсв есв"),
];

/// The expense's category: a known one by its root, else the first word left.
fn category(s: &Sentence) -> String {
    if let Some(c) = category_of(s) {
        return c.to_string();
    }
    s.rest(
        FILLER,
        "витрат витрач потрат потрач расход купил заплатил оплатил сплатил грн гривен гривн відда отдал запиш внес дода добав",
    )
    .into_iter()
    .find(|w| w.chars().count() >= 3 && w.chars().all(char::is_alphabetic))
    .map(|w| w.to_lowercase())
    .unwrap_or_else(|| "інше".to_string())
}

/// `NaiveTime` of a local `now`, for tests.
pub fn at(date: NaiveDate, h: u32, m: u32) -> chrono::NaiveDateTime {
    date.and_time(NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN))
}
