//! A list kept on the stack while short, spilling to the heap past `N` items: requests usually
//! sign two to six headers, so the verifier's per-request lists need no allocation.

/// Up to `N` items inline, then a `Vec`.
pub(crate) struct SmallList<T: Copy + Default, const N: usize> {
    inline: [T; N],
    len: usize,
    spill: Vec<T>,
}

impl<T: Copy + Default, const N: usize> SmallList<T, N> {
    pub(crate) fn new() -> Self {
        SmallList {
            inline: [T::default(); N],
            len: 0,
            spill: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, item: T) {
        if self.spill.is_empty() {
            if self.len < N {
                self.inline[self.len] = item;
                self.len += 1;
                return;
            }
            self.spill.reserve(N * 2);
            self.spill.extend_from_slice(&self.inline);
        }
        self.spill.push(item);
    }

    pub(crate) fn as_slice(&self) -> &[T] {
        if self.spill.is_empty() {
            &self.inline[..self.len]
        } else {
            &self.spill
        }
    }

    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        if self.spill.is_empty() {
            &mut self.inline[..self.len]
        } else {
            &mut self.spill
        }
    }
}

impl<T: Copy + Default, const N: usize> std::ops::Deref for SmallList<T, N> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.as_slice()
    }
}

#[cfg(test)]
mod tests {
    use super::SmallList;

    #[test]
    fn spills_past_the_inline_capacity_in_order() {
        let mut list: SmallList<u32, 4> = SmallList::new();
        for i in 0..10 {
            list.push(i);
            assert_eq!(list.len(), i as usize + 1);
            assert_eq!(list.as_slice(), (0..=i).collect::<Vec<_>>().as_slice());
        }
        list.as_mut_slice().reverse();
        assert_eq!(list[0], 9);
    }
}
