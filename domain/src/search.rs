//! Finding people: the one way names are folded for search, sorting and usernames, the search
//! terms stored for an account, and where a query matches a shown text (for highlighting).
//!
//! Search is by word prefix over stored *terms*: every word-suffix of "first surname",
//! "surname first" (also with German umlauts spelled out: ü → ue), the username and the e-mail, folded (lower case, accents dropped, letters
//! that do not decompose transliterated: ł → l, ø → o, æ → ae, ß → ss, đ → d, þ → th) and with
//! every run of other characters turned into one space. A query matches an account when a term
//! starts with the folded query, so "muller" finds "Müller", "anna mu" finds "Anna Müller", and
//! "example" finds everyone at example.com. A term that is a prefix of another term of the same
//! account is dropped (the longer one matches every query the shorter one would). Each term carries
//! how many leading characters it shares with the account's previous term in sorted order: a
//! query of n characters meets an account first at the term whose `shared` is below n, so the
//! store lists each account once without reading it twice.

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Longest stored term, in characters (a longer query matches on its first this many).
pub const MAX_TERM: usize = 64;
/// Longest query accepted, in characters.
pub const MAX_QUERY: usize = 100;

/// The letters Unicode decomposition leaves alone, spelled in ASCII the way their languages
/// transliterate them (lower case; upper case is lowered first).
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'ß' | 'ẞ' => "ss",
        'æ' | 'ǽ' | 'ǣ' => "ae",
        'œ' => "oe",
        'ø' | 'ǿ' => "o",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ł' | 'ŀ' => "l",
        'ħ' => "h",
        'ı' => "i",
        'ŧ' => "t",
        'ŋ' => "n",
        'ĸ' => "k",
        'ǥ' => "g",
        'ƀ' => "b",
        'ƒ' => "f",
        'ɨ' => "i",
        'ʉ' => "u",
        'ĳ' => "ij",
        'ſ' => "s",
        _ => return None,
    })
}

/// One character as search compares it: lower case, accents dropped, transliterated; a letter or
/// digit of any script stays (lower-cased), anything else becomes a space.
fn fold_char(c: char, out: &mut String) {
    for lower in c.to_lowercase() {
        if let Some(t) = transliterate(lower) {
            out.push_str(t);
            continue;
        }
        let mut any = false;
        // compatibility forms may decompose to upper case (ꟸ → Ħ): lower those too
        for d in lower.to_string().nfkd().flat_map(char::to_lowercase) {
            if is_combining_mark(d) {
                continue;
            }
            if let Some(t) = transliterate(d) {
                out.push_str(t);
            } else if d.is_alphanumeric() {
                out.push(d);
            } else {
                out.push(' ');
            }
            any = true;
        }
        if !any && !is_combining_mark(lower) {
            out.push(' ');
        }
    }
}

/// Text as search and sorting compare it: folded, words separated by single spaces, trimmed.
pub fn fold(text: &str) -> String {
    let mut raw = String::with_capacity(text.len());
    for c in text.chars() {
        fold_char(c, &mut raw);
    }
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name in ASCII for a username: German umlauts spelled out (ä → ae), every other letter
/// folded as search folds it; words joined by `-`.
pub fn ascii_words(name: &str) -> Vec<String> {
    let mut spelled = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' => spelled.push_str("ae"),
            'ö' => spelled.push_str("oe"),
            'ü' => spelled.push_str("ue"),
            // an apostrophe inside a name (O'Brien) separates words
            _ => spelled.push(c),
        }
    }
    fold(&spelled)
        .split(' ')
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect()
}

/// What the users list sorts "by name" on: surname, then first name, folded.
pub fn sort_name(first_name: &str, surname: &str) -> String {
    let key = fold(&format!("{surname} {first_name}"));
    key.chars().take(MAX_TERM).collect()
}

/// One stored search term of an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The folded text (at most [`MAX_TERM`] characters).
    pub text: String,
    /// Leading characters shared with the account's previous term in sorted order.
    pub shared: usize,
}

/// The terms an account is found by, sorted, with no term a prefix of another.
pub fn terms(first_name: &str, surname: &str, username: &str, email: &str) -> Vec<Term> {
    let first: Vec<String> = words(first_name);
    let last: Vec<String> = words(surname);
    // German readers spell ü as ue: "mueller" finds Müller as "muller" does
    let (first_de, last_de) = (ascii_words(first_name), ascii_words(surname));
    let mut sequences = vec![
        first.iter().chain(&last).cloned().collect::<Vec<_>>(),
        last.iter().chain(&first).cloned().collect(),
        words(username),
        words(email),
    ];
    if (first_de.clone(), last_de.clone()) != (first.clone(), last.clone()) {
        sequences.push(first_de.iter().chain(&last_de).cloned().collect());
        sequences.push(last_de.iter().chain(&first_de).cloned().collect());
    }
    let mut all: Vec<String> = Vec::new();
    for seq in &sequences {
        for start in 0..seq.len() {
            let term = seq[start..].join(" ");
            all.push(
                term.chars()
                    .take(MAX_TERM)
                    .collect::<String>()
                    .trim_end()
                    .to_owned(),
            );
        }
    }
    all.sort();
    all.dedup();
    // sorted, a term that is a prefix of another is directly followed by one it prefixes
    let kept: Vec<String> = all
        .iter()
        .enumerate()
        .filter(|(i, t)| {
            all.get(i + 1)
                .is_none_or(|next| !next.starts_with(t.as_str()))
        })
        .map(|(_, t)| t.clone())
        .collect();
    let mut previous: Option<&str> = None;
    kept.iter()
        .map(|t| {
            let shared = previous.map_or(0, |p| common_prefix(p, t));
            previous = Some(t);
            Term {
                text: t.clone(),
                shared,
            }
        })
        .collect()
}

/// The terms as stored with the account: a JSON array of `[term, shared]` pairs, which the
/// database expands into the index rows (`json_each`).
pub fn terms_json(terms: &[Term]) -> String {
    if terms.is_empty() {
        // nothing searchable (a name of punctuation only): one empty term, which no query
        // matches, so the reindex job (looking for `[]`) does not pick the account up again
        return r#"[["",0]]"#.to_owned();
    }
    let items: Vec<String> = terms
        .iter()
        .map(|t| format!("[{},{}]", json_string(&t.text), t.shared))
        .collect();
    format!("[{}]", items.join(","))
}

fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// A search as the store runs it: the folded query, which every matching term starts with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery(String);

impl SearchQuery {
    /// Folds what the admin typed; `None` when nothing searchable is left (only spaces or
    /// punctuation). Longer queries are cut to what a term can hold.
    pub fn parse(typed: &str) -> Option<Self> {
        let typed: String = typed.chars().take(MAX_QUERY).collect();
        let folded: String = fold(&typed).chars().take(MAX_TERM).collect();
        (!folded.is_empty()).then_some(Self(folded))
    }

    /// The folded query: the lower end of the term range.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The upper end (exclusive) of the term range: the query followed by the highest character.
    pub fn range_end(&self) -> String {
        format!("{}{}", self.0, char::MAX)
    }

    /// Its length in characters: a term whose `shared` is at least this long repeats an account
    /// already met at an earlier term.
    pub fn len(&self) -> usize {
        self.0.chars().count()
    }

    /// Never true: a query holds at least one character.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Whether one of the account's terms (as [`terms`] makes them) matches.
    pub fn matches(&self, terms: &[Term]) -> bool {
        terms.iter().any(|t| t.text.starts_with(&self.0))
    }
}

/// Byte ranges of `shown` that a query matches: every word whose folded form starts with a query
/// word is marked for as many characters as that query word covers.
pub fn highlight(shown: &str, query: &str) -> Vec<(usize, usize)> {
    let wanted: Vec<String> = words(query);
    if wanted.is_empty() {
        return Vec::new();
    }
    // the words of `shown` with the byte offset and folded form of each character
    let mut ranges = Vec::new();
    let mut chars = shown.char_indices().peekable();
    while let Some(&(start, c)) = chars.peek() {
        let mut folded = String::new();
        fold_char(c, &mut folded);
        if folded.trim().is_empty() {
            chars.next();
            continue;
        }
        // one word: characters whose fold is a letter or digit
        let mut pieces: Vec<(usize, usize, String)> = Vec::new();
        while let Some(&(at, c)) = chars.peek() {
            let mut f = String::new();
            fold_char(c, &mut f);
            if f.trim().is_empty() || f.contains(' ') {
                break;
            }
            pieces.push((at, at + c.len_utf8(), f));
            chars.next();
        }
        let word: String = pieces.iter().map(|p| p.2.as_str()).collect();
        let best = wanted
            .iter()
            .filter(|w| word.starts_with(w.as_str()))
            .map(|w| w.len())
            .max();
        if let Some(len) = best {
            let mut covered = 0;
            let mut end = start;
            for (_, to, f) in &pieces {
                if covered >= len {
                    break;
                }
                covered += f.len();
                end = *to;
            }
            ranges.push((start, end));
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn folding_drops_accents_and_transliterates() {
        assert_eq!(fold("Müller"), "muller");
        assert_eq!(fold("  Łukasz   Wałęsa "), "lukasz walesa");
        assert_eq!(fold("Søren Ærø"), "soren aero");
        assert_eq!(fold("Strauß"), "strauss");
        assert_eq!(fold("Đorđević"), "dordevic");
        assert_eq!(fold("Þór Guðrún"), "thor gudrun");
        assert_eq!(fold("O'Brien-Smith"), "o brien smith");
        assert_eq!(fold("anna.mueller@example.com"), "anna mueller example com");
        assert_eq!(fold("Işık"), "isik");
        assert_eq!(fold("Ștefan Țiriac"), "stefan tiriac");
        assert_eq!(fold("Дмитрий"), "дмитрии");
        // found by the property below: a compatibility form that decomposes to upper case
        assert_eq!(fold("ꟸ"), "h");
    }

    #[test]
    fn usernames_keep_every_letter_of_real_european_names() {
        let cases = [
            ("Łukasz", "lukasz"),
            ("Wałęsa", "walesa"),
            ("Søren", "soren"),
            ("Kierkegaard", "kierkegaard"),
            ("Ærøskøbing", "aeroskobing"),
            ("Strauß", "strauss"),
            ("Đorđević", "dordevic"),
            ("Guðrún", "gudrun"),
            ("Þórsdóttir", "thorsdottir"),
            ("Jörg", "joerg"),
            ("Müller", "mueller"),
            ("Käßmann", "kaessmann"),
            ("Dvořák", "dvorak"),
            ("Erdős", "erdos"),
            ("Ağaoğlu", "agaoglu"),
            ("Işıl", "isil"),
            ("Œuvray", "oeuvray"),
            ("Ħamrun", "hamrun"),
            ("Çelik", "celik"),
            ("Nuñez", "nunez"),
            ("Brontë", "bronte"),
            ("Øystein", "oystein"),
            ("Ştefan", "stefan"),
            ("Žižek", "zizek"),
        ];
        for (name, want) in cases {
            assert_eq!(ascii_words(name).join("-"), want, "{name}");
        }
        assert_eq!(ascii_words("Anna Maria"), ["anna", "maria"]);
        assert_eq!(ascii_words("李"), Vec::<String>::new());
    }

    #[test]
    fn terms_cover_each_field_without_prefix_duplicates() {
        let t = terms("Anna", "Müller", "anna.mueller", "anna.mueller@example.com");
        let texts: Vec<&str> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "anna mueller example com",
                "anna muller",
                "com",
                "example com",
                "mueller anna",
                "mueller example com",
                "muller anna"
            ]
        );
        let shared: Vec<usize> = t.iter().map(|t| t.shared).collect();
        assert_eq!(shared, [0, 7, 0, 0, 0, 8, 2]);
        assert_eq!(
            terms_json(&t[..2]),
            r#"[["anna mueller example com",0],["anna muller",7]]"#
        );
    }

    #[test]
    fn queries_find_by_any_field_and_accent_free_spelling() {
        let t = terms("Anna", "Müller", "amueller", "a.m@firma.de");
        for q in [
            "muller",
            "MÜLL",
            "anna mu",
            "müller anna",
            "amue",
            "firma",
            "a m@f",
            "de",
        ] {
            assert!(SearchQuery::parse(q).unwrap().matches(&t), "{q}");
        }
        for q in ["nna", "mullerx", "anna anna", "example"] {
            assert!(!SearchQuery::parse(q).unwrap().matches(&t), "{q}");
        }
        assert_eq!(SearchQuery::parse(" .-, "), None);
    }

    #[test]
    fn highlight_marks_the_matched_part_of_the_shown_word() {
        let s = "Anna Müller";
        let h = highlight(s, "mul");
        assert_eq!(
            h.iter().map(|&(a, b)| &s[a..b]).collect::<Vec<_>>(),
            ["Mül"]
        );
        let h = highlight(s, "an mu");
        assert_eq!(
            h.iter().map(|&(a, b)| &s[a..b]).collect::<Vec<_>>(),
            ["An", "Mü"]
        );
        let e = "anna.strauss@example.com";
        let h = highlight(e, "strau");
        assert_eq!(
            h.iter().map(|&(a, b)| &e[a..b]).collect::<Vec<_>>(),
            ["strau"]
        );
        let g = "Strauß";
        let h = highlight(g, "strauss");
        assert_eq!(
            h.iter().map(|&(a, b)| &g[a..b]).collect::<Vec<_>>(),
            ["Strauß"]
        );
        assert!(highlight(s, "x").is_empty());
    }

    proptest! {
        /// The `shared` counts let the store meet each matching account exactly once: among an
        /// account's terms that match a query, exactly one has `shared` below the query's length.
        #[test]
        fn each_matching_account_is_met_once(
            first in "[A-Za-zÄÖÜäöüßłø ]{1,12}",
            last in "[A-Za-zÄÖÜäöüßłø -]{1,12}",
            user in "[a-z0-9.]{2,12}",
            q in "[a-zäöü ]{1,6}",
        ) {
            let t = terms(&first, &last, &user, &format!("{user}@example.com"));
            if let Some(q) = SearchQuery::parse(&q) {
                let matching: Vec<&Term> = t.iter().filter(|t| t.text.starts_with(q.as_str())).collect();
                let first_met = matching.iter().filter(|t| t.shared < q.len()).count();
                prop_assert_eq!(first_met, usize::from(!matching.is_empty()));
            }
            for w in t.windows(2) {
                prop_assert!(w[0].text < w[1].text);
                prop_assert!(!w[1].text.starts_with(&w[0].text));
            }
        }

        #[test]
        fn folding_is_idempotent(s in "\\PC{0,30}") {
            let once = fold(&s);
            prop_assert_eq!(fold(&once), once.clone());
        }
    }
}
