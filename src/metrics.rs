//! Prometheus metrics in text exposition format, without a metrics framework: a handful of
//! atomics is all one process needs.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the handler latency histogram, in seconds.
const BUCKETS: [f64; 10] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1.0];

#[derive(Debug, Default)]
pub struct Metrics {
    updates: AtomicU64,
    errors: AtomicU64,
    send_failures: AtomicU64,
    buckets: [AtomicU64; BUCKETS.len()],
    latency_sum_micros: AtomicU64,
    assistant_answered: AtomicU64,
    assistant_escalated: AtomicU64,
    /// Open HTTP connections (a gauge kept by the accept loop).
    pub http_connections: std::sync::atomic::AtomicI64,
}

/// Gauges read from the database at scrape time.
#[derive(Debug, Default, Clone, Copy)]
pub struct Gauges {
    pub clients: i64,
    pub open_orders: i64,
    pub tasks_due: i64,
    pub jobs_due: i64,
    pub jobs_failed: i64,
    pub jobs_in_doubt: i64,
    /// LLM engine calls and fallbacks to the offline engine since start (0 without an LLM).
    pub llm_calls: i64,
    pub llm_fallbacks: i64,
    /// Ledger writes and card reads on the direct SQLite connection since start, and those that
    /// went through the pool instead (store/direct).
    pub direct: i64,
    pub direct_fallbacks: i64,
    /// The business at a glance (issue 15), read at scrape time.
    pub business: Business,
}

/// Business gauges: this month in the business time zone, and what waits for the owner.
#[derive(Debug, Default, Clone, Copy)]
pub struct Business {
    pub revenue_month_kop: i64,
    pub orders_month: i64,
    pub open_escalations: i64,
    pub orders_open_over_14_days: i64,
    pub cash_income_month_kop: i64,
    pub cash_expenses_month_kop: i64,
}

impl Metrics {
    pub fn observe_update(&self, took: Duration) {
        self.updates.fetch_add(1, Ordering::Relaxed);
        let secs = took.as_secs_f64();
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_sum_micros.fetch_add(took.as_micros() as u64, Ordering::Relaxed);
    }

    pub fn error(&self) {
        self.errors.fetch_add(1, Ordering::Relaxed);
    }

    pub fn send_failure(&self) {
        self.send_failures.fetch_add(1, Ordering::Relaxed);
    }

    /// A client message the assistant answered by itself (`escalated` false) or gave the owner.
    pub fn assistant(&self, escalated: bool) {
        let c = if escalated { &self.assistant_escalated } else { &self.assistant_answered };
        c.fetch_add(1, Ordering::Relaxed);
    }

    pub fn updates(&self) -> u64 {
        self.updates.load(Ordering::Relaxed)
    }

    pub fn render(&self, gauges: Gauges) -> String {
        let mut out = String::with_capacity(2048);
        let updates = self.updates.load(Ordering::Relaxed);
        let _ = writeln!(out, "# HELP insoles_updates_total Inputs handled by the core (all channels).");
        let _ = writeln!(out, "# TYPE insoles_updates_total counter");
        let _ = writeln!(out, "insoles_updates_total {updates}");
        let _ = writeln!(out, "# HELP insoles_errors_total Inputs that failed with an internal error.");
        let _ = writeln!(out, "# TYPE insoles_errors_total counter");
        let _ = writeln!(out, "insoles_errors_total {}", self.errors.load(Ordering::Relaxed));
        let _ = writeln!(out, "# HELP insoles_send_failures_total Replies a channel failed to deliver.");
        let _ = writeln!(out, "# TYPE insoles_send_failures_total counter");
        let _ = writeln!(out, "insoles_send_failures_total {}", self.send_failures.load(Ordering::Relaxed));
        let _ = writeln!(out, "# HELP insoles_handler_seconds Time to handle one input in the core.");
        let _ = writeln!(out, "# TYPE insoles_handler_seconds histogram");
        for (i, le) in BUCKETS.iter().enumerate() {
            let _ = writeln!(
                out,
                "insoles_handler_seconds_bucket{{le=\"{le}\"}} {}",
                self.buckets[i].load(Ordering::Relaxed)
            );
        }
        let _ = writeln!(out, "insoles_handler_seconds_bucket{{le=\"+Inf\"}} {updates}");
        let sum = self.latency_sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "insoles_handler_seconds_sum {sum}");
        let _ = writeln!(out, "insoles_handler_seconds_count {updates}");
        for (name, help, v) in [
            (
                "insoles_assistant_answered_total",
                "Client messages the assistant answered by itself.",
                &self.assistant_answered,
            ),
            ("insoles_assistant_escalated_total", "Client messages handed to the owner.", &self.assistant_escalated),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} counter");
            let _ = writeln!(out, "{name} {}", v.load(Ordering::Relaxed));
        }
        for (name, help, v) in [
            ("insoles_llm_calls", "Calls made to the LLM since start.", gauges.llm_calls),
            (
                "insoles_llm_fallbacks",
                "Messages the offline engine answered because the LLM failed.",
                gauges.llm_fallbacks,
            ),
            (
                "insoles_sqlite_direct",
                "Ledger writes and card reads done on the direct SQLite connection.",
                gauges.direct,
            ),
            (
                "insoles_sqlite_direct_fallbacks",
                "Ledger writes and card reads that went through the pool (direct connection busy or failed).",
                gauges.direct_fallbacks,
            ),
            ("insoles_clients", "Clients in the database.", gauges.clients),
            ("insoles_http_connections", "Open HTTP connections.", self.http_connections.load(Ordering::Relaxed)),
            ("insoles_open_orders", "Orders not yet issued or cancelled.", gauges.open_orders),
            ("insoles_tasks_due", "Open tasks whose due time has passed.", gauges.tasks_due),
            ("insoles_jobs_due", "Pending jobs whose due time has passed.", gauges.jobs_due),
            ("insoles_jobs_failed", "Jobs that failed for good.", gauges.jobs_failed),
            ("insoles_jobs_in_doubt", "Jobs reclaimed after a crash while running (sent again).", gauges.jobs_in_doubt),
            ("insoles_orders_month", "Orders taken this month (not cancelled).", gauges.business.orders_month),
            (
                "insoles_open_escalations",
                "Client messages handed to the owner, not yet answered.",
                gauges.business.open_escalations,
            ),
            (
                "insoles_orders_open_over_14_days",
                "Orders new or in production for more than 14 days.",
                gauges.business.orders_open_over_14_days,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{name} {v}");
        }
        for (name, help, kop) in [
            (
                "insoles_revenue_month_uah",
                "Prices of orders taken this month (not cancelled), UAH.",
                gauges.business.revenue_month_kop,
            ),
            (
                "insoles_cash_income_month_uah",
                "Money received this month (cash book), UAH.",
                gauges.business.cash_income_month_kop,
            ),
            (
                "insoles_cash_expenses_month_uah",
                "Expenses this month (cash book), UAH.",
                gauges.business.cash_expenses_month_kop,
            ),
        ] {
            let _ = writeln!(out, "# HELP {name} {help}");
            let _ = writeln!(out, "# TYPE {name} gauge");
            let _ = writeln!(out, "{name} {}.{:02}", kop / 100, (kop % 100).abs());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_is_cumulative() {
        let m = Metrics::default();
        m.observe_update(Duration::from_micros(300));
        m.observe_update(Duration::from_millis(20));
        let text = m.render(Gauges::default());
        assert!(text.contains("insoles_updates_total 2"));
        assert!(text.contains("insoles_handler_seconds_bucket{le=\"0.0005\"} 1"));
        assert!(text.contains("insoles_handler_seconds_bucket{le=\"0.025\"} 2"));
        assert!(text.contains("insoles_handler_seconds_bucket{le=\"+Inf\"} 2"));
    }
}
