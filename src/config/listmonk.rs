//! The optional Listmonk sync (issue 16, `core::marketing::listmonk`): on only with all three of
//! `LISTMONK_URL`, `LISTMONK_USER` (the API user) and `LISTMONK_TOKEN` (its token, environment
//! only, redacted); a partial set is a start-up error naming what is missing, none set and no
//! Listmonk work runs. The list is `list_id` (`[listmonk]` in the settings file, or
//! `LISTMONK_LIST_ID`), else the list named `list_name` (`LISTMONK_LIST_NAME`, default
//! "Insoles CRM"), looked up or created by the first sync. `sync_minutes`
//! (`LISTMONK_SYNC_MINUTES`, default 10) is how often Listmonk's unsubscribes are read back.

use super::{check_url, Secret};
use anyhow::{bail, Context};
use serde::Deserialize;

pub const DEFAULT_LIST_NAME: &str = "Insoles CRM";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListmonkSettings {
    /// The base URL (`https://lists.example.com`), without a trailing slash.
    pub url: String,
    pub user: String,
    pub token: Secret,
    pub list_id: Option<i64>,
    pub list_name: String,
    /// Minutes between two reads of Listmonk's unsubscribes (1..=59, a divisor of the hour reads best).
    pub sync_minutes: u32,
}

/// `[listmonk]` in `default.toml` / `local.toml`: everything but the credentials.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileListmonk {
    list_id: Option<i64>,
    list_name: Option<String>,
    sync_minutes: Option<u32>,
}

fn minutes(v: u32, src: &str) -> anyhow::Result<u32> {
    if !(1..=59).contains(&v) {
        bail!("{src}: listmonk sync every {v} minutes is outside 1..=59");
    }
    Ok(v)
}

fn list_id(v: i64, src: &str) -> anyhow::Result<i64> {
    if v <= 0 {
        bail!("{src}: listmonk list id {v} is not a Listmonk list id");
    }
    Ok(v)
}

/// The settings from the file's `[listmonk]` (when any) and the environment; `None` when none of
/// the three variables is set.
pub(super) fn load(
    file: Option<FileListmonk>,
    src: &str,
    get: impl Fn(&str) -> Option<String>,
) -> anyhow::Result<Option<ListmonkSettings>> {
    const NEEDED: [&str; 3] = ["LISTMONK_URL", "LISTMONK_USER", "LISTMONK_TOKEN"];
    let values: Vec<Option<String>> = NEEDED.iter().map(|k| get(k).map(|v| v.trim().to_string())).collect();
    if values.iter().all(Option::is_none) {
        return Ok(None);
    }
    let missing: Vec<&str> = NEEDED.iter().zip(&values).filter(|(_, v)| v.is_none()).map(|(k, _)| *k).collect();
    if !missing.is_empty() {
        bail!("{}: missing; the Listmonk sync needs all of {}", missing.join(", "), NEEDED.join(", "));
    }
    let [url, user, token] = [0, 1, 2].map(|i| values[i].clone().unwrap_or_default());
    if user.contains(':') {
        bail!("LISTMONK_USER: an API user name has no `:`");
    }
    let file = file.unwrap_or_default();
    let mut s = ListmonkSettings {
        url: check_url(&url, "LISTMONK_URL")?,
        user,
        token: Secret::new(token),
        list_id: file.list_id.map(|v| list_id(v, src)).transpose()?,
        list_name: file.list_name.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| DEFAULT_LIST_NAME.into()),
        sync_minutes: file.sync_minutes.map(|v| minutes(v, src)).transpose()?.unwrap_or(10),
    };
    if let Some(v) = get("LISTMONK_LIST_ID") {
        s.list_id = Some(list_id(v.trim().parse().context("LISTMONK_LIST_ID: not a number")?, "LISTMONK_LIST_ID")?);
    }
    if let Some(v) = get("LISTMONK_LIST_NAME") {
        s.list_name = v.trim().to_string();
    }
    if let Some(v) = get("LISTMONK_SYNC_MINUTES") {
        s.sync_minutes =
            minutes(v.trim().parse().context("LISTMONK_SYNC_MINUTES: not a number")?, "LISTMONK_SYNC_MINUTES")?;
    }
    Ok(Some(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env<'a>(pairs: &'a [(&'a str, &'a str)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |k| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
    }

    #[test]
    fn all_three_or_none_and_the_file_then_env_for_the_list() {
        assert_eq!(load(None, "f", env(&[])).unwrap(), None);
        let err = load(None, "f", env(&[("LISTMONK_URL", "http://l"), ("LISTMONK_USER", "crm")])).unwrap_err();
        assert!(err.to_string().starts_with("LISTMONK_TOKEN: missing"), "{err}");
        let err = load(None, "f", env(&[("LISTMONK_TOKEN", "t")])).unwrap_err();
        assert!(err.to_string().starts_with("LISTMONK_URL, LISTMONK_USER: missing"), "{err}");
        let all = [("LISTMONK_URL", "https://lists.example/"), ("LISTMONK_USER", "crm"), ("LISTMONK_TOKEN", "tok")];
        let file: FileListmonk = toml::from_str("list_id = 3\nsync_minutes = 5").unwrap();
        let s = load(Some(file), "f", env(&all)).unwrap().unwrap();
        assert_eq!((s.url.as_str(), s.list_id, s.sync_minutes), ("https://lists.example", Some(3), 5));
        assert!(!format!("{s:?}").contains("tok\""), "the token is redacted: {s:?}");
        let mut more = all.to_vec();
        more.push(("LISTMONK_LIST_ID", "7"));
        assert_eq!(load(None, "f", env(&more)).unwrap().unwrap().list_id, Some(7));
        more.push(("LISTMONK_SYNC_MINUTES", "0"));
        assert!(load(None, "f", env(&more)).is_err());
    }
}
