//! Where a button's acknowledgement (`answerCallbackQuery`) goes: in the webhook's HTTP response
//! when the request that brought the button press still waits for it, otherwise to the Bot API.
//!
//! Why: Telegram runs a method given in the webhook's response as if the bot had called it (the
//! Bot API's "making requests when getting updates"). A button press then costs one outgoing
//! Bot API call (the card's edit) instead of two. The acknowledgement carries nothing the bot needs
//! back (its result is `true`; a late or lost one only leaves the button's spinner to time out),
//! so nothing is lost by not seeing its result; sends and edits, whose failures are logged, keep
//! their own calls.
//!
//! The webhook waits at most [`WAIT`] for it: a slow handling (a report, a spreadsheet) is
//! acknowledged through the Bot API as before, and the webhook answers an empty 200. Which of
//! the two happens is decided once: a webhook that stops waiting closes its end and takes an
//! acknowledgement given just before, so none is ever sent twice or dropped.

use teloxide::types::CallbackQueryId;
use tokio::sync::oneshot;

/// How long the webhook's response waits for the button's acknowledgement.
pub const WAIT: std::time::Duration = std::time::Duration::from_secs(1);

/// The button's acknowledgement as the webhook's response carries it.
#[derive(serde::Serialize)]
struct InResponse<'a> {
    method: &'static str,
    callback_query_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

/// Where an update's button acknowledgement goes ([`ButtonAnswer::give`]).
pub struct ButtonAnswer(Option<oneshot::Sender<Vec<u8>>>);

/// The webhook's end: the response body to send, once the acknowledgement is given.
pub struct Waiting(oneshot::Receiver<Vec<u8>>);

impl ButtonAnswer {
    /// No webhook waits (long polling, an update that is not a button press): the Bot API.
    pub fn by_api() -> Self {
        Self(None)
    }

    /// For a webhook request: the answer the handling gives, and the end the request waits on.
    pub fn for_webhook() -> (Self, Waiting) {
        let (tx, rx) = oneshot::channel();
        (Self(Some(tx)), Waiting(rx))
    }

    /// Hands the acknowledgement of `id` (with `text` as its toast) to the waiting webhook.
    /// `false`: nobody waits any more, so the caller sends it through the Bot API.
    pub fn give(self, id: &CallbackQueryId, text: Option<&str>) -> bool {
        let Some(tx) = self.0 else {
            return false;
        };
        let body = InResponse { method: "answerCallbackQuery", callback_query_id: &id.0, text };
        match serde_json::to_vec(&body) {
            Ok(bytes) => tx.send(bytes).is_ok(),
            Err(_) => false,
        }
    }
}

impl Waiting {
    /// The response body, if the acknowledgement came within `limit`. Past it the end is closed
    /// first, then read once more: given before the close, it is still answered here; after,
    /// [`ButtonAnswer::give`] sees the close and the Bot API gets it.
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

    fn id() -> CallbackQueryId {
        CallbackQueryId("q7".into())
    }

    #[tokio::test]
    async fn a_waiting_webhook_gets_the_acknowledgement_with_its_toast() {
        let (answer, waiting) = ButtonAnswer::for_webhook();
        assert!(answer.give(&id(), Some("Збережено")));
        let body = waiting.within(Duration::from_millis(10)).await.expect("answered in the response");
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"method": "answerCallbackQuery", "callback_query_id": "q7", "text": "Збережено"})
        );
    }

    #[tokio::test]
    async fn past_the_limit_the_bot_api_gets_it_and_the_response_is_empty() {
        let (answer, waiting) = ButtonAnswer::for_webhook();
        assert_eq!(waiting.within(Duration::from_millis(5)).await, None);
        assert!(!answer.give(&id(), None), "nobody waits: the caller must use the Bot API");
    }

    #[tokio::test]
    async fn given_before_the_wait_it_goes_in_the_response_even_with_no_time_left() {
        let (answer, waiting) = ButtonAnswer::for_webhook();
        assert!(answer.give(&id(), None));
        // The limit has passed before the waiter is polled at all.
        let body = waiting.within(Duration::ZERO).await.expect("given before the close");
        assert!(!String::from_utf8(body).unwrap().contains("text"), "no toast, no text field");
    }

    #[tokio::test]
    async fn without_a_webhook_or_once_dropped_the_bot_api_is_used() {
        assert!(!ButtonAnswer::by_api().give(&id(), None));
        let (answer, waiting) = ButtonAnswer::for_webhook();
        drop(answer);
        assert_eq!(waiting.within(Duration::from_secs(5)).await, None, "a dropped answer ends the wait at once");
    }
}
