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
