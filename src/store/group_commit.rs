//! Writes from many tasks committed together on the direct connection: the update ledger's, two
//! per Telegram update, from every chat at once.
//!
//! Why: a write transaction's commit (the log's frames, the write lock's `fcntl`s, the log
//! index) costs more than the small statement it commits, and under a burst of updates each
//! chat's start and finish was a transaction of its own, two commits per update (issue 11). Here
//! a write joins a queue and then either waits its turn at the connection or is carried by a
//! task whose turn came first: the first one to hold the connection takes every queued write
//! and commits them in one transaction. Nothing waits longer than it would have for its own
//! turn, and a write is answered only once it is committed (or known to be not written).
//!
//! A write that can wait ([`GroupCommit::write`]'s `linger`: the ledger's finish, written
//! after the update's answer has gone) first lingers in the queue for another task to carry
//! it, so that in a burst every finish rides with some other chat's start.
//!
//! The rules of `direct/mod.rs` hold for the whole group: a group commits, or nothing of it is
//! written and each writer writes through the pool by itself (`None`), as a single write would.
//! A write whose writer has gone (its future dropped) is left out of the group that takes it. A
//! panic while a group is written leaves every writer of it without an answer, and each panics
//! in turn (as a panic in its own write would have made it): none of them writes again through
//! the pool what may have been committed.

use super::direct::{self, Conn, Direct};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;
use tokio::sync::oneshot;

/// One write, run on the connection inside its group's transaction.
pub trait Write {
    type Out: Send;
    fn run(&self, c: &mut Conn) -> direct::Result<Self::Out>;
}

type Answer<W> = oneshot::Sender<Option<<W as Write>::Out>>;

/// The queue of writes waiting to be committed.
pub struct GroupCommit<W: Write> {
    pending: Mutex<Vec<(W, Answer<W>)>>,
}

impl<W: Write> Default for GroupCommit<W> {
    fn default() -> Self {
        Self { pending: Mutex::new(Vec::new()) }
    }
}

impl<W: Write> std::fmt::Debug for GroupCommit<W> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupCommit")
    }
}

impl<W: Write> GroupCommit<W> {
    fn pending(&self) -> MutexGuard<'_, Vec<(W, Answer<W>)>> {
        // Held only to push or take; a poisoned queue is still a list of writes.
        self.pending.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Commits `write`, alone or with others; `None`: it was not written (no direct connection,
    /// the write lock held elsewhere, a failure), so the caller writes it through the pool.
    /// With `linger`, it first waits that long for another task to carry it.
    pub async fn write(&self, direct: &Direct, what: &str, write: W, linger: Duration) -> Option<W::Out> {
        let (tx, mut rx) = oneshot::channel();
        self.pending().push((write, tx));
        if !linger.is_zero() {
            if let Ok(answer) = tokio::time::timeout(linger, &mut rx).await {
                return answered(answer);
            }
        }
        tokio::select! {
            biased;
            answer = &mut rx => return answered(answer),
            () = self.lead(direct, what) => {}
        }
        // Led: every write taken was answered, this one among them.
        answered(rx.await)
    }

    /// At the connection: takes every queued write and commits them as one. Runs to its end
    /// within one poll once the connection is held, so no write is taken and left unanswered.
    async fn lead(&self, direct: &Direct, what: &str) {
        let mut group = None;
        let committed = direct
            .try_run(what, |c| {
                let mut taken = std::mem::take(&mut *self.pending());
                taken.retain(|(_, answer)| !answer.is_closed());
                let outs = commit(c, &taken);
                group = Some(taken);
                outs
            })
            .await;
        let group = match group {
            Some(g) if g.is_empty() => return,
            Some(g) => g,
            // No connection: nothing queued can be written here; each writer goes to the pool.
            None => std::mem::take(&mut *self.pending()),
        };
        let outs = committed.and_then(|result| direct.verdict(what, result));
        match outs {
            Some(outs) => {
                for ((_, answer), out) in group.into_iter().zip(outs) {
                    let _ = answer.send(Some(out));
                }
            }
            None => {
                for (_, answer) in group {
                    let _ = answer.send(None);
                }
            }
        }
    }
}

#[cfg(test)]
impl<W: Write> GroupCommit<W> {
    /// Writes queued and not yet taken.
    fn queued(&self) -> usize {
        self.pending().len()
    }
}

/// A write's answer; a write left unanswered was in a group whose writing panicked.
fn answered<T>(answer: Result<Option<T>, oneshot::error::RecvError>) -> Option<T> {
    answer.unwrap_or_else(|_| panic!("a group commit panicked while writing this write"))
}

/// One write commits by itself (no explicit transaction: one statement is one transaction);
/// several in one `BEGIN IMMEDIATE` … `COMMIT`, rolled back whole on any failure. SQLite may
/// end the transaction itself on some failures (an I/O error, out of memory) even in a
/// statement whose error a write ignores (a read after it): the group then fails there, before
/// a later write could commit alone.
fn commit<W: Write>(c: &mut Conn, group: &[(W, Answer<W>)]) -> direct::Result<Vec<W::Out>> {
    match group {
        [] => Ok(vec![]),
        [(one, _)] => one.run(c).map(|out| vec![out]),
        _ => {
            c.execute("BEGIN IMMEDIATE", &[])?;
            let outs = group
                .iter()
                .map(|(w, _)| {
                    let out = w.run(c)?;
                    if c.autocommit() {
                        return Err(direct::SqliteFailure::aborted("the group's transaction ended early"));
                    }
                    Ok(out)
                })
                .collect::<direct::Result<Vec<_>>>()
                .and_then(|outs| c.execute("COMMIT", &[]).map(|()| outs));
            if outs.is_err() && !c.autocommit() {
                let _ = c.exec("ROLLBACK");
            }
            outs
        }
    }
}

#[cfg(test)]
#[path = "group_commit_tests.rs"]
mod tests;
