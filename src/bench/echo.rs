//! `insoles-crm bench echo-floor` (used by `bench crm`): the floor a Telegram bot cannot go below,
//! a minimal teloxide echo bot on the same webhook, the same fake Bot API and the same updates.
//! A callback is answered and its message edited with the callback's data, a message is echoed;
//! no database, no assistant, no templates. `bench crm` compares the CRM's CPU per update with it.

use axum::body::Bytes;
use axum::http::StatusCode;
use axum::routing::{get, post};
use teloxide::prelude::*;
use teloxide::types::{Update, UpdateKind};

async fn handle(bot: &Bot, update: Update) {
    match update.kind {
        UpdateKind::CallbackQuery(q) => {
            let _ = bot.answer_callback_query(q.id.clone()).await;
            if let Some(m) = q.regular_message() {
                let _ = bot.edit_message_text(m.chat.id, m.id, q.data.clone().unwrap_or_default()).await;
            }
        }
        UpdateKind::Message(m) => {
            if let Some(text) = m.text() {
                let _ = bot.send_message(m.chat.id, text).await;
            }
        }
        _ => {}
    }
}

/// Serves until SIGTERM: `HTTP_ADDR`, `TELEGRAM_BOT_TOKEN`, `TELEGRAM_API_URL` as the CRM reads them.
pub async fn serve() -> anyhow::Result<()> {
    let addr = std::env::var("HTTP_ADDR").unwrap_or_else(|_| "127.0.0.1:8081".into());
    let token = std::env::var("TELEGRAM_BOT_TOKEN").unwrap_or_else(|_| "1:echo".into());
    let api = std::env::var("TELEGRAM_API_URL").unwrap_or_else(|_| "https://api.telegram.org".into());
    let bot = Bot::new(token).set_api_url(reqwest::Url::parse(&api)?);
    let app = axum::Router::new().route("/readyz", get(|| async { "ready" })).route(
        "/webhooks/telegram",
        post(move |body: Bytes| {
            let bot = bot.clone();
            async move {
                if let Ok(update) = serde_json::from_slice::<Update>(&body) {
                    handle(&bot, update).await;
                }
                StatusCode::OK
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(&addr).await?;
    axum::serve(listener, app).with_graceful_shutdown(crate::shutdown_signal()).await?;
    Ok(())
}
