//! The studio's knowledge base: a Markdown file with one `## <topic_id>: <title>` section per
//! topic (the owner edits it; `config/knowledge.md` ships an example).

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: String,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, Default)]
pub struct Kb {
    pub topics: Vec<Topic>,
}

impl Kb {
    pub fn parse(markdown: &str) -> Kb {
        let mut topics: Vec<Topic> = vec![];
        for line in markdown.lines() {
            if let Some(head) = line.strip_prefix("## ") {
                let (id, title) = head.split_once(':').unwrap_or((head, ""));
                topics.push(Topic { id: id.trim().to_string(), title: title.trim().to_string(), body: String::new() });
            } else if let Some(t) = topics.last_mut() {
                if !line.trim().is_empty() {
                    if !t.body.is_empty() {
                        t.body.push(' ');
                    }
                    t.body.push_str(line.trim());
                }
            }
        }
        Kb { topics }
    }

    pub fn body(&self, id: &str) -> Option<&str> {
        self.topics.iter().find(|t| t.id == id).map(|t| t.body.as_str())
    }
}

/// What the running studio really offers, which the knowledge base's text may not know: the
/// opening hours the owner set (`/hours`, `/dayoff`, `/vacation`), the commands a client can
/// use, and whether SMS is configured. The assistant answers from the grounded text only, so it
/// never quotes stale hours, points to a command that does not exist, or promises an SMS.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The body of the `hours` topic, rendered from the schedule.
    pub hours: Option<String>,
    /// Commands a client can use (without the slash).
    pub client_commands: Vec<String>,
    pub sms: bool,
}

/// Words written with a dot inside a sentence.
const ABBREVIATIONS: &[&str] = &[
    "вул",
    "ул",
    "буд",
    "д",
    "м",
    "пр",
    "просп",
    "пл",
    "кв",
    "тел",
    "ст",
    "р",
    "грн",
    "див",
    "напр",
    "т",
    "ін",
    "др",
    "тис",
    "хв",
    "год",
    "св",
];

/// Splits a body into sentences, keeping each one's end mark.
pub fn sentences(body: &str) -> Vec<&str> {
    let mut out = vec![];
    let mut start = 0;
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    for (i, (at, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') || !chars.get(i + 1).is_none_or(|(_, n)| n.is_whitespace()) {
            continue;
        }
        // "вул. Шахтарська": an abbreviation's dot ends no sentence. (The word is looked at only
        // here, at a dot before a space: lowering the text before every character made reading
        // the knowledge base quadratic in a sentence's length.)
        let word = || body[start..*at].rsplit(char::is_whitespace).next().unwrap_or("").to_lowercase();
        let abbreviation = *c == '.' && ABBREVIATIONS.contains(&word().as_str());
        if !abbreviation {
            let end = at + c.len_utf8();
            out.push(body[start..end].trim());
            start = end;
        }
    }
    if !body[start..].trim().is_empty() {
        out.push(body[start..].trim());
    }
    out
}

/// A sentence that points to a `/command` the client cannot use.
fn names_missing_command(sentence: &str, commands: &[String]) -> bool {
    sentence.split(|c: char| c.is_whitespace() || matches!(c, ',' | '.' | '!' | '?' | '(' | ')' | '«' | '»')).any(|w| {
        w.strip_prefix('/').is_some_and(|cmd| {
            !cmd.is_empty()
                && cmd.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !commands.iter().any(|c| c == cmd)
        })
    })
}

/// A sentence that promises an SMS.
fn promises_sms(sentence: &str) -> bool {
    let lower = sentence.to_lowercase();
    ["sms", "смс", "эсэмэс"].iter().any(|w| lower.contains(w))
}

impl Kb {
    /// This knowledge base with the running studio's facts: the `hours` body replaced, and every
    /// sentence that points to a missing command or (without SMS) promises an SMS dropped.
    pub fn grounded(&self, facts: &Facts) -> Kb {
        let topics = self
            .topics
            .iter()
            .map(|t| {
                let body = match (&facts.hours, t.id.as_str()) {
                    (Some(h), "hours") => h.clone(),
                    _ => sentences(&t.body)
                        .into_iter()
                        .filter(|s| !names_missing_command(s, &facts.client_commands))
                        .filter(|s| facts.sms || !promises_sms(s))
                        .collect::<Vec<_>>()
                        .join(" "),
                };
                Topic { body, ..t.clone() }
            })
            .collect();
        Kb { topics }
    }
}

#[cfg(test)]
mod grounding_tests {
    use super::*;

    const KB: &str = "## hours: Графік\n\nПн–Пт 9:00–18:00, Сб 10:00–15:00.\n\n\
        ## order_status_info: Статус\n\nСтатус можна дізнатися командою /status або за телефоном. \
        Коли устілки готові, ми надсилаємо SMS. Зазвичай це 5–7 днів.\n";

    #[test]
    fn hours_come_from_the_schedule_and_missing_commands_and_sms_are_dropped() {
        let facts =
            Facts {
                hours: Some("Пн–Пт 10:00–18:00.".into()), client_commands: vec!["start".into()], sms: false
            };
        let kb = Kb::parse(KB).grounded(&facts);
        assert_eq!(kb.body("hours"), Some("Пн–Пт 10:00–18:00."));
        assert_eq!(kb.body("order_status_info"), Some("Зазвичай це 5–7 днів."));
    }

    #[test]
    fn a_command_that_exists_and_configured_sms_stay() {
        let facts = Facts { hours: None, client_commands: vec!["status".into()], sms: true };
        let kb = Kb::parse(KB).grounded(&facts);
        assert_eq!(kb.body("hours"), Some("Пн–Пт 9:00–18:00, Сб 10:00–15:00."));
        assert_eq!(kb.body("order_status_info"), Kb::parse(KB).body("order_status_info"));
    }
}
