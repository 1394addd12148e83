//! Stage 4: choosing, for every name of a text, the place it means — the
//! places of a document vote for each other.
//!
//! Each name starts with the place a lookup of the bare name would prefer
//! (its *prior*: prominence as the gazetteer ranks it). Then, three times
//! over, every name is scored again in the light of what the others chose:
//!
//! | evidence | bonus |
//! |---|---|
//! | the candidate lies in a country the text names | +2.5 |
//! | it lies in a first-level region the text names | +3 |
//! | "Portland, Maine": the name is qualified by that region or country | +6 |
//! | share of the text's other places in its country | +3 × share |
//! | share of them in its first-level region (a local paper's state) | +2 × share |
//! | places of the text within 100 km (300 km) | +1.5 (+0.75) each, weighted, at most +3 |
//!
//! Before the rounds, a reading within 10 km of a reading of another name
//! gains +2 (within 30 km +1; less for a name of many namesakes, at most
//! +2 in all): two names that far apart by chance are rare, so "Paris" and
//! "Henry County" together are both in Tennessee (see `pairs`).
//!
//! Only names that stay in the results vote: a name later dropped (a
//! person's name, "Thomas" of "Thomas Dority") is left out of the tallies
//! and the choice made again.
//!
//! Places near a candidate vote for it with every reading of theirs that
//! is still likely (its share of a softmax of the name's scores, from 5%),
//! not only the one chosen so far: "Columbus" and "Colfax County" find each
//! other in Nebraska even while each alone prefers another state.
//!
//! A name whose own reading is a country ("Mexico", "Jordan") or a region
//! of a million people or more with no capital or large city of the same
//! name ("Ontario", "California"), is a town of that name only where the
//! text qualifies it ("Mexico, Mo.") or the town lies in the region half
//! the text's places are in (the state a local paper writes about): the
//! shares and the places near a town do not vote for it otherwise, so
//! that "Mexico" among US states stays the country.
//!
//! A name used again later means the same place (one choice per name and
//! text). The confidence of a choice grows with its lead over the runner-up.
//!
//! Cost: the pairs are found once, in a grid of one-degree cells (each
//! reading looks at the cells within 30 km). Each round scores every candidate of every name (at most 40 per
//! name) against tallies kept in hash maps — countries and regions named,
//! mentions per country and region — and the nearest other place found in a
//! grid of one-degree cells (by looking at every reading when there are at
//! most 64). So a round is linear in the number of names, not quadratic: a
//! text of a few dozen names takes microseconds, and one of thousands
//! (a whole corpus in one file) still only milliseconds per round.

use super::spans::Cand;
use crate::gazetteer::{fold, Place, PlaceKind};
use geo::Point;
use std::collections::HashMap;

/// A name of the text and its candidates.
#[derive(Debug, Clone)]
pub struct Group {
    /// The candidates, as found.
    pub cands: Vec<Cand>,
    /// Indices of the groups that qualify a mention of this one ("Portland,
    /// Maine": Maine's group qualifies Portland's).
    pub qualifiers: Vec<usize>,
    /// How many times the name is used.
    pub mentions: usize,
    /// Whether the name votes for the others: false for a name that
    /// stays out of the results ("Thomas" of "Thomas Dority"), which
    /// would otherwise pull the text towards a town of that name.
    pub votes: bool,
}

/// The choice made for a group: candidate index and confidence in `0..=1`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Choice {
    /// Index into the group's candidates.
    pub cand: usize,
    /// How sure, `0..=1`.
    pub confidence: f64,
}

/// Rounds of voting.
const ROUNDS: usize = 3;

/// What the prominence of a candidate says on its own.
pub fn prior(c: &Cand) -> f64 {
    let p = &c.place;
    let mut s = (p.population() as f64 + 1.0).log10();
    match p.kind() {
        PlaceKind::Country => s = s.max(7.0) + 1.5,
        PlaceKind::Region => s = s.max(6.0) + 0.5,
        _ => {}
    }
    if p.is_capital() {
        s += 1.0;
    }
    if c.primary {
        s += 3.0;
    }
    if c.curated {
        s += 1.0;
    }
    s
}

/// Chooses a candidate for every group (None for a group without any).
pub fn choose(groups: &[Group]) -> Vec<Option<Choice>> {
    let mut priors: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| g.cands.iter().map(prior).collect())
        .collect();
    pairs(groups, &mut priors);
    let mut chosen: Vec<Option<usize>> = priors.iter().map(|p| argmax(p).map(|(i, _)| i)).collect();
    let mut scores = priors.clone();
    for _ in 0..ROUNDS {
        let ctx = Evidence::gather(groups, &chosen, &scores);
        for (g, group) in groups.iter().enumerate() {
            for (c, cand) in group.cands.iter().enumerate() {
                scores[g][c] = priors[g][c] + ctx.bonus(g, group, cand, &chosen, groups);
            }
        }
        chosen = scores.iter().map(|s| argmax(s).map(|(i, _)| i)).collect();
    }
    scores
        .iter()
        .map(|s| {
            let (best, top) = argmax(s)?;
            let second = s
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != best)
                .map(|(_, v)| *v)
                .fold(f64::NEG_INFINITY, f64::max);
            let margin = if second.is_finite() {
                top - second
            } else {
                4.0
            };
            Some(Choice {
                cand: best,
                confidence: 1.0 - 0.5 * (-margin.max(0.0)).exp(),
            })
        })
        .collect()
}

/// A spot, not an area that is placed by a point far from its edges.
fn is_spot(p: &Place) -> bool {
    !matches!(
        p.kind(),
        PlaceKind::Country | PlaceKind::Region | PlaceKind::Continent
    )
}

/// Two names of a text with readings a few kilometres apart ("Paris" and
/// "Henry County" in Tennessee, "New London" and "Winfield" in Iowa) are
/// those readings far more often than chance would place two namesakes
/// so close: among the readings of two names of ten towns each across a
/// country, a pair within 10 km turns up by chance about once in a few
/// hundred texts. So each reading of a name gains, for every other name
/// with a reading within [`PAIR_CLOSE`] km, [`PAIR_BONUS`] (within
/// [`PAIR_NEAR`] km half of it), scaled down for a name of more than
/// [`PAIR_READINGS`] readings (chance finds one of them near more often),
/// at most [`PAIR_MAX`] in all. Unlike the votes of places near (see
/// [`Evidence::near`]), this does not wait for the other name to lean
/// towards that reading: both may start far behind a more populous
/// namesake. Not for a name that may be a country or large region: a
/// town of its name near another place of the text does not outweigh it
/// ("Mexico", "New York").
fn pairs(groups: &[Group], priors: &mut [Vec<f64>]) {
    let km_per_degree = 111.195;
    let mut grid: HashMap<(i32, i32), Vec<(usize, Point)>> = HashMap::new();
    let mut readings = vec![0usize; groups.len()];
    for (g, group) in groups.iter().enumerate() {
        if !group.votes {
            continue;
        }
        for c in group.cands.iter().filter(|c| is_spot(&c.place)) {
            readings[g] += 1;
            grid.entry(cell(c.place.point()))
                .or_default()
                .push((g, c.place.point()));
        }
    }
    let cols = (360.0 / CELL) as i32;
    let mut found: HashMap<usize, f64> = HashMap::new();
    for (g, group) in groups.iter().enumerate() {
        if group.cands.iter().any(|c| !is_spot(&c.place)) {
            continue;
        }
        for (k, c) in group.cands.iter().enumerate() {
            let p = c.place.point();
            let shrink = p.y().to_radians().cos().max(0.01);
            let (row, col) = cell(p);
            let wide = (PAIR_NEAR / (km_per_degree * shrink * CELL))
                .ceil()
                .min(f64::from(cols / 2)) as i32;
            found.clear();
            for r in row - 1..=row + 1 {
                for c in col - wide..=col + wide {
                    let c = (c + cols / 2).rem_euclid(cols) - cols / 2;
                    for &(o, q) in grid.get(&(r, c)).into_iter().flatten() {
                        if o == g {
                            continue;
                        }
                        let dy = (q.y() - p.y()) * km_per_degree;
                        let mut dx = (q.x() - p.x()).abs();
                        if dx > 180.0 {
                            dx = 360.0 - dx;
                        }
                        let dx = dx * km_per_degree * shrink;
                        let d = (dx * dx + dy * dy).sqrt();
                        let v = if d < PAIR_CLOSE {
                            PAIR_BONUS
                        } else if d < PAIR_NEAR {
                            PAIR_BONUS / 2.0
                        } else {
                            continue;
                        };
                        let v = v * (PAIR_READINGS / readings[o] as f64).min(1.0);
                        let best = found.entry(o).or_insert(0.0);
                        *best = best.max(v);
                    }
                }
            }
            priors[g][k] += found.values().sum::<f64>().min(PAIR_MAX);
        }
    }
}

/// See [`pairs`]: distances in km, bonus, the number of readings a name
/// may have before its vote shrinks, and the most a reading gains.
const PAIR_CLOSE: f64 = 10.0;
const PAIR_NEAR: f64 = 30.0;
const PAIR_BONUS: f64 = 2.0;
const PAIR_READINGS: f64 = 8.0;
const PAIR_MAX: f64 = 2.0;

fn argmax(v: &[f64]) -> Option<(usize, f64)> {
    v.iter()
        .copied()
        .enumerate()
        .fold(None, |best, (i, x)| match best {
            Some((_, b)) if b >= x => best,
            _ => Some((i, x)),
        })
}

/// What the current choices of a text say, indexed so that scoring a
/// candidate costs about the same however long the text is.
#[derive(Clone)]
struct Evidence {
    /// Groups whose choice is a country, by country code.
    countries: HashMap<String, Vec<usize>>,
    /// Groups whose choice is a first-level region, by (country, folded
    /// name) and by (country, folded admin1).
    regions: HashMap<(String, String), Vec<usize>>,
    /// Mentions by the country of their choice, and in all.
    country_mentions: HashMap<String, usize>,
    /// Mentions by the (country, first-level region) of their choice.
    region_mentions: HashMap<(String, String), usize>,
    /// Mentions of a choice with a region.
    with_region: usize,
    all_mentions: usize,
    /// Points of the towns and other spots (not large areas) each name may
    /// be, with the weight of that reading (its share of the name's
    /// softmax of scores; readings under [`MIN_WEIGHT`] left out).
    points: Vec<Reading>,
    /// The same by cell of the grid, for a text of many places.
    grid: HashMap<(i32, i32), Vec<Reading>>,
}

/// A reading of a name that votes by distance: (group, point, weight).
type Reading = (usize, Point, f64);

/// Weight under which a reading of a name does not vote by distance.
const MIN_WEIGHT: f64 = 0.05;

/// Most a candidate gains from places near it.
const MAX_NEAR: f64 = 3.0;

/// Points up to which the nearest is found by looking at every one.
const FEW_POINTS: usize = 64;

/// Side of a cell of the grid of points, degrees.
const CELL: f64 = 1.0;

fn cell(p: Point) -> (i32, i32) {
    ((p.y() / CELL).floor() as i32, (p.x() / CELL).floor() as i32)
}

/// The (country, folded first-level region) a place lies in: a region's
/// own name, or its admin1.
fn region_key(p: &Place) -> Option<(String, String)> {
    let name = match p.kind() {
        PlaceKind::Country | PlaceKind::Continent => return None,
        PlaceKind::Region if p.admin1().is_empty() => p.name(),
        _ => p.admin1(),
    };
    (!name.is_empty() && !p.country().is_empty()).then(|| (p.country().to_string(), fold(name)))
}

impl Evidence {
    fn gather(groups: &[Group], chosen: &[Option<usize>], scores: &[Vec<f64>]) -> Evidence {
        let mut e = Evidence {
            countries: HashMap::new(),
            regions: HashMap::new(),
            country_mentions: HashMap::new(),
            region_mentions: HashMap::new(),
            with_region: 0,
            all_mentions: 0,
            points: Vec::new(),
            grid: HashMap::new(),
        };
        for (g, (group, c)) in groups.iter().zip(chosen).enumerate() {
            let Some(p) = c.map(|c| &group.cands[c].place).filter(|_| group.votes) else {
                continue;
            };
            let cc = p.country().to_string();
            *e.country_mentions.entry(cc.clone()).or_default() += group.mentions;
            e.all_mentions += group.mentions;
            if let Some(key) = region_key(p) {
                *e.region_mentions.entry(key).or_default() += group.mentions;
                e.with_region += group.mentions;
            }
            match p.kind() {
                PlaceKind::Country => e.countries.entry(cc).or_default().push(g),
                PlaceKind::Region => {
                    let name = fold(p.name());
                    let admin = fold(p.admin1());
                    if !admin.is_empty() && admin != name {
                        e.regions.entry((cc.clone(), admin)).or_default().push(g);
                    }
                    e.regions.entry((cc, name)).or_default().push(g);
                }
                _ => {}
            }
        }
        for (g, (group, s)) in groups.iter().zip(scores).enumerate() {
            if !group.votes {
                continue;
            }
            let top = s.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let sum: f64 = s.iter().map(|x| (x - top).exp()).sum();
            for (cand, x) in group.cands.iter().zip(s) {
                let w = (x - top).exp() / sum;
                let p = &cand.place;
                let spot = !matches!(
                    p.kind(),
                    PlaceKind::Country | PlaceKind::Region | PlaceKind::Continent
                );
                if w >= MIN_WEIGHT && spot {
                    e.points.push((g, p.point(), w));
                }
            }
        }
        if e.points.len() > FEW_POINTS {
            for &(g, p, w) in &e.points {
                e.grid.entry(cell(p)).or_default().push((g, p, w));
            }
        }
        e
    }

    /// Whether a group other than `g` is in `list`.
    fn other(list: Option<&Vec<usize>>, g: usize) -> bool {
        list.is_some_and(|l| l.iter().any(|&o| o != g))
    }

    /// What the places near `p` say for it: for every other name with a
    /// reading within 300 km, the weight of its best such reading, times
    /// 1.5 within 100 km and 0.75 beyond; summed, at most [`MAX_NEAR`].
    fn near(&self, g: usize, p: Point) -> f64 {
        // Distances under 300 km on the plane tangent at `p` (within a
        // fraction of a percent of the great circle at that range).
        let shrink = p.y().to_radians().cos().max(0.05);
        let km_per_degree = 111.195;
        let mut best: Vec<(usize, f64)> = Vec::new();
        let mut sum = 0.0;
        let mut vote = |o: usize, q: Point, w: f64| -> bool {
            if o == g {
                return false;
            }
            let dy = (q.y() - p.y()) * km_per_degree;
            let mut dx = (q.x() - p.x()).abs();
            if dx > 180.0 {
                dx = 360.0 - dx;
            }
            let dx = dx * km_per_degree * shrink;
            let d2 = dx * dx + dy * dy;
            let v = if d2 < 100.0 * 100.0 {
                1.5 * w
            } else if d2 < 300.0 * 300.0 {
                0.75 * w
            } else {
                return false;
            };
            match best.iter_mut().find(|(k, _)| *k == o) {
                Some((_, b)) if *b < v => {
                    sum += v - *b;
                    *b = v;
                }
                Some(_) => {}
                None => {
                    best.push((o, v));
                    sum += v;
                }
            }
            // The sum of the best votes only grows: stop at the cap.
            sum >= MAX_NEAR
        };
        if self.grid.is_empty() {
            for &(o, q, w) in &self.points {
                if vote(o, q, w) {
                    break;
                }
            }
        } else {
            let (row, col) = cell(p);
            let reach = (300.0 / km_per_degree / CELL).ceil() as i32;
            let cols = (360.0 / CELL) as i32;
            let wide = ((reach as f64) / shrink).ceil().min(f64::from(cols / 2)) as i32;
            // Rings of cells outwards, so that a crowded neighbourhood
            // reaches the cap early.
            'rings: for ring in 0..=reach.max(wide) {
                for r in row - ring.min(reach)..=row + ring.min(reach) {
                    for c in col - ring.min(wide)..=col + ring.min(wide) {
                        if (r - row).abs().max((c - col).abs()) != ring {
                            continue;
                        }
                        // Wrap around the antimeridian.
                        let c = (c + cols / 2).rem_euclid(cols) - cols / 2;
                        for &(o, q, w) in self.grid.get(&(r, c)).into_iter().flatten() {
                            if vote(o, q, w) {
                                break 'rings;
                            }
                        }
                    }
                }
            }
        }
        sum.min(MAX_NEAR)
    }

    /// The share of the text's mentions with a region that lie in the
    /// region of `p`.
    fn region_share(&self, p: &Place) -> f64 {
        let Some(key) = region_key(p) else {
            return 0.0;
        };
        if self.with_region == 0 {
            return 0.0;
        }
        self.region_mentions.get(&key).copied().unwrap_or(0) as f64 / self.with_region as f64
    }

    fn bonus(
        &self,
        g: usize,
        group: &Group,
        cand: &Cand,
        chosen: &[Option<usize>],
        groups: &[Group],
    ) -> f64 {
        let p = &cand.place;
        let cc = p.country();
        let mut b = 0.0;
        // A name whose own reading is a country ("Mexico", "Jordan") or a
        // large region ("Ontario") is a town only where the text says so
        // ("Mexico, Mo."): the other places of a text vote for the area,
        // not for a town of the same name near them.
        let town = !matches!(
            p.kind(),
            PlaceKind::Country | PlaceKind::Region | PlaceKind::Continent
        );
        // A large region only when no capital or large city has the name
        // too ("Washington", "Alexandria").
        let big_city = group.cands.iter().any(|c| {
            let k = c.place.kind();
            !matches!(
                k,
                PlaceKind::Country | PlaceKind::Region | PlaceKind::Continent
            ) && (c.place.is_capital() || c.place.population() >= 500_000)
        });
        let area_named = group.cands.iter().any(|c| {
            c.primary
                && (c.place.kind() == PlaceKind::Country
                    || c.place.kind() == PlaceKind::Region
                        && c.place.population() >= 1_000_000
                        && !big_city)
        });
        let silent = town && area_named && !p.is_capital() && self.region_share(p) < 0.5;
        if p.kind() != PlaceKind::Country
            && !cc.is_empty()
            && Self::other(self.countries.get(cc), g)
        {
            b += 2.5;
        }
        let admin = fold(p.admin1());
        if p.kind() != PlaceKind::Region
            && !admin.is_empty()
            && Self::other(self.regions.get(&(cc.to_string(), admin.clone())), g)
        {
            b += 3.0;
        }
        let qualified = group.qualifiers.iter().any(|&q| {
            let Some(qc) = chosen[q].map(|c| &groups[q].cands[c].place) else {
                return false;
            };
            match qc.kind() {
                PlaceKind::Country => qc.country() == cc,
                PlaceKind::Region => {
                    qc.country() == cc
                        && !admin.is_empty()
                        && (admin == fold(qc.name()) || admin == fold(qc.admin1()))
                }
                _ => false,
            }
        });
        if qualified {
            b += 6.0;
        }
        if silent {
            return b;
        }
        // The share of the text's other mentions in the candidate's country
        // and in its first-level region (the dominant region of a local
        // paper's article).
        let own = |key_matches: bool| if key_matches { group.mentions } else { 0 };
        // The text's tallies less this name's own part in them.
        let own_place = chosen[g]
            .filter(|_| group.votes)
            .map(|c| &group.cands[c].place);
        let all = self.all_mentions - own_place.map_or(0, |_| group.mentions);
        if all > 0 {
            let same = self.country_mentions.get(cc).copied().unwrap_or(0)
                - own(own_place.is_some_and(|o| o.country() == cc));
            b += 3.0 * same as f64 / all as f64;
        }
        if let Some(key) = region_key(p) {
            let own_key = own_place.and_then(region_key);
            let all = self.with_region - own(own_key.is_some());
            if all > 0 {
                let same = self.region_mentions.get(&key).copied().unwrap_or(0)
                    - own(own_key.as_ref() == Some(&key));
                b += 2.0 * same as f64 / all as f64;
            }
        }
        if !matches!(p.kind(), PlaceKind::Country | PlaceKind::Region) {
            b += self.near(g, p.point());
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A candidate at `lat`, `lon` (degrees) as GeoNames has it.
    fn cand(name: &str, lat: f64, lon: f64, kind: PlaceKind, admin1: &str, pop: u64) -> Cand {
        Cand {
            place: Place::new(name, name, lat, lon)
                .unwrap()
                .with_kind(kind)
                .with_country("US")
                .with_admin1(admin1)
                .with_population(pop),
            primary: true,
            curated: false,
        }
    }

    fn group(cands: Vec<Cand>) -> Group {
        Group {
            cands,
            qualifiers: Vec::new(),
            mentions: 1,
            votes: true,
        }
    }

    fn portlands() -> Vec<Cand> {
        vec![
            // GeoNames 5746545 and 4975802.
            cand(
                "Portland",
                45.52345,
                -122.67621,
                PlaceKind::City,
                "Oregon",
                652_503,
            ),
            cand(
                "Portland",
                43.66147,
                -70.25533,
                PlaceKind::Town,
                "Maine",
                66_881,
            ),
        ]
    }

    #[test]
    fn alone_the_most_prominent_wins() {
        let chosen = choose(&[group(portlands())]);
        assert_eq!(chosen[0].unwrap().cand, 0);
    }

    #[test]
    fn a_region_named_pulls_its_places() {
        let maine = cand(
            "Maine",
            45.50032,
            -69.24977,
            PlaceKind::Region,
            "Maine",
            1_362_359,
        );
        let chosen = choose(&[group(portlands()), group(vec![maine])]);
        assert_eq!(chosen[0].unwrap().cand, 1);
        assert!(chosen[0].unwrap().confidence > 0.5);
    }

    /// Candidates of one name in the United States: (admin1, lat, lon,
    /// population).
    fn us(name: &str, kind: PlaceKind, places: &[(&str, f64, f64, u64)]) -> Vec<Cand> {
        places
            .iter()
            .map(|&(admin1, lat, lon, pop)| cand(name, lat, lon, kind, admin1, pop))
            .collect()
    }

    /// Paris, Tennessee is the seat of Henry County, Tennessee; a text
    /// naming both means them, not the capital of France and the most
    /// populous Henry County (Georgia), though neither is the first
    /// reading of its name. Points and populations as GeoNames gives them
    /// (Paris 2988507, 4717560, 4647963, 4303602, 4246659, 4974617,
    /// 4125402; the US counties of its admin2 table).
    #[test]
    fn two_names_a_few_kilometres_apart_mean_those_places() {
        let mut france = cand(
            "Paris",
            48.85341,
            2.3488,
            PlaceKind::City,
            "Île-de-France",
            2_138_551,
        );
        france.place = france.place.with_country("FR").with_capital(true);
        let mut paris = vec![france];
        paris.extend(us(
            "Paris",
            PlaceKind::Town,
            &[
                ("Texas", 33.66094, -95.55551, 24_782),
                ("Tennessee", 36.302, -88.32671, 10_150),
                ("Kentucky", 38.2098, -84.25299, 9_870),
                ("Illinois", 39.61115, -87.69614, 8_432),
                ("Maine", 44.25979, -70.50062, 5_073),
                ("Arkansas", 35.29203, -93.72992, 3_443),
            ],
        ));
        let henry = us(
            "Henry County",
            PlaceKind::County,
            &[
                ("Georgia", 33.44968, -84.16376, 64_781),
                ("Illinois", 41.32194, -90.18381, 34_441),
                ("Indiana", 39.91225, -85.41209, 23_696),
                ("Ohio", 41.32812, -84.06167, 13_903),
                ("Iowa", 41.00986, -91.56003, 12_426),
                ("Virginia", 36.68116, -79.9148, 12_241),
                ("Missouri", 38.4135, -93.7977, 11_707),
                ("Tennessee", 36.30691, -88.32916, 10_819),
                ("Alabama", 31.50296, -85.28892, 7_876),
                ("Kentucky", 38.45247, -85.15075, 5_133),
            ],
        );
        let alone = choose(&[group(paris.clone())]);
        assert_eq!(alone[0].unwrap().cand, 0);
        let chosen = choose(&[group(paris.clone()), group(henry.clone())]);
        let (p, h) = (chosen[0].unwrap().cand, chosen[1].unwrap().cand);
        assert_eq!(paris[p].place.admin1(), "Tennessee");
        assert_eq!(henry[h].place.admin1(), "Tennessee");
    }

    /// A name that stays out of the results votes for nothing: "Maine" of
    /// a person's name leaves Portland in Oregon.
    #[test]
    fn a_name_that_does_not_vote_pulls_nothing() {
        let maine = cand(
            "Maine",
            45.50032,
            -69.24977,
            PlaceKind::Region,
            "Maine",
            1_362_359,
        );
        let mut silent = group(vec![maine]);
        silent.votes = false;
        let chosen = choose(&[group(portlands()), silent]);
        assert_eq!(chosen[0].unwrap().cand, 0);
    }

    #[test]
    fn a_group_without_candidates_has_no_choice() {
        assert_eq!(choose(&[group(Vec::new())]), vec![None]);
    }

    /// The grid finds what looking at every reading finds: the same votes
    /// for points in a text of many places, across the antimeridian too.
    #[test]
    fn the_grid_votes_as_the_full_scan() {
        // 200 names of one reading each, on a spiral from Fiji to Alaska.
        let groups: Vec<Group> = (0..200)
            .map(|i| {
                let t = f64::from(i);
                let lat = -20.0 + t * 0.35;
                let lon = 175.0 + t * 0.9;
                let lon = if lon > 180.0 { lon - 360.0 } else { lon };
                group(vec![cand("P", lat, lon, PlaceKind::Town, "", 1000)])
            })
            .collect();
        let chosen: Vec<Option<usize>> = vec![Some(0); groups.len()];
        let scores: Vec<Vec<f64>> = vec![vec![0.0]; groups.len()];
        let grid = Evidence::gather(&groups, &chosen, &scores);
        assert!(grid.points.len() > FEW_POINTS && !grid.grid.is_empty());
        let mut linear = grid.clone();
        linear.grid.clear();
        for (near, probe) in [
            (2, (-19.0, 176.5)),
            (6, (-17.9, 179.9)),
            (50, (-2.0, -140.3)),
            (100, (15.2, -95.0)),
        ] {
            let p = Point::new(probe.1, probe.0);
            for g in [usize::MAX, near] {
                let full = linear.near(g, p);
                let got = grid.near(g, p);
                assert!((got - full).abs() < 1e-9, "{probe:?}: {got} != {full}");
                assert!(full > 0.0, "{probe:?}: no vote");
            }
        }
    }
}
