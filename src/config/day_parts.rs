//! `[day_parts]` in the settings file: the hours `вранці`, `в обід`, `після обіду`, `ввечері` mean
//! in due times, and the hour of a day named without a time (`crate::domain::when::DayParts`).

use serde::Deserialize;

/// `[day_parts]`: hours 0–23.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FileDayParts {
    morning: Option<u32>,
    lunch: Option<u32>,
    after_lunch: Option<u32>,
    evening: Option<u32>,
    no_time: Option<u32>,
}

pub(super) fn apply(p: &mut crate::domain::when::DayParts, f: FileDayParts, src: &str) -> anyhow::Result<()> {
    for (name, value, slot) in [
        ("morning", f.morning, &mut p.morning),
        ("lunch", f.lunch, &mut p.lunch),
        ("after_lunch", f.after_lunch, &mut p.after_lunch),
        ("evening", f.evening, &mut p.evening),
        ("no_time", f.no_time, &mut p.no_time),
    ] {
        if let Some(v) = value {
            anyhow::ensure!(v <= 23, "{src}: day_parts.{name} = {v} is not an hour 0-23");
            *slot = v;
        }
    }
    Ok(())
}
