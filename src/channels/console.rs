//! The owner's chat on a terminal: commands typed as in Telegram, buttons listed with numbers and
//! chosen by typing the number. Same core, same database; "editing in place" becomes printing
//! the new version.
//!
//! Notices and reminders the core sends on its own (through the outbox in Telegram) arrive here
//! as [`Notice`]s with their buttons: they are numbered after the buttons already on screen, so
//! the message she was looking at keeps its numbers and the notice's buttons work like any other.

use crate::core::{Actor, Button, Channel, Core, Input, InputKind, Notice, Output};
use crate::i18n::{Lang, Tr};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWrite, AsyncWriteExt};

fn actor() -> Actor {
    Actor { channel: Channel::Console, id: "owner".into(), display_name: None, lang_hint: None }
}

fn render(output: &Output, buttons: &mut Vec<Button>) -> String {
    let mut out = String::new();
    if let Some(t) = &output.toast {
        out.push_str(&format!("» {t}\n"));
    }
    if !output.replies.is_empty() {
        buttons.clear();
    }
    for reply in &output.replies {
        out.push('\n');
        out.push_str(&reply.text);
        out.push('\n');
        if let Some(png) = &reply.photo {
            let name = format!("report-{}.png", chrono::Utc::now().format("%Y%m%d-%H%M%S"));
            match std::fs::write(&name, png) {
                Ok(()) => out.push_str(&format!("🖼 {name}\n")),
                Err(e) => out.push_str(&format!("⚠️ {name}: {e}\n")),
            }
        }
        if let Some(file) = &reply.attachment {
            match std::fs::write(&file.name, &file.bytes) {
                Ok(()) => out.push_str(&format!("💾 {}\n", file.name)),
                Err(e) => out.push_str(&format!("⚠️ {}: {e}\n", file.name)),
            }
        }
        number_rows(&reply.buttons, buttons, &mut out);
    }
    out
}

/// Lists `rows` as numbered buttons, numbering on after those already in `buttons`.
fn number_rows(rows: &[Vec<Button>], buttons: &mut Vec<Button>, out: &mut String) {
    for row in rows {
        let cells: Vec<String> = row
            .iter()
            .map(|b| {
                buttons.push(b.clone());
                format!("[{}] {}", buttons.len(), b.label)
            })
            .collect();
        out.push_str(&format!("  {}\n", cells.join("   ")));
    }
}

/// A notice with its buttons, added to the ones on screen.
fn render_notice(notice: &Notice, buttons: &mut Vec<Button>) -> String {
    let mut out = format!("\n🔔 {}\n", notice.text);
    let rows: Vec<Vec<Button>> = notice
        .buttons
        .iter()
        .map(|row| row.iter().map(|(label, data)| Button { label: label.clone(), data: data.clone() }).collect())
        .collect();
    number_rows(&rows, buttons, &mut out);
    out
}

/// Runs until end of input. Generic over the streams so tests drive it with in-memory pipes.
pub async fn run<R, W>(core: Core, input: R, mut output: W) -> anyhow::Result<()>
where
    R: AsyncBufRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let actor = actor();
    let lang = match core.store().lang(&actor.key()).await? {
        Some(code) => Lang::from_code(&code).unwrap_or_default(),
        None => Lang::Uk,
    };
    let mut tr = Tr { i18n: core.i18n(), lang };
    let mut greeting = tr.t("console-welcome");
    // An empty database: say what to do first.
    if let Some(first) = crate::core::welcome::first_run(&core, &tr, Channel::Console).await? {
        greeting.push_str("\n\n");
        greeting.push_str(&first);
    }
    output.write_all(format!("{greeting}\n> ").as_bytes()).await?;
    output.flush().await?;
    let mut buttons: Vec<Button> = vec![];
    let mut input = input;
    // Raw bytes per line: a pasted line cut mid-letter (invalid UTF-8) is reported and skipped,
    // never the end of the chat (nor of the server running beside it). `read_until` keeps what
    // it read in `raw` when a notice wins the select, so nothing is lost.
    let mut raw = Vec::new();
    let mut notices = core.subscribe_notices();
    loop {
        let line = tokio::select! {
            n = input.read_until(b'\n', &mut raw) => {
                if n? == 0 && raw.is_empty() {
                    break;
                }
                let bytes = std::mem::take(&mut raw);
                match String::from_utf8(bytes) {
                    Ok(line) => line,
                    Err(_) => {
                        output.write_all(format!("{}\n> ", tr.t("console-bad-utf8")).as_bytes()).await?;
                        output.flush().await?;
                        continue;
                    }
                }
            },
            Ok(notice) = notices.recv() => {
                output.write_all(format!("{}> ", render_notice(&notice, &mut buttons)).as_bytes()).await?;
                output.flush().await?;
                continue;
            }
        };
        let line = line.trim();
        let kind = match line.parse::<usize>() {
            Ok(n) if n >= 1 && n <= buttons.len() => InputKind::Callback(buttons[n - 1].data.clone()),
            Ok(_) if !buttons.is_empty() && line.len() <= 2 => {
                output.write_all(format!("{}\n> ", tr.t("console-bad-choice")).as_bytes()).await?;
                output.flush().await?;
                continue;
            }
            _ => InputKind::Text(line.to_string()),
        };
        let out = core.handle(Input { actor: actor.clone(), kind }).await;
        tr.lang = out.lang;
        let text = render(&out, &mut buttons);
        output.write_all(text.as_bytes()).await?;
        output.write_all(b"> ").await?;
        output.flush().await?;
    }
    output.write_all(b"\n").await?;
    output.flush().await?;
    Ok(())
}
