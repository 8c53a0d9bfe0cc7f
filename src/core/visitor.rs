//! What anyone who is not the owner gets: the booking flow, and answers from the assistant
//! (`conversation`) to whatever she writes; never a byte of another client's data.

use super::callback::Cb;
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
    if let Some(Dialog::BookingContact { service, minutes }) = dialog::current(ctx).await? {
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
            Some(_) => Ok(Output::one(Reply::text(ctx.t("visitor-thanks")))),
            None => client_message(ctx, text).await,
        },
        InputKind::Callback(data) => match Cb::parse(data) {
            Some(Cb::Lang(l)) => set_lang(ctx, l).await,
            Some(Cb::BookStart) => client::choose_service(ctx).await,
            Some(Cb::BookService(s)) => client::choose_day(ctx, s).await,
            Some(Cb::BookDay(s, d)) => client::choose_time(ctx, s, d).await,
            Some(Cb::BookTime(s, m)) => client::pick_time(ctx, s, m).await,
            Some(Cb::BookConfirm(s, m)) => client::confirm(ctx, s, m).await,
            Some(Cb::MyBookings) => client::my_bookings(ctx).await,
            Some(Cb::BookCancel(id)) => client::cancel(ctx, id).await,
            Some(Cb::BookMove(id)) => client::move_start(ctx, id).await,
            Some(Cb::MoveDay(id, d)) => client::move_day(ctx, id, d).await,
            Some(Cb::MoveTime(id, m)) => client::move_time(ctx, id, m).await,
            Some(Cb::VisitOk(id)) => client::visit_ok(ctx, id).await,
            Some(Cb::Cancel) => {
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
async fn client_message(ctx: &Ctx<'_>, text: &str) -> CoreResult {
    use crate::store::interactions::{Direction, Kind};
    let text = crate::domain::text::parse_free_text(text, 4000).map_err(|e| super::parse_error(e, "note"))?;
    let Some(chat) = super::booking::client::telegram_id(ctx) else {
        return Ok(Output::one(Reply::text(ctx.t("visitor-thanks"))));
    };
    let store = ctx.store();
    let name = super::booking::client::actor_name(ctx);
    let who = super::clients::Known::Telegram(chat);
    let client = super::clients::find_or_create(store, who, &name, ctx.channel()).await?;
    store.add_interaction(client, "telegram", Direction::In, Kind::Message, &text).await?;
    let key = format!("tgmsg:{chat}:{}", crate::store::now().timestamp_micros());
    let via = super::conversation::Via::Telegram(chat);
    let handled = super::conversation::handle(ctx.core, &ctx.tr, client, &via, &text, true, &key).await?;
    store.enqueue_many(&handled.jobs).await?;
    let mut reply = Reply::text(handled.reply.unwrap_or_else(|| ctx.t("visitor-thanks")));
    if handled.offer_booking {
        reply = reply.with_buttons(vec![vec![super::Button::new(ctx.t("btn-book"), Cb::BookStart)]]);
    }
    Ok(Output::one(reply))
}
