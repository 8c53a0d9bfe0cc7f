//! A set of words in one sorted string (issue 11: idle RSS): the coverage check's learned
//! vocabulary is kept for the life of the process, and as hash sets of small strings it sat
//! scattered over the training thread's heap.

use std::collections::HashSet;

/// A set of stems in one sorted string, found by binary search. Learned on the training thread
/// and kept for the life of the process: thousands of small strings there were scattered over
/// that thread's heap among the training's garbage, and kept ~1.5 MB of its pages resident
/// (issue 11: idle RSS); here a set is two allocations.
#[derive(Debug, Default)]
pub(super) struct Stems {
    text: String,
    /// Where each stem ends in `text`.
    ends: Vec<u32>,
}

impl Stems {
    pub(super) fn new(set: HashSet<String>) -> Stems {
        let mut all: Vec<String> = set.into_iter().collect();
        all.sort_unstable();
        let mut s = Stems {
            text: String::with_capacity(all.iter().map(String::len).sum()),
            ends: Vec::with_capacity(all.len()),
        };
        for stem in all {
            s.text.push_str(&stem);
            s.ends.push(s.text.len() as u32);
        }
        s
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }

    pub(super) fn contains(&self, stem: &str) -> bool {
        let (mut lo, mut hi) = (0, self.ends.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.get(mid).cmp(stem) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return true,
            }
        }
        false
    }

    pub(super) fn iter(&self) -> impl Iterator<Item = &str> {
        (0..self.ends.len()).map(|i| self.get(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stems_hold_exactly_their_set() {
        let set: HashSet<String> = ["устил", "ціна", "", "а", "абв", "ц"].iter().map(|s| s.to_string()).collect();
        let stems = Stems::new(set.clone());
        for s in &set {
            assert!(stems.contains(s), "{s}");
        }
        assert!(!stems.contains("ці") && !stems.contains("устилк") && !stems.contains("б"));
        let listed: HashSet<String> = stems.iter().map(str::to_string).collect();
        assert_eq!(listed, set);
        assert!(!Stems::default().contains("") && Stems::default().iter().next().is_none());
    }
}
