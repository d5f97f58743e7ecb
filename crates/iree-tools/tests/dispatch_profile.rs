//! `--print_dispatch_profile` in a process of its own (the profile is
//! process-wide): every export of a three-dispatch corpus program is listed
//! with one dispatch per measured iteration.

use std::process::Command;

#[test]
fn dispatch_profile_lists_every_export() {
    let corpus = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/corpus");
    let mut command = Command::new(env!("CARGO_BIN_EXE_iree-benchmark-module"));
    command.args([
        format!("--module={corpus}/pipeline.vmfb"),
        "--device=local-sync".into(),
        "--function=pipeline".into(),
        "--benchmark_min_time=3x".into(),
        "--benchmark_repetitions=2".into(),
        "--print_dispatch_profile".into(),
    ]);
    for n in 0..4 {
        command.arg(format!("--input=@{corpus}/inputs/pipeline.{n}.npy"));
    }
    let output = command.output().expect("run iree-benchmark-module");
    let out = String::from_utf8_lossy(&output.stdout);
    let err = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{out}{err}");
    let profile = out
        .split_once("Dispatch profile of BM_pipeline")
        .map(|(_, p)| p)
        .unwrap_or_else(|| panic!("no profile: {out}{err}"));
    for export in [
        "pipeline_dispatch_0_matmul_5x12x8_f32",
        "pipeline_dispatch_1_matmul_12x4x5_f32",
        "pipeline_dispatch_2_reduction_12x4_f32",
    ] {
        let line = profile
            .lines()
            .find(|l| l.trim_start().starts_with(export))
            .unwrap_or_else(|| panic!("{export} missing: {out}"));
        let count: u64 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        assert!(count >= 6, "{line}");
    }
    assert!(profile.contains("outside kernels: "), "{out}");
}
