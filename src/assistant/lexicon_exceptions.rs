//! Two concepts of the owner's kinds that are broader than a topic's words (issue 13):
//! - an exception to a policy the knowledge base states ("можна без передоплати?", "заплачу при
//!   отриманні", "could you make an exception"): the entry states the rule, and only the owner
//!   grants an exception to it, so such a question is hers however well the entry matches;
//! - damage said in English ("a tear along the edge", "the top is peeling", "it came apart"): a
//!   defect report without one of the Ukrainian defect words is still a defect report.
//!
//! Both are lists of a concept's ways of saying it (asking to skip or defer a payment, asking to
//! bend a rule; damage verbs and nouns), written from the concept, not from evaluation messages.
//! Each entry is a word beginning or a phrase whose last word is a beginning, folded like messages.

use super::lexicon::C;

pub const LEXICON_EXCEPTIONS: &[(C, &[&str])] = &[
    (
        C::Exception,
        &[
            // Skipping a payment the policy asks for.
            "без передоплат",
            "без предоплат",
            "без авансу",
            "без аванса",
            "без завдатк",
            "без задатк",
            "без оплати",
            "без оплаты",
            "без предварительной оплат",
            "без попередньої оплат",
            "without prepay",
            "without a prepay",
            "without deposit",
            "without a deposit",
            "without paying",
            "with no deposit",
            "no deposit",
            "skip the deposit",
            "skip the prepay",
            // Paying later than the policy says.
            "заплачу при",
            "оплачу при",
            "розрахуюсь при",
            "розрахуюся при",
            "рассчитаюсь при",
            "заплачу потім",
            "заплачу пізніше",
            "заплачу після",
            "оплачу потім",
            "оплачу пізніше",
            "оплачу після",
            "заплачу потом",
            "заплачу позже",
            "заплачу после",
            "оплачу потом",
            "оплачу позже",
            "оплачу после",
            "pay later",
            "pay on delivery",
            "pay on pickup",
            "pay on collection",
            "pay when i",
            "pay once i",
            "pay after i",
            "pay everything at",
            "cash on delivery",
            "післяплат",
            "наложен",
            "наложк",
            "накладен",
            "в борг",
            "в долг",
            // Asking to bend a rule.
            "виняток",
            "винятк",
            "исключени",
            "exception",
            "just this once",
            "only this once",
            "bend the rule",
            "хоча б раз",
            "хотя бы раз",
            "назустріч",
            "навстречу",
        ],
    ),
    (
        C::WrongItem,
        &[
            "tear",
            "torn",
            "ripped",
            "rips",
            "crack",
            "peel",
            "came apart",
            "coming apart",
            "falling apart",
            "fell off",
            "came off",
            "coming off",
            "come off",
            "unglued",
            "came unstuck",
            "broken",
            "worn out",
            "worn through",
            "wore out",
            "wore through",
            "hole",
            "holes",
            "frayed",
            "fraying",
            "squeak",
            "deformed",
            "flattened",
            "defective",
            "faulty",
            "damage",
            "split in",
            "snapped",
            "bubbled",
            "wrinkled",
            "creased",
        ],
    ),
];

#[cfg(test)]
mod tests {
    use super::super::lexicon::C;
    use super::super::offline::Offline;

    fn reads(text: &str, c: C) -> bool {
        Offline::new(super::super::kb::Kb::default()).read(text).cs.contains(&c)
    }

    #[test]
    fn asking_to_skip_or_defer_a_payment_is_an_exception() {
        for text in [
            "А можна зробити замовлення без передоплати? Я надійна клієнтка",
            "Розрахуюсь при отриманні на пошті, добре?",
            "Could I pay later, once the insoles are ready?",
            "Можно оплату наложенным платежом?",
            "Is it possible to order without a deposit this time?",
        ] {
            assert!(reads(text, C::Exception), "{text}");
        }
    }

    #[test]
    fn asking_to_bend_a_rule_is_an_exception() {
        for text in
            ["Зробіть для мене виняток, будь ласка", "Could you make an exception for me?", "Підіть назустріч, прошу"]
        {
            assert!(reads(text, C::Exception), "{text}");
        }
    }

    #[test]
    fn asking_what_the_policy_is_is_no_exception() {
        for text in
            ["Яка передоплата?", "Треба вносити передоплату?", "How much is the deposit?", "Можна прийти без запису?"]
        {
            assert!(!reads(text, C::Exception), "{text}");
        }
    }

    #[test]
    fn english_damage_words_report_a_defect() {
        for text in [
            "The cover of my left insole is torn near the heel",
            "After two weeks the top layer started to peel",
            "One insole came apart at the seam",
            "There is a hole under the big toe already",
            "The arch support snapped yesterday",
        ] {
            assert!(reads(text, C::WrongItem), "{text}");
        }
        assert!(!reads("How long do the insoles last?", C::WrongItem));
    }
}
