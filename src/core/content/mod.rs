//! Instagram content (issue 16, Content): `/post <topic> [#campaign]` drafts a post (`draft.rs`:
//! the knowledge base, the season, her voice; the LLM's draft checked, else the offline one),
//! shown as a card with ✅ approve, 🔁 another variant, 📅 schedule, ✖ discard; `/plan` is the
//! content calendar with its publish-day reminders (`plan.rs`). An approved post is sent as plain
//! text to copy, with the campaign's booking link (`attribution::links::utm_url`, the same link
//! `/link` makes: `utm_source=instagram&utm_medium=social&utm_campaign=<campaign>`). The posts
//! live in `store::content`. Owner only: the buttons are dispatched from the owner's side alone.

pub mod draft;
pub mod plan;

use super::callback::callbacks;
use super::{Button, Core, CoreError, CoreResult, Ctx, Output, Reply};
use crate::store::content::Post;
use draft::Rejected;

callbacks! {
    /// Buttons of the post card and the content plan (owner only).
    pub enum ContentCb {
        Approve(id: i64) => "qa",
        Variant(id: i64) => "qv",
        /// The day picker for a post.
        Schedule(id: i64) => "qs",
        Discard(id: i64) => "qx",
        /// Schedule post `id` on day `day` (`YYYYMMDD`).
        Day(id: i64, day: u32) => "qd",
        Published(id: i64) => "qp",
        Plan => "ql",
        Open(id: i64) => "qo",
        /// Draft the season's topic number `index`.
        Topic(index: u8) => "qt",
    }
}

/// The longest topic taken (the rest is cut).
const TOPIC_MAX: usize = 100;
/// Campaign names, as `/link` takes them (they end up in a Telegram payload too).
const CAMPAIGN_MAX: usize = 60;

/// `дитячі устілки` → `dytiachi-ustilky`: the campaign name of a topic (Ukrainian transliterated,
/// anything else a hyphen), at most 60 characters, `post` when nothing is left.
pub fn slug(topic: &str) -> String {
    let mut out = String::new();
    for c in topic.to_lowercase().chars() {
        let latin = match c {
            'а' => "a",
            'б' => "b",
            'в' => "v",
            'г' => "h",
            'ґ' => "g",
            'д' => "d",
            'е' | 'э' | 'ё' => "e",
            'є' => "ie",
            'ж' => "zh",
            'з' => "z",
            'и' | 'ы' => "y",
            'і' => "i",
            'ї' => "i",
            'й' => "i",
            'к' => "k",
            'л' => "l",
            'м' => "m",
            'н' => "n",
            'о' => "o",
            'п' => "p",
            'р' => "r",
            'с' => "s",
            'т' => "t",
            'у' => "u",
            'ф' => "f",
            'х' => "kh",
            'ц' => "ts",
            'ч' => "ch",
            'ш' => "sh",
            'щ' => "shch",
            'ю' => "iu",
            'я' => "ia",
            'ь' | 'ъ' | '\'' | 'ʼ' | '’' | '`' => "",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => "-",
        };
        if latin == "-" {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.push_str(latin);
        }
    }
    let mut s = out.trim_matches('-').to_string();
    if s.len() > CAMPAIGN_MAX {
        s.truncate(CAMPAIGN_MAX);
        s = s.trim_end_matches('-').to_string();
    }
    if s.is_empty() {
        "post".into()
    } else {
        s
    }
}

/// `/post <topic> [#campaign]`.
pub async fn command(ctx: &Ctx<'_>, args: &str) -> CoreResult {
    let mut topic = args.trim().to_string();
    let mut campaign = None;
    if let Some((head, last)) = topic.rsplit_once(char::is_whitespace).map(|(h, l)| (h.to_string(), l.to_string())) {
        if let Some(name) = last.strip_prefix('#') {
            let clean = super::attribution::clean(name).filter(|c| c.len() <= CAMPAIGN_MAX && !c.contains('.'));
            campaign = Some(clean.ok_or_else(|| CoreError::user("link-bad-campaign"))?);
            topic = head.trim().to_string();
        }
    }
    let topic: String = topic.chars().take(TOPIC_MAX).collect();
    if topic.is_empty() {
        return Ok(season_topics(ctx, ctx.t("post-pick-topic")));
    }
    new_draft(ctx, &topic, campaign).await
}

/// The season's topics as buttons under `text`.
fn season_topics(ctx: &Ctx<'_>, text: String) -> Output {
    let season = draft::season(&ctx.core.config().content, super::booking::today(ctx.core));
    let rows = season
        .topics
        .iter()
        .enumerate()
        .map(|(i, t)| vec![Button::new(format!("📝 {t}"), ContentCb::Topic(i as u8))])
        .collect();
    Output::one(Reply::text(text).with_buttons(rows))
}

async fn new_draft(ctx: &Ctx<'_>, topic: &str, campaign: Option<String>) -> CoreResult {
    let today = super::booking::today(ctx.core);
    let Some(d) = draft::draft_for(ctx.core, topic, today, 0).await else {
        return Ok(season_topics(ctx, ctx.t_args("post-no-match", &[("topic", topic.into())])));
    };
    let campaign = campaign.unwrap_or_else(|| slug(topic));
    let id = ctx.store().insert_post(topic, &campaign, &d.text).await?;
    tracing::info!(post = id, source = d.text.source, season = %d.season, "content draft made");
    let post = ctx.store().post(id).await?.ok_or(CoreError::NotFound)?;
    Ok(Output::one(card(ctx, &post, d.rejected.as_ref())))
}

/// What "rejected" says, localized.
fn rejected_line(ctx: &Ctx<'_>, why: &Rejected) -> String {
    let reason = match why {
        Rejected::Number(n) => ctx.t_args(why.key(), &[("number", n.as_str().into())]),
        other => ctx.t(other.key()),
    };
    ctx.t_args("post-llm-rejected", &[("reason", reason.into())])
}

/// The post's card: its text, photo idea, state and the buttons its state allows.
pub fn card(ctx: &Ctx<'_>, post: &Post, rejected: Option<&Rejected>) -> Reply {
    let mut text = String::new();
    if let Some(why) = rejected {
        text.push_str(&rejected_line(ctx, why));
        text.push_str("\n\n");
    } else if post.source == "llm" {
        text.push_str(&ctx.t("post-source-llm"));
        text.push_str("\n\n");
    }
    text.push_str(&ctx.t_args("post-card-title", &[("id", post.id.into()), ("topic", post.topic.as_str().into())]));
    text.push_str(&format!("\n\n{}\n\n{}\n\n", post.caption, post.hashtags));
    text.push_str(&ctx.t_args("post-image", &[("idea", post.image_idea.as_str().into())]));
    text.push('\n');
    text.push_str(
        &ctx.t_args(
            "post-state",
            &[("state", post.state.as_str().into()), ("campaign", post.campaign.as_str().into())],
        ),
    );
    if let Some(d) = post.publish_date {
        text.push('\n');
        text.push_str(&ctx.t_args("post-date", &[("date", d.format("%d.%m.%Y").to_string().into())]));
    }
    let id = post.id;
    let mut rows = vec![];
    if post.state == "draft" {
        rows.push(vec![
            Button::new(ctx.t("btn-content-approve"), ContentCb::Approve(id)),
            Button::new(ctx.t("btn-content-variant"), ContentCb::Variant(id)),
        ]);
    }
    if matches!(post.state.as_str(), "draft" | "approved" | "scheduled") {
        rows.push(vec![
            Button::new(ctx.t("btn-content-schedule"), ContentCb::Schedule(id)),
            Button::new(ctx.t("btn-content-discard"), ContentCb::Discard(id)),
        ]);
    }
    if post.state == "scheduled" {
        rows.push(vec![Button::new(ctx.t("btn-content-published"), ContentCb::Published(id))]);
    }
    rows.push(vec![Button::new(ctx.t("btn-content-plan"), ContentCb::Plan)]);
    Reply::text(text).with_buttons(rows)
}

/// The text she copies into Instagram: the caption, the campaign's booking link, the hashtags.
pub fn publish_text(core: &Core, post: &Post) -> String {
    let link = super::attribution::links::utm_url(core, "instagram", "social", &post.campaign);
    match link {
        Some(url) => format!("{}\n\n{url}\n\n{}", post.caption, post.hashtags),
        None => format!("{}\n\n{}", post.caption, post.hashtags),
    }
}

async fn post_or_gone(ctx: &Ctx<'_>, id: i64) -> CoreResult<Post> {
    ctx.store().post(id).await?.ok_or(CoreError::NotFound)
}

/// "Post #5 is already published": nothing more to do with it.
fn closed(post: &Post) -> CoreResult {
    Err(CoreError::user_with("post-closed", vec![("id", post.id.into()), ("state", post.state.as_str().into())]))
}

pub async fn on_button(ctx: &Ctx<'_>, cb: ContentCb) -> CoreResult {
    match cb {
        ContentCb::Topic(i) => {
            let season = draft::season(&ctx.core.config().content, super::booking::today(ctx.core));
            match season.topics.get(i as usize) {
                Some(topic) => new_draft(ctx, &topic.clone(), None).await,
                None => Ok(Output::default().toast(ctx.t("btn-expired"))),
            }
        }
        ContentCb::Open(id) => Ok(Output::one(card(ctx, &post_or_gone(ctx, id).await?, None))),
        ContentCb::Approve(id) => approve(ctx, id).await,
        ContentCb::Variant(id) => variant(ctx, id).await,
        ContentCb::Schedule(id) => plan::pick_day(ctx, id).await,
        ContentCb::Day(id, day) => match super::booking::date_from_code(day) {
            Some(date) => plan::schedule(ctx, id, date).await,
            None => Ok(Output::default().toast(ctx.t("btn-expired"))),
        },
        ContentCb::Discard(id) => plan::discard(ctx, id).await,
        ContentCb::Published(id) => plan::published(ctx, id).await,
        ContentCb::Plan => plan::list(ctx).await,
    }
}

/// ✅: the post approved; the card edited, and the text to copy as a message of its own.
async fn approve(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let post = post_or_gone(ctx, id).await?;
    if !matches!(post.state.as_str(), "draft" | "approved" | "scheduled") {
        return closed(&post);
    }
    ctx.store().set_post_state(id, &["draft"], "approved").await?;
    let post = post_or_gone(ctx, id).await?;
    let mut head = ctx.t_args("post-approved", &[("id", id.into())]);
    if ctx.core.config().public_url.is_none() {
        head.push('\n');
        head.push_str(&ctx.t("link-no-address"));
    }
    tracing::info!(post = id, campaign = %post.campaign, "content post approved");
    Ok(Output::many(vec![
        card(ctx, &post, None).editing(ctx.from_button),
        Reply::text(head),
        Reply::text(publish_text(ctx.core, &post)),
    ]))
}

/// 🔁: another variant of a draft, in place.
async fn variant(ctx: &Ctx<'_>, id: i64) -> CoreResult {
    let post = post_or_gone(ctx, id).await?;
    if post.state != "draft" {
        return Err(CoreError::user("post-variant-only-draft"));
    }
    let next = post.variant + 1;
    let today = super::booking::today(ctx.core);
    let Some(d) = draft::draft_for(ctx.core, &post.topic, today, next as usize).await else {
        return Ok(season_topics(ctx, ctx.t_args("post-no-match", &[("topic", post.topic.as_str().into())])));
    };
    ctx.store().replace_draft(id, next, &d.text).await?;
    let post = post_or_gone(ctx, id).await?;
    Ok(Output::one(card(ctx, &post, d.rejected.as_ref()).editing(ctx.from_button)))
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn a_topic_becomes_a_campaign_name_link_accepts() {
        assert_eq!(slug("Дитячі устілки до школи!"), "dytiachi-ustilky-do-shkoly");
        assert_eq!(slug("П'яткова шпора"), "piatkova-shpora");
        assert_eq!(slug("Winter SALE 2026"), "winter-sale-2026");
        assert_eq!(slug("!!!"), "post");
        let long = slug(&"щука ".repeat(30));
        assert!(long.len() <= 60 && !long.ends_with('-'), "{long}");
        for s in ["Дитячі устілки", "біг", "«кісточка»", "зимове взуття"] {
            let c = crate::core::attribution::clean(&slug(s)).expect("cleans");
            assert_eq!(c, slug(s));
        }
    }
}
