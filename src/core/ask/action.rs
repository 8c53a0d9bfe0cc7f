//! The typed, read-mostly API the plain-language engine maps a sentence to: one [`Action`] per
//! thing the owner can ask or order, with typed arguments (days, periods, kopecks, a parsed
//! phone). Its JSON form (`{"action":"book","args":{"client":"Марія","date":"2026-12-04",
//! "time":"15:00"}}`) is the one wire format for three readers: the LLM's tool calls (one tool
//! per action, the same argument names), the pending confirmation stored server-side, and the
//! phrase sets in `tests/data/owner_phrases*.jsonl`. [`Action::from_json`] is the validation:
//! a tool call with an unknown name or a bad argument is no action at all.

use crate::core::reports::ReportKind;
use crate::domain::cash::PayMethod;
use crate::domain::period::Period;
use crate::domain::{Money, Phone};
use chrono::{NaiveDate, NaiveTime};
use serde_json::{json, Map, Value};

/// Which orders a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderFilter {
    Open,
    Ready,
    Unpaid,
}

/// The month's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    Orders(i64),
    Amount(Money),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Visits { period: Period },
    NoShows { period: Period },
    Revenue { period: Period },
    Expenses { period: Period },
    Report { kind: ReportKind, period: Period },
    FindClient { client: String },
    Orders { status: OrderFilter },
    Order { number: i64 },
    Tasks,
    Summary,
    Advice,
    Book { client: String, date: NaiveDate, time: NaiveTime },
    CancelVisit { client: String, date: Option<NaiveDate> },
    Task { text: String, date: Option<NaiveDate>, time: Option<NaiveTime> },
    NewClient { name: String, phone: Phone },
    Expense { amount: Money, category: String, date: Option<NaiveDate> },
    Income { order: i64, amount: Money, method: PayMethod },
    OrderReady { number: i64 },
    DayOff { date: NaiveDate },
    Goal(Goal),
    Unknown,
}

/// Every action's name, in the order of the tool list.
pub const NAMES: [&str; 21] = [
    "visits",
    "no_shows",
    "revenue",
    "expenses",
    "report",
    "find_client",
    "orders",
    "order",
    "tasks",
    "summary",
    "advice",
    "book",
    "cancel_visit",
    "task",
    "new_client",
    "expense",
    "income",
    "order_ready",
    "dayoff",
    "goal",
    "unknown",
];

pub fn report_code(k: ReportKind) -> &'static str {
    match k {
        ReportKind::Sales => "sales",
        ReportKind::Marketing => "marketing",
        ReportKind::Customers => "customers",
        ReportKind::Finance => "finance",
        ReportKind::Operations => "operations",
        ReportKind::Ai => "ai",
    }
}

fn period_json(p: &Period) -> Value {
    json!(format!("{}..{}", p.from, p.to))
}

/// Money as UAH: `350`, `1200.5`.
fn uah(m: Money) -> Value {
    let k = m.kopecks();
    if k % 100 == 0 {
        json!(k / 100)
    } else {
        json!(k as f64 / 100.0)
    }
}

fn hm(t: NaiveTime) -> Value {
    json!(t.format("%H:%M").to_string())
}

impl Action {
    pub fn name(&self) -> &'static str {
        use Action::*;
        match self {
            Visits { .. } => "visits",
            NoShows { .. } => "no_shows",
            Revenue { .. } => "revenue",
            Expenses { .. } => "expenses",
            Report { .. } => "report",
            FindClient { .. } => "find_client",
            Orders { .. } => "orders",
            Order { .. } => "order",
            Tasks => "tasks",
            Summary => "summary",
            Advice => "advice",
            Book { .. } => "book",
            CancelVisit { .. } => "cancel_visit",
            Task { .. } => "task",
            NewClient { .. } => "new_client",
            Expense { .. } => "expense",
            Income { .. } => "income",
            OrderReady { .. } => "order_ready",
            DayOff { .. } => "dayoff",
            Goal(_) => "goal",
            Unknown => "unknown",
        }
    }

    /// Writes change the data: they are shown as a confirmation card and run only on its tap.
    pub fn is_write(&self) -> bool {
        use Action::*;
        matches!(
            self,
            Book { .. }
                | CancelVisit { .. }
                | Task { .. }
                | NewClient { .. }
                | Expense { .. }
                | Income { .. }
                | OrderReady { .. }
                | DayOff { .. }
                | Goal(_)
        )
    }

    /// The arguments as JSON (the tool call's and the phrase sets' form).
    pub fn args(&self) -> Value {
        use Action::*;
        let mut m = Map::new();
        let mut put = |k: &str, v: Value| {
            m.insert(k.to_string(), v);
        };
        match self {
            Visits { period } | NoShows { period } | Revenue { period } | Expenses { period } => {
                put("period", period_json(period))
            }
            Report { kind, period } => {
                put("kind", json!(report_code(*kind)));
                put("period", period_json(period));
            }
            FindClient { client } => put("client", json!(client)),
            Orders { status } => put(
                "status",
                json!(match status {
                    OrderFilter::Open => "open",
                    OrderFilter::Ready => "ready",
                    OrderFilter::Unpaid => "unpaid",
                }),
            ),
            Order { number } | OrderReady { number } => put("number", json!(number)),
            Tasks | Summary | Advice | Unknown => {}
            Book { client, date, time } => {
                put("client", json!(client));
                put("date", json!(date.to_string()));
                put("time", hm(*time));
            }
            CancelVisit { client, date } => {
                put("client", json!(client));
                if let Some(d) = date {
                    put("date", json!(d.to_string()));
                }
            }
            Task { text, date, time } => {
                put("text", json!(text));
                if let Some(d) = date {
                    put("date", json!(d.to_string()));
                }
                if let Some(t) = time {
                    put("time", hm(*t));
                }
            }
            NewClient { name, phone } => {
                put("name", json!(name));
                put("phone", json!(phone.as_str()));
            }
            Expense { amount, category, date } => {
                put("amount", uah(*amount));
                put("category", json!(category));
                if let Some(d) = date {
                    put("date", json!(d.to_string()));
                }
            }
            Income { order, amount, method } => {
                put("order", json!(order));
                put("amount", uah(*amount));
                put("method", json!(method.code()));
            }
            DayOff { date } => put("date", json!(date.to_string())),
            Goal(crate::core::ask::action::Goal::Orders(n)) => put("orders", json!(n)),
            Goal(crate::core::ask::action::Goal::Amount(a)) => put("amount", uah(*a)),
        }
        Value::Object(m)
    }

    pub fn to_json(&self) -> Value {
        json!({"action": self.name(), "args": self.args()})
    }

    /// Reads an action from its name and JSON arguments, checking every one; `None` for an
    /// unknown name, a missing or malformed argument, or a value out of range.
    pub fn from_json(name: &str, args: &Map<String, Value>) -> Option<Action> {
        let s = |k: &str| args.get(k).and_then(Value::as_str).map(str::trim).filter(|v| !v.is_empty());
        let text = |k: &str| s(k).filter(|v| v.chars().count() <= 200).map(str::to_string);
        let date = |k: &str| s(k).and_then(|v| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok());
        let time = |k: &str| s(k).and_then(|v| NaiveTime::parse_from_str(v, "%H:%M").ok());
        let int = |k: &str| {
            {
                let v = args.get(k)?;
                v.as_i64().or_else(|| v.as_str().and_then(|s| s.trim().trim_start_matches(['#', '№']).parse().ok()))
            }
            .filter(|n| (1..=10_000_000).contains(n))
        };
        let money = |k: &str| {
            let v = args.get(k)?;
            let k = match v {
                Value::Number(n) => (n.as_f64()? * 100.0).round() as i64,
                Value::String(s) => Money::parse(s).ok()?.kopecks(),
                _ => return None,
            };
            (1..=10_000_000_000).contains(&k).then_some(Money::from_kopecks(k))
        };
        let period = || {
            let (a, b) = s("period")?.split_once("..")?;
            let from = NaiveDate::parse_from_str(a.trim(), "%Y-%m-%d").ok()?;
            let to = NaiveDate::parse_from_str(b.trim(), "%Y-%m-%d").ok()?;
            (from <= to && (to - from).num_days() <= 366).then_some(Period { from, to })
        };
        Some(match name {
            "visits" => Action::Visits { period: period()? },
            "no_shows" => Action::NoShows { period: period()? },
            "revenue" => Action::Revenue { period: period()? },
            "expenses" => Action::Expenses { period: period()? },
            "report" => Action::Report {
                kind: ReportKind::ALL.into_iter().find(|k| Some(report_code(*k)) == s("kind"))?,
                period: period()?,
            },
            "find_client" => Action::FindClient { client: text("client")? },
            "orders" => Action::Orders {
                status: match s("status").unwrap_or("open") {
                    "open" => OrderFilter::Open,
                    "ready" => OrderFilter::Ready,
                    "unpaid" => OrderFilter::Unpaid,
                    _ => return None,
                },
            },
            "order" => Action::Order { number: int("number")? },
            "tasks" => Action::Tasks,
            "summary" => Action::Summary,
            "advice" => Action::Advice,
            "book" => Action::Book { client: text("client")?, date: date("date")?, time: time("time")? },
            "cancel_visit" => Action::CancelVisit { client: text("client")?, date: date("date") },
            "task" => Action::Task { text: text("text")?, date: date("date"), time: time("time") },
            "new_client" => Action::NewClient { name: text("name")?, phone: Phone::parse(s("phone")?).ok()? },
            "expense" => Action::Expense { amount: money("amount")?, category: text("category")?, date: date("date") },
            "income" => Action::Income {
                order: int("order")?,
                amount: money("amount")?,
                method: PayMethod::from_code(s("method").unwrap_or("cash"))?,
            },
            "order_ready" => Action::OrderReady { number: int("number")? },
            "dayoff" => Action::DayOff { date: date("date")? },
            "goal" => match (int("orders"), money("amount")) {
                (Some(n), None) => Action::Goal(Goal::Orders(n)),
                (None, Some(a)) => Action::Goal(Goal::Amount(a)),
                _ => return None,
            },
            "unknown" => Action::Unknown,
            _ => return None,
        })
    }

    /// `{"action": .., "args": {..}}`.
    pub fn from_value(v: &Value) -> Option<Action> {
        let empty = Map::new();
        Action::from_json(v.get("action")?.as_str()?, v.get("args").and_then(Value::as_object).unwrap_or(&empty))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_round_trips_through_its_json() {
        let d = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap();
        let p = Period { from: d, to: d };
        let t = NaiveTime::from_hms_opt(15, 0, 0).unwrap();
        let all = vec![
            Action::Visits { period: p },
            Action::Report { kind: ReportKind::Marketing, period: p },
            Action::Orders { status: OrderFilter::Unpaid },
            Action::Book { client: "Марія".into(), date: d, time: t },
            Action::CancelVisit { client: "Олена Коваль".into(), date: None },
            Action::Task { text: "подзвонити Ігорю".into(), date: Some(d), time: None },
            Action::NewClient { name: "Оля".into(), phone: Phone::parse("0671234567").unwrap() },
            Action::Expense { amount: Money::from_kopecks(120050), category: "оренда".into(), date: None },
            Action::Income { order: 17, amount: Money::from_kopecks(130000), method: PayMethod::Terminal },
            Action::Goal(Goal::Orders(20)),
            Action::Goal(Goal::Amount(Money::from_kopecks(6_000_000))),
            Action::Unknown,
        ];
        for a in all {
            assert_eq!(Action::from_value(&a.to_json()), Some(a.clone()), "{}", a.to_json());
        }
        assert_eq!(NAMES.len(), 21);
    }

    #[test]
    fn bad_arguments_are_no_action() {
        let bad = [
            json!({"action": "delete_everything", "args": {}}),
            json!({"action": "book", "args": {"client": "Марія", "date": "2026-13-40", "time": "15:00"}}),
            json!({"action": "order", "args": {"number": -3}}),
            json!({"action": "income", "args": {"order": 3, "amount": 100, "method": "bitcoin"}}),
            json!({"action": "new_client", "args": {"name": "Оля", "phone": "12"}}),
            json!({"action": "visits", "args": {"period": "2026-12-06..2026-11-30"}}),
        ];
        for v in bad {
            assert_eq!(Action::from_value(&v), None, "{v}");
        }
    }
}
