//! Attribution end to end: where each lead came from, stored once on her card (first touch) and
//! followed to her bookings, orders and payments by her client id (the Marketing report reads the
//! trigger-kept `attribution_hours`, `store::attribution`).
//!
//! The touches: a Telegram deep link (`/start c-<campaign>`, `/start r-<referral code>`, or any
//! older payload taken as a campaign), the booking page's `utm_source/utm_medium/utm_campaign` and
//! `ref`, Instagram DMs and the owner's own cards (their `source` when the card is made). Outside
//! input is hostile: every value is cleaned here ([`clean`]: at most 64 characters of
//! `[a-z0-9_.-]`, lower-cased) before anything is stored, and a payload that does not parse
//! stores nothing.
//!
//! Layout: this file (values, payloads, the two touch points), `links.rs` (`/link <campaign>`:
//! ready links with QR codes), `referral.rs` (the referral programme).

pub mod links;
pub mod referral;

use super::booking::place::Placed;
use super::clients::find::{self, Known};
use super::{Core, CoreResult, Ctx};
use crate::store::attribution::Touch;
use std::collections::BTreeMap;

/// The longest value stored (a Telegram `start` payload is at most 64 characters too).
pub const MAX_VALUE: usize = 64;

/// A campaign, source or medium as stored: trimmed, lower-cased, 1..=64 characters of
/// `[a-z0-9_.-]`; anything else is refused (`None`), never truncated into something else.
pub fn clean(raw: &str) -> Option<String> {
    let v = raw.trim();
    let ok = !v.is_empty()
        && v.len() <= MAX_VALUE
        && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
    ok.then(|| v.to_ascii_lowercase())
}

/// What a Telegram deep link's `start` payload says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Payload {
    /// `c-<campaign>` (what `/link` makes), or an older payload taken whole as the campaign.
    Campaign(String),
    /// `r-<code>`: a client's personal referral code.
    Referral(String),
}

impl Payload {
    /// Parses a payload: at most 64 characters of `[A-Za-z0-9_-]` (Telegram's own rule), else `None`.
    pub fn parse(raw: &str) -> Option<Payload> {
        let p = raw.trim();
        if p.is_empty() || p.len() > MAX_VALUE || !p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return None;
        }
        if let Some(code) = p.strip_prefix("r-") {
            return referral::valid_code(code).then(|| Payload::Referral(code.to_string()));
        }
        clean(p.strip_prefix("c-").unwrap_or(p)).map(Payload::Campaign)
    }

    /// The payload of a deep link (at most 64 characters: campaigns are checked at `/link`).
    pub fn encode(&self) -> String {
        match self {
            Payload::Campaign(c) => format!("c-{c}"),
            Payload::Referral(code) => format!("r-{code}"),
        }
    }
}

/// `https://t.me/<bot>?start=<payload>`, when the bot's username is configured.
pub fn deep_link(core: &Core, payload: &Payload) -> Option<String> {
    let bot = core.config().referrals.bot_username.as_deref()?;
    Some(format!("https://t.me/{bot}?start={}", payload.encode()))
}

/// `/start <payload>` from a client in the bot: a campaign's lead gets her card now (a lead is a
/// lead before she writes), with the campaign as her first touch; a referral code goes to the
/// referral rules. Returns a line for the welcome, if any. A payload that does not parse, or a
/// code that finds no one, writes nothing.
pub async fn on_start(ctx: &Ctx<'_>, raw: &str) -> CoreResult<Option<String>> {
    let Some(payload) = Payload::parse(raw) else {
        if !raw.trim().is_empty() {
            tracing::info!(len = raw.len(), "start payload refused");
        }
        return Ok(None);
    };
    let Some(tg) = super::booking::client::telegram_id(ctx).filter(|_| ctx.actor.channel == super::Channel::Telegram)
    else {
        return Ok(None);
    };
    match payload {
        Payload::Campaign(campaign) => {
            ctx.store().set_visitor_ref(&ctx.actor_key, raw.trim()).await?;
            let name = super::booking::client::actor_name(ctx);
            let card = find::find_or_create(ctx.store(), Known::Telegram(tg), &name, ctx.channel()).await?;
            let touch = Touch { source: "telegram".into(), campaign: Some(campaign), medium: Some("deeplink".into()) };
            if ctx.store().attribute(card, &touch).await? {
                tracing::info!(client = card, campaign = ?touch.campaign, "lead attributed to a deep link");
            }
            Ok(None)
        }
        Payload::Referral(code) => referral::from_telegram(ctx, tg, &code, raw.trim()).await,
    }
}

/// The touch a booking page's tracking parameters make: `utm_source` (else `web`),
/// `utm_campaign`, `utm_medium`, each cleaned (a value that does not clean is dropped).
pub fn web_touch(track: &BTreeMap<String, String>) -> Touch {
    let get = |k: &str| track.get(k).and_then(|v| clean(v));
    Touch {
        source: get("utm_source").unwrap_or_else(|| "web".into()),
        campaign: get("utm_campaign"),
        medium: get("utm_medium"),
    }
}

/// After a booking from the page (not a repeat of the same submit): her card's first touch from
/// the page's tracking parameters, and the referral code she came with or typed (`ref`).
pub async fn after_web_booking(
    core: &Core,
    placed: &Placed,
    track: &BTreeMap<String, String>,
    phone: &crate::domain::Phone,
) -> CoreResult<()> {
    if placed.repeat {
        return Ok(());
    }
    let client = placed.booking.client_id;
    let mut touch = web_touch(track);
    if let Some(code) = track.get("ref").map(|c| c.trim()).filter(|c| !c.is_empty()) {
        let code = code.strip_prefix("r-").unwrap_or(code);
        // A typed contact matching a card is an existing client (or the referrer herself).
        let existing = placed.claim.is_some();
        if referral::from_web(core, client, code, phone, existing).await? && !track.contains_key("utm_source") {
            touch.source = "referral".into();
        }
    }
    // The page always makes a card of its own with the booking (`booking::place`).
    core.store().attribute_new_card(client, &touch).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_cleaned_or_refused() {
        assert_eq!(clean(" Spring_2027 "), Some("spring_2027".into()));
        assert_eq!(clean("ig.story-1"), Some("ig.story-1".into()));
        assert_eq!(clean(""), None);
        assert_eq!(clean("весна"), None);
        assert_eq!(clean("a b"), None);
        assert_eq!(clean("<script>"), None);
        assert_eq!(clean(&"a".repeat(65)), None);
        assert_eq!(clean(&"a".repeat(64)).map(|v| v.len()), Some(64));
    }

    #[test]
    fn payloads_parse_and_round_trip() {
        assert_eq!(Payload::parse("c-spring"), Some(Payload::Campaign("spring".into())));
        assert_eq!(Payload::parse("ig_story_nov"), Some(Payload::Campaign("ig_story_nov".into())));
        assert_eq!(Payload::parse("r-0123456789abcdef"), Some(Payload::Referral("0123456789abcdef".into())));
        assert_eq!(Payload::parse("r-short"), None);
        assert_eq!(Payload::parse(&"x".repeat(65)), None);
        assert_eq!(Payload::parse("c-a.b"), None, "a dot is not in Telegram's payload alphabet");
        assert_eq!(Payload::parse("c-%00"), None);
        for p in [Payload::Campaign("spring".into()), Payload::Referral("0123456789abcdef".into())] {
            assert_eq!(Payload::parse(&p.encode()), Some(p));
        }
    }
}
