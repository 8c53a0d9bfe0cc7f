//! The owner's links: `/link <campaign> [source]` gives the booking page's UTM link
//! (`PUBLIC_URL/book?utm_source=…&utm_medium=qr&utm_campaign=…`) and the Telegram deep link
//! (`https://t.me/<bot>?start=c-<campaign>`), each as a photo of its QR code (for an Instagram
//! bio, a flyer, a sticker at the door); `/ref <client>` (or the card's 🎁 button) gives a
//! client's personal referral code with the same two links. Texts only; the values are the
//! module's (`attribution::clean`, `Payload`).

use super::{clean, deep_link, referral, Payload};
use crate::core::card::ClientCb;
use crate::core::{Button, Core, CoreError, CoreResult, Ctx, Output, Reply};
use crate::domain::Phone;

/// A link as a reply: its QR code as the photo, the text under it.
fn link_reply(caption: String, url: &str) -> Reply {
    let mut r = Reply::text(format!("{caption}\n{url}"));
    r.photo = crate::charts::qr::png(url);
    r
}

/// The booking page's address with these query parameters, when `PUBLIC_URL` is set.
fn book_url(ctx: &Ctx<'_>, query: &str) -> Option<String> {
    let base = ctx.core.config().public_url.as_deref()?.trim_end_matches('/');
    Some(format!("{base}/book?{query}"))
}

/// The booking page's campaign link (`utm_source`, `utm_medium`, `utm_campaign`: values that
/// passed [`clean`]), when `PUBLIC_URL` is set: what `/link` prints and approved posts carry.
pub fn utm_url(core: &Core, source: &str, medium: &str, campaign: &str) -> Option<String> {
    let base = core.config().public_url.as_deref()?.trim_end_matches('/');
    Some(format!("{base}/book?utm_source={source}&utm_medium={medium}&utm_campaign={campaign}"))
}

/// `/link <campaign> [source]`.
pub async fn command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let mut words = args.split_whitespace();
    let (Some(campaign), source, None) = (words.next(), words.next(), words.next()) else {
        return Ok(Output::one(Reply::text(ctx.t("link-usage"))));
    };
    // The deep link's payload is `c-<campaign>` within Telegram's 64 characters and alphabet.
    let campaign = clean(campaign).filter(|c| c.len() <= 60 && !c.contains('.'));
    let source = match source {
        Some(s) => clean(s),
        None => Some("qr".to_string()),
    };
    let (Some(campaign), Some(source)) = (campaign, source) else {
        return Err(CoreError::user("link-bad-campaign"));
    };
    let mut replies = vec![];
    if let Some(url) = utm_url(ctx.core, &source, "qr", &campaign) {
        replies.push(link_reply(ctx.t_args("link-book", &[("campaign", campaign.as_str().into())]), &url));
    }
    if let Some(url) = deep_link(ctx.core, &Payload::Campaign(campaign.clone())) {
        replies.push(link_reply(ctx.t_args("link-telegram", &[("campaign", campaign.as_str().into())]), &url));
    }
    if replies.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("link-no-address"))));
    }
    replies.push(Reply::text(ctx.t_args("link-report-hint", &[("campaign", campaign.as_str().into())])));
    tracing::info!(campaign = %campaign, "campaign links made");
    Ok(Output::many(replies))
}

/// `/ref <client>`: by number, phone or name (a few matches offer buttons).
pub async fn ref_command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let who = args.trim().trim_start_matches('#');
    if who.is_empty() {
        return Ok(Output::one(Reply::text(ctx.t("ref-usage"))));
    }
    // A phone first (its digits would parse as a number too), then a card's number.
    if let Ok(phone) = Phone::parse(who) {
        return match ctx.store().client_by_phone(&phone).await? {
            Some(c) => show(ctx, c.id).await,
            None => Err(CoreError::user_with("order-no-client", vec![("query", who.into())])),
        };
    }
    if let Ok(id) = who.parse::<i64>() {
        return show(ctx, id).await;
    }
    let found = ctx.store().search_clients(who, 10).await?;
    match found.as_slice() {
        [] => Err(CoreError::user_with("order-no-client", vec![("query", who.into())])),
        [one] => show(ctx, one.id).await,
        many => {
            let rows = many.iter().map(|c| vec![Button::new(c.full_name.clone(), ClientCb::Referral(c.id))]).collect();
            Ok(Output::one(Reply::text(ctx.t("ref-pick")).with_buttons(rows)))
        }
    }
}

/// A client's code, her links and what she has earned.
pub async fn show(ctx: &Ctx<'_>, client: i64) -> CoreResult {
    let card = match ctx.store().client_any(client).await? {
        Some(c) if c.source.as_deref() != Some(crate::store::forget::DELETED) => c,
        _ => return Err(CoreError::NotFound),
    };
    let code = referral::code_for(ctx.core, client).await?;
    let credit = crate::domain::Money::from_kopecks(ctx.store().open_credit(client).await?).to_string();
    let mut text = ctx.t_args(
        "ref-card",
        &[("name", card.full_name.as_str().into()), ("code", code.as_str().into()), ("credit", credit.into())],
    );
    let mut replies = vec![];
    let payload = Payload::Referral(code.clone());
    if let Some(url) = deep_link(ctx.core, &payload) {
        replies.push(link_reply(ctx.t("ref-telegram"), &url));
    }
    if let Some(url) = book_url(ctx, &format!("ref={code}")) {
        replies.push(link_reply(ctx.t("ref-book"), &url));
    }
    if replies.is_empty() {
        text.push('\n');
        text.push_str(&ctx.t("link-no-address"));
    }
    let back = vec![vec![Button::new(ctx.t("btn-open-card"), ClientCb::Card(client))]];
    replies.insert(0, Reply::text(text).with_buttons(back));
    Ok(Output::many(replies))
}
