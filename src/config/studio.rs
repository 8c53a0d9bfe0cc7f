//! Whose studio it is (`[studio]` in the settings file): the name, address, map link and phone
//! the booking page shows at its top, so a client who came from a flyer knows where she books;
//! and what its services cost (`price` of each `[[booking.services]]`, read here).
//!
//! The defaults are the fictional studio of `config/knowledge.md` (the phone there is a
//! placeholder). The map link is shown as a link, so it must be an `https` URL: anything else
//! (`javascript:`, `http:`, garbage) is refused when the settings load, not rendered later.

use crate::domain::Money;
use anyhow::bail;
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudioSettings {
    pub name: String,
    pub address: String,
    /// An `https` URL of the address on a map; empty: the address is shown without a link.
    pub map_url: String,
    /// As the client should read it (`+380 00 123 45 67`); the `tel:` link keeps its digits.
    pub phone: String,
    /// By service code: the `price` (UAH) of each `[[booking.services]]`, where set.
    pub prices: BTreeMap<String, Money>,
}

impl Default for StudioSettings {
    fn default() -> Self {
        StudioSettings {
            name: "ОртоКрок".into(),
            address: "вул. Шахтарська, 14, Нововолинськ (2 поверх, вхід з двору)".into(),
            map_url: "https://www.openstreetmap.org/search?query=%D0%B2%D1%83%D0%BB.%20%D0%A8%D0%B0%D1%85%D1%82%D0%B0%D1%80%D1%81%D1%8C%D0%BA%D0%B0%2C%2014%2C%20%D0%9D%D0%BE%D0%B2%D0%BE%D0%B2%D0%BE%D0%BB%D0%B8%D0%BD%D1%81%D1%8C%D0%BA".into(),
            phone: "+380 00 123 45 67".into(),
            // Diagnostics is 400 грн (free with made-to-measure insoles, says the knowledge base).
            prices: [("diagnostics".to_string(), Money::from_kopecks(40_000))].into(),
        }
    }
}

impl StudioSettings {
    /// The phone as a `tel:` target: its digits, with the leading `+` when it has one.
    pub fn tel(&self) -> String {
        let plus = if self.phone.trim_start().starts_with('+') { "+" } else { "" };
        format!("{plus}{}", self.phone.chars().filter(char::is_ascii_digit).collect::<String>())
    }

    pub(super) fn apply_file(&mut self, f: FileStudio, src: &str) -> anyhow::Result<()> {
        let text = |v: String, what: &str| -> anyhow::Result<String> {
            let v = v.trim().to_string();
            let max = if what == "map_url" { 2000 } else { 200 };
            if v.chars().count() > max || v.chars().any(char::is_control) {
                bail!("{src}: studio.{what}: at most {max} characters on one line");
            }
            Ok(v)
        };
        if let Some(v) = f.name {
            self.name = text(v, "name")?;
        }
        if let Some(v) = f.address {
            self.address = text(v, "address")?;
        }
        if let Some(v) = f.phone {
            self.phone = text(v, "phone")?;
        }
        if let Some(v) = f.map_url {
            let v = text(v, "map_url")?;
            if !v.is_empty() && !is_https_url(&v) {
                bail!("{src}: studio.map_url: `{v}` must be an https:// address (or empty for none)");
            }
            self.map_url = v;
        }
        Ok(())
    }
}

/// A service's `price` (`400`, `"1 800,50"`), in UAH, read with `Money`.
pub(super) fn price(v: &toml::Value, code: &str, src: &str) -> anyhow::Result<Money> {
    let text = match v {
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::String(t) => t.clone(),
        other => format!("{other:?}"),
    };
    Money::parse(&text)
        .map_err(|_| anyhow::anyhow!("{src}: service `{code}`: price `{text}` is not an amount in UAH like 400"))
}

/// An absolute `https` URL with a host.
pub fn is_https_url(s: &str) -> bool {
    reqwest::Url::parse(s).is_ok_and(|u| u.scheme() == "https" && u.host_str().is_some_and(|h| !h.is_empty()))
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileStudio {
    name: Option<String>,
    address: Option<String>,
    map_url: Option<String>,
    phone: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::tests::env;
    use crate::config::Settings;

    fn apply(toml_text: &str) -> anyhow::Result<StudioSettings> {
        let mut s = StudioSettings::default();
        s.apply_file(toml::from_str(toml_text)?, "test.toml")?;
        Ok(s)
    }

    #[test]
    fn map_url_must_be_https() {
        assert!(is_https_url(&StudioSettings::default().map_url));
        for bad in ["javascript:alert(1)", "http://maps.example/x", "maps.example", "https://"] {
            let e = apply(&format!("map_url = {bad:?}")).unwrap_err();
            assert!(format!("{e:#}").contains("studio.map_url"), "{bad}: {e:#}");
        }
        assert_eq!(apply("map_url = \"\"").unwrap().map_url, "");
        assert_eq!(apply("map_url = \"https://maps.example/?q=a&b\"").unwrap().map_url, "https://maps.example/?q=a&b");
    }

    #[test]
    fn the_shipped_file_has_the_default_studio_and_prices() {
        let shipped =
            Settings::load_from(std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config")), env(&[]));
        let studio = shipped.unwrap().booking.studio;
        assert_eq!(studio.prices.get("diagnostics").map(|m| m.kopecks()), Some(40_000));
        assert_eq!(studio, StudioSettings::default());
    }

    #[test]
    fn studio_fields_are_read_and_checked() {
        let s = apply("name = \" Крок \"\naddress = \"вул. Миру, 1\"\nphone = \"+38 (050) 111-22-33\"").unwrap();
        assert_eq!((s.name.as_str(), s.address.as_str()), ("Крок", "вул. Миру, 1"));
        assert_eq!(s.tel(), "+380501112233");
        assert!(apply("name = \"a\\nb\"").is_err());
        assert!(apply("owner = \"x\"").is_err(), "unknown keys are refused");
    }

    #[test]
    fn service_prices_and_the_studio_are_read_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let write = |text: &str| std::fs::write(dir.path().join("default.toml"), text).unwrap();
        let service = |code: &str, price: &str| {
            format!("[[booking.services]]\ncode = \"{code}\"\nduration_minutes = 30\nbuffer_minutes = 0\n{price}\n")
        };
        write(&format!(
            "[studio]\nname = \"Крок & Ко\"\nmap_url = \"https://maps.example/?q=1\"\n{}{}",
            service("diagnostics", "price = 450"),
            service("fitting", "price = \"1 800,50\"")
        ));
        let s = Settings::load_from(dir.path(), env(&[])).unwrap();
        let kopecks: Vec<(&str, i64)> =
            s.booking.studio.prices.iter().map(|(k, v)| (k.as_str(), v.kopecks())).collect();
        assert_eq!(kopecks, [("diagnostics", 45_000), ("fitting", 180_050)]);
        assert_eq!(s.booking.studio.name, "Крок & Ко");
        assert_eq!(s.booking.studio.phone, StudioSettings::default().phone, "unset fields keep their defaults");
        // Services without a price have none (the default price of diagnostics does not linger).
        write(&service("diagnostics", ""));
        assert!(Settings::load_from(dir.path(), env(&[])).unwrap().booking.studio.prices.is_empty());
        write(&service("diagnostics", "price = \"дорого\""));
        let e = Settings::load_from(dir.path(), env(&[])).unwrap_err();
        assert!(format!("{e:#}").contains("price `дорого`"), "{e:#}");
        write("[studio]\nmap_url = \"javascript:alert(1)\"\n");
        let e = Settings::load_from(dir.path(), env(&[])).unwrap_err();
        assert!(format!("{e:#}").contains("studio.map_url"), "{e:#}");
    }
}
