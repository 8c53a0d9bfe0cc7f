//! The product catalogue's seed (`[[products]]`): code, name, price in UAH. Seeded into the
//! `products` table by code at start (`store::products`); the owner edits it from the chat after.

use crate::domain::Money;
use anyhow::Context;
use serde::Deserialize;

/// One product as the settings describe it; `store::products` seeds the table from these.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeedProduct {
    pub code: String,
    pub name: String,
    pub price: Money,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileProduct {
    code: String,
    name: String,
    /// In hryvnias, as the owner writes it: `2200` or `"2 200,50"`.
    price: toml::Value,
}

/// The catalogue when no settings file names one.
pub fn default_products() -> Vec<SeedProduct> {
    [
        ("diagnostics", "Діагностика стопи", 400),
        ("custom_insoles", "Індивідуальні устілки", 1800),
        ("sport_insoles", "Спортивні устілки", 2200),
        ("kids_insoles", "Дитячі устілки", 1500),
        ("correction", "Корекція устілок", 400),
    ]
    .into_iter()
    .map(|(code, name, uah)| SeedProduct {
        code: code.into(),
        name: name.into(),
        price: Money::from_kopecks(uah * 100),
    })
    .collect()
}

/// Checks `[[products]]`: codes a-z, 0-9 and _, unique; names 1-100 characters; prices as `Money`.
pub(super) fn parse(list: Vec<FileProduct>, src: &str) -> anyhow::Result<Vec<SeedProduct>> {
    let mut seen = std::collections::BTreeSet::new();
    list.into_iter()
        .map(|p| {
            anyhow::ensure!(
                !p.code.is_empty() && p.code.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{src}: product code `{}`: a-z, 0-9 and _ only",
                p.code
            );
            anyhow::ensure!(seen.insert(p.code.clone()), "{src}: product code `{}` twice", p.code);
            let name = p.name.trim().to_string();
            anyhow::ensure!(
                (1..=100).contains(&name.chars().count()),
                "{src}: product `{}`: name 1-100 characters",
                p.code
            );
            let raw = match &p.price {
                toml::Value::Integer(i) => i.to_string(),
                toml::Value::Float(f) => f.to_string(),
                toml::Value::String(s) => s.clone(),
                other => anyhow::bail!("{src}: product `{}`: price `{other:?}` is not an amount", p.code),
            };
            let price = Money::parse(&raw)
                .ok()
                .with_context(|| format!("{src}: product `{}`: price `{raw}` is not an amount in UAH", p.code))?;
            Ok(SeedProduct { code: p.code, name, price })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products_are_read_and_checked() {
        let file = |s: &str| -> Vec<FileProduct> {
            #[derive(Deserialize)]
            struct F {
                products: Vec<FileProduct>,
            }
            toml::from_str::<F>(s).unwrap().products
        };
        let ok = parse(file("[[products]]\ncode = \"a\"\nname = \"A\"\nprice = \"1 800,50\"\n"), "x").unwrap();
        assert_eq!(ok[0].price.kopecks(), 180_050);
        for bad in [
            "[[products]]\ncode = \"A b\"\nname = \"A\"\nprice = 1\n",
            "[[products]]\ncode = \"a\"\nname = \" \"\nprice = 1\n",
            "[[products]]\ncode = \"a\"\nname = \"A\"\nprice = -5\n",
            "[[products]]\ncode = \"a\"\nname = \"A\"\nprice = 1\n[[products]]\ncode = \"a\"\nname = \"B\"\nprice = 1\n",
        ] {
            assert!(parse(file(bad), "x").is_err(), "{bad}");
        }
    }

    #[test]
    fn the_shipped_file_names_the_same_catalogue_as_the_defaults() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config"));
        let shipped = crate::config::Settings::load_from(dir, |_| None).unwrap();
        assert_eq!(shipped.products, default_products());
        assert_eq!(shipped.products.len(), 5);
    }

    /// One price per service everywhere the client or the owner reads it: the catalogue, the
    /// booking page and the knowledge base the assistant answers from.
    #[test]
    fn the_shipped_diagnostics_price_is_the_same_in_the_catalogue_the_page_and_the_knowledge_base() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config"));
        let shipped = crate::config::Settings::load_from(dir, |_| None).unwrap();
        let catalogue = shipped.products.iter().find(|p| p.code == "diagnostics").unwrap().price;
        assert_eq!(shipped.booking.studio.prices.get("diagnostics"), Some(&catalogue));
        let said = format!("Діагностика стоп {} грн", catalogue.kopecks() / 100);
        assert!(shipped.knowledge.contains(&said), "the knowledge base says {said}");
    }
}
