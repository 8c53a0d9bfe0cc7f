//! The hand-written reading of a message: rules over lexicon concepts give topics and an intent.
//! They are features of the trained model (`model`), which has the last word; the rules carry what
//! a few hundred examples cannot teach (every topic's vocabulary).

use super::lexicon::C;
use super::Intent;
use std::collections::BTreeSet;

/// The rules' intent, one of the model's features.
pub fn rule_intent(cs: &BTreeSet<C>, has_topics: bool) -> Intent {
    let has = |c: C| cs.contains(&c);
    let condition = has(C::Spur) || has(C::Flat) || has(C::Hallux) || has(C::Diabetes);
    let personal = has(C::Me) || has(C::Pain);
    if has(C::Complain) {
        Intent::Complaint
    } else if has(C::Status) {
        Intent::OrderStatus
    } else if (has(C::Pain) || condition || has(C::Body)) && (personal || has(C::Advice)) && !has(C::Book) {
        Intent::Consultation
    } else if has(C::Book) && !has(C::Resched) && !has(C::Price) {
        Intent::Booking
    } else if has_topics {
        Intent::Faq
    } else {
        Intent::Other
    }
}

/// The rules' topics, one of the model's features.
pub fn topics(cs: &BTreeSet<C>) -> Vec<&'static str> {
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
    } else if has(C::Price)
        && (!has(C::Diag) && !has(C::Discount) && !has(C::Delivery) && !has(C::Gift) || has(C::Individual))
    {
        // The price of the individual pair she names, with a discount or not.
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

/// The reasons of `owner_only`, and the other escalations no engine may overrule.
pub const OWNERS_KINDS: &[&str] = &[
    "refund or money back",
    "money dispute, a wrong item or the service",
    "business or bulk order",
    "partnership or advertising offer",
    "medical question",
    "asked for a person",
    "diabetic foot",
    "an exception to a stated policy",
];

/// The kinds that always go to the owner whatever the knowledge base says (issue 13), with the
/// reason she sees and the intent they carry when the model read them as a plain question.
/// `medical_beyond_kb`: the message names a diagnosis or injury the knowledge base does not
/// mention (one it covers, like the surgery of hallux valgus, is a question it answers).
pub fn owner_only(cs: &BTreeSet<C>, medical_beyond_kb: bool) -> Option<(&'static str, Intent)> {
    let has = |c: C| cs.contains(&c);
    let money = has(C::Pay) || has(C::Price) || has(C::Prepay) || has(C::Discount) || has(C::Referral);
    let condition = has(C::Spur) || has(C::Flat) || has(C::Hallux) || has(C::Body);
    if has(C::Refund) {
        Some(("refund or money back", Intent::Other))
    } else if has(C::WrongItem) || has(C::Rude) || has(C::Broken) || (has(C::MoneyIssue) && money) {
        Some(("money dispute, a wrong item or the service", Intent::Complaint))
    } else if has(C::Exception) {
        // The entry states the rule; only the owner grants an exception to it.
        Some(("an exception to a stated policy", Intent::Faq))
    } else if has(C::Business) {
        Some(("business or bulk order", Intent::Other))
    } else if has(C::Partner) {
        Some(("partnership or advertising offer", Intent::Other))
    } else if (has(C::Diagnosis) && medical_beyond_kb)
        || (has(C::Child) && (has(C::Pain) || has(C::Advice)) && condition)
    {
        Some(("medical question", Intent::Consultation))
    } else {
        None
    }
}

/// The topics a concept takes part in: alone, or with any other concept of `all` (price with
/// ready-made insoles is the ready-made price). Empty for concepts of no topic (greetings, "me",
/// insoles, pain), which any answer accounts for.
pub fn topics_of(c: C, all: &[C]) -> Vec<&'static str> {
    let mut out = topics(&BTreeSet::from([c]));
    for d in all.iter().filter(|d| **d != c) {
        let before = topics(&BTreeSet::from([*d]));
        for t in topics(&BTreeSet::from([c, *d])) {
            if !before.contains(&t) && !out.contains(&t) {
                out.push(t);
            }
        }
    }
    out
}

/// `topics_of` for every concept of `all` at once, in the same order. Each concept's own topics
/// and each unordered pair's are worked out once (56 + 1,540 evaluations of `topics` for 56
/// concepts, where one `topics_of` per concept made 6,216): it was start-up's largest table
/// after the model (issue 11).
pub fn topics_by_concept(all: &[C]) -> Vec<(C, Vec<&'static str>)> {
    let singles: Vec<Vec<&'static str>> = all.iter().map(|c| topics(&BTreeSet::from([*c]))).collect();
    let mut out: Vec<(C, Vec<&'static str>)> = all.iter().copied().zip(singles.iter().cloned()).collect();
    for i in 0..all.len() {
        for j in i + 1..all.len() {
            if all[i] == all[j] {
                continue;
            }
            for t in topics(&BTreeSet::from([all[i], all[j]])) {
                for (me, other) in [(i, j), (j, i)] {
                    if !singles[other].contains(&t) && !out[me].1.contains(&t) {
                        out[me].1.push(t);
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_all_concepts_is_topics_of_each_in_order() {
        let all: Vec<C> =
            super::super::reading::lexicon().iter().map(|(c, _)| *c).collect::<BTreeSet<C>>().into_iter().collect();
        assert!(all.len() > 50, "{}", all.len());
        let table = topics_by_concept(&all);
        let one_by_one: Vec<(C, Vec<&str>)> = all.iter().map(|c| (*c, topics_of(*c, &all))).collect();
        assert!(table.iter().any(|(_, ts)| ts.len() > 1), "some concept takes part in several topics");
        assert_eq!(table, one_by_one);
    }
}
