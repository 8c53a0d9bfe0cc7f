//! The word lists and small readers of the coverage check (`coverage.rs`): closed classes of
//! words that carry no subject (function words, question words, fillers, numerals, everyday verbs),
//! the entries that are lists of options, abbreviations, reason clauses, and the quantities she
//! gives about herself. Kept apart so the check itself reads in one screen.

use super::normalize::words;

/// Function words and fillers of Ukrainian, Russian, surzhyk and English (folded like messages).
#[rustfmt::skip]
pub(super) const FUNCTION: &[&str] = &[
    "и", "а", "але", "но", "та", "чи", "ли", "или", "або", "не", "ни", "так", "да", "нет", "ни", "це", "это", "що",
    "шо", "что", "чо", "як", "как", "де", "где", "коли", "когда", "котр", "котор", "який", "яка", "яке", "яки",
    "какой", "какая", "какие", "каки", "ви", "вы", "вас", "вам", "ваш", "ваша", "ваше", "ваши", "нас", "нам", "наш",
    "мене", "меня", "мени", "мне", "мо", "мои", "мой", "моя", "моеи", "я", "ми", "мы", "ти", "ты", "вон", "он",
    "она", "воно", "они", "вони", "його", "его", "ии", "ее", "их", "ним", "нею", "для", "про", "при", "по", "на",
    "в", "у", "из", "зи", "з", "с", "со", "до", "от", "вид", "над", "под", "пид", "без", "через", "после", "писля",
    "тоже", "теж", "також", "также", "ще", "еще", "уже", "вже", "вж", "тильки", "только", "лише", "можна", "можно",
    "можу", "могу", "можете", "мож", "треба", "нада", "надо", "нужно", "потрибн", "нужн", "буду", "будет", "буде",
    "будь", "буд", "ласка", "пожалуйста", "плиз", "есть", "е", "є", "бути", "быть", "був", "була", "было", "було", "був",
    "бы", "би", "б", "же", "ж", "то", "ось", "вот", "тут", "там", "зараз", "сейчас", "сьогодни", "сегодня",
    "завтра", "дуже", "очень", "дякую", "спасибо", "вітаю", "добрий", "добры", "доброго", "день", "дня", "вечир",
    "вечер", "ранок", "утро", "привит", "привет", "здравств", "здрасти", "скажить", "скажите", "пидкаж", "подскаж",
    "питання", "вопрос", "хочу", "хотила", "хотела", "хотив", "хотел", "хотилось", "хотелось", "цикав", "интерес",
    "дизнат", "узнат", "знат", "the", "a", "an", "is", "are", "do", "does", "you", "your", "i", "me", "my", "we",
    "our", "it", "to", "of", "for", "in", "on", "at", "and", "or", "can", "could", "would", "will", "what", "how",
    "when", "where", "which", "there", "any", "please", "hi", "hello", "thanks", "thank", "be", "with", "if", "яку",
    "якои", "якого", "якому", "якии", "яких", "якими", "какую", "каком", "какои", "каких", "каким", "чого", "чего",
    "чому", "почему", "скилки", "сколко", "скока", "скико", "кого", "кому", "тому", "того", "этого", "цього", "цеи",
    "ця", "ци", "этот", "эта", "эти", "весь", "вси", "все", "вся", "свии", "свою", "свои", "себе", "себя", "мною",
    "нами", "вами", "ними", "их", "им", "ему", "иому", "еи", "маю", "мати", "мае", "маете", "имею", "имеет", "можу",
    "может", "могу", "хоче", "хочет", "хочемо", "хотим", "хотили", "хотели", "тоби", "тебе",
    // Pronoun and determiner forms, auxiliary and modal words (folded).
    "такии", "такая", "такое", "таки", "такои", "таку", "нее", "него", "неи", "нии", "ниои", "якась", "якоись",
    "какая", "какое", "кто", "хто", "реално", "зазвичаи", "обычно", "звичаино", "загалом", "хоч", "хоть", "хот",
    // Spoken fillers, particles and discourse words of uk/ru/surzhyk (folded): they carry no subject.
    "типа", "типу", "короче", "кароче", "коротше", "блин", "значит", "значить", "кстати", "речи", "мабуть",
    "наверно", "наверное", "напевно", "навирно", "ладно", "океи", "ага", "угу", "ото", "оце", "слухаите",
    "слушаите", "слухаи", "слушаи", "скики", "скоко", "скилько", "ваще", "какбы", "якбы", "якби", "видимо", "мол",
    "мовляв", "well", "just", "actually", "basically", "anyway",
    // Question words of place and direction.
    "звидки", "звидкиля", "откуда", "куди", "куда", "whence", "why", "who", "whom",
    // The other question words and their case forms (instrumental, purpose, price-of), with their
    // spoken forms.
    "чим", "чем", "ким", "кем", "чии", "чия", "чие", "чьи", "нащо", "навищо", "зачем", "почем",
    "почому", "скок", "whose",
    // Seasons and parts of the day as adverbs: when she would use something, not what she asks.
    "влитку", "литом", "взимку", "зимою", "зимои", "восени", "навесни", "весною", "веснои", "летом",
    "осеню", "вранци", "вдень", "ввечери", "вночи", "утром", "днем", "вечером", "ночю", "summer", "winter",
    "autumn", "morning", "evening",
    // Numerals: how many of something, not what.
    "один", "одна", "одну", "одни", "однои", "одного", "одному", "одним", "одно", "два", "дви", "две", "двох",
    "двух", "три", "трох", "трех", "чотири", "четыре", "обидва", "обидви", "оба", "обе", "обох", "обеих", "one",
    "two", "three", "both", "минус", "плюс", "minus", "plus",
    // English function words and contractions (apostrophes fold away: "they're" is "theyre").
    "theyre", "whos", "whats", "its", "im", "ive", "id", "ill", "youre", "dont", "doesnt", "didnt", "cant",
    "wont", "isnt", "arent", "wasnt", "shouldnt", "own", "often", "much", "many", "long", "have", "has", "had",
    "need", "needs", "should", "must", "might", "was", "were", "been", "being", "this", "that", "these",
    "those", "some", "also", "too", "very", "really", "only", "still", "yet", "about", "after", "before",
    "from", "into", "out", "then", "than", "but", "not", "yes", "okay", "they", "them", "their", "she", "her",
    "him", "his", "get", "got", "there", "here", "ever", "every", "each", "other", "than", "just", "like",
    "such", "same", "more", "less", "most", "again", "already", "soon", "now", "today", "tomorrow",
    // Case forms of "какой", and "hello" on the phone.
    "какого", "какому", "какими", "ало", "алло", "алле",
];

/// Beginnings of everyday verbs and modal words (doing, seeing, finding, knowing, saying, being
/// possible or right) that carry no subject of their own.
#[rustfmt::skip]
pub(super) const GENERAL_STEMS: &[&str] = &[
    "зроб", "сдел", "дела", "роби", "подив", "посмотр", "глян", "знаи", "наид", "наит", "наит", "можлив", "возмож",
    "правил", "дума", "знаю", "знает", "розум", "поним", "бач", "виж", "скаж", "пиш", "напиш", "спита", "спрос",
    "прост", "взагали", "поясн", "объясн", "обьясн", "розкаж", "расскаж", "розповид", "рассказ", "explai",
    "tell", "вообщ", "вобщ", "ваобщ", "зовсим", "совсем", "трох", "немн", "дякс", "благод",
    // Units of time.
    "год", "лет", "рик", "рок", "месяц", "мисяц", "недел", "тижн", "тижд", "днив", "днеи", "годин", "минут", "хвилин",
    // Duration, validity, searching, and particles.
    "долг", "довг", "долш", "довш", "деиств", "диют", "дие", "пошук", "поиск", "шука", "ищ", "нибуд", "небуд", "чтоб",
    "щоб", "шоб",
    // Taking and buying, whether something is worth it or helps, and counting something in.
    "брат", "бери", "беру", "бере", "взят", "кида", "кину", "визьм", "возьм", "купи", "купу", "покуп", "buy", "сенс", "смысл", "варто",
    "worth", "допомаг", "допомож", "помога", "помож", "урахув", "врахов", "учет", "includ",
    "разом", "вмест", "togeth", "вииде", "марн", "даремн", "бесполез", "безполез", "waste", "useless",
    // Waiting.
    "чека", "почека", "жда", "подожд", "ожида", "очику", "wait",
    // The people she speaks of: her family (a child is a concept of its own).
    "жинк", "дружин", "чолов", "муж", "мама", "мами", "маму", "мамо", "мамы", "мамин", "тато", "тата", "папа",
    "папи", "папы", "бабус", "бабуш", "дидус", "дедуш", "сестр", "wife", "husband", "mother", "mom", "mum",
    "father", "dad", "sister", "brother", "grandm", "grandf",
    // English everyday verbs.
    "check", "doing", "done", "does", "make", "made", "take", "took", "come", "going", "want", "know", "need",
    "help", "work", "use", "using", "used", "give",
];

/// The entries that are lists of options (ways to pay, discounts, where they deliver, sports, shoes,
/// materials, certificates): a word of the question they do not account for is an option they do
/// not list, however short the rest of the question is.
pub(super) const LISTS: &[&str] =
    &["payment_methods", "discounts", "delivery", "sport", "shoes", "materials", "gift_certificate"];

/// Days and months in English (their beginnings): capitalised, yet not names of an option.
#[rustfmt::skip]
pub(super) const CALENDAR: &[&str] = &[
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep",
    "oct", "nov", "dec",
];

/// Abbreviations of everyday life in Ukraine, not options or institutions: a text message, a
/// parcel's waybill, a name in full, "OK", yes and no shouted.
pub(super) const EVERYDAY_ABBREVIATIONS: &[&str] =
    &["ОК", "ОКЕЙ", "ТАК", "НІ", "ДА", "НЕТ", "СМС", "ТТН", "ЕН", "ПІБ", "ФИО"];

/// Whether an abbreviation is the initials of words the knowledge base has in a row ("НП" for
/// "Нова Пошта"); `kb` is folded, words after a space.
pub(super) fn initials_of(abbreviation: &str, kb: &str) -> bool {
    let letters: Vec<char> = words(abbreviation).concat().chars().collect();
    let kb_words: Vec<&str> = kb.split_whitespace().collect();
    letters.len() >= 2
        && kb_words.windows(letters.len()).any(|w| w.iter().zip(&letters).all(|(k, l)| k.starts_with(*l)))
}

/// Verb prefixes of Ukrainian and Russian (folded).
#[rustfmt::skip]
pub(super) const PREFIXES: &[&str] = &[
    "ви", "вы", "по", "за", "до", "при", "пере", "на", "об", "вид", "от", "роз", "рас", "раз", "з", "с", "у", "в",
    "пид", "под", "про", "недо", "пере",
];

/// Conjunctions that open a reason ("бо я водій", "because I'm only in town for a week").
pub(super) const REASONS: &[&str] =
    &[" бо ", " тому що", " тому, що", " потому что", " так как", " так як", " оскільки", " поскольку", " because"];

/// A sentence without the reason clause that ends it ("Скіко днів робиться, бо мені срочно нада,
/// я водій"): why she asks is context, not what she asks. A sentence that is all reason is
/// dropped; a reason before the question mark stays (the question is in it).
pub(super) fn without_reason(sentence: &str) -> Option<&str> {
    let lower = format!(" {}", sentence.to_lowercase());
    if lower.len() != sentence.len() + 1 {
        return Some(sentence);
    }
    let Some(at) = REASONS.iter().filter_map(|r| lower.find(r)).min() else {
        return Some(sentence);
    };
    if sentence[at..].contains('?') {
        return Some(sentence);
    }
    let before = sentence[..at].trim_end_matches([' ', ',', '—', '-']);
    before.chars().any(char::is_alphabetic).then_some(before)
}

/// Units of age and duration (folded beginnings): "дитині 7 років", "по 12 годин на ногах".
#[rustfmt::skip]
pub(super) const UNITS: &[&str] = &[
    "рок", "рик", "лет", "год", "мисяц", "месяц", "тиж", "недел", "дн", "годин", "час", "year", "month", "week",
    "day", "hour", "y.o", "rok", "rik", "let", "god", "mis", "mes", "tyzh", "tyzhn", "ned", "dn", "hod",
];

/// Units of age (folded beginnings; "годин" is hours, not "год").
pub(super) const AGES: &[&str] = &["рок", "рик", "лет", "год", "year", "y.o", "rok", "rik", "let", "god"];

/// Numbers she says about herself: an age or a duration ("дитині 7 років", "працюю по 12 годин"),
/// a number followed by its unit. They describe her, they are not a value she asks the studio for.
pub(super) fn own_quantities(text: &str) -> Vec<String> {
    let ws: Vec<String> = text
        .to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(super::normalize::stem)
        .collect();
    let digits = |w: &str| w.chars().all(|c| c.is_ascii_digit());
    let mut out = vec![];
    for (i, w) in ws.iter().enumerate().filter(|(_, w)| digits(w)) {
        // "2,5 року": the unit may follow a decimal part.
        let unit = ws[i + 1..].iter().find(|n| !digits(n));
        let close = ws[i + 1..].iter().take_while(|n| digits(n)).count() <= 1;
        // An age ("7 років"), or a duration per day ("по 12 годин"); any other duration ("лишилось
        // 5 годин", "минуло 2 місяці") is measured against the entry's limits, not hers alone.
        let per = i > 0 && ["по", "po"].contains(&ws[i - 1].as_str());
        let age = |u: &String| AGES.iter().any(|a| u.starts_with(a)) && !u.starts_with("годин");
        if close && unit.is_some_and(|u| age(u) || per && UNITS.iter().any(|x| u.starts_with(x))) {
            out.push(w.clone());
        }
    }
    out
}
