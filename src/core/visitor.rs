//! What anyone who is not the owner gets: a polite client-facing answer and never a byte of
//! client data. (The assistant that actually answers clients arrives in a later issue.)

use super::callback::Cb;
use super::commands::{lang_buttons, parse_command, set_lang};
use super::{CoreResult, Ctx, InputKind, Output, Reply};
use crate::i18n::Lang;

pub async fn handle(ctx: &Ctx<'_>, kind: &InputKind) -> CoreResult {
    use super::booking::client;
    use super::dialog::{self, Dialog};
    if let Some(Dialog::BookingContact { service, minutes }) = dialog::current(ctx).await? {
        match kind {
            InputKind::Contact { phone, own: true, .. } => {
                return client::phone_given(ctx, service, minutes, phone).await
            }
            InputKind::Text(t) if parse_command(t).is_none() => {
                return client::phone_given(ctx, service, minutes, t).await
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
            _ => Ok(Output::one(Reply::text(ctx.t("visitor-thanks")))),
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
        InputKind::Contact { .. } | InputKind::File { .. } | InputKind::Unsupported => {
            Ok(Output::one(Reply::text(ctx.t("visitor-thanks"))))
        }
    }
}
