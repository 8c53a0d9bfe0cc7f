//! The nightly backup job: a consistent copy into `BACKUP_DIR`, the oldest beyond the kept
//! number removed, and (with `BACKUP_TO_TELEGRAM=1`) the file queued to each owner as a
//! document, in the same transaction that marks the backup done.

use crate::core::booking::lang_of;
use crate::core::Core;
use crate::i18n::Tr;
use crate::store::jobs::Job;
use crate::work::JobSpec;
use crate::work::{retry, Outcome};
use chrono::Utc;

pub async fn run(core: &Core, job: &Job) -> Outcome {
    let settings = &core.config().backup;
    let path = match crate::backup::nightly(core.store(), settings, job.due_at).await {
        Ok(p) => p,
        Err(e) => return retry(job.attempts, e.to_string()),
    };
    let mut follow_ups = vec![];
    if settings.to_telegram && core.config().telegram_enabled {
        let date = job.due_at.with_timezone(&core.config().tz).format("%d.%m.%Y").to_string();
        for owner in &core.config().owner_telegram_ids {
            let tr = Tr { i18n: core.i18n(), lang: lang_of(core, &format!("telegram:{owner}")).await };
            let caption = tr.t_args("backup-caption", &[("date", date.clone().into())]);
            let spec = JobSpec::SendTelegramDocument { chat_id: *owner, path: path.display().to_string(), caption };
            follow_ups.push(spec.job(Utc::now(), format!("backup:{}:tg:{owner}", job.id)));
        }
    }
    Outcome::Done { result: path.display().to_string(), follow_ups }
}
