fn main() -> std::process::ExitCode {
    softlanding::cli::main()
}
