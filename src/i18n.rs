//! User-facing text: Fluent bundles for Ukrainian (default) and English, embedded in the binary.
//!
//! Code never contains a sentence; it asks for a message by key through [`Tr`]. The locale files
//! live under `locales/<lang>/*.ftl`; a test keeps the two languages in parity and checks that
//! every key the code asks for exists.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    Uk,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Uk, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code.trim().to_lowercase().as_str() {
            "uk" | "ua" | "укр" | "українська" => Some(Lang::Uk),
            "en" | "eng" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// Telegram's `language_code` (an IETF tag) to a supported language: English when she uses
    /// English, Ukrainian for everything else (including Russian: the studio speaks Ukrainian).
    pub fn from_hint(hint: Option<&str>) -> Self {
        match hint {
            Some(h) if h.to_lowercase().starts_with("en") => Lang::En,
            _ => Lang::Uk,
        }
    }
}

/// The Fluent files, embedded so the binary runs from any directory.
pub const FILES: [(&str, &str, &str); 20] = [
    ("uk", "main.ftl", include_str!("../locales/uk/main.ftl")),
    ("en", "main.ftl", include_str!("../locales/en/main.ftl")),
    ("uk", "pay.ftl", include_str!("../locales/uk/pay.ftl")),
    ("en", "pay.ftl", include_str!("../locales/en/pay.ftl")),
    ("uk", "reports.ftl", include_str!("../locales/uk/reports.ftl")),
    ("en", "reports.ftl", include_str!("../locales/en/reports.ftl")),
    ("uk", "report-email.ftl", include_str!("../locales/uk/report-email.ftl")),
    ("en", "report-email.ftl", include_str!("../locales/en/report-email.ftl")),
    ("uk", "summary.ftl", include_str!("../locales/uk/summary.ftl")),
    ("uk", "marketing.ftl", include_str!("../locales/uk/marketing.ftl")),
    ("en", "marketing.ftl", include_str!("../locales/en/marketing.ftl")),
    ("en", "summary.ftl", include_str!("../locales/en/summary.ftl")),
    ("uk", "ask.ftl", include_str!("../locales/uk/ask.ftl")),
    ("en", "ask.ftl", include_str!("../locales/en/ask.ftl")),
    ("uk", "nps.ftl", include_str!("../locales/uk/nps.ftl")),
    ("en", "nps.ftl", include_str!("../locales/en/nps.ftl")),
    ("uk", "discord.ftl", include_str!("../locales/uk/discord.ftl")),
    ("en", "discord.ftl", include_str!("../locales/en/discord.ftl")),
    ("uk", "content.ftl", include_str!("../locales/uk/content.ftl")),
    ("en", "content.ftl", include_str!("../locales/en/content.ftl")),
];

pub struct I18n {
    uk: FluentBundle<FluentResource>,
    en: FluentBundle<FluentResource>,
}

impl std::fmt::Debug for I18n {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("I18n")
    }
}

fn bundle(lang: Lang) -> anyhow::Result<FluentBundle<FluentResource>> {
    let id: unic_langid::LanguageIdentifier = lang.code().parse()?;
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    bundle.set_use_isolating(false);
    for (code, name, text) in FILES {
        if code != lang.code() {
            continue;
        }
        let res = FluentResource::try_new(text.to_string())
            .map_err(|(_, errs)| anyhow::anyhow!("locales/{code}/{name}: {errs:?}"))?;
        bundle.add_resource(res).map_err(|errs| anyhow::anyhow!("locales/{code}/{name}: {errs:?}"))?;
    }
    Ok(bundle)
}

impl I18n {
    pub fn load() -> anyhow::Result<Self> {
        Ok(I18n { uk: bundle(Lang::Uk)?, en: bundle(Lang::En)? })
    }

    fn bundle(&self, lang: Lang) -> &FluentBundle<FluentResource> {
        match lang {
            Lang::Uk => &self.uk,
            Lang::En => &self.en,
        }
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundle(lang).has_message(key)
    }

    /// Formats `key`; a missing key falls back to Ukrainian, then to the key itself (and a test
    /// makes sure that never ships).
    pub fn format(&self, lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
        let fargs = if args.is_empty() {
            None
        } else {
            let mut a = FluentArgs::new();
            for (k, v) in args {
                a.set(*k, v.to_fluent());
            }
            Some(a)
        };
        for l in [lang, Lang::Uk] {
            let bundle = self.bundle(l);
            if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
                let mut errors = vec![];
                let out = bundle.format_pattern(pattern, fargs.as_ref(), &mut errors);
                if !errors.is_empty() {
                    tracing::warn!(key, ?errors, "fluent formatting errors");
                }
                return out.into_owned();
            }
        }
        tracing::error!(key, "missing fluent message");
        key.to_string()
    }
}

/// An argument to a message: text or a number (numbers drive plural selection).
#[derive(Debug, Clone)]
pub enum Arg {
    Str(String),
    Num(i64),
}

impl Arg {
    fn to_fluent(&self) -> FluentValue<'_> {
        match self {
            Arg::Str(s) => FluentValue::String(Cow::Borrowed(s)),
            Arg::Num(n) => FluentValue::from(*n),
        }
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Self {
        Arg::Str(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Self {
        Arg::Str(s)
    }
}
impl From<&String> for Arg {
    fn from(s: &String) -> Self {
        Arg::Str(s.clone())
    }
}
impl From<i64> for Arg {
    fn from(n: i64) -> Self {
        Arg::Num(n)
    }
}
impl From<usize> for Arg {
    fn from(n: usize) -> Self {
        Arg::Num(n as i64)
    }
}

/// A translator bound to one language: `tr.t("key")`, `tr.t_args("key", &[("name", x.into())])`.
#[derive(Clone, Copy)]
pub struct Tr<'a> {
    pub i18n: &'a I18n,
    pub lang: Lang,
}

impl<'a> Tr<'a> {
    pub fn t(&self, key: &str) -> String {
        self.i18n.format(self.lang, key, &[])
    }

    pub fn t_args(&self, key: &str, args: &[(&str, Arg)]) -> String {
        self.i18n.format(self.lang, key, args)
    }
}
