//! `kabinet`: serve (default), migrate, seed-demo.

use clap::Parser as _;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = kabinet::cli::Cli::parse();
    match kabinet::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("kabinet: {message}");
            std::process::ExitCode::from(2)
        }
    }
}
