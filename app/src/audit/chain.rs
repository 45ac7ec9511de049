//! The hash chain of a broker's trail, as pure logic: what an entry's hash covers, and the
//! walk that checks a chain entry by entry. The SQL around it is in `ssr.rs`.

use sha2::{Digest, Sha256};

use super::{Break, Broken};

/// The "hash before" of a broker's first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

use crate::ids::BrokerId;

/// What an entry says, in the order the hash covers it.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Content {
    pub broker_id: BrokerId,
    pub at: i64,
    pub actor_kind: String,
    pub actor_id: Option<i64>,
    pub action: String,
    pub target_kind: Option<String>,
    pub target_id: Option<i64>,
    pub detail: Option<String>,
}

/// The hash of the entry at place `seq` after the entry whose hash is `prev`: SHA-256 over a
/// JSON array of all of it, so no two different entries are written alike.
pub fn hash(seq: i64, prev: &str, c: &Content) -> String {
    let fields = serde_json::json!([
        seq,
        prev,
        c.broker_id,
        c.at,
        c.actor_kind,
        c.actor_id,
        c.action,
        c.target_kind,
        c.target_id,
        c.detail
    ]);
    hex::encode(Sha256::digest(fields.to_string().as_bytes()))
}

/// One stored entry as the walk reads it.
#[derive(sqlx::FromRow)]
pub struct Link {
    pub seq: i64,
    pub prev_hash: String,
    pub hash: String,
    #[sqlx(flatten)]
    pub content: Content,
}

/// Walks a broker's entries in the order of their places and finds the first break.
pub struct Walk {
    expected: i64,
    prev: String,
    pub broken: Option<Broken>,
}

impl Default for Walk {
    fn default() -> Self {
        Walk { expected: 1, prev: GENESIS.to_owned(), broken: None }
    }
}

impl Walk {
    /// Takes the next entry; false once the chain is known to be broken.
    pub fn step(&mut self, link: &Link) -> bool {
        if self.broken.is_some() {
            return false;
        }
        let reason = if link.seq != self.expected || link.prev_hash != self.prev {
            Some(Break::Missing)
        } else if hash(link.seq, &link.prev_hash, &link.content) != link.hash {
            Some(Break::Changed)
        } else {
            None
        };
        if let Some(reason) = reason {
            self.broken = Some(Broken { at: link.seq, reason });
            return false;
        }
        self.expected += 1;
        self.prev.clone_from(&link.hash);
        true
    }

    /// Ends the walk against the chain's recorded end.
    pub fn finish(mut self, last_seq: i64, last_hash: &str) -> Option<Broken> {
        if self.broken.is_none() && (self.expected - 1 != last_seq || self.prev != last_hash) {
            self.broken = Some(Broken { at: self.expected - 1, reason: Break::Truncated });
        }
        self.broken
    }

    /// How many entries were found whole.
    pub fn whole(&self) -> i64 {
        self.expected - 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(action: &str) -> Content {
        Content {
            broker_id: BrokerId(1),
            at: 1_700_000_000,
            actor_kind: "staff".into(),
            actor_id: Some(3),
            action: action.into(),
            target_kind: Some("customer".into()),
            target_id: Some(7),
            detail: None,
        }
    }

    fn chain(actions: &[&str]) -> Vec<Link> {
        let mut prev = GENESIS.to_owned();
        let mut links = Vec::new();
        for (i, action) in actions.iter().enumerate() {
            let seq = i64::try_from(i).unwrap() + 1;
            let c = content(action);
            let h = hash(seq, &prev, &c);
            links.push(Link { seq, prev_hash: prev.clone(), hash: h.clone(), content: c });
            prev = h;
        }
        links
    }

    fn walk(links: &[Link], last_seq: i64, last_hash: &str) -> Option<Broken> {
        let mut w = Walk::default();
        for l in links {
            w.step(l);
        }
        w.finish(last_seq, last_hash)
    }

    #[test]
    fn a_whole_chain_passes() {
        let links = chain(&["a", "b", "c"]);
        assert_eq!(walk(&links, 3, &links[2].hash), None);
        assert_eq!(walk(&[], 0, GENESIS), None);
    }

    #[test]
    fn the_hash_covers_every_field_and_the_place() {
        let c = content("a");
        let base = hash(1, GENESIS, &c);
        assert_ne!(base, hash(2, GENESIS, &c));
        assert_ne!(base, hash(1, &"1".repeat(64), &c));
        let variants = [
            Content { broker_id: BrokerId(2), ..c.clone() },
            Content { at: c.at + 1, ..c.clone() },
            Content { actor_kind: "customer".into(), ..c.clone() },
            Content { actor_id: None, ..c.clone() },
            Content { action: "b".into(), ..c.clone() },
            Content { target_kind: None, ..c.clone() },
            Content { target_id: Some(8), ..c.clone() },
            Content { detail: Some(String::new()), ..c },
        ];
        for v in variants {
            assert_ne!(hash(1, GENESIS, &v), base, "{v:?}");
        }
    }

    #[test]
    fn a_changed_entry_is_named() {
        let mut links = chain(&["a", "b", "c"]);
        let last = links[2].hash.clone();
        links[1].content.action = "x".into();
        assert_eq!(walk(&links, 3, &last), Some(Broken { at: 2, reason: Break::Changed }));
    }

    #[test]
    fn a_changed_entry_with_its_hash_recomputed_breaks_the_next_one() {
        let mut links = chain(&["a", "b", "c"]);
        let last = links[2].hash.clone();
        links[1].content.action = "x".into();
        links[1].hash = hash(2, &links[1].prev_hash, &links[1].content);
        assert_eq!(walk(&links, 3, &last), Some(Broken { at: 3, reason: Break::Missing }));
    }

    #[test]
    fn a_removed_entry_is_found_where_it_is_missing() {
        let mut links = chain(&["a", "b", "c"]);
        let last = links[2].hash.clone();
        links.remove(1);
        assert_eq!(walk(&links, 3, &last), Some(Broken { at: 3, reason: Break::Missing }));
    }

    #[test]
    fn removed_newest_entries_are_found_against_the_recorded_end() {
        let mut links = chain(&["a", "b", "c"]);
        let last = links[2].hash.clone();
        links.pop();
        assert_eq!(walk(&links, 3, &last), Some(Broken { at: 2, reason: Break::Truncated }));
    }

    #[test]
    fn reasons_are_stored_and_read_back() {
        for b in [Break::Changed, Break::Missing, Break::Unchained, Break::Truncated] {
            assert_eq!(Break::parse(b.as_str()), Some(b));
        }
        assert_eq!(Break::parse("other"), None);
    }
}
