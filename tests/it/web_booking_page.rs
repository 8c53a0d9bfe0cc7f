//! The `/book` page as a client meets it (issue 12): after a refusal the time she picked and
//! everything she typed are still there (fixing the phone books the time she picked, not the
//! day's first), a taken time is named with the nearest free ones beside it and none picked;
//! the header says whose studio it is (escaped, the map link only when `https`), the title names
//! the service; the language switch keeps the step and the choices.
//!
//! The forms are sent back the way a browser would: from the re-rendered page (its checked
//! radio, its hidden fields), never from what the test remembers.

use crate::helpers::*;
use insoles_crm::config::Settings;

fn client() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

async fn get(app: &TestApp, path_and_query: &str) -> String {
    let r = client().get(format!("http://{}{path_and_query}", app.http)).send().await.unwrap();
    assert_eq!(r.status(), 200, "{path_and_query}");
    r.text().await.unwrap()
}

/// The form's time radios: (value, checked, label).
fn radios(html: &str) -> Vec<(String, bool, String)> {
    html.split("<input type=\"radio\" name=\"start\" value=\"")
        .skip(1)
        .map(|rest| {
            let value = rest.split('"').next().unwrap().to_string();
            let tag = rest.split('>').next().unwrap();
            let label = rest.split_once('>').unwrap().1.split("</label>").next().unwrap().trim().to_string();
            (value, tag.contains(" checked"), label)
        })
        .collect()
}

/// The `value` of the input named `name` (the form's hidden fields and text inputs).
fn value(html: &str, name: &str) -> String {
    field(html, name).unwrap_or_else(|| panic!("no {name} in {html}"))
}

fn field(html: &str, name: &str) -> Option<String> {
    let rest = html.split(&format!("name=\"{name}\"")).nth(1)?;
    let tag = rest.split('>').next().unwrap();
    Some(tag.split("value=\"").nth(1).map(|v| v.split('"').next().unwrap()).unwrap_or("").replace("&amp;", "&"))
}

fn textarea(html: &str, name: &str) -> String {
    let rest = html.split(&format!("<textarea name=\"{name}\"")).nth(1).unwrap();
    rest.split_once('>').unwrap().1.split("</textarea>").next().unwrap().to_string()
}

/// What a browser sends for this form: every field as the page shows it, then `changes`.
fn as_browser_sends(html: &str, changes: &[(&str, &str)]) -> Vec<(String, String)> {
    let checked = radios(html).into_iter().find(|r| r.1).map(|r| r.0);
    let mut fields: Vec<(String, String)> = ["service", "day", "lang", "track", "token", "name", "phone"]
        .iter()
        .filter_map(|n| field(html, n).map(|v| (n.to_string(), v)))
        .collect();
    fields.push(("note".into(), textarea(html, "note").replace("&#39;", "'")));
    fields.extend(checked.map(|c| ("start".to_string(), c)));
    for (k, v) in changes {
        fields.retain(|(name, _)| name != k);
        fields.push((k.to_string(), v.to_string()));
    }
    fields
}

async fn post(app: &TestApp, fields: &[(String, String)]) -> (u16, String) {
    let r = client().post(format!("http://{}/book", app.http)).form(fields).send().await.unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The form of the second day with free time (a whole day, unlike today), for service `svc`.
async fn second_day_form(app: &TestApp, svc: u8, extra: &str) -> (String, String) {
    let days = get(app, &format!("/book?service={svc}{extra}")).await;
    let day = days.split("day=").nth(2).unwrap().split(['"', '&']).next().unwrap().to_string();
    let form = get(app, &format!("/book?service={svc}&day={day}{extra}")).await;
    (day, form)
}

/// The starts (in the form's minutes) of the bookings made with this phone.
async fn starts_of(app: &TestApp, phone: &str) -> Vec<i64> {
    let phone = insoles_crm::domain::Phone::parse(phone).unwrap().as_str().to_string();
    let now = chrono::Utc::now();
    let all = app.core.store().bookings_between(now, now + chrono::Duration::days(60)).await.unwrap();
    all.iter().filter(|b| b.client_phone.as_deref() == Some(&phone)).map(|b| b.starts_at.timestamp() / 60).collect()
}

#[tokio::test]
async fn a_fixed_phone_books_the_time_she_chose_not_the_first_slot() {
    let app = TestApp::spawn().await;
    let (_, form) = second_day_form(&app, 0, "").await;
    let times = radios(&form);
    assert!(times.len() >= 4, "a whole day has several times: {times:?}");
    assert!(times.iter().all(|t| !t.1), "nothing is picked for her before she picks");
    let chosen = times[2].0.clone();

    let typed =
        [("start", chosen.as_str()), ("name", "Ірина О'Коннор"), ("phone", "12345"), ("note", "п'ята <болить>")];
    let (status, again) = post(&app, &as_browser_sends(&form, &typed)).await;
    assert_eq!(status, 422);
    let picked: Vec<String> = radios(&again).into_iter().filter(|r| r.1).map(|r| r.0).collect();
    assert_eq!(picked, [chosen.as_str()], "the time she picked stays picked, and only it");
    assert_eq!(value(&again, "name"), typed[1].1.replace('\'', "&#39;"), "her name is kept (escaped)");
    assert_eq!(value(&again, "phone"), "12345");
    assert_eq!(textarea(&again, "note"), "п&#39;ята &lt;болить&gt;");
    // The reason stands next to the phone field, which is marked invalid.
    let phone_label = again.split("<label>Телефон").nth(1).unwrap().split("</label>").next().unwrap();
    assert!(phone_label.contains("id=\"err-phone\"") && phone_label.contains("Не схоже на номер телефону"), "{again}");
    assert!(phone_label.contains("aria-invalid=\"true\""));
    assert!(!again.contains("щойно зайняли"), "her time is still free: no word of it being taken");
    assert!(starts_of(&app, "067 765 43 21").await.is_empty());

    // She fixes only the phone and sends the form as the page now stands.
    let (status, done) = post(&app, &as_browser_sends(&again, &[("phone", "067 765 43 21")])).await;
    assert_eq!(status, 200, "{done}");
    assert!(done.contains("Ви записані"), "{done}");
    assert_eq!(
        starts_of(&app, "067 765 43 21").await,
        [chosen.parse::<i64>().unwrap()],
        "booked at the time she chose"
    );

    // A name refused: the error by the name, the time still picked.
    let (_, form) = second_day_form(&app, 1, "").await;
    let chosen = radios(&form)[1].0.clone();
    let (status, again) =
        post(&app, &as_browser_sends(&form, &[("start", &chosen), ("name", " "), ("phone", "0501112233")])).await;
    assert_eq!(status, 422);
    let name_label = again.split("<label>Ваше ім&#39;я").nth(1).unwrap().split("</label>").next().unwrap();
    assert!(name_label.contains("id=\"err-name\"") && name_label.contains("aria-invalid=\"true\""), "{again}");
    assert_eq!(radios(&again).into_iter().filter(|r| r.1).map(|r| r.0).collect::<Vec<_>>(), [chosen]);
    assert_eq!(value(&again, "phone"), "0501112233");

    // No time picked at all (an old browser ignores `required`): asked for one, nothing lost.
    let (status, again) = post(&app, &as_browser_sends(&form, &[("name", "Оля"), ("phone", "0501112233")])).await;
    assert_eq!(status, 422, "{again}");
    assert!(again.contains("id=\"err-start\"") && again.contains("Оберіть час візиту"), "{again}");
    assert_eq!((value(&again, "name"), value(&again, "phone")), ("Оля".into(), "0501112233".into()));
}

#[tokio::test]
async fn a_taken_time_is_named_and_the_nearest_free_ones_offered_none_picked() {
    let app = TestApp::spawn().await;
    let (_, form) = second_day_form(&app, 0, "").await;
    let times = radios(&form);
    let chosen = times[3].0.clone();
    let first = as_browser_sends(&form, &[("start", &chosen), ("name", "Перша"), ("phone", "0671112233")]);
    assert_eq!(post(&app, &first).await.0, 200);

    // The same page, open on another phone: she picks the same time.
    let second =
        as_browser_sends(&form, &[("start", &chosen), ("name", "Друга"), ("phone", "0672223344"), ("token", "")]);
    let (status, again) = post(&app, &second).await;
    assert_eq!(status, 422);
    assert!(again.contains("id=\"err-start\"") && again.contains("Цей час щойно зайняли"), "{again}");
    let offered = radios(&again);
    assert!(!offered.is_empty() && offered.len() <= 6, "{offered:?}");
    assert!(offered.iter().all(|r| !r.1), "none picked for her: {offered:?}");
    assert!(offered.iter().all(|r| r.0 != chosen), "the taken time is not offered");
    let chosen_min: i64 = chosen.parse().unwrap();
    let nearest_before = times[..3].iter().map(|t| t.0.parse::<i64>().unwrap()).filter(|t| chosen_min - t >= 50).max();
    let nearest_after = times[4..].iter().map(|t| t.0.parse::<i64>().unwrap()).find(|t| t - chosen_min >= 50);
    for near in nearest_before.into_iter().chain(nearest_after) {
        assert!(offered.iter().any(|r| r.0 == near.to_string()), "{near} is among the nearest: {offered:?}");
    }
    assert_eq!((value(&again, "name"), value(&again, "phone")), ("Друга".into(), "0672223344".into()));
    assert!(starts_of(&app, "0672223344").await.is_empty());

    // She picks one of the offered times and sends the form as it stands: booked there.
    let pick = offered[0].0.clone();
    let (status, done) = post(&app, &as_browser_sends(&again, &[("start", &pick)])).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(starts_of(&app, "0672223344").await, [pick.parse::<i64>().unwrap()]);
}

fn studio(s: &mut Settings) {
    s.booking.studio.name = "<Крок & \"Ко\">".into();
    s.booking.studio.address = "вул. Миру, 1 <b>".into();
    s.booking.studio.map_url = "https://maps.example/?q=1&z=\"x\"".into();
    s.booking.studio.phone = "+38 (050) 111-22-33".into();
    s.booking.studio.prices.insert("fitting".into(), insoles_crm::domain::Money::from_kopecks(25_000));
}

#[tokio::test]
async fn the_page_says_whose_studio_it_is_and_names_the_chosen_service() {
    let app = TestApp::spawn_custom(false, None, studio).await;
    let first = get(&app, "/book").await;
    assert!(first.contains("<h1>&lt;Крок &amp; &quot;Ко&quot;&gt;</h1>"), "{first}");
    assert!(!first.contains("<Крок") && !first.contains("1 <b>"), "nothing from the config goes out unescaped");
    assert!(first.contains("<a href=\"https://maps.example/?q=1&amp;z=&quot;x&quot;\""), "{first}");
    assert!(first.contains(">вул. Миру, 1 &lt;b&gt;</a>"));
    assert!(first.contains("<a href=\"tel:+380501112233\">+38 (050) 111-22-33</a>"), "{first}");
    assert!(first.contains("<li>Діагностика стопи — 400,00 грн</li>"), "{first}");
    assert!(first.contains("<li>Примірка / видача устілок — 250,00 грн</li>"), "{first}");
    assert!(first.contains("<title>Онлайн-запис — &lt;Крок &amp; &quot;Ко&quot;&gt;</title>"), "{first}");

    let fitting = get(&app, "/book?service=1").await;
    assert!(fitting.contains("<title>Запис: Примірка / видача устілок — "), "{fitting}");
    let (_, form) = second_day_form(&app, 0, "&lang=en").await;
    assert!(form.contains("<title>Booking: Foot diagnostics — "), "{form}");
    assert!(form.contains("Foot diagnostics — "), "prices in English too");

    // A map address that is not https (set around the file check) is never a link.
    let app = TestApp::spawn_custom(false, None, |s| s.booking.studio.map_url = "javascript:alert(1)".into()).await;
    let page = get(&app, "/book").await;
    assert!(!page.contains("javascript:") && page.contains("class=\"address\""), "{page}");
    assert!(page.contains("<a href=\"tel:+380001234567\">+380 00 123 45 67</a>"), "the default studio: {page}");
}

#[tokio::test]
async fn the_language_switch_keeps_the_step_and_the_choices() {
    let app = TestApp::spawn().await;
    // Links on the steps before the form carry the step and the tracking.
    let days = get(&app, "/book?service=1&utm_source=flyer").await;
    let nav = days.split("<nav>").nth(1).unwrap().split("</nav>").next().unwrap();
    assert!(nav.contains("href=\"/book?lang=en&amp;utm_source=flyer&amp;service=1\""), "{nav}");
    let en = get(&app, "/book?lang=en&utm_source=flyer&service=1").await;
    assert!(en.contains("class=\"btn day\""), "still the day step: {en}");
    assert!(en.contains("<html lang=\"en\">") && en.contains("Booking: Fitting"), "{en}");

    // A time given in the address is picked.
    let (day, form) = second_day_form(&app, 0, "").await;
    let chosen = radios(&form)[2].0.clone();
    let linked = get(&app, &format!("/book?service=0&day={day}&start={chosen}&lang=en")).await;
    assert_eq!(radios(&linked).into_iter().filter(|r| r.1).map(|r| r.0).collect::<Vec<_>>(), [chosen.as_str()]);

    // On the form the switch re-sends the form: same step, her time and text kept, nothing booked.
    let nav = form.split("<nav>").nth(1).unwrap().split("</nav>").next().unwrap();
    assert!(nav.contains("form=\"book\"") && nav.contains("name=\"switch_lang\" value=\"en\""), "{nav}");
    let mut switch =
        as_browser_sends(&form, &[("start", &chosen), ("name", "Олена"), ("phone", "0991234567"), ("note", "hi")]);
    switch.push(("switch_lang".into(), "en".into()));
    for _ in 0..12 {
        // More than the posting limit: a switch books nothing and is not counted.
        let (status, page) = post(&app, &switch).await;
        assert_eq!(status, 200, "{page}");
        assert!(page.contains("<html lang=\"en\">") && page.contains("Your name"), "{page}");
        assert_eq!(radios(&page).into_iter().filter(|r| r.1).map(|r| r.0).collect::<Vec<_>>(), [chosen.as_str()]);
        assert_eq!((value(&page, "name"), value(&page, "phone")), ("Олена".into(), "0991234567".into()));
        assert_eq!((textarea(&page, "note"), value(&page, "lang")), ("hi".into(), "en".into()));
        assert!(!page.contains("class=\"error\""), "a switch is not a refusal: {page}");
    }
    assert!(starts_of(&app, "0991234567").await.is_empty());
    let (status, done) =
        post(&app, &as_browser_sends(&form, &[("start", &chosen), ("name", "Олена"), ("phone", "0991234567")])).await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(starts_of(&app, "0991234567").await, [chosen.parse::<i64>().unwrap()]);
}
