//! Towns of Ukraine, for the coverage check (issue 13): when the knowledge base says it delivers
//! "по Україні", a town of Ukraine she names ("до Ковеля", "в Dnipro") is covered by that
//! sentence, while a place abroad ("Wroclaw", "в Польщу") stays an option the entry does not list.
//! The list is general knowledge (regional centres, large towns, and the towns of Volyn and Lviv
//! regions around the studio), in Ukrainian and Russian spellings and Latin transliteration, as
//! word beginnings that every case form starts with. Ambiguous names that are also common words
//! (Суми, Рівне) are left out.

use super::normalize::stem;
use std::sync::LazyLock;

#[rustfmt::skip]
const TOWNS: &[&str] = &[
    // Regional centres.
    "київ", "києв", "киев", "kyiv", "kiev", "харків", "харков", "харьк", "kharkiv", "kharkov", "одес", "odes",
    "дніпр", "днепр", "dnipr", "dnepr", "львів", "львов", "lviv", "lvov", "запоріж", "запорож", "zaporizh",
    "вінниц", "винниц", "vinnyts", "vinnits", "полтав", "poltav", "чернігів", "чернігов", "чернигов", "chernihiv",
    "chernigov", "черкас", "cherkas", "житомир", "zhytomyr", "zhitomir", "луцьк", "луцк", "lutsk", "тернопол",
    "тернопіл", "ternopil", "ternopol", "франківськ", "франковск", "frankivsk", "ужгород", "uzhhorod", "uzhgorod", "чернівц", "черновц", "chernivts", "хмельниц", "khmelnyts",
    "кропивниц", "kropyvnyts", "миколаїв", "миколаєв", "николаев", "mykolaiv", "nikolaev", "херсон", "kherson",
    // Large towns.
    "кременчу", "kremenchu", "kryvyi", "маріупол", "мариупол",
    "краматорськ", "краматорск", "слов'янськ", "славянск", "бердичів", "бердичев", "уман", "uman", "бровар",
    "brovar", "борисп", "boryspil", "ірпін", "ирпен", "irpin", "фастів", "фастов", "обухів", "обухов", "ізмаїл",
    "измаил", "нікопол", "никопол", "павлоград", "кам'янськ", "каменск", "мелітопол", "мелитопол", "бердянськ",
    "бердянск", "кам'янець", "каменец", "шепетівк", "шепетовк", "дубн", "dubno", "вараш", "костопол", "сарн",
    "коломи", "kolomy", "калуш", "конотоп", "шостк", "ніжин", "нежин", "прилук", "лубн", "миргород", "олександрі",
    "александрі", "жмеринк", "коростен", "звягел", "світловодськ", "светловодск",
    // Volyn and Lviv regions, around the studio.
    "нововолинськ", "нововолынск", "нововолинск", "novovolynsk", "ковел", "kovel", "володимир", "volodymyr", "іваничі", "иваничи", "устилуг", "любомл", "liuboml", "ківерц", "киверц", "горохів", "горохов", "рожищ", "турійськ", "турийск", "шацьк", "шацк", "червоноград",
    "шептицьк", "sheptyts", "сокал", "дрогобич", "drohobych", "стрий", "stryi", "самбір", "самбор", "мукачев",
    "mukachev", "трускавец", "truskavets", "яворів", "яворов", "жовкв", "золочів", "золочев", "брод",
];

static FOLDED: LazyLock<Vec<String>> = LazyLock::new(|| TOWNS.iter().map(|t| stem(t)).collect());

/// Whether a folded word names a town of Ukraine (of one word: "Біла Церква" is not listed).
pub fn is_town(folded: &str) -> bool {
    folded.chars().count() >= 4 && FOLDED.iter().any(|t| folded.starts_with(t.as_str()))
}

/// Whether the knowledge base's (folded) words say the studio serves all of Ukraine.
pub fn serves_ukraine<'a>(mut kb_words: impl Iterator<Item = &'a str>) -> bool {
    kb_words.any(|w| w.starts_with("украин") || w.starts_with("ukrain"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::assistant::normalize::words;

    #[test]
    fn towns_of_ukraine_are_known_in_every_case_and_spelling() {
        for text in ["до Ковеля", "в Харків", "у Харкові", "в Харьков", "в Dnipro", "до Києва", "в Одессу", "Луцьк"]
        {
            assert!(words(text).iter().any(|w| is_town(w)), "{text}");
        }
        for text in ["в Польщу", "Wroclaw", "до Берліна", "суми грошей", "доставка"] {
            assert!(!words(text).iter().any(|w| is_town(w)), "{text}");
        }
    }
}
