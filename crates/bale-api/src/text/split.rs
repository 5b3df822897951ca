//! Making a set of entities consistent, as tdlib's `fix_entities` and `merge_new_entities`
//! do: continuous entities (links, code…) never cross, block quotes never cross anything,
//! and bold/italic/underline/strikethrough/spoiler are split around and merged between the
//! others, and dropped inside code.

use super::model::{sort_entities, Entity, Kind};

const SPLITTABLE: [Kind; 5] = [
    Kind::Bold,
    Kind::Italic,
    Kind::Underline,
    Kind::Strikethrough,
    Kind::Spoiler,
];

fn mask_of(kinds: impl Fn(Kind) -> bool) -> u32 {
    ALL_KINDS
        .iter()
        .filter(|k| kinds(**k))
        .map(|k| k.mask())
        .sum()
}

const ALL_KINDS: [Kind; 22] = [
    Kind::Mention,
    Kind::Hashtag,
    Kind::BotCommand,
    Kind::Url,
    Kind::EmailAddress,
    Kind::Bold,
    Kind::Italic,
    Kind::Code,
    Kind::Pre,
    Kind::PreCode,
    Kind::TextUrl,
    Kind::MentionName,
    Kind::Cashtag,
    Kind::PhoneNumber,
    Kind::Underline,
    Kind::Strikethrough,
    Kind::BlockQuote,
    Kind::BankCardNumber,
    Kind::Spoiler,
    Kind::CustomEmoji,
    Kind::ExpandableBlockQuote,
    Kind::FormattedDate,
];

/// td's `are_entities_valid`: whether the sorted entities need no fixing.
fn are_entities_valid(entities: &[Entity]) -> bool {
    let splittable_mask = mask_of(Kind::is_splittable);
    let blockquote_mask = mask_of(Kind::is_blockquote);
    let continuous_mask = mask_of(Kind::is_continuous);
    let mut end_pos = [-1i32; 5];
    let mut stack: Vec<&Entity> = Vec::new();
    let mut nested_mask = 0u32;
    for e in entities {
        while stack.last().is_some_and(|top| e.offset >= top.end()) {
            if let Some(top) = stack.pop() {
                nested_mask -= top.kind.mask();
            }
        }
        if let Some(parent) = stack.last() {
            if e.end() > parent.end()
                || nested_mask & e.kind.mask() != 0
                || parent.kind.is_pre()
                || (e.kind.is_pre() && nested_mask & !blockquote_mask != 0)
                || ((e.kind.is_continuous() || e.kind.is_blockquote())
                    && nested_mask & continuous_mask != 0)
                || (e.kind.is_blockquote() && nested_mask & blockquote_mask != 0)
                || nested_mask & splittable_mask != 0
            {
                return false;
            }
        }
        if let Some(index) = e.kind.splittable_index() {
            if end_pos[index] >= e.offset {
                return false;
            }
            end_pos[index] = e.end();
        }
        stack.push(e);
        nested_mask += e.kind.mask();
    }
    true
}

/// td's `remove_intersecting_entities`: keeps each entity that starts after the previous
/// kept one ends.
fn remove_intersecting_entities(entities: &mut Vec<Entity>) {
    let mut last_end = 0;
    entities.retain(|e| {
        let keep = e.offset >= last_end;
        if keep {
            last_end = e.end();
        }
        keep
    });
}

/// td's `remove_entities_intersecting_blockquote`.
fn remove_entities_intersecting_blockquote(entities: &mut Vec<Entity>, quotes: &[Entity]) {
    if quotes.is_empty() {
        return;
    }
    let mut q = 0;
    entities.retain(|e| {
        while q < quotes.len() && (!quotes[q].kind.is_blockquote() || quotes[q].end() <= e.offset) {
            q += 1;
        }
        !(q < quotes.len()
            && (quotes[q].end() < e.end()
                || (e.offset < quotes[q].offset && quotes[q].offset < e.end())))
    });
}

/// td's `split_entities`: re-cuts the splittable entities around `others`, merging
/// overlapping ones of a kind and dropping the parts inside code-like entities.
struct Splitter<'a> {
    entities: &'a [Entity],
    next: usize,
    begin_pos: [i32; 5],
    end_pos: [i32; 5],
    result: Vec<Entity>,
}

impl Splitter<'_> {
    fn flush(&mut self, offset: i32) {
        for (index, kind) in SPLITTABLE.iter().enumerate() {
            if self.end_pos[index] != 0 && self.begin_pos[index] < offset {
                let begin = self.begin_pos[index];
                if self.end_pos[index] <= offset {
                    let length = self.end_pos[index] - begin;
                    self.result.push(Entity::new(*kind, begin, length));
                    self.begin_pos[index] = 0;
                    self.end_pos[index] = 0;
                } else {
                    self.result.push(Entity::new(*kind, begin, offset - begin));
                    self.begin_pos[index] = offset;
                }
            }
        }
    }

    fn add_entities(&mut self, end_offset: i32) {
        while let Some(e) = self.entities.get(self.next) {
            if e.offset >= end_offset {
                break;
            }
            let index = e.kind.splittable_index().unwrap_or_default();
            if e.offset <= self.end_pos[index] && self.end_pos[index] != 0 {
                self.end_pos[index] = self.end_pos[index].max(e.end());
            } else {
                self.flush(e.offset);
                self.begin_pos[index] = e.offset;
                self.end_pos[index] = e.end();
            }
            self.next += 1;
        }
        self.flush(end_offset);
    }
}

fn split_entities(entities: &[Entity], others: &[Entity]) -> Vec<Entity> {
    let mut s = Splitter {
        entities,
        next: 0,
        begin_pos: [0; 5],
        end_pos: [0; 5],
        result: Vec::new(),
    };
    let mut stack: Vec<&Entity> = Vec::new();
    let add_offset = |s: &mut Splitter<'_>, stack: &mut Vec<&Entity>, offset: i32| {
        while let Some(top) = stack.last().copied().filter(|top| offset >= top.end()) {
            let old_size = s.result.len();
            s.add_entities(top.end());
            if top.kind.is_pre() {
                s.result.truncate(old_size);
            }
            stack.pop();
        }
        s.add_entities(offset);
    };
    for other in others {
        add_offset(&mut s, &mut stack, other.offset);
        stack.push(other);
    }
    add_offset(&mut s, &mut stack, i32::MAX);
    let mut result = s.result;
    sort_entities(&mut result);
    result
}

/// td's `resplit_entities`.
fn resplit_entities(splittable: Vec<Entity>, mut entities: Vec<Entity>) -> Vec<Entity> {
    if splittable.is_empty() {
        return entities;
    }
    let split = split_entities(&splittable, &entities);
    if entities.is_empty() {
        return split;
    }
    entities.extend(split);
    sort_entities(&mut entities);
    entities
}

/// Splits entities into (continuous, block quote, splittable) classes.
fn partition(entities: Vec<Entity>) -> (Vec<Entity>, Vec<Entity>, Vec<Entity>) {
    let (mut continuous, mut quotes, mut splittable) = (Vec::new(), Vec::new(), Vec::new());
    for e in entities {
        if e.kind.is_splittable() {
            splittable.push(e);
        } else if e.kind.is_blockquote() {
            quotes.push(e);
        } else {
            continuous.push(e);
        }
    }
    (continuous, quotes, splittable)
}

/// td's `fix_entities`: sorts, and repairs the entities if they are not already valid.
pub(crate) fn fix_entities(mut entities: Vec<Entity>) -> Vec<Entity> {
    sort_entities(&mut entities);
    if are_entities_valid(&entities) {
        return entities;
    }
    let (mut continuous, mut quotes, splittable) = partition(entities);
    remove_intersecting_entities(&mut continuous);
    if !quotes.is_empty() {
        remove_intersecting_entities(&mut quotes);
        remove_entities_intersecting_blockquote(&mut continuous, &quotes);
        continuous.extend(quotes);
        sort_entities(&mut continuous);
    }
    resplit_entities(splittable, continuous)
}

/// td's `merge_entities`: adds the found entities that do not overlap the user's ones.
fn merge_entities(old: Vec<Entity>, new: Vec<Entity>) -> Vec<Entity> {
    if new.is_empty() {
        return old;
    }
    if old.is_empty() {
        return new;
    }
    let mut result = Vec::with_capacity(old.len() + new.len());
    let mut new = new.into_iter().peekable();
    for o in old {
        while let Some(n) = new.next_if(|n| n.end() <= o.offset) {
            result.push(n);
        }
        let old_end = o.end();
        result.push(o);
        while new.next_if(|n| n.offset < old_end).is_some() {}
    }
    result.extend(new);
    result
}

/// td's `merge_new_entities`: merges entities found in the text into the user's ones.
pub(crate) fn merge_new_entities(entities: Vec<Entity>, mut new: Vec<Entity>) -> Vec<Entity> {
    if new.is_empty() {
        return entities;
    }
    let (continuous, quotes, splittable) = partition(entities);
    remove_entities_intersecting_blockquote(&mut new, &quotes);
    let mut continuous = merge_entities(continuous, new);
    if !quotes.is_empty() {
        continuous.extend(quotes);
        sort_entities(&mut continuous);
    }
    resplit_entities(splittable, continuous)
}

/// What td's `get_input_message_entities` sends the server: at most 100 user entities
/// (custom emoji aside), the splittable ones last and merged where adjacent. The found
/// entities are kept.
pub(crate) fn cap_user_entities(entities: Vec<Entity>) -> Vec<Entity> {
    const MAX_USER_ENTITY_COUNT: usize = 100;
    let mut kept = Vec::with_capacity(entities.len());
    let mut splittable = Vec::new();
    let mut count = 0;
    for e in entities {
        if e.kind.is_splittable() {
            splittable.push(e);
        } else if !e.kind.is_user() || e.kind == Kind::CustomEmoji {
            kept.push(e);
        } else if count < MAX_USER_ENTITY_COUNT {
            count += 1;
            kept.push(e);
        }
    }
    let room = MAX_USER_ENTITY_COUNT - count;
    kept.extend(split_entities(&splittable, &[]).into_iter().take(room));
    sort_entities(&mut kept);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(kind: Kind, offset: i32, length: i32) -> Entity {
        Entity::new(kind, offset, length)
    }

    fn short(v: &[Entity]) -> Vec<(Kind, i32, i32)> {
        v.iter().map(|e| (e.kind, e.offset, e.length)).collect()
    }

    #[test]
    fn valid_entities_are_kept() {
        let v = vec![e(Kind::Bold, 0, 5), e(Kind::Italic, 6, 2)];
        assert_eq!(
            short(&fix_entities(v)),
            [(Kind::Bold, 0, 5), (Kind::Italic, 6, 2)]
        );
    }

    #[test]
    fn bold_is_split_around_code_and_merged() {
        // bold [0,10) over code [2,4): bold is cut out of the code.
        let v = vec![e(Kind::Bold, 0, 10), e(Kind::Code, 2, 2)];
        assert_eq!(
            short(&fix_entities(v)),
            [(Kind::Bold, 0, 2), (Kind::Code, 2, 2), (Kind::Bold, 4, 6)]
        );
        // Overlapping bolds merge.
        let v = vec![e(Kind::Bold, 0, 3), e(Kind::Bold, 2, 3)];
        assert_eq!(short(&fix_entities(v)), [(Kind::Bold, 0, 5)]);
    }

    #[test]
    fn crossing_continuous_entities_are_dropped() {
        let v = vec![e(Kind::TextUrl, 0, 4), e(Kind::Code, 2, 4)];
        let mut v = v;
        v[0].argument = "http://a.b/".into();
        assert_eq!(short(&fix_entities(v)), [(Kind::TextUrl, 0, 4)]);
    }

    #[test]
    fn at_most_100_user_entities_reach_the_server() {
        let mut v: Vec<Entity> = (0..150).map(|i| e(Kind::Code, 2 * i, 1)).collect();
        v.extend((0..20).map(|i| e(Kind::Bold, 400 + 2 * i, 1)));
        v.push(e(Kind::Mention, 500, 5));
        let capped = cap_user_entities(v);
        assert_eq!(capped.len(), 101);
        assert!(capped.iter().all(|e| e.kind != Kind::Bold));
        assert_eq!(capped.last().map(|e| e.kind), Some(Kind::Mention));
    }

    #[test]
    fn found_entities_yield_to_user_ones() {
        let user = vec![e(Kind::Code, 0, 5)];
        let found = vec![e(Kind::Mention, 1, 3), e(Kind::Hashtag, 6, 2)];
        assert_eq!(
            short(&merge_new_entities(user, found)),
            [(Kind::Code, 0, 5), (Kind::Hashtag, 6, 2)]
        );
    }
}
