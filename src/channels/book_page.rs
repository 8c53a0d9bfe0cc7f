//! `/book`: the booking page for clients who are not in Telegram. Server-rendered, mobile-first,
//! Ukrainian or English (`?lang=en`), no JavaScript needed: service → day → time with a form
//! (name, phone, note). `utm_*` and `ref` query parameters travel in the links and the form and are
//! kept on the booking. A second submit of the same form shows the same booking again (no double
//! booking); a filled honeypot field is thanked and ignored; each IP may post a few times per
//! ten minutes (the client's IP: behind a trusted proxy, from `X-Forwarded-For`, see
//! `client_ip`). A post from another site (its `Origin`, or `Referer` without one, names another
//! host than ours) is refused with 403: no page elsewhere can book in a visitor's name. The booking
//! itself (slot, who it is for, jobs, notices, the repeated form) is the use case
//! `core::booking::place`; this file guards the door, parses the form and renders HTML.

use crate::channels::client_ip::TrustedProxies;
use crate::core::booking::place::{For, Notice, Request, Slot};
use crate::core::booking::{
    date_code, date_from_code, fmt_when, free, from_minutes, last_bookable_day, minutes, place, service, service_label,
    today, weekday_label, BookingError,
};
use crate::core::clients::find::Typed;
use crate::core::Core;
use crate::domain::{ClientName, Phone};
use crate::i18n::{Lang, Tr};
use crate::store::bookings::NewBooking;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Posts allowed per IP in [`WINDOW`].
const POSTS_PER_WINDOW: usize = 10;
const WINDOW: Duration = Duration::from_secs(600);

#[derive(Clone)]
pub struct BookPage {
    pub core: Core,
    limiter: Arc<Mutex<HashMap<IpAddr, VecDeque<Instant>>>>,
    trusted: TrustedProxies,
}

impl BookPage {
    pub fn new(core: Core) -> Self {
        BookPage { core, limiter: Default::default(), trusted: TrustedProxies::default() }
    }

    /// Believes `X-Forwarded-For` from these proxies (and only them).
    pub fn trusting(self, trusted: TrustedProxies) -> Self {
        BookPage { trusted, ..self }
    }

    fn allow(&self, ip: IpAddr) -> bool {
        let ip = limit_key(ip);
        let mut map = self.limiter.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        if map.len() > 10_000 {
            map.retain(|_, q| q.back().is_some_and(|t| now.duration_since(*t) < WINDOW));
        }
        let q = map.entry(ip).or_default();
        while q.front().is_some_and(|t| now.duration_since(*t) >= WINDOW) {
            q.pop_front();
        }
        if q.len() >= POSTS_PER_WINDOW {
            return false;
        }
        q.push_back(now);
        true
    }
}

/// What the per-address limit counts: an IPv4 address, or an IPv6 /64 (one home connection or
/// one server owns a whole /64, so single IPv6 addresses would never be limited).
fn limit_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(std::net::Ipv6Addr::from(u128::from(v6) & !((1u128 << 64) - 1))),
        },
        v4 => v4,
    }
}

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
fn tracking(params: &BTreeMap<String, String>) -> BTreeMap<String, String> {
    params
        .iter()
        .filter(|(k, v)| (k.starts_with("utm_") || k.as_str() == "ref") && k.len() <= 20 && v.len() <= 100)
        .take(8)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

fn query_string(lang: Lang, track: &BTreeMap<String, String>, extra: &[(&str, String)]) -> String {
    let mut parts = vec![format!("lang={}", lang.code())];
    parts.extend(track.iter().map(|(k, v)| format!("{}={}", url_enc(k), url_enc(v))));
    parts.extend(extra.iter().map(|(k, v)| format!("{k}={}", url_enc(v))));
    parts.join("&")
}

fn page(tr: &Tr<'_>, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
<title>{title}</title><style>\
body{{font-family:system-ui,sans-serif;margin:0 auto;max-width:34rem;padding:1rem;line-height:1.4;color:#222}}\
h1{{font-size:1.4rem}} a.btn,button{{display:block;margin:.4rem 0;padding:.8rem;border-radius:.6rem;border:1px solid #2a7;background:#f4fbf7;color:#164;text-decoration:none;font-size:1rem;text-align:center;width:100%;box-sizing:border-box}}\
button{{background:#2a7;color:#fff}} .times{{display:grid;grid-template-columns:repeat(auto-fill,minmax(5.5rem,1fr));gap:.4rem}}\
.times label{{border:1px solid #2a7;border-radius:.6rem;padding:.6rem;text-align:center}} input[type=text],input[type=tel],textarea{{width:100%;padding:.7rem;font-size:1rem;box-sizing:border-box;margin:.2rem 0 .8rem;border:1px solid #aaa;border-radius:.5rem}}\
.hp{{position:absolute;left:-10000px}} .error{{color:#b00}} nav{{text-align:right}}\
</style></head><body><nav><a href=\"?lang=uk\">UA</a> · <a href=\"?lang=en\">EN</a></nav><h1>{title}</h1>{body}</body></html>",
        lang = tr.lang.code(),
        title = esc(&tr.t("web-title")),
    ))
}

fn lang_of(params: &BTreeMap<String, String>) -> Lang {
    params.get("lang").and_then(|l| Lang::from_code(l)).unwrap_or_default()
}

/// `GET /book`: one step per request, chosen by the parameters present.
pub async fn get_page(State(s): State<BookPage>, Query(params): Query<BTreeMap<String, String>>) -> Response {
    let lang = lang_of(&params);
    let tr = Tr { i18n: s.core.i18n(), lang };
    let track = tracking(&params);
    let svc_idx = params.get("service").and_then(|v| v.parse::<u8>().ok()).filter(|i| service(&s.core, *i).is_some());
    let day = params.get("day").and_then(|v| v.parse::<u32>().ok()).and_then(date_from_code);
    let body = match (svc_idx, day) {
        (None, _) => {
            let mut b = format!("<p>{}</p>", esc(&tr.t("book-choose-service")));
            for (i, svc) in s.core.config().booking.services.iter().enumerate() {
                let q = query_string(lang, &track, &[("service", i.to_string())]);
                let label = tr.t_args(
                    "book-service-button",
                    &[
                        ("service", service_label(&tr, &svc.code).into()),
                        ("minutes", svc.duration.num_minutes().into()),
                    ],
                );
                b.push_str(&format!("<a class=\"btn service\" href=\"/book?{}\">{}</a>", esc(&q), esc(&label)));
            }
            b
        }
        (Some(i), None) => match days(&s.core, &tr, i, lang, &track).await {
            Ok(b) => b,
            Err(e) => return internal(e),
        },
        (Some(i), Some(d)) => match times(&s.core, &tr, i, d, lang, &track, None).await {
            Ok(b) => b,
            Err(e) => return internal(e),
        },
    };
    page(&tr, &body).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "booking page failed");
    (StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable").into_response()
}

async fn days(
    core: &Core,
    tr: &Tr<'_>,
    svc_idx: u8,
    lang: Lang,
    track: &BTreeMap<String, String>,
) -> anyhow::Result<String> {
    let svc = service(core, svc_idx).ok_or_else(|| anyhow::anyhow!("no service"))?;
    let slots = free(core, svc, today(core), last_bookable_day(core)).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let tz = core.config().tz;
    let mut list: Vec<chrono::NaiveDate> = slots.iter().map(|t| t.with_timezone(&tz).date_naive()).collect();
    list.dedup();
    if list.is_empty() {
        return Ok(format!("<p>{}</p>", esc(&tr.t("book-no-days"))));
    }
    let mut b = format!("<p>{}</p>", esc(&tr.t("book-choose-day")));
    for d in list.into_iter().take(14) {
        let q = query_string(lang, track, &[("service", svc_idx.to_string()), ("day", date_code(d).to_string())]);
        b.push_str(&format!(
            "<a class=\"btn day\" href=\"/book?{}\">{} {}</a>",
            esc(&q),
            esc(&weekday_label(tr, d)),
            d.format("%d.%m")
        ));
    }
    Ok(b)
}

/// The time choice and the form (with an error message when a submit was refused).
async fn times(
    core: &Core,
    tr: &Tr<'_>,
    svc_idx: u8,
    day: chrono::NaiveDate,
    lang: Lang,
    track: &BTreeMap<String, String>,
    error: Option<(String, &BookForm)>,
) -> anyhow::Result<String> {
    let svc = service(core, svc_idx).ok_or_else(|| anyhow::anyhow!("no service"))?;
    let slots = free(core, svc, day, day).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let tz = core.config().tz;
    let mut b = String::new();
    if let Some((msg, _)) = &error {
        b.push_str(&format!("<p class=\"error\" role=\"alert\">{}</p>", esc(msg)));
    }
    if slots.is_empty() {
        let q = query_string(lang, track, &[("service", svc_idx.to_string())]);
        b.push_str(&format!(
            "<p>{}</p><a class=\"btn\" href=\"/book?{}\">{}</a>",
            esc(&tr.t("web-day-full")),
            esc(&q),
            esc(&tr.t("btn-other-day"))
        ));
        return Ok(b);
    }
    let form = error.map(|(_, f)| f);
    let value = |f: fn(&BookForm) -> &str| form.map(|x| esc(f(x))).unwrap_or_default();
    b.push_str(&format!(
        "<form method=\"post\" action=\"/book\"><p>{} — {} {}</p><div class=\"times\">",
        esc(&tr.t("book-choose-time")),
        esc(&weekday_label(tr, day)),
        day.format("%d.%m")
    ));
    for (n, t) in slots.iter().enumerate() {
        let checked = if n == 0 { " checked" } else { "" };
        b.push_str(&format!(
            "<label><input type=\"radio\" name=\"start\" value=\"{}\"{checked}> {}</label>",
            minutes(*t),
            t.with_timezone(&tz).format("%H:%M")
        ));
    }
    b.push_str("</div>");
    b.push_str(&format!(
        "<label>{name}<input type=\"text\" name=\"name\" required maxlength=\"100\" autocomplete=\"name\" value=\"{vn}\"></label>\
<label>{phone}<input type=\"tel\" name=\"phone\" required maxlength=\"32\" autocomplete=\"tel\" placeholder=\"067 123 45 67\" value=\"{vp}\"></label>\
<label>{note}<textarea name=\"note\" maxlength=\"500\" rows=\"3\">{vt}</textarea></label>\
<label class=\"hp\" aria-hidden=\"true\">Website<input type=\"text\" name=\"website\" tabindex=\"-1\" autocomplete=\"off\"></label>\
<input type=\"hidden\" name=\"service\" value=\"{svc_idx}\"><input type=\"hidden\" name=\"lang\" value=\"{lang}\">\
<input type=\"hidden\" name=\"track\" value=\"{track}\"><input type=\"hidden\" name=\"token\" value=\"{token}\">\
<button type=\"submit\">{submit}</button></form>",
        name = esc(&tr.t("web-name")),
        phone = esc(&tr.t("web-phone")),
        note = esc(&tr.t("web-note")),
        submit = esc(&tr.t("btn-book-confirm")),
        vn = value(|f| &f.name),
        vp = value(|f| &f.phone),
        vt = value(|f| &f.note),
        lang = lang.code(),
        track = esc(&query_string(lang, track, &[])),
        token = form.map(|f| f.token.as_str()).filter(|t| valid_token(t)).map(str::to_string).unwrap_or_else(new_token),
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

fn valid_token(t: &str) -> bool {
    t.len() == 32 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

#[derive(Debug, serde::Deserialize)]
pub struct BookForm {
    #[serde(default)]
    service: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    track: String,
    /// The form's one-time token (see [`new_token`]).
    #[serde(default)]
    token: String,
}

/// `POST /book`
pub async fn post_form(
    State(s): State<BookPage>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<BookForm>,
) -> Response {
    let lang = Lang::from_code(&form.lang).unwrap_or_default();
    let tr = Tr { i18n: s.core.i18n(), lang };
    if !same_site(&headers, s.core.config().public_url.as_deref()) {
        tracing::warn!(peer = %peer.ip(), "booking page: cross-site post refused");
        return (
            StatusCode::FORBIDDEN,
            page(
                &tr,
                &format!(
                    "<p class=\"error\">{}</p><a class=\"btn\" href=\"/book?lang={}\">{}</a>",
                    esc(&tr.t("web-cross-site")),
                    lang.code(),
                    esc(&tr.t("btn-book"))
                ),
            ),
        )
            .into_response();
    }
    let ip = s.trusted.client_ip(peer.ip(), &headers);
    if !s.allow(ip) {
        tracing::warn!(%ip, "booking page: rate limited");
        return (
            StatusCode::TOO_MANY_REQUESTS,
            page(&tr, &format!("<p class=\"error\">{}</p>", esc(&tr.t("web-rate-limited")))),
        )
            .into_response();
    }
    if !form.website.trim().is_empty() {
        // A bot filled the invisible field: thank it, store nothing.
        tracing::info!(%ip, "booking page: honeypot filled; ignored");
        return page(&tr, &format!("<p>{}</p>", esc(&tr.t("web-thanks")))).into_response();
    }
    let track: BTreeMap<String, String> = tracking(
        &form
            .track
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), percent_decode(v)))
            .collect(),
    );
    let (Some(svc_idx), Some(start)) = (
        form.service.parse::<u8>().ok().filter(|i| service(&s.core, *i).is_some()),
        form.start.parse::<i64>().ok().and_then(from_minutes),
    ) else {
        return (
            StatusCode::BAD_REQUEST,
            page(
                &tr,
                &format!(
                    "<p class=\"error\">{}</p><a class=\"btn\" href=\"/book?lang={}\">{}</a>",
                    esc(&tr.t("web-bad-form")),
                    lang.code(),
                    esc(&tr.t("btn-book"))
                ),
            ),
        )
            .into_response();
    };
    let day = start.with_timezone(&s.core.config().tz).date_naive();
    let outcome: Result<String, String> = match (ClientName::parse(&form.name), Phone::parse(&form.phone)) {
        (Err(e), _) => Err(crate::core::error_text(&tr, crate::core::parse_error(e, "name"))),
        (_, Err(e)) => Err(crate::core::error_text(&tr, crate::core::parse_error(e, "phone"))),
        (Ok(name), Ok(phone)) => {
            let note = form.note.trim().chars().take(500).collect::<String>();
            let token = Some(form.token.as_str()).filter(|t| valid_token(t));
            match book(&s.core, &tr, svc_idx, start, &name, &phone, &note, &track, token).await {
                Ok(r) => r,
                Err(e) => return internal(e),
            }
        }
    };
    match outcome {
        Ok(html) => page(&tr, &html).into_response(),
        Err(msg) => match times(&s.core, &tr, svc_idx, day, lang, &track, Some((msg, &form))).await {
            Ok(b) => (StatusCode::UNPROCESSABLE_ENTITY, page(&tr, &b)).into_response(),
            Err(e) => internal(e),
        },
    }
}

/// The scheme, host and port of an origin or URL (`https://Crm.Example/x` → `https`,
/// `crm.example`, 443); None for `null` or garbage.
fn origin_of(url: &str) -> Option<(String, String, u16)> {
    let url = reqwest::Url::parse(url.trim()).ok()?;
    let host = url.host_str()?.trim_end_matches('.').to_ascii_lowercase();
    Some((url.scheme().to_string(), host, url.port_or_known_default()?))
}

/// Whether a post comes from our own pages: its `Origin` (or, without one, its `Referer`) is
/// `PUBLIC_URL`'s origin (scheme, host and port), or names the host (and the port, when the
/// `Host` header states one) the request was sent to; another port of the same host is another
/// site. With neither header we cannot tell, and old browsers and privacy tools omit them, so it
/// passes.
fn same_site(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let claimed = match headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)) {
        None => return true,
        Some(v) => v.to_str().ok().and_then(origin_of),
    };
    let Some((_, claimed_host, claimed_port)) = claimed.clone() else { return false };
    if public_url.and_then(origin_of) == claimed {
        return true;
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    let Some((_, sent_host, sent_port)) = origin_of(&format!("http://{host}")) else { return false };
    // `Host: example.com` (no port) behind a TLS proxy: the port cannot be compared.
    let explicit_port =
        host.rsplit_once(':').is_some_and(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())) && !host.ends_with(']');
    sent_host == claimed_host && (!explicit_port || sent_port == claimed_port)
}

fn percent_decode(s: &str) -> String {
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

/// Books through `booking::place` (or recognises the same submit again); `Err(message)` when the
/// time is gone. A web form proves nothing about who typed it: the use case gives the booking a
/// card of its own with the typed name (the phone kept on the booking when it is on a card
/// already) and asks the owner "same person?".
#[allow(clippy::too_many_arguments)]
async fn book(
    core: &Core,
    tr: &Tr<'_>,
    svc_idx: u8,
    start: chrono::DateTime<chrono::Utc>,
    name: &ClientName,
    phone: &Phone,
    note: &str,
    track: &BTreeMap<String, String>,
    token: Option<&str>,
) -> anyhow::Result<Result<String, String>> {
    let svc = service(core, svc_idx).ok_or_else(|| anyhow::anyhow!("no service"))?.clone();
    let utm = track
        .iter()
        .filter(|(k, _)| k.starts_with("utm_"))
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let booking = NewBooking {
        ref_code: track.get("ref").cloned(),
        utm: (!utm.is_empty()).then_some(utm),
        note: (!note.is_empty()).then(|| note.to_string()),
        contact_name: Some(name.as_str().to_string()),
        contact_phone: Some(phone.as_str().to_string()),
        form_token: token.map(str::to_string),
        ..NewBooking::of(0, &svc, start, "web")
    };
    let typed = Typed { name, phone: Some(phone), email: None, note: None, source: "web" };
    let request = Request { who: For::Form(typed), booking, slot: Slot::Free, notice: Notice::New };
    let placed = match place(core, request).await {
        Ok(placed) => placed,
        Err(BookingError::Taken) => return Ok(Err(tr.t("book-taken"))),
        Err(BookingError::Failed(e)) => return Err(anyhow::anyhow!("{e:?}")),
    };
    if !placed.repeat {
        let id = placed.booking.id;
        tracing::info!(booking = id, matched_card = placed.claim.is_some(), "booked from the web page");
    }
    let done = tr.t_args(
        "book-done",
        &[
            ("service", service_label(tr, &svc.code).into()),
            ("when", fmt_when(core, tr, placed.booking.starts_at).into()),
        ],
    );
    Ok(Ok(format!("<p>{}</p>", esc(&done))))
}
