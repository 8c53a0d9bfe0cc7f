//! A secret string (a token, a password): usable where needed, redacted in every `Debug`
//! output. A leaf, so any layer can hold one without depending on the settings; with it the
//! one check of an HMAC-SHA256 webhook signature over raw bytes (Cal.com, Instagram).

/// A secret string: usable, never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Self {
        Secret(s.into())
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([REDACTED])")
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The HMAC-SHA256 of `body` under `secret`, lower-case hex (signing our own tokens).
pub fn hmac_sha256_hex(secret: &str, body: &[u8]) -> String {
    use hmac::Mac;
    match hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mut mac) => {
            mac.update(body);
            hex(&mac.finalize().into_bytes())
        }
        Err(_) => String::new(),
    }
}

/// True when `signature` (hex, optionally `sha256=`-prefixed) is the HMAC of `body`.
pub fn hmac_sha256_matches(secret: &str, body: &[u8], signature: &str) -> bool {
    use hmac::Mac;
    let given = signature.trim().trim_start_matches("sha256=");
    let Ok(mut mac) = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()) else { return false };
    mac.update(body);
    let expected = hex(&mac.finalize().into_bytes());
    subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), given.to_ascii_lowercase().as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::hmac_sha256_matches as verify;

    #[test]
    fn signature_over_raw_bytes() {
        // HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog"), a published vector.
        let sig = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
        assert!(verify("key", b"The quick brown fox jumps over the lazy dog", sig));
        assert!(verify(
            "key",
            b"The quick brown fox jumps over the lazy dog",
            &format!("sha256={}", sig.to_uppercase())
        ));
        assert!(!verify("key", b"The quick brown fox jumps over the lazy dog.", sig));
        assert!(!verify("other", b"The quick brown fox jumps over the lazy dog", sig));
        assert!(!verify("key", b"x", ""));
    }
}
