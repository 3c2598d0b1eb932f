//! One stable sort for the whole panel.
//!
//! `slice::sort_by` is generic: every element type and comparison closure
//! gets its own copy of std's driftsort (about 4 kB of wasm each, six copies
//! in the panel). Here the sorting itself is one non-generic merge sort over
//! positions, with the comparison behind `&dyn`; only the few lines that
//! move the elements into place are generic.

use std::cmp::Ordering;

/// Sorts `items` stably by `cmp` (equal elements keep their order).
pub fn sort_by<T>(items: &mut Vec<T>, cmp: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = {
        let view: &[T] = items;
        positions(view.len(), &|a, b| cmp(&view[a], &view[b]))
    };
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots[i as usize].take()));
}

/// Sorts and removes duplicates (equal by `Ord`), as `sort` + `dedup`.
pub fn sorted_set<T: Ord + Clone>(list: &[T]) -> Vec<T> {
    let mut v = list.to_vec();
    sort_by(&mut v, T::cmp);
    v.dedup();
    v
}

/// The positions `0..len` in stable sorted order: a bottom-up merge sort,
/// `O(n log n)` comparisons, one scratch buffer.
fn positions(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut from: Vec<u32> = (0..len as u32).collect();
    let mut to: Vec<u32> = vec![0; len];
    let mut width = 1;
    while width < len {
        let mut start = 0;
        while start < len {
            let mid = (start + width).min(len);
            let end = (start + 2 * width).min(len);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                // Take from the right run only when strictly less: stable.
                if cmp(from[j] as usize, from[i] as usize) == Ordering::Less {
                    to[k] = from[j];
                    j += 1;
                } else {
                    to[k] = from[i];
                    i += 1;
                }
                k += 1;
            }
            to[k..k + (mid - i)].copy_from_slice(&from[i..mid]);
            k += mid - i;
            to[k..k + (end - j)].copy_from_slice(&from[j..end]);
            start = end;
        }
        std::mem::swap(&mut from, &mut to);
        width *= 2;
    }
    from
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_std_and_is_stable() {
        // Pseudo-random pairs (key, original position), many equal keys.
        let mut seed = 12345u32;
        for len in [0usize, 1, 2, 3, 7, 8, 9, 31, 64, 100, 1000, 4099] {
            let mut items: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((seed >> 16) % 17, i)
                })
                .collect();
            let mut expected = items.clone();
            expected.sort_by_key(|a| a.0);
            sort_by(&mut items, |a, b| a.0.cmp(&b.0));
            assert_eq!(items, expected, "length {len}");
        }
    }

    #[test]
    fn descending_and_already_sorted() {
        let mut v: Vec<i32> = (0..50).collect();
        sort_by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, (0..50).rev().collect::<Vec<_>>());
        sort_by(&mut v, |a, b| b.cmp(a));
        assert_eq!(v, (0..50).rev().collect::<Vec<_>>());
    }

    #[test]
    fn sorted_set_sorts_and_dedups() {
        assert_eq!(sorted_set(&["b", "a", "b", "c", "a"]), vec!["a", "b", "c"]);
        assert_eq!(sorted_set::<u8>(&[]), Vec::<u8>::new());
    }
}
