//! The offline engine: no key, no network. The message is folded (see `normalize`), the concepts
//! it mentions are found with the lexicon, and rules over concepts give the topics, the intent,
//! the sentiment and whether a person must answer. Answers are the knowledge base's own text, so
//! they never invent a price or a time.

use super::kb::Kb;
use super::lexicon::{C, LEXICON};
use super::normalize::{stem, words};
use super::{Analysis, Intent, Sentiment};
use std::collections::BTreeSet;

pub struct Offline {
    kb: Kb,
    lexicon: Vec<(C, Vec<String>)>,
}

/// Attempts to change the rules or pull out what the assistant must not tell.
const INJECTION: &[&str] = &[
    "ignore",
    "ігнор",
    "игнор",
    "забудь",
    "forget your",
    "instruction",
    "інструкці",
    "инструкци",
    "prompt",
    "промпт",
    "system message",
    "системн",
    "твої правила",
    "твои правила",
    "your rules",
    "я власниц",
    "я владелиц",
    "i am the owner",
    "i'm the owner",
    "я адмін",
    "я админ",
    "developer mode",
    "jailbreak",
    "100%",
    "100 %",
    "телефон клієнт",
    "телефон клиент",
    "номер клієнт",
    "номер клиент",
    "other client",
    "іншої клієнт",
    "другой клиент",
    "дані клієнт",
    "данные клиент",
    "напиши код",
    "напиши мені код",
    "напиши мне код",
    "write code",
    "write me a",
    "python",
    "chatgpt",
    "штучний інтелект",
    "искусственный интеллект",
    "you are an ai",
    "ти ж ші",
    "роль",
    "pretend",
    "act as",
];

/// Requests that concern someone else's data or the studio's rules: the owner must see them.
const SENSITIVE: &[&str] = &[
    "клієнт",
    "клиент",
    "client",
    "customer",
    "знижк",
    "скидк",
    "discount",
    "власниц",
    "владелиц",
    "owner",
    "безкоштовн",
    "бесплатн",
    "free of charge",
];

pub const REFUSAL: &str = "Я допомагаю лише з питаннями студії «ОртоКрок»: устілки, діагностика, ціни, запис. Правил і даних клієнтів я не розголошую, знижок і замовлень не змінюю.";
pub const HOLDING: &str = "Дякуємо за повідомлення! Передала ваше питання спеціалістці — відповімо найближчим часом.";
const GREETING: &str =
    "Вітаємо! Чим можемо допомогти? Напишіть ваше питання — ціни, запис на діагностику, адреса чи графік.";
const THANKS: &str = "Дякуємо! Будемо раді бачити вас у студії.";

impl Offline {
    pub fn new(kb: Kb) -> Self {
        let lexicon = LEXICON
            .iter()
            .map(|(c, stems)| (*c, stems.iter().map(|s| stem(s)).filter(|s| !s.is_empty()).collect()))
            .collect();
        Offline { kb, lexicon }
    }

    fn concepts(&self, text: &str) -> BTreeSet<C> {
        let joined = format!(" {} ", words(text).join(" "));
        self.lexicon
            .iter()
            .filter(|(_, stems)| stems.iter().any(|s| joined.contains(&format!(" {s}"))))
            .map(|(c, _)| *c)
            .collect()
    }

    fn topics(cs: &BTreeSet<C>) -> Vec<&'static str> {
        let has = |c: C| cs.contains(&c);
        let mut t = vec![];
        let mut push = |id: &'static str| {
            if !t.contains(&id) {
                t.push(id);
            }
        };
        if has(C::Diag) && has(C::Price) {
            push("diagnostics_price");
        }
        if has(C::Prep) {
            push("diagnostics_prep");
        }
        if has(C::Diag) && (has(C::Process) || !(has(C::Price) || has(C::Prep) || has(C::Book))) {
            push("diagnostics_process");
        }
        if has(C::Resched) {
            push("booking_reschedule");
        } else if has(C::Book) {
            push("booking_how");
        }
        if has(C::Price) && has(C::Ready) {
            push("price_ready");
        } else if has(C::Price) && !has(C::Diag) && !has(C::Discount) && !has(C::Delivery) && !has(C::Gift) {
            push("price_individual");
        }
        if has(C::MakeTime) && !has(C::Status) && !has(C::Process) {
            push("production_time");
        }
        for (c, id) in [
            (C::Fitting, "fitting"),
            (C::Warranty, "warranty"),
            (C::Lifespan, "lifespan"),
            (C::Child, "children"),
            (C::Sport, "sport"),
            (C::Diabetes, "diabetic_foot"),
            (C::Spur, "heel_spur"),
            (C::Flat, "flat_feet"),
            (C::Hallux, "hallux_valgus"),
            (C::Shoes, "shoes"),
            (C::Prepay, "prepayment"),
            (C::Delivery, "delivery"),
            (C::Remote, "remote_order"),
            (C::Return, "returns"),
            (C::Doctor, "referral_doctor"),
            (C::Care, "care"),
            (C::Adapt, "adaptation"),
            (C::Discount, "discounts"),
            (C::Referral, "referral_program"),
            (C::Gift, "gift_certificate"),
            (C::Status, "order_status_info"),
            (C::Material, "materials"),
            (C::Specialist, "specialist"),
            (C::Address, "address"),
            (C::Hours, "hours"),
            (C::Contacts, "contacts"),
            (C::Parking, "parking"),
        ] {
            if has(c) {
                push(id);
            }
        }
        if has(C::Pay) && !has(C::Prepay) {
            push("payment_methods");
        }
        t
    }

    pub fn analyse(&self, text: &str) -> Analysis {
        let cs = self.concepts(text);
        let has = |c: C| cs.contains(&c);
        let folded = format!(" {} ", words(text).join(" "));
        let lower = text.to_lowercase();
        let injection = INJECTION.iter().any(|p| lower.contains(p) || folded.contains(&stem(p)));
        let topics = Self::topics(&cs);
        let condition = has(C::Spur) || has(C::Flat) || has(C::Hallux) || has(C::Diabetes);
        let personal = has(C::Me) || has(C::Pain);
        let intent = if has(C::Complain) {
            Intent::Complaint
        } else if has(C::Status) {
            Intent::OrderStatus
        } else if (has(C::Pain) || condition || has(C::Body)) && (personal || has(C::Advice)) && !has(C::Book) {
            Intent::Consultation
        } else if has(C::Book) && !has(C::Resched) && !has(C::Price) {
            Intent::Booking
        } else if !topics.is_empty() {
            Intent::Faq
        } else {
            Intent::Other
        };
        let sentiment = if has(C::Complain) || has(C::Negative) {
            Sentiment::Negative
        } else if has(C::Thanks) {
            Sentiment::Positive
        } else {
            Sentiment::Neutral
        };
        let question = text.contains('?') || text.chars().count() > 40;
        let sensitive = SENSITIVE.iter().any(|p| folded.contains(&stem(p)));
        if injection {
            // Never follow it and never answer from the knowledge base or the CRM: a fixed refusal,
            // and the owner sees anything touching other clients' data, discounts or her role.
            return Analysis {
                intent,
                sentiment,
                topics: vec![],
                escalate: sensitive,
                reason: if sensitive { "injection touching data or rules".into() } else { "off-task request".into() },
                answer: (!sensitive).then(|| REFUSAL.to_string()),
                holding: sensitive.then(|| HOLDING.to_string()),
            };
        }
        let (escalate, reason) = if (has(C::Contacts) || has(C::Address)) && sensitive {
            (true, "asks for someone else's data")
        } else if has(C::Human) {
            (true, "asked for a person")
        } else if matches!(intent, Intent::Complaint) {
            (true, "complaint")
        } else if matches!(intent, Intent::Consultation) {
            (true, "medical question about her own condition")
        } else if has(C::Diabetes) {
            (true, "diabetic foot")
        } else if matches!(intent, Intent::Other) && question && !has(C::Thanks) {
            (true, "no answer in the knowledge base")
        } else {
            (false, "")
        };
        let answer = if escalate {
            Some(HOLDING.to_string())
        } else {
            match intent {
                Intent::Other if has(C::Thanks) => Some(THANKS.to_string()),
                Intent::Other => Some(GREETING.to_string()),
                _ => {
                    let parts: Vec<&str> = topics.iter().take(3).filter_map(|t| self.kb.body(t)).collect();
                    (!parts.is_empty()).then(|| parts.join("\n\n"))
                }
            }
        };
        let escalate = escalate || answer.is_none();
        Analysis {
            intent,
            sentiment,
            topics: topics.iter().map(|t| t.to_string()).collect(),
            escalate,
            reason: if escalate && reason.is_empty() {
                "no answer in the knowledge base".into()
            } else {
                reason.into()
            },
            answer: if escalate { None } else { answer },
            holding: escalate.then(|| HOLDING.to_string()),
        }
    }
}
