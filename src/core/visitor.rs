//! What anyone who is not the owner gets: a polite client-facing answer and never a byte of
//! client data. (The assistant that actually answers clients arrives in a later issue.)

use super::callback::Cb;
use super::commands::{lang_buttons, parse_command, set_lang};
use super::{CoreResult, Ctx, InputKind, Output, Reply};
use crate::i18n::Lang;

pub async fn handle(ctx: &Ctx<'_>, kind: &InputKind) -> CoreResult {
    match kind {
        InputKind::Text(text) => match parse_command(text) {
            Some((name, args)) if name == "lang" => match Lang::from_code(args) {
                Some(l) => set_lang(ctx, l).await,
                None => Ok(Output::one(Reply::text(ctx.t("lang-choose")).with_buttons(lang_buttons()))),
            },
            Some((name, _)) if name == "start" => Ok(Output::one(Reply::text(ctx.t("visitor-welcome")))),
            _ => Ok(Output::one(Reply::text(ctx.t("visitor-thanks")))),
        },
        InputKind::Callback(data) => match Cb::parse(data) {
            Some(Cb::Lang(l)) => set_lang(ctx, l).await,
            // Any other button (forwarded from the owner's chat, or forged) reveals nothing.
            _ => Ok(Output::default().toast(ctx.t("visitor-no-access"))),
        },
        InputKind::Contact { .. } | InputKind::File { .. } | InputKind::Unsupported => {
            Ok(Output::one(Reply::text(ctx.t("visitor-thanks"))))
        }
    }
}
