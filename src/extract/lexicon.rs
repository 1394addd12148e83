//! Word lists a reader uses to tell a place name from another capitalised
//! word, written by hand (all lower case, sorted for binary search).

/// Whether `word` (lower case) is in the sorted list `list`.
pub(super) fn contains(list: &[&str], word: &str) -> bool {
    list.binary_search(&word).is_ok()
}

/// Months and days: dates, not places, unless a locative cue says
/// otherwise ("in Mobile", not "in May 2009").
#[rustfmt::skip]
pub(super) const CALENDAR: &[&str] = &[
    "apr", "april", "aug", "august", "dec", "december", "feb", "february", "friday", "jan",
    "january", "jul", "july", "jun", "june", "march", "may", "monday", "nov", "november", "oct",
    "october", "saturday", "sep", "sept", "september", "sunday", "thursday", "tuesday",
    "wednesday",
];

/// The days of the week, Monday first (for the order of a journey).
pub(super) const WEEKDAYS: [&str; 7] = [
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

/// Common English words that are also the names of places somewhere
/// (towns called Nice, Reading, Mobile, Hope, Independence, …) or that
/// open sentences and headings. Capitalised at the start of a sentence or
/// in a title they are still the word, so a span made only of one of them
/// needs a locative cue to count.
#[rustfmt::skip]
pub(super) const COMMON: &[&str] = &[
    "a", "about", "above", "according", "across", "additionally", "after", "again", "against",
    "ago", "air", "alert", "all", "along", "also", "although", "always", "among", "an", "and",
    "angel", "another", "any", "anyone", "apple", "are", "area", "around", "art", "as", "ask",
    "at", "attorney", "average", "away", "back", "bad", "bank", "base", "be", "beach", "bear",
    "because", "been", "before", "being", "bell", "below", "best", "better", "between", "big",
    "bill", "black", "blue", "board", "both", "bottom", "box", "boy", "brown", "but", "by", "call",
    "camp", "can", "cap", "capital", "car", "care", "case", "castle", "cause", "center", "central",
    "centre", "chance", "change", "chapel", "check", "chief", "child", "church", "city", "clay",
    "clear", "close", "club", "coal", "college", "come", "commerce", "community", "congress",
    "control", "cook", "corner", "could", "council", "country", "county", "court", "cross",
    "crown", "cut", "day", "deal", "deep", "did", "do", "does", "down", "driver", "during", "each",
    "early", "earth", "east", "eastern", "easy", "eight", "either", "elections", "else", "end",
    "energy", "enterprise", "even", "ever", "every", "fair", "faith", "fall", "family", "far",
    "farm", "father", "federal", "few", "field", "fire", "first", "five", "flat", "for", "force",
    "forest", "fort", "four", "free", "friendship", "from", "front", "further", "future", "gap",
    "garden", "general", "get", "give", "glad", "global", "go", "gold", "good", "government",
    "grace", "grand", "great", "green", "grove", "guard", "had", "half", "hall", "happy",
    "harmony", "has", "have", "he", "health", "heart", "her", "here", "high", "hill", "his",
    "home", "hope", "hospital", "hot", "house", "how", "however", "human", "i", "if", "in",
    "independence", "industry", "inside", "into", "is", "island", "it", "its", "jobs", "join",
    "just", "justice", "key", "kind", "king", "lake", "land", "last", "late", "later", "law",
    "lead", "leader", "less", "liberty", "life", "light", "like", "little", "live", "local",
    "long", "love", "low", "main", "major", "man", "many", "march", "market", "may", "mayor", "me",
    "media", "meeting", "member", "middle", "might", "military", "mission", "mobile", "money",
    "more", "most", "mount", "much", "must", "my", "nation", "national", "near", "need", "new",
    "news", "next", "nice", "nine", "no", "none", "north", "northern", "not", "now", "oak", "of",
    "office", "officials", "often", "oil", "old", "on", "once", "one", "only", "open", "or",
    "orange", "order", "other", "our", "out", "over", "page", "paradise", "park", "part", "party",
    "patient", "peace", "people", "place", "plain", "plains", "plenty", "point", "police", "port",
    "post", "power", "president", "press", "prime", "prince", "progress", "prospect", "public",
    "queen", "range", "reading", "real", "red", "reform", "regional", "report", "republic", "rich",
    "ridge", "right", "river", "rock", "rose", "royal", "rule", "rural", "safe", "said", "saint",
    "sale", "same", "say", "school", "sea", "second", "security", "see", "senate", "service",
    "seven", "several", "she", "shelter", "should", "side", "since", "six", "so", "some", "south",
    "southern", "spring", "springs", "square", "star", "start", "state", "states", "station",
    "still", "stone", "story", "street", "strong", "success", "such", "summer", "summit", "sun",
    "support", "supreme", "table", "take", "team", "ten", "than", "that", "the", "their", "them",
    "then", "there", "these", "they", "this", "those", "three", "through", "time", "to", "today",
    "top", "tower", "town", "trade", "trust", "two", "under", "union", "unity", "up", "upon", "us",
    "valley", "very", "victory", "view", "village", "vote", "war", "was", "water", "way", "we",
    "week", "welcome", "well", "west", "western", "what", "when", "where", "which", "while",
    "white", "who", "why", "will", "win", "winter", "with", "within", "without", "wood", "work",
    "world", "would", "year", "yes", "yet", "you", "young", "your", "zero",
];

/// Words that are never a place on their own, wherever they stand:
/// function words, compass points ("the North"), street and building
/// words ("Street", "Court"), holidays.
#[rustfmt::skip]
pub(super) const NEVER_ALONE: &[&str] = &[
    "a", "allah", "an", "and", "avenue", "bank", "blvd", "boulevard", "bureau", "center", "central",
    "centre", "christ", "christmas", "church", "city", "college", "congress", "conservative",
    "conservatives", "council", "county", "court", "day", "democrat", "democrats", "drive", "duma",
    "east", "easter", "eastern", "god", "he", "hey", "highway", "hospital", "i", "it", "jesus",
    "knesset", "kremlin", "lane", "liberal", "liberals", "lord", "north", "northern", "of", "park",
    "parkway", "parliament", "passover", "pentagon", "place", "police", "ramadan", "republic",
    "republican", "republicans", "road", "school", "senate", "she", "socialist", "south",
    "southern", "st", "street", "thanksgiving", "the", "they", "this", "university", "we", "week",
    "west", "western",
];

/// Institutions named for their building ("the White House said"): the
/// government, not a place, whatever the gazetteer holds under the name.
#[rustfmt::skip]
pub(super) const INSTITUTIONS: &[&str] = &[
    "capitol hill", "downing street", "the kremlin", "the white house", "white house",
];

/// Verbs whose object is a person: "met Kim", "thanked Jones".
#[rustfmt::skip]
pub(super) const MEET: &[&str] = &[
    "congratulated", "criticised", "criticized", "endorsed", "hugged", "interviewed", "married",
    "meet", "meets", "met", "praised", "thanked",
];

/// Verbs of speech and of travel, whose subject is a person ("Jones said",
/// "Kim left"), or a prominent place standing for its people ("Moscow
/// said").
#[rustfmt::skip]
pub(super) const SPEECH: &[&str] = &[
    "added", "arrived", "asked", "departed", "explained", "flew", "left", "noted", "returned",
    "said", "says", "stated", "testified", "told", "traveled", "travelled", "went", "wrote",
];

/// Abbreviations of US states in the style of the AP, written after a
/// town and a comma ("Gainesville, Ga."), with the state they stand for.
pub(super) const US_STATE_ABBREVIATIONS: &[(&str, &str)] = &[
    ("ala.", "Alabama"),
    ("ariz.", "Arizona"),
    ("ark.", "Arkansas"),
    ("calif.", "California"),
    ("colo.", "Colorado"),
    ("conn.", "Connecticut"),
    ("d.c.", "Washington"),
    ("del.", "Delaware"),
    ("fla.", "Florida"),
    ("ga.", "Georgia"),
    ("ill.", "Illinois"),
    ("ind.", "Indiana"),
    ("kan.", "Kansas"),
    ("kans.", "Kansas"),
    ("ky.", "Kentucky"),
    ("la.", "Louisiana"),
    ("mass.", "Massachusetts"),
    ("md.", "Maryland"),
    ("mich.", "Michigan"),
    ("minn.", "Minnesota"),
    ("miss.", "Mississippi"),
    ("mo.", "Missouri"),
    ("mont.", "Montana"),
    ("n.c.", "North Carolina"),
    ("n.d.", "North Dakota"),
    ("n.h.", "New Hampshire"),
    ("n.j.", "New Jersey"),
    ("n.m.", "New Mexico"),
    ("n.y.", "New York"),
    ("neb.", "Nebraska"),
    ("nev.", "Nevada"),
    ("okla.", "Oklahoma"),
    ("ore.", "Oregon"),
    ("pa.", "Pennsylvania"),
    ("r.i.", "Rhode Island"),
    ("s.c.", "South Carolina"),
    ("s.d.", "South Dakota"),
    ("tenn.", "Tennessee"),
    ("tex.", "Texas"),
    ("va.", "Virginia"),
    ("vt.", "Vermont"),
    ("w.va.", "West Virginia"),
    ("wash.", "Washington"),
    ("wis.", "Wisconsin"),
    ("wyo.", "Wyoming"),
];

/// The state an AP abbreviation stands for.
pub(super) fn us_state(abbreviation: &str) -> Option<&'static str> {
    let lower = abbreviation.to_lowercase();
    US_STATE_ABBREVIATIONS
        .binary_search_by(|(a, _)| a.cmp(&lower.as_str()))
        .ok()
        .map(|i| US_STATE_ABBREVIATIONS[i].1)
}

/// Titles and roles written before a person's name: "President Putin",
/// "Gov. Perry", "Mr. Kim".
#[rustfmt::skip]
pub(super) const TITLES: &[&str] = &[
    "ambassador", "archbishop", "bishop", "capt", "captain", "cardinal", "chairman", "chancellor",
    "chief", "cmdr", "coach", "col", "commissioner", "congressman", "congresswoman", "councilman",
    "councilwoman", "dame", "deputy", "det", "detective", "dr", "emperor", "father", "gen",
    "general", "gov", "governor", "judge", "justice", "king", "lady", "lieutenant", "lord", "lt",
    "maj", "major", "master", "mayor", "minister", "miss", "mr", "mrs", "ms", "officer", "pastor",
    "pope", "premier", "president", "prince", "princess", "prof", "professor", "queen", "rep",
    "representative", "rev", "reverend", "secretary", "sen", "senator", "sergeant", "sgt",
    "sheriff", "sir", "sister", "spokesman", "spokeswoman", "superintendent", "trooper",
];

/// Words that make a name before them an organisation, a newspaper, a team
/// or a building ("Brussels School of Governance", "New York Times").
#[rustfmt::skip]
pub(super) const ORGANISATION: &[&str] = &[
    "academy", "agency", "airline", "airlines", "airways", "alliance", "arena", "arts",
    "associates", "association", "authority", "bancorp", "bank", "bar", "board", "bureau", "cafe",
    "center", "centre", "chamber", "chronicle", "church", "clinic", "club", "co", "coliseum",
    "college", "commission", "committee", "community", "company", "conference", "convention",
    "corp", "corporation", "council", "courier", "daily", "democrat", "department", "dispatch",
    "district", "enquirer", "environmental", "examiner", "express", "federation", "foundation",
    "fund", "gazette", "government", "group", "herald", "high", "historical", "holdings",
    "hospital", "hotel", "inc", "independent", "institute", "journal", "league", "library",
    "limited", "lions", "ltd", "mall", "medical", "memorial", "mercury", "metropolitan",
    "ministry", "museum", "news", "observer", "office", "orchestra", "partners", "party", "post",
    "press", "public", "railway", "record", "register", "republican", "restaurant", "review",
    "school", "schools", "science", "sentinel", "service", "services", "society", "stadium",
    "star", "studios", "symphony", "telegraph", "theater", "theatre", "times", "tribune", "union",
    "university", "utilities", "veterans", "zoo",
];

/// Words of the names of public bodies called after the area they serve
/// ("Texas Department of Health", "Laurel County Board of Education"):
/// the name before them is read as the place where they are set apart
/// from other organisations. Part of [`ORGANISATION`] or not.
#[rustfmt::skip]
pub(super) const PUBLIC_BODY: &[&str] = &[
    "authority", "board", "bureau", "commission", "council", "department", "district",
    "government", "ministry", "office", "service", "services",
];

/// First words after a place of the names of public services called after
/// the area they serve ("Gainesville High School", "Paris Public Library",
/// "Henry County Chamber of Commerce", "Athens Regional Medical Center"):
/// read as that place, like a public body's.
#[rustfmt::skip]
pub(super) const SERVES: &[&str] = &[
    "chamber", "civic", "community", "elementary", "high", "library", "middle", "public",
    "regional", "school", "schools",
];

/// Roles written after a place that stay places: "Texas Gov. Rick Perry",
/// "Atlanta police", "Ohio officials".
#[rustfmt::skip]
pub(super) const ROLE_AFTER: &[&str] = &[
    "attorney", "authorities", "congressman", "congresswoman", "deputies", "fire", "firefighters",
    "gov", "governor", "lawmakers", "legislature", "mayor", "officials", "police", "rep",
    "residents", "sen", "senator", "sheriff", "state", "voters",
];

/// Words that, after a name, make it a named area the gazetteer may not
/// hold: "Laurel County", "Rapides Parish". Such a span is a place name
/// even when it cannot be placed.
pub(super) const AREA_AFTER: &[&str] = &["county", "parish", "province", "region", "township"];

/// Words that, after a name, make it the name of a disease: "Ebola
/// virus", "Lassa fever", "Lyme disease".
#[rustfmt::skip]
pub(super) const DISEASE: &[&str] = &["disease", "fever", "virus", "viruses"];

/// Words that, after a name, make it a street: "Clinton Street", "Main
/// St.", "Goshen Road". Named by its form like an area, not placed. Not
/// "Court" (a court of law), "Place" or "Way" (common words of names),
/// nor "Dr." (a doctor).
#[rustfmt::skip]
pub(super) const STREET_AFTER: &[&str] = &[
    "ave.", "avenue", "blvd.", "boulevard", "drive", "lane", "parkway", "pike", "rd.", "road",
    "st.", "street",
];

/// Words that never open a name of an area or a street: "The Madison
/// County Health Department" names Madison County.
#[rustfmt::skip]
pub(super) const DETERMINERS: &[&str] = &["a", "an", "at", "in", "of", "on", "the", "to"];

/// Lower-case words allowed inside a multi-word name ("Bosnia and
/// Herzegovina", "Rostov-on-Don", "Isle of Man").
#[rustfmt::skip]
pub(super) const CONNECTORS: &[&str] = &[
    "al", "am", "an", "and", "da", "de", "del", "der", "des", "di", "do", "dos", "du", "el", "en",
    "la", "las", "le", "les", "los", "of", "on", "sur", "the", "upon", "y",
];

/// Lower-case words that may end a name ("Amur region", "Moscow oblast").
#[rustfmt::skip]
pub(super) const GENERIC_TAIL: &[&str] = &[
    "city", "county", "island", "islands", "krai", "oblast", "prefecture", "province", "region",
    "river", "state",
];

/// Words before a name that say it is a place: "in Reading", "near Nice".
#[rustfmt::skip]
pub(super) const LOCATIVE: &[&str] = &[
    "across", "around", "at", "from", "in", "into", "near", "outside", "through", "to", "toward",
    "towards", "via", "visit", "visited", "visiting",
];

/// Compass words written before a place name ("Southern California",
/// "North Texas"): the place stays a place.
#[rustfmt::skip]
pub(super) const DIRECTIONS: &[&str] = &[
    "central", "downtown", "east", "eastern", "greater", "lower", "metro", "north", "northeast",
    "northeastern", "northern", "northwest", "northwestern", "south", "southeast", "southeastern",
    "southern", "southwest", "southwestern", "upper", "west", "western",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_abbreviations() {
        for w in US_STATE_ABBREVIATIONS.windows(2) {
            assert!(w[0].0 < w[1].0, "{} before {}", w[0].0, w[1].0);
        }
        assert_eq!(us_state("Ga."), Some("Georgia"));
        assert_eq!(us_state("W.Va."), Some("West Virginia"));
        assert_eq!(us_state("Ga"), None);
    }

    #[test]
    fn lists_are_sorted_lower_case_and_unique() {
        for list in [
            CALENDAR,
            COMMON,
            NEVER_ALONE,
            INSTITUTIONS,
            SPEECH,
            MEET,
            TITLES,
            ORGANISATION,
            PUBLIC_BODY,
            ROLE_AFTER,
            AREA_AFTER,
            STREET_AFTER,
            DETERMINERS,
            DISEASE,
            CONNECTORS,
            GENERIC_TAIL,
            LOCATIVE,
            DIRECTIONS,
        ] {
            for w in list.windows(2) {
                assert!(w[0] < w[1], "{} before {}", w[0], w[1]);
            }
            for w in list {
                assert_eq!(*w, w.to_lowercase());
            }
        }
    }
}
