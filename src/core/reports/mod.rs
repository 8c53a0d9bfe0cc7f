//! `/report`: the six dashboards of the vision (sales, marketing, customers, finance, operations,
//! the assistant), each a short text and a bar chart, for today, this week, this month or a typed
//! range (`01.11-15.11`), against the previous period of the same length. `/goal` sets the month's
//! target; `/dashboard` sends a login link to the same reports on a web page.
//!
//! A report is built by [`build`] from (kind, period, language) with no chat context, so the chat,
//! the web page and the e-mail of reports all call the same function.
//!
//! Layout: this file has the buttons, the command and [`build`]; `span.rs` turns calendar days of
//! the business time zone into UTC windows and folds hourly series into days; one file per report
//! (`sales`, `marketing`, `customers`, `finances`, `operations`, `ai`); `goal.rs` `/goal`;
//! `web_login.rs` the dashboard's signed link.

pub mod ai;
pub mod customers;
pub mod finances;
pub mod goal;
pub mod marketing;
pub mod operations;
pub mod pushed;
pub mod pushed_switch;
pub mod sales;
pub mod span;
pub mod web_login;

use super::callback::callbacks;
use super::{dialog, Button, Core, CoreError, CoreResult, Ctx, Output, Reply};
use crate::charts::Chart;
use crate::domain::period::{Period, PeriodError, Preset};
use crate::i18n::{Lang, Tr};
use serde::{Deserialize, Serialize};
use span::Span;

/// Which of the six reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Sales,
    Marketing,
    Customers,
    Finance,
    Operations,
    Ai,
}

impl ReportKind {
    pub const ALL: [ReportKind; 6] = [
        ReportKind::Sales,
        ReportKind::Marketing,
        ReportKind::Customers,
        ReportKind::Finance,
        ReportKind::Operations,
        ReportKind::Ai,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ReportKind::Sales => "sales",
            ReportKind::Marketing => "mkt",
            ReportKind::Customers => "cust",
            ReportKind::Finance => "fin",
            ReportKind::Operations => "ops",
            ReportKind::Ai => "ai",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// The report a typed word names (Ukrainian, Russian or English).
    pub fn from_word(w: &str) -> Option<Self> {
        Some(match w.to_lowercase().as_str() {
            "sales" | "продажі" | "продажи" | "продаж" => ReportKind::Sales,
            "marketing" | "маркетинг" | "ліди" | "mkt" => ReportKind::Marketing,
            "customers" | "clients" | "клієнти" | "клиенты" | "cust" => ReportKind::Customers,
            "finance" | "фінанси" | "финансы" | "гроші" | "fin" => ReportKind::Finance,
            "operations" | "операції" | "робота" | "ops" => ReportKind::Operations,
            "ai" | "assistant" | "асистент" | "ші" => ReportKind::Ai,
            _ => return None,
        })
    }

    /// The Fluent key of its name.
    pub fn title_key(self) -> &'static str {
        match self {
            ReportKind::Sales => "report-sales",
            ReportKind::Marketing => "report-marketing",
            ReportKind::Customers => "report-customers",
            ReportKind::Finance => "report-finance",
            ReportKind::Operations => "report-operations",
            ReportKind::Ai => "report-ai",
        }
    }
}

crate::core::callback::coded_field!(ReportKind);

callbacks! {
    /// Buttons of the reports.
    pub enum ReportCb {
        /// The six reports.
        Menu => "rpm",
        /// A report for today, this week or this month.
        Show(kind: ReportKind, preset: Preset) => "rp",
        /// Asks for a range of days to type.
        Custom(kind: ReportKind) => "rpc",
        /// The login link to the web dashboard.
        Dashboard => "rpd",
    }
}

/// The typed step: a range of days for a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ReportDialog {
    ReportRange { report: String },
}

/// A report, ready for any channel: its text and its chart (PNG).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportView {
    pub text: String,
    pub chart_png: Vec<u8>,
}

/// The report `kind` over `period` in `lang`, chart rendered.
pub async fn build(core: &Core, kind: ReportKind, period: Period, lang: Lang) -> anyhow::Result<ReportView> {
    let (text, chart) = compute(core, kind, period, lang).await?;
    Ok(ReportView { text, chart_png: crate::charts::render(&chart) })
}

/// The report's numbers as text, and its chart still as data (the benchmark times both halves).
pub async fn compute(core: &Core, kind: ReportKind, period: Period, lang: Lang) -> anyhow::Result<(String, Chart)> {
    let tr = Tr { i18n: core.i18n(), lang };
    let span = Span::new(period, core.config().tz);
    let now = crate::store::now();
    let (body, chart) = match kind {
        ReportKind::Sales => sales::report(core, &tr, &span, now).await?,
        ReportKind::Marketing => marketing::report(core, &tr, &span).await?,
        ReportKind::Customers => customers::report(core, &tr, &span, now).await?,
        ReportKind::Finance => finances::report(core, &tr, &span).await?,
        ReportKind::Operations => operations::report(core, &tr, &span, now).await?,
        ReportKind::Ai => ai::report(core, &tr, &span).await?,
    };
    let prev = span.previous();
    let head = tr.t_args(
        "report-head",
        &[
            ("title", tr.t(kind.title_key()).into()),
            ("period", span::range_text(period).into()),
            ("previous", span::range_text(prev.period).into()),
        ],
    );
    Ok((format!("{head}\n\n{body}"), chart))
}

/// Today in the business time zone.
pub fn today(core: &Core) -> chrono::NaiveDate {
    crate::store::now().with_timezone(&core.config().tz).date_naive()
}

/// `/report [kind] [period]`: the menu, or the report typed.
pub async fn command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let mut words = args.split_whitespace();
    let Some(first) = words.next() else { return Ok(menu(ctx)) };
    if pushed_switch::is_command(&first.to_lowercase()) {
        return pushed_switch::command(ctx, first, &words.collect::<Vec<_>>()).await;
    }
    let Some(kind) = ReportKind::from_word(first) else {
        return Err(CoreError::user("report-usage"));
    };
    let rest: Vec<&str> = words.collect();
    let period = parse_period(ctx, &rest.join(" "))?;
    show(ctx, kind, period).await
}

fn parse_period(ctx: &Ctx<'_>, text: &str) -> CoreResult<Period> {
    Period::parse(text, today(ctx.core)).map_err(|e| match e {
        PeriodError::Unknown | PeriodError::Date(_) => CoreError::user("report-err-period"),
        PeriodError::Reversed => CoreError::user("report-err-reversed"),
        PeriodError::Future => CoreError::user("report-err-future"),
    })
}

fn menu(ctx: &Ctx<'_>) -> Output {
    let mut rows: Vec<Vec<Button>> = ReportKind::ALL
        .chunks(2)
        .map(|pair| pair.iter().map(|k| Button::new(ctx.t(k.title_key()), ReportCb::Show(*k, Preset::Month))).collect())
        .collect();
    rows.push(vec![Button::new(ctx.t("btn-report-dashboard"), ReportCb::Dashboard)]);
    Output::one(Reply::text(ctx.t("report-menu")).with_buttons(rows).editing(ctx.from_button))
}

/// The report as a photo and its text with the period buttons.
pub async fn show(ctx: &Ctx<'_>, kind: ReportKind, period: Period) -> CoreResult {
    let view = build(ctx.core, kind, period, ctx.tr.lang).await?;
    let presets =
        [(Preset::Today, "btn-report-today"), (Preset::Week, "btn-report-week"), (Preset::Month, "btn-report-month")];
    let rows = vec![
        presets.iter().map(|(p, key)| Button::new(ctx.t(key), ReportCb::Show(kind, *p))).collect(),
        vec![
            Button::new(ctx.t("btn-report-custom"), ReportCb::Custom(kind)),
            Button::new(ctx.t("btn-report-menu"), ReportCb::Menu),
        ],
    ];
    let mut reply = Reply::text(view.text).with_buttons(rows);
    reply.photo = Some(view.chart_png);
    Ok(Output::one(reply))
}

pub async fn on_button(ctx: &Ctx<'_>, cb: ReportCb) -> CoreResult {
    match cb {
        ReportCb::Menu => Ok(menu(ctx)),
        ReportCb::Show(kind, preset) => show(ctx, kind, preset.period(today(ctx.core))).await,
        ReportCb::Custom(kind) => {
            dialog::start(ctx, ReportDialog::ReportRange { report: kind.code().into() }, "report-ask-range").await
        }
        ReportCb::Dashboard => web_login::link(ctx).await,
    }
}

/// The owner typed the range.
pub async fn answer(ctx: &Ctx<'_>, d: ReportDialog, text: &str) -> CoreResult {
    let ReportDialog::ReportRange { report } = d;
    let kind = ReportKind::from_code(&report).unwrap_or(ReportKind::Sales);
    // A refused range keeps the step waiting for another try.
    let period = parse_period(ctx, text)?;
    dialog::clear(ctx).await?;
    show(ctx, kind, period).await
}

/// The business gauges of `/metrics`: this month's orders and revenue (from the hourly summary),
/// the cash book's month, escalations waiting and orders open for over two weeks.
pub async fn business_gauges(core: &Core) -> anyhow::Result<crate::metrics::Business> {
    use chrono::Datelike;
    let today = today(core);
    let span = Span::new(Period { from: today.with_day(1).unwrap_or(today), to: today }, core.config().tz);
    let store = core.store();
    let hours = store.order_hours(&span.whole()).await?;
    let live = hours.iter().filter(|h| h.status != "cancel");
    let cash = store.cash_totals(span.period.from, span.period.to).await?;
    let cash_sum = |kind: &str| cash.iter().filter(|t| t.kind == kind).map(|t| t.amount_kop).sum();
    Ok(crate::metrics::Business {
        revenue_month_kop: live.clone().map(|h| h.revenue_kop).sum(),
        orders_month: live.map(|h| h.orders).sum(),
        open_escalations: store.open_escalations().await?,
        orders_open_over_14_days: store.orders_open_since(crate::store::now() - chrono::Duration::days(14)).await?,
        cash_income_month_kop: cash_sum("income"),
        cash_expenses_month_kop: cash_sum("expense"),
    })
}
