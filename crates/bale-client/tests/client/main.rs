//! bale-client against a canned-response server on the loopback interface.

mod faults;
mod files;
mod requests;
mod retry;
mod support;
