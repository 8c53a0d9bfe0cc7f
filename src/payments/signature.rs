//! Monobank's webhook signature: `X-Sign` is base64 of a DER ECDSA P-256 signature over the SHA-256
//! of the raw request body, made with the merchant key Monobank publishes at
//! `GET /api/merchant/pubkey` as `{"key": base64(PEM of a SubjectPublicKeyInfo)}`.
//!
//! [`verify`] checks the exact bytes received (any re-serialisation breaks a signature, by design);
//! the key is parsed once ([`parse_key`]) and cached by the caller (`monobank::Monobank`).

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ring::signature::{UnparsedPublicKey, ECDSA_P256_SHA256_ASN1};

/// The DER header of a P-256 (prime256v1) SubjectPublicKeyInfo with an uncompressed point:
/// SEQUENCE { SEQUENCE { id-ecPublicKey, prime256v1 }, BIT STRING (66 bytes) }.
const P256_SPKI_HEADER: [u8; 26] = [
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
    0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
];

/// A merchant's public key: the 65-byte uncompressed P-256 point ring verifies with.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey([u8; 65]);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({}…)", crate::secret::hex(&self.0[..8]))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("the key is not base64")]
    Base64,
    #[error("the key is not a PEM public key")]
    Pem,
    #[error("the key is not an uncompressed P-256 public key")]
    NotP256,
}

impl PublicKey {
    /// The key from its SubjectPublicKeyInfo (DER).
    pub fn from_spki(der: &[u8]) -> Result<Self, KeyError> {
        if der.len() != P256_SPKI_HEADER.len() + 65 || der[..P256_SPKI_HEADER.len()] != P256_SPKI_HEADER {
            return Err(KeyError::NotP256);
        }
        let point = &der[P256_SPKI_HEADER.len()..];
        if point[0] != 0x04 {
            return Err(KeyError::NotP256);
        }
        let mut p = [0u8; 65];
        p.copy_from_slice(point);
        Ok(PublicKey(p))
    }

    /// The key from a PEM `PUBLIC KEY` block.
    pub fn from_pem(pem: &str) -> Result<Self, KeyError> {
        let body: String = pem
            .lines()
            .map(str::trim)
            .skip_while(|l| *l != "-----BEGIN PUBLIC KEY-----")
            .skip(1)
            .take_while(|l| *l != "-----END PUBLIC KEY-----")
            .collect();
        if body.is_empty() {
            return Err(KeyError::Pem);
        }
        let der = STANDARD.decode(body).map_err(|_| KeyError::Pem)?;
        Self::from_spki(&der)
    }

    /// The SubjectPublicKeyInfo of this key (DER), e.g. to serve it from a fake.
    pub fn spki(&self) -> Vec<u8> {
        let mut v = P256_SPKI_HEADER.to_vec();
        v.extend_from_slice(&self.0);
        v
    }

    /// The key as Monobank's `/pubkey` gives it: base64 of the PEM text.
    pub fn to_monobank(&self) -> String {
        let b64 = STANDARD.encode(self.spki());
        let lines: Vec<&str> = b64.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
        let pem = format!("-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n", lines.join("\n"));
        STANDARD.encode(pem)
    }

    pub fn from_point(point: [u8; 65]) -> Self {
        PublicKey(point)
    }
}

/// The `key` field of `GET /api/merchant/pubkey`: base64 → PEM → SPKI → point.
pub fn parse_key(key_b64: &str) -> Result<PublicKey, KeyError> {
    let pem = STANDARD.decode(key_b64.trim()).map_err(|_| KeyError::Base64)?;
    let pem = String::from_utf8(pem).map_err(|_| KeyError::Pem)?;
    PublicKey::from_pem(&pem)
}

/// The `X-Sign` header decoded: a DER signature of plausible size (70-72 bytes, up to 72 + slack).
pub fn decode_sign(x_sign: &str) -> Option<Vec<u8>> {
    let s = x_sign.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    STANDARD.decode(s).ok().filter(|d| (8..=80).contains(&d.len()) && d[0] == 0x30)
}

/// True when `sig` (DER) is `key`'s signature of `body` (the raw bytes, hashed with SHA-256).
pub fn verify(key: &PublicKey, body: &[u8], sig: &[u8]) -> bool {
    UnparsedPublicKey::new(&ECDSA_P256_SHA256_ASN1, &key.0[..]).verify(body, sig).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/reference/fixtures/monobank");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}"))
            .unwrap_or_else(|e| panic!("{name}: {e} (../shared beside the checkout)"))
    }

    /// The documentation's own example: its key, its `X-Sign`, its body byte for byte.
    #[test]
    fn the_documentation_vector_verifies_and_every_altered_body_fails() {
        let key = parse_key(std::str::from_utf8(&fixture("webhook-doc-example/pubkey.b64")).unwrap()).unwrap();
        let sig = decode_sign(std::str::from_utf8(&fixture("webhook-doc-example/x-sign.txt")).unwrap()).unwrap();
        let body = fixture("webhook-doc-example/body.json");
        assert_eq!(body.len(), 582);
        assert!(verify(&key, &body, &sig), "the documented example verifies");
        let mut negatives = 0;
        for entry in std::fs::read_dir(format!("{FIXTURES}/webhook-doc-example/negative")).unwrap() {
            let path = entry.unwrap().path();
            let altered = std::fs::read(&path).unwrap();
            assert!(!verify(&key, &altered, &sig), "{} must not verify", path.display());
            negatives += 1;
        }
        assert_eq!(negatives, 6);
        // The other example key of the docs (the `/pubkey` response) does not verify the vector.
        let other: serde_json::Value = serde_json::from_slice(&fixture("api-examples/pubkey-response.json")).unwrap();
        let other = parse_key(other["key"].as_str().unwrap()).unwrap();
        assert!(!verify(&other, &body, &sig));
        // The PEM file is the same key.
        let pem =
            PublicKey::from_pem(std::str::from_utf8(&fixture("webhook-doc-example/pubkey.pem")).unwrap()).unwrap();
        assert_eq!(pem, key);
    }

    #[test]
    fn a_generated_key_round_trips_through_monobanks_format_and_signs() {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        let mut point = [0u8; 65];
        point.copy_from_slice(pair.public_key().as_ref());
        let key = PublicKey::from_point(point);
        assert_eq!(parse_key(&key.to_monobank()).unwrap(), key);
        let body = br#"{"invoiceId":"x","status":"success"}"#;
        let sig = pair.sign(&rng, body).unwrap();
        assert!(verify(&key, body, sig.as_ref()));
        assert!(!verify(&key, br#"{"invoiceId":"x","status":"success"} "#, sig.as_ref()));
    }

    #[test]
    fn malformed_keys_and_signatures_are_refused() {
        assert_eq!(parse_key("not base64!"), Err(KeyError::Base64));
        assert_eq!(parse_key(&STANDARD.encode("hello")), Err(KeyError::Pem));
        assert_eq!(PublicKey::from_spki(&[0x30; 91]), Err(KeyError::NotP256));
        assert!(decode_sign("").is_none());
        assert!(decode_sign("@@@").is_none());
        assert!(decode_sign(&STANDARD.encode([1u8; 70])).is_none(), "not a DER sequence");
        assert!(decode_sign(&"A".repeat(500)).is_none());
    }
}
