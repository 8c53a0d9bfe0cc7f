//! The settings' loading order and validation (defaults, TOML, environment).

use super::*;
use std::collections::HashMap;

/// A fake environment; also used by the tests of `config::http`.
pub(super) fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    move |k| map.get(k).cloned()
}

#[test]
fn layers_defaults_file_then_env() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("default.toml"), "http_addr = \"0.0.0.0:9000\"\nbusiness_tz = \"Europe/Warsaw\"\n")
        .unwrap();
    let s =
        Settings::load_from(dir.path(), env(&[("BUSINESS_TZ", "Europe/Kyiv"), ("OWNER_TELEGRAM_IDS", "1, 22,333")]))
            .unwrap();
    assert_eq!(s.http_addr.port(), 9000);
    assert_eq!(s.business_tz, chrono_tz::Europe::Kyiv);
    assert_eq!(s.telegram.owner_ids, vec![1, 22, 333]);
    assert_eq!(s.database_url, "sqlite://data/insoles.db");
}

#[test]
fn secrets_are_refused_in_files_and_redacted() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("default.toml"), "telegram_bot_token = \"123:abc\"\n").unwrap();
    assert!(Settings::load_from(dir.path(), env(&[])).is_err());
    let empty = tempfile::tempdir().unwrap();
    let s = Settings::load_from(empty.path(), env(&[("TELEGRAM_BOT_TOKEN", "123:secret-token")])).unwrap();
    assert!(!format!("{s:?}").contains("secret-token"));
}

#[test]
fn booking_section_is_read_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("default.toml"),
        "[booking]\nhours = { mon = \"09:00-17:00\", sat = \"closed\" }\nreminder_offsets_minutes = [60]\n\
         [[booking.services]]\ncode = \"diagnostics\"\nduration_minutes = 60\nbuffer_minutes = 0\n",
    )
    .unwrap();
    let s = Settings::load_from(dir.path(), env(&[])).unwrap();
    assert_eq!(s.booking.weekly[0].unwrap().format(), "09:00-17:00");
    assert!(s.booking.weekly[1].is_none() && s.booking.weekly[5].is_none());
    assert_eq!(s.booking.services[0].duration, chrono::Duration::minutes(60));
    assert_eq!(s.booking.reminders, vec![chrono::Duration::minutes(60)]);
    std::fs::write(dir.path().join("default.toml"), "[booking]\nhours = { mon = \"18-10\" }\n").unwrap();
    assert!(format!("{:#}", Settings::load_from(dir.path(), env(&[])).unwrap_err()).contains("booking.hours.mon"));
    // The shipped file loads.
    let shipped = Settings::load_from(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/config")), env(&[])).unwrap();
    assert_eq!(shipped.booking.services.len(), 2);
}

#[test]
fn backup_settings_from_env() {
    let empty = tempfile::tempdir().unwrap();
    let s = Settings::load_from(empty.path(), env(&[])).unwrap();
    assert_eq!(s.backup, BackupSettings::default());
    assert_eq!(s.backup.folder(&s.database_url), PathBuf::from("data/backups"));
    assert_eq!(s.backup.folder("sqlite:///srv/crm/x.db"), PathBuf::from("/srv/crm/backups"));
    let s = Settings::load_from(empty.path(), env(&[("BACKUP_DIR", "/srv/b"), ("BACKUP_TO_TELEGRAM", "1")])).unwrap();
    assert_eq!((s.backup.folder(&s.database_url), s.backup.to_telegram), (PathBuf::from("/srv/b"), true));
    let e = Settings::load_from(empty.path(), env(&[("BACKUP_TO_TELEGRAM", "maybe")])).unwrap_err();
    assert!(format!("{e:#}").contains("BACKUP_TO_TELEGRAM"));
}

#[test]
fn bad_values_say_what_is_wrong() {
    let empty = tempfile::tempdir().unwrap();
    let e = Settings::load_from(empty.path(), env(&[("OWNER_TELEGRAM_IDS", "12,abc")])).unwrap_err();
    assert!(format!("{e:#}").contains("OWNER_TELEGRAM_IDS"));
    assert!(Settings::load_from(empty.path(), env(&[("BUSINESS_TZ", "Mars/Base")])).is_err());
    assert!(Settings::load_from(empty.path(), env(&[("TELEGRAM_WEBHOOK_SECRET", "has space")])).is_err());
    assert!(Settings::load_from(empty.path(), env(&[("PUBLIC_URL", "example.com")])).is_err());
}
