//! From the file as written to a valid [`Scenario`], collecting every mistake with its
//! position.

use std::ops::Range;
use std::time::Duration;

use bale_api::method::canonical_name;
use bale_api::{redact, ApiError, Envelope, ResponseParameters, Secret, Token};
use toml::Spanned;

use super::error::{line_column, ScenarioError, ScenarioErrors};
use super::file::*;
use super::model::*;
use super::ranges::{
    call_range, seconds_up_to, MAX_CLOCK_SECONDS, MAX_RETRY_AFTER, MAX_SPAN_SECONDS, SPAN,
};
use super::values::{closest_method, parse_range, toml_to_json};
use super::INITIAL_RULE_STATE;
use crate::fault::Fault;

/// Parses and validates `source`; `file` names it in errors, `name` is the scenario's name.
pub(super) fn parse(file: &str, name: &str, source: &str) -> Result<Scenario, ScenarioErrors> {
    let mut checker = Checker {
        file,
        source,
        errors: Vec::new(),
    };
    let parsed: ScenarioFile = match toml::from_str(source) {
        Ok(parsed) => parsed,
        Err(error) => {
            let span = error.span().unwrap_or(0..0);
            checker.error(span, error.message().trim_end());
            return Err(ScenarioErrors(checker.errors));
        }
    };
    let scenario = checker.scenario(name, parsed);
    if checker.errors.is_empty() {
        Ok(scenario)
    } else {
        Err(ScenarioErrors(checker.errors))
    }
}

struct Checker<'a> {
    file: &'a str,
    source: &'a str,
    errors: Vec<ScenarioError>,
}

const FAULTS: &str = "hang, reset, empty-reply, truncated-body, malformed-json, \
                      proxy-error-page, proxy-rate-limited, drip";

impl Checker<'_> {
    /// Records a mistake. Its reason may quote a value from the file (serde's "invalid
    /// type: string …"), so anything shaped like a token loses its secret first.
    fn error(&mut self, span: Range<usize>, reason: impl Into<String>) {
        let (line, column) = line_column(self.source, span.start);
        let reason: String = reason.into();
        self.errors.push(ScenarioError {
            file: self.file.to_owned(),
            line,
            column,
            reason: redact::token_like(&reason).into_owned(),
        });
    }

    fn scenario(&mut self, name: &str, file: ScenarioFile) -> Scenario {
        let closing = match file.closing_seconds {
            Some(seconds) => self.seconds(&seconds, "closing_seconds"),
            None => Duration::ZERO,
        };
        let bots = self.bots(file.bot);
        let spanned_rules: Vec<(Range<usize>, Rule)> = file
            .rule
            .into_iter()
            .enumerate()
            .filter_map(|(i, rule)| self.rule(i, rule))
            .collect();
        self.check_reachable(&spanned_rules);
        let rules = spanned_rules.into_iter().map(|(_, rule)| rule).collect();
        let rate_limits = file
            .rate_limit
            .into_iter()
            .enumerate()
            .filter_map(|(i, limit)| self.rate_limit(i, limit))
            .collect();
        let users = file
            .user
            .into_iter()
            .filter_map(|user| self.user(user.into_inner()))
            .collect();
        let chats = file
            .chat
            .into_iter()
            .filter_map(|chat| self.chat(chat))
            .collect();
        Scenario {
            name: name.to_owned(),
            description: file.description.unwrap_or_default(),
            dialect: file.dialect,
            seed: file.seed.unwrap_or(0),
            unknown_tokens: match file.unknown_tokens {
                Some(UnknownTokensFile::Reject) => UnknownTokens::Reject,
                Some(UnknownTokensFile::Active) | None => UnknownTokens::Active,
            },
            closing,
            bots,
            rules,
            rate_limits,
            users,
            chats,
        }
    }

    fn user(&mut self, user: UserFile) -> Option<bale_api::User> {
        if *user.id.get_ref() <= 0 {
            self.error(user.id.span(), "a user id is a positive whole number");
            return None;
        }
        Some(bale_api::User {
            id: *user.id.get_ref(),
            first_name: user.first_name.unwrap_or_default(),
            last_name: user.last_name,
            username: user.username,
            language_code: user.language_code,
            ..bale_api::User::default()
        })
    }

    fn chat(&mut self, chat: Spanned<crate::people::ChatSpec>) -> Option<crate::people::ChatSpec> {
        use bale_api::ChatType;
        let span = chat.span();
        let chat = chat.into_inner();
        let problem = match chat.kind {
            ChatType::Private if chat.user.is_none() => {
                Some("a private chat names its user: user = <id>")
            }
            ChatType::Private if chat.user.is_some_and(|id| id <= 0) => {
                Some("a private chat names its user by a positive id: user = <id>")
            }
            ChatType::Private => None,
            _ if chat.title.as_deref().is_none_or(str::is_empty) => {
                Some("a group chat needs a title")
            }
            ChatType::Group
                if chat
                    .id
                    .is_some_and(|id| !(-999_999_999_999..0).contains(&id)) =>
            {
                Some("a group's id is negative (e.g. -4001)")
            }
            ChatType::Supergroup | ChatType::Channel
                if chat
                    .id
                    .is_some_and(|id| id >= crate::world::CHANNEL_ID_BASE) =>
            {
                Some("a supergroup's or channel's id is -100… (e.g. -1001234567890)")
            }
            _ if chat.members.iter().any(|m| m.user.is_none()) => {
                Some("each of members names a user: { user = <id>, status = \"member\" }")
            }
            _ if chat.bots.iter().any(|m| m.bot.is_none()) => {
                Some("each of bots names a bot: { bot = <id>, status = \"administrator\" }")
            }
            _ if chat
                .members
                .iter()
                .any(|m| m.user.is_some_and(|id| id <= 0)) =>
            {
                Some(
                    "each of members names a user by a positive id: \
                 { user = <id>, status = \"member\" }",
                )
            }
            _ if chat.bots.iter().any(|m| m.bot.is_some_and(|id| id <= 0)) => Some(
                "each of bots names a bot by a positive id: \
                 { bot = <id>, status = \"administrator\" }",
            ),
            _ => None,
        };
        match problem {
            Some(reason) => {
                self.error(span, reason);
                None
            }
            None => Some(chat),
        }
    }

    /// A span of time (`closing_seconds`, a window): 0 to a day.
    fn seconds(&mut self, value: &Spanned<Number>, what: &str) -> Duration {
        match seconds_up_to(value.get_ref().get(), MAX_SPAN_SECONDS) {
            Some(duration) => duration,
            None => {
                self.error(
                    value.span(),
                    format!("{what} must be a number of seconds {SPAN}"),
                );
                Duration::ZERO
            }
        }
    }

    /// A bot or user id: a positive whole number.
    fn id(&mut self, id: Option<&Spanned<i64>>, what: &str) {
        if let Some(id) = id.filter(|id| *id.get_ref() <= 0) {
            self.error(
                id.span(),
                format!("{what} is a bot id, a positive whole number"),
            );
        }
    }

    fn bots(&mut self, bots: Vec<Spanned<BotFile>>) -> Vec<BotSpec> {
        let mut specs: Vec<BotSpec> = Vec::new();
        for bot in bots {
            let span = bot.span();
            let bot = bot.into_inner();
            let token = match Token::parse(bot.token.get_ref()) {
                Ok(token) => token,
                Err(reason) => {
                    self.error(
                        bot.token.span(),
                        format!("a declared bot needs a well-formed token: {reason}"),
                    );
                    continue;
                }
            };
            if specs.iter().any(|s| s.token.bot_id() == token.bot_id()) {
                self.error(span, format!("bot {} is declared twice", token.bot_id()));
                continue;
            }
            let since = bot
                .since
                .as_ref()
                .map_or(0.0, |since| since.get_ref().get());
            if !(-MAX_CLOCK_SECONDS..=MAX_CLOCK_SECONDS).contains(&since) {
                let span = bot.since.as_ref().map_or(span, Spanned::span);
                self.error(
                    span,
                    "since must be a number of seconds from -31536000 to 31536000 (a year)",
                );
                continue;
            }
            specs.push(BotSpec {
                token,
                state: bot.state.unwrap_or(BotState::Active),
                since,
                dialect: bot.dialect,
                first_name: bot.first_name,
                username: bot.username,
            });
        }
        specs
    }

    fn methods(&mut self, methods: Option<Spanned<OneOrMany>>) -> Vec<&'static str> {
        let Some(methods) = methods else {
            return Vec::new();
        };
        let span = methods.span();
        let mut names = Vec::new();
        for method in methods.into_inner().0 {
            match canonical_name(&method) {
                Some(name) => names.push(name),
                None => {
                    let hint = closest_method(&method)
                        .map(|m| format!(" (did you mean {m:?}?)"))
                        .unwrap_or_default();
                    self.error(span.clone(), format!("unknown method {method:?}{hint}"));
                }
            }
        }
        names
    }

    /// Rules that can never apply: waiting for a state no rule sets, or behind an earlier
    /// rule that matches the same requests every time.
    fn check_reachable(&mut self, rules: &[(Range<usize>, Rule)]) {
        for (j, (span, rule)) in rules.iter().enumerate() {
            if let Some(state) = &rule.when.state {
                let set_somewhere = rules
                    .iter()
                    .any(|(_, r)| r.then.set_state.as_deref() == Some(state.as_str()));
                if state != INITIAL_RULE_STATE && !set_somewhere {
                    self.error(
                        span.clone(),
                        format!(
                            "{:?} can never apply: no rule sets state {state:?} \
                             (the scenario starts in {INITIAL_RULE_STATE:?})",
                            rule.name
                        ),
                    );
                }
            }
            let shadow = rules[..j].iter().find(|(_, earlier)| {
                earlier.when == rule.when
                    && earlier.times.is_none()
                    && earlier.when.probability.is_none()
                    && earlier.then.set_state.is_none()
            });
            if let Some((earlier_span, earlier)) = shadow {
                let (line, _) = line_column(self.source, earlier_span.start);
                self.error(
                    span.clone(),
                    format!(
                        "{:?} can never apply: {:?} (line {line}) matches the same requests \
                         every time and has no times limit",
                        rule.name, earlier.name
                    ),
                );
            }
        }
    }

    fn rule(&mut self, index: usize, rule: Spanned<RuleFile>) -> Option<(Range<usize>, Rule)> {
        let errors_before = self.errors.len();
        let rule_span = rule.span();
        let rule = rule.into_inner();
        let name = rule.name.unwrap_or_else(|| format!("rule {}", index + 1));
        let when = self.when(rule.when);
        let then = self.then(rule.then);
        if let Some(times) = &rule.times {
            if *times.get_ref() == 0 {
                self.error(times.span(), "times = 0: the rule would never apply");
            }
        }
        let rule = Rule {
            name,
            when,
            then,
            times: rule.times.map(Spanned::into_inner),
        };
        (self.errors.len() == errors_before).then_some((rule_span, rule))
    }

    fn when(&mut self, when: WhenFile) -> When {
        let mut out = When {
            methods: self.methods(when.method),
            ..When::default()
        };
        if let (Some(token), Some(bot)) = (&when.token, &when.bot) {
            let token_bot = bale_api::token::parse_bot_id(token.get_ref()).ok();
            if token_bot != Some(*bot.get_ref()) {
                self.error(
                    bot.span(),
                    "when.bot contradicts when.token: no request can match both",
                );
            }
        }
        self.id(when.bot.as_ref(), "when.bot");
        out.token = when.token.map(|token| Secret::new(token.into_inner()));
        out.bot = when.bot.map(Spanned::into_inner);
        for (key, value) in when.params.unwrap_or_default() {
            let text = match value.get_ref() {
                toml::Value::String(text) => text.clone(),
                toml::Value::Integer(n) => n.to_string(),
                toml::Value::Float(x) => x.to_string(),
                toml::Value::Boolean(b) => b.to_string(),
                _ => {
                    self.error(
                        value.span(),
                        format!("params.{key} must be a string, number or boolean"),
                    );
                    continue;
                }
            };
            out.params.push((key, text));
        }
        if let Some(calls) = when.calls {
            out.calls = self.calls(&calls);
        }
        if let Some(time) = when.time {
            out.time = self.time(&time);
        }
        if let Some(probability) = when.probability {
            let p = probability.get_ref().get();
            if p > 0.0 && p <= 1.0 {
                out.probability = Some(p);
            } else {
                self.error(probability.span(), "probability must be in (0, 1]");
            }
        }
        out.state = when.state.map(Spanned::into_inner);
        out
    }

    fn calls(&mut self, calls: &Spanned<CallsFile>) -> Option<CallRange> {
        let valid = match calls.get_ref() {
            CallsFile::Nth(0) => None,
            CallsFile::Nth(n) => Some(CallRange {
                first: *n,
                last: *n,
            }),
            CallsFile::Range(text) => call_range(text),
        };
        if valid.is_none() {
            self.error(
                calls.span(),
                "calls must be a call number from 1, or a non-empty range like \"2..5\", \"2..=4\" or \"3..\"",
            );
        }
        valid
    }

    fn time(&mut self, time: &Spanned<String>) -> Option<TimeWindow> {
        let window = parse_range(time.get_ref()).and_then(|(from, until)| {
            let from = seconds_up_to(from, MAX_CLOCK_SECONDS)?;
            let until = match until {
                Some(u) => Some(seconds_up_to(u, MAX_CLOCK_SECONDS)?),
                None => None,
            };
            until
                .is_none_or(|u| u > from)
                .then_some(TimeWindow { from, until })
        });
        if window.is_none() {
            self.error(
                time.span(),
                "time must be a non-empty range of seconds from 0 to 31536000 (a year) \
                 like \"10..20\", \"..30\" or \"600..\"",
            );
        }
        window
    }

    fn then(&mut self, then: Spanned<ThenFile>) -> Then {
        let span = then.span();
        let then = then.into_inner();
        let does_nothing = then.error.is_none()
            && then.result.is_none()
            && then.fault.is_none()
            && then.delay.is_none()
            && then.bot_state.is_none()
            && then.set_state.is_none();
        let answer = match (then.error, then.result) {
            (Some(_), Some(result)) => {
                self.error(result.span(), "then has both error and result: pick one");
                None
            }
            (Some(error), None) => self.api_error(error).map(Envelope::Err),
            (None, Some(result)) => Some(Envelope::Ok(toml_to_json(result.into_inner()))),
            (None, None) => None,
        };
        let fault = then.fault.and_then(|fault| {
            let fault_span = fault.span();
            let fault = self.fault(fault)?;
            let replaces_answer = !matches!(fault, Fault::TruncatedBody | Fault::Drip { .. });
            if replaces_answer && answer.is_some() {
                self.error(
                    fault_span,
                    format!(
                        "fault {:?} replaces the answer, so error/result would never be sent",
                        fault.name()
                    ),
                );
            }
            Some(fault)
        });
        let delay = then.delay.map(|delay| self.delay(delay));
        let out = Then {
            answer,
            fault,
            delay,
            bot_state: then.bot_state,
            set_state: then.set_state,
        };
        if does_nothing {
            self.error(
                span,
                "then does nothing: give error, result, fault, delay, bot_state or set_state",
            );
        }
        out
    }

    fn api_error(&mut self, error: Spanned<ErrorFile>) -> Option<ApiError> {
        let error = error.into_inner();
        let code = *error.code.get_ref();
        if !(400..=599).contains(&code) {
            self.error(
                error.code.span(),
                "error code must be an HTTP error status, 400 to 599",
            );
            return None;
        }
        if error.description.get_ref().is_empty() {
            self.error(
                error.description.span(),
                "error description must not be empty",
            );
            return None;
        }
        if let Some(retry_after) = &error.retry_after {
            if *retry_after.get_ref() > MAX_RETRY_AFTER {
                self.error(
                    retry_after.span(),
                    format!("retry_after must be a whole number of seconds {SPAN}"),
                );
                return None;
            }
        }
        if let Some(chat) = &error.migrate_to_chat_id {
            if *chat.get_ref() >= 0 {
                self.error(
                    chat.span(),
                    "migrate_to_chat_id is a supergroup's id, a negative whole number",
                );
                return None;
            }
        }
        let retry_after = error.retry_after.map(Spanned::into_inner);
        let migrate_to_chat_id = error.migrate_to_chat_id.map(Spanned::into_inner);
        let parameters =
            (retry_after.is_some() || migrate_to_chat_id.is_some()).then_some(ResponseParameters {
                retry_after,
                migrate_to_chat_id,
            });
        Some(ApiError {
            error_code: code as u16,
            description: error.description.into_inner(),
            parameters,
        })
    }

    fn fault(&mut self, fault: Spanned<FaultFile>) -> Option<Fault> {
        let span = fault.span();
        let (kind, status, seconds) = match fault.into_inner() {
            FaultFile::Kind(kind) => (kind, None, None),
            FaultFile::Table(table) => (table.kind, table.status, table.seconds),
        };
        let fault = match kind.as_str() {
            "hang" => Fault::Hang,
            "reset" => Fault::Reset,
            "empty-reply" => Fault::EmptyReply,
            "truncated-body" => Fault::TruncatedBody,
            "malformed-json" => Fault::MalformedJson,
            "proxy-rate-limited" => Fault::ProxyRateLimited,
            "proxy-error-page" => match status.unwrap_or(502) {
                status @ 502..=504 => Fault::ProxyErrorPage {
                    status: status as u16,
                },
                _ => {
                    self.error(span, "proxy-error-page status must be 502, 503 or 504");
                    return None;
                }
            },
            "drip" => match seconds
                .map(Number::get)
                .filter(|s| *s > 0.0)
                .and_then(|s| seconds_up_to(s, MAX_SPAN_SECONDS))
            {
                Some(duration) => Fault::Drip { duration },
                None => {
                    self.error(
                        span,
                        "drip needs seconds > 0 and at most 86400 (one day): \
                         { kind = \"drip\", seconds = 2 }",
                    );
                    return None;
                }
            },
            other => {
                self.error(
                    span,
                    format!("unknown fault {other:?}; faults are: {FAULTS}"),
                );
                return None;
            }
        };
        let extra_status = status.is_some() && !matches!(fault, Fault::ProxyErrorPage { .. });
        let extra_seconds = seconds.is_some() && !matches!(fault, Fault::Drip { .. });
        if extra_status || extra_seconds {
            self.error(
                span,
                format!("fault {:?} takes no status or seconds", fault.name()),
            );
        }
        Some(fault)
    }

    fn delay(&mut self, delay: Spanned<DelayFile>) -> Delay {
        let span = delay.span();
        let (base, jitter) = match delay.into_inner() {
            DelayFile::Seconds(seconds) => (seconds.get(), 0.0),
            DelayFile::Table(table) => (table.seconds.get(), table.jitter.map_or(0.0, Number::get)),
        };
        match (
            seconds_up_to(base, MAX_SPAN_SECONDS),
            seconds_up_to(jitter, MAX_SPAN_SECONDS),
        ) {
            (Some(base), Some(jitter)) => Delay { base, jitter },
            _ => {
                self.error(
                    span,
                    format!("delay seconds and jitter must be numbers {SPAN}"),
                );
                Delay {
                    base: Duration::ZERO,
                    jitter: Duration::ZERO,
                }
            }
        }
    }

    fn rate_limit(&mut self, index: usize, limit: Spanned<RateLimitFile>) -> Option<RateLimit> {
        let errors_before = self.errors.len();
        let limit = limit.into_inner();
        let size = *limit.limit.get_ref();
        if !(1..=i64::from(u32::MAX)).contains(&size) {
            self.error(
                limit.limit.span(),
                "limit must be a whole number from 1 to 4294967295",
            );
        }
        let window = self.seconds(&limit.window, "window");
        if window.is_zero() {
            self.error(limit.window.span(), "window must be more than 0 seconds");
        }
        let methods = self.methods(limit.method);
        self.id(limit.bot.as_ref(), "bot");
        (self.errors.len() == errors_before).then(|| RateLimit {
            name: limit
                .name
                .unwrap_or_else(|| format!("rate limit {}", index + 1)),
            scope: match limit.scope {
                ScopeFile::Bot => Scope::Bot,
                ScopeFile::Chat => Scope::Chat,
                ScopeFile::Method => Scope::Method,
                ScopeFile::Global => Scope::Global,
            },
            limit: size as u32,
            window,
            methods,
            bot: limit.bot.map(Spanned::into_inner),
            answer: match limit.answer {
                Some(RateAnswerFile::BaleProxy) => RateAnswer::BaleProxy,
                Some(RateAnswerFile::Json) | None => RateAnswer::Json,
            },
        })
    }
}
