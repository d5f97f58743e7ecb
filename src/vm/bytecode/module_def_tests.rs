//! Unit tests for `ModuleDef::parse`, using modules built in memory with the
//! generated FlatBuffers builders so each field can be corrupted on purpose.

use super::*;
use crate::StatusCode;
use flatbuffers::FlatBufferBuilder;

/// Knobs for a synthetic module; `Default` is a small valid one.
struct Spec {
    name: &'static str,
    version: u32,
    bytecode: Vec<u8>,
    // (offset, length, blocks, i32 regs, ref regs)
    functions: Vec<(i32, i32, i16, i16, i16)>,
    signatures: usize,
    exports: Vec<(&'static str, i32)>,
    embedded_rodata: Vec<Vec<u8>>,
    external_rodata: Vec<(u64, u64)>,
    tail: Vec<u8>,
    // (tag, callee/line, caller/column) encoded per kind below
    locations: Vec<LocSpec>,
    source_map: Vec<(i32, i32)>,
    global_bytes: i32,
}

enum LocSpec {
    File(&'static str, i32, i32),
    CallSite(i32, i32),
    Name(&'static str, Option<i32>),
    Fused(Vec<i32>),
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            name: "m",
            version: (17 << 16),
            bytecode: vec![0x79, 0x5A, 0, 0, 0, 0, 0, 0],
            functions: vec![(0, 6, 1, 2, 1)],
            signatures: 1,
            exports: vec![("main", 0)],
            embedded_rodata: vec![vec![1, 2, 3, 4]],
            external_rodata: Vec::new(),
            tail: Vec::new(),
            locations: vec![LocSpec::File("a.mlir", 3, 7), LocSpec::Name("n", Some(0))],
            source_map: vec![(1, 1)],
            global_bytes: 16,
        }
    }
}

fn build(spec: &Spec) -> Vec<u8> {
    let mut b = FlatBufferBuilder::new();
    let name = b.create_string(spec.name);
    let ty = b.create_string("i32");
    let ty = fb::TypeDef::create(
        &mut b,
        &fb::TypeDefArgs {
            full_name: Some(ty),
        },
    );
    let types = b.create_vector(&[ty]);

    let imp_name = b.create_string("other.fn");
    let cconv = b.create_string("0i_i");
    let imp_sig = fb::FunctionSignatureDef::create(
        &mut b,
        &fb::FunctionSignatureDefArgs {
            calling_convention: Some(cconv),
            attrs: None,
        },
    );
    let imp = fb::ImportFunctionDef::create(
        &mut b,
        &fb::ImportFunctionDefArgs {
            full_name: Some(imp_name),
            signature: Some(imp_sig),
            flags: fb::ImportFlagBits::OPTIONAL,
        },
    );
    let imports = b.create_vector(&[imp]);

    let exports: Vec<_> = spec
        .exports
        .iter()
        .map(|(n, o)| {
            let n = b.create_string(n);
            fb::ExportFunctionDef::create(
                &mut b,
                &fb::ExportFunctionDefArgs {
                    local_name: Some(n),
                    internal_ordinal: *o,
                },
            )
        })
        .collect();
    let exports = b.create_vector(&exports);

    let sigs: Vec<_> = (0..spec.signatures)
        .map(|_| {
            let cc = b.create_string("0v_i");
            let k = b.create_string("iree.abi");
            let v = b.create_string("x");
            let attr = fb::AttrDef::create(
                &mut b,
                &fb::AttrDefArgs {
                    key: Some(k),
                    value: Some(v),
                },
            );
            let attrs = b.create_vector(&[attr]);
            fb::FunctionSignatureDef::create(
                &mut b,
                &fb::FunctionSignatureDefArgs {
                    calling_convention: Some(cc),
                    attrs: Some(attrs),
                },
            )
        })
        .collect();
    let sigs = b.create_vector(&sigs);

    let mut segs = Vec::new();
    for data in &spec.embedded_rodata {
        let d = b.create_vector(data);
        segs.push(fb::RodataSegmentDef::create(
            &mut b,
            &fb::RodataSegmentDefArgs {
                embedded_data: Some(d),
                ..Default::default()
            },
        ));
    }
    for (off, len) in &spec.external_rodata {
        segs.push(fb::RodataSegmentDef::create(
            &mut b,
            &fb::RodataSegmentDefArgs {
                external_data_offset: *off,
                external_data_length: *len,
                ..Default::default()
            },
        ));
    }
    let segs = b.create_vector(&segs);

    let state = fb::ModuleStateDef::create(
        &mut b,
        &fb::ModuleStateDefArgs {
            global_bytes_capacity: spec.global_bytes,
            global_ref_count: 1,
        },
    );
    let descs: Vec<_> = spec
        .functions
        .iter()
        .map(|&(o, l, blocks, i, r)| {
            fb::FunctionDescriptor::new(o, l, fb::FeatureBits::empty(), 0, blocks, i, r)
        })
        .collect();
    let descs = b.create_vector(&descs);
    let code = b.create_vector(&spec.bytecode);

    let mut tags = Vec::new();
    let mut locs = Vec::new();
    for l in &spec.locations {
        let (tag, off) = match l {
            LocSpec::File(f, line, col) => {
                let f = b.create_string(f);
                let t = fb::FileLineColLocDef::create(
                    &mut b,
                    &fb::FileLineColLocDefArgs {
                        filename: Some(f),
                        line: *line,
                        column: *col,
                    },
                );
                (fb::LocationTypeDef::FileLineColLocDef, t.as_union_value())
            }
            LocSpec::CallSite(callee, caller) => {
                let t = fb::CallSiteLocDef::create(
                    &mut b,
                    &fb::CallSiteLocDefArgs {
                        callee: *callee,
                        caller: *caller,
                    },
                );
                (fb::LocationTypeDef::CallSiteLocDef, t.as_union_value())
            }
            LocSpec::Name(n, child) => {
                let n = b.create_string(n);
                // Forced so an explicit child 0 is written, not defaulted away.
                b.force_defaults(child.is_some());
                let t = fb::NameLocDef::create(
                    &mut b,
                    &fb::NameLocDefArgs {
                        name: Some(n),
                        child_location: child.unwrap_or(0),
                    },
                );
                b.force_defaults(false);
                (fb::LocationTypeDef::NameLocDef, t.as_union_value())
            }
            LocSpec::Fused(children) => {
                let v = b.create_vector(children);
                let t = fb::FusedLocDef::create(
                    &mut b,
                    &fb::FusedLocDefArgs {
                        metadata: None,
                        locations: Some(v),
                    },
                );
                (fb::LocationTypeDef::FusedLocDef, t.as_union_value())
            }
        };
        tags.push(tag.0);
        locs.push(flatbuffers::WIPOffset::<fb::LocationSlotDef>::new(
            off.value(),
        ));
    }
    let tags = b.create_vector(&tags);
    let locs = b.create_vector(&locs);
    let map_entries: Vec<_> = spec
        .source_map
        .iter()
        .map(|&(o, l)| fb::BytecodeLocationDef::new(o, l))
        .collect();
    let map_entries = b.create_vector(&map_entries);
    let fname = b.create_string("main_impl");
    let map = fb::FunctionSourceMapDef::create(
        &mut b,
        &fb::FunctionSourceMapDefArgs {
            local_name: Some(fname),
            locations: Some(map_entries),
        },
    );
    let maps = b.create_vector(&[map]);
    let db = fb::DebugDatabaseDef::create(
        &mut b,
        &fb::DebugDatabaseDefArgs {
            location_table_type: Some(tags),
            location_table: Some(locs),
            functions: Some(maps),
        },
    );

    let root = fb::BytecodeModuleDef::create(
        &mut b,
        &fb::BytecodeModuleDefArgs {
            name: Some(name),
            version: 3,
            types: Some(types),
            imported_functions: Some(imports),
            exported_functions: Some(exports),
            function_signatures: Some(sigs),
            rodata_segments: Some(segs),
            module_state: Some(state),
            function_descriptors: Some(descs),
            bytecode_version: spec.version,
            bytecode_data: Some(code),
            debug_database: Some(db),
            ..Default::default()
        },
    );
    fb::finish_size_prefixed_bytecode_module_def_buffer(&mut b, root);
    let mut out = b.finished_data().to_vec();
    out.resize(archive::align_segment(out.len()).unwrap(), 0);
    out.extend_from_slice(&spec.tail);
    out
}

fn parse_err(spec: &Spec) -> String {
    match ModuleDef::parse(&build(spec)) {
        Ok(_) => panic!("expected an error"),
        Err(e) => {
            assert_eq!(e.code(), StatusCode::InvalidArgument);
            e.message().to_owned()
        }
    }
}

#[test]
fn valid_module_round_trips() {
    let spec = Spec {
        external_rodata: vec![(0, 3), (64, 2)],
        tail: (0..70u8).collect(),
        ..Default::default()
    };
    let file = build(&spec);
    let m = ModuleDef::parse(&file).unwrap();
    assert_eq!(m.name, "m");
    assert_eq!(m.version, 3);
    assert_eq!(m.types, vec!["i32"]);
    assert_eq!(m.imports.len(), 1);
    assert!(m.imports[0].optional);
    assert_eq!(m.imports[0].signature.cconv.as_deref(), Some("0i_i"));
    assert_eq!(
        m.exports,
        vec![Export {
            name: "main".into(),
            internal_ordinal: 0
        }]
    );
    let sig = m.export_signature(0).unwrap();
    assert_eq!(sig.cconv.as_deref(), Some("0v_i"));
    assert_eq!(
        sig.attrs,
        vec![Attr {
            key: "iree.abi".into(),
            value: "x".into()
        }]
    );
    let f = &m.functions[0];
    assert_eq!(
        (f.block_count, f.i32_register_count, f.ref_register_count),
        (1, 2, 1)
    );
    assert_eq!(
        m.function_bytecode(&file, 0).unwrap(),
        &[0x79, 0x5A, 0, 0, 0, 0]
    );
    assert_eq!(m.rodata_bytes(&file, 0).unwrap(), &[1, 2, 3, 4]);
    assert_eq!(m.rodata_bytes(&file, 1).unwrap(), &[0, 1, 2]);
    assert_eq!(m.rodata_bytes(&file, 2).unwrap(), &[64, 65]);
    assert_eq!((m.global_bytes, m.global_refs), (16, 1));
    assert_eq!(m.bytecode_version, (17, 0));
    assert_eq!(f.debug_name.as_deref(), Some("main_impl"));
    assert_eq!(
        f.locations,
        vec![BytecodeLocation {
            bytecode_offset: 1,
            location: 1
        }]
    );
    assert_eq!(
        m.locations,
        vec![
            Location::FileLineCol {
                filename: "a.mlir".into(),
                line: 3,
                column: 7
            },
            Location::Name {
                name: "n".into(),
                child: Some(0)
            },
        ]
    );
}

#[test]
fn rejects_bad_function_descriptors() {
    let msg = parse_err(&Spec {
        functions: vec![(4, 6, 1, 0, 0)],
        ..Default::default()
    });
    assert!(
        msg.contains("function 0 bytecode range 4..10 exceeds bytecode data size 8"),
        "{msg}"
    );
    let msg = parse_err(&Spec {
        functions: vec![(0, 6, 0, 0, 0)],
        ..Default::default()
    });
    assert!(msg.contains("blocks"), "{msg}");
    let msg = parse_err(&Spec {
        functions: vec![(0, 0, 1, 0, 0)],
        ..Default::default()
    });
    assert!(msg.contains("empty bytecode"), "{msg}");
    let msg = parse_err(&Spec {
        functions: vec![(-1, 6, 1, 0, 0)],
        ..Default::default()
    });
    assert!(msg.contains("range -1..5"), "{msg}");
    let msg = parse_err(&Spec {
        functions: vec![(0, 6, 1, -1, 0)],
        ..Default::default()
    });
    assert!(msg.contains("i32 register count -1"), "{msg}");
    let msg = parse_err(&Spec {
        functions: vec![(0, 6, 1, 0, 0x4000)],
        ..Default::default()
    });
    assert!(msg.contains("ref register count 16384"), "{msg}");
    let msg = parse_err(&Spec {
        signatures: 2,
        ..Default::default()
    });
    assert!(
        msg.contains("1 function descriptors but 2 function signatures"),
        "{msg}"
    );
}

#[test]
fn rejects_bad_metadata() {
    let msg = parse_err(&Spec {
        exports: vec![("main", 1)],
        ..Default::default()
    });
    assert!(
        msg.contains("export 0 ('main') internal ordinal 1 is out of range"),
        "{msg}"
    );
    let msg = parse_err(&Spec {
        exports: vec![("", 0)],
        ..Default::default()
    });
    assert!(msg.contains("export 0 has no name"), "{msg}");
    let msg = parse_err(&Spec {
        name: "",
        ..Default::default()
    });
    assert!(msg.contains("module name is empty"), "{msg}");
    let msg = parse_err(&Spec {
        version: 16 << 16,
        ..Default::default()
    });
    assert!(
        msg.contains("bytecode version 16.0 is not supported"),
        "{msg}"
    );
    let msg = parse_err(&Spec {
        version: (17 << 16) | 1,
        ..Default::default()
    });
    assert!(msg.contains("17.1"), "{msg}");
    let msg = parse_err(&Spec {
        global_bytes: -4,
        ..Default::default()
    });
    assert!(msg.contains("global byte capacity -4"), "{msg}");
}

#[test]
fn rejects_external_rodata_out_of_range() {
    let msg = parse_err(&Spec {
        external_rodata: vec![(0, 100)],
        tail: vec![0; 99],
        ..Default::default()
    });
    assert!(msg.contains("rodata segment 1 external range"), "{msg}");
    let msg = parse_err(&Spec {
        external_rodata: vec![(u64::MAX, 2)],
        tail: vec![0; 4],
        ..Default::default()
    });
    assert!(msg.contains("exceeds file size"), "{msg}");
    // Exactly fitting is fine.
    let spec = Spec {
        external_rodata: vec![(0, 99)],
        tail: vec![0; 99],
        ..Default::default()
    };
    assert!(ModuleDef::parse(&build(&spec)).is_ok());
}

#[test]
fn rejects_bad_debug_locations() {
    let msg = parse_err(&Spec {
        source_map: vec![(1, 5)],
        ..Default::default()
    });
    assert!(
        msg.contains("location 5 is out of range (2 locations)"),
        "{msg}"
    );
    let msg = parse_err(&Spec {
        source_map: vec![(9, 0)],
        ..Default::default()
    });
    assert!(
        msg.contains("bytecode offset 9 is past the end of the bytecode data (8 bytes"),
        "{msg}"
    );
    let msg = parse_err(&Spec {
        locations: vec![LocSpec::CallSite(1, 0), LocSpec::Name("x", Some(0))],
        ..Default::default()
    });
    assert!(msg.contains("cycle"), "{msg}");
    let msg = parse_err(&Spec {
        locations: vec![LocSpec::Fused(vec![0])],
        source_map: vec![],
        ..Default::default()
    });
    assert!(msg.contains("cycle"), "{msg}");
    let msg = parse_err(&Spec {
        locations: vec![LocSpec::Fused(vec![3])],
        source_map: vec![],
        ..Default::default()
    });
    assert!(msg.contains("references location 3"), "{msg}");
    // A DAG (shared child) is fine.
    let spec = Spec {
        locations: vec![
            LocSpec::File("f", 1, 1),
            LocSpec::CallSite(0, 0),
            LocSpec::Fused(vec![0, 1]),
        ],
        ..Default::default()
    };
    let m = ModuleDef::parse(&build(&spec)).unwrap();
    assert_eq!(
        m.locations[2],
        Location::Fused {
            metadata: None,
            locations: vec![0, 1]
        }
    );
}

#[test]
fn truncated_inputs_never_panic() {
    let file = build(&Spec {
        external_rodata: vec![(0, 8)],
        tail: vec![9; 8],
        ..Default::default()
    });
    assert!(ModuleDef::parse(&file).is_ok());
    for n in 0..file.len() {
        let _ = ModuleDef::parse(&file[..n]);
    }
}

#[test]
fn bit_flipped_inputs_never_panic() {
    let file = build(&Spec {
        external_rodata: vec![(0, 8)],
        tail: vec![9; 8],
        ..Default::default()
    });
    let mut copy = file.clone();
    let mut accepted = 0;
    for byte in 0..file.len() {
        for bit in 0..8 {
            copy[byte] ^= 1 << bit;
            if ModuleDef::parse(&copy).is_ok() {
                accepted += 1;
            }
            copy[byte] ^= 1 << bit;
        }
    }
    // Many flips hit payload bytes (bytecode, names) and stay valid; the
    // point is that none of them panicked.
    assert!(accepted < file.len() * 8);
}

#[test]
fn large_field_values_are_rejected_without_allocation() {
    // A vector length near u32::MAX must fail verification, not allocate.
    let mut file = build(&Spec::default());
    let len = file.len();
    for i in (8..len - 4).step_by(4) {
        let saved = [file[i], file[i + 1], file[i + 2], file[i + 3]];
        file[i..i + 4].copy_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
        let _ = ModuleDef::parse(&file);
        file[i..i + 4].copy_from_slice(&saved);
    }
}
