//! Callback data as one typed codec.
//!
//! Every inline button carries a [`Cb`] encoded as a short ASCII string (`c:42`, `os:7:ready`);
//! ids, never names, so every encoding fits Telegram's 64-byte limit. A button from an old
//! message that no longer decodes is answered with "this button is out of date", never guessed.

use crate::domain::profile::Condition;
use crate::domain::OrderStatus;
use crate::i18n::Lang;
use crate::store::clients::TextField;

/// How far a reminder is pushed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Snooze {
    Hour,
    Tomorrow,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cb {
    /// Open (or refresh in place) a client card.
    Card(i64),
    EditMenu(i64),
    Edit(i64, TextField),
    Conditions(i64),
    ToggleCondition(i64, Condition),
    ToggleDiabetes(i64),
    Note(i64),
    Call(i64),
    NewOrder(i64),
    /// Pick the client for an order whose details wait in the dialog.
    PickOrderClient(i64),
    Task(i64),
    TaskDone(i64),
    TaskSnooze(i64, Snooze),
    Tasks,
    Today,
    ImportConfirm(i64),
    BookStart,
    BookService(u8),
    BookDay(u8, u32),
    BookTime(u8, i64),
    BookConfirm(u8, i64),
    MyBookings,
    BookCancel(i64),
    BookMove(i64),
    MoveDay(i64, u32),
    MoveTime(i64, i64),
    VisitOk(i64),
    Came(i64),
    NoShow(i64),
    OwnerCancel(i64),
    OwnerConfirm(i64),
    /// The owner's answer to an identity claim: the same person (merge and link) or not.
    ClaimMerge(i64),
    ClaimSeparate(i64),
    ToggleReminderChannel(u8),
    IgReply(i64),
    DraftSend(i64),
    DraftEdit(i64),
    DraftIgnore(i64),
    DraftSave(i64),
    /// Pause or resume the assistant for one client's conversation.
    ChatPause(i64),
    Week,
    Tags(i64),
    AddTag(i64),
    RemoveTag(i64, i64),
    Timeline(i64),
    Order(i64),
    SetStatus(i64, OrderStatus),
    Orders,
    NewClient,
    Search,
    Lang(Lang),
    Skip,
    Cancel,
}

impl Cb {
    pub fn encode(&self) -> String {
        match *self {
            Cb::Card(id) => format!("c:{id}"),
            Cb::EditMenu(id) => format!("em:{id}"),
            Cb::Edit(id, f) => format!("e:{id}:{}", f.code()),
            Cb::Conditions(id) => format!("cm:{id}"),
            Cb::ToggleCondition(id, c) => format!("tc:{id}:{}", c.code()),
            Cb::ToggleDiabetes(id) => format!("dm:{id}"),
            Cb::Note(id) => format!("n:{id}"),
            Cb::Call(id) => format!("k:{id}"),
            Cb::NewOrder(id) => format!("no:{id}"),
            Cb::PickOrderClient(id) => format!("po:{id}"),
            Cb::Task(id) => format!("t:{id}"),
            Cb::TaskDone(id) => format!("td:{id}"),
            Cb::TaskSnooze(id, Snooze::Hour) => format!("tz:{id}:h"),
            Cb::TaskSnooze(id, Snooze::Tomorrow) => format!("tz:{id}:d"),
            Cb::Tasks => "tk".into(),
            Cb::Today => "to".into(),
            Cb::ImportConfirm(id) => format!("ic:{id}"),
            Cb::BookStart => "bs".into(),
            Cb::BookService(s) => format!("bv:{s}"),
            Cb::BookDay(s, d) => format!("bd:{s}:{d}"),
            Cb::BookTime(s, m) => format!("bt:{s}:{m}"),
            Cb::BookConfirm(s, m) => format!("bc:{s}:{m}"),
            Cb::MyBookings => "mb".into(),
            Cb::BookCancel(id) => format!("bx:{id}"),
            Cb::BookMove(id) => format!("bm:{id}"),
            Cb::MoveDay(id, d) => format!("md:{id}:{d}"),
            Cb::MoveTime(id, m) => format!("mt:{id}:{m}"),
            Cb::VisitOk(id) => format!("vo:{id}"),
            Cb::Came(id) => format!("vc:{id}"),
            Cb::NoShow(id) => format!("vn:{id}"),
            Cb::OwnerCancel(id) => format!("ox:{id}"),
            Cb::OwnerConfirm(id) => format!("oc:{id}"),
            Cb::ClaimMerge(id) => format!("im:{id}"),
            Cb::ClaimSeparate(id) => format!("is:{id}"),
            Cb::ToggleReminderChannel(c) => format!("rc:{c}"),
            Cb::IgReply(id) => format!("ir:{id}"),
            Cb::DraftSend(id) => format!("ds:{id}"),
            Cb::DraftEdit(id) => format!("de:{id}"),
            Cb::DraftIgnore(id) => format!("di:{id}"),
            Cb::DraftSave(id) => format!("dk:{id}"),
            Cb::ChatPause(id) => format!("cp:{id}"),
            Cb::Week => "wk".into(),
            Cb::Tags(id) => format!("tg:{id}"),
            Cb::AddTag(id) => format!("ta:{id}"),
            Cb::RemoveTag(c, t) => format!("tr:{c}:{t}"),
            Cb::Timeline(id) => format!("tl:{id}"),
            Cb::Order(id) => format!("o:{id}"),
            Cb::SetStatus(id, s) => format!("os:{id}:{}", s.code()),
            Cb::Orders => "ol".into(),
            Cb::NewClient => "nc".into(),
            Cb::Search => "s".into(),
            Cb::Lang(l) => format!("l:{}", l.code()),
            Cb::Skip => "sk".into(),
            Cb::Cancel => "x".into(),
        }
    }

    pub fn parse(data: &str) -> Option<Cb> {
        let mut parts = data.split(':');
        let tag = parts.next()?;
        let a = parts.next();
        let b = parts.next();
        if parts.next().is_some() || data.len() > 64 {
            return None;
        }
        let id = |s: Option<&str>| s.and_then(|s| s.parse::<i64>().ok()).filter(|v| *v > 0);
        let cb = match (tag, a, b) {
            ("c", a, None) => Cb::Card(id(a)?),
            ("em", a, None) => Cb::EditMenu(id(a)?),
            ("e", a, Some(f)) => Cb::Edit(id(a)?, TextField::from_code(f)?),
            ("cm", a, None) => Cb::Conditions(id(a)?),
            ("tc", a, Some(c)) => Cb::ToggleCondition(id(a)?, Condition::from_code(c)?),
            ("dm", a, None) => Cb::ToggleDiabetes(id(a)?),
            ("n", a, None) => Cb::Note(id(a)?),
            ("k", a, None) => Cb::Call(id(a)?),
            ("no", a, None) => Cb::NewOrder(id(a)?),
            ("po", a, None) => Cb::PickOrderClient(id(a)?),
            ("t", a, None) => Cb::Task(id(a)?),
            ("td", a, None) => Cb::TaskDone(id(a)?),
            ("tz", a, Some("h")) => Cb::TaskSnooze(id(a)?, Snooze::Hour),
            ("tz", a, Some("d")) => Cb::TaskSnooze(id(a)?, Snooze::Tomorrow),
            ("tk", None, None) => Cb::Tasks,
            ("to", None, None) => Cb::Today,
            ("ic", a, None) => Cb::ImportConfirm(id(a)?),
            ("bs", None, None) => Cb::BookStart,
            ("bv", Some(s), None) => Cb::BookService(s.parse().ok()?),
            ("bd", Some(s), b) => Cb::BookDay(s.parse().ok()?, b?.parse().ok()?),
            ("bt", Some(s), b) => Cb::BookTime(s.parse().ok()?, id(b)?),
            ("bc", Some(s), b) => Cb::BookConfirm(s.parse().ok()?, id(b)?),
            ("mb", None, None) => Cb::MyBookings,
            ("bx", a, None) => Cb::BookCancel(id(a)?),
            ("bm", a, None) => Cb::BookMove(id(a)?),
            ("md", a, b) => Cb::MoveDay(id(a)?, b?.parse().ok()?),
            ("mt", a, b) => Cb::MoveTime(id(a)?, id(b)?),
            ("vo", a, None) => Cb::VisitOk(id(a)?),
            ("vc", a, None) => Cb::Came(id(a)?),
            ("vn", a, None) => Cb::NoShow(id(a)?),
            ("ox", a, None) => Cb::OwnerCancel(id(a)?),
            ("oc", a, None) => Cb::OwnerConfirm(id(a)?),
            ("im", a, None) => Cb::ClaimMerge(id(a)?),
            ("is", a, None) => Cb::ClaimSeparate(id(a)?),
            ("ir", a, None) => Cb::IgReply(id(a)?),
            ("ds", a, None) => Cb::DraftSend(id(a)?),
            ("de", a, None) => Cb::DraftEdit(id(a)?),
            ("di", a, None) => Cb::DraftIgnore(id(a)?),
            ("dk", a, None) => Cb::DraftSave(id(a)?),
            ("cp", a, None) => Cb::ChatPause(id(a)?),
            ("rc", Some(c), None) => Cb::ToggleReminderChannel(c.parse().ok().filter(|c: &u8| *c < 2)?),
            ("wk", None, None) => Cb::Week,
            ("tg", a, None) => Cb::Tags(id(a)?),
            ("ta", a, None) => Cb::AddTag(id(a)?),
            ("tr", a, b @ Some(_)) => Cb::RemoveTag(id(a)?, id(b)?),
            ("tl", a, None) => Cb::Timeline(id(a)?),
            ("o", a, None) => Cb::Order(id(a)?),
            ("os", a, Some(s)) => Cb::SetStatus(id(a)?, OrderStatus::from_code(s)?),
            ("ol", None, None) => Cb::Orders,
            ("nc", None, None) => Cb::NewClient,
            ("s", None, None) => Cb::Search,
            ("l", Some(l), None) => Cb::Lang(Lang::from_code(l)?),
            ("sk", None, None) => Cb::Skip,
            ("x", None, None) => Cb::Cancel,
            _ => return None,
        };
        Some(cb)
    }

    /// One value of every variant (every field value for the enum-valued ones), with `id` and
    /// `other` in the id fields: the codec's own list, for round-trip tests and for probing every
    /// button as someone who must not press it. `samples_cover_every_variant` keeps it complete.
    pub fn samples(id: i64, other: i64) -> Vec<Cb> {
        let mut v = vec![
            Cb::Card(id),
            Cb::EditMenu(id),
            Cb::Conditions(id),
            Cb::ToggleDiabetes(id),
            Cb::Note(id),
            Cb::Call(id),
            Cb::NewOrder(id),
            Cb::PickOrderClient(id),
            Cb::Task(id),
            Cb::TaskDone(id),
            Cb::Tags(id),
            Cb::AddTag(id),
            Cb::RemoveTag(id, other),
            Cb::Timeline(id),
            Cb::Order(id),
            Cb::Orders,
            Cb::TaskSnooze(id, Snooze::Hour),
            Cb::TaskSnooze(id, Snooze::Tomorrow),
            Cb::Tasks,
            Cb::Today,
            Cb::ImportConfirm(id),
            Cb::BookStart,
            Cb::BookService(3),
            Cb::BookDay(1, 20261231),
            Cb::BookTime(1, id),
            Cb::BookConfirm(0, id),
            Cb::MyBookings,
            Cb::BookCancel(id),
            Cb::BookMove(id),
            Cb::MoveDay(id, 20270101),
            Cb::MoveTime(id, other),
            Cb::VisitOk(id),
            Cb::Came(id),
            Cb::NoShow(id),
            Cb::OwnerCancel(id),
            Cb::OwnerConfirm(id),
            Cb::ClaimMerge(id),
            Cb::ClaimSeparate(id),
            Cb::ToggleReminderChannel(1),
            Cb::IgReply(id),
            Cb::DraftSend(id),
            Cb::DraftEdit(id),
            Cb::DraftIgnore(id),
            Cb::DraftSave(id),
            Cb::ChatPause(id),
            Cb::Week,
            Cb::NewClient,
            Cb::Search,
            Cb::Skip,
            Cb::Cancel,
        ];
        v.extend(TextField::ALL.map(|f| Cb::Edit(id, f)));
        v.extend(Condition::ALL.map(|c| Cb::ToggleCondition(id, c)));
        v.extend(OrderStatus::ALL.map(|s| Cb::SetStatus(id, s)));
        v.extend(Lang::ALL.map(Cb::Lang));
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A number per variant. A `match` with no wildcard: adding a variant does not compile until
    /// it is numbered here, and then `samples_cover_every_variant` fails until it is sampled.
    fn variant(cb: &Cb) -> usize {
        match cb {
            Cb::Card(_) => 0,
            Cb::EditMenu(_) => 1,
            Cb::Edit(..) => 2,
            Cb::Conditions(_) => 3,
            Cb::ToggleCondition(..) => 4,
            Cb::ToggleDiabetes(_) => 5,
            Cb::Note(_) => 6,
            Cb::Call(_) => 7,
            Cb::NewOrder(_) => 8,
            Cb::PickOrderClient(_) => 9,
            Cb::Task(_) => 10,
            Cb::TaskDone(_) => 11,
            Cb::TaskSnooze(..) => 12,
            Cb::Tasks => 13,
            Cb::Today => 14,
            Cb::ImportConfirm(_) => 15,
            Cb::BookStart => 16,
            Cb::BookService(_) => 17,
            Cb::BookDay(..) => 18,
            Cb::BookTime(..) => 19,
            Cb::BookConfirm(..) => 20,
            Cb::MyBookings => 21,
            Cb::BookCancel(_) => 22,
            Cb::BookMove(_) => 23,
            Cb::MoveDay(..) => 24,
            Cb::MoveTime(..) => 25,
            Cb::VisitOk(_) => 26,
            Cb::Came(_) => 27,
            Cb::NoShow(_) => 28,
            Cb::OwnerCancel(_) => 29,
            Cb::OwnerConfirm(_) => 30,
            Cb::ToggleReminderChannel(_) => 31,
            Cb::IgReply(_) => 32,
            Cb::DraftSend(_) => 33,
            Cb::DraftEdit(_) => 34,
            Cb::DraftIgnore(_) => 35,
            Cb::DraftSave(_) => 36,
            Cb::ChatPause(_) => 37,
            Cb::Week => 38,
            Cb::Tags(_) => 39,
            Cb::AddTag(_) => 40,
            Cb::RemoveTag(..) => 41,
            Cb::Timeline(_) => 42,
            Cb::Order(_) => 43,
            Cb::SetStatus(..) => 44,
            Cb::Orders => 45,
            Cb::NewClient => 46,
            Cb::Search => 47,
            Cb::Lang(_) => 48,
            Cb::Skip => 49,
            Cb::Cancel => 50,
            Cb::ClaimMerge(_) => 51,
            Cb::ClaimSeparate(_) => 52,
        }
    }
    const VARIANTS: usize = 53;

    #[test]
    fn samples_cover_every_variant() {
        let covered: std::collections::BTreeSet<usize> = Cb::samples(7, 9).iter().map(variant).collect();
        let missing: Vec<usize> = (0..VARIANTS).filter(|v| !covered.contains(v)).collect();
        assert!(missing.is_empty(), "variants without a sample (numbers from `variant`): {missing:?}");
        assert!(covered.iter().all(|v| *v < VARIANTS), "VARIANTS is out of date");
        // Every snooze and every enum-valued field, too.
        let samples = Cb::samples(7, 9);
        assert!(
            samples.contains(&Cb::TaskSnooze(7, Snooze::Hour))
                && samples.contains(&Cb::TaskSnooze(7, Snooze::Tomorrow))
        );
        assert!(TextField::ALL.iter().all(|f| samples.contains(&Cb::Edit(7, *f))));
        assert!(Condition::ALL.iter().all(|c| samples.contains(&Cb::ToggleCondition(7, *c))));
        assert!(OrderStatus::ALL.iter().all(|s| samples.contains(&Cb::SetStatus(7, *s))));
        assert!(Lang::ALL.iter().all(|l| samples.contains(&Cb::Lang(*l))));
    }

    #[test]
    fn garbage_does_not_decode() {
        for s in ["", "c", "c:", "c:abc", "c:-1", "c:0", "zz:1", "os:1:flying", "c:1:2:3", "l:de"] {
            assert_eq!(Cb::parse(s), None, "{s}");
        }
    }

    proptest! {
        #[test]
        fn every_callback_round_trips_within_64_bytes(id in 1i64..=i64::MAX, other in 1i64..=i64::MAX) {
            for cb in Cb::samples(id, other) {
                let enc = cb.encode();
                prop_assert!(enc.len() <= 64, "{} is {} bytes", enc, enc.len());
                prop_assert_eq!(Cb::parse(&enc), Some(cb));
            }
        }
    }
}

#[cfg(test)]
mod golden;
