//! `/book`: the booking page for clients who are not in Telegram. Server-rendered, mobile-first,
//! Ukrainian or English (`?lang=en`), no JavaScript needed: service → day → time with a form
//! (name, phone, note, a friend's referral code). `utm_*` and `ref` query parameters travel in the
//! links and the form and are kept on the booking; after it, the new card's first touch and her
//! referral are `core::attribution::after_web_booking`'s. A second submit of the same form shows the same booking again (no double
//! booking); a filled honeypot field is thanked and ignored; each IP may post a few times per
//! ten minutes (the client's IP: behind a trusted proxy, from `X-Forwarded-For`, see
//! `client_ip`). A post from another site (its `Origin`, or `Referer` without one, names another
//! host than ours) is refused with 403: no page elsewhere can book in a visitor's name. The booking
//! itself (slot, who it is for, jobs, notices, the repeated form) is the use case
//! `core::booking::place`; this file parses the requests, `door` holds the origin check and the
//! limit's key, `view` renders the studio's header, the language switch and the first steps, and
//! `form` the form, kept with her picked time and typed fields through every refusal.

mod door;
mod form;
mod view;

use crate::channels::client_ip::TrustedProxies;
use crate::core::booking::place::{For, Notice, Request, Slot};
use crate::core::booking::{date_from_code, fmt_when, from_minutes, place, service, service_label, BookingError};
use crate::core::clients::find::Typed;
use crate::core::Core;
use crate::domain::{ClientName, Phone};
use crate::i18n::{Lang, Tr};
use crate::store::bookings::NewBooking;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Form;
use door::{limit_key, same_site};
use form::{Filled, Problem};
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use view::{percent_decode, tracking, Step, Switch};

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

pub use view::esc;

fn lang_of(params: &BTreeMap<String, String>) -> Lang {
    params.get("lang").and_then(|l| Lang::from_code(l)).unwrap_or_default()
}

fn service_of(core: &Core, v: Option<&String>) -> Option<u8> {
    v.and_then(|v| v.trim().parse::<u8>().ok()).filter(|i| service(core, *i).is_some())
}

fn day_of(v: Option<&String>) -> Option<chrono::NaiveDate> {
    v.and_then(|v| v.trim().parse::<u32>().ok()).and_then(date_from_code)
}

fn start_of(v: Option<&String>) -> Option<chrono::DateTime<chrono::Utc>> {
    v.and_then(|v| v.trim().parse::<i64>().ok()).and_then(from_minutes)
}

/// `GET /book`: one step per request, chosen by the parameters present (`service`, `day`, and
/// `start` for a time already picked, as the language switch sends them).
pub async fn get_page(State(s): State<BookPage>, Query(params): Query<BTreeMap<String, String>>) -> Response {
    let tr = Tr { i18n: s.core.i18n(), lang: lang_of(&params) };
    let track = tracking(&params);
    let svc_idx = service_of(&s.core, params.get("service"));
    let day = day_of(params.get("day")).filter(|_| svc_idx.is_some());
    let start = start_of(params.get("start")).filter(|_| day.is_some());
    let step = Step { service: svc_idx, day, start };
    let (body, switch) = match (svc_idx, day) {
        (None, _) => (view::services(&s.core, &tr, &track), Switch::Links(step)),
        (Some(i), None) => match view::days(&s.core, &tr, i, &track).await {
            Ok(b) => (b, Switch::Links(step)),
            Err(e) => return internal(e),
        },
        (Some(i), Some(d)) => match form::times(&s.core, &tr, i, d, start, &track, Filled::default()).await {
            Ok(b) => (b, Switch::Form),
            Err(e) => return internal(e),
        },
    };
    view::page(&s.core, &tr, svc_idx, switch, &track, &body).into_response()
}

fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "booking page failed");
    (StatusCode::SERVICE_UNAVAILABLE, "temporarily unavailable").into_response()
}

#[derive(Debug, serde::Deserialize)]
pub struct BookForm {
    #[serde(default)]
    service: String,
    /// The day shown (so a form sent without a time still comes back to it).
    #[serde(default)]
    day: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    email: String,
    /// The marketing consent checkbox: `1` when ticked.
    #[serde(default)]
    consent: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    track: String,
    /// A referral code she typed (a friend's), when she did not arrive with `?ref=`.
    #[serde(default)]
    ref_code: String,
    /// The form's one-time token (see `view::new_token`).
    #[serde(default)]
    token: String,
    /// The language switch on the form: re-render in that language, book nothing.
    #[serde(default)]
    switch_lang: String,
}

impl BookForm {
    fn filled(&self, problem: Option<Problem>) -> Filled<'_> {
        Filled {
            name: &self.name,
            phone: &self.phone,
            note: &self.note,
            email: &self.email,
            consent: !self.consent.is_empty(),
            token: Some(self.token.as_str()),
            problem,
        }
    }
}

/// A page that is not a step (refusals, thanks, the booking made).
fn plain(core: &Core, tr: &Tr<'_>, service: Option<u8>, body: &str) -> Html<String> {
    view::page(core, tr, service, Switch::Start, &BTreeMap::new(), body)
}

/// `POST /book`
pub async fn post_form(
    State(s): State<BookPage>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<BookForm>,
) -> Response {
    let switch = Lang::from_code(form.switch_lang.trim());
    let lang = switch.or_else(|| Lang::from_code(&form.lang)).unwrap_or_default();
    let tr = Tr { i18n: s.core.i18n(), lang };
    let again =
        |tr: &Tr<'_>| format!("<a class=\"btn\" href=\"/book?lang={}\">{}</a>", tr.lang.code(), esc(&tr.t("btn-book")));
    if !same_site(&headers, s.core.config().public_url.as_deref()) {
        tracing::warn!(peer = %peer.ip(), "booking page: cross-site post refused");
        let body = format!("<p class=\"error\">{}</p>{}", esc(&tr.t("web-cross-site")), again(&tr));
        return (StatusCode::FORBIDDEN, plain(&s.core, &tr, None, &body)).into_response();
    }
    // The language switch only re-renders the form, like a GET: not counted, nothing booked.
    if switch.is_none() {
        let ip = s.trusted.client_ip(peer.ip(), &headers);
        if !s.allow(ip) {
            tracing::warn!(%ip, "booking page: rate limited");
            let body = format!("<p class=\"error\">{}</p>", esc(&tr.t("web-rate-limited")));
            return (StatusCode::TOO_MANY_REQUESTS, plain(&s.core, &tr, None, &body)).into_response();
        }
        if !form.website.trim().is_empty() {
            // A bot filled the invisible field: thank it, store nothing.
            tracing::info!(%ip, "booking page: honeypot filled; ignored");
            let body = format!("<p>{}</p>", esc(&tr.t("web-thanks")));
            return plain(&s.core, &tr, None, &body).into_response();
        }
    }
    let mut track: BTreeMap<String, String> = tracking(
        &form
            .track
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), percent_decode(v)))
            .collect(),
    );
    // A typed code travels as `ref` (kept through a refusal like the link's, checked at booking).
    let typed_ref = form.ref_code.trim();
    if !typed_ref.is_empty() && typed_ref.len() <= 40 && !track.contains_key("ref") {
        track.insert("ref".into(), typed_ref.to_string());
    }
    let svc_idx = service_of(&s.core, Some(&form.service));
    let start = start_of(Some(&form.start));
    let tz = s.core.config().tz;
    let day = start.map(|t| t.with_timezone(&tz).date_naive()).or_else(|| day_of(Some(&form.day)));
    let (Some(svc_idx), Some(day)) = (svc_idx, day) else {
        let body = format!("<p class=\"error\">{}</p>{}", esc(&tr.t("web-bad-form")), again(&tr));
        return (StatusCode::BAD_REQUEST, plain(&s.core, &tr, svc_idx, &body)).into_response();
    };
    // The form once more, with what she chose and typed, and what was wrong.
    let form_again = |status: StatusCode, problem: Option<Problem>| {
        let (core, tr, track, filled) = (&s.core, &tr, &track, form.filled(problem));
        async move {
            match form::times(core, tr, svc_idx, day, start, track, filled).await {
                Ok(b) => (status, view::page(core, tr, Some(svc_idx), Switch::Form, track, &b)).into_response(),
                Err(e) => internal(e),
            }
        }
    };
    if switch.is_some() {
        return form_again(StatusCode::OK, None).await;
    }
    let Some(start) = start else {
        return form_again(StatusCode::UNPROCESSABLE_ENTITY, Some(Problem::NoTime)).await;
    };
    let (name, phone) = match (ClientName::parse(&form.name), Phone::parse(&form.phone)) {
        (Err(e), _) => {
            let msg = crate::core::error_text(&tr, crate::core::parse_error(e, "name"));
            return form_again(StatusCode::UNPROCESSABLE_ENTITY, Some(Problem::Name(msg))).await;
        }
        (_, Err(e)) => {
            let msg = crate::core::error_text(&tr, crate::core::parse_error(e, "phone"));
            return form_again(StatusCode::UNPROCESSABLE_ENTITY, Some(Problem::Phone(msg))).await;
        }
        (Ok(name), Ok(phone)) => (name, phone),
    };
    let email = match form.email.trim() {
        "" => None,
        typed => match crate::domain::profile::parse_email(typed) {
            Ok(e) => Some(e),
            Err(e) => {
                let msg = crate::core::error_text(&tr, crate::core::parse_error(e, "email"));
                return form_again(StatusCode::UNPROCESSABLE_ENTITY, Some(Problem::Email(msg))).await;
            }
        },
    };
    let marketing = Marketing { email: email.as_deref(), consent: !form.consent.is_empty() };
    let note = form.note.trim().chars().take(500).collect::<String>();
    let token = Some(form.token.as_str()).filter(|t| form::valid_token(t));
    match book(&s.core, &tr, svc_idx, start, (&name, &phone, marketing), &note, &track, token).await {
        Ok(Some(html)) => plain(&s.core, &tr, Some(svc_idx), &html).into_response(),
        Ok(None) => form_again(StatusCode::UNPROCESSABLE_ENTITY, Some(Problem::Taken)).await,
        Err(e) => internal(e),
    }
}

/// Books through `booking::place` (or recognises the same submit again); `None` when the time
/// is gone. A web form proves nothing about who typed it: the use case gives the booking a
/// card of its own with the typed name (the phone kept on the booking when it is on a card
/// already) and asks the owner "same person?".
/// Her e-mail (optional) and whether she ticked the consent to marketing e-mail.
#[derive(Debug, Clone, Copy)]
struct Marketing<'a> {
    email: Option<&'a str>,
    consent: bool,
}

#[allow(clippy::too_many_arguments)]
async fn book(
    core: &Core,
    tr: &Tr<'_>,
    svc_idx: u8,
    start: chrono::DateTime<chrono::Utc>,
    (name, phone, marketing): (&ClientName, &Phone, Marketing<'_>),
    note: &str,
    track: &BTreeMap<String, String>,
    token: Option<&str>,
) -> anyhow::Result<Option<String>> {
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
    let typed = Typed { name, phone: Some(phone), email: marketing.email, note: None, source: "web" };
    let request = Request { who: For::Form(typed), booking, slot: Slot::Free, notice: Notice::New };
    let placed = match place(core, request).await {
        Ok(placed) => placed,
        Err(BookingError::Taken) => return Ok(None),
        Err(BookingError::Failed(e)) => return Err(anyhow::anyhow!("{e:?}")),
    };
    if let Err(e) = crate::core::attribution::after_web_booking(core, &placed, track, phone).await {
        // The booking stands; only its attribution is missing.
        tracing::error!(error = ?e, booking = placed.booking.id, "booking page: attribution not recorded");
    }
    if !placed.repeat {
        if let Some(email) = marketing.email {
            // Her new card (a form proves nothing, so never an existing one) gets the address,
            // and the consent she ticked, from the page.
            let card = placed.booking.client_id;
            let value = crate::store::clients::FieldValue::Text(Some(email.to_string()));
            core.store().set_client_field(card, crate::store::clients::TextField::Email, value).await?;
            if marketing.consent {
                core.store().give_consent(card, "page").await?;
                crate::core::marketing::listmonk::nudge(core).await;
            }
        }
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
    Ok(Some(format!("<p>{}</p>", esc(&done))))
}
