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
//! | another place of the text within 100 km (300 km) | +1.5 (+0.75) |
//!
//! A name used again later means the same place (one choice per name and
//! text). The confidence of a choice grows with its lead over the runner-up.
//! Cost: a few candidates per name and a few names per text, so a few
//! thousand distance comparisons per text — microseconds.

use super::spans::Cand;
use crate::gazetteer::{fold, PlaceKind};
use geo::{Distance, Haversine, Point};

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
    let priors: Vec<Vec<f64>> = groups
        .iter()
        .map(|g| g.cands.iter().map(prior).collect())
        .collect();
    let mut chosen: Vec<Option<usize>> = priors.iter().map(|p| argmax(p).map(|(i, _)| i)).collect();
    let mut scores = priors.clone();
    for _ in 0..ROUNDS {
        let ctx = Evidence::gather(groups, &chosen);
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

fn argmax(v: &[f64]) -> Option<(usize, f64)> {
    v.iter()
        .copied()
        .enumerate()
        .fold(None, |best, (i, x)| match best {
            Some((_, b)) if b >= x => best,
            _ => Some((i, x)),
        })
}

/// What the current choices of a text say.
struct Evidence {
    /// Countries chosen, by group.
    countries: Vec<(usize, String)>,
    /// Regions chosen: (group, country, folded name, folded admin1).
    regions: Vec<(usize, String, String, String)>,
    /// Country of each group's choice, weighted by mentions.
    shares: Vec<(usize, String, usize)>,
    /// Points of the chosen towns and other spots (not areas).
    points: Vec<(usize, Point)>,
}

impl Evidence {
    fn gather(groups: &[Group], chosen: &[Option<usize>]) -> Evidence {
        let mut e = Evidence {
            countries: Vec::new(),
            regions: Vec::new(),
            shares: Vec::new(),
            points: Vec::new(),
        };
        for (g, (group, c)) in groups.iter().zip(chosen).enumerate() {
            let Some(p) = c.map(|c| &group.cands[c].place) else {
                continue;
            };
            e.shares.push((g, p.country().to_string(), group.mentions));
            match p.kind() {
                PlaceKind::Country => e.countries.push((g, p.country().to_string())),
                PlaceKind::Region => {
                    e.regions
                        .push((g, p.country().to_string(), fold(p.name()), fold(p.admin1())))
                }
                _ => e.points.push((g, p.point())),
            }
        }
        e
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
        if p.kind() != PlaceKind::Country
            && !cc.is_empty()
            && self.countries.iter().any(|(o, c)| *o != g && c == cc)
        {
            b += 2.5;
        }
        let admin = fold(p.admin1());
        let in_region = |o: usize| {
            self.regions.iter().any(|(r, c, name, a1)| {
                *r == o && c == cc && !admin.is_empty() && (admin == *name || admin == *a1)
            })
        };
        if p.kind() != PlaceKind::Region
            && self.regions.iter().any(|(o, ..)| *o != g && in_region(*o))
        {
            b += 3.0;
        }
        let qualified = group.qualifiers.iter().any(|&q| {
            let Some(qc) = chosen[q].map(|c| &groups[q].cands[c].place) else {
                return false;
            };
            match qc.kind() {
                PlaceKind::Country => qc.country() == cc,
                _ => in_region(q),
            }
        });
        if qualified {
            b += 6.0;
        }
        let (mut same, mut all) = (0, 0);
        for (o, c, n) in &self.shares {
            if *o != g {
                all += n;
                if c == cc {
                    same += n;
                }
            }
        }
        if all > 0 {
            b += 3.0 * same as f64 / all as f64;
        }
        if !matches!(p.kind(), PlaceKind::Country | PlaceKind::Region) {
            let near = self
                .points
                .iter()
                .filter(|(o, _)| *o != g)
                .map(|(_, q)| Haversine.distance(p.point(), *q))
                .fold(f64::INFINITY, f64::min);
            if near < 100_000.0 {
                b += 1.5;
            } else if near < 300_000.0 {
                b += 0.75;
            }
        }
        b
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::Place;

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

    #[test]
    fn a_group_without_candidates_has_no_choice() {
        assert_eq!(choose(&[group(Vec::new())]), vec![None]);
    }
}
