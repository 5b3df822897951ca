//! bale-client against a canned-response server on the loopback interface.

mod faults;
mod requests;
mod retry;
mod support;
