//! The assistant: clients' messages received per channel, how many it answered by itself and how
//! many it gave to the owner (the auto-answer rate), escalations still open, and the share of
//! routine work done without her (messages answered, reminders sent, bookings made without a
//! call); from the assistant's recorded decisions (`store::ai_decisions`), escalations by reason
//! (top five), the intents asked about, and the share of negative messages against the previous
//! period.

use super::marketing::channel_name;
use super::span::{change, share, Span};
use crate::charts::{Chart, Series};
use crate::core::Core;
use crate::i18n::Tr;
use crate::store::ai_decisions::AiDecisions;
use std::collections::BTreeMap;

pub async fn report(core: &Core, tr: &Tr<'_>, s: &Span) -> anyhow::Result<(String, Chart)> {
    let store = core.store();
    let prev = s.previous();
    // Side by side on the pool's connections: a report is several independent reads.
    let (w, pw) = (s.windows(), prev.whole());
    let (inbound, escalated, p_in, p_esc) = tokio::try_join!(
        store.messages_in_by_hour(&w),
        store.escalations_by_hour(&w),
        store.messages_in_by_hour(&pw),
        store.escalations_by_hour(&pw),
    )?;
    let p_in: i64 = p_in.iter().map(|r| r.count).sum();
    let p_esc: i64 = p_esc.iter().map(|r| r.count).sum();
    let received: i64 = inbound.iter().map(|r| r.count).sum();
    let esc: i64 = escalated.iter().map(|r| r.count).sum();
    let auto = (received - esc).max(0);
    let p_auto = (p_in - p_esc).max(0);
    let mut t = vec![tr.t_args(
        "report-ai-received",
        &[("count", received.into()), ("change", change(received as f64, p_in as f64).into())],
    )];
    let mut by_channel: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for r in &inbound {
        by_channel.entry(r.label.as_str()).or_default().0 += r.count;
    }
    for r in &escalated {
        by_channel.entry(r.label.as_str()).or_default().1 += r.count;
    }
    for (ch, (n, e)) in &by_channel {
        t.push(tr.t_args(
            "report-ai-channel",
            &[("channel", channel_name(tr, ch).into()), ("count", (*n).into()), ("escalated", (*e).into())],
        ));
    }
    t.push(tr.t_args(
        "report-ai-auto",
        &[("count", auto.into()), ("rate", share(auto, received).into()), ("before", share(p_auto, p_in).into())],
    ));
    t.push(
        tr.t_args("report-ai-escalated", &[("count", esc.into()), ("open", store.open_escalations().await?.into())]),
    );
    let reminders = store.reminders_sent(s.start, s.end).await?;
    let bookings = store.bookings_by_channel(s.start, s.end).await?;
    let all_bookings: i64 = bookings.iter().map(|b| b.bookings).sum();
    let by_owner: i64 = bookings.iter().filter(|b| b.channel == "owner").map(|b| b.bookings).sum();
    t.push(tr.t_args(
        "report-ai-routine",
        &[
            ("answered", share(auto, received).into()),
            ("reminders", reminders.into()),
            ("self_booked", share(all_bookings - by_owner, all_bookings).into()),
        ],
    ));
    decisions(tr, &mut t, store.ai_decisions(s.start, s.end).await?, store.ai_decisions(prev.start, prev.end).await?);
    let chart = Chart {
        title: tr.t("report-ai-chart"),
        labels: s.labels(),
        series: vec![
            Series {
                name: tr.t("report-ai-chart-in"),
                values: s.fold(inbound.iter().map(|r| (r.hour.as_str(), r.count as f64))),
            },
            Series {
                name: tr.t("report-ai-chart-escalated"),
                values: s.fold(escalated.iter().map(|r| (r.hour.as_str(), r.count as f64))),
            },
        ],
        empty_note: tr.t("report-chart-empty"),
    };
    Ok((t.join("\n"), chart))
}

/// Escalations by reason, intents and the negative share, or that nothing was analysed.
fn decisions(tr: &Tr<'_>, t: &mut Vec<String>, now: AiDecisions, before: AiDecisions) {
    if now.analysed == 0 {
        t.push(tr.t("report-ai-none-analysed"));
        return;
    }
    if !now.reasons.is_empty() {
        t.push(tr.t("report-ai-reasons"));
        for (reason, count) in &now.reasons {
            t.push(tr.t_args("report-ai-reason", &[("reason", reason.as_str().into()), ("count", (*count).into())]));
        }
    }
    let intents: Vec<String> = now
        .intents
        .iter()
        .map(|(intent, n)| {
            let key = format!("report-ai-intent-{intent}");
            let name = if tr.i18n.has(tr.lang, &key) { tr.t(&key) } else { intent.clone() };
            format!("{name} {n}")
        })
        .collect();
    t.push(tr.t_args("report-ai-intents", &[("list", intents.join(", ").into())]));
    t.push(tr.t_args(
        "report-ai-sentiment",
        &[
            ("share", share(now.negative, now.analysed).into()),
            ("count", now.negative.into()),
            ("analysed", now.analysed.into()),
            ("before", share(before.negative, before.analysed).into()),
        ],
    ));
}
