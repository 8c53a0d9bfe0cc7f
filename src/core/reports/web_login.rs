//! The web dashboard's login link: `PUBLIC_URL/dashboard?token=<expiry>.<hmac>`, valid for
//! [`TTL_MINUTES`], signed with HMAC-SHA256 over the expiry with a key generated once and kept in
//! the database (never shown, never logged). Only the owner's chat can ask for one.

use crate::core::{Core, CoreResult, Ctx, Output, Reply};
use crate::secret::{hex, hmac_sha256_matches};
use chrono::{DateTime, Utc};

pub const TTL_MINUTES: i64 = 15;
const KEY_SETTING: &str = "dashboard_key";

async fn key(core: &Core) -> anyhow::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for the dashboard key: {e}"))?;
    Ok(core.store().setting_or_insert(KEY_SETTING, &hex(&bytes)).await?)
}

fn sign(key: &str, expiry: i64) -> String {
    use hmac::Mac;
    // An HMAC accepts a key of any length.
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).expect("any key length");
    mac.update(expiry.to_string().as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// A token valid until `now` + [`TTL_MINUTES`].
pub async fn token(core: &Core, now: DateTime<Utc>) -> anyhow::Result<String> {
    let expiry = (now + chrono::Duration::minutes(TTL_MINUTES)).timestamp();
    Ok(format!("{expiry}.{}", sign(&key(core).await?, expiry)))
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    Forged,
    Expired,
}

/// Checks a token: its signature (in constant time), then its expiry.
pub async fn verify(core: &Core, token: &str, now: DateTime<Utc>) -> anyhow::Result<Result<(), TokenError>> {
    let Some((expiry, sig)) = token.split_once('.') else { return Ok(Err(TokenError::Malformed)) };
    if expiry.len() > 12 || sig.len() != 64 {
        return Ok(Err(TokenError::Malformed));
    }
    let Ok(exp) = expiry.parse::<i64>() else { return Ok(Err(TokenError::Malformed)) };
    if !hmac_sha256_matches(&key(core).await?, expiry.as_bytes(), sig) {
        return Ok(Err(TokenError::Forged));
    }
    if exp < now.timestamp() {
        return Ok(Err(TokenError::Expired));
    }
    Ok(Ok(()))
}

/// `/dashboard`: the link, or how to get one without `PUBLIC_URL`.
pub async fn link(ctx: &Ctx<'_>) -> CoreResult {
    let token = token(ctx.core, crate::store::now()).await?;
    let text = match &ctx.core.config().public_url {
        Some(url) => ctx.t_args(
            "report-dashboard-link",
            &[
                ("url", format!("{}/dashboard?token={token}", url.trim_end_matches('/')).into()),
                ("minutes", TTL_MINUTES.into()),
            ],
        ),
        None => ctx.t_args(
            "report-dashboard-local",
            &[("path", format!("/dashboard?token={token}").into()), ("minutes", TTL_MINUTES.into())],
        ),
    };
    Ok(Output::one(Reply::text(text)))
}
