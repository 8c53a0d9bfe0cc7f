//! The last step: the times of the day and the form, re-rendered after every refusal with what
//! she chose and typed. The time she picked stays picked (never the day's first slot instead,
//! which booked the wrong time when she only fixed her phone), each error stands next to its
//! field, and a time someone else took is named as such with the nearest free ones beside it,
//! none picked for her.

use super::view::{esc, query_string};
use crate::core::booking::{date_code, free, last_bookable_day, minutes, service, weekday_label};
use crate::core::Core;
use crate::i18n::Tr;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// Free times offered beside a time that was taken.
const NEAREST: usize = 6;

/// Why the form came back.
#[derive(Debug, Clone)]
pub(super) enum Problem {
    Name(String),
    Phone(String),
    Email(String),
    /// No time was picked.
    NoTime,
    /// The picked time was taken (by someone else, or is no longer bookable).
    Taken,
}

/// What she typed and chose, and what was wrong with it.
#[derive(Debug, Clone, Default)]
pub(super) struct Filled<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub note: &'a str,
    /// Optional; with `consent`, she agrees to marketing e-mail (issue 16).
    pub email: &'a str,
    pub consent: bool,
    /// The form's one-time token, kept through the re-renders of one form.
    pub token: Option<&'a str>,
    pub problem: Option<Problem>,
}

/// Step 3: the times of the day and the form. The picked time stays picked; a picked time that
/// is no longer free is said to be taken, with the nearest free ones offered and none picked.
#[allow(clippy::too_many_arguments)]
pub(super) async fn times(
    core: &Core,
    tr: &Tr<'_>,
    svc_idx: u8,
    day: NaiveDate,
    picked: Option<DateTime<Utc>>,
    track: &BTreeMap<String, String>,
    filled: Filled<'_>,
) -> anyhow::Result<String> {
    let svc = service(core, svc_idx).ok_or_else(|| anyhow::anyhow!("no service"))?;
    let slots = free(core, svc, day, day).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let tz = core.config().tz;
    let other_day = format!(
        "<a class=\"btn\" href=\"/book?{}\">{}</a>",
        esc(&query_string(tr.lang, track, &[("service", svc_idx.to_string())])),
        esc(&tr.t("btn-other-day"))
    );
    let taken = matches!(filled.problem, Some(Problem::Taken)) || picked.is_some_and(|t| !slots.contains(&t));
    let (offered, checked) = match picked {
        Some(p) if taken => {
            let mut all = free(core, svc, day, last_bookable_day(core)).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            all.sort_by_key(|t| ((*t - p).num_seconds().abs(), *t));
            all.truncate(NEAREST);
            all.sort();
            (all, None)
        }
        _ => (slots, picked),
    };
    if offered.is_empty() {
        let msg = if taken { tr.t("web-taken-none") } else { tr.t("web-day-full") };
        return Ok(format!("<p class=\"error\" role=\"alert\">{}</p>{other_day}", esc(&msg)));
    }
    let error =
        |text: String, id: &str| format!("<p class=\"error\" id=\"err-{id}\" role=\"alert\">{}</p>", esc(&text));
    let (mut e_time, mut e_name, mut e_phone, mut e_email) =
        (String::new(), String::new(), String::new(), String::new());
    if taken {
        e_time = error(tr.t("book-taken"), "start");
    }
    match &filled.problem {
        Some(Problem::NoTime) if !taken => e_time = error(tr.t("web-choose-time"), "start"),
        Some(Problem::Name(m)) => e_name = error(m.clone(), "name"),
        Some(Problem::Phone(m)) => e_phone = error(m.clone(), "phone"),
        Some(Problem::Email(m)) => e_email = error(m.clone(), "email"),
        _ => {}
    }
    let invalid = |e: &str, id: &str| {
        if e.is_empty() {
            String::new()
        } else {
            format!(" aria-invalid=\"true\" aria-describedby=\"err-{id}\" autofocus")
        }
    };
    let mut b = format!(
        "<form id=\"book\" method=\"post\" action=\"/book\"><p>{} — {} {}</p>{e_time}<div class=\"times\" role=\"radiogroup\">",
        esc(&tr.t("book-choose-time")),
        esc(&weekday_label(tr, day)),
        day.format("%d.%m")
    );
    for t in &offered {
        let local = t.with_timezone(&tz);
        let label = if local.date_naive() == day {
            local.format("%H:%M").to_string()
        } else {
            format!("{} {}", weekday_label(tr, local.date_naive()), local.format("%d.%m %H:%M"))
        };
        let on = if checked == Some(*t) { " checked" } else { "" };
        b.push_str(&format!(
            "<label><input type=\"radio\" name=\"start\" value=\"{}\" required{on}> {}</label>",
            minutes(*t),
            esc(&label)
        ));
    }
    b.push_str("</div>");
    b.push_str(&format!(
        "<label>{name}{e_name}<input type=\"text\" name=\"name\" required maxlength=\"100\" autocomplete=\"name\" value=\"{vn}\"{in_name}></label>\
<label>{phone}{e_phone}<input type=\"tel\" name=\"phone\" required maxlength=\"32\" autocomplete=\"tel\" placeholder=\"067 123 45 67\" value=\"{vp}\"{in_phone}></label>\
<label>{note}<textarea name=\"note\" maxlength=\"500\" rows=\"3\">{vt}</textarea></label>{ref_field}\
<label>{email}{e_email}<input type=\"email\" name=\"email\" maxlength=\"254\" autocomplete=\"email\" value=\"{ve}\"{in_email}></label>\
<label class=\"consent\"><input type=\"checkbox\" name=\"consent\" value=\"1\"{ck}> {consent}</label>\
<label class=\"hp\" aria-hidden=\"true\">Website<input type=\"text\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></label>\
<input type=\"hidden\" name=\"service\" value=\"{svc_idx}\"><input type=\"hidden\" name=\"day\" value=\"{day_code}\">\
<input type=\"hidden\" name=\"lang\" value=\"{lang}\">\
<input type=\"hidden\" name=\"track\" value=\"{track}\"><input type=\"hidden\" name=\"token\" value=\"{token}\">\
<button type=\"submit\">{submit}</button></form>{other_day}",
        name = esc(&tr.t("web-name")),
        phone = esc(&tr.t("web-phone")),
        note = esc(&tr.t("web-note")),
        email = esc(&tr.t("consent-web-email")),
        consent = esc(&tr.t("consent-web-check")),
        ve = esc(filled.email),
        ck = if filled.consent { " checked" } else { "" },
        in_email = invalid(&e_email, "email"),
        // A friend's referral code, unless she came by her link (`ref` in the tracking).
        ref_field = if track.contains_key("ref") {
            String::new()
        } else {
            format!(
                "<label>{}<input type=\"text\" name=\"ref_code\" maxlength=\"40\" autocomplete=\"off\"></label>",
                esc(&tr.t("web-ref-code"))
            )
        },
        submit = esc(&tr.t("btn-book-confirm")),
        vn = esc(filled.name),
        vp = esc(filled.phone),
        vt = esc(filled.note),
        in_name = invalid(&e_name, "name"),
        in_phone = invalid(&e_phone, "phone"),
        day_code = date_code(day),
        lang = tr.lang.code(),
        track = esc(&query_string(tr.lang, track, &[])),
        token = filled.token.filter(|t| valid_token(t)).map(str::to_string).unwrap_or_else(new_token),
    ));
    Ok(b)
}

/// A one-time form token: 128 random bits in hex.
fn new_token() -> String {
    let mut bytes = [0u8; 16];
    if let Err(e) = getrandom::getrandom(&mut bytes) {
        tracing::warn!(error = %e, "no system randomness for the form token: the form works without double-submit recognition");
        return String::new();
    }
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(super) fn valid_token(t: &str) -> bool {
    t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit())
}
