//! The HTML of `/book`: the studio's header (name, address with its map link, phone, prices),
//! the language switch, the first two steps (service, day; the form is `form`), and the query
//! strings the links and the form's `track` field carry. The language switch
//! keeps the step: a link with the step's choices in its query, and on the form a button that
//! re-sends the form (so what she typed stays out of URLs and still survives the switch).
//! Everything from the configuration or the visitor is HTML-escaped.

use crate::core::booking::{date_code, free, last_bookable_day, minutes, service, service_label, weekday_label};
use crate::core::Core;
use crate::i18n::{Lang, Tr};
use axum::response::Html;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

fn url_enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The tracking parameters we keep: `utm_*` and `ref`, bounded.
pub(super) fn tracking(params: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    params
        .iter()
        .filter(|(k, v)| (k.starts_with("utm_") || k.as_str() == "ref") && k.len() <= 20 && v.len() <= 100)
        .take(8)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// Decodes a value of the form's `track` field (what [`query_string`] wrote).
pub(super) fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz"), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub(super) fn query_string(lang: Lang, track: &BTreeMap<String, String>, extra: &[(&str, String)]) -> String {
    let mut parts = vec![format!("lang={}", lang.code())];
    parts.extend(track.iter().map(|(k, v)| format!("{}={}", url_enc(k), url_enc(v))));
    parts.extend(extra.iter().map(|(k, v)| format!("{k}={}", url_enc(v))));
    parts.join("&")
}

/// Where the visitor is: the choices made so far.
#[derive(Debug, Clone, Default)]
pub(super) struct Step {
    pub service: Option<u8>,
    pub day: Option<NaiveDate>,
    /// The time she picked (kept through errors and language switches).
    pub start: Option<DateTime<Utc>>,
}

impl Step {
    fn params(&self) -> Vec<(&'static str, String)> {
        let mut p = vec![];
        if let Some(s) = self.service {
            p.push(("service", s.to_string()));
            if let Some(d) = self.day {
                p.push(("day", date_code(d).to_string()));
                if let Some(t) = self.start {
                    p.push(("start", minutes(t).to_string()));
                }
            }
        }
        p
    }
}

/// How the language switch keeps the step.
pub(super) enum Switch {
    /// Links carrying the step's choices (and nothing typed).
    Links(Step),
    /// Buttons re-sending the form `book` (its typed fields too); see `post_form`.
    Form,
    /// Back to the start (pages that are not a step).
    Start,
}

/// The whole page: the studio's header, the language switch, the step's title and body.
pub(super) fn page(
    core: &Core,
    tr: &Tr<'_>,
    service: Option<u8>,
    switch: Switch,
    track: &BTreeMap<String, String>,
    body: &str,
) -> Html<String> {
    let studio = &core.config().booking.studio;
    let step_title = match service.and_then(|i| crate::core::booking::service(core, i)) {
        Some(svc) => tr.t_args("web-title-service", &[("service", service_label(tr, &svc.code).into())]),
        None => tr.t("web-title-any"),
    };
    Html(format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>\
body{{font-family:system-ui,sans-serif;margin:0 auto;max-width:34rem;padding:1rem;line-height:1.4;color:#222}}\
h1{{font-size:1.4rem;margin:.2rem 0}} h2{{font-size:1.15rem}} header p,header ul{{margin:.2rem 0}} header ul{{padding-left:1.2rem}}\
a.btn,button{{display:block;margin:.4rem 0;padding:.8rem;border-radius:.6rem;border:1px solid #2a7;background:#f4fbf7;color:#164;text-decoration:none;font-size:1rem;text-align:center;width:100%;box-sizing:border-box}}\
button{{background:#2a7;color:#fff}} .times{{display:grid;grid-template-columns:repeat(auto-fill,minmax(5.5rem,1fr));gap:.4rem}}\
.times label{{border:1px solid #2a7;border-radius:.6rem;padding:.6rem;text-align:center}} .times label:has(input:checked){{background:#2a7;color:#fff}}\
input[type=text],input[type=tel],textarea{{width:100%;padding:.7rem;font-size:1rem;box-sizing:border-box;margin:.2rem 0 .8rem;border:1px solid #aaa;border-radius:.5rem}}\
[aria-invalid=true]{{border-color:#b00!important}} .hp{{position:absolute;left:-10000px}} .error{{color:#b00;margin:.2rem 0}}\
nav{{text-align:right}} nav button.lang{{display:inline;width:auto;margin:0;padding:0;border:0;background:none;color:#164;text-decoration:underline;font-size:1rem}}\
</style></head><body><nav>{nav}</nav><header class=\"studio\">{header}</header><h2>{step}</h2>{body}</body></html>",
        lang = tr.lang.code(),
        title = esc(&format!("{step_title} — {}", studio.name)),
        step = esc(&step_title),
        nav = nav(tr.lang, switch, track),
        header = header(core, tr),
    ))
}

fn nav(current: Lang, switch: Switch, track: &BTreeMap<String, String>) -> String {
    [(Lang::Uk, "UA"), (Lang::En, "EN")]
        .into_iter()
        .map(|(lang, label)| {
            let here = if lang == current { " aria-current=\"true\"" } else { "" };
            match &switch {
                Switch::Form => format!(
                    "<button class=\"lang\" type=\"submit\" form=\"book\" formnovalidate name=\"switch_lang\" value=\"{}\"{here}>{label}</button>",
                    lang.code()
                ),
                Switch::Links(step) => {
                    format!("<a href=\"/book?{}\"{here}>{label}</a>", esc(&query_string(lang, track, &step.params())))
                }
                Switch::Start => format!("<a href=\"/book?{}\"{here}>{label}</a>", esc(&query_string(lang, track, &[]))),
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Name, address (linked to the map when an `https` map address is configured), phone as a
/// `tel:` link, and the prices of the services that have one.
fn header(core: &Core, tr: &Tr<'_>) -> String {
    let b = &core.config().booking;
    let studio = &b.studio;
    let mut h = format!("<h1>{}</h1>", esc(&studio.name));
    if !studio.address.is_empty() {
        let address = esc(&studio.address);
        if crate::config::is_https_url(&studio.map_url) {
            h.push_str(&format!(
                "<p class=\"address\">📍 <a href=\"{}\" rel=\"noopener noreferrer\" target=\"_blank\">{address}</a></p>",
                esc(&studio.map_url)
            ));
        } else {
            h.push_str(&format!("<p class=\"address\">📍 {address}</p>"));
        }
    }
    if !studio.tel().trim_start_matches('+').is_empty() {
        h.push_str(&format!(
            "<p class=\"phone\">📞 <a href=\"tel:{}\">{}</a></p>",
            esc(&studio.tel()),
            esc(&studio.phone)
        ));
    }
    let prices: Vec<String> = b
        .services
        .iter()
        .filter_map(|svc| b.studio.prices.get(&svc.code).map(|p| (svc, p)))
        .map(|(svc, price)| {
            let line = tr.t_args(
                "web-price",
                &[("service", service_label(tr, &svc.code).into()), ("price", price.to_string().into())],
            );
            format!("<li>{}</li>", esc(&line))
        })
        .collect();
    if !prices.is_empty() {
        h.push_str(&format!(
            "<ul class=\"prices\" aria-label=\"{}\">{}</ul>",
            esc(&tr.t("web-prices")),
            prices.concat()
        ));
    }
    h
}

/// Step 1: the services.
pub(super) fn services(core: &Core, tr: &Tr<'_>, track: &BTreeMap<String, String>) -> String {
    let mut b = format!("<p>{}</p>", esc(&tr.t("book-choose-service")));
    for (i, svc) in core.config().booking.services.iter().enumerate() {
        let q = query_string(tr.lang, track, &[("service", i.to_string())]);
        let label = tr.t_args(
            "book-service-button",
            &[("service", service_label(tr, &svc.code).into()), ("minutes", svc.duration.num_minutes().into())],
        );
        b.push_str(&format!("<a class=\"btn service\" href=\"/book?{}\">{}</a>", esc(&q), esc(&label)));
    }
    b
}

/// Step 2: the days with free time.
pub(super) async fn days(
    core: &Core,
    tr: &Tr<'_>,
    svc_idx: u8,
    track: &BTreeMap<String, String>,
) -> anyhow::Result<String> {
    let svc = service(core, svc_idx).ok_or_else(|| anyhow::anyhow!("no service"))?;
    let slots = free(core, svc, crate::core::booking::today(core), last_bookable_day(core))
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let tz = core.config().tz;
    let mut list: Vec<NaiveDate> = slots.iter().map(|t| t.with_timezone(&tz).date_naive()).collect();
    list.dedup();
    if list.is_empty() {
        return Ok(format!("<p>{}</p>", esc(&tr.t("book-no-days"))));
    }
    let mut b = format!("<p>{}</p>", esc(&tr.t("book-choose-day")));
    for d in list.into_iter().take(14) {
        let q = query_string(tr.lang, track, &[("service", svc_idx.to_string()), ("day", date_code(d).to_string())]);
        b.push_str(&format!(
            "<a class=\"btn day\" href=\"/book?{}\">{} {}</a>",
            esc(&q),
            esc(&weekday_label(tr, d)),
            d.format("%d.%m")
        ));
    }
    Ok(b)
}
