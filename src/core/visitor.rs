//! What anyone who is not the owner gets: the booking flow, and answers from the assistant
//! (`conversation`) to whatever she writes; never a byte of another client's data.

/// The commands a client has in the bot (the assistant never points to any other).
pub const CLIENT_COMMANDS: &[&str] = &["start", "book", "my", "status", "lang"];

use super::booking::callback::{BookingCb, BookingDialog};
use super::callback::{Cb, CommonCb};
use super::clients::Known;
use super::commands::{lang_buttons, parse_command, set_lang};
use super::{CoreResult, Ctx, InputKind, Output, Reply};
use crate::i18n::Lang;

pub async fn handle(ctx: &Ctx<'_>, kind: &InputKind) -> CoreResult {
    // A client replying to one of the bot's messages is just writing to us.
    let plain;
    let kind = match kind {
        InputKind::ReplyText { text, .. } => {
            plain = InputKind::Text(text.clone());
            &plain
        }
        k => k,
    };
    use super::booking::client;
    use super::dialog::{self, Dialog};
    if let Some(Dialog::Booking(BookingDialog::BookingContact { service, minutes })) = dialog::current(ctx).await? {
        match kind {
            InputKind::Contact { phone, own, .. } => {
                return client::phone_given(ctx, service, minutes, phone, *own).await
            }
            InputKind::Text(t) if parse_command(t).is_none() => {
                return client::phone_given(ctx, service, minutes, t, false).await
            }
            _ => {}
        }
    }
    match kind {
        InputKind::Text(text) => match parse_command(text) {
            Some((name, args)) if name == "lang" => match Lang::from_code(args) {
                Some(l) => set_lang(ctx, l).await,
                None => Ok(Output::one(Reply::text(ctx.t("lang-choose")).with_buttons(lang_buttons()))),
            },
            Some((name, payload)) if name == "start" => client::start(ctx, payload).await,
            Some((name, _)) if name == "book" => client::choose_service(ctx).await,
            Some((name, _)) if name == "my" => client::my_bookings(ctx).await,
            Some((name, _)) if name == "status" => my_orders(ctx).await,
            Some(_) => Ok(Output::one(Reply::text(ctx.t("visitor-thanks")))),
            None => client_message(ctx, text).await,
        },
        InputKind::Callback(data) => match Cb::parse(data) {
            Some(Cb::Common(CommonCb::Lang(l))) => set_lang(ctx, l).await,
            Some(Cb::Booking(b)) => super::booking::callback::on_visitor_button(ctx, b).await,
            Some(Cb::ProductLife(c)) => super::product_life::on_visitor_button(ctx, c).await,
            Some(Cb::Nps(c)) => super::nps::on_visitor_button(ctx, c).await,
            Some(Cb::Common(CommonCb::Cancel)) => {
                dialog::clear(ctx).await?;
                Ok(Output::one(Reply::text(ctx.t("cancelled")).editing(true)))
            }
            // Any other button (forwarded from the owner's chat, or forged) reveals nothing.
            _ => Ok(Output::default().toast(ctx.t("visitor-no-access"))),
        },
        InputKind::Contact { .. } | InputKind::File { .. } | InputKind::Unsupported | InputKind::ReplyText { .. } => {
            Ok(Output::one(Reply::text(ctx.t("visitor-thanks"))))
        }
    }
}

/// Free text from a client in the bot: her card (a lead the first time), the timeline, and the
/// assistant's answer; the owner gets what the assistant cannot answer.
/// `/status`: her open orders, found by her Telegram account (the platform's identity; a typed
/// phone finds nothing), never anyone else's.
async fn my_orders(ctx: &Ctx<'_>) -> CoreResult {
    let client = match platform_identity(ctx) {
        Some(who) => super::clients::find::find(ctx.store(), who).await?,
        None => None,
    };
    let status = match client {
        Some(id) => super::conversation::order_status(ctx.core, &ctx.tr, id).await?,
        None => None,
    };
    Ok(Output::one(Reply::text(status.unwrap_or_else(|| ctx.t("client-status-none")))))
}

/// The identity the platform vouches for (never anything she typed): her Telegram or Discord
/// user id; none on a channel without one.
fn platform_identity<'a>(ctx: &Ctx<'_>) -> Option<Known<'a>> {
    match ctx.actor.channel {
        super::Channel::Telegram => super::booking::client::telegram_id(ctx).map(Known::Telegram),
        super::Channel::Discord => ctx.actor.id.parse().ok().map(Known::Discord),
        super::Channel::Console => None,
    }
}

async fn client_message(ctx: &Ctx<'_>, text: &str) -> CoreResult {
    use crate::store::interactions::{Direction, Kind};
    let text = crate::domain::text::parse_free_text(text, 4000).map_err(|e| super::parse_error(e, "note"))?;
    let Some(who) = platform_identity(ctx) else {
        return Ok(Output::one(Reply::text(ctx.t("visitor-thanks"))));
    };
    let store = ctx.store();
    let name = super::booking::client::actor_name(ctx);
    let client = super::clients::find_or_create(store, who, &name, ctx.channel()).await?;
    store.add_interaction(client, ctx.channel(), Direction::In, Kind::Message, &text).await?;
    // STOP ends the reminders of her products' life; after an NPS score, this is her comment.
    if let Some(out) = super::product_life::stop_word(ctx, client, &text).await? {
        return Ok(out);
    }
    if let Some(out) = super::nps::comment(ctx, client, &text).await? {
        return Ok(out);
    }
    use super::conversation::Via;
    let (key, via) = match who {
        Known::Discord(user) => (format!("dcmsg:{user}"), Via::Discord(user)),
        Known::Telegram(chat) => (format!("tgmsg:{chat}"), Via::Telegram(chat)),
        Known::Instagram(igsid) => (format!("igmsg:{igsid}"), Via::Instagram(igsid.to_string())),
    };
    let key = format!("{key}:{}", crate::store::now().timestamp_micros());
    let handled = super::conversation::handle(ctx.core, &ctx.tr, client, &via, &text, true, &key).await?;
    store.enqueue_many(&handled.jobs).await?;
    let mut reply = Reply::text(handled.reply.unwrap_or_else(|| ctx.t("visitor-thanks")));
    if handled.offer_booking {
        reply = reply.with_buttons(vec![vec![super::Button::new(ctx.t("btn-book"), BookingCb::Start)]]);
    }
    Ok(Output::one(reply))
}
