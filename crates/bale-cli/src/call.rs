use clap::Args; #[derive(Args)] pub struct CallArgs {} pub fn run(_: CallArgs) -> u8 { 0 }
