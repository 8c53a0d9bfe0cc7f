//! The weekly and monthly reports' jobs (`core::reports::pushed`): the fan-out and the e-mail are
//! the core's; a Telegram step is built there and sent here, where the bot is, with the next
//! step enqueued only once this one was sent (the chain keeps the chat's order); a Discord step
//! (an owner on Discord only) the same way in her DM.

use super::{discord_dm, outbox};
use crate::core::reports::pushed;
use crate::core::Core;
use crate::domain::period::Period;
use crate::store::jobs::Job;
use crate::work::{retry, JobSpec, Outcome};
use teloxide::Bot;

pub async fn run(
    core: &Core,
    bot: Option<&Bot>,
    discord: Option<&serenity::all::Http>,
    job: &Job,
    spec: JobSpec,
) -> Outcome {
    match spec {
        JobSpec::PeriodReport { every, from, to } => pushed::fan_out(core, job, every, Period { from, to }).await,
        JobSpec::ReportEmail { every, from, to, address } => {
            pushed::email(core, job, every, Period { from, to }, &address).await
        }
        JobSpec::ReportTelegram { chat_id, every, from, to, index } => {
            let Some(bot) = bot else { return Outcome::Fail { error: "TELEGRAM_BOT_TOKEN is not set".into() } };
            let step = match taken(
                pushed::telegram_step(core, job, chat_id, every, Period { from, to }, index).await,
                job.attempts,
            ) {
                Ok(step) => step,
                Err(outcome) => return outcome,
            };
            let outcome = match step.photo {
                Some(png) => outbox::send_photo(bot, chat_id, png, &step.text, job.attempts).await,
                None => outbox::send(bot, chat_id, &step.text, &[], job.attempts).await,
            };
            followed(outcome, step.next)
        }
        JobSpec::ReportDiscord { user, every, from, to, index } => {
            let Some(http) = discord else { return Outcome::Fail { error: "DISCORD_TOKEN is not set".into() } };
            let step = match taken(
                pushed::discord_step(core, job, user, every, Period { from, to }, index).await,
                job.attempts,
            ) {
                Ok(step) => step,
                Err(outcome) => return outcome,
            };
            let file = step.photo.map(|png| ("report.png".to_string(), png));
            followed(discord_dm::send(http, user, &step.text, &[], file, job.attempts).await, step.next)
        }
        other => Outcome::Fail { error: format!("not a report job: {}", other.kind()) },
    }
}

/// A chain's step as built: the step, or the outcome when there is none left or it failed.
fn taken(built: anyhow::Result<Option<pushed::ChatStep>>, attempts: i64) -> Result<pushed::ChatStep, Outcome> {
    match built {
        Ok(Some(step)) => Ok(step),
        Ok(None) => Err(Outcome::done("nothing left to send")),
        Err(e) => Err(retry(attempts, format!("report: {e:#}"))),
    }
}

/// A step's outcome: once it was sent, the next step follows (the chain keeps its order).
fn followed(mut outcome: Outcome, next: Option<crate::work::NewJob>) -> Outcome {
    if let (Outcome::Done { follow_ups, .. }, Some(next)) = (&mut outcome, next) {
        follow_ups.push(next);
    }
    outcome
}
