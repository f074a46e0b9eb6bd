//! A small seeded random number generator (SplitMix64), so that a run is reproducible
//! from its seed and the crate needs no dependency for it.

/// SplitMix64: fast, statistically good enough for shuffles, sizes and resampling; not
/// for secrets.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator whose sequence is fixed by `seed`.
    pub const fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound > 0`), by multiply-shift (bias below 2^-32 for
    /// our bounds).
    pub fn below(&mut self, bound: usize) -> usize {
        (((self.next_u64() >> 32) * bound as u64) >> 32) as usize
    }

    /// A number in `low..=high`.
    pub fn between(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// Shuffles `items` in place (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// `count` block sizes drawn uniformly from `low..=high`, the mixed sizes the workloads
/// allocate.
pub fn mixed_sizes(seed: u64, count: usize, low: usize, high: usize) -> Vec<usize> {
    let mut rng = Rng::new(seed);
    (0..count).map(|_| rng.between(low, high)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_sequence() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        for _ in 0..100 {
            assert_eq!(a.next_u64(), b.next_u64());
        }
    }

    #[test]
    fn between_stays_in_bounds_and_reaches_both_ends() {
        let sizes = mixed_sizes(1, 10_000, 16, 1024);
        assert!(
            sizes.iter().all(|s| (16..=1024).contains(s)),
            "expected every size within 16..=1024, saw {:?}",
            sizes.iter().find(|s| !(16..=1024).contains(*s))
        );
        assert!(
            sizes.contains(&16) && sizes.contains(&1024),
            "expected both ends (16 and 1024) among 10,000 sizes, saw min {:?} and max {:?}",
            sizes.iter().min(),
            sizes.iter().max()
        );
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut items: Vec<u32> = (0..100).collect();
        Rng::new(3).shuffle(&mut items);
        assert_ne!(items, (0..100).collect::<Vec<_>>());
        items.sort_unstable();
        assert_eq!(items, (0..100).collect::<Vec<_>>());
    }
}
