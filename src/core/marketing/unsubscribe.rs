//! The unsubscribe link of a client: `PUBLIC_URL/unsubscribe/<client>.<HMAC-SHA256>`, signed with
//! `UNSUBSCRIBE_SECRET` (environment) or, unset, a key made once and kept in the database. It
//! never expires (an old e-mail must still unsubscribe) and names only its client; the signature
//! is compared in constant time, and a forged token changes nothing.

use crate::core::Core;
use crate::secret::{hex, hmac_sha256_hex, hmac_sha256_matches};

const KEY_SETTING: &str = "unsubscribe_key";

async fn key(core: &Core) -> anyhow::Result<String> {
    if let Some(secret) = &core.config().marketing.unsubscribe_secret {
        return Ok(secret.expose().to_string());
    }
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for the unsubscribe key: {e}"))?;
    Ok(core.store().setting_or_insert(KEY_SETTING, &hex(&bytes)).await?)
}

fn body(client: i64) -> String {
    format!("unsubscribe:{client}")
}

/// `<client>.<hmac>` under `key`.
pub fn token_with(key: &str, client: i64) -> String {
    format!("{client}.{}", hmac_sha256_hex(key, body(client).as_bytes()))
}

/// The client of a token signed with `key`; `None` for anything else.
pub fn verify_with(key: &str, token: &str) -> Option<i64> {
    if token.len() > 100 {
        return None;
    }
    let (client, sig) = token.split_once('.')?;
    let client = client.parse::<i64>().ok().filter(|c| *c > 0)?;
    (sig.len() == 64 && hmac_sha256_matches(key, body(client).as_bytes(), sig)).then_some(client)
}

pub async fn token(core: &Core, client: i64) -> anyhow::Result<String> {
    Ok(token_with(&key(core).await?, client))
}

pub async fn verify(core: &Core, token: &str) -> anyhow::Result<Option<i64>> {
    Ok(verify_with(&key(core).await?, token))
}

/// The https link for `List-Unsubscribe` and the mail's footer; `None` without `PUBLIC_URL`.
pub async fn url(core: &Core, client: i64) -> anyhow::Result<Option<String>> {
    let Some(base) = core.config().public_url.as_deref() else { return Ok(None) };
    Ok(Some(format!("{}/unsubscribe/{}", base.trim_end_matches('/'), token(core, client).await?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_unchanged_token_under_the_key_names_its_client() {
        let t = token_with("key-one", 42);
        assert_eq!(verify_with("key-one", &t), Some(42));
        assert_eq!(verify_with("key-two", &t), None);
        assert_eq!(verify_with("key-one", &t.replacen("42.", "43.", 1)), None);
        assert_eq!(verify_with("key-one", "42.abc"), None);
        assert_eq!(verify_with("key-one", ""), None);
        assert_eq!(verify_with("key-one", &format!("0.{}", &t[3..])), None);
    }
}
