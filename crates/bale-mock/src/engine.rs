//! The scenario at run time: which rule answers a request, and the rate-limit buckets.
//!
//! Rule counters, the rule state and the random generator sit behind one lock, the buckets
//! behind another; each critical section is a few comparisons and additions — never I/O, a
//! sleep or an await. A scenario with no rules (or no limits) takes neither lock.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use bale_api::token::parse_bot_id;
use bale_api::{BotId, Method, Secret};
use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::SplitMix64;

use crate::buckets::{BucketKey, Buckets};
use crate::request::Params;
use crate::scenario::{Rule, Scenario, Scope, INITIAL_RULE_STATE};

/// A scenario and its run-time counters.
#[derive(Debug)]
pub struct Engine {
    scenario: Scenario,
    index: RuleIndex,
    rules: Mutex<RuleCounters>,
    buckets: Mutex<Buckets>,
}

/// Which rules can match a request of a given bot and method, so that a request is checked
/// against those alone — a scenario of a thousand rules for other bots or other methods
/// costs a few lookups, not a scan.
#[derive(Debug, Default)]
struct RuleIndex {
    /// Rules of any bot and any method, in file order (as every list here).
    any: Vec<usize>,
    /// Rules of any bot, by the method they name (at `Method as usize`); a rule of several
    /// methods is under each.
    by_method: Vec<Vec<usize>>,
    /// Rules that name a bot (by `bot`, or by a `token` whose bot id is readable).
    by_bot: HashMap<BotId, BotRules, foldhash::fast::RandomState>,
    /// Whether any rule names a method: only then is the request's method looked up.
    methods: bool,
}

/// The rules that name one bot: of any method, and by method.
#[derive(Debug, Default)]
struct BotRules {
    any: Vec<usize>,
    by_method: Vec<(Method, Vec<usize>)>,
}

/// Appends rule `i` to `list`, once (a method named twice in one rule lists it once).
fn push_once(list: &mut Vec<usize>, i: usize) {
    if list.last() != Some(&i) {
        list.push(i);
    }
}

impl RuleIndex {
    fn new(rules: &[Rule]) -> RuleIndex {
        let mut index = RuleIndex {
            by_method: vec![Vec::new(); Method::ALL.len()],
            ..RuleIndex::default()
        };
        for (i, rule) in rules.iter().enumerate() {
            let token_bot = rule
                .when
                .token
                .as_ref()
                .and_then(|t| parse_bot_id(t.expose()).ok());
            let bot = rule.when.bot.or(token_bot);
            // Validation keeps only catalogue names; one that were not would be checked
            // against every request, which is never wrong.
            let methods: Option<Vec<Method>> = rule
                .when
                .methods
                .iter()
                .map(|m| Method::from_name(m))
                .collect();
            let methods = methods.filter(|methods| !methods.is_empty());
            index.methods |= methods.is_some();
            match (bot, methods) {
                (None, None) => index.any.push(i),
                (None, Some(methods)) => {
                    for method in methods {
                        push_once(&mut index.by_method[method as usize], i);
                    }
                }
                (Some(bot), None) => index.by_bot.entry(bot).or_default().any.push(i),
                (Some(bot), Some(methods)) => {
                    let named = index.by_bot.entry(bot).or_default();
                    for method in methods {
                        match named.by_method.iter_mut().find(|(m, _)| *m == method) {
                            Some((_, list)) => push_once(list, i),
                            None => named.by_method.push((method, vec![i])),
                        }
                    }
                }
            }
        }
        index
    }

    /// The lists of the rules that can match a request of `bot` calling `method`: each in
    /// file order, no rule in two of them.
    fn candidates(&self, bot: Option<BotId>, method: &str) -> [&[usize]; 4] {
        let method = self.methods.then(|| Method::from_name(method)).flatten();
        let any_bot = method.map_or(&[][..], |m| self.by_method[m as usize].as_slice());
        let named = bot.and_then(|bot| match self.by_bot.is_empty() {
            true => None,
            false => self.by_bot.get(&bot),
        });
        let (named_any, named_method) = match named {
            None => (&[][..], &[][..]),
            Some(named) => {
                let by_method = method
                    .and_then(|m| named.by_method.iter().find(|(k, _)| *k == m))
                    .map_or(&[][..], |(_, list)| list.as_slice());
                (named.any.as_slice(), by_method)
            }
        };
        [any_bot, &self.any, named_any, named_method]
    }
}

#[derive(Debug)]
struct RuleCounters {
    /// Per rule: requests that met its conditions other than `calls` and `probability`.
    seen: Vec<u64>,
    /// Per rule: times it applied.
    fired: Vec<u64>,
    /// The scenario's rule state.
    state: String,
    rng: SplitMix64,
}

/// What a request looks like to the rules.
#[derive(Clone, Copy, Debug)]
pub struct RuleRequest<'a> {
    /// The token as written.
    pub token: Secret<&'a str>,
    /// The bot id the token names, if readable.
    pub bot: Option<BotId>,
    /// The method as written.
    pub method: &'a str,
    /// The parameters.
    pub params: &'a Params,
    /// The server clock.
    pub now: Duration,
}

/// A rule that applies to a request, with the delay drawn for it.
#[derive(Clone, Copy, Debug)]
pub struct RuleHit<'a> {
    /// The rule.
    pub rule: &'a Rule,
    /// Its delay, jitter included.
    pub delay: Duration,
}

/// A request refused by a rate limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limited {
    /// Index of the limit in the scenario.
    pub limit: usize,
    /// Whole seconds until the bucket holds a request again (at least 1).
    pub retry_after: u64,
}

impl Engine {
    /// Fresh counters, rule state and buckets for `scenario`, keeping at most `max_buckets`
    /// rate-limit buckets.
    pub fn new(scenario: Scenario, max_buckets: usize) -> Engine {
        let rules = scenario.rules.len();
        let rates = scenario
            .rate_limits
            .iter()
            .map(|limit| f64::from(limit.limit) / limit.window.as_secs_f64())
            .collect();
        Engine {
            index: RuleIndex::new(&scenario.rules),
            rules: Mutex::new(RuleCounters {
                seen: vec![0; rules],
                fired: vec![0; rules],
                state: INITIAL_RULE_STATE.to_owned(),
                rng: SplitMix64::seed_from_u64(scenario.seed),
            }),
            buckets: Mutex::new(Buckets::new(max_buckets, rates)),
            scenario,
        }
    }

    /// The scenario.
    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    /// The scenario's current rule state.
    pub fn rule_state(&self) -> String {
        lock(&self.rules).state.clone()
    }

    /// The first rule that applies to `request`, counting it and moving the rule state.
    pub fn match_rules(&self, request: RuleRequest<'_>) -> Option<RuleHit<'_>> {
        if self.scenario.rules.is_empty() {
            return None;
        }
        // What never changes is checked before the lock, so concurrent requests share it
        // only for the counters of rules that can apply.
        let mut matching: Vec<usize> = Vec::new();
        for list in self.index.candidates(request.bot, request.method) {
            matching.extend(
                list.iter()
                    .copied()
                    .filter(|&i| request_matches(&self.scenario.rules[i], &request)),
            );
        }
        if matching.is_empty() {
            return None;
        }
        // The first rule in file order that applies wins.
        matching.sort_unstable();
        let mut counters = lock(&self.rules);
        for i in matching {
            let rule = &self.scenario.rules[i];
            if rule.times.is_some_and(|times| counters.fired[i] >= times) {
                continue;
            }
            if rule
                .when
                .state
                .as_deref()
                .is_some_and(|s| s != counters.state)
            {
                continue;
            }
            counters.seen[i] += 1;
            let nth = counters.seen[i];
            if rule
                .when
                .calls
                .is_some_and(|c| nth < c.first || nth > c.last)
            {
                continue;
            }
            if let Some(p) = rule.when.probability {
                if unit(&mut counters.rng) >= p {
                    continue;
                }
            }
            counters.fired[i] += 1;
            if let Some(state) = &rule.then.set_state {
                counters.state.clone_from(state);
            }
            // Validation keeps both parts to a day; saturating all the same, so no scenario
            // built by hand can panic the server.
            let delay = rule.then.delay.map_or(Duration::ZERO, |delay| {
                // `mul_f64` panics where the product rounds past `Duration::MAX`.
                let draw = delay.jitter.as_secs_f64() * unit(&mut counters.rng);
                let jitter = Duration::try_from_secs_f64(draw).unwrap_or(delay.jitter);
                delay.base.saturating_add(jitter)
            });
            return Some(RuleHit { rule, delay });
        }
        None
    }

    /// Takes one request from every bucket that counts it, or none if any is empty.
    pub fn take(
        &self,
        bot: BotId,
        method: &str,
        params: &Params,
        now: Duration,
    ) -> Result<(), Limited> {
        if self.scenario.rate_limits.is_empty() {
            return Ok(());
        }
        let chat = params.text("chat_id");
        let keys: Vec<(usize, BucketKey)> = self
            .scenario
            .rate_limits
            .iter()
            .enumerate()
            .filter(|(_, limit)| limit.bot.is_none_or(|b| b == bot))
            .filter(|(_, limit)| {
                limit.methods.is_empty()
                    || limit.methods.iter().any(|m| m.eq_ignore_ascii_case(method))
            })
            .filter_map(|(i, limit)| {
                let key = match limit.scope {
                    Scope::Global => BucketKey::global(i),
                    Scope::Bot => BucketKey::bot(i, bot),
                    Scope::Method => BucketKey::method(i, bot, method),
                    Scope::Chat => BucketKey::chat(i, bot, chat?),
                };
                Some((i, key))
            })
            .collect();
        if keys.is_empty() {
            return Ok(());
        }
        let mut buckets = lock(&self.buckets);
        for (i, key) in &keys {
            let limit = &self.scenario.rate_limits[*i];
            let rate = f64::from(limit.limit) / limit.window.as_secs_f64();
            let bucket = buckets.entry(key, f64::from(limit.limit), now);
            bucket.refill(now, rate);
            if bucket.tokens < 1.0 {
                let retry_after = ((1.0 - bucket.tokens) / rate).ceil().max(1.0) as u64;
                return Err(Limited {
                    limit: *i,
                    retry_after,
                });
            }
        }
        for (_, key) in &keys {
            if let Some(bucket) = buckets.get_mut(key) {
                bucket.tokens -= 1.0;
            }
        }
        Ok(())
    }
}

/// The conditions of a rule that depend on the request alone (not on the rule state or
/// the counters).
fn request_matches(rule: &Rule, request: &RuleRequest<'_>) -> bool {
    let when = &rule.when;
    when.token
        .as_ref()
        .is_none_or(|t| t.expose() == request.token.expose())
        && when.bot.is_none_or(|b| request.bot == Some(b))
        && (when.methods.is_empty()
            || when
                .methods
                .iter()
                .any(|m| m.eq_ignore_ascii_case(request.method)))
        && when
            .params
            .iter()
            .all(|(key, value)| request.params.text(key) == Some(value.as_str()))
        && when.time.is_none_or(|window| {
            request.now >= window.from && window.until.is_none_or(|until| request.now < until)
        })
}

/// A draw in `[0, 1)` from the 53 high bits, so the same seed gives the same draws everywhere.
fn unit(rng: &mut SplitMix64) -> f64 {
    (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Every update under these locks is a handful of plain assignments; a panic cannot
    // leave them half-done in a way that matters to a mock.
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine(source: &str) -> Engine {
        Engine::new(Scenario::parse("test.toml", source).unwrap(), 1000)
    }

    fn request<'a>(params: &'a Params, method: &'a str, now: u64) -> RuleRequest<'a> {
        RuleRequest {
            token: Secret::new("1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
            bot: Some(1),
            method,
            params,
            now: Duration::from_secs(now),
        }
    }

    fn fired(engine: &Engine, method: &str, now: u64) -> Option<String> {
        let params = Params::default();
        engine
            .match_rules(request(&params, method, now))
            .map(|hit| hit.rule.name.clone())
    }

    #[test]
    fn calls_count_matching_requests_and_times_limits_firing() {
        let engine = engine(
            r#"
            [[rule]]
            name = "second and third getMe"
            when = { method = "getMe", calls = "2..=3" }
            then = { delay = 1 }
            [[rule]]
            name = "close twice"
            when = { method = "close" }
            then = { delay = 1 }
            times = 2
            "#,
        );
        let got: Vec<_> = (0..4).map(|_| fired(&engine, "GETME", 0)).collect();
        assert_eq!(
            got,
            [
                None,
                Some("second and third getMe".into()),
                Some("second and third getMe".into()),
                None
            ]
        );
        let got: Vec<_> = (0..3).map(|_| fired(&engine, "close", 0)).collect();
        assert_eq!(
            got,
            [Some("close twice".into()), Some("close twice".into()), None]
        );
    }

    #[test]
    fn rules_for_other_bots_are_never_checked_and_file_order_holds() {
        let engine = engine(
            r#"
            [[rule]]
            name = "bot 2"
            when = { bot = 2 }
            then = { delay = 0 }
            [[rule]]
            name = "anyone's close"
            when = { method = "close" }
            then = { delay = 0 }
            [[rule]]
            name = "bot 1 by token"
            when = { token = "1:AAAAAAAAAAAAAAAAAAAAAAAAAAAA" }
            then = { delay = 0 }
            "#,
        );
        assert_eq!(
            fired(&engine, "close", 0).as_deref(),
            Some("anyone's close")
        );
        assert_eq!(
            fired(&engine, "getMe", 0).as_deref(),
            Some("bot 1 by token")
        );
    }

    #[test]
    fn the_index_keeps_file_order_across_bots_and_methods() {
        let engine = engine(
            r#"
            [[rule]]
            name = "bot 1 getMe"
            when = { bot = 1, method = "getMe", calls = 3 }
            then = { delay = 0 }

            [[rule]]
            name = "anyone's sendMessage or getMe"
            when = { method = ["sendMessage", "getMe"] }
            then = { delay = 0 }

            [[rule]]
            name = "bot 1, anything"
            when = { bot = 1 }
            then = { delay = 0 }

            [[rule]]
            name = "anyone, anything"
            when = { probability = 1.0 }
            then = { delay = 0 }
            "#,
        );
        assert_eq!(
            fired(&engine, "getme", 0).as_deref(),
            Some("anyone's sendMessage or getMe")
        );
        assert_eq!(
            fired(&engine, "close", 0).as_deref(),
            Some("bot 1, anything")
        );
        assert_eq!(
            fired(&engine, "noSuchMethod", 0).as_deref(),
            Some("bot 1, anything")
        );
        // The third getMe of bot 1 goes to the first rule.
        fired(&engine, "getMe", 0);
        assert_eq!(fired(&engine, "getMe", 0).as_deref(), Some("bot 1 getMe"));
        let other = Params::default();
        let mut request = request(&other, "close", 0);
        request.bot = Some(2);
        let hit = engine.match_rules(request).map(|hit| hit.rule.name.clone());
        assert_eq!(hit.as_deref(), Some("anyone, anything"));
    }

    #[test]
    fn rule_states_move_like_a_state_machine() {
        let engine = engine(
            r#"
            [[rule]]
            name = "first"
            when = { state = "Started" }
            then = { set_state = "Second", delay = 0 }
            [[rule]]
            name = "second"
            when = { state = "Second" }
            then = { set_state = "Started", delay = 0 }
            "#,
        );
        let got: Vec<_> = (0..3)
            .map(|_| fired(&engine, "getMe", 0).unwrap())
            .collect();
        assert_eq!(got, ["first", "second", "first"]);
    }

    #[test]
    fn time_windows_and_params() {
        let engine = engine(
            r#"
            [[rule]]
            name = "window"
            when = { time = "10..20", params = { chat_id = 42 } }
            then = { delay = 0 }
            "#,
        );
        let mut params = Params::default();
        assert!(
            engine.match_rules(request(&params, "x", 15)).is_none(),
            "no chat_id"
        );
        params = [("chat_id", "42")].into_iter().collect();
        let at = |t| engine.match_rules(request(&params, "x", t)).is_some();
        assert_eq!((at(9), at(10), at(19), at(20)), (false, true, true, false));
    }

    #[test]
    fn probability_is_seeded() {
        let source = "seed = 7\n[[rule]]\nwhen = { probability = 0.5 }\nthen = { delay = 0 }";
        let draws = |engine: Engine| -> Vec<bool> {
            (0..64)
                .map(|_| fired(&engine, "getMe", 0).is_some())
                .collect()
        };
        let first = draws(engine(source));
        assert_eq!(first, draws(engine(source)), "same seed, same draws");
        let hits = first.iter().filter(|h| **h).count();
        assert!((16..=48).contains(&hits), "about half: {hits}");
        assert_ne!(
            first,
            draws(engine(&source.replace("seed = 7", "seed = 8")))
        );
    }

    #[test]
    fn a_delay_and_jitter_at_the_end_of_time_saturate() {
        // Validation keeps delays to a day; the engine must not rely on it.
        let mut scenario = Scenario::parse("t.toml", "[[rule]]\nthen = { delay = 1 }").unwrap();
        scenario.rules[0].then.delay = Some(crate::scenario::Delay {
            base: Duration::MAX,
            jitter: Duration::MAX,
        });
        let engine = Engine::new(scenario, 1000);
        let params = Params::default();
        let hits: Vec<Duration> = (0..8)
            .map(|_| {
                engine
                    .match_rules(request(&params, "getMe", 0))
                    .unwrap()
                    .delay
            })
            .collect();
        assert_eq!(hits, [Duration::MAX; 8]);
    }

    #[test]
    fn buckets_refill_over_the_window() {
        let engine = engine(
            "[[rate_limit]]\nscope = \"bot\"\nlimit = 2\nwindow = 10\n\
             [[rate_limit]]\nscope = \"chat\"\nlimit = 1\nwindow = 1\n",
        );
        let none = Params::default();
        let at = |t: u64| engine.take(1, "getMe", &none, Duration::from_secs(t));
        assert_eq!((at(0), at(0)), (Ok(()), Ok(())));
        assert_eq!(
            at(0),
            Err(Limited {
                limit: 0,
                retry_after: 5
            })
        );
        assert_eq!(
            at(4),
            Err(Limited {
                limit: 0,
                retry_after: 1
            })
        );
        assert_eq!(at(5), Ok(()));
        // Another bot has its own bucket.
        assert_eq!(
            engine.take(2, "getMe", &none, Duration::from_secs(5)),
            Ok(())
        );
        // The chat scope only counts requests with a chat_id, each chat apart.
        let chat = |id| -> Params { [("chat_id", id)].into_iter().collect() };
        let t = Duration::from_secs(100);
        assert_eq!(engine.take(3, "sendMessage", &chat("1"), t), Ok(()));
        assert_eq!(
            engine.take(3, "sendMessage", &chat("1"), t),
            Err(Limited {
                limit: 1,
                retry_after: 1
            })
        );
        assert_eq!(engine.take(3, "sendMessage", &chat("2"), t), Ok(()));
    }

    #[test]
    fn a_refused_request_takes_from_no_bucket() {
        let engine = engine(
            "[[rate_limit]]\nscope = \"global\"\nlimit = 3\nwindow = 1\n\
             [[rate_limit]]\nscope = \"bot\"\nlimit = 1\nwindow = 100\n",
        );
        let none = Params::default();
        let t = Duration::ZERO;
        assert_eq!(engine.take(1, "getMe", &none, t), Ok(()));
        assert!(engine.take(1, "getMe", &none, t).is_err());
        assert!(engine.take(1, "getMe", &none, t).is_err());
        // Bot 1's refusals took nothing from the global bucket: two are left.
        assert_eq!(engine.take(2, "getMe", &none, t), Ok(()));
        assert_eq!(engine.take(3, "getMe", &none, t), Ok(()));
        assert!(engine.take(4, "getMe", &none, t).is_err());
    }
}
