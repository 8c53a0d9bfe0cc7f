//! The trained part of the offline engine: logistic regression over sparse features (lexicon
//! concepts, word beginnings, letter trigrams of folded words and the rule engine's own reading).
//! One softmax for the intent, one binary output for "a person must answer" and one binary output
//! per knowledge-base topic.
//!
//! Why this shape: a few hundred labelled messages are enough for a linear model over features
//! that already generalise (concepts come from the lexicon, trigrams survive typos and
//! transliteration), training takes milliseconds so it happens at start-up from the data shipped
//! in `src/assistant/data/`, and the result is deterministic (fixed example order, no randomness).

use super::half::{from_half, to_half};
use super::Intent;
use serde::Deserialize;
use std::collections::HashMap;

pub const INTENTS: [Intent; 6] =
    [Intent::Faq, Intent::Booking, Intent::Consultation, Intent::Complaint, Intent::OrderStatus, Intent::Other];

/// One labelled message, in the evaluation kit's gold format (extra fields ignored).
#[derive(Debug, Clone, Deserialize)]
pub struct Example {
    #[serde(default)]
    pub id: String,
    pub text: String,
    pub intent: Intent,
    #[serde(default)]
    pub topics: Vec<String>,
    pub escalate: bool,
}

impl Example {
    /// Parses JSON lines; blank lines are skipped, a bad line is an error naming its number.
    pub fn parse_lines(text: &str) -> anyhow::Result<Vec<Example>> {
        text.lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| serde_json::from_str(l).map_err(|e| anyhow::anyhow!("line {}: {e}", i + 1)))
            .collect()
    }
}

/// What the model says about one message.
#[derive(Debug, Clone)]
pub struct Prediction {
    pub intent: Vec<(Intent, f32)>,
    pub escalate: f32,
    pub topics: Vec<(String, f32)>,
}

impl Prediction {
    pub fn best_intent(&self) -> (Intent, f32) {
        self.intent.iter().copied().fold((Intent::Other, -1.0), |a, b| if b.1 > a.1 { b } else { a })
    }
}

pub struct Model {
    vocab: Features,
    /// Row-major: one row of `outputs()` weights per feature, then one bias row; trained in
    /// `f32`, kept as halves (`half.rs`: half the memory, the same predictions).
    weights: Vec<u16>,
    topics: Vec<String>,
    /// The `f32` weights the halves were made of, for the test that both decide alike.
    #[cfg(test)]
    trained: Vec<f32>,
}

const EPOCHS: usize = 40;
const RATE: f32 = 1.0;
const L2: f32 = 1e-4;
/// Topics are rare positives among many outputs: their positive examples count double.
const TOPIC_POSITIVE: f32 = 2.0;

impl Model {
    fn outputs(&self) -> usize {
        INTENTS.len() + 1 + self.topics.len()
    }

    /// Trains on `examples`, each given with its features (see `offline::Offline::features`).
    pub fn train(examples: &[(Vec<String>, &Example)]) -> Model {
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut topics: Vec<String> = vec![];
        for (feats, ex) in examples {
            for f in feats {
                let n = vocab.len() as u32;
                vocab.entry(f.clone()).or_insert(n);
            }
            for t in &ex.topics {
                if !topics.contains(t) {
                    topics.push(t.clone());
                }
            }
        }
        topics.sort();
        let outs = INTENTS.len() + 1 + topics.len();
        let encoded: Vec<(Vec<u32>, Vec<f32>)> = examples
            .iter()
            .map(|(feats, ex)| {
                let mut idx: Vec<u32> = feats.iter().filter_map(|f| vocab.get(f).copied()).collect();
                idx.sort_unstable();
                idx.dedup();
                let mut target = vec![0.0; outs];
                target[INTENTS.iter().position(|i| *i == ex.intent).unwrap_or(5)] = 1.0;
                target[INTENTS.len()] = ex.escalate as u8 as f32;
                for t in &ex.topics {
                    if let Some(p) = topics.iter().position(|x| x == t) {
                        target[INTENTS.len() + 1 + p] = 1.0;
                    }
                }
                (idx, target)
            })
            .collect();
        let features = vocab.len();
        let mut weights = vec![0.0f32; (features + 1) * outs];
        // A fixed pseudo-random visiting order per epoch keeps training deterministic.
        let mut order: Vec<usize> = (0..encoded.len()).collect();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for epoch in 0..EPOCHS {
            for i in (1..order.len()).rev() {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                order.swap(i, (seed >> 33) as usize % (i + 1));
            }
            let rate = RATE / (1.0 + epoch as f32 * 0.05);
            for &k in &order {
                let (idx, target) = &encoded[k];
                let out = probabilities(logits(idx, features, outs, |z, f, scale| {
                    for (a, w) in z.iter_mut().zip(&weights[f * outs..(f + 1) * outs]) {
                        *a += w * scale;
                    }
                }));
                let grad: Vec<f32> = out
                    .iter()
                    .zip(target)
                    .enumerate()
                    .map(|(i, (o, t))| if i > INTENTS.len() && *t > 0.5 { (o - t) * TOPIC_POSITIVE } else { o - t })
                    .collect();
                let scale = 1.0 / (idx.len() as f32 + 1.0).sqrt();
                for &f in idx.iter().chain(std::iter::once(&(features as u32))) {
                    let row = &mut weights[f as usize * outs..(f as usize + 1) * outs];
                    for (w, g) in row.iter_mut().zip(&grad) {
                        *w -= rate * (g * scale + L2 * *w);
                    }
                }
            }
        }
        // A new vector: collecting in place would keep the f32 buffer's whole capacity.
        let halves = weights.iter().map(|w| to_half(*w)).collect();
        Model {
            weights: halves,
            vocab: Features::new(vocab),
            topics,
            #[cfg(test)]
            trained: weights,
        }
    }

    /// Probabilities: softmax over the intents, sigmoid for escalation and each topic.
    fn forward(&self, idx: &[u32]) -> Vec<f32> {
        let outs = self.outputs();
        probabilities(logits(idx, self.vocab.len(), outs, |z, f, scale| {
            for (a, w) in z.iter_mut().zip(&self.weights[f * outs..(f + 1) * outs]) {
                *a += from_half(*w) * scale;
            }
        }))
    }

    pub fn predict(&self, feats: &[String]) -> Prediction {
        let mut idx: Vec<u32> = feats.iter().filter_map(|f| self.vocab.get(f)).collect();
        idx.sort_unstable();
        idx.dedup();
        let z = self.forward(&idx);
        let n = INTENTS.len();
        Prediction {
            intent: INTENTS.iter().copied().zip(z[..n].iter().copied()).collect(),
            escalate: z[n],
            topics: self.topics.iter().cloned().zip(z[n + 1..].iter().copied()).collect(),
        }
    }

    /// Approximate heap size, for the memory benchmark.
    pub fn heap_bytes(&self) -> usize {
        self.weights.len() * 2 + self.vocab.heap_bytes()
    }
}

/// The scores of the features `idx`: `add(z, row, scale)` adds a row of weights times `scale`
/// (the bias row is row `features`, added as it is).
fn logits(idx: &[u32], features: usize, outs: usize, mut add: impl FnMut(&mut [f32], usize, f32)) -> Vec<f32> {
    let scale = 1.0 / (idx.len() as f32 + 1.0).sqrt();
    let mut z = vec![0.0f32; outs];
    for &f in idx {
        add(&mut z, f as usize, scale);
    }
    add(&mut z, features, 1.0);
    z
}

/// Softmax over the intents, sigmoid for escalation and each topic.
fn probabilities(mut z: Vec<f32>) -> Vec<f32> {
    let n = INTENTS.len();
    let max = z[..n].iter().copied().fold(f32::MIN, f32::max);
    let sum: f32 = z[..n].iter().map(|v| (v - max).exp()).sum();
    for v in &mut z[..n] {
        *v = (*v - max).exp() / sum;
    }
    for v in &mut z[n..] {
        *v = 1.0 / (1.0 + (-*v).exp());
    }
    z
}

/// The features the model knows, each with its row of weights: their names in one string, in
/// sorted order, found by binary search. A map of ~10,000 small strings (each its own
/// allocation, scattered through the training thread's heap) kept about five times the memory
/// for the life of the process; the model reads it only for a client's message.
struct Features {
    names: String,
    /// Where each name ends in `names`.
    ends: Vec<u32>,
    rows: Vec<u32>,
}

impl Features {
    fn new(map: HashMap<String, u32>) -> Features {
        let mut entries: Vec<(String, u32)> = map.into_iter().collect();
        entries.sort_unstable();
        let mut f = Features {
            names: String::with_capacity(entries.iter().map(|(n, _)| n.len()).sum()),
            ends: Vec::with_capacity(entries.len()),
            rows: Vec::with_capacity(entries.len()),
        };
        for (name, row) in entries {
            f.names.push_str(&name);
            f.ends.push(f.names.len() as u32);
            f.rows.push(row);
        }
        f
    }

    fn len(&self) -> usize {
        self.rows.len()
    }

    fn name(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.names[start..self.ends[i] as usize]
    }

    /// The row of the feature `name`.
    fn get(&self, name: &str) -> Option<u32> {
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.name(mid).cmp(name) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.rows[mid]),
            }
        }
        None
    }

    fn heap_bytes(&self) -> usize {
        self.names.len() + (self.ends.len() + self.rows.len()) * 4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Halves change a probability by far less than the distance to the thresholds the engine
    /// decides by (`offline.rs`: a topic at 0.4, escalation at 0.5 and 0.75): on every training
    /// message the best intent and every yes/no are what the trained `f32` weights give.
    #[test]
    fn halves_decide_what_the_trained_weights_decide() {
        use crate::assistant::{kb::Kb, offline::Offline, offline::TRAINING};
        let examples: Vec<Example> = TRAINING.iter().flat_map(|t| Example::parse_lines(t).unwrap()).collect();
        let reader = Offline::new(Kb::default());
        let featured: Vec<(Vec<String>, &Example)> = examples.iter().map(|e| (reader.features(&e.text), e)).collect();
        let model = Model::train(&featured);
        let outs = model.outputs();
        let mut worst = 0.0f32;
        for (feats, ex) in &featured {
            let mut idx: Vec<u32> = feats.iter().filter_map(|f| model.vocab.get(f)).collect();
            idx.sort_unstable();
            idx.dedup();
            let halves = model.forward(&idx);
            let full = probabilities(logits(&idx, model.vocab.len(), outs, |z, f, scale| {
                for (a, w) in z.iter_mut().zip(&model.trained[f * outs..(f + 1) * outs]) {
                    *a += w * scale;
                }
            }));
            let best = |p: &[f32]| (0..INTENTS.len()).fold(0, |b, i| if p[i] > p[b] { i } else { b });
            assert_eq!(best(&halves), best(&full), "{}", ex.text);
            let n = INTENTS.len();
            let decided =
                |i: usize, t: f32| assert_eq!(halves[i] >= t, full[i] >= t, "{} (output {i} at {t})", ex.text);
            decided(n, 0.5);
            decided(n, 0.75);
            (n + 1..outs).for_each(|i| decided(i, 0.4));
            worst = halves.iter().zip(&full).map(|(h, f)| (h - f).abs()).fold(worst, f32::max);
        }
        assert!(worst < 0.01, "a probability moved by {worst}");
    }

    #[test]
    fn every_feature_is_found_with_its_row_and_nothing_else() {
        let map: std::collections::HashMap<String, u32> = ["ціна", "ц", "ціна_", "#book", "", "ля"]
            .iter()
            .enumerate()
            .map(|(i, n)| (n.to_string(), i as u32))
            .collect();
        let f = Features::new(map.clone());
        for (name, row) in &map {
            assert_eq!(f.get(name), Some(*row), "{name}");
        }
        assert_eq!(f.get("ці"), None);
        assert_eq!(f.get("ціни"), None);
        assert_eq!(f.len(), map.len());
    }
}
