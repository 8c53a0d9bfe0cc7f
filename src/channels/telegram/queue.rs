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

use super::{Handler, InResponse, Lang};
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
    answer: InResponse,
    _room: OwnedSemaphorePermit,
}

#[derive(Default)]
struct State {
    /// The chats that have a task, with the updates queued behind the one it is handling.
    chats: HashMap<i64, VecDeque<Queued>>,
    /// The chats' tasks; ended ones are reaped as new updates arrive, the rest awaited on shutdown.
    tasks: JoinSet<()>,
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
    /// Queues `update` in its chat; its handling's calls all go to the Bot API.
    pub async fn route(&self, update: Update) {
        self.route_answering(update, InResponse::by_api()).await
    }

    /// Queues `update` in its chat, with where its handling's last call may go.
    pub async fn route_answering(&self, update: Update, answer: InResponse) {
        let chat = update.chat().map(|c| c.id.0).or_else(|| update.from().map(|u| u.id.0 as i64)).unwrap_or(0);
        let Ok(room) = self.shared.room.clone().acquire_owned().await else {
            tracing::warn!("telegram update dropped: the update queue is closed");
            return;
        };
        let queued = Queued { update: Box::new(update), answer, _room: room };
        let mut state = self.shared.state();
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
/// answered 200 on the webhook, so it is never replayed.) An update handled while the chat's next
/// one was already queued has its finish written together with the next start (one statement).
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
    let core = &shared.core;
    let mut unfinished: Option<u32> = None;
    let mut current = Some(first);
    while let Some(Queued { update, answer, _room }) = current.take() {
        let handled = handle_one(&shared, update, answer, unfinished.take()).await;
        current = shared.next(chat, false);
        if let Some((id, ok)) = handled {
            if ok && current.is_some() {
                unfinished = Some(id);
            } else {
                // Finished before the chat is let go: the same update delivered again right
                // after is then a duplicate, whichever task takes it.
                finish(core, id).await;
            }
        }
        drop(_room);
        if current.is_none() {
            current = shared.next(chat, true);
        }
    }
}

/// Starts one update in the ledger (writing `previous`'s finish with it) and handles it. Returns
/// its id and whether it was handled without a panic, or `None` when it is not to be handled
/// (a duplicate, or finished already as poisoned).
async fn handle_one(
    shared: &Shared,
    update: Box<Update>,
    answer: InResponse,
    previous: Option<u32>,
) -> Option<(u32, bool)> {
    use crate::store::updates::Start;
    let (bot, core) = (&shared.bot, &shared.core);
    let id = update.id.0;
    let chat = update.chat().map(|c| c.id);
    let lang = Lang::from_hint(update.from().and_then(|u| u.language_code.as_deref()));
    match core.store().start_update_after(previous.map(i64::from), id as i64).await {
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
            finish(core, id).await;
            return None;
        }
        Err(e) => {
            tracing::warn!(update = id, error = %e, "telegram: update ledger unavailable; handling anyway");
            if let Some(p) = previous {
                finish(core, p).await;
            }
        }
    }
    let outcome = AssertUnwindSafe((shared.handler)(bot.clone(), core.clone(), *update, answer)).catch_unwind().await;
    if let Err(panic) = &outcome {
        let e = crate::channels::panic_message(&**panic);
        tracing::error!(update = id, error = %e, "telegram: handling an update failed; it is skipped");
        core.metrics().send_failure();
        tell_skipped(bot, core, chat, lang).await;
    }
    Some((id, outcome.is_ok()))
}

async fn finish(core: &Core, id: u32) {
    if let Err(e) = core.store().finish_update(id as i64).await {
        tracing::warn!(update = id, error = %e, "telegram: could not mark the update handled");
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
