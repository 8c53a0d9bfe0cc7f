//! The last Bot API call of an update's handling, carried in the webhook's HTTP response when
//! the request that brought the update still waits for it, otherwise sent to the Bot API.
//!
//! Why: Telegram runs a method given in the webhook's response as if the bot had called it (the
//! Bot API's "making requests when getting updates"), after the calls the bot made while the
//! request waited. A text message's reply then costs no outgoing call at all, and a button press
//! one (the card's edit) instead of two: on a phone in Ukraine that is one round trip to
//! Telegram less before the answer shows, and on the server the costliest part of an update
//! (issue 11: the outgoing calls were 28 % of its CPU).
//!
//! What is given up: the result of that one call. The bot reads nothing from it (`render`
//! already skips the `Message` Telegram returns), and its failures (a message that is too long,
//! a chat that blocked the bot) can only come from what `render` checks before or from the
//! chat's side, where a call of our own would have failed the same way; such a failure is no
//! longer logged. Only the last call rides: photos, files, earlier pieces of a long answer and a
//! card's edit keep their own calls, in order before it.
//!
//! The webhook waits at most [`WAIT`]: a slow handling (a report, a spreadsheet, the assistant's
//! model) sends its calls through the Bot API as before, and the webhook answers an empty 200.
//! Which of the two happens is decided once: a webhook that stops waiting closes its end and
//! takes a call given just before, so none is ever sent twice or dropped.

use serde::Serialize;
use teloxide::requests::Payload;
use tokio::sync::oneshot;

/// How long the webhook's response waits for the handling's last call.
pub const WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// A call as the webhook's response carries it: the method's name beside its parameters.
#[derive(Serialize)]
struct Call<'a, P> {
    method: MethodName,
    #[serde(flatten)]
    params: &'a P,
}

/// teloxide names a payload `SendMessage`; the Bot API spells it `sendMessage` (it reads names
/// case-insensitively, but a response should say what the documentation says).
struct MethodName(&'static str);

impl Serialize for MethodName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl std::fmt::Display for MethodName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut chars = self.0.chars();
        if let Some(first) = chars.next() {
            write!(f, "{}{}", first.to_ascii_lowercase(), chars.as_str())?;
        }
        Ok(())
    }
}

/// Where an update's last Bot API call goes ([`InResponse::give`]).
pub struct InResponse(Option<oneshot::Sender<Vec<u8>>>);

/// The webhook's end: the response body to send, once the last call is given.
pub struct Waiting(oneshot::Receiver<Vec<u8>>);

impl InResponse {
    /// No webhook waits (long polling): every call goes to the Bot API.
    pub fn by_api() -> Self {
        Self(None)
    }

    /// For a webhook request: the slot the handling gives to, and the end the request waits on.
    pub fn for_webhook() -> (Self, Waiting) {
        let (tx, rx) = oneshot::channel();
        (Self(Some(tx)), Waiting(rx))
    }

    /// Hands `payload` to the waiting webhook as the handling's last call; at most once.
    /// `false`: nobody waits (any more), so the caller sends it through the Bot API.
    pub fn give<P: Payload + Serialize>(&mut self, payload: &P) -> bool {
        let Some(tx) = self.0.take() else {
            return false;
        };
        match serde_json::to_vec(&Call { method: MethodName(P::NAME), params: payload }) {
            Ok(bytes) => tx.send(bytes).is_ok(),
            Err(_) => false,
        }
    }
}

impl Waiting {
    /// The response body, if the last call came within `limit`. Past it the end is closed
    /// first, then read once more: given before the close, it is still answered here; after,
    /// [`InResponse::give`] sees the close and the Bot API gets it.
    pub async fn within(mut self, limit: std::time::Duration) -> Option<Vec<u8>> {
        match tokio::time::timeout(limit, &mut self.0).await {
            Ok(given) => given.ok(),
            Err(_) => {
                self.0.close();
                self.0.try_recv().ok()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;
    use teloxide::payloads::{AnswerCallbackQuery, SendMessage};
    use teloxide::types::{CallbackQueryId, ChatId};

    fn ack(text: Option<&str>) -> AnswerCallbackQuery {
        let mut a = AnswerCallbackQuery::new(CallbackQueryId("q7".into()));
        a.text = text.map(str::to_string);
        a
    }

    #[tokio::test]
    async fn a_waiting_webhook_gets_the_acknowledgement_with_its_toast() {
        let (mut slot, waiting) = InResponse::for_webhook();
        assert!(slot.give(&ack(Some("Збережено"))));
        let body = waiting.within(Duration::from_millis(10)).await.expect("answered in the response");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"method": "answerCallbackQuery", "callback_query_id": "q7", "text": "Збережено"})
        );
    }

    #[tokio::test]
    async fn a_reply_rides_as_send_message_with_its_chat_and_text() {
        let (mut slot, waiting) = InResponse::for_webhook();
        assert!(slot.give(&SendMessage::new(ChatId(42), "Знайдено 3")));
        assert!(!slot.give(&ack(None)), "one call per response: the second goes to the Bot API");
        let body = waiting.within(Duration::from_millis(10)).await.expect("answered in the response");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v, serde_json::json!({"method": "sendMessage", "chat_id": 42, "text": "Знайдено 3"}));
    }

    #[tokio::test]
    async fn past_the_limit_the_bot_api_gets_it_and_the_response_is_empty() {
        let (mut slot, waiting) = InResponse::for_webhook();
        assert_eq!(waiting.within(Duration::from_millis(5)).await, None);
        assert!(!slot.give(&ack(None)), "nobody waits: the caller must use the Bot API");
    }

    #[tokio::test]
    async fn given_before_the_wait_it_goes_in_the_response_even_with_no_time_left() {
        let (mut slot, waiting) = InResponse::for_webhook();
        assert!(slot.give(&ack(None)));
        // The limit has passed before the waiter is polled at all.
        let body = waiting.within(Duration::ZERO).await.expect("given before the close");
        assert!(!String::from_utf8(body).unwrap().contains("text"), "no toast, no text field");
    }

    #[tokio::test]
    async fn without_a_webhook_or_once_dropped_the_bot_api_is_used() {
        assert!(!InResponse::by_api().give(&ack(None)));
        let (slot, waiting) = InResponse::for_webhook();
        drop(slot);
        assert_eq!(waiting.within(Duration::from_secs(5)).await, None, "a dropped slot ends the wait at once");
    }
}
