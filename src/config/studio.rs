//! Whose studio it is (`[studio]` in the settings file): the name, address, map link and phone
//! the booking page shows at its top, so a client who came from a flyer knows where she books.
//!
//! The defaults are the fictional studio of `config/knowledge.md` (the phone there is a
//! placeholder). The map link is shown as a link, so it must be an `https` URL: anything else
//! (`javascript:`, `http:`, garbage) is refused when the settings load, not rendered later.

use anyhow::bail;
use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudioSettings {
    pub name: String,
    pub address: String,
    /// An `https` URL of the address on a map; empty: the address is shown without a link.
    pub map_url: String,
    /// As the client should read it (`+380 00 123 45 67`); the `tel:` link keeps its digits.
    pub phone: String,
}

impl Default for StudioSettings {
    fn default() -> Self {
        StudioSettings {
            name: "ОртоКрок".into(),
            address: "вул. Шахтарська, 14, Нововолинськ (2 поверх, вхід з двору)".into(),
            map_url: "https://www.openstreetmap.org/search?query=%D0%B2%D1%83%D0%BB.%20%D0%A8%D0%B0%D1%85%D1%82%D0%B0%D1%80%D1%81%D1%8C%D0%BA%D0%B0%2C%2014%2C%20%D0%9D%D0%BE%D0%B2%D0%BE%D0%B2%D0%BE%D0%BB%D0%B8%D0%BD%D1%81%D1%8C%D0%BA".into(),
            phone: "+380 00 123 45 67".into(),
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
    fn studio_fields_are_read_and_checked() {
        let s = apply("name = \" Крок \"\naddress = \"вул. Миру, 1\"\nphone = \"+38 (050) 111-22-33\"").unwrap();
        assert_eq!((s.name.as_str(), s.address.as_str()), ("Крок", "вул. Миру, 1"));
        assert_eq!(s.tel(), "+380501112233");
        assert!(apply("name = \"a\\nb\"").is_err());
        assert!(apply("owner = \"x\"").is_err(), "unknown keys are refused");
    }
}
