//! Per-chat queues: one chat's updates are handled in order, one at a time; different chats are
//! handled in parallel, each as soon as it has something to do.
//!
//! Why not a fixed set of shards (as before): a shard served several chats one after the other,
//! so an update waited behind other chats' Bot API round trips. With 100 owner chats at once over
//! 32 shards (three or four chats each), the benchmark's burst waited at a p99 about twice its p50
//! (the chats sharing a shard with three others waited longest; `docs/operations.md`).
//!
//! A chat has a task while it has work: the first update of a quiet chat spawns it, later ones
//! queue behind it, and it ends when its queue is empty. That decision and the map's entry change
//! under one lock, so an update is never left in a queue nobody serves, and a chat never has two
//! tasks. Queued updates are bounded in all ([`MAX_QUEUED`]): past it the router waits (webhook
//! requests wait, so Telegram slows down), as a full shard queue made it wait before.

use super::{ButtonAnswer, Handler, Lang};
use crate::core::Core;
use futures_util::FutureExt;
use std::collections::{HashMap, VecDeque};
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex, MutexGuard};
use teloxide::prelude::*;
use teloxide::types::Update;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::task::JoinSet;

/// Updates queued or being handled, all chats together, before the router waits for room.
const MAX_QUEUED: usize = 1024;

/// An update waiting for its chat's task, holding its place in [`MAX_QUEUED`]. An update (~2 KB)
/// travels boxed, so a queue of them stays small.
struct Queued {
    update: Box<Update>,
    answer: ButtonAnswer,
    _room: OwnedSemaphorePermit,
}

#[derive(Default)]
struct State {
    /// The chats that have a task, with the updates queued behind the one it is handling.
    chats: HashMap<i64, VecDeque<Queued>>,
    /// The chats' tasks; ended ones are reaped as new updates arrive, the rest awaited on shutdown.
    tasks: JoinSet<()>,
    /// Updates routed and not yet through their handling, all chats together.
    in_flight: usize,
    /// Updates handled whose finish is not written yet: it rides along with the next start of
    /// any chat, or is written by the last update in flight ([`Shared::handled`]). An id stays
    /// listed until a write that included it succeeded, so a start that races the write still
    /// writes it in front of itself (a redelivery of that update is then a duplicate).
    unwritten: Vec<i64>,
}

struct Shared {
    state: Mutex<State>,
    room: Arc<Semaphore>,
    bot: Bot,
    core: Core,
    handler: Handler,
}

impl Shared {
    fn state(&self) -> MutexGuard<'_, State> {
        // The lock is never held across a call that can panic; a poisoned one is still consistent.
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// One update is through its handling (`id`: its finish is due; `None`: written already).
    /// While other updates are in flight, one of them writes it (with its start, or as the
    /// last); otherwise the finishes due are returned, for the caller to write now.
    fn handled(&self, id: Option<u32>) -> Vec<i64> {
        let mut state = self.state();
        state.in_flight = state.in_flight.saturating_sub(1);
        state.unwritten.extend(id.map(i64::from));
        if state.in_flight == 0 {
            state.unwritten.clone()
        } else {
            vec![]
        }
    }

    /// The finishes due, for a start to write in front of itself.
    fn unwritten(&self) -> Vec<i64> {
        self.state().unwritten.clone()
    }

    /// `ids` are written: no longer due.
    fn written(&self, ids: &[i64]) {
        if !ids.is_empty() {
            self.state().unwritten.retain(|id| !ids.contains(id));
        }
    }

    /// The chat's next queued update; with `last`, `None` also means the chat has no task any
    /// more (decided under the same lock as [`UpdateRouter::route`] queues).
    fn next(&self, chat: i64, last: bool) -> Option<Queued> {
        let mut state = self.state();
        let next = state.chats.get_mut(&chat).and_then(VecDeque::pop_front);
        if next.is_none() && last {
            state.chats.remove(&chat);
        }
        next
    }
}

/// Routes updates to their chat's queue; cloning it is cheap.
#[derive(Clone)]
pub struct UpdateRouter {
    shared: Arc<Shared>,
}

/// The chats' tasks, for shutdown: [`Workers::finish`] waits until every queued update is handled.
pub struct Workers {
    shared: Arc<Shared>,
}

impl UpdateRouter {
    /// Queues `update` in its chat; its button's acknowledgement (if any) goes to the Bot API.
    pub async fn route(&self, update: Update) {
        self.route_answering(update, ButtonAnswer::by_api()).await
    }

    /// Queues `update` in its chat, with where its button's acknowledgement goes.
    pub async fn route_answering(&self, update: Update, answer: ButtonAnswer) {
        let chat = update.chat().map(|c| c.id.0).or_else(|| update.from().map(|u| u.id.0 as i64)).unwrap_or(0);
        let Ok(room) = self.shared.room.clone().acquire_owned().await else {
            tracing::warn!("telegram update dropped: the update queue is closed");
            return;
        };
        let queued = Queued { update: Box::new(update), answer, _room: room };
        let mut state = self.shared.state();
        state.in_flight += 1;
        while let Some(ended) = state.tasks.try_join_next() {
            if let Err(e) = ended {
                tracing::error!(error = %e, "telegram: a chat's task failed outside an update's handling; its queue was dropped");
            }
        }
        match state.chats.get_mut(&chat) {
            Some(queue) => queue.push_back(queued),
            None => {
                state.chats.insert(chat, VecDeque::new());
                state.tasks.spawn(serve_chat(self.shared.clone(), chat, queued));
            }
        }
    }
}

impl Workers {
    /// Waits until the chats' tasks have handled everything queued. Call it once nothing routes
    /// updates any more (the webhook's server and the poller have stopped).
    pub async fn finish(self) {
        loop {
            let mut tasks = std::mem::take(&mut self.shared.state().tasks);
            if tasks.is_empty() {
                return;
            }
            while tasks.join_next().await.is_some() {}
        }
    }
}

/// Makes the router and the workers' handle; `handler` handles one update ([`super::handle_update`]
/// in the product; tests substitute their own).
pub fn workers(bot: Bot, core: Core, handler: Handler) -> (UpdateRouter, Workers) {
    let shared = Arc::new(Shared {
        state: Mutex::new(State::default()),
        room: Arc::new(Semaphore::new(MAX_QUEUED)),
        bot,
        core,
        handler,
    });
    (UpdateRouter { shared: shared.clone() }, Workers { shared })
}

/// One chat's task: handles its updates in order until its queue is empty. Each update's panics
/// are caught (the task goes on with the next update): a panic is logged and the chat gets a
/// polite notice. (The update was confirmed to Telegram when it was taken off `getUpdates` or
/// answered on the webhook, so it is never replayed.)
///
/// An update's finish in the ledger is written with the next update's start, whichever chat's
/// it is: one write per update instead of two while updates keep coming (issue 11). The last
/// update in flight writes the finishes still due itself, before its chat is let go.
async fn serve_chat(shared: Arc<Shared>, chat: i64, first: Queued) {
    // Should anything outside the caught handler panic, the chat must not stay marked busy.
    struct Release<'a>(&'a Shared, i64);
    impl Drop for Release<'_> {
        fn drop(&mut self) {
            if std::thread::panicking() {
                self.0.state().chats.remove(&self.1);
            }
        }
    }
    let _release = Release(&shared, chat);
    let mut current = Some(first);
    while let Some(Queued { update, answer, _room }) = current.take() {
        let handled = handle_one(&shared, update, answer).await;
        let due = shared.handled(handled);
        if !due.is_empty() {
            // Finished before the chat is let go: the same update delivered again right after
            // is then a duplicate, whichever task takes it.
            finish(&shared, &due).await;
        }
        drop(_room);
        current = shared.next(chat, false);
        if current.is_none() {
            current = shared.next(chat, true);
        }
    }
}

/// Starts one update in the ledger (writing the finishes due in front of it) and handles it.
/// Returns its id when its finish is due (handled, with or without a panic), `None` when it is
/// not to be handled (a duplicate, or finished already as poisoned).
async fn handle_one(shared: &Shared, update: Box<Update>, answer: ButtonAnswer) -> Option<u32> {
    use crate::store::updates::Start;
    let (bot, core) = (&shared.bot, &shared.core);
    let id = update.id.0;
    let chat = update.chat().map(|c| c.id);
    let lang = Lang::from_hint(update.from().and_then(|u| u.language_code.as_deref()));
    let due = shared.unwritten();
    let start = core.store().start_update_after(&due, id as i64).await;
    if start.is_ok() {
        shared.written(&due);
    }
    match start {
        Ok(Start::Handle(_)) => {}
        Ok(Start::Duplicate) => {
            tracing::info!(update = id, "telegram: update delivered again; handled already, skipped");
            return None;
        }
        Ok(Start::Poisoned) => {
            tracing::error!(
                update = id,
                "telegram: the process stopped twice while handling this update; it is skipped"
            );
            core.metrics().send_failure();
            tell_skipped(bot, core, chat, lang).await;
            finish(shared, &[id as i64]).await;
            return None;
        }
        Err(e) => {
            // The finishes due stay due: the next start or the last update writes them.
            tracing::warn!(update = id, error = %e, "telegram: update ledger unavailable; handling anyway");
        }
    }
    let outcome = AssertUnwindSafe((shared.handler)(bot.clone(), core.clone(), *update, answer)).catch_unwind().await;
    if let Err(panic) = &outcome {
        let e = crate::channels::panic_message(&**panic);
        tracing::error!(update = id, error = %e, "telegram: handling an update failed; it is skipped");
        core.metrics().send_failure();
        tell_skipped(bot, core, chat, lang).await;
    }
    Some(id)
}

/// Writes the finishes of `ids`; on failure they stay due (logged).
async fn finish(shared: &Shared, ids: &[i64]) {
    match shared.core.store().finish_updates(ids).await {
        Ok(()) => shared.written(ids),
        Err(e) => tracing::warn!(updates = ?ids, error = %e, "telegram: could not mark updates handled"),
    }
}

/// A polite notice in the chat whose update was skipped.
async fn tell_skipped(bot: &Bot, core: &Core, chat: Option<ChatId>, lang: Lang) {
    if let Some(chat) = chat {
        let text = core.i18n().format(lang, "tg-update-failed", &[]);
        if let Err(e) = bot.send_message(chat, text).await {
            tracing::warn!(error = %e, "telegram: could not tell the chat about the skipped update");
        }
    }
}
