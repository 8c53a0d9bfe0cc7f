//! Every locale has every key; every key the code asks for exists; menu texts fit Telegram.

use insoles_crm::core::commands::{owner_menu, VISITOR_COMMANDS};
use insoles_crm::i18n::{I18n, Lang, FILES};
use std::collections::BTreeSet;
use std::path::Path;

fn keys(text: &str) -> BTreeSet<String> {
    text.lines()
        .filter_map(|l| {
            let (head, _) = l.split_once('=')?;
            let head = head.trim_end();
            (!l.starts_with([' ', '#', '*', '[', '}'])
                && !head.is_empty()
                && head.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
            .then(|| head.to_string())
        })
        .collect()
}

fn files_of(lang: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> =
        std::fs::read_dir(Path::new("locales").join(lang)).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

#[test]
fn every_ftl_file_is_embedded_and_locales_are_in_parity() {
    let embedded: BTreeSet<String> = FILES.iter().map(|(l, n, _)| format!("{l}/{n}")).collect();
    let mut per_lang = vec![];
    for lang in ["uk", "en"] {
        let mut all = BTreeSet::new();
        for f in files_of(lang) {
            let name = format!("{lang}/{}", f.file_name().unwrap().to_string_lossy());
            assert!(embedded.contains(&name), "{name} exists but is not embedded in i18n::FILES");
            all.extend(keys(&std::fs::read_to_string(&f).unwrap()));
        }
        per_lang.push(all);
    }
    let only_uk: Vec<_> = per_lang[0].difference(&per_lang[1]).collect();
    let only_en: Vec<_> = per_lang[1].difference(&per_lang[0]).collect();
    assert!(only_uk.is_empty() && only_en.is_empty(), "only in uk: {only_uk:?}; only in en: {only_en:?}");
    assert!(per_lang[0].len() > 100);
    let i18n = I18n::load().expect("every .ftl parses");
    for k in &per_lang[0] {
        assert!(i18n.has(Lang::Uk, k) && i18n.has(Lang::En, k), "{k} did not load");
    }
}

/// Every string literal in `src/` shaped like a Fluent key must exist in both languages.
#[test]
fn every_key_used_in_code_exists() {
    let i18n = I18n::load().unwrap();
    let mut checked = 0;
    let mut stack = vec![Path::new("src").to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for literal in text.split('"').skip(1).step_by(2) {
                let looks_like_key = literal.len() > 3
                    && literal.contains('-')
                    && literal.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && literal.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
                    && !literal.ends_with('-');
                let prefix = literal.split('-').next().unwrap();
                let known_prefix = [
                    "err",
                    "btn",
                    "ask",
                    "hint",
                    "cmd",
                    "help",
                    "lang",
                    "client",
                    "search",
                    "field",
                    "note",
                    "call",
                    "tags",
                    "card",
                    "edit",
                    "conditions",
                    "timeline",
                    "cond",
                    "status",
                    "order",
                    "orders",
                    "task",
                    "visitor",
                    "console",
                    "unknown",
                    "conv",
                    "next",
                    "tg",
                    "ig",
                    "assistant",
                    "pay",
                    "report",
                    "goal",
                    "dashboard",
                    "summary",
                    "advice",
                    "aftercare",
                    "nps",
                    "campaign",
                    "consent",
                    "mail",
                    "unsub",
                    "listmonk",
                    "post",
                ]
                .contains(&prefix);
                if looks_like_key && known_prefix {
                    for lang in Lang::ALL {
                        assert!(
                            i18n.has(lang, literal),
                            "{}: key `{literal}` missing in {}",
                            path.display(),
                            lang.code()
                        );
                    }
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 100, "the scan found only {checked} keys");
}

#[test]
fn menu_descriptions_fit_telegram() {
    let i18n = I18n::load().unwrap();
    for lang in Lang::ALL {
        for (name, key) in owner_menu().iter().chain(VISITOR_COMMANDS.iter()) {
            let d = i18n.format(lang, key, &[]);
            assert!((3..=256).contains(&d.chars().count()), "{name}: {d}");
            assert!(name.len() <= 32 && name.chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
    }
}
