//! A parked long poll, awaited outside every lock.

use bale_api::Envelope;
use serde_json::value::RawValue;

use super::Mock;
use crate::methods::{self, Poll};

impl Mock {
    /// Awaits a parked long poll: its updates when they come, an empty list when its time
    /// is up on the server clock or the server shuts down, or its conflict.
    pub(super) async fn wait(&self, mut poll: Poll) -> Envelope<Box<RawValue>> {
        loop {
            tokio::select! {
                biased;
                ended = &mut poll.ended => {
                    // A dropped sender means the bot was reset: nothing to deliver.
                    return match ended {
                        Ok(error) => Envelope::Err(error),
                        Err(_) => Envelope::Ok(methods::get_updates_array(&[])),
                    };
                }
                () = self.stopping() => break,
                () = self.clock().sleep_until(poll.deadline) => break,
                changed = poll.activity.changed() => {
                    if changed.is_err() {
                        break;
                    }
                    let (offset, limit, now) = (poll.offset, poll.limit, self.clock().now());
                    let updates = self.bots.with(poll.bot, |bot| {
                        bot.conversation.inbox.read(offset, limit, now)
                    });
                    if !updates.is_empty() {
                        self.unpark(&poll);
                        return Envelope::Ok(methods::get_updates_array(&updates));
                    }
                }
            }
        }
        let (offset, limit, now) = (poll.offset, poll.limit, self.clock().now());
        let updates = self.bots.with(poll.bot, |bot| {
            bot.conversation.inbox.read(offset, limit, now)
        });
        self.unpark(&poll);
        Envelope::Ok(methods::get_updates_array(&updates))
    }

    fn unpark(&self, poll: &Poll) {
        self.bots.with(poll.bot, |bot| {
            bot.conversation.inbox.unpark(poll.generation)
        });
    }
}
