//! Runs an exported function of compiled IREE modules and prints its
//! results; flag-compatible with the reference `iree-run-module`.

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let code = iree_tools::run_module::main(
        &args,
        &mut std::io::stdin().lock(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
