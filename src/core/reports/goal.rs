//! `/goal 20 orders`, `/goal 60000 грн`: the month's target (this month, business time zone),
//! one per metric; the Sales report and the dashboard show progress against it. Bare `/goal`
//! shows the month's targets.

use crate::core::{CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::Money;
use crate::store::goals::GoalMetric;

/// The unit words of a goal (Ukrainian, Russian, English).
fn metric(word: &str) -> Option<GoalMetric> {
    Some(match word.trim_end_matches('.').to_lowercase().as_str() {
        "orders" | "order" | "замовлень" | "замовлення" | "замовлень." | "заказов" | "заказа" | "зам" => {
            GoalMetric::Orders
        }
        "грн" | "uah" | "hrn" | "₴" | "гривень" | "гривні" | "revenue" | "виручка" | "виручки" => {
            GoalMetric::Revenue
        }
        _ => return None,
    })
}

pub async fn command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let month = super::today(ctx.core).format("%Y-%m").to_string();
    if args.trim().is_empty() {
        let (orders, revenue) = ctx.store().goals(&month).await?;
        let mut text = ctx.t_args("goal-current", &[("month", month.as_str().into())]);
        let none = orders.is_none() && revenue.is_none();
        if let Some(n) = orders {
            text.push_str(&format!("\n{}", ctx.t_args("goal-orders", &[("count", n.into())])));
        }
        if let Some(k) = revenue {
            text.push_str(&format!(
                "\n{}",
                ctx.t_args("goal-revenue", &[("amount", Money::from_kopecks(k).to_string().into())])
            ));
        }
        if none {
            text.push_str(&format!("\n{}", ctx.t("goal-unset")));
        }
        text.push_str(&format!("\n\n{}", ctx.t("goal-usage")));
        return Ok(Output::one(Reply::text(text)));
    }
    let words: Vec<&str> = args.split_whitespace().collect();
    let unit_at = words.iter().position(|w| metric(w).is_some()).ok_or(CoreError::user("goal-usage"))?;
    let m = metric(words[unit_at]).ok_or(CoreError::user("goal-usage"))?;
    let number: String =
        words.iter().enumerate().filter(|(i, _)| *i != unit_at).map(|(_, w)| *w).collect::<Vec<_>>().join(" ");
    let target = match m {
        GoalMetric::Orders => number.trim().parse::<i64>().ok().filter(|n| (1..=100_000).contains(n)),
        GoalMetric::Revenue => Money::parse(&number).ok().map(Money::kopecks).filter(|k| *k > 0),
    }
    .ok_or(CoreError::user("goal-usage"))?;
    ctx.store().set_goal(&month, m, target).await?;
    let what = match m {
        GoalMetric::Orders => ctx.t_args("goal-orders", &[("count", target.into())]),
        GoalMetric::Revenue => {
            ctx.t_args("goal-revenue", &[("amount", Money::from_kopecks(target).to_string().into())])
        }
    };
    Ok(Output::one(Reply::text(ctx.t_args("goal-set", &[("month", month.into()), ("what", what.into())]))))
}
